"""Read at arm's length and understood without reading: type sizes per script, A+ on the whole
page, a word under every pictogram, one contrast switch, disabled controls that look disabled,
and the emergency numbers on every screen."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtGui import QColor, QFontInfo, QImage
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWidgets import QAbstractButton, QToolButton, QWidget

from kiosk.content.takeaway import MODULE_PX
from kiosk.i18n import gettext_for
from ui.help_bar import ASK_AN_OFFICER, NUMBERS
from ui.kiosk_window import CONTRAST_WORD, LOW_REACH_WORD, KioskWindow
from ui.style import BODY_PX

from .helpers.ui import open_item_by_tap, tap

pytestmark = pytest.mark.gui

PAGE_SIZES = """JSON.stringify({
  body: parseFloat(getComputedStyle(document.body).fontSize),
  line: parseFloat(getComputedStyle(document.body).lineHeight),
  h1: parseFloat(getComputedStyle(document.querySelector('h1')).fontSize),
  h2: parseFloat(getComputedStyle(document.querySelector('h2')).fontSize),
  qr: document.querySelector('figure.takeaway img').getBoundingClientRect().width,
  qr_natural: document.querySelector('figure.takeaway img').naturalWidth,
  contrast: document.body.classList.contains('contrast')
})"""


def page_sizes(qtbot: Any, window: KioskWindow) -> dict[str, Any]:
    with qtbot.waitCallback(timeout=5000) as callback:
        window.item_screen.view.page().runJavaScript(
            PAGE_SIZES, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback
        )
    return dict(json.loads(callback.args[0]))


def pixels(widget: QWidget) -> int:
    return QFontInfo(widget.font()).pixelSize()


def open_evisa(qtbot: Any, window: KioskWindow, lang: str) -> None:
    """From the start screen, by taps: language, Procedures, Visas, the e-visa page."""
    tap(qtbot, window.start_screen.buttons[lang])
    tap(qtbot, window.home_screen.tiles["procedures"])
    tap(qtbot, window.category_screen.buttons["visa"])
    open_item_by_tap(qtbot, window, window.category_screen.buttons["evisa"])


def test_lao_and_khmer_are_drawn_larger_than_latin(qtbot, window: KioskWindow) -> None:
    widget_px, page = {}, {}
    for lang in ("en", "lo", "km"):
        open_evisa(qtbot, window, lang)
        widget_px[lang] = pixels(window.crumbs)
        page[lang] = page_sizes(qtbot, window)
        tap(qtbot, window.language_button)
    assert page["en"]["body"] >= 24 and widget_px["en"] >= 24
    for lang in ("lo", "km"):
        assert widget_px[lang] >= 1.15 * widget_px["en"], widget_px
        assert page[lang]["body"] >= 1.15 * page["en"]["body"], page
        # Stacked vowels and tone marks need taller lines than Latin.
        assert page[lang]["line"] >= 1.7 * page[lang]["body"], page


def test_the_start_prompt_is_not_the_smallest_text(qtbot, window: KioskWindow) -> None:
    start = window.start_screen
    prompt = pixels(start.prompt)
    assert prompt >= 1.2 * BODY_PX
    assert prompt >= pixels(start.attract)
    assert prompt > pixels(window.help_bar.ask)


def test_larger_text_scales_title_headings_and_the_code(qtbot, window: KioskWindow) -> None:
    open_evisa(qtbot, window, "en")
    before = page_sizes(qtbot, window)
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
        tap(qtbot, window.item_screen.size_button)
    after = page_sizes(qtbot, window)
    for part in ("body", "h1", "h2"):
        assert after[part] >= 1.2 * before[part], (part, before, after)
    # The code is larger too, by a factor that keeps each module a whole number of pixels
    # (a phone must still read it: see test_takeaway_code).
    assert after["qr"] > before["qr"], (before, after)
    modules = before["qr_natural"] / MODULE_PX
    for sizes in (before, after):
        assert (sizes["qr"] / modules).is_integer(), sizes


def test_every_pictogram_has_a_word_in_the_chosen_language(qtbot, window: KioskWindow) -> None:
    open_evisa(qtbot, window, "vi")
    vi = gettext_for("vi")
    words = {
        window.back_button: vi("Back"),
        window.home_button: vi("Home"),
        window.contrast_button: vi(CONTRAST_WORD),
        window.reach_button: vi(LOW_REACH_WORD),
        window.language_button: "Tiếng Việt",
        window.item_screen.size_button: vi("Larger text"),
    }
    assert vi("Back") != "Back"  # the words are translated, not English everywhere
    for button, word in words.items():
        assert isinstance(button, QToolButton)
        assert button.text() == word
        assert button.toolButtonStyle() == button.toolButtonStyle().ToolButtonTextUnderIcon
        assert not button.icon().isNull(), word
        assert button.accessibleName()


def test_one_contrast_switch_for_the_window_and_the_page(qtbot, window: KioskWindow) -> None:
    open_evisa(qtbot, window, "en")
    switches = [
        w
        for w in window.findChildren(QAbstractButton)
        if w.isVisible() and w.accessibleName() == "High contrast"
    ]
    assert switches == [window.contrast_button]
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
        tap(qtbot, window.contrast_button)
    assert page_sizes(qtbot, window)["contrast"]
    assert window.help_bar.grab().toImage().pixelColor(2, 2).lightness() < 60
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
        tap(qtbot, window.contrast_button)
    assert not page_sizes(qtbot, window)["contrast"]
    assert window.help_bar.grab().toImage().pixelColor(2, 2).lightness() > 180


def _differing_share(one: QImage, other: QImage) -> float:
    assert one.size() == other.size()
    points = [(x, y) for x in range(0, one.width(), 2) for y in range(0, one.height(), 2)]
    differ = sum(
        1 for x, y in points if _distance(one.pixelColor(x, y), other.pixelColor(x, y)) > 24
    )
    return differ / len(points)


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())


def test_back_is_disabled_at_home_and_looks_it(qtbot, window: KioskWindow) -> None:
    tap(qtbot, window.start_screen.buttons["en"])
    assert not window.back_button.isEnabled()
    disabled = window.back_button.grab().toImage()
    tap(qtbot, window.home_screen.tiles["customs"])
    assert window.back_button.isEnabled()
    enabled = window.back_button.grab().toImage()
    # Not only a greyer glyph: the whole button changes (fill, border, word).
    assert _differing_share(disabled, enabled) > 0.3
    tap(qtbot, window.back_button)
    assert not window.back_button.isEnabled()


@pytest.mark.parametrize("lang", ["en", "lo", "ru"])
def test_emergency_numbers_and_help_on_every_screen(qtbot, window: KioskWindow, lang: str) -> None:
    def check(where: str, shown_in: str) -> None:
        bar = window.help_bar
        assert bar.isVisible(), where
        assert window.rect().contains(bar.geometry().translated(bar.parentWidget().pos())), where
        said = gettext_for(shown_in)
        assert bar.ask.text() == said(ASK_AN_OFFICER), where
        for (_icon, service, number), label, figure in zip(
            NUMBERS, bar.services, bar.numbers, strict=True
        ):
            assert figure.text() == number and figure.isVisible(), where
            assert label.text() == said(service), where
            assert figure.accessibleName() == f"{said(service)} {number}", where

    check("start", window.session.language)
    open_evisa(qtbot, window, lang)
    check("item", lang)
    tap(qtbot, window.home_button)
    check("home", lang)
    tap(qtbot, window.home_screen.search)
    check("search", lang)
    assert [n for _i, _s, n in NUMBERS] == ["113", "114", "115"]


def test_a_4k_screen_draws_everything_twice_as_large(qtbot, window: KioskWindow) -> None:
    open_evisa(qtbot, window, "en")
    text, icon = pixels(window.crumbs), window.back_button.iconSize().height()
    body = page_sizes(qtbot, window)["body"]
    window.resize(3840, 2160)
    qtbot.waitUntil(lambda: pixels(window.crumbs) == 2 * text, timeout=3000)
    assert window.back_button.iconSize().height() == 2 * icon
    assert window.item_screen.view.zoomFactor() == 2.0
    assert page_sizes(qtbot, window)["body"] == body  # the page is zoomed, not restyled
    # ... and stays zoomed on the next page the traveller opens.
    tap(qtbot, window.back_button)
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
        tap(qtbot, window.category_screen.buttons["evisa"])
    qtbot.waitUntil(lambda: page_width(qtbot, window) * 2 <= window.width(), timeout=3000)


def page_width(qtbot: Any, window: KioskWindow) -> float:
    """The page's width in CSS pixels: half the view's when the page is drawn twice as large."""
    with qtbot.waitCallback(timeout=5000) as callback:
        window.item_screen.view.page().runJavaScript(
            "window.innerWidth", QWebEngineScript.ScriptWorldId.ApplicationWorld, callback
        )
    return float(callback.args[0])
