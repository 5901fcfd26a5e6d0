"""Sync over a real HTTP server on localhost (with Range support) and a proxy that drops,
stalls, trickles, truncates and corrupts: bad links cost time, never content."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.sync import status as st

from .feedkit import FeedLab
from .feedserver import FaultProxy, StaticServer
from .helpers.content import noisy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[FeedLab]:
    made = FeedLab(tmp_path)
    yield made
    made.close()


@pytest.fixture
def served(lab: FeedLab) -> Iterator[tuple[FeedLab, StaticServer, FaultProxy]]:
    """A kiosk at revision 1 over HTTP, and revision 2 (a large delta) waiting on the feed."""
    noisy(lab, range(60), seed=1)
    lab.publish()
    with StaticServer(lab.feed) as server, FaultProxy(server.url) as proxy:
        assert lab.sync(feed=server.url).last_outcome == st.OK
        noisy(lab, range(25), seed=2)
        lab.publish()
        yield lab, server, proxy


def pack_of(lab: FeedLab) -> str:
    return "delta-000001-000002"


def test_sync_over_http_downloads_only_signed_files(served) -> None:
    lab, server, _proxy = served
    status = lab.sync(feed=server.url)
    assert status.last_outcome == st.OK, status.last_error
    assert "Noisy item 5 v2" in lab.titles().values()
    paths = [r.path for r in server.requests]
    assert any("delta-000001-000002" in p for p in paths)
    assert not any("snap-000002" in p for p in paths)


def test_a_dropped_connection_resumes_with_a_range_request(served) -> None:
    lab, server, proxy = served
    proxy.set_fault("drop", match="delta-000001-000002", times=2, after=100_000)
    status = lab.sync(feed=proxy.url)
    assert status.last_outcome == st.OK, status.last_error
    ranged = [r for r in server.requests if "delta-000001" in r.path and r.range]
    assert ranged and all(r.status == 206 for r in ranged)
    assert "Noisy item 24 v2" in lab.titles().values()


def test_a_download_cut_by_a_crash_resumes_in_the_next_process(served) -> None:
    lab, server, _proxy = served
    lab.close()
    crashed = _sync_process(lab, server.url, crash="sync:chunk#3")
    assert crashed.returncode == -9
    parts = list((lab.kiosk / "sync" / "staging" / "partial").glob("*.part"))
    have = max(p.stat().st_size for p in parts)
    assert have >= 64 * 1024
    server.requests.clear()
    done = _sync_process(lab, server.url)
    assert done.returncode == 0, done.stderr
    ranges = [r.range for r in server.requests if "delta-000001" in r.path]
    assert ranges == [f"bytes={have}-"]
    assert "Noisy item 24 v2" in lab.titles().values()


def _sync_process(lab: FeedLab, feed: str, crash: str = "") -> subprocess.CompletedProcess[str]:
    env = {"KIOSK_CRASH_AT": crash, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "sync", "--once", "--feed", feed,
         "--data-dir", str(lab.kiosk)],
        env=env, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fault", "params", "outcome", "why"),
    [
        ("truncate", {"after": 5000}, st.REJECTED, "does not match its signed length and hash"),
        ("corrupt", {"offset": 777}, st.REJECTED, "does not match its signed length and hash"),
        ("append", {"data": b"trailing bytes"}, st.REJECTED, "longer than its signed length"),
        ("endless", {}, st.REJECTED, "longer than its signed length"),
        ("status", {"code": 503}, st.OFFLINE, "HTTP 503"),
    ],
)
def test_a_damaged_download_is_refused_and_the_next_cycle_recovers(
    served,
    fault: str,
    params: dict[str, object],
    outcome: str,
    why: str,
) -> None:
    lab, _server, proxy = served
    before = lab.state()
    proxy.set_fault(fault, match="delta-000001-000002", **params)
    status = lab.sync(feed=proxy.url)
    assert status.last_outcome == outcome, status.last_error
    assert why in (status.last_error or "")
    assert lab.state() == before
    if outcome == st.REJECTED:  # bad bytes are never resumed from
        assert not list((lab.kiosk / "sync" / "staging").glob("partial/*.part"))
    proxy.clear()
    assert lab.sync(feed=proxy.url).last_outcome == st.OK
    assert "Noisy item 0 v2" in lab.titles().values()


def test_endless_metadata_is_cut_at_its_size_limit(served) -> None:
    lab, _server, proxy = served
    before = lab.state()
    proxy.set_fault("endless", match="timestamp.json")
    status = lab.sync(feed=proxy.url)
    assert status.last_outcome == st.REJECTED and "larger than allowed" in status.last_error
    assert lab.state() == before


def test_a_captive_portal_is_a_network_problem_not_an_attack(served) -> None:
    lab, _server, proxy = served
    before = lab.state()
    proxy.set_fault("html")
    status = lab.sync(feed=proxy.url)
    assert status.last_outcome == st.OFFLINE, status.last_error
    assert "captive portal" in (status.last_error or "")
    assert lab.state() == before


def test_a_stalled_server_times_out_and_keeps_content(served) -> None:
    lab, _server, proxy = served
    before = lab.state()
    proxy.set_fault("stall", match="delta-000001-000002", after=1000, seconds=5)
    status = lab.sync(feed=proxy.url, read_timeout=0.5)
    assert status.last_outcome == st.OFFLINE and "timed out" in status.last_error
    assert lab.state() == before


def test_slow_retrieval_gives_up_at_the_time_limit(served) -> None:
    lab, _server, proxy = served
    before = lab.state()
    proxy.set_fault("slow", match="delta-000001-000002", rate=2000)
    started = time.monotonic()
    status = lab.sync(feed=proxy.url, time_limit=2.0)
    assert status.last_outcome == st.OFFLINE and "time limit" in status.last_error
    assert time.monotonic() - started < 30
    assert lab.state() == before


def test_the_bandwidth_cap_holds(served) -> None:
    lab, server, _proxy = served
    started = time.monotonic()
    status = lab.sync(feed=server.url, bandwidth=100_000)
    elapsed = time.monotonic() - started
    assert status.last_outcome == st.OK
    # Whatever else is slow, a capped download cannot be faster than size / cap.
    assert elapsed >= status.downloaded_bytes / 100_000 * 0.9
    assert status.downloaded_bytes > 150_000
