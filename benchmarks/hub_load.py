"""Hub ingestion under load: 1,000 kiosks × 24 hourly batches (24,000 requests).

Starts the hub (uvicorn, one process) on a fresh database, registers the kiosks, then sends
each kiosk's 24 batches from a pool of client threads, as a day of hourly uploads would arrive.
Prints throughput and latency percentiles; with ``--postgresql`` the hub writes to a real
PostgreSQL server started for the run (see tests/pgserver.py), otherwise to SQLite.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import requests
from figures import percentile

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.hub.db import open_hub_db
from kiosk.hub.service import add_kiosk
from tests.pgserver import free_port, postgresql


def batch(kiosk: str, hour: int) -> dict[str, object]:
    period = f"2026-03-14T{hour:02d}"
    rows = [{"period": period, "metric": "sessions", "dim1": "", "dim2": "", "value": 5 + hour}]
    rows += [
        {"period": "2026-03-14", "metric": "item", "dim1": f"item-{n}", "dim2": "en", "value": 5}
        for n in range(10)
    ]
    return {
        "schema_version": 1, "kiosk_id": kiosk, "batch_id": secrets.token_hex(16), "k": 5,
        "counts": rows, "suppressed": [{"period": "2026-03-14", "metric": "item", "value": 3}],
        "terms": [],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kiosks", type=int, default=1000)
    parser.add_argument("--hours", type=int, default=24)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = stack.enter_context(postgresql()) if args.postgresql else f"sqlite:///{folder}/hub.db"
        engine = open_hub_db(url)
        tokens = {f"kiosk-{n:04d}": add_kiosk(engine, f"kiosk-{n:04d}") for n in range(args.kiosks)}
        engine.dispose()
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "hub", "serve", "--db", url, "--port", str(port),
             "--data-dir", str(folder)],
            cwd=Path(__file__).resolve().parent.parent, env={**os.environ},
        )  # fmt: skip
        stack.callback(server.terminate)
        hub = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                requests.get(hub, timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        work = [(k, h) for h in range(args.hours) for k in tokens]
        local = __import__("threading").local()

        def send(job: tuple[str, int]) -> float:
            kiosk, hour = job
            if not hasattr(local, "session"):
                local.session = requests.Session()
            began = time.perf_counter()
            answer = local.session.post(
                f"{hub}/v1/batches", json=batch(kiosk, hour),
                headers={"Authorization": f"Bearer {tokens[kiosk]}"}, timeout=60,
            )  # fmt: skip
            answer.raise_for_status()
            return (time.perf_counter() - began) * 1000

        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            latencies = list(pool.map(send, work))
        took = time.perf_counter() - started
        store = "PostgreSQL" if args.postgresql else "SQLite"
        print(f"{len(work)} batches from {args.kiosks} kiosks into {store} in {took:.1f} s: "
              f"{len(work) / took:.0f} batches/s")  # fmt: skip
        p50, p95, p99 = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
        print(f"latency p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms, "
              f"mean {statistics.fmean(latencies):.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
