"""A real hub on a free loopback port (in a thread, or as its own process), raw HTTP clients
that send slowly or too much, a large valid batch, and a self-signed certificate: for the hub's
network tests and benchmarks/hub_attack.py."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import resource
import secrets
import select
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import requests
from sqlalchemy import Engine

from kiosk.hub.service import create_app
from kiosk.hub.transport import Limits, hub_server

from .pgserver import free_port

ROOT = Path(__file__).resolve().parent.parent
HEAD = "ab" * 32


@contextmanager
def live_hub(
    engine: Engine, limits: Limits | None = None, *, tls: tuple[Path, Path] | None = None
) -> Iterator[int]:
    """The hub serving ``engine`` in a thread of this process; yields its port."""
    port = free_port()
    cert, key = tls or (None, None)
    server = hub_server(
        create_app(engine, limits), "127.0.0.1", port, limits, tls_cert=cert, tls_key=key,
        log_level="critical",
    )  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


class HubProcess(NamedTuple):
    port: int
    pid: int


@contextmanager
def hub_process(
    db_url: str, folder: Path, *, files: tuple[int, int] | None = None
) -> Iterator[HubProcess]:
    """``kiosk hub serve`` as its own process (``files``: its soft and hard limits on open
    files)."""
    port = free_port()

    def limit() -> None:
        if files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, files)

    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk.cli", "hub", "serve", "--db", db_url, "--port", str(port),
         "--data-dir", str(folder)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=limit,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                requests.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield HubProcess(port, process.pid)
    finally:
        process.terminate()
        process.wait(20)


def connect(port: int, source: str = "127.0.0.1") -> socket.socket:
    """A TCP connection to the hub from ``source`` (any 127.x.y.z address is this machine)."""
    sock = socket.socket()
    sock.bind((source, 0))
    sock.settimeout(10)
    sock.connect(("127.0.0.1", port))
    return sock


def stream_chunked(port: int, token: str | None, total: int) -> tuple[bytes, int]:
    """POSTs a chunked body of ``total`` bytes until the hub answers or closes the connection;
    returns the start of its answer and how many bytes of body were sent by then."""
    sock = connect(port)
    auth = f"Authorization: Bearer {token}\r\n".encode() if token else b""
    sock.sendall(
        b"POST /v1/batches HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n" + auth + b"\r\n"
    )
    piece = 64 * 1024
    chunk = b"%x\r\n" % piece + b"x" * piece + b"\r\n"
    sent = 0
    try:
        while sent < total and not select.select([sock], [], [], 0)[0]:
            sock.sendall(chunk)
            sent += piece
        if sent >= total:
            sock.sendall(b"0\r\n\r\n")
    except OSError:  # the hub closed the connection while the body was still coming
        pass
    try:
        return read_answer(sock), sent
    finally:
        sock.close()


def read_answer(sock: socket.socket) -> bytes:
    """What the hub sent until it closed the connection (or stopped for a second)."""
    answer = b""
    sock.settimeout(1)
    try:
        while data := sock.recv(65536):
            answer += data
    except OSError:
        pass
    return answer


def big_batch(kiosk_id: str, size: int = 3_500_000) -> bytes:
    """A valid batch of about ``size`` bytes: item cells, one per hour of a month."""
    rows, length = [], 200
    day = dt.date(2026, 3, 1)
    while length < size:
        n = len(rows)
        period = f"{day + dt.timedelta(days=n // 24 % 28)}T{n % 24:02d}"
        rows.append(
            f'{{"period": "{period}", "metric": "item", "dim1": "item-{n // 672}", '
            f'"dim2": "en", "value": {5 + n % 7}}}'
        )
        length += len(rows[-1]) + 2
    return (
        f'{{"schema_version": 1, "kiosk_id": "{kiosk_id}", "batch_id": "{secrets.token_hex(16)}",'
        f' "k": 5, "counts": [{", ".join(rows)}], "suppressed": [], "terms": []}}'
    ).encode()


def heartbeat(kiosk_id: str) -> dict[str, object]:
    return {
        "schema_version": 1, "kiosk_id": kiosk_id, "version": "0.1.0", "gate": "noi-bai",
        "revisions": {"national": 3}, "content_revision": 7, "last_sync": None,
        "last_outcome": "ok", "disk_free": 10**10, "audit_head": HEAD,
    }  # fmt: skip


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 and its key (PEM files in ``folder``)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "kiosk hub test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "hub.crt", folder / "hub.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path
