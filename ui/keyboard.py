"""The on-screen keyboard: big keys for every offered language, typing into one line edit.

Layouts and composition (Korean syllables, Vietnamese tones) come from ``kiosk.keyboard``; this
widget only shows keys and applies them. Keys never take the focus, so a physical keyboard
keeps typing into the same field. Shift is for one key; the globe key opens the list of the
offered layouts (``ui.keyboard_chooser``); a pinyin layout shows the content's words for the
letters typed (``ui.keyboard_candidates``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QHideEvent
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
from ui.keyboard_candidates import CandidateBar, PinyinWords
from ui.keyboard_chooser import GLOBE, LayoutChooser
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
    """Keys of the current language's layout, plus globe, space, backspace and clear."""

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
        self.words: PinyinWords | None = None  # the content's words, for a pinyin layout
        outer = QVBoxLayout(self)
        outer.setSpacing(6)
        self.candidate_bar = CandidateBar(self)
        self.candidate_bar.chosen.connect(self.choose_word)
        outer.addWidget(self.candidate_bar)
        self._rows = QVBoxLayout()
        self._rows.setSpacing(6)
        outer.addLayout(self._rows)
        self.chooser = LayoutChooser(self)
        self.chooser.chosen.connect(self.set_language)
        target.textChanged.connect(self._suggest)  # on-screen keys and a physical keyboard
        self.set_language(self.layout_lang)

    @property
    def current(self) -> Layout:
        return layout_for(self.layout_lang)

    def set_languages(self, languages: list[str]) -> None:
        self.languages = list(dict.fromkeys(languages)) or ["en"]
        self.set_language(self.languages[0])

    def set_candidates(self, words: PinyinWords) -> None:
        """Where a pinyin layout finds its words (the kiosk's content)."""
        self.words = words
        words.ready.connect(self._suggest)
        self._build()

    def set_language(self, lang: str) -> None:
        self.layout_lang = lang if lang in self.languages else self.languages[0]
        self.page = 0
        self.chooser.hide()
        self._build()
        if self.current.candidates and self.words is not None:
            self.words.prepare()
        self.layout_changed.emit(self.layout_lang)

    def show_layouts(self) -> None:
        """The globe key: the list of the offered layouts, or away again."""
        if self.chooser.isVisible():
            self.chooser.hide()
        else:
            self.chooser.open(self.languages, self.layout_lang, self.language_key)

    def press(self, key: str) -> None:
        self.chooser.hide()
        page = self.current.page_after(self.page, key)
        if key != SHIFT:
            self._set(self.current.type(self.target.text(), key))
        if page != self.page:
            self.page = page
            self._build()

    def choose_word(self, word: str) -> None:
        """A candidate tapped: it replaces the pinyin it was offered for, followed by a space:
        the word is complete, so search looks for it in bodies too, not only as a prefix."""
        if self.words is None:
            return
        start, _words = self.words.candidates_at_end(self.target.text())
        self._set(f"{self.target.text()[:start]}{word} ")

    def hideEvent(self, event: QHideEvent) -> None:
        """The traveller left the screen: the next one finds the letters, no list open."""
        self.chooser.hide()
        if self.page:
            self.page = 0
            self._build()
        super().hideEvent(event)

    def backspace(self) -> None:
        self._set(self.current.backspace(self.target.text()))

    def clear(self) -> None:
        self._set("")

    def _set(self, text: str) -> None:
        self.target.setText(text)
        self.text_edited.emit(text)

    def _suggest(self) -> None:
        """The words for the pinyin at the end of the field, on a pinyin layout."""
        on = self.words is not None and self.current.candidates == "pinyin"
        self.candidate_bar.setVisible(on)
        found = self.words.candidates_at_end(self.target.text())[1] if self.words and on else []
        self.candidate_bar.show_words(found)

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
                if key == SHIFT:  # lit while the next key is a shifted one
                    button.setCheckable(True)
                    button.setChecked(self.page > 0)
                button.clicked.connect(lambda _checked=False, key=key: self.press(key))
                self.keys[key] = button
                line.addWidget(button)
            self._rows.addLayout(line)
        self.candidate_bar.retranslate()
        self._suggest()
        controls = QHBoxLayout()
        # The globe and the layout in use; the layouts are listed when it is tapped.
        self.language_key = KeyButton(f"{GLOBE} {layout.name}", self)
        self.language_key.setAccessibleName(_("Choose a keyboard"))
        self.language_key.clicked.connect(self.show_layouts)
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
        self._add_go_key()
        for worded in (self.language_key, self.go_key):
            worded.setMinimumWidth(0)  # as wide as its words: the space bar gives way
        controls.addWidget(self.language_key, 2)
        controls.addWidget(self.space_key, 5)
        controls.addWidget(self.backspace_key, 2)
        controls.addWidget(self.clear_key, 1)
        controls.addWidget(self.go_key, 2)
        self._rows.addLayout(controls)

    def _add_go_key(self) -> None:
        """The Search key: typing is done, the keyboard makes way for the results."""
        self.go_key = KeyButton(_("Search"), self)
        self.go_key.setObjectName("go-key")
        self.go_key.setAccessibleName(_("Show the results"))
        self.go_key.clicked.connect(self.go_pressed)
