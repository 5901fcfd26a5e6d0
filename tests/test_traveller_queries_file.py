"""The traveller query set is consistent with the bundled content it is scored against.

These checks read the data file and the authoring source only; they never run the search.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "benchmarks" / "traveller_queries.toml"
CONTENT = ROOT / "data" / "content"
DAY = dt.date(2026, 12, 1)
LABELS = {
    "question",
    "keyword",
    "body-word",
    "stem",
    "synonym",
    "typo",
    "no-tones",
    "pinyin",
    "no-spaces",
    "spelling-variant",
}
PER_LANGUAGE = 40
TOTAL = 400


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("+++"), path
    return tomllib.loads(text.split("+++", 2)[1])


def _items() -> dict[str, dict]:
    items = {}
    for meta in sorted((CONTENT / "items").glob("*/*/item.toml")):
        item = tomllib.loads(meta.read_text(encoding="utf-8"))
        item["titles"] = {
            md.stem: _front_matter(md)["title"] for md in sorted(meta.parent.glob("*.md"))
        }
        items[item["id"]] = item
    return items


ITEMS = _items()
SITE = tomllib.loads((CONTENT / "site.toml").read_text(encoding="utf-8"))
GATES = {
    gate["id"]: gate
    for gate in tomllib.loads((CONTENT / "gates.toml").read_text(encoding="utf-8"))["gate"]
}
CASES = tomllib.loads(QUERIES.read_text(encoding="utf-8"))["case"]


def _expected(case: dict) -> list[str]:
    expect = case["expect"]
    return [expect] if isinstance(expect, str) else list(expect)


def _label(case: dict) -> str:
    return f"[{case.get('lang')}@{case.get('gate')}] {case.get('query')!r}"


def test_every_case_has_its_fields() -> None:
    for case in CASES:
        assert set(case) == {"query", "lang", "gate", "expect", "why"}, _label(case)
        assert isinstance(case["query"], str) and case["query"].strip(), _label(case)
        assert case["query"] == case["query"].strip(), _label(case)
        assert case["why"] in LABELS, _label(case)
        expected = _expected(case)
        assert expected and all(isinstance(i, str) for i in expected), _label(case)
        assert len(set(expected)) == len(expected), _label(case)


def test_every_language_and_gate_is_offered() -> None:
    for case in CASES:
        assert case["lang"] in SITE["languages"], _label(case)
        assert case["gate"] in GATES, _label(case)
        assert case["lang"] in GATES[case["gate"]]["languages"], _label(case)


def test_every_expected_item_exists_is_shown_translated_and_valid() -> None:
    for case in CASES:
        for item_id in _expected(case):
            assert item_id in ITEMS, (_label(case), item_id)
            item = ITEMS[item_id]
            assert "*" in item["gates"] or case["gate"] in item["gates"], (_label(case), item_id)
            assert case["lang"] in item["titles"], (_label(case), item_id, "no translation")
            assert item.get("valid_from", DAY) <= DAY, (_label(case), item_id, "not yet valid")
            assert item.get("valid_until", DAY) >= DAY, (_label(case), item_id, "expired")


def test_enough_cases_per_language_and_in_total() -> None:
    counts = Counter(case["lang"] for case in CASES)
    for lang in SITE["languages"]:
        assert counts[lang] >= PER_LANGUAGE, (lang, counts[lang])
    assert len(CASES) >= TOTAL, len(CASES)


@pytest.mark.parametrize("lang", SITE["languages"])
def test_no_query_is_a_title(lang: str) -> None:
    titles = {item["titles"][lang].casefold() for item in ITEMS.values() if lang in item["titles"]}
    for case in CASES:
        if case["lang"] == lang:
            assert case["query"].casefold() not in titles, _label(case)


def test_no_case_is_repeated() -> None:
    keys = Counter((case["query"].casefold(), case["lang"], case["gate"]) for case in CASES)
    assert [key for key, n in keys.items() if n > 1] == []
