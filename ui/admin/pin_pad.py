"""A touch PIN pad: large digits, the PIN shown as dots, physical digits accepted too."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n import _
from ui.screens.common import big_button
from ui.text import PlainLabel

MAX_DIGITS = 16


class PinPad(QWidget):
    entered = Signal(str)
    cancelled = Signal()
    recovery_requested = Signal()  # staff locked out: the one-time recovery code instead

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.digits = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(200, 40, 200, 40)
        self.title = PlainLabel(self)
        self.title.setObjectName("title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        self.display = PlainLabel(self)
        self.display.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.display.setObjectName("title")
        layout.addWidget(self.display)
        self.message = PlainLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        grid = QGridLayout()
        self.keys = {}
        for index, digit in enumerate("123456789"):
            self.keys[digit] = self._digit_button(digit)
            grid.addWidget(self.keys[digit], index // 3, index % 3)
        self.clear_button = big_button("C", "", self)
        self.clear_button.clicked.connect(self.clear)
        self.keys["0"] = self._digit_button("0")
        self.erase_button = big_button("⌫", "", self)
        self.erase_button.clicked.connect(self._erase)
        grid.addWidget(self.clear_button, 3, 0)
        grid.addWidget(self.keys["0"], 3, 1)
        grid.addWidget(self.erase_button, 3, 2)
        layout.addLayout(grid, 1)
        row = QHBoxLayout()
        self.cancel_button = big_button("", "", self)
        self.cancel_button.clicked.connect(self._cancel)
        self.ok_button = big_button("", "", self)
        self.ok_button.clicked.connect(self._submit)
        row.addWidget(self.cancel_button)
        row.addWidget(self.ok_button)
        layout.addLayout(row)
        self.recovery_button = big_button("", "", self)
        self.recovery_button.clicked.connect(self.recovery_requested.emit)
        self.recovery_button.hide()
        layout.addWidget(self.recovery_button)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.retranslate()

    def _digit_button(self, digit: str) -> QPushButton:
        button = big_button(digit, digit, self, "key")
        button.clicked.connect(lambda _checked=False, d=digit: self.press(d))
        return button

    def retranslate(self) -> None:
        self.clear_button.setAccessibleName(_("Clear"))
        self.erase_button.setAccessibleName(_("Delete the last digit"))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.ok_button.setText(_("OK"))
        self.ok_button.setAccessibleName(_("OK"))
        self.recovery_button.setText(_("Recovery code"))
        self.recovery_button.setAccessibleName(_("Recovery code"))
        self.display.setAccessibleName(_("PIN"))

    def ask(self, title: str, message: str = "", *, recovery: bool = False) -> None:
        self.recovery_button.setVisible(recovery)
        self.title.setText(title)
        self.title.setAccessibleName(title)
        self.clear()
        self.show_message(message)
        self.setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setAccessibleName(text)

    def press(self, digit: str) -> None:
        if len(self.digits) < MAX_DIGITS:
            self.digits += digit
            self.display.setText("●" * len(self.digits))

    def clear(self) -> None:
        self.digits = ""
        self.display.setText("")

    def _erase(self) -> None:
        self.digits = self.digits[:-1]
        self.display.setText("●" * len(self.digits))

    def _submit(self) -> None:
        digits, self.digits = self.digits, ""
        self.display.setText("")
        self.entered.emit(digits)

    def _cancel(self) -> None:
        self.clear()
        self.cancelled.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and text.isascii():
            self.press(text)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
        elif event.key() == Qt.Key.Key_Backspace:
            self._erase()
        elif event.key() == Qt.Key.Key_Escape:
            self._cancel()
        else:
            super().keyPressEvent(event)
