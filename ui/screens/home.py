"""Home: the urgent-notice banner, the search field and large category tiles."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.content.views import CategoryView, ItemSummary
from kiosk.i18n import _
from ui.screens.common import big_button, clear_layout, emit_on_tap, touch_scroll_area


class HomeScreen(QWidget):
    category_opened = Signal(str)
    item_opened = Signal(str)
    search_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 10, 30, 10)
        self.banners = QVBoxLayout()
        layout.addLayout(self.banners)
        self.search = big_button("", "", self)
        self.search.clicked.connect(self.search_requested)
        layout.addWidget(self.search)
        tiles = QWidget(self)
        self.grid = QGridLayout(tiles)
        self.grid.setSpacing(18)
        layout.addWidget(touch_scroll_area(tiles, self), 1)
        self.tiles: dict[str, object] = {}

    def show_content(
        self, categories: list[CategoryView], notices: list[ItemSummary], wanted: list[str]
    ) -> None:
        clear_layout(self.banners)
        for notice in notices:
            banner = big_button(
                "⚠  " + notice.title(*wanted)[1], _("Urgent notice"), self, "banner"
            )
            banner.clicked.connect(emit_on_tap(self.item_opened, notice.id))
            self.banners.addWidget(banner)
        self.search.setText("🔍  " + _("Search: type a few letters"))
        self.search.setAccessibleName(_("Search"))
        clear_layout(self.grid)
        self.tiles = {}
        top = [c for c in categories if c.parent is None]
        for index, category in enumerate(top):
            tile = big_button(category.name(*wanted), category.name(*wanted), self, "tile")
            tile.clicked.connect(emit_on_tap(self.category_opened, category.id))
            self.tiles[category.id] = tile
            self.grid.addWidget(tile, index // 3, index % 3)
