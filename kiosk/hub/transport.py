"""How the hub meets the network: bounded bodies, deadlines, a cap on connections, TLS.

uvicorn reads a request's headers without a deadline (its keep-alive timer starts only after
a first answer) and accepts connections until the process runs out of file descriptors, so a
few hundred clients that send their headers a byte at a time lock everyone else out. Here:
- ``HubProtocol``: the headers must be complete ``header_timeout`` seconds after the
  connection opened (or after the first byte of the next request on a kept-alive one), and so
  must a TLS handshake (``HubServer``); past ``max_connections``, a new connection closes the
  oldest one still sending its request, taken first from the address that holds the most
  connections, so one client cannot crowd the kiosks out.
- ``BodyLimits`` (ASGI): the body is counted while it arrives and refused (413) as soon as it
  is over the limit, chunked or not; it must arrive within ``body_timeout`` seconds (408).
  Any answer sent before the body was read in full closes the connection, so an unread body
  is never read afterwards.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import json
import logging
import resource
import socket
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h11
import uvicorn
from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

SPARE_DESCRIPTORS = 64  # for the database, log files and the listening socket
# Connections accepted at once before any of them is seen (asyncio accepts up to the listen
# backlog in one go): room kept for them, as a failed accept stops accepting for a second.
ACCEPT_BURST = 256
WARN_EVERY = 60.0  # seconds between two warnings about the connection cap
log = logging.getLogger("kiosk.hub")


@dataclass(frozen=True)
class Limits:
    max_body: int = 4_000_000
    header_timeout: float = 10.0
    body_timeout: float = 60.0
    keep_alive: int = 5
    max_connections: int = 1000


class BodyRefused(HTTPException):
    """The body is too large or too slow: answered at once, and the connection closed."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message, headers={"Connection": "close"})


class BodyLimits:
    """ASGI middleware: the request body read with a size cap and a deadline."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limits = self.limits
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        too_big = f"the request body is over {limits.max_body} bytes; send smaller batches"
        if declared is not None and (not declared.isdigit() or int(declared) > limits.max_body):
            await _answer(send, 413, too_big)
            return
        finished = declared in (None, b"0") and b"transfer-encoding" not in headers
        received = 0
        deadline = asyncio.get_running_loop().time() + limits.body_timeout

        async def limited_receive() -> Message:
            nonlocal finished, received
            if finished:
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyRefused(
                    408, f"the request body did not arrive within {limits.body_timeout:g} s"
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limits.max_body:
                    raise BodyRefused(413, too_big)
                finished = not message.get("more_body", False)
            return message

        async def closing_send(message: Message) -> None:
            if message["type"] == "http.response.start" and not finished:
                headers = [h for h in message.get("headers", ()) if h[0].lower() != _CLOSE[0]]
                message = {**message, "headers": [*headers, _CLOSE]}
            await send(message)

        await self.app(scope, limited_receive, closing_send)


_CLOSE = (b"connection", b"close")


async def _answer(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    headers = [(b"content-type", b"application/json"), _CLOSE]
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class HubConfig(uvicorn.Config):
    def __init__(self, app: ASGIApp, *, limits: Limits, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        self.limits = limits


class HubProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for headers and a cap on connections."""

    config: HubConfig
    last_warning = -WARN_EVERY  # shared by all connections: the cap is the server's

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.opened_at = self.loop.time()
        self.header_timer: asyncio.TimerHandle | None = None
        self._await_headers()
        self._make_room()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is h11.IDLE:
            self._await_headers()  # a new request has begun (its first bytes arrived)
        elif self.header_timer is not None:
            self.header_timer.cancel()
            self.header_timer = None

    def connection_lost(self, exc: Exception | None) -> None:
        if self.header_timer is not None:
            self.header_timer.cancel()
        super().connection_lost(exc)

    def _await_headers(self) -> None:
        if self.header_timer is None:
            self.header_timer = self.loop.call_later(
                self.config.limits.header_timeout, self.transport.close
            )

    @property
    def still_sending(self) -> bool:
        """The client has not sent its whole request yet (idle, headers or body)."""
        return self.conn.their_state in (h11.IDLE, h11.SEND_BODY)

    def _make_room(self) -> None:
        live = [c for c in self.connections if not c.transport.is_closing()]
        if len(live) <= self.config.limits.max_connections:
            return
        held = Counter(_address(c) for c in live)
        waiting = [c for c in live if c is not self and isinstance(c, HubProtocol)]
        waiting = [c for c in waiting if c.still_sending]
        if not waiting:
            self.transport.write(
                b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                b"Content-Length: 0\r\n\r\n"
            )
            self.transport.close()
            return
        victim = min(waiting, key=lambda c: (-held[_address(c)], c.opened_at))
        victim.transport.close()
        if self.loop.time() - HubProtocol.last_warning > WARN_EVERY:
            HubProtocol.last_warning = self.loop.time()
            log.warning(
                "%d connections open, the limit: closing the oldest still sending its request, "
                "from %s (%d connections from there)",
                len(live), _address(victim), held[_address(victim)],
            )  # fmt: skip


class HubServer(uvicorn.Server):
    """With TLS, the handshake gets the header deadline too (asyncio's default is 60 s, and a
    connection still in its handshake is not yet counted against the cap)."""

    config: HubConfig

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        if self.config.ssl is None:
            await super().startup(sockets)
            return
        loop = asyncio.get_running_loop()
        # uvicorn does not pass this argument through: the loop's method, for this call only.
        loop.create_server = functools.partial(  # type: ignore[method-assign]
            loop.create_server, ssl_handshake_timeout=self.config.limits.header_timeout
        )
        try:
            await super().startup(sockets)
        finally:
            del loop.create_server


def _address(protocol: Any) -> str:
    client = getattr(protocol, "client", None)
    return str(client[0]) if client else ""


def raise_descriptor_limit() -> int:
    """Lift the soft limit on open files to the hard one; returns the connections it allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY:
        hard = max(soft, 65536)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return max(hard - SPARE_DESCRIPTORS - ACCEPT_BURST, 1)


def hub_server(
    app: ASGIApp,
    host: str,
    port: int,
    limits: Limits | None = None,
    *,
    tls_cert: Path | None = None,
    tls_key: Path | None = None,
    log_level: str = "warning",
) -> uvicorn.Server:
    """The hub's HTTP(S) server: h11 with the limits above; TLS when a certificate is given."""
    limits = limits or Limits()
    allowed = min(limits.max_connections, raise_descriptor_limit())
    limits = dataclasses.replace(limits, max_connections=allowed)
    config = HubConfig(
        app, limits=limits, host=host, port=port, http=HubProtocol, log_level=log_level,
        timeout_keep_alive=limits.keep_alive, h11_max_incomplete_event_size=16 * 1024,
        backlog=ACCEPT_BURST, ws="none",
        ssl_certfile=tls_cert, ssl_keyfile=tls_key, lifespan="off",
    )  # fmt: skip
    return HubServer(config)
