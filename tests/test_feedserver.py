"""The local test servers in tests/feedserver.py: static files, byte ranges, injected faults."""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.feedserver import FaultProxy, StaticServer, parse_byte_range

DATA = bytes(range(256)) * 40  # 10240 bytes, every offset distinguishable modulo 256
TOTAL = len(DATA)
PAGE = b"<!doctype html><p>hello</p>\n"


def etag_of(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest() + '"'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "feed.bin").write_bytes(DATA)
    (root / "sub" / "page.html").write_bytes(PAGE)
    (root / "empty.txt").write_bytes(b"")
    (tmp_path / "secret.txt").write_text("outside the root\n")
    return root


@pytest.fixture
def server(site: Path) -> Iterator[StaticServer]:
    with StaticServer(site) as srv:
        yield srv
    assert srv.errors == []


@pytest.fixture
def proxy(server: StaticServer) -> Iterator[FaultProxy]:
    with FaultProxy(server.url) as prx:
        yield prx
    assert prx.errors == []


@pytest.fixture
def client() -> Iterator[requests.Session]:
    """A session that ignores proxy settings from the environment."""
    with requests.Session() as session:
        session.trust_env = False
        yield session


def raw_get(url: str, target: str) -> int:
    """GET with the request target sent verbatim (requests would normalise dot segments)."""
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.request("GET", target)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def read_until_error(resp: requests.Response) -> bytes:
    """The body bytes that arrived before the connection failed (or all of them)."""
    got = bytearray()
    try:
        for chunk in resp.iter_content(1024):
            got += chunk
    except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError):
        pass
    return bytes(got)


# --- static server ---------------------------------------------------------------------------


def test_full_get_has_strong_etag_and_length(
    server: StaticServer, client: requests.Session
) -> None:
    r = client.get(f"{server.url}/feed.bin", timeout=5)
    assert r.status_code == 200
    assert r.content == DATA
    assert r.headers["ETag"] == etag_of(DATA)
    assert r.headers["Content-Length"] == str(TOTAL)
    assert r.headers["Accept-Ranges"] == "bytes"
    assert server.requests == [("GET", "/feed.bin", None, 200)]


def test_head_matches_get_without_body(server: StaticServer, client: requests.Session) -> None:
    r = client.head(f"{server.url}/sub/page.html", timeout=5)
    assert r.status_code == 200
    assert r.content == b""
    assert r.headers["Content-Length"] == str(len(PAGE))
    assert r.headers["ETag"] == etag_of(PAGE)
    assert r.headers["Content-Type"] == "text/html"


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=100-", 100, TOTAL - 1),
        ("bytes=100-199", 100, 199),
        ("bytes=-50", TOTAL - 50, TOTAL - 1),
        ("bytes=0-0", 0, 0),
        ("bytes=10-999999", 10, TOTAL - 1),  # the last position is clamped
        ("bytes=-999999", 0, TOTAL - 1),  # a suffix longer than the file selects all of it
        ("Bytes = 5-6", 5, 6),
    ],
)
def test_single_range_gives_206(
    server: StaticServer, client: requests.Session, header: str, first: int, last: int
) -> None:
    r = client.get(f"{server.url}/feed.bin", headers={"Range": header}, timeout=5)
    assert r.status_code == 206
    assert r.headers["Content-Range"] == f"bytes {first}-{last}/{TOTAL}"
    assert r.headers["Content-Length"] == str(last - first + 1)
    assert r.content == DATA[first : last + 1]
    assert server.requests[-1] == ("GET", "/feed.bin", header, 206)


@pytest.mark.parametrize("header", [f"bytes={TOTAL}-", "bytes=99999-100000", "bytes=-0"])
def test_unsatisfiable_range_gives_416(
    server: StaticServer, client: requests.Session, header: str
) -> None:
    r = client.get(f"{server.url}/feed.bin", headers={"Range": header}, timeout=5)
    assert r.status_code == 416
    assert r.headers["Content-Range"] == f"bytes */{TOTAL}"
    assert r.content == b""


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-6", "bytes=5-3", "bytes=abc", "items=0-1", "bytes=1-2-3"]
)
def test_multiple_or_invalid_ranges_are_ignored(
    server: StaticServer, client: requests.Session, header: str
) -> None:
    r = client.get(f"{server.url}/feed.bin", headers={"Range": header}, timeout=5)
    assert r.status_code == 200
    assert "Content-Range" not in r.headers
    assert r.content == DATA


def test_parse_byte_range_edge_cases() -> None:
    assert parse_byte_range("bytes=-5", 0) is None  # empty file: send it whole
    assert parse_byte_range("bytes= 2-3 ", 10) == (2, 3)
    assert parse_byte_range("bytes=0-", 1) == (0, 0)


def test_if_range_must_match_the_current_etag(
    server: StaticServer, client: requests.Session
) -> None:
    url, rng = f"{server.url}/feed.bin", {"Range": "bytes=100-"}
    r = client.get(url, headers={**rng, "If-Range": etag_of(DATA)}, timeout=5)
    assert (r.status_code, r.content) == (206, DATA[100:])
    for stale in ['"0000"', "W/" + etag_of(DATA), "Wed, 21 Oct 2015 07:28:00 GMT"]:
        r = client.get(url, headers={**rng, "If-Range": stale}, timeout=5)
        assert (r.status_code, r.content) == (200, DATA), stale
    # A failing If-Range also overrides an unsatisfiable range.
    r = client.get(url, headers={"Range": "bytes=99999-", "If-Range": '"0000"'}, timeout=5)
    assert (r.status_code, r.content) == (200, DATA)


def test_rewritten_file_is_served_fresh(
    site: Path, server: StaticServer, client: requests.Session
) -> None:
    url = f"{server.url}/feed.bin"
    assert client.get(url, timeout=5).headers["ETag"] == etag_of(DATA)
    changed = DATA[::-1]  # same size, written within the same clock tick
    (site / "feed.bin").write_bytes(changed)
    r = client.get(url, headers={"Range": "bytes=100-", "If-Range": etag_of(DATA)}, timeout=5)
    assert (r.status_code, r.content) == (200, changed)
    assert r.headers["ETag"] == etag_of(changed)


def test_etag_is_cached_per_modification_time(
    site: Path, server: StaticServer, client: requests.Session
) -> None:
    old = time.time() - 3600
    os.utime(site / "feed.bin", (old, old))
    server.RACY_NS = 0  # the ctime is fresh; accept it for this test
    url = f"{server.url}/feed.bin"
    assert client.get(url, timeout=5).headers["ETag"] == etag_of(DATA)
    assert server.cached_etags == 1
    assert client.get(url, timeout=5).headers["ETag"] == etag_of(DATA)
    assert server.cached_etags == 1


@pytest.mark.parametrize(
    "target",
    [
        "/../etc/passwd",
        "/%2e%2e/x",
        "/../secret.txt",
        "/%2E%2E/secret.txt",
        "/sub/../../secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/sub/..%5c..%5csecret.txt",
        "/feed.bin%00",
        "/missing.bin",
        "/sub",
        "/sub/",
        "/",
    ],
)
def test_only_files_under_root_are_served(server: StaticServer, target: str) -> None:
    assert raw_get(server.url, target) == 404


def test_symlink_out_of_root_is_refused(site: Path, server: StaticServer) -> None:
    (site / "link.txt").symlink_to(site.parent / "secret.txt")
    assert raw_get(server.url, "/link.txt") == 404
    assert raw_get(server.url, "/sub/page.html?x=1") == 200


def test_keep_alive_survives_404_206_and_416(server: StaticServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", int(server.url.rsplit(":", 1)[1]), timeout=5)
    try:
        statuses = []
        for path, headers in [
            ("/missing", {}),
            ("/feed.bin", {"Range": "bytes=-10"}),
            ("/feed.bin", {"Range": "bytes=99999-"}),
            ("/empty.txt", {}),
        ]:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            statuses.append(resp.status)
            if len(statuses) == 1:
                first_socket = conn.sock
            assert conn.sock is first_socket  # no reconnect: one connection throughout
        assert statuses == [404, 206, 416, 200]
    finally:
        conn.close()


def test_other_methods_are_refused(server: StaticServer, client: requests.Session) -> None:
    r = client.post(f"{server.url}/feed.bin", data=b"x", timeout=5)
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD"


# --- proxy pass-through ----------------------------------------------------------------------


def test_proxy_passes_through(
    server: StaticServer, proxy: FaultProxy, client: requests.Session
) -> None:
    r = client.get(f"{proxy.url}/feed.bin?v=1", timeout=5)
    assert (r.status_code, r.content) == (200, DATA)
    assert r.headers["ETag"] == etag_of(DATA)
    assert r.headers["Content-Length"] == str(TOTAL)
    r = client.get(
        f"{proxy.url}/feed.bin",
        headers={"Range": "bytes=10-19", "If-Range": etag_of(DATA)},
        timeout=5,
    )
    assert (r.status_code, r.content) == (206, DATA[10:20])
    assert r.headers["Content-Range"] == f"bytes 10-19/{TOTAL}"
    r = client.head(f"{proxy.url}/feed.bin", timeout=5)
    assert (r.status_code, r.headers["Content-Length"]) == (200, str(TOTAL))
    assert client.get(f"{proxy.url}/nope", timeout=5).status_code == 404
    expected = [
        ("GET", "/feed.bin?v=1", None, 200),
        ("GET", "/feed.bin", "bytes=10-19", 206),
        ("HEAD", "/feed.bin", None, 200),
        ("GET", "/nope", None, 404),
    ]
    assert proxy.requests == expected
    assert server.requests == expected


def test_proxy_reports_dead_upstream_as_502(client: requests.Session) -> None:
    with socket.socket() as s:  # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with FaultProxy(f"http://127.0.0.1:{port}", timeout=1) as prx:
        assert client.get(f"{prx.url}/feed.bin", timeout=5).status_code == 502


# --- proxy faults ----------------------------------------------------------------------------


def test_drop_then_resume_with_range(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("drop", match="feed", times=1, after=3000)
    with client.get(f"{proxy.url}/feed.bin", stream=True, timeout=5) as r:
        assert r.headers["Content-Length"] == str(TOTAL)  # the real length was promised
        got = read_until_error(r)
    # requests may hold back the last partial chunk when the read fails: any prefix will do.
    assert 0 < len(got) <= 3000
    assert got == DATA[: len(got)]
    r = client.get(
        f"{proxy.url}/feed.bin",
        headers={"Range": f"bytes={len(got)}-", "If-Range": etag_of(DATA)},
        timeout=5,
    )
    assert r.status_code == 206
    assert got + r.content == DATA
    assert proxy.faulted == [("GET", "/feed.bin", "drop")]


def test_drop_sends_exactly_the_first_bytes(proxy: FaultProxy) -> None:
    proxy.set_fault("drop", after=3000)
    conn = http.client.HTTPConnection("127.0.0.1", int(proxy.url.rsplit(":", 1)[1]), timeout=5)
    try:
        conn.request("GET", "/feed.bin")
        resp = conn.getresponse()
        assert resp.getheader("Content-Length") == str(TOTAL)
        with pytest.raises(http.client.IncompleteRead) as info:
            resp.read()
    finally:
        conn.close()
    assert info.value.partial == DATA[:3000]


def test_drop_raises_in_requests(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("drop", after=10)
    with pytest.raises(
        (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError)
    ):
        client.get(f"{proxy.url}/feed.bin", timeout=5)
    proxy.clear()
    assert client.get(f"{proxy.url}/feed.bin", timeout=5).content == DATA


def test_stall_trips_the_read_timeout(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("stall", times=1, after=100, seconds=30)
    started = time.monotonic()
    with pytest.raises((requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError)):
        client.get(f"{proxy.url}/feed.bin", timeout=(2, 0.5))
    assert time.monotonic() - started < 5
    assert client.get(f"{proxy.url}/feed.bin", timeout=5).content == DATA
    # Closing the proxy wakes the stalled handler instead of waiting out its 30 s.
    started = time.monotonic()
    proxy.close()
    assert time.monotonic() - started < 3


def test_short_stall_delivers_everything(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("stall", after=100, seconds=0.3)
    started = time.monotonic()
    r = client.get(f"{proxy.url}/feed.bin", timeout=(2, 2))
    assert r.content == DATA
    assert time.monotonic() - started >= 0.3


def test_slow_trickles_the_body(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("slow", rate=20_000)
    started = time.monotonic()
    r = client.get(f"{proxy.url}/feed.bin", headers={"Range": "bytes=0-3999"}, timeout=5)
    elapsed = time.monotonic() - started
    assert (r.status_code, r.content) == (206, DATA[:4000])
    assert 0.15 <= elapsed < 3


def test_truncate_looks_complete(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("truncate", after=500)
    r = client.get(f"{proxy.url}/feed.bin", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Length"] == "500"
    assert r.content == DATA[:500]
    assert r.headers["ETag"] == etag_of(DATA)  # still claims to be the whole file


def test_corrupt_flips_one_byte(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("corrupt", offset=1234)
    body = client.get(f"{proxy.url}/feed.bin", timeout=5).content
    assert len(body) == TOTAL
    assert [i for i in range(TOTAL) if body[i] != DATA[i]] == [1234]
    assert body[1234] == DATA[1234] ^ 0xFF
    # An offset beyond the body changes nothing.
    proxy.set_fault("corrupt", offset=TOTAL)
    assert client.get(f"{proxy.url}/feed.bin", timeout=5).content == DATA


def test_append_adds_bytes(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("append", data=b"EXTRA")
    r = client.get(f"{proxy.url}/feed.bin", timeout=5)
    assert r.headers["Content-Length"] == str(TOTAL + 5)
    assert r.content == DATA + b"EXTRA"


def test_endless_body_is_cut_by_a_cap(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("endless", match="/feed.bin", times=1)
    cap = TOTAL + 200_000
    got = bytearray()
    with client.get(f"{proxy.url}/feed.bin", stream=True, timeout=5) as r:
        assert r.status_code == 200
        assert "Content-Length" not in r.headers
        assert r.headers["Connection"] == "close"
        for chunk in r.iter_content(8192):
            got += chunk
            if len(got) >= cap:
                break
    assert len(got) >= cap
    assert got[:TOTAL] == DATA
    assert client.get(f"{proxy.url}/feed.bin", timeout=5).content == DATA


def test_status_fault_skips_upstream(
    server: StaticServer, proxy: FaultProxy, client: requests.Session
) -> None:
    proxy.set_fault("status", code=503)
    r = client.get(f"{proxy.url}/feed.bin", timeout=5)
    assert (r.status_code, r.content) == (503, b"")
    portal = b"<html>log in first</html>"
    proxy.set_fault("status", code=200, body=portal)
    r = client.get(f"{proxy.url}/feed.bin", timeout=5)
    assert (r.status_code, r.content) == (200, portal)
    assert r.headers["Content-Type"].startswith("text/html")
    assert server.requests == []
    assert proxy.requests == [("GET", "/feed.bin", None, 503), ("GET", "/feed.bin", None, 200)]


def test_html_answers_every_request(
    server: StaticServer, proxy: FaultProxy, client: requests.Session
) -> None:
    proxy.set_fault("html")
    for path in ["/feed.bin", "/sub/page.html", "/missing"]:
        r = client.get(f"{proxy.url}{path}", headers={"Range": "bytes=0-9"}, timeout=5)
        assert r.status_code == 200
        assert r.headers["Content-Type"].startswith("text/html")
        assert b"<html>" in r.content
    assert client.head(f"{proxy.url}/feed.bin", timeout=5).status_code == 200
    assert server.requests == []


def test_match_and_times_limit_a_fault(proxy: FaultProxy, client: requests.Session) -> None:
    proxy.set_fault("status", match="feed", times=2, code=503)
    assert client.get(f"{proxy.url}/sub/page.html", timeout=5).status_code == 200
    codes = [client.get(f"{proxy.url}/feed.bin", timeout=5).status_code for _ in range(3)]
    assert codes == [503, 503, 200]


def test_head_neither_gets_nor_spends_a_body_fault(
    proxy: FaultProxy, client: requests.Session
) -> None:
    proxy.set_fault("truncate", times=1, after=5)
    r = client.head(f"{proxy.url}/feed.bin", timeout=5)
    assert r.headers["Content-Length"] == str(TOTAL)
    assert client.get(f"{proxy.url}/feed.bin", timeout=5).content == DATA[:5]
    assert client.get(f"{proxy.url}/feed.bin", timeout=5).content == DATA


@pytest.mark.parametrize(
    ("fault", "params"),
    [("nope", {}), ("drop", {}), ("html", {"code": 1}), ("slow", {"rate": 0})],
)
def test_bad_fault_is_refused(proxy: FaultProxy, fault: str, params: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        proxy.set_fault(fault, **params)
