""""Need more time?": asked over the traveller's screen in the last seconds before an idle
kiosk starts over, with a large Continue button and the seconds left, in the traveller's
language. Any tap keeps the screen (the session hears every touch); Continue is the obvious
one."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.i18n import N_, gettext_for, translations
from ui.screens.common import big_button
from ui.text import PlainLabel, button_text

QUESTION = N_("Need more time?")
CONTINUE = N_("Continue")
CONTINUE_NAME = N_("Continue: keep this screen open")
STYLE = """
QWidget#more-time { background: rgba(20, 32, 43, 170); }
QFrame#more-time-card { background: #ffffff; border-radius: 16px; }
QLabel#more-time-question { font-size: 40px; font-weight: bold; color: #14202b;
  background: transparent; }
QLabel#more-time-left { font-size: 26px; color: #14202b; background: transparent; }
QPushButton#more-time-continue { font-size: 34px; font-weight: bold; min-height: 110px;
  min-width: 420px; background: #1d4e7a; color: #ffffff; border-radius: 12px; }
"""


def seconds_left_text(lang: str, seconds: int) -> str:
    return (
        translations(lang)
        .ngettext(
            "The screen starts over in {seconds} second.",
            "The screen starts over in {seconds} seconds.",
            seconds,
        )
        .format(seconds=seconds)
    )


class MoreTimePrompt(QWidget):
    """The prompt over the whole window; hidden until :meth:`offer`."""

    continue_tapped = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("more-time")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        outer = QVBoxLayout(self)
        outer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        card = QFrame(self)
        card.setObjectName("more-time-card")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(60, 48, 60, 48)
        layout.setSpacing(28)
        self.question = PlainLabel(card)
        self.question.setObjectName("more-time-question")
        self.question.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.left = PlainLabel(card)
        self.left.setObjectName("more-time-left")
        self.left.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.left.setWordWrap(True)
        self.continue_button = big_button("", "", card, "more-time-continue")
        self.continue_button.clicked.connect(self.continue_tapped)
        layout.addWidget(self.question)
        layout.addWidget(self.left)
        layout.addWidget(self.continue_button)
        card.setMaximumWidth(900)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignCenter)
        self._lang = "en"
        self._deadline = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(250)
        self._tick.timeout.connect(self._show_seconds_left)
        self.hide()

    def offer(self, seconds: int, lang: str) -> None:
        """Ask, in ``lang``, with ``seconds`` left."""
        text = gettext_for(lang)
        self._lang = lang
        self.question.setText(text(QUESTION))
        self.question.setAccessibleName(text(QUESTION))
        self.continue_button.setText(button_text(text(CONTINUE)))
        self.continue_button.setAccessibleName(text(CONTINUE_NAME))
        self._deadline = time.monotonic() + seconds
        self._show_seconds_left()
        self._tick.start()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()

    def close_offer(self) -> None:
        self._tick.stop()
        self.hide()

    @property
    def seconds_left(self) -> int:
        return max(0, int(self._deadline - time.monotonic() + 0.999))

    def _show_seconds_left(self) -> None:
        sentence = seconds_left_text(self._lang, self.seconds_left)
        self.left.setText(sentence)
        self.left.setAccessibleName(sentence)
