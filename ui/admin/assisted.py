"""Assisted mode's bar: says the mode is on, picks the desk officer's language, jumps to an
item by id or words typed on a physical keyboard, and leaves."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from kiosk.i18n import _
from kiosk.languages import endonym
from ui.screens.common import big_button
from ui.text import PlainLabel


class AssistedBar(QWidget):
    staff_language_chosen = Signal(str)
    jump_requested = Signal(str)
    leave_requested = Signal()

    def __init__(self, languages: list[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("assisted")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.banner = PlainLabel(self)
        self.banner.setObjectName("assisted-banner")
        row.addWidget(self.banner)
        self.language_buttons: dict[str, QPushButton] = {}
        for lang in languages:
            button = big_button(endonym(lang), endonym(lang), self)
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, lang=lang: self.choose(lang))
            self.language_buttons[lang] = button
            row.addWidget(button)
        self.field = QLineEdit(self)
        self.field.returnPressed.connect(self._jump)
        row.addWidget(self.field, 2)
        self.go_button = big_button("", "", self)
        self.go_button.clicked.connect(self._jump)
        row.addWidget(self.go_button)
        self.leave_button = big_button("", "", self)
        self.leave_button.clicked.connect(self.leave_requested.emit)
        row.addWidget(self.leave_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.banner.setText(_("Assisted mode"))
        self.banner.setAccessibleName(_("Assisted mode is on"))
        self.field.setPlaceholderText(_("Item id or words"))
        self.field.setAccessibleName(_("Item id or words"))
        self.go_button.setText(_("Go"))
        self.go_button.setAccessibleName(_("Go"))
        self.leave_button.setText(_("Leave assisted mode"))
        self.leave_button.setAccessibleName(_("Leave assisted mode"))
        for lang, button in self.language_buttons.items():
            button.setAccessibleName(_("Staff language: {language}").format(language=endonym(lang)))

    def choose(self, lang: str) -> None:
        for other, button in self.language_buttons.items():
            button.setChecked(other == lang)
        self.staff_language_chosen.emit(lang)

    def _jump(self) -> None:
        text = self.field.text().strip()
        if text:
            self.field.clear()
            self.jump_requested.emit(text)
