"""Import of the bundled content into an empty data directory (budget: 3 s).

Measures what a new kiosk does on first start: validate and render the whole source, write the
media blobs, and commit the store. Prints each run and the median.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
from kiosk.paths import bundled_content_dir

BUDGET_SECONDS = 3.0


def one_run() -> tuple[float, float, int, int]:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        source = load_source(bundled_content_dir())
        loaded = time.perf_counter()
        store = ContentStore(Path(folder))
        import_source(store, source)
        done = time.perf_counter()
        store.close()
    translations = sum(len(item.translations) for item in source.items)
    return loaded - start, done - start, len(source.items), translations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    totals = []
    for number in range(1, runs + 1):
        load, total, items, translations = one_run()
        totals.append(total)
        print(
            f"run {number}: {items} items, {translations} translations: validate+render "
            f"{load * 1000:.0f} ms, total {total * 1000:.0f} ms"
        )
    median = statistics.median(totals)
    verdict = "within" if median <= BUDGET_SECONDS else "OVER"
    print(
        f"median {median * 1000:.0f} ms over {runs} runs; budget {BUDGET_SECONDS:.1f} s: "
        f"{verdict} budget"
    )
    return 0 if median <= BUDGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
