"""The take-away code: in the page's language, and readable by a phone from the screen."""

from __future__ import annotations

import pytest

from kiosk.content.takeaway import MAX_BYTES, MAX_VERSION, qr_code, takeaway_text
from ui.kiosk_window import KioskWindow

from .helpers.page import decoded_codes, screenshot, scroll_to
from .helpers.ui import open_item

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("lang", ["lo", "zh", "km"])
def test_the_code_carries_the_page_language(qtbot, window: KioskWindow, lang: str) -> None:
    asked: list[list[str]] = []
    resolver = window.item_screen.handler.resolver
    qr = resolver.qr
    assert qr is not None

    def recording(item_id: str, wanted: list[str]) -> bytes | None:
        asked.append(wanted)
        return qr(item_id, wanted)

    resolver.qr = recording
    open_item(qtbot, window, "evisa", lang)
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert asked[0][0] == lang


LANGUAGES = ("vi", "en", "zh", "lo", "km", "ko", "ru")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_phone_reads_the_code_off_the_screen(qtbot, window: KioskWindow, lang: str) -> None:
    """The page as the screen shows it, at half its resolution: a real decoder reads the
    take-away code and gets the page's own text back, in the page's language."""
    open_item(qtbot, window, "evisa", lang)
    item = window.store.item("evisa", "noi-bai", window.today())
    assert item is not None
    expected = takeaway_text(item, window.session.wanted_languages())
    assert expected.startswith(item.translations[lang].title)
    scroll_to(qtbot, window, "figure.takeaway img")
    # The engine paints the code a moment after it arrives: look until it is read, or fail.
    qtbot.waitUntil(lambda: expected in decoded_codes(screenshot(window)), timeout=10000)


def test_every_code_of_the_bundled_content_fits_the_budget(window: KioskWindow) -> None:
    """Every item in every language: a code no larger than version 15, whatever the script."""
    for gate in window.store.gates():
        for summary in window.store.items(gate.id, window.today()):
            item = window.store.item(summary.id, gate.id, window.today())
            assert item is not None
            for lang in item.translations:
                text = takeaway_text(item, [lang])
                assert len(text.encode("utf-8")) <= MAX_BYTES
                assert text.startswith(item.translations[lang].title), (item.id, lang)
                assert qr_code(text).version <= MAX_VERSION, (item.id, lang)
