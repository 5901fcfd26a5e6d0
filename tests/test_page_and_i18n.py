"""Item pages speak the reader's language; every traveller-facing string is translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Message
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from kiosk.content.importer import import_source
from kiosk.content.page import item_page
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore

from .conftest import EXAMPLE

ROOT = Path(__file__).resolve().parent.parent
TRAVELLER_LANGUAGES = ["vi", "zh", "lo", "km", "ko", "ru"]
# Files whose strings a traveller reads (the rest are operator command-line messages).
# The interface: traveller screens, and the panel, PIN pad and assisted mode (translated alike).
TRAVELLER_FILES = [ROOT / "kiosk/content/page.py", *sorted((ROOT / "ui").glob("**/*.py"))]


def _messages(path: Path) -> set[str]:
    """The msgids marked in ``path`` (a plural sentence by its singular, as catalogs key it)."""
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    found = extract_from_file("python", str(path), keywords=keywords)
    return {
        message[0] if isinstance(message, tuple) else message
        for _line, message, _comments, _context in found
    }


@pytest.fixture
def evisa(store: ContentStore):
    import_source(store, load_source(EXAMPLE))
    return store.item("evisa", "noi-bai")


def test_page_labels_and_dates_follow_the_translation_language(evisa) -> None:
    page = item_page(evisa, ["vi"])
    assert '<html lang="vi">' in page
    assert "Trình tự thực hiện" in page and "Giấy tờ cần mang theo" in page
    assert "Cập nhật lần cuối: 1 tháng 6, 2025" in page
    assert 'class="fallback"' not in page


def test_missing_language_is_clearly_marked(evisa) -> None:
    page = item_page(evisa, ["ko", "en", "vi"])
    assert '<html lang="en">' in page
    assert "이 페이지는 선택하신 언어로 제공되지 않아 English(으)로 표시됩니다." in page
    assert "Steps" in page  # the labels match the English text they sit beside


def test_values_from_content_are_escaped(evisa) -> None:
    from dataclasses import replace

    tampered = replace(evisa.translations["en"], title="<img src=x onerror=alert(1)>")
    page = item_page(replace(evisa, translations={"en": tampered}), ["en"])
    assert "<img src=x" not in page and "&lt;img src=x" in page


def _translated(entry: Message) -> bool:
    forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(forms)


@pytest.mark.parametrize("lang", TRAVELLER_LANGUAGES)
def test_every_traveller_string_is_translated(lang: str) -> None:
    with (ROOT / f"i18n/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    needed = set().union(*(_messages(path) for path in TRAVELLER_FILES))
    assert needed, "no traveller-facing strings found"
    untranslated = sorted(m for m in needed if m not in catalog or not _translated(catalog[m]))
    assert untranslated == []


def test_template_is_up_to_date_with_the_code() -> None:
    with (ROOT / "i18n/messages.pot").open("rb") as handle:
        template = read_po(handle)
    in_code = set().union(
        *(_messages(p) for p in [*ROOT.glob("kiosk/**/*.py"), *ROOT.glob("ui/**/*.py")])
    )
    missing = sorted(m for m in in_code if m not in template)
    assert missing == [], "run the extract/update steps of the README"
