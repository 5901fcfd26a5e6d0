"""The first kiosk window: the gate's categories, their items, and the item view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QUrl, QUrlQuery, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.page import item_page
from kiosk.content.store import ContentStore
from kiosk.content.views import GateView
from kiosk.i18n import _, set_language
from kiosk.languages import endonym
from ui.scheme import SCHEME, KioskSchemeHandler
from ui.webview import ItemWebView, kiosk_profile

ID_ROLE = Qt.ItemDataRole.UserRole


class MainWindow(QMainWindow):
    """Categories of one gate profile on the left, items in the middle, the item on the right."""

    item_opened = Signal(str, str)  # item id, language it was asked for
    language_changed = Signal(str)

    def __init__(
        self, store: ContentStore, gate: GateView, today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        super().__init__()
        self.store, self.gate, self._today = store, gate, today
        self.language = gate.languages[0] if gate.languages else store.default_language()
        self._profile = kiosk_profile(None)
        self._handler = KioskSchemeHandler(self._page_html, self._media, self._profile)
        self._profile.installUrlSchemeHandler(SCHEME, self._handler)
        self._build()
        # Qt deletes children in the order they were added, and a profile must outlive its
        # pages: adopting the profile last makes it the last child to go.
        self._profile.setParent(self)
        self.view.kiosk_page().item_link_activated.connect(self.open_item)
        self.set_language(self.language)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QWidget(self)
        outer = QVBoxLayout(root)
        top = QHBoxLayout()
        self.gate_label = QLabel(root)
        self.gate_label.setFont(QFont(self.font().family(), 16, QFont.Weight.Bold))
        top.addWidget(self.gate_label, 1)
        self.language_buttons: dict[str, QPushButton] = {}
        for lang in self.gate.languages:
            button = QPushButton(endonym(lang), root)
            button.setCheckable(True)
            button.setMinimumSize(96, 56)
            button.clicked.connect(lambda _checked=False, lang=lang: self.set_language(lang))
            self.language_buttons[lang] = button
            top.addWidget(button)
        outer.addLayout(top)
        self.banner = QLabel(root)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background:#b3261e;color:white;padding:10px;font-size:16px;")
        outer.addWidget(self.banner)
        body = QHBoxLayout()
        self.categories = QListWidget(root)
        self.categories.setMinimumWidth(300)
        self.categories.currentItemChanged.connect(self._category_chosen)
        self.items = QListWidget(root)
        self.items.setMinimumWidth(360)
        self.items.setWordWrap(True)
        self.items.itemActivated.connect(self._item_chosen)
        self.items.itemClicked.connect(self._item_chosen)
        for widget in (self.categories, self.items):
            widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            widget.setStyleSheet(
                "QListWidget { font-size: 18px; } "
                "QListWidget::item { min-height: 56px; padding: 4px; }"
            )
        self.view = ItemWebView(self._profile, root)
        body.addWidget(self.categories)
        body.addWidget(self.items)
        body.addWidget(self.view, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(root)

    # -- language ----------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        self.language = lang
        set_language(lang)
        for code, button in self.language_buttons.items():
            button.setChecked(code == lang)
        self.retranslate()
        self.language_changed.emit(lang)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Border information kiosk"))
        self.gate_label.setText(self.gate.name(self.language))
        self.gate_label.setAccessibleName(_("Border gate"))
        for code, button in self.language_buttons.items():
            button.setAccessibleName(
                _("Show information in {language}").format(language=endonym(code))
            )
        self.categories.setAccessibleName(_("Categories"))
        self.items.setAccessibleName(_("Items in the chosen category"))
        self.view.setAccessibleName(_("Item text"))
        self.banner.setAccessibleName(_("Urgent notice"))
        self._fill_banner()
        self._fill_categories()

    def wanted_languages(self) -> list[str]:
        """The reader's language first, then the gate's, then the content's default."""
        order = [self.language, *self.gate.languages, self.store.default_language()]
        return list(dict.fromkeys(order))

    # -- content -----------------------------------------------------------------------------
    def _fill_banner(self) -> None:
        notices = self.store.urgent_notices(self.gate.id, self._today())
        titles = [n.title(*self.wanted_languages())[1] for n in notices]
        self.banner.setText("  ·  ".join(titles))
        self.banner.setVisible(bool(titles))

    def _fill_categories(self) -> None:
        current = self.categories.currentItem()
        chosen = current.data(ID_ROLE) if current else None
        self.categories.blockSignals(True)
        self.categories.clear()
        wanted = self.wanted_languages()
        views = self.store.categories(self.gate.id, self._today())
        by_parent: dict[str | None, list] = {}
        for view in views:
            by_parent.setdefault(view.parent, []).append(view)

        def add(parent: str | None, depth: int) -> None:
            for view in by_parent.get(parent, []):
                entry = QListWidgetItem("    " * depth + view.name(*wanted))
                entry.setData(ID_ROLE, view.id)
                self.categories.addItem(entry)
                if view.id == chosen:
                    self.categories.setCurrentItem(entry)
                add(view.id, depth + 1)

        add(None, 0)
        self.categories.blockSignals(False)
        self._category_chosen(self.categories.currentItem())

    def _category_chosen(self, current: QListWidgetItem | None, *_args: object) -> None:
        self.items.clear()
        if current is None:
            return
        wanted = self.wanted_languages()
        for summary in self.store.items(
            self.gate.id, self._today(), category=current.data(ID_ROLE)
        ):
            lang, title = summary.title(*wanted)
            entry = QListWidgetItem(title if lang == wanted[0] else f"{title} ({endonym(lang)})")
            entry.setData(ID_ROLE, summary.id)
            self.items.addItem(entry)

    def select_category(self, category_id: str) -> bool:
        for row in range(self.categories.count()):
            if self.categories.item(row).data(ID_ROLE) == category_id:
                self.categories.setCurrentRow(row)
                return True
        return False

    def _item_chosen(self, entry: QListWidgetItem) -> None:
        self.open_item(entry.data(ID_ROLE))

    def open_item(self, item_id: str) -> None:
        url = QUrl(f"kiosk://item/{item_id}")
        query = QUrlQuery()
        query.addQueryItem("lang", ",".join(self.wanted_languages()))
        url.setQuery(query)
        self.view.setUrl(url)
        self.item_opened.emit(item_id, self.language)

    # -- scheme callbacks --------------------------------------------------------------------
    def _page_html(self, item_id: str, wanted: list[str]) -> str | None:
        item = self.store.item(item_id, self.gate.id, self._today())
        return None if item is None else item_page(item, wanted or self.wanted_languages())

    def _media(self, sha256: str) -> tuple[bytes, str] | None:
        found = self.store.media(sha256)
        return None if found is None else (found[0].read_bytes(), found[1])
