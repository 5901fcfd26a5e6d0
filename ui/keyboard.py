"""The on-screen keyboard: big keys for every offered language, typing into one line edit.

Layouts and composition (Korean syllables, Vietnamese tones) come from ``kiosk.keyboard``; this
widget only shows keys and applies them. Keys never take the focus, so a physical keyboard
keeps typing into the same field.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import _
from kiosk.keyboard.layouts import SHIFT, Layout, layout_for
from ui.text import button_text

# 9 mm on a 21.5-inch 1920×1080 screen is 36 px; keys are comfortably larger.
KEY_SIZE = 64


class KeyButton(QPushButton):
    def __init__(self, label: str, parent: QWidget) -> None:
        super().__init__(button_text(label), parent)  # a key may be '&'
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(KEY_SIZE, KEY_SIZE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setObjectName("key")


class OnScreenKeyboard(QWidget):
    """Keys of the current language's layout, plus language, space, backspace and clear."""

    text_edited = Signal(str)
    layout_changed = Signal(str)
    go_pressed = Signal()  # the traveller has typed enough: show the results

    def __init__(
        self, target: QLineEdit, languages: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.target = target
        self.languages = list(dict.fromkeys(languages)) or ["en"]
        self.layout_lang = self.languages[0]
        self.page = 0
        self.keys: dict[str, KeyButton] = {}
        self._rows = QVBoxLayout(self)
        self._rows.setSpacing(6)
        self.set_language(self.layout_lang)

    @property
    def current(self) -> Layout:
        return layout_for(self.layout_lang)

    def set_languages(self, languages: list[str]) -> None:
        self.languages = list(dict.fromkeys(languages)) or ["en"]
        self.set_language(self.languages[0])

    def set_language(self, lang: str) -> None:
        self.layout_lang = lang if lang in self.languages else self.languages[0]
        self.page = 0
        self._build()
        self.layout_changed.emit(self.layout_lang)

    def next_language(self) -> None:
        index = self.languages.index(self.layout_lang)
        self.set_language(self.languages[(index + 1) % len(self.languages)])

    def press(self, key: str) -> None:
        if key == SHIFT:
            self.page = (self.page + 1) % len(self.current.pages)
            self._build()
            return
        self._set(self.current.type(self.target.text(), key))

    def backspace(self) -> None:
        self._set(self.current.backspace(self.target.text()))

    def clear(self) -> None:
        self._set("")

    def _set(self, text: str) -> None:
        self.target.setText(text)
        self.text_edited.emit(text)

    def _build(self) -> None:
        while self._rows.count():
            old = self._rows.takeAt(0)
            inner = old.layout() if old else None
            while inner is not None and inner.count():
                item = inner.takeAt(0)
                widget = item.widget() if item else None
                if widget is not None:
                    widget.deleteLater()
        self.keys = {}
        layout = self.current
        for row in layout.pages[self.page]:
            line = QHBoxLayout()
            for key in row:
                button = KeyButton(layout.label(key), self)
                button.setAccessibleName(_("More letters") if key == SHIFT else layout.label(key))
                button.clicked.connect(lambda _checked=False, key=key: self.press(key))
                self.keys[key] = button
                line.addWidget(button)
            self._rows.addLayout(line)
        controls = QHBoxLayout()
        following = self.languages[
            (self.languages.index(self.layout_lang) + 1) % len(self.languages)
        ]
        self.language_key = KeyButton(layout_for(following).name, self)
        self.language_key.setAccessibleName(
            _("Keyboard for {language}").format(language=layout_for(following).name)
        )
        self.language_key.clicked.connect(self.next_language)
        self.language_key.setVisible(len(self.languages) > 1)
        self.space_key = KeyButton("␣", self)
        self.space_key.setAccessibleName(_("Space"))
        self.space_key.clicked.connect(lambda: self.press(" "))
        self.backspace_key = KeyButton("⌫", self)
        self.backspace_key.setAccessibleName(_("Delete the last letter"))
        self.backspace_key.clicked.connect(self.backspace)
        self.clear_key = KeyButton("✕", self)
        self.clear_key.setAccessibleName(_("Clear the search"))
        self.clear_key.clicked.connect(self.clear)
        controls.addWidget(self.language_key, 2)
        controls.addWidget(self.space_key, 5)
        controls.addWidget(self.backspace_key, 2)
        controls.addWidget(self.clear_key, 1)
        self._add_go_key(controls)
        self._rows.addLayout(controls)

    def _add_go_key(self, controls: QHBoxLayout) -> None:
        """The Search key: typing is done, the keyboard makes way for the results."""
        self.go_key = KeyButton(_("Search"), self)
        self.go_key.setObjectName("go-key")
        self.go_key.setAccessibleName(_("Show the results"))
        self.go_key.clicked.connect(self.go_pressed)
        controls.addWidget(self.go_key, 2)
