"""Search at scale (SPEC §6): 50,000 items × 6 languages, as-you-type and full-word queries.

Generates a synthetic corpus in the real scripts (see corpus.py), imports and indexes it into an
empty store, then replays query streams: every prefix of each target phrase as typed, and full
words. Prints index build time, database size, peak memory and p50/p95/p99 engine latency.
Budgets: search p95 ≤ 20 ms and p99 ≤ 50 ms; import and index ≤ 120 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import corpus  # beside this file: benchmarks/ is on sys.path when run as a script
from figures import percentile

from kiosk.content import index as search_index
from kiosk.content.importer import import_source
from kiosk.content.store import DB_NAME, ContentStore
from kiosk.search.engine import SearchEngine

DAY = dt.date(2026, 12, 1)


def line(name: str, values: list[float]) -> str:
    return (
        f"{name:<16} n={len(values):>6}  p50 {percentile(values, 0.50):6.2f} ms  "
        f"p95 {percentile(values, 0.95):6.2f} ms  p99 {percentile(values, 0.99):6.2f} ms  "
        f"max {max(values):7.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--queries-per-language", type=int, default=40)
    parser.add_argument("--gate", default="noi-bai")
    args = parser.parse_args()

    started = time.perf_counter()
    source = corpus.generate_source(args.items)
    translations = sum(len(i.translations) for i in source.items)
    print(
        f"generated {len(source.items)} items, {translations} translations in "
        f"{time.perf_counter() - started:.1f} s"
    )
    with tempfile.TemporaryDirectory() as folder:
        store = ContentStore(Path(folder))
        started = time.perf_counter()
        import_source(store, source)
        import_seconds = time.perf_counter() - started
        print(f"import and index: {import_seconds:.1f} s (budget 120 s)")
        with store.engine.execution_options(immediate=True).begin() as conn:
            started = time.perf_counter()
            search_index.rebuild(conn)
            print(f"index rebuild alone: {time.perf_counter() - started:.1f} s")
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar() or 0
            free = conn.exec_driver_sql("PRAGMA freelist_count").scalar() or 0
        size = (Path(folder) / DB_NAME).stat().st_size
        print(f"database: {size / 1e6:.0f} MB ({(pages - free) * 4096 / 1e6:.0f} MB in use)")

        streams = corpus.query_streams(source, per_language=args.queries_per_language)
        engine = SearchEngine(store)
        for lang, query, _kind in streams[:200]:  # warm the page cache and the analysers
            engine.search(query, lang, args.gate, DAY)
        timings: dict[str, list[float]] = defaultdict(list)
        for lang, query, kind in streams:
            began = time.perf_counter()
            engine.search(query, lang, args.gate, DAY)
            took = (time.perf_counter() - began) * 1000
            timings["all"].append(took)
            timings[kind].append(took)
            timings[f"lang {lang}"].append(took)
        store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS): {peak:.0f} MB")
    for name in ["all", "prefix", "word", *sorted(k for k in timings if k.startswith("lang"))]:
        if timings.get(name):
            print(line(name, timings[name]))
    all_ms = timings["all"]
    verdict = (
        percentile(all_ms, 0.95) <= 20 and percentile(all_ms, 0.99) <= 50 and import_seconds <= 120
    )
    print(f"median {statistics.median(all_ms):.2f} ms; budgets {'met' if verdict else 'NOT met'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    raise SystemExit(main())
