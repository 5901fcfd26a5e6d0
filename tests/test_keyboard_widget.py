"""The on-screen keyboard, tapped like a touchscreen, and the physical keyboard beside it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from ui.keyboard import OnScreenKeyboard

pytestmark = pytest.mark.gui


@pytest.fixture
def board(qtbot):
    holder = QWidget()
    field = QLineEdit(holder)
    keyboard = OnScreenKeyboard(field, ["vi", "en", "zh", "ko", "ru", "lo", "km"], holder)
    layout = QVBoxLayout(holder)
    layout.addWidget(field)
    layout.addWidget(keyboard)
    qtbot.addWidget(holder)
    holder.resize(1200, 500)
    holder.show()
    yield keyboard  # the holder stays referenced, and so alive, until the test ends


def tap(qtbot, keyboard: OnScreenKeyboard, keys: list[str]) -> None:
    for key in keys:
        qtbot.mouseClick(keyboard.keys[key], Qt.MouseButton.LeftButton)


def test_vietnamese_with_tone_keys(qtbot, board: OnScreenKeyboard) -> None:
    tap(qtbot, board, ["t", "h", "u", "{tone:hook}"])
    qtbot.mouseClick(board.space_key, Qt.MouseButton.LeftButton)
    tap(qtbot, board, ["t", "u", "c", "{tone:dot}"])
    assert board.target.text() == "thủ tục"


def test_korean_syllables_and_backspace(qtbot, board: OnScreenKeyboard) -> None:
    board.set_language("ko")
    edits: list[str] = []
    board.text_edited.connect(edits.append)
    tap(qtbot, board, ["ㅇ", "ㅕ", "ㄱ", "ㅜ", "ㅓ", "ㄴ"])  # ㅜ then ㅓ make ㅝ, as on paper keys
    assert edits == ["ㅇ", "여", "역", "여구", "여궈", "여권"]
    assert board.target.text() == "여권"
    qtbot.mouseClick(board.backspace_key, Qt.MouseButton.LeftButton)
    assert board.target.text() == "여궈"
    qtbot.mouseClick(board.clear_key, Qt.MouseButton.LeftButton)
    assert board.target.text() == ""


def test_language_key_cycles_through_the_offered_layouts(qtbot, board: OnScreenKeyboard) -> None:
    assert board.language_key.text() == "English"
    seen = []
    for _ in range(7):
        qtbot.mouseClick(board.language_key, Qt.MouseButton.LeftButton)
        seen.append(board.layout_lang)
    assert seen == ["en", "zh", "ko", "ru", "lo", "km", "vi"]


def test_shift_page_of_lao(qtbot, board: OnScreenKeyboard) -> None:
    board.set_language("lo")
    tap(qtbot, board, ["ກ", "າ", "{shift}"])
    tap(qtbot, board, ["ໜ"])
    assert board.target.text() == "ກາໜ"


def test_keys_are_big_named_and_never_steal_the_focus(qtbot, board: OnScreenKeyboard) -> None:
    for lang in board.languages:
        board.set_language(lang)
        for key in [*board.keys.values(), board.space_key, board.backspace_key, board.clear_key]:
            assert key.height() >= 37 and key.width() >= 37, (lang, key.text())
            assert key.accessibleName(), (lang, key.text())
            assert key.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_physical_keyboard_still_types(qtbot, board: OnScreenKeyboard) -> None:
    board.target.setFocus()
    qtbot.keyClicks(board.target, "visa")
    tap(qtbot, board, ["s"])
    assert board.target.text() == "visas"
