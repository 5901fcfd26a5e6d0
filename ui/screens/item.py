"""An item in the locked-down web view, with a text-size switch (contrast is the window's)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl, QUrlQuery, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.content.resolve import ItemMedia, MediaSource, QrSource
from kiosk.i18n import _
from ui.chrome import ChromeButton
from ui.scheme import SCHEME, KioskSchemeHandler
from ui.webview import ItemWebView, kiosk_profile

# (item id, wanted languages, large text, high contrast) → HTML, or None when not shown here.
ItemPages = Callable[[str, list[str], bool, bool], str | None]


class ItemScreen(QWidget):
    item_link_activated = Signal(str)

    def __init__(
        self,
        pages: ItemPages,
        media: MediaSource,
        qr: QrSource,
        parent: QWidget | None = None,
        *,
        item_media: ItemMedia,
    ) -> None:
        super().__init__(parent)
        self._pages = pages
        self.large = False
        self.contrast = False
        self.scale = 1.0  # the screen's (ui.style.screen_scale)
        self.item_id = ""
        self.wanted: list[str] = []
        self._opened = 0
        self.profile = kiosk_profile(None)
        self.handler = KioskSchemeHandler(self._page, media, self.profile, qr, item_media)
        self.profile.installUrlSchemeHandler(SCHEME, self.handler)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = ItemWebView(self.profile, self)
        self.view.kiosk_page().item_link_activated.connect(self.item_link_activated)
        # Chromium sets a page's zoom again when it loads: the screen's scale follows it.
        self.view.loadStarted.connect(self._zoom_to_screen)
        self.view.loadFinished.connect(self._zoom_to_screen)
        layout.addWidget(self.view, 1)
        switches = QHBoxLayout()
        self.size_button = ChromeButton("larger-text", self)
        self.size_button.setCheckable(True)
        self.size_button.toggled.connect(self._set_large)
        switches.addStretch(1)
        switches.addWidget(self.size_button)
        layout.addLayout(switches)
        # Qt deletes children in the order they were added, and a profile must outlive its
        # pages: adopting the profile last makes it the last child to go.
        self.profile.setParent(self)

    def retranslate(self) -> None:
        self.size_button.set_word(_("Larger text"))
        self.view.setAccessibleName(_("Item text"))

    def show_item(self, item_id: str, wanted: list[str]) -> None:
        self.item_id, self.wanted = item_id, wanted
        url = QUrl(f"kiosk://item/{item_id}")
        query = QUrlQuery()
        query.addQueryItem("lang", ",".join(wanted))
        # A fresh address for every opening: the same item opened again (after a language or
        # text-size change) is loaded again rather than left as it was.
        self._opened += 1
        query.addQueryItem("n", str(self._opened))
        url.setQuery(query)
        self.view.setUrl(url)

    def reset(self) -> None:
        self.size_button.setChecked(False)
        self.set_contrast(False)
        self.item_id = ""
        # A new page for the next traveller: no history of this one, a fresh renderer.
        self.view.renew_page().item_link_activated.connect(self.item_link_activated)

    def _page(self, item_id: str, wanted: list[str]) -> str | None:
        return self._pages(item_id, wanted, self.large, self.contrast)

    def _set_large(self, on: bool) -> None:
        self.large = on
        if self.item_id:
            self.show_item(self.item_id, self.wanted)

    def set_contrast(self, on: bool) -> None:
        """The page in the window's look (the window's one contrast switch)."""
        if on == self.contrast:
            return
        self.contrast = on
        if self.item_id:
            self.show_item(self.item_id, self.wanted)

    def restyle(self, *, contrast: bool, scale: float) -> None:
        """The window's look and scale: the switch's pictogram, and the page drawn as much
        larger as the screen is."""
        self.size_button.restyle(contrast=contrast, scale=scale)
        self.scale = scale
        self._zoom_to_screen()
        self.set_contrast(contrast)

    def _zoom_to_screen(self, _loaded: bool = True) -> None:
        if self.view.zoomFactor() != self.scale:
            self.view.setZoomFactor(self.scale)
