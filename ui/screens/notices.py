"""Every urgent notice of the day as a list, opened from the home screen when there are more
than its banners show."""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.content.views import ItemSummary
from kiosk.i18n import _
from ui.screens.common import TitledList, big_button, clear_layout, emit_on_tap


class NoticesScreen(TitledList):
    item_opened = Signal(str)

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
