"""The traveller application, driven by taps as a traveller would, in every language."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.app.session import HOME, START
from kiosk.content.store import ContentStore
from ui.kiosk_window import KioskWindow

from .helpers.ui import open_item_by_tap, tap

pytestmark = pytest.mark.gui
DAY = dt.date(2026, 12, 1)
# What a traveller taps on the on-screen keyboard to look for a visa or a passport.
TYPED = {
    "vi": ["v", "i", "s", "a"],
    "en": ["v", "i", "s", "a"],
    "zh": ["h", "u", "z", "h", "a", "o"],
    "ko": ["ㅇ", "ㅕ", "ㄱ", "ㅜ", "ㅓ", "ㄴ"],
    "ru": ["в", "и", "з", "а"],
    "lo": ["ວ", "ີ", "ຊ", "າ"],
    "km": ["ច", "្", "រ", "ក"],
}


@pytest.mark.parametrize("lang", ["vi", "en", "zh", "ko", "ru", "lo", "km"])
def test_a_traveller_journey(qtbot, window: KioskWindow, lang: str) -> None:
    store = window.store
    assert window.stack.currentWidget() is window.start_screen
    assert list(window.start_screen.buttons) == list(window.gate.languages)
    tap(qtbot, window.start_screen.buttons[lang])
    assert window.session.language == lang
    assert window.stack.currentWidget() is window.home_screen
    procedures = next(c for c in store.categories("noi-bai", DAY) if c.id == "procedures")
    assert window.home_screen.tiles["procedures"].text() == procedures.name(lang)
    assert window.home_screen.banners.count() == 1  # the Tet 2027 notice

    tap(qtbot, window.home_screen.tiles["procedures"])
    tap(qtbot, window.category_screen.buttons["visa"])
    evisa = store.item("evisa", "noi-bai", DAY)
    assert evisa is not None
    text = open_item_by_tap(qtbot, window, window.category_screen.buttons["evisa"])
    assert evisa.translation(lang).title in text
    assert window.session.language in window.crumbs.text() or window.crumbs.text()

    tap(qtbot, window.back_button)
    assert window.stack.currentWidget() is window.category_screen
    tap(qtbot, window.home_button)
    assert window.stack.currentWidget() is window.home_screen

    tap(qtbot, window.home_screen.search)
    search = window.search_screen
    assert search.keyboard.layout_lang == lang
    with qtbot.waitSignal(
        search.results_shown, timeout=10000, check_params_cb=lambda r: bool(r.hits)
    ):
        for key in TYPED[lang]:
            tap(qtbot, search.keyboard.keys[key])
    first = search.last_result.hits[0] if search.last_result else None
    assert first is not None and first.lang == lang
    result_button = search.results.itemAt(0).widget()
    text = open_item_by_tap(qtbot, window, result_button)
    assert first.title in text


def test_idle_time_resets_everything(qtbot, window: KioskWindow) -> None:
    window.session.set_idle_seconds(1)
    window.session.grace_seconds = 1  # "Need more time?" asked for 1 s, and nobody answers
    tap(qtbot, window.start_screen.buttons["ko"])
    tap(qtbot, window.home_screen.search)
    with qtbot.waitSignal(window.search_screen.results_shown, timeout=10000):
        for key in TYPED["ko"]:
            tap(qtbot, window.search_screen.keyboard.keys[key])
    with qtbot.waitSignal(window.session.reset_done, timeout=5000):
        pass
    assert window.session.place == START and window.session.history == [START]
    assert window.session.language == window.gate.languages[0]
    assert window.session.search_text == ""
    assert window.search_screen.field.text() == ""
    assert window.stack.currentWidget() is window.start_screen


def test_language_button_starts_over(qtbot, window: KioskWindow) -> None:
    tap(qtbot, window.start_screen.buttons["ru"])
    tap(qtbot, window.home_screen.tiles["customs"])
    tap(qtbot, window.language_button)
    assert window.session.place == START
    tap(qtbot, window.start_screen.buttons["en"])
    assert window.session.place == HOME and window.home_screen.tiles["customs"].text() == "Customs"


@pytest.mark.parametrize(
    "keys", ["Alt+F4", "F12", "Ctrl+U", "Ctrl+W", "Ctrl+Q", "F5", "Ctrl+Shift+I", "Ctrl+P"]
)
def test_keys_that_would_leave_are_swallowed(window: KioskWindow, keys: str) -> None:
    from PySide6.QtGui import QKeySequence

    combination = QKeySequence(keys)[0]
    event = QKeyEvent(QEvent.Type.KeyPress, combination.key(), combination.keyboardModifiers())
    assert window.eventFilter(window.item_screen.view, event) is True
    plain = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
    assert window.eventFilter(window.search_screen.field, plain) is False


def test_right_click_menus_are_swallowed(window: KioskWindow) -> None:
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(10, 10), QPoint(10, 10))
    assert window.eventFilter(window.item_screen.view, event) is True


def test_every_control_has_an_accessible_name(qtbot, window: KioskWindow) -> None:
    tap(qtbot, window.start_screen.buttons["lo"])
    for place in ("home", "search"):
        if place == "search":
            tap(qtbot, window.home_screen.search)
        for widget in window.findChildren(QWidget):
            if isinstance(widget, QAbstractButton) and widget.isVisible():
                assert widget.accessibleName(), (place, widget.text())


def test_tour_renders_every_screen_in_every_language(
    qtbot,
    content: Path,
    tmp_path: Path,
) -> None:
    from PySide6.QtGui import QImage

    from ui.tour import render_tour

    store = ContentStore(content)
    written: list[str] = []
    count = render_tour(store, tmp_path, ["mong-cai"], written.append, today=DAY)
    store.close()
    names = sorted(Path(p).name for p in written)
    assert count == len(names) == 1 + 4 * 3
    for lang in ("vi", "zh", "en"):
        for screen in ("home", "category", "item", "search"):
            assert f"mong-cai-{lang}-{screen}.png" in names
    picture = QImage(str(tmp_path / "mong-cai-zh-item.png"))
    assert (picture.width(), picture.height()) == (1920, 1080)
    colours = {picture.pixel(x, y) for x in range(0, 1920, 40) for y in range(0, 1080, 40)}
    assert len(colours) > 5  # a rendered page, not a blank frame


def test_low_reach_keeps_controls_in_the_lower_half(qtbot, window: KioskWindow) -> None:
    tap(qtbot, window.start_screen.buttons["en"])
    tap(qtbot, window.reach_button)
    qtbot.waitUntil(lambda: window.bar.y() > window.height() // 2, timeout=3000)
    for tile in window.home_screen.tiles.values():
        top = tile.mapTo(window, tile.rect().topLeft()).y()
        assert top >= window.height() * 0.35, tile.text()
    window.session.reset()
    assert not window.reach_button.isChecked()
    qtbot.waitUntil(lambda: window.bar.y() < window.height() // 2, timeout=3000)
