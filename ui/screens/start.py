"""The start screen: what the kiosk is for, the gate's languages as endonyms, and an attract
loop.

The welcome card says, one offered language after the other, the gate's name, what the kiosk
is for and "touch the screen to start", with a promoted item. A tap anywhere that is not a
language button calls for the language choice: the kiosk cannot know which language a
traveller reads, and starting in the gate's first language would put most foreigners on a
screen they cannot read with the way back in a corner. So the card makes way for "Choose your
language" in every offered language and the language buttons light up: one more tap, always in
the traveller's own language. A tap on a language button starts at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QMouseEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QVBoxLayout, QWidget

from kiosk.content.views import GateView, ItemSummary
from kiosk.i18n import N_, gettext_for
from kiosk.languages import endonym
from ui.icons import warm_up
from ui.screens.common import big_button
from ui.text import PlainLabel, one_line

CHOOSE = N_("Choose your language")
CHOOSE_ONE = N_("Show the kiosk in {language}")
PURPOSE = N_(
    "Official information for travellers: entry and exit, visas, customs, border rules, "
    "transport and services"
)
TOUCH = N_("Touch the screen to start")
ATTRACT_SECONDS = 5
CHOICE_SECONDS = 20  # the language choice called for, then the welcome again
ATTRACT_CHARS = 160
WARM_UP_MS = 300  # after the first frame
# Room above and below each line of the card: Khmer and Lao marks reach beyond the line box of
# the Latin font that sets the label's height.
SCRIPT_HEADROOM = 3


class StartScreen(QWidget):
    language_chosen = Signal(str)
    _icons_warm = False  # once per process

    def __init__(
        self, gate: GateView, promotions: list[ItemSummary], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.gate = gate
        self.promotions = promotions
        layout = QVBoxLayout(self)
        layout.setContentsMargins(60, 16, 60, 16)
        self.welcome = QFrame(self)
        self.welcome.setObjectName("welcome")
        card = QVBoxLayout(self.welcome)
        card.setContentsMargins(24, 12, 24, 12)
        card.setSpacing(0)
        self.gate_name = self._card_line("title")
        self.purpose = self._card_line("purpose")
        self.touch = self._card_line("touch-to-start")
        self.attract = self._card_line("attract")
        for label in (self.gate_name, self.purpose, self.touch, self.attract):
            card.addWidget(label)
        layout.addWidget(self.welcome)
        # Called for by a tap on the background: "Choose your language" in every language.
        self.choose_prompt = PlainLabel(
            self, "\n".join(dict.fromkeys(gettext_for(lang)(CHOOSE) for lang in gate.languages))
        )
        self.choose_prompt.setObjectName("choose-prompt")
        self.choose_prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.choose_prompt.setWordWrap(True)
        self.choose_prompt.setMargin(SCRIPT_HEADROOM)
        self.choose_prompt.hide()
        layout.addWidget(self.choose_prompt)
        layout.addStretch(1)
        # "Choose your language" in every offered language: the traveller reads one of them.
        self.prompt = PlainLabel(
            self, "  ·  ".join(dict.fromkeys(gettext_for(lang)(CHOOSE) for lang in gate.languages))
        )
        self.prompt.setObjectName("prompt")
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setWordWrap(True)
        self.prompt.setMargin(SCRIPT_HEADROOM)
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
        layout.addLayout(grid)
        layout.addStretch(1)
        self.welcome.setAccessibleName(gettext_for(gate.languages[0])(TOUCH))
        self.setAccessibleName(gettext_for(gate.languages[0])(TOUCH))
        self.choosing = False
        self._step = 0
        self._timer = QTimer(self)
        self._timer.setInterval(ATTRACT_SECONDS * 1000)
        self._timer.timeout.connect(self.advance)
        self._choice_timer = QTimer(self)
        self._choice_timer.setSingleShot(True)
        self._choice_timer.setInterval(CHOICE_SECONDS * 1000)
        self._choice_timer.timeout.connect(self.show_welcome)
        self.advance()

    def _card_line(self, name: str) -> PlainLabel:
        label = PlainLabel(self.welcome)
        label.setObjectName(name)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        label.setMargin(SCRIPT_HEADROOM)
        return label

    def set_promotions(self, promotions: list[ItemSummary]) -> None:
        self.promotions = promotions
        self.advance()

    def _chooser(self, lang: str) -> Callable[[bool], None]:
        def choose(_checked: bool = False) -> None:
            self.language_chosen.emit(lang)

        return choose

    def advance(self) -> None:
        """The welcome in the next offered language, with the next promotion."""
        lang = self.gate.languages[self._step % len(self.gate.languages)]
        say = gettext_for(lang)
        self.gate_name.setText(self.gate.name(lang))
        self.purpose.setText(say(PURPOSE))
        self.touch.setText(say(TOUCH))
        self.welcome.setAccessibleName(say(TOUCH))
        if self.promotions:
            item = self.promotions[self._step % len(self.promotions)]
            # Bounded: a promoted title of thousands of words must not push the languages away.
            title = one_line(item.title(lang, *self.gate.languages)[1], ATTRACT_CHARS)
            self.attract.setText("★  " + title)
        else:
            self.attract.clear()
        self.attract.setVisible(bool(self.promotions))
        self._step += 1

    def call_for_language(self) -> None:
        """The traveller touched the screen: the language choice, prominently."""
        self.choosing = True
        self._timer.stop()
        self.welcome.hide()
        self.prompt.hide()
        self.choose_prompt.show()
        self._light_buttons(True)
        self._choice_timer.start()

    def show_welcome(self) -> None:
        self.choosing = False
        self._choice_timer.stop()
        self.choose_prompt.hide()
        self.welcome.show()
        self.prompt.show()
        self._light_buttons(False)
        if self.isVisible():
            self._timer.start()

    def _light_buttons(self, on: bool) -> None:
        for button in self.buttons.values():
            button.setProperty("called", on)
            button.style().unpolish(button)  # the style sheet reads the property again
            button.style().polish(button)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # the release that follows is this screen's

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.call_for_language()
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        self.show_welcome()
        if not StartScreen._icons_warm:
            StartScreen._icons_warm = True
            QTimer.singleShot(WARM_UP_MS, self, warm_up)  # the next screens' pictograms
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        self._choice_timer.stop()
        super().hideEvent(event)
