"""A category: its sub-categories as tiles and its items as a list of large buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.content.views import CategoryView, ItemSummary
from kiosk.languages import endonym
from ui.screens.common import big_button, clear_layout, emit_on_tap, touch_scroll_area
from ui.text import PlainLabel


class CategoryScreen(QWidget):
    category_opened = Signal(str)
    item_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 10, 30, 10)
        self.title = PlainLabel(self)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        content = QWidget(self)
        self.entries = QVBoxLayout(content)
        self.entries.setSpacing(12)
        layout.addWidget(touch_scroll_area(content, self), 1)
        self.buttons: dict[str, object] = {}

    def show_content(
        self,
        category: CategoryView,
        children: list[CategoryView],
        items: list[ItemSummary],
        wanted: list[str],
    ) -> None:
        self.title.setText(category.name(*wanted))
        clear_layout(self.entries)
        self.buttons = {}
        for child in children:
            button = big_button("▸  " + child.name(*wanted), child.name(*wanted), self, "tile")
            button.clicked.connect(emit_on_tap(self.category_opened, child.id))
            self.buttons[child.id] = button
            self.entries.addWidget(button)
        for item in items:
            lang, title = item.title(*wanted)
            shown = title if lang == wanted[0] else f"{title}  ({endonym(lang)})"
            button = big_button(shown, shown, self, "result")
            button.clicked.connect(emit_on_tap(self.item_opened, item.id))
            self.buttons[item.id] = button
            self.entries.addWidget(button)
        self.entries.addStretch(1)
