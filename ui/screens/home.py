"""Home: the urgent-notice banners, the search field and large category tiles.

The banner area is bounded whatever the content says: at most ``SHOWN_BANNERS`` banners of one
line each, then one button that opens the list of every urgent notice, so the categories stay
on the screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.views import CategoryView, ItemSummary
from kiosk.i18n import _
from ui.icons import show_pictogram
from ui.screens.common import big_button, clear_layout, emit_on_tap, touch_scroll_area
from ui.text import button_text, one_line

SHOWN_BANNERS = 2
BANNER_CHARS = 90
TILE_ICON = 64  # px: the pictogram above a category's name
COLUMNS = 3  # tiles in a row, fewer when a name would not fit (a standing, portrait screen)


class HomeScreen(QWidget):
    category_opened = Signal(str)
    item_opened = Signal(str)
    notices_requested = Signal()
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
        self.tiles: dict[str, QToolButton] = {}
        self._columns = 0
        self.more_notices: QPushButton | None = None

    def show_content(
        self, categories: list[CategoryView], notices: list[ItemSummary], wanted: list[str]
    ) -> None:
        clear_layout(self.banners)
        for notice in notices[:SHOWN_BANNERS]:
            title = one_line(notice.title(*wanted)[1], BANNER_CHARS)
            banner = self._banner("⚠  " + title, _("Urgent notice"))
            banner.clicked.connect(emit_on_tap(self.item_opened, notice.id))
        self.more_notices = None
        if len(notices) > SHOWN_BANNERS:
            text = _("All urgent notices ({count})").format(count=len(notices))
            self.more_notices = self._banner("⚠  " + text, text)
            self.more_notices.clicked.connect(self.notices_requested)
        self.search.setText(_("Search: type a few letters"))
        show_pictogram(self.search, "search", 32)
        self.search.setAccessibleName(_("Search"))
        clear_layout(self.grid)
        self.tiles = {}
        top = [c for c in categories if c.parent is None]
        for category in top:
            tile = _tile(category.name(*wanted), category.icon, self)
            tile.clicked.connect(emit_on_tap(self.category_opened, category.id))
            self.tiles[category.id] = tile
        self._columns = 0
        self._arrange()

    def _arrange(self) -> None:
        """Tiles in as many columns as their names fit in, at most ``COLUMNS``."""
        layout = self.layout()
        margins = layout.contentsMargins() if layout is not None else None
        room = self.width() - (margins.left() + margins.right() if margins else 0)
        widest = 0
        for tile in self.tiles.values():
            tile.ensurePolished()
            widest = max(widest, tile.sizeHint().width())
        columns = next(
            (n for n in range(COLUMNS, 1, -1) if n * widest + n * self.grid.spacing() < room), 1
        )
        if columns == self._columns:
            return
        self._columns = columns
        for index, tile in enumerate(self.tiles.values()):
            self.grid.addWidget(tile, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def _banner(self, text: str, name: str) -> QPushButton:
        banner = big_button(text, name, self, "banner")
        # Never wider than the screen, however long the words: the text is cut instead.
        banner.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.banners.addWidget(banner)
        return banner


def _tile(name: str, pictogram: str, parent: QWidget) -> QToolButton:
    """A category's tile: its declared pictogram above its name, the whole tile one target."""
    tile = QToolButton(parent)
    tile.setObjectName("tile")
    tile.setText(button_text(name))
    tile.setAccessibleName(name)
    tile.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
    tile.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    show_pictogram(tile, pictogram, TILE_ICON)
    return tile
