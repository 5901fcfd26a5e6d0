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


def test_globe_key_lists_the_offered_layouts_by_their_own_names(
    qtbot, board: OnScreenKeyboard
) -> None:
    globe = board.language_key
    assert "Tiếng Việt" in globe.text()  # the layout in use, never the next one
    assert globe.accessibleName()
    qtbot.mouseClick(globe, Qt.MouseButton.LeftButton)
    chooser = board.chooser
    assert chooser.isVisible()
    names = {lang: button.text() for lang, button in chooser.buttons.items()}
    assert names == {
        "vi": "Tiếng Việt", "en": "English", "zh": "拼音", "ko": "한국어", "ru": "Русский",
        "lo": "ລາວ", "km": "ខ្មែរ",
    }  # fmt: skip
    assert chooser.buttons["vi"].isChecked() and not chooser.buttons["km"].isChecked()
    inside = board.rect()
    for button in chooser.buttons.values():
        assert button.accessibleName() and button.height() >= 64
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
        corner = button.mapTo(board, button.rect().topLeft())
        assert inside.contains(corner) and inside.contains(corner + button.rect().bottomRight())
    qtbot.mouseClick(chooser.buttons["km"], Qt.MouseButton.LeftButton)
    assert board.layout_lang == "km" and not chooser.isVisible()
    assert "ខ្មែរ" in board.language_key.text()
    tap(qtbot, board, ["ក"])
    assert board.target.text() == "ក"
    # A second tap on the globe puts the list away without changing anything.
    qtbot.mouseClick(board.language_key, Qt.MouseButton.LeftButton)
    assert board.chooser.isVisible()
    qtbot.mouseClick(board.language_key, Qt.MouseButton.LeftButton)
    assert not board.chooser.isVisible() and board.layout_lang == "km"


def test_one_layout_needs_no_globe(qtbot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    keyboard = OnScreenKeyboard(field, ["en"])
    qtbot.addWidget(keyboard)
    keyboard.show()
    assert not keyboard.language_key.isVisible()


def test_shift_is_for_one_key(qtbot, board: OnScreenKeyboard) -> None:
    board.set_language("km")
    tap(qtbot, board, ["{shift}"])
    assert board.keys["{shift}"].isChecked()
    tap(qtbot, board, ["គ"])  # shifted: ក's page-mate
    assert board.page == 0 and "ក" in board.keys and not board.keys["{shift}"].isChecked()
    tap(qtbot, board, ["ា"])
    assert board.target.text() == "គា"
    tap(qtbot, board, ["{shift}", "{shift}"])  # shift again: back to the letters, untyped
    assert board.page == 0 and board.target.text() == "គា"


@pytest.mark.parametrize(
    ("keys", "word"),
    [
        (["ប", "{shift}", "័", "{shift}", "ណ", "្", "{shift}", "ណ"], "ប័ណ្ណ"),  # border pass
        (["{shift}", "ព", "{shift}", "័", "ត", "{shift}", "៌", "ម", "ា", "ន"], "ព័ត៌មាន"),
    ],
)
def test_khmer_words_typed_by_taps(qtbot, board: OnScreenKeyboard, keys, word) -> None:
    board.set_language("km")
    tap(qtbot, board, keys)
    assert board.target.text() == word


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


def test_the_next_traveller_finds_the_letters(qtbot, board: OnScreenKeyboard) -> None:
    """Leaving the screen (Home, or the idle reset) puts away the list and the shifted page."""
    board.set_language("km")
    tap(qtbot, board, ["{shift}"])
    qtbot.mouseClick(board.language_key, Qt.MouseButton.LeftButton)
    assert board.chooser.isVisible() and board.page == 1
    holder = board.parentWidget()
    holder.hide()
    holder.show()
    assert not board.chooser.isVisible() and board.page == 0 and "ក" in board.keys
