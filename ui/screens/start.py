"""The start screen: the gate's languages as endonyms, and an attract loop of promotions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.content.views import GateView, ItemSummary
from kiosk.i18n import N_, gettext_for
from kiosk.languages import endonym
from ui.screens.common import big_button
from ui.text import PlainLabel, one_line

CHOOSE = N_("Choose your language")
CHOOSE_ONE = N_("Show the kiosk in {language}")
ATTRACT_SECONDS = 5
ATTRACT_CHARS = 160


class StartScreen(QWidget):
    language_chosen = Signal(str)

    def __init__(
        self, gate: GateView, promotions: list[ItemSummary], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.gate = gate
        self.promotions = promotions
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 16, 60, 16)
        self.gate_name = PlainLabel(self, gate.name(*gate.languages))
        self.gate_name.setObjectName("title")
        self.gate_name.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.gate_name.setWordWrap(True)
        layout.addWidget(self.gate_name)
        # "Choose your language" in every offered language: the traveller reads one of them.
        self.prompt = PlainLabel(
            self, "  ·  ".join(dict.fromkeys(gettext_for(lang)(CHOOSE) for lang in gate.languages))
        )
        self.prompt.setObjectName("prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        layout.addWidget(self.prompt)
        grid = QGridLayout()
        grid.setSpacing(14)
        self.buttons = {}
        columns = 2 if len(gate.languages) <= 4 else 3
        for index, lang in enumerate(gate.languages):
            button = big_button(
                endonym(lang),
                gettext_for(lang)(CHOOSE_ONE).format(language=endonym(lang)),
                self,
                "language",
            )
            button.clicked.connect(
                lambda _checked=False, lang=lang: self.language_chosen.emit(lang)
            )
            self.buttons[lang] = button
            grid.addWidget(button, index // columns, index % columns)
        layout.addStretch(1)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.attract = PlainLabel(self)
        self.attract.setObjectName("attract")
        self.attract.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.attract.setWordWrap(True)
        self.attract.setAccessibleName(gettext_for(gate.languages[0])(CHOOSE))
        layout.addWidget(self.attract)
        self._step = 0
        self._timer = QTimer(self)
        self._timer.setInterval(ATTRACT_SECONDS * 1000)
        self._timer.timeout.connect(self.advance)
        self.advance()

    def set_promotions(self, promotions: list[ItemSummary]) -> None:
        self.promotions = promotions
        self.advance()

    def _chooser(self, lang: str) -> Callable[[bool], None]:
        def choose(_checked: bool = False) -> None:
            self.language_chosen.emit(lang)

        return choose

    def advance(self) -> None:
        """Show the next promotion, each time in the next offered language."""
        if not self.promotions:
            self.attract.clear()
            return
        item = self.promotions[self._step % len(self.promotions)]
        lang = self.gate.languages[self._step % len(self.gate.languages)]
        # Bounded: a promoted title of thousands of words must not push the languages away.
        title = one_line(item.title(lang, *self.gate.languages)[1], ATTRACT_CHARS)
        self.attract.setText("★  " + title)
        self._step += 1

    def showEvent(self, event: QShowEvent) -> None:
        self._timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)
