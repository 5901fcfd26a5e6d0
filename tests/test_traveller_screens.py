"""The start, home and search screens as a traveller meets them: what the kiosk is for in every
offered language, a tap anywhere to start, pictograms, result summaries and the Search key."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QScrollArea, QWidget

from kiosk.i18n import gettext_for
from tests.helpers.ui import tap
from ui.icons import glyph, icon
from ui.screens.start import CHOOSE, PURPOSE, TOUCH

DAY = dt.date(2026, 12, 1)
SHAPES = [(1920, 1080), (1080, 1920)]


def rect_in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def finger(window: QWidget, point: QPoint) -> None:
    """A tap at ``point`` of the window, delivered as real input is (through its QWindow)."""
    QTest.mouseClick(
        window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )


# -- T10: the start screen -------------------------------------------------------------------
def test_the_start_screen_says_what_the_kiosk_is_for_in_every_offered_language(
    qtbot, window
) -> None:
    start, gate = window.start_screen, window.gate
    seen = {}
    for _ in gate.languages:
        seen[start.gate_name.text()] = (start.purpose.text(), start.touch.text())
        start.advance()
    for lang in gate.languages:
        say = gettext_for(lang)
        assert gate.names[lang] in seen, f"the gate's name in {lang}"
        assert seen[gate.names[lang]] == (say(PURPOSE), say(TOUCH)), lang
        assert start.welcome.isVisible()


def test_a_tap_anywhere_on_the_start_screen_calls_for_the_language(qtbot, window) -> None:
    start = window.start_screen
    qtbot.waitExposed(window)
    start._choice_timer.setInterval(1000)  # a traveller who taps and walks away, soon
    for where in (start.welcome, start):  # the welcome card, then a bare spot of the screen
        qtbot.waitUntil(start.welcome.isVisible, timeout=3000)
        point = (
            rect_in_window(where, window).center()
            if where is start.welcome
            else rect_in_window(start, window).topLeft() + QPoint(20, start.height() // 2)
        )
        finger(window, point)
        qtbot.waitUntil(start.choose_prompt.isVisible, timeout=3000)
        for lang in window.gate.languages:
            assert gettext_for(lang)(CHOOSE) in start.choose_prompt.text()
        assert all(b.property("called") is True for b in start.buttons.values())
        assert window.stack.currentWidget() is start  # nothing started in a language not chosen
    start._choice_timer.stop()
    tap(qtbot, start.buttons["zh"])
    assert window.session.language == "zh" and window.stack.currentWidget() is window.home_screen
    window.session.reset()
    qtbot.waitUntil(start.welcome.isVisible, timeout=3000)  # the next traveller: the welcome
    assert not start.choose_prompt.isVisible()
    finger(window, rect_in_window(start.welcome, window).center())
    qtbot.waitUntil(start.choose_prompt.isVisible, timeout=3000)
    window.session.reset()  # the idle reset, on the start screen itself
    assert start.welcome.isVisible() and not start.choose_prompt.isVisible()
    assert all(not b.property("called") for b in start.buttons.values())


def test_no_glyph_is_left_behind_when_the_welcome_changes_language(qtbot, window) -> None:
    """What is on the screen (the window's backing store) is what a fresh drawing shows: a
    Khmer mark below the line used to stay under the next language's text."""
    start = window.start_screen
    qtbot.waitExposed(window)
    for _ in range(len(window.gate.languages) + 1):
        start.advance()
        qtbot.wait(60)  # painted and flushed
        area = rect_in_window(start, window)
        on_screen = window.screen().grabWindow(window.winId()).toImage().copy(area)
        drawn_now = window.grab().toImage().copy(area)
        assert stale_pixels(on_screen, drawn_now) == [], start.attract.text()


def stale_pixels(on_screen: QImage, drawn_now: QImage) -> list[tuple[int, int]]:
    """Where the screen differs from a fresh drawing (the first few places)."""
    a = on_screen.convertToFormat(QImage.Format.Format_RGB32)
    b = drawn_now.convertToFormat(QImage.Format.Format_RGB32)
    if a == b:
        return []
    found = [
        (x, y)
        for y in range(a.height())
        for x in range(a.width())
        if a.pixel(x, y) != b.pixel(x, y)
    ]
    return found[:5]


# -- T11: pictograms -------------------------------------------------------------------------
def _pixels(image: QImage) -> int:
    return sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 128
    )


def test_every_tile_shows_the_pictogram_its_category_declares(qtbot, window) -> None:
    tap(qtbot, window.start_screen.buttons["km"])
    categories = {c.id: c for c in window.store.categories("noi-bai", DAY)}
    drawn = {}
    for category_id, tile in window.home_screen.tiles.items():
        declared = categories[category_id].icon
        assert glyph(declared) != glyph("no-such-icon"), declared  # a glyph of its own
        shown = tile.icon().pixmap(64, 64).toImage()
        assert _pixels(shown) > 100, category_id
        colour = tile.palette().color(tile.foregroundRole())
        assert shown == icon(declared, colour).pixmap(64, 64).toImage(), category_id
        drawn[category_id] = shown
    assert len({image.cacheKey() for image in drawn.values()}) == len(drawn)
    assert not window.home_screen.search.icon().isNull()  # the search button too
    # High contrast: the pictograms take the yellow of the text.
    tap(qtbot, window.contrast_button)
    tile = window.home_screen.tiles["customs"]
    qtbot.waitUntil(lambda: _yellow(tile.icon().pixmap(64, 64).toImage()), timeout=3000)


def _yellow(image: QImage) -> bool:
    return any(
        image.pixelColor(x, y).name() == "#ffff00" and image.pixelColor(x, y).alpha() == 255
        for x in range(image.width())
        for y in range(image.height())
    )


# -- T12: search -----------------------------------------------------------------------------
def _search(qtbot, window, lang: str, keys: list[str]):  # type: ignore[no-untyped-def]
    tap(qtbot, window.start_screen.buttons[lang])
    tap(qtbot, window.home_screen.search)
    screen = window.search_screen
    with qtbot.waitSignal(
        screen.results_shown, timeout=10000, check_params_cb=lambda r: len(r.hits) >= 5
    ):
        for key in keys:
            tap(qtbot, screen.keyboard.keys[key])
    rows = [screen.results.itemAt(i).widget() for i in range(screen.results.count())]
    rows = [row for row in rows if row is not None]
    qtbot.waitUntil(lambda: all(row.isVisible() for row in rows), timeout=3000)
    return screen, rows


def test_each_result_shows_its_category_pictogram_and_a_one_line_summary(qtbot, window) -> None:
    screen, rows = _search(qtbot, window, "en", ["v", "i", "s", "a"])
    assert screen.last_result is not None
    categories = {c.id: c.icon for c in window.store.categories("noi-bai", DAY)}
    for hit, row in zip(screen.last_result.hits, rows, strict=True):
        item = window.store.item(hit.item_id, "noi-bai", DAY)
        summary = item.translation(hit.lang).summary
        assert summary and row.summary.isVisible()
        shown = row.summary.text()
        assert shown == " ".join(summary.split()) or (
            shown.endswith("…") and " ".join(summary.split()).startswith(shown[:-1])
        )
        assert row.summary.height() < 2 * row.summary.fontMetrics().height()  # one line
        for line in (row.title, row.summary):  # whole, not squeezed by a long list of rows
            assert line.height() >= line.sizeHint().height(), (hit.item_id, line.text())
        assert hit.icon == categories[item.category]
        pictogram = row.pictogram.pixmap().toImage()
        assert _pixels(pictogram) > 50, hit.item_id
        assert rect_in_window(row, window).right() <= window.width()  # never wider than the screen


@pytest.mark.parametrize("size", SHAPES)
def test_the_search_key_puts_the_keyboard_away_and_shows_the_results(qtbot, window, size) -> None:
    window.resize(*size)
    screen, rows = _search(qtbot, window, "en", ["v", "i", "s", "a"])
    assert len(rows) >= 5
    keyboard, area = screen.keyboard, screen.findChild(QScrollArea)
    frame = window.rect()
    assert frame.contains(rect_in_window(screen.field, window))  # the field stays in view
    viewport = rect_in_window(area.viewport(), window)
    assert viewport.bottom() < rect_in_window(keyboard, window).top()  # results above the keys
    assert viewport.height() >= rows[0].height()  # at least one whole result while typing
    tap(qtbot, keyboard.go_key)
    qtbot.waitUntil(lambda: not keyboard.isVisible(), timeout=3000)
    qtbot.waitUntil(
        lambda: rect_in_window(area.viewport(), window).contains(rect_in_window(rows[4], window)),
        timeout=3000,
    )
    assert frame.contains(rect_in_window(screen.field, window))
    for row in rows[:5]:  # the fifth row among them: in full view, nothing over it
        assert rect_in_window(area.viewport(), window).contains(rect_in_window(row, window))
    # A tap on the field brings the keyboard back, with what was typed.
    tap_field = rect_in_window(screen.field, window).center()
    finger(window, tap_field)
    qtbot.waitUntil(keyboard.isVisible, timeout=3000)
    assert screen.field.text() == "visa"


def test_a_cut_title_keeps_each_khmer_letter_with_its_marks() -> None:
    from ui.text import one_line

    title = "ម្ហូបវៀតណាម"  # Vietnamese food: a coeng, a subscript and vowels above and below
    for limit in range(2, len(title)):
        shown = one_line(title, limit).removesuffix("…")
        assert title.startswith(shown) and len(shown) < limit
        rest = title[len(shown) :]
        assert not rest or not unicodedata.category(rest[0]).startswith("M"), limit
        assert not shown.endswith("\u17d2"), limit  # no coeng waiting for its subscript


@pytest.mark.parametrize("size", [*SHAPES, (1366, 768)])
def test_the_welcome_and_every_language_stay_on_screen(qtbot, window, size) -> None:
    window.resize(*size)
    start = window.start_screen
    for _ in window.gate.languages:  # seven at the airport, each welcome in its own words
        start.advance()
        qtbot.wait(20)
        assert (window.width(), window.height()) == size  # the window did not grow
        for widget in (start.welcome, start.prompt, *start.buttons.values()):
            assert window.rect().contains(rect_in_window(widget, window)), start.gate_name.text()
