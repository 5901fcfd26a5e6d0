"""The synthetic benchmark corpus (benchmarks/corpus.py): shape, scripts, lengths, determinism."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.source.records import KINDS, Source
from kiosk.content.store import ContentStore
from kiosk.paths import bundled_content_dir

LANGUAGES = ("vi", "en", "zh", "lo", "km", "ko")
SPACED = ("vi", "en", "ko")
ITEMS = 200
TAG = re.compile(r"<[^>]+>")
SCRIPT = {
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "lo": re.compile(r"[\u0e80-\u0eff]"),
    "km": re.compile(r"[\u1780-\u17ff]"),
    "ko": re.compile(r"[\uac00-\ud7a3]"),
}
# Characters a text of each language may hold besides spaces and sentence punctuation.
ONLY = {
    "zh": re.compile(r"^[\u4e00-\u9fff，。]+$"),
    "lo": re.compile(r"^[\u0e80-\u0eff .\-]+$"),
    "km": re.compile(r"^[\u1780-\u17ff \u200b។\-]+$"),
    "ko": re.compile(r"^[\uac00-\ud7a3 .\-]+$"),
}


def _load_corpus() -> ModuleType:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus.py"
    spec = importlib.util.spec_from_file_location("benchmark_corpus", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus()


@pytest.fixture(scope="module")
def source() -> Source:
    return corpus.generate_source(ITEMS)


def _text(html: str) -> str:
    return TAG.sub(" ", html).strip()


def _paragraphs(html: str) -> list[str]:
    return re.findall(r"<p>(.*?)</p>", html)


def test_items_have_unique_ids_and_real_structure(source: Source) -> None:
    bundled = load_source(bundled_content_dir())
    assert len(source.items) == ITEMS
    assert len({i.id for i in source.items}) == ITEMS
    assert all(re.fullmatch(r"g\d+", i.id) for i in source.items)
    assert source.site == bundled.site
    assert [c.id for c in source.categories] == [c.id for c in bundled.categories]
    assert [g.id for g in source.gates] == [g.id for g in bundled.gates]
    categories = {c.id for c in bundled.categories}
    gates = {"*"} | {g.id for g in bundled.gates}
    for item in source.items:
        assert item.kind in KINDS and item.category in categories
        assert item.gates and set(item.gates) <= gates
        assert item.audiences == ["visitor"] and 0 <= item.priority <= 100
        assert not item.urgent and not item.sensitive and item.source == "Benchmark"
        assert item.updated is not None and item.media == {}
        if item.valid_from and item.valid_until:
            assert item.valid_from <= item.valid_until
    assert sum(i.gates == ["*"] for i in source.items) > ITEMS * 0.7
    assert sum(i.valid_from is None for i in source.items) > ITEMS * 0.8


def test_every_item_has_every_language(source: Source) -> None:
    for item in source.items:
        assert tuple(item.translations) == LANGUAGES
        for lang, tr in item.translations.items():
            assert tr.lang == lang and tr.title and tr.summary and tr.body_html


def test_text_is_in_the_script_of_its_language(source: Source) -> None:
    for item in source.items:
        for lang, pattern in SCRIPT.items():
            tr = item.translations[lang]
            steps = tr.details.get("steps", [])
            for text in (tr.title, tr.summary, *_paragraphs(tr.body_html), *tr.keywords, *steps):
                assert pattern.search(text), (lang, text)
                assert ONLY[lang].match(text), (lang, text)  # zh: no spaces at all
    bodies = {
        lang: " ".join(i.translations[lang].body_html for i in source.items) for lang in LANGUAGES
    }
    assert re.search(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", bodies["vi"])
    assert "\u200b" in bodies["km"]
    words = _text(bodies["ko"]).replace(".", " ").split()
    particles = ("을", "를", "이", "가", "은", "는", "에서", "으로", "로")
    share = sum(w.endswith(particles) for w in words) / len(words)
    assert 0.3 < share < 0.6, share


def test_lengths_are_realistic(source: Source) -> None:
    for item in source.items:
        for lang, tr in item.translations.items():
            assert 2 <= len(tr.keywords) <= 5
            if item.kind == "procedure":
                assert 3 <= len(tr.details["steps"]) <= 6
            else:
                assert tr.details == {}
            assert tr.body_html.startswith("<p>") and tr.body_html.endswith("</p>\n")
            if lang in SPACED:
                assert 4 <= len(tr.title.split()) <= 10, tr.title
                assert 12 <= len(tr.summary.split()) <= 25, tr.summary
                assert 60 <= len(_text(tr.body_html).split()) <= 200
            else:
                assert 4 <= len(tr.title) <= 100
                assert 12 <= len(tr.summary) <= 300
                assert 60 <= len(_text(tr.body_html)) <= 2500


def test_each_item_carries_a_concept_in_every_language(source: Source) -> None:
    concepts = corpus.concepts(LANGUAGES)
    assert len(concepts) >= 20
    for item in source.items:
        assert any(
            all(c[lang] in item.translations[lang].title for lang in LANGUAGES) for c in concepts
        ), item.id


def test_the_same_seed_gives_the_same_corpus(source: Source) -> None:
    again = corpus.generate_source(ITEMS)
    assert [i.digest() for i in again.items] == [i.digest() for i in source.items]
    other = corpus.generate_source(ITEMS, seed=7)
    assert [i.digest() for i in other.items] != [i.digest() for i in source.items]


def test_other_language_sets(tmp_path: Path) -> None:
    small = corpus.generate_source(5, languages=("en", "ru"), seed=3)
    assert all(tuple(i.translations) == ("en", "ru") for i in small.items)
    assert re.search(r"[\u0400-\u04ff]", small.items[0].translations["ru"].title)
    with pytest.raises(ValueError):
        corpus.generate_source(5, languages=("xx-unknown",))


def test_the_corpus_imports_into_a_fresh_store(source: Source, tmp_path: Path) -> None:
    store = ContentStore(tmp_path)
    try:
        report = import_source(store, source)
        assert len(report.added) == ITEMS and report.revision == 1
    finally:
        store.close()


def test_query_streams(source: Source) -> None:
    streams = corpus.query_streams(source, per_language=10)
    assert streams == corpus.query_streams(source, per_language=10)
    assert {lang for lang, _, _ in streams} == set(LANGUAGES)
    assert {kind for _, _, kind in streams} == {"prefix", "word"}
    for lang, query, kind in streams:
        assert query and not query[0].isspace(), (lang, query)
        if kind == "prefix":
            assert len(query) <= 14
    words = {lang: sum(k == "word" for lg, _, k in streams if lg == lang) for lang in LANGUAGES}
    assert all(10 <= n <= 20 for n in words.values()), words
    zh = [q for lang, q, _ in streams if lang == "zh"]
    assert any(q.isascii() for q in zh) and any(SCRIPT["zh"].search(q) for q in zh)
    vi = {q for lang, q, _ in streams if lang == "vi"}
    assert any(corpus.fold(q) != q and corpus.fold(q) in vi for q in vi)  # also without marks
    # Typed keystroke by keystroke: each prefix is followed by the next longer one.
    first = [q for lang, q, k in streams if lang == "en" and k == "prefix"][:2]
    assert first[1].startswith(first[0]) and len(first[0]) == 1
