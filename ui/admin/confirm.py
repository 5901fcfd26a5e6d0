"""A full-screen question before an action that takes the kiosk away from travellers
(restart, leaving kiosk mode): large buttons for a finger, cancel on the left, no native dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.screens.common import big_button
from ui.text import PlainLabel


class ConfirmPage(QWidget):
    confirmed = Signal(str)  # the action asked about
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.action = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(200, 120, 200, 120)
        self.question = PlainLabel(self)
        self.question.setObjectName("title")
        self.explanation = PlainLabel(self)
        self.explanation.setWordWrap(True)
        for label in (self.question, self.explanation):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(1)
        row = QHBoxLayout()
        self.cancel_button = big_button("", "", self)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.confirm_button = big_button("", "", self)
        self.confirm_button.clicked.connect(lambda: self.confirmed.emit(self.action))
        row.addWidget(self.cancel_button)
        row.addWidget(self.confirm_button)
        layout.addLayout(row)

    def ask(self, action: str, question: str, explanation: str, confirm: str, cancel: str) -> None:
        self.action = action
        self.question.setText(question)
        self.question.setAccessibleName(question)
        self.explanation.setText(explanation)
        self.explanation.setAccessibleName(explanation)
        self.confirm_button.setText(confirm)
        self.confirm_button.setAccessibleName(confirm)
        self.cancel_button.setText(cancel)
        self.cancel_button.setAccessibleName(cancel)
