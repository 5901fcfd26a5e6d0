"""Traveller queries over the bundled content: success@1, success@5, MRR and zero results.

Reads the cases of ``traveller_queries.toml`` (query, interface language, gate, the item or
items that answer it, and a label of the case), loads the bundled content into a temporary
store, searches as the kiosk does with limit 10 on 2026-12-01, and prints the figures per
language and per label with the budgets beside them (success@5 >= 0.95 and zero-result rate
<= 2 % per language), then the overall figures. ``--failures`` lists the queries whose
expected item is not in the first five, with what came back. It is a report: the exit status
is always 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
from kiosk.paths import bundled_content_dir
from kiosk.search.engine import SearchEngine

QUERIES = Path(__file__).with_name("traveller_queries.toml")
DAY = dt.date(2026, 12, 1)
LIMIT = 10
AT = 5
BUDGET_SUCCESS = 0.95
BUDGET_ZERO = 0.02


@dataclass
class Outcome:
    case: dict
    rank: int | None  # best rank of any expected item, 1-based; None when not in the results
    returned: list[str]  # item ids in result order


def expected(case: dict) -> list[str]:
    expect = case["expect"]
    return [expect] if isinstance(expect, str) else list(expect)


def load_cases(path: Path = QUERIES) -> list[dict]:
    return tomllib.loads(path.read_text(encoding="utf-8"))["case"]


def evaluate(engine: SearchEngine, cases: list[dict]) -> list[Outcome]:
    outcomes = []
    for case in cases:
        hits = engine.search(case["query"], case["lang"], case["gate"], DAY, limit=LIMIT).hits
        ids = [hit.item_id for hit in hits]
        ranks = [ids.index(item_id) + 1 for item_id in expected(case) if item_id in ids]
        outcomes.append(Outcome(case, min(ranks) if ranks else None, ids))
    return outcomes


def figures(outcomes: list[Outcome]) -> tuple[int, float, float, float, float]:
    """Cases, success@1, success@5, MRR and zero-result rate."""
    n = len(outcomes)
    if not n:
        return 0, 0.0, 0.0, 0.0, 0.0
    at1 = sum(1 for o in outcomes if o.rank == 1) / n
    at5 = sum(1 for o in outcomes if o.rank is not None and o.rank <= AT) / n
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / n
    zero = sum(1 for o in outcomes if not o.returned) / n
    return n, at1, at5, mrr, zero


def report(outcomes: list[Outcome], key: str, budgets: bool) -> None:
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.case[key]].append(outcome)
    head = f"{key:<18} {'cases':>5} {'success@1':>10} {'success@5':>10} {'MRR':>6} {'zero':>7}"
    print(head + ("  budgets (success@5 >= 0.95, zero <= 2 %)" if budgets else ""))
    for name in sorted(groups):
        n, at1, at5, mrr, zero = figures(groups[name])
        line = f"{name:<18} {n:>5} {at1:>10.3f} {at5:>10.3f} {mrr:>6.3f} {zero:>6.1%}"
        if budgets:
            ok5 = "ok" if at5 >= BUDGET_SUCCESS else "OVER"
            ok0 = "ok" if zero <= BUDGET_ZERO else "OVER"
            line += f"  success@5 {ok5:<4} zero {ok0}"
        print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--failures", action="store_true", help="list the queries not in the first five"
    )
    args = parser.parse_args()
    cases = load_cases()
    with tempfile.TemporaryDirectory() as folder:
        store = ContentStore(Path(folder))
        import_source(store, load_source(bundled_content_dir()))
        outcomes = evaluate(SearchEngine(store), cases)
        store.close()
    print(f"{len(cases)} traveller queries, searched on {DAY.isoformat()} with limit {LIMIT}\n")
    report(outcomes, "lang", budgets=True)
    print()
    report(outcomes, "why", budgets=False)
    n, at1, at5, mrr, zero = figures(outcomes)
    print(
        f"\nall {n} queries: success@1 {at1:.3f}, success@5 {at5:.3f}, "
        f"MRR {mrr:.3f}, zero results {zero:.1%}"
    )
    if args.failures:
        print(f"\nnot in the first {AT}:")
        for outcome in outcomes:
            if outcome.rank is None or outcome.rank > AT:
                case = outcome.case
                got = ", ".join(outcome.returned[:AT]) or "nothing"
                print(
                    f"  [{case['lang']}@{case['gate']}] {case['query']!r} ({case['why']}) → "
                    f"{' | '.join(expected(case))} at {outcome.rank or 'none'}; got: {got}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
