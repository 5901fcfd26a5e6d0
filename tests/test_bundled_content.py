"""The bundled default content (SPEC §3.3) is complete, correct in form, and shown on first run."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from kiosk.content.bundled import ensure_content
from kiosk.content.source import Source, load_source
from kiosk.content.store import ContentStore
from kiosk.paths import bundled_content_dir

BASE_LANGUAGES = {"vi", "en", "zh", "lo", "km"}
AIRPORT_LANGUAGES = BASE_LANGUAGES | {"ko", "ru"}
DEMO_DAY = dt.date(2026, 12, 1)  # inside the bundled urgent notice's window
# The script each language is written in, as Unicode character-name prefixes.
SCRIPTS = {
    "lo": "LAO",
    "km": "KHMER",
    "zh": "CJK",
    "ko": "HANGUL",
    "ru": "CYRILLIC",
    "vi": "LATIN",
    "en": "LATIN",
}


@pytest.fixture(scope="module")
def source() -> Source:
    return load_source(bundled_content_dir())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> ContentStore:
    store = ContentStore(tmp_path_factory.mktemp("bundled"))
    ensure_content(store)
    return store


def test_at_least_sixty_items_in_every_category(source: Source, demo: ContentStore) -> None:
    assert len(source.items) >= 60
    used = {item.category for item in source.items}
    leaves = {c.id for c in source.categories} - {c.parent for c in source.categories}
    assert leaves <= used, f"categories without items: {leaves - used}"
    for gate in demo.gates():
        assert len(demo.items(gate.id, DEMO_DAY)) >= 25, gate.id


def test_every_item_speaks_the_base_languages(source: Source) -> None:
    for item in source.items:
        assert set(item.translations) >= BASE_LANGUAGES, item.id


def test_items_shown_at_the_airport_also_speak_korean_and_russian(source: Source) -> None:
    airport = [i for i in source.items if "*" in i.gates or "noi-bai" in i.gates]
    assert len(airport) >= 30
    for item in airport:
        assert set(item.translations) >= AIRPORT_LANGUAGES, item.id


def test_three_kinds_of_gate_profile(source: Source) -> None:
    gates = {g.id: g for g in source.gates}
    assert any(g.type == "road" and g.country == "CN" for g in gates.values())
    assert any(g.type == "road" and g.country in ("LA", "KH") for g in gates.values())
    airport = [g for g in gates.values() if g.type == "air"]
    assert airport and {"ko", "ru"} <= set(airport[0].languages)
    for gate in gates.values():
        assert set(gate.names) >= AIRPORT_LANGUAGES, gate.id


def test_urgent_expired_and_future_notices(source: Source, demo: ContentStore) -> None:
    urgent = demo.urgent_notices("mong-cai", DEMO_DAY)
    assert len(urgent) >= 1
    expired = [i for i in source.items if i.valid_until and i.valid_until < DEMO_DAY]
    future = [i for i in source.items if i.valid_from and i.valid_from > DEMO_DAY]
    assert expired and future
    for item in expired + future:
        for gate in demo.gates():
            assert demo.item(item.id, gate.id, DEMO_DAY) is None, (item.id, gate.id)


def test_items_carry_images(source: Source, demo: ContentStore) -> None:
    with_media = [i for i in source.items if i.media]
    assert len(with_media) >= 15
    for item in with_media:
        for media in item.media.values():
            found = demo.media(media.sha256)
            assert found is not None and found[0].stat().st_size == media.size


def _letters(text: str) -> list[str]:
    return [ch for ch in re.sub(r"<[^>]+>", " ", text) if ch.isalpha()]


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_each_translation_is_written_in_its_own_script(source: Source, lang: str) -> None:
    script = SCRIPTS[lang]
    for item in source.items:
        translation = item.translations.get(lang)
        if translation is None:
            continue
        text = " ".join(
            [
                translation.title,
                translation.summary,
                translation.body_html,
                *translation.details.get("steps", []),
            ]
        )
        letters = _letters(text)
        own = sum(1 for ch in letters if unicodedata.name(ch, "").startswith(script))
        assert letters and own / len(letters) >= 0.6, (item.id, lang, own, len(letters))


def test_vietnamese_has_its_tone_marks(source: Source) -> None:
    for item in source.items:
        text = item.translations["vi"].title + item.translations["vi"].summary
        assert re.search(r"[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]", text, re.I), item.id


def test_procedures_have_the_same_structure_in_every_language(source: Source) -> None:
    for item in source.items:
        if item.kind != "procedure":
            continue
        shapes = {
            lang: (
                len(t.details.get("steps", [])),
                len(t.details.get("documents", [])),
                tuple(sorted(t.details)),
            )
            for lang, t in item.translations.items()
        }
        assert len(set(shapes.values())) == 1, (item.id, shapes)
        assert shapes["en"][0] >= 2, item.id


def test_first_run_imports_the_bundled_content_once(tmp_path: Path) -> None:
    store = ContentStore(tmp_path)
    first = ensure_content(store)
    assert first is not None and first.revision == 1 and len(first.added) >= 60
    assert ensure_content(store) is None
    store.close()
