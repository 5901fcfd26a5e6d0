"""A category: its sub-categories as tiles and its items as a list of large buttons."""

from __future__ import annotations

from PySide6.QtCore import Signal

from kiosk.content.views import CategoryView, ItemSummary
from kiosk.languages import endonym
from ui.screens.common import TitledList, big_button, clear_layout, emit_on_tap


class CategoryScreen(TitledList):
    category_opened = Signal(str)
    item_opened = Signal(str)

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
