"""The relevance evaluation over the bundled content stays where it was measured."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from kiosk.content.bundled import ensure_content
from kiosk.content.store import ContentStore
from kiosk.search.engine import SearchEngine

BENCHMARK = Path(__file__).resolve().parent.parent / "benchmarks" / "relevance.py"
spec = importlib.util.spec_from_file_location("relevance", BENCHMARK)
assert spec is not None and spec.loader is not None
relevance = importlib.util.module_from_spec(spec)
spec.loader.exec_module(relevance)


@pytest.fixture(scope="module")
def ranks(tmp_path_factory: pytest.TempPathFactory):
    store = ContentStore(tmp_path_factory.mktemp("relevance"))
    ensure_content(store)
    cases = tomllib.loads(relevance.QUERIES.read_text(encoding="utf-8"))["case"]
    assert len(cases) >= 150
    return relevance.evaluate(SearchEngine(store), cases)


def test_overall_figures(ranks) -> None:
    _n, at1, at3, mrr = relevance.figures(ranks)
    assert at1 >= 0.95 and at3 >= 0.97 and mrr >= 0.96, (at1, at3, mrr)


@pytest.mark.parametrize("lang", ["vi", "en", "zh", "lo", "km", "ko", "ru"])
def test_every_language_finds_its_items(ranks, lang: str) -> None:
    mine = [(case, rank) for case, rank in ranks if case["lang"] == lang]
    assert len(mine) >= 15
    _n, _at1, at3, mrr = relevance.figures(mine)
    assert at3 >= 0.95 and mrr >= 0.93, (lang, at3, mrr)
