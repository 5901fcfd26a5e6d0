"""Search: results while typing (off the UI thread), "did you mean", and the on-screen keyboard.

Every keystroke starts a search in the background with a generation number; a result that
comes back after a newer keystroke is dropped, so results never go backwards. The results
scroll above the keyboard; its Search key (or Enter) puts it away so the results have the
screen, and a tap on the field brings it back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from kiosk.i18n import _
from kiosk.languages import endonym
from kiosk.search.engine import SearchResult
from ui.background import run_in_background
from ui.keyboard import OnScreenKeyboard
from ui.screens.common import big_button, clear_layout, emit_on_tap, touch_scroll_area
from ui.screens.results import ResultButton
from ui.text import PlainLabel, button_text

# (query, language) → result; runs on a worker thread.
Searcher = Callable[[str, str], SearchResult]


class SearchScreen(QWidget):
    item_opened = Signal(str)
    results_shown = Signal(object)  # SearchResult, once painted

    def __init__(
        self, searcher: Searcher, languages: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.searcher = searcher
        self.language = languages[0]
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 10, 30, 10)
        self.field = QLineEdit(self)
        self.field.textChanged.connect(self._typed)
        self.field.setContextMenuPolicy(self.field.contextMenuPolicy().NoContextMenu)
        self.field.returnPressed.connect(self.show_results)
        self.field.installEventFilter(self)  # a tap on the field brings the keyboard back
        layout.addWidget(self.field)
        self.suggestion = big_button("", "", self)
        self.suggestion.clicked.connect(self._take_suggestion)
        self.suggestion.hide()
        layout.addWidget(self.suggestion)
        self.status = PlainLabel(self)
        self.status.hide()  # only when there is something to say: its line is the results'
        layout.addWidget(self.status)
        content = QWidget(self)
        self.results = QVBoxLayout(content)
        self.results.setSpacing(10)
        self.results_area = touch_scroll_area(content, self)
        layout.addWidget(self.results_area, 1)
        self.keyboard = OnScreenKeyboard(self.field, languages, self)
        self.keyboard.go_pressed.connect(self.show_results)
        layout.addWidget(self.keyboard)
        self.last_result: SearchResult | None = None

    def start(self, language: str, text: str = "") -> None:
        self.language = language
        self.keyboard.set_language(language)
        self.field.setPlaceholderText(_("Type a few letters"))
        self.field.setAccessibleName(_("Search"))
        self.field.setText(text)
        self.keyboard.show()
        self._typed(text)

    def show_results(self) -> None:
        """Typing is done: the keyboard goes, the results take its room."""
        self.keyboard.hide()
        self.results_area.verticalScrollBar().setValue(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.MouseButtonPress:
            self.keyboard.show()
        return super().eventFilter(watched, event)

    def refresh(self) -> None:
        """Search again for what is typed (the content changed underneath)."""
        self._typed(self.field.text())

    def clear(self) -> None:
        self.field.clear()
        clear_layout(self.results)
        self.suggestion.hide()
        self.status.clear()
        self.status.hide()
        self.keyboard.show()
        self.last_result = None

    def _typed(self, text: str) -> None:
        self._generation += 1
        generation, language = self._generation, self.language
        if not text.strip():
            self._show(SearchResult(text, language), generation)
            return
        run_in_background(
            lambda: self.searcher(text, language),
            lambda result: self._show(result, generation),
            lambda _error: self._show(SearchResult(text, language), generation),
            context=self,
        )

    def _show(self, result: SearchResult, generation: int) -> None:
        if generation != self._generation:
            return  # a newer keystroke is on its way
        clear_layout(self.results)
        if result.suggestion:
            text = _("Did you mean: {suggestion}").format(suggestion=result.suggestion)
            self.suggestion.setText(button_text(text))
            self.suggestion.setAccessibleName(text)
            self.suggestion.show()
        else:
            self.suggestion.hide()
        if result.query.strip() and not result.hits:
            self.status.setText(_("Nothing found. Try fewer letters or another word."))
        else:
            self.status.clear()
        self.status.setVisible(bool(self.status.text()))
        for hit in result.hits:
            other = hit.lang != self.language
            button = ResultButton(hit, endonym(hit.lang) if other else "", self)
            button.clicked.connect(emit_on_tap(self.item_opened, hit.item_id))
            self.results.addWidget(button)
        self.results.addStretch(1)
        self.last_result = result
        self.results_shown.emit(result)

    def _take_suggestion(self) -> None:
        if self.last_result and self.last_result.suggestion:
            self.field.setText(self.last_result.suggestion)
