"""Every urgent notice of the day as a list, opened from the home screen when there are more
than its banners show."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from kiosk.content.views import ItemSummary
from kiosk.i18n import _
from ui.screens.common import big_button, clear_layout, emit_on_tap, touch_scroll_area
from ui.text import PlainLabel


class NoticesScreen(QWidget):
    item_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 10, 30, 10)
        self.title = PlainLabel(self)
        self.title.setObjectName("title")
        layout.addWidget(self.title)
        content = QWidget(self)
        self.entries = QVBoxLayout(content)
        self.entries.setSpacing(12)
        layout.addWidget(touch_scroll_area(content, self), 1)
        self.buttons: dict[str, QPushButton] = {}

    def show_content(self, notices: list[ItemSummary], wanted: list[str]) -> None:
        self.title.setText(_("Urgent notices"))
        clear_layout(self.entries)
        self.buttons = {}
        for notice in notices:
            title = notice.title(*wanted)[1]
            button = big_button("⚠  " + title, title, self, "result")
            button.clicked.connect(emit_on_tap(self.item_opened, notice.id))
            self.buttons[notice.id] = button
            self.entries.addWidget(button)
        self.entries.addStretch(1)
