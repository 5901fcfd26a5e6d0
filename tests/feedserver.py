"""Local HTTP servers for download tests: a static file server and a fault-injecting proxy.

Standard library only. Both servers bind 127.0.0.1 on an ephemeral port, run in a background
thread, and are context managers:

    with StaticServer(root) as srv, FaultProxy(srv.url) as proxy:
        proxy.set_fault("drop", match="/feed", times=1, after=1000)
        ...  # fetch f"{proxy.url}/feed.bin" and assert on srv.requests / proxy.requests

Every request is recorded in ``.requests`` as ``(method, path, range_header_or_None, status)``.
Unexpected handler exceptions are kept in ``.errors`` instead of being printed.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import mimetypes
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import TCPServer
from typing import Any, NamedTuple, Self, cast
from urllib.parse import unquote, urlsplit

__all__ = [
    "FAULTS",
    "FaultProxy",
    "RangeNotSatisfiable",
    "RequestLog",
    "RequestRecord",
    "StaticServer",
    "parse_byte_range",
]

HOST = "127.0.0.1"
HTML_TYPE = "text/html; charset=utf-8"
HTML_PAGE = (
    b"<!doctype html>\n<html><head><title>Sign in</title></head>"
    b"<body><p>Please sign in to use this network.</p></body></html>\n"
)


class RequestRecord(NamedTuple):
    method: str
    path: str
    range: str | None
    status: int


class RequestLog(list[RequestRecord]):
    """A list of requests that server threads append to; read it with ``snapshot()``."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()

    def append(self, item: RequestRecord) -> None:
        with self._lock:
            super().append(item)

    def clear(self) -> None:
        with self._lock:
            super().clear()

    def snapshot(self) -> list[RequestRecord]:
        with self._lock:
            return list(self)


# --- byte ranges (RFC 9110 section 14) ---------------------------------------------------------


class RangeNotSatisfiable(Exception):
    """A well-formed single byte range that lies outside the representation."""


def _digits(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


def parse_byte_range(value: str, total: int) -> tuple[int, int] | None:
    """Return the inclusive ``(first, last)`` byte positions that ``value`` selects.

    ``None`` means "ignore the Range header and send the whole representation": another unit,
    a syntax error, several ranges, or a suffix range of an empty file. Raises
    ``RangeNotSatisfiable`` for a single valid range that selects no byte.
    """
    unit, sep, spec = value.partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    specs = [s.strip() for s in spec.split(",") if s.strip()]
    if len(specs) != 1:
        return None
    first_text, dash, last_text = specs[0].partition("-")
    if not dash:
        return None
    if first_text == "":  # suffix range: the last K bytes
        suffix = _digits(last_text)
        if suffix is None:
            return None
        if suffix == 0:
            raise RangeNotSatisfiable(value)
        if total == 0:
            return None
        return max(0, total - suffix), total - 1
    first = _digits(first_text)
    last = _digits(last_text) if last_text else total - 1
    if first is None or last is None or (last_text and last < first):
        return None
    if first >= total:
        raise RangeNotSatisfiable(value)
    return first, min(last, total - 1)


# --- server plumbing ---------------------------------------------------------------------------


class _HTTPServer(ThreadingHTTPServer):
    """Threading server that tracks open connections so that closing it never hangs."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, owner: _BackgroundServer, handler: type[BaseHTTPRequestHandler]) -> None:
        self.owner = owner
        self._open: set[socket.socket] = set()
        self._open_changed = threading.Condition()
        super().__init__((HOST, 0), handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind() calls getfqdn(), a reverse DNS lookup that can be slow.
        TCPServer.server_bind(self)
        self.server_name, self.server_port = HOST, self.server_address[1]

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_changed:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        super().shutdown_request(request)
        with self._open_changed:
            self._open.discard(request)
            self._open_changed.notify_all()

    def abort_connections(self, timeout: float) -> None:
        """Cut every open connection and wait (up to ``timeout``) for its handler to end."""
        with self._open_changed:
            for sock in self._open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            self._open_changed.wait_for(lambda: not self._open, timeout)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exception()
        if isinstance(exc, ConnectionError | TimeoutError):
            return  # the client went away: part of the game here
        if isinstance(exc, OSError) and self.owner.stopping.is_set():
            return
        if exc is not None:
            self.owner.errors.append(exc)


class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive handler: quiet, records every answered request."""

    protocol_version = "HTTP/1.1"
    timeout = 30  # safety net for clients that neither talk nor hang up
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server: _HTTPServer

    @property
    def owner(self) -> _BackgroundServer:
        return self.server.owner

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def record(self, status: int) -> None:
        """Log the request; called before the status line is sent, so a client sees it."""
        range_header = self.headers.get("Range")
        self.owner.requests.append(RequestRecord(self.command, self.path, range_header, status))

    def start_response(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.record(status)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()

    def reply(
        self, status: int, body: bytes = b"", content_type: str = "text/plain; charset=utf-8"
    ) -> None:
        """A complete response with a body (omitted for HEAD, 1xx, 204 and 304)."""
        headers: list[tuple[str, str]] = []
        if status >= 200 and status not in (204, 304):
            headers.append(("Content-Length", str(len(body))))
            if body:
                headers.append(("Content-Type", content_type))
        else:
            body = b""
        self.start_response(status, headers)
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_allowed(self) -> None:
        self.close_connection = True  # any request body stays unread
        self.record(405)
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed


class _BackgroundServer:
    """Owns an ``_HTTPServer`` and the thread that serves it."""

    handler_class: type[_Handler]

    def __init__(self) -> None:
        self.requests = RequestLog()
        self.errors: list[BaseException] = []
        self.stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError(f"{type(self).__name__} is not running")
        return f"http://{HOST}:{self._httpd.server_port}"

    def start(self) -> Self:
        if self._httpd is not None:
            return self
        self.stopping.clear()
        self._httpd = _HTTPServer(self, self.handler_class)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},  # shutdown() waits up to this long
            name=f"{type(self).__name__}-{self._httpd.server_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def close(self) -> None:
        httpd, thread = self._httpd, self._thread
        if httpd is None or thread is None:
            return
        self.stopping.set()  # wakes stalled and endless responses
        httpd.shutdown()
        httpd.abort_connections(timeout=5)
        httpd.server_close()
        thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


# --- static files ------------------------------------------------------------------------------


class _StaticHandler(_Handler):
    @property
    def site(self) -> StaticServer:
        return cast(StaticServer, self.owner)

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def _serve(self) -> None:
        target = self.site.resolve(self.path)
        if target is None:
            self.reply(404, b"not found\n")
            return
        try:
            with open(target, "rb") as f:
                st = os.fstat(f.fileno())
                data = f.read()
        except OSError:
            self.reply(404, b"not found\n")
            return
        total = len(data)
        etag = self.site.etag(target, st, data)
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        headers = [("ETag", etag), ("Accept-Ranges", "bytes"), ("Content-Type", content_type)]
        status, first, last = 200, 0, total - 1
        range_header = self.headers.get("Range")
        if range_header is not None and self._if_range_holds(etag):
            try:
                selected = parse_byte_range(range_header, total)
            except RangeNotSatisfiable:
                headers[-1] = ("Content-Range", f"bytes */{total}")
                self.start_response(416, [*headers, ("Content-Length", "0")])
                return
            if selected is not None:
                status, (first, last) = 206, selected
                headers.append(("Content-Range", f"bytes {first}-{last}/{total}"))
        body = data[first : last + 1]
        self.start_response(status, [*headers, ("Content-Length", str(len(body)))])
        if self.command != "HEAD":
            self.wfile.write(body)

    def _if_range_holds(self, etag: str) -> bool:
        """If-Range: a Range counts only when the strong validator still matches.

        A date never matches, as this server sends no Last-Modified; a weak tag never matches.
        """
        if_range = self.headers.get("If-Range")
        return if_range is None or if_range.strip() == etag


class StaticServer(_BackgroundServer):
    """Serves regular files under ``root`` (GET/HEAD, strong ETag, single byte ranges).

    Files are read on every request, so a test may rewrite them between requests.
    """

    handler_class = _StaticHandler
    RACY_NS = 2_000_000_000  # file times this recent may not change on the next write

    def __init__(self, root: str | os.PathLike[str]) -> None:
        super().__init__()
        self.root = Path(root).resolve()
        self._etags: dict[tuple[str, int, int, int, int], str] = {}
        self._etags_lock = threading.Lock()

    @property
    def cached_etags(self) -> int:
        """How many ETags the server keeps computed."""
        with self._etags_lock:
            return len(self._etags)

    def resolve(self, request_path: str) -> Path | None:
        """The regular file a request path names under ``root``, or None."""
        decoded = unquote(urlsplit(request_path).path)
        if "\0" in decoded or ".." in decoded.replace("\\", "/").split("/"):
            return None
        target = (self.root / decoded.lstrip("/")).resolve()
        if not target.is_relative_to(self.root) or not target.is_file():
            return None
        return target

    def etag(self, path: Path, st: os.stat_result, data: bytes) -> str:
        """Strong ETag of ``data``, cached per file and modification time.

        As with git's "racy clean" entries, a file changed within the last ``RACY_NS`` is
        hashed afresh each time: a rewrite in the same clock tick keeps its times.
        """
        key = (str(path), st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        with self._etags_lock:
            cached = self._etags.get(key)
        if cached is not None:
            return cached
        etag = f'"{hashlib.sha256(data).hexdigest()}"'
        if time.time_ns() - max(st.st_mtime_ns, st.st_ctime_ns) > self.RACY_NS:
            with self._etags_lock:
                self._etags[key] = etag
        return etag


# --- fault-injecting proxy ---------------------------------------------------------------------

# fault -> (required parameters, optional parameters)
FAULTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "drop": (frozenset({"after"}), frozenset()),
    "stall": (frozenset({"after", "seconds"}), frozenset()),
    "slow": (frozenset({"rate"}), frozenset()),
    "truncate": (frozenset({"after"}), frozenset()),
    "corrupt": (frozenset({"offset"}), frozenset()),
    "append": (frozenset({"data"}), frozenset()),
    "endless": (frozenset(), frozenset()),
    "status": (frozenset({"code"}), frozenset({"body"})),
    "html": (frozenset(), frozenset()),
}
# Faults that change a body: a HEAD request passes through them and does not count.
BODY_FAULTS = frozenset({"drop", "stall", "slow", "truncate", "corrupt", "append", "endless"})
RELAYED_HEADERS = ("Content-Type", "Content-Range", "Accept-Ranges", "ETag")
FORWARDED_HEADERS = ("Range", "If-Range")
JUNK = b"JUNK" * 4096


@dataclass
class _Fault:
    kind: str
    match: str
    remaining: int | None
    params: dict[str, Any] = field(default_factory=dict)


class _Upstream(NamedTuple):
    status: int
    headers: list[tuple[str, str]]
    length: str | None  # the upstream Content-Length, for HEAD
    body: bytes


class _ProxyHandler(_Handler):
    @property
    def proxy(self) -> FaultProxy:
        return cast(FaultProxy, self.owner)

    def do_GET(self) -> None:
        self._proxy()

    def do_HEAD(self) -> None:
        self._proxy()

    def _proxy(self) -> None:
        fault = self.proxy.take_fault(self.command, self.path)
        if fault is not None and fault.kind == "status":
            self.reply(int(fault.params["code"]), fault.params.get("body", b""), HTML_TYPE)
            return
        if fault is not None and fault.kind == "html":
            self.reply(200, HTML_PAGE, HTML_TYPE)
            return
        try:
            upstream = self.proxy.fetch(self.command, self.path, self.headers)
        except (OSError, http.client.HTTPException) as exc:
            self.reply(502, f"upstream failed: {exc!r}\n".encode())
            return
        if self.command == "HEAD":
            length = [("Content-Length", upstream.length)] if upstream.length else []
            self.start_response(upstream.status, [*upstream.headers, *length])
            return
        if fault is None:
            self._send(upstream.status, upstream.headers, upstream.body)
            return
        getattr(self, f"_fault_{fault.kind}")(upstream, **fault.params)

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.start_response(status, [*headers, ("Content-Length", str(len(body)))])
        self.wfile.write(body)

    def _start(self, upstream: _Upstream, length: int | None = None) -> None:
        """Status line and headers; Content-Length is the real one unless ``length`` is given."""
        size = len(upstream.body) if length is None else length
        self.start_response(upstream.status, [*upstream.headers, ("Content-Length", str(size))])

    def _abort(self) -> None:
        """Hang up without finishing the response."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _fault_drop(self, upstream: _Upstream, *, after: int) -> None:
        self._start(upstream)
        self.wfile.write(upstream.body[:after])
        self._abort()

    def _fault_stall(self, upstream: _Upstream, *, after: int, seconds: float) -> None:
        self._start(upstream)
        self.wfile.write(upstream.body[:after])
        if self.owner.stopping.wait(seconds):  # returns early when the proxy shuts down
            self._abort()
            return
        self.wfile.write(upstream.body[after:])

    def _fault_slow(self, upstream: _Upstream, *, rate: int) -> None:
        self._start(upstream)
        body, step = upstream.body, max(1, rate // 20)  # about 20 writes a second
        started = time.monotonic()
        for pos in range(0, len(body), step):
            piece = body[pos : pos + step]
            delay = started + (pos + len(piece)) / rate - time.monotonic()
            if delay > 0 and self.owner.stopping.wait(delay):
                self._abort()
                return
            self.wfile.write(piece)

    def _fault_truncate(self, upstream: _Upstream, *, after: int) -> None:
        body = upstream.body[:after]
        self._start(upstream, len(body))
        self.wfile.write(body)

    def _fault_corrupt(self, upstream: _Upstream, *, offset: int) -> None:
        body = bytearray(upstream.body)
        if 0 <= offset < len(body):
            body[offset] ^= 0xFF
        self._start(upstream)
        self.wfile.write(body)

    def _fault_append(self, upstream: _Upstream, *, data: bytes) -> None:
        self._start(upstream, len(upstream.body) + len(data))
        self.wfile.write(upstream.body + data)

    def _fault_endless(self, upstream: _Upstream) -> None:
        headers = [(k, v) for k, v in upstream.headers if k != "Content-Range"]
        self.start_response(200, [*headers, ("Connection", "close")])
        self.wfile.write(upstream.body)
        while not self.owner.stopping.is_set():
            self.wfile.write(JUNK)  # ends with BrokenPipe once the client hangs up


class FaultProxy(_BackgroundServer):
    """Reverse proxy to ``upstream`` (an http:// base URL) that injects faults on demand.

    GET and HEAD are forwarded with their path, query, Range and If-Range headers; status,
    Content-Length, Content-Range, Accept-Ranges, ETag, Content-Type and the body come back.
    One fault is active at a time, set with ``set_fault`` and removed with ``clear``.
    """

    handler_class = _ProxyHandler

    def __init__(self, upstream: str, *, timeout: float = 5.0) -> None:
        super().__init__()
        parts = urlsplit(upstream)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"upstream must be an http:// URL, not {upstream!r}")
        self.upstream = upstream
        self.timeout = timeout
        self._host, self._port = parts.hostname, parts.port or 80
        self._prefix = parts.path.rstrip("/")
        self._fault: _Fault | None = None
        self._fault_lock = threading.Lock()
        self.faulted: list[tuple[str, str, str]] = []  # (method, path, fault) when applied

    def set_fault(
        self, fault: str, *, match: str = "", times: int | None = None, **params: Any
    ) -> None:
        """Apply ``fault`` to requests whose path contains ``match``.

        With ``times``, only the first ``times`` such requests are affected. Parameters:
        drop(after), stall(after, seconds), slow(rate), truncate(after), corrupt(offset),
        append(data), endless(), status(code, body=b""), html(). Body faults leave HEAD alone.
        """
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {sorted(FAULTS)}")
        required, optional = FAULTS[fault]
        if missing := required - params.keys():
            raise ValueError(f"fault {fault!r} needs {sorted(missing)}")
        if unknown := params.keys() - required - optional:
            raise ValueError(f"fault {fault!r} does not take {sorted(unknown)}")
        if times is not None and times < 0:
            raise ValueError("times must be >= 0")
        if fault == "slow" and params["rate"] <= 0:
            raise ValueError("rate must be > 0")
        with self._fault_lock:
            self._fault = _Fault(fault, match, times, dict(params))

    def clear(self) -> None:
        """Remove the fault: requests pass through untouched."""
        with self._fault_lock:
            self._fault = None

    def take_fault(self, method: str, path: str) -> _Fault | None:
        """The fault that applies to this request, counting it against ``times``."""
        with self._fault_lock:
            fault = self._fault
            if fault is None or fault.match not in path:
                return None
            if method == "HEAD" and fault.kind in BODY_FAULTS:
                return None
            if fault.remaining is not None:
                if fault.remaining <= 0:
                    return None
                fault.remaining -= 1
            self.faulted.append((method, path, fault.kind))
            return _Fault(fault.kind, fault.match, fault.remaining, dict(fault.params))

    def fetch(self, method: str, path: str, inbound: Any) -> _Upstream:
        """One request to the upstream on a fresh connection, body read in full."""
        conn = http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)
        try:
            headers = {h: inbound[h] for h in FORWARDED_HEADERS if inbound.get(h) is not None}
            conn.request(method, self._prefix + path, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            relayed = [(h, v) for h in RELAYED_HEADERS if (v := resp.getheader(h)) is not None]
            return _Upstream(resp.status, relayed, resp.getheader("Content-Length"), body)
        finally:
            conn.close()
