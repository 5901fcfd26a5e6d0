"""Word candidates above the on-screen keyboard: the content's Chinese words for the pinyin typed.

:class:`PinyinWords` holds the vocabulary of the store's Chinese content, built on a worker
thread the first time a pinyin layout is shown and again when the content revision changes.
:class:`CandidateBar` shows the words, a page at a time; tapping one says which.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QWidget

from kiosk.content.store import ContentStore
from kiosk.i18n import _
from kiosk.keyboard.pinyin import EMPTY, Vocabulary, vocabulary_of
from ui.background import run_in_background
from ui.text import button_text

CANDIDATE_HEIGHT = 64  # as tall as a key
WORDS_PER_PAGE = 6
log = logging.getLogger("kiosk.keyboard")


class PinyinWords(QObject):
    """The store's Chinese words by pinyin, for the keyboard; empty until first built."""

    ready = Signal()  # a new vocabulary is in place

    def __init__(self, store: ContentStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.vocabulary: Vocabulary = EMPTY
        self._wanted = False  # a pinyin layout was shown: keep the vocabulary current
        self._building = False

    def prepare(self) -> None:
        """Build the vocabulary on a worker thread unless it is current (or on its way)."""
        self._wanted = True
        if self._building or (
            self.vocabulary is not EMPTY and self.vocabulary.revision == self.store.revision()
        ):
            return
        self._building = True
        run_in_background(
            lambda: vocabulary_of(self.store), self._built, self._failed, context=self
        )

    def refresh(self) -> None:
        """The content changed: a vocabulary in use is built again, none is built unasked."""
        if self._wanted:
            self.prepare()

    def candidates_at_end(self, text: str) -> tuple[int, list[str]]:
        return self.vocabulary.candidates_at_end(text)

    def _built(self, vocabulary: Vocabulary) -> None:
        self._building = False
        self.vocabulary = vocabulary
        self.ready.emit()

    def _failed(self, error: Exception) -> None:
        # No candidates is not an error a traveller can act on: pinyin still finds words.
        self._building = False
        log.error(
            "The Chinese word candidates could not be built (%s); pinyin search still works.",
            error,
        )


class CandidateButton(QPushButton):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing goes on in the search field
        self.setObjectName("key")
        self.setMinimumSize(CANDIDATE_HEIGHT, CANDIDATE_HEIGHT)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setRetainSizeWhenHidden(True)  # the keyboard does not jump as words come and go
        self.setSizePolicy(policy)


class CandidateBar(QWidget):
    """A row of words to choose from, with a key to the next page of them."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.words: list[str] = []
        self.page = 0
        self.buttons: list[CandidateButton] = []
        for index in range(WORDS_PER_PAGE):
            button = CandidateButton(self)
            button.clicked.connect(lambda _checked=False, i=index: self._tapped(i))
            row.addWidget(button, 2)
            self.buttons.append(button)
        self.more = CandidateButton(self)
        self.more.setText("›")
        self.more.clicked.connect(self.next_page)
        row.addWidget(self.more, 1)
        self.retranslate()
        self.show_words([])

    def retranslate(self) -> None:
        self.more.setAccessibleName(_("More words"))

    def show_words(self, words: list[str]) -> None:
        self.words, self.page = words, 0
        self._fill()

    def next_page(self) -> None:
        pages = max(1, -(-len(self.words) // WORDS_PER_PAGE))
        self.page = (self.page + 1) % pages
        self._fill()

    def shown(self) -> list[str]:
        """The words on the buttons now."""
        return [b.accessibleName() for b in self.buttons if b.isVisibleTo(self)]

    def _fill(self) -> None:
        start = self.page * WORDS_PER_PAGE
        page = self.words[start : start + WORDS_PER_PAGE]
        for index, button in enumerate(self.buttons):
            word = page[index] if index < len(page) else ""
            button.setText(button_text(word))
            button.setAccessibleName(word)
            button.setVisible(bool(word))
        self.more.setVisible(len(self.words) > WORDS_PER_PAGE)

    def _tapped(self, index: int) -> None:
        start = self.page * WORDS_PER_PAGE
        if start + index < len(self.words):
            self.chosen.emit(self.words[start + index])
