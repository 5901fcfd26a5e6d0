"""The hub under slow and oversized clients, on the loopback interface only.

Starts ``kiosk hub serve`` (its own process, SQLite, a fresh folder; the open-file limit of a
systemd service, soft 1024) and measures:
1. its peak memory (VmHWM) while a 200 MB chunked body arrives without a token, then with a
   valid one;
2. the latency of a heartbeat while many clients hold connections that send their headers (from
   127.0.0.2) or their body (with a valid token, from 127.0.0.3) a little at a time;
3. the latency of heartbeats while one valid 3.5 MB batch is parsed and stored.
Every loop is bounded, every socket closed at the end; the hub process is stopped.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.hub.db import open_hub_db
from kiosk.hub.service import add_kiosk
from tests.hubkit import big_batch, connect, heartbeat, hub_process, stream_chunked

MB = 1_000_000


def peak_rss(pid: int) -> float:
    """The process's peak resident memory so far, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / MB
    return 0.0


def beat(hub: str, token: str, timeout: float = 30) -> float:
    """One heartbeat's latency in ms (the timeout's, if it got no answer)."""
    started = time.perf_counter()
    try:
        requests.post(
            f"{hub}/v1/heartbeat", json=heartbeat("noi-bai-1"), timeout=timeout,
            headers={"Authorization": f"Bearer {token}"},
        ).raise_for_status()  # fmt: skip
    except requests.RequestException as exc:
        print(f"  heartbeat failed: {str(exc)[:100]}")
        return timeout * 1000
    return (time.perf_counter() - started) * 1000


def memory(pid: int, port: int, token: str) -> None:
    print(f"peak RSS at start: {peak_rss(pid):.0f} MB")
    for label, sent_token in (("without a token", None), ("with a valid token", token)):
        began = time.perf_counter()
        answer, sent = stream_chunked(port, sent_token, 200 * MB)
        status = answer.split(b"\r\n", 1)[0].decode(errors="replace") or "(no answer)"
        print(f"200 MB chunked {label}: {status} after {sent / MB:.1f} MB sent, "
              f"{time.perf_counter() - began:.1f} s; peak RSS {peak_rss(pid):.0f} MB")  # fmt: skip


def slow_clients(hub: str, port: int, token: str, headers: int, bodies: int) -> None:
    held: list[socket.socket] = []
    refused = 0
    try:
        for n in range(headers + bodies):
            try:
                sock = connect(port, source="127.0.0.2" if n < headers else "127.0.0.3")
                if n < headers:
                    sock.sendall(b"POST /v1/heartbeat HTTP/1.1\r\nHost: hub\r\n")
                else:
                    sock.sendall(
                        b"POST /v1/heartbeat HTTP/1.1\r\nHost: hub\r\nContent-Length: 1000\r\n"
                        b"Authorization: Bearer " + token.encode() + b"\r\n\r\n{"
                    )
                held.append(sock)
            except OSError:
                refused += 1
        time.sleep(1)  # the hub takes them in
        latencies = [beat(hub, token, timeout=10) for _ in range(5)]
        print(f"heartbeat with {headers} slow-header and {bodies} slow-body clients connected "
              f"({refused} refused at connect): median {statistics.median(latencies):.0f} ms, "
              f"max {max(latencies):.0f} ms")  # fmt: skip
    finally:
        for sock in held:
            sock.close()


def big_batch_beside_heartbeats(hub: str, tokens: dict[str, str]) -> None:
    body = big_batch("lao-bao-1")
    done = threading.Event()
    took: list[float] = []

    def send() -> None:
        started = time.perf_counter()
        answer = requests.post(
            f"{hub}/v1/batches", data=body, timeout=120,
            headers={"Authorization": f"Bearer {tokens['lao-bao-1']}",
                     "Content-Type": "application/json"},
        )  # fmt: skip
        took.append(time.perf_counter() - started)
        print(f"  batch answered {answer.status_code} {answer.text[:60]}")
        done.set()

    sender = threading.Thread(target=send)
    sender.start()
    latencies: list[float] = []
    while not done.is_set() and len(latencies) < 10_000:
        latencies.append(beat(hub, tokens["noi-bai-1"], timeout=120))  # sent during the batch
    sender.join()
    print(f"{len(body) / MB:.1f} MB batch stored in {took[0]:.2f} s; {len(latencies)} heartbeats "
          f"meanwhile: median {statistics.median(latencies or [0]):.0f} ms, "
          f"max {max(latencies or [0]):.0f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slow-headers", type=int, default=1100)
    parser.add_argument("--slow-bodies", type=int, default=100)
    parser.add_argument("--open-files", type=int, default=1024, help="the hub's soft limit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        url = f"sqlite:///{folder}/hub.db"
        engine = open_hub_db(url)
        tokens = {k: add_kiosk(engine, k) for k in ("noi-bai-1", "lao-bao-1")}
        engine.dispose()
        import resource

        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        with hub_process(url, folder, files=(args.open_files, hard)) as hub:
            address = f"http://127.0.0.1:{hub.port}"
            memory(hub.pid, hub.port, tokens["noi-bai-1"])
            print(f"heartbeat alone: {beat(address, tokens['noi-bai-1']):.0f} ms")
            slow_clients(address, hub.port, tokens["noi-bai-1"], args.slow_headers,
                         args.slow_bodies)  # fmt: skip
            big_batch_beside_heartbeats(address, tokens)
    return 0


if __name__ == "__main__":
    sys.exit(main())
