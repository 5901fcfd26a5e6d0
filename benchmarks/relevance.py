"""Relevance of search over the bundled content: success@1, success@3 and MRR per language.

Reads the query → expected-item pairs of ``relevance_queries.toml`` (each with the interface
language, the gate and a label of the case), searches as the kiosk does on a fixed day inside
every bundled item's validity window, and prints the figures per language and per case label.
``--failures`` lists the queries whose expected item is not first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import tomllib
from collections import defaultdict
from pathlib import Path

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
from kiosk.paths import bundled_content_dir
from kiosk.search.engine import SearchEngine

QUERIES = Path(__file__).with_name("relevance_queries.toml")
DAY = dt.date(2026, 12, 1)


def evaluate(engine: SearchEngine, cases: list[dict[str, str]]) -> list[tuple[dict, int | None]]:
    ranks = []
    for case in cases:
        hits = engine.search(case["query"], case["lang"], case["gate"], DAY, limit=10).hits
        ids = [h.item_id for h in hits]
        ranks.append((case, ids.index(case["expect"]) + 1 if case["expect"] in ids else None))
    return ranks


def figures(ranks: list[tuple[dict, int | None]]) -> tuple[int, float, float, float]:
    n = len(ranks)
    at1 = sum(1 for _, r in ranks if r == 1) / n
    at3 = sum(1 for _, r in ranks if r is not None and r <= 3) / n
    mrr = sum(1 / r for _, r in ranks if r) / n
    return n, at1, at3, mrr


def report(ranks: list[tuple[dict, int | None]], key: str) -> None:
    groups: dict[str, list[tuple[dict, int | None]]] = defaultdict(list)
    for case, rank in ranks:
        groups[case[key]].append((case, rank))
    print(f"{key:<24} {'n':>4} {'success@1':>10} {'success@3':>10} {'MRR':>6}")
    for name in sorted(groups):
        n, at1, at3, mrr = figures(groups[name])
        print(f"{name:<24} {n:>4} {at1:>10.3f} {at3:>10.3f} {mrr:>6.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--failures", action="store_true", help="list queries not ranked first")
    args = parser.parse_args()
    cases = tomllib.loads(QUERIES.read_text(encoding="utf-8"))["case"]
    with tempfile.TemporaryDirectory() as folder:
        store = ContentStore(Path(folder))
        import_source(store, load_source(bundled_content_dir()))
        ranks = evaluate(SearchEngine(store), cases)
        store.close()
    report(ranks, "lang")
    print()
    report(ranks, "why")
    n, at1, at3, mrr = figures(ranks)
    print(f"\nall {n} queries: success@1 {at1:.3f}, success@3 {at3:.3f}, MRR {mrr:.3f}")
    if args.failures:
        print("\nnot first:")
        for case, rank in ranks:
            if rank != 1:
                print(
                    f"  [{case['lang']}] {case['query']!r} → {case['expect']} at "
                    f"{rank or 'none'} ({case['why']})"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
