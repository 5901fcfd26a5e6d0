"""The take-away code: in the page's language, and readable by a phone from the screen."""

from __future__ import annotations

import pytest

from kiosk.content.takeaway import MAX_BYTES, MAX_VERSION, qr_code, takeaway_text
from ui.kiosk_window import KioskWindow

from .helpers.page import elements
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
    """The page as the screen shows it, at half its resolution (a phone's camera about 40 cm
    from the glass sees each screen pixel about that size): a real decoder reads the code,
    and gets the page's own text back."""
    import zxingcpp
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    from .helpers.page import screenshot, scroll_to

    open_item(qtbot, window, "evisa", lang)
    scroll_to(qtbot, window, "figure.takeaway img")
    qtbot.waitUntil(
        lambda: bool(elements(qtbot, window, "figure.takeaway img", "e.naturalWidth")[0]),
        timeout=10000,
    )
    shot = screenshot(window)
    half = shot.scaled(
        shot.width() // 2, shot.height() // 2,
        Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation,
    )  # fmt: skip
    grey = half.convertToFormat(QImage.Format.Format_Grayscale8)
    luminance = bytes(grey.constBits())  # the decoder reads it in place: keep it alive
    pixels = zxingcpp.ImageView(
        luminance, grey.width(), grey.height(), zxingcpp.ImageFormat.Lum, grey.bytesPerLine()
    )
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(found) == 1, f"no code read in {lang}"
    item = window.store.item("evisa", "noi-bai", window.today())
    assert item is not None
    assert found[0].text == takeaway_text(item, window.session.wanted_languages())
    assert found[0].text.startswith(item.translations[lang].title)


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
