"""The traveller application: start, home, category, item and search screens in one window.

Always-visible Back and Home, breadcrumbs, a language button, the emergency numbers, an idle
reset, and keys that would leave the application swallowed. The window receives its session,
content and search ready made (see ``ui.wiring``) and says what happens at the screen through
signals; it knows nothing of staff access or usage counting.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.admin.settings import Settings
from kiosk.app.memory import release_memory
from kiosk.app.session import HOME, START, Place, Screen, Session
from kiosk.content.page import bilingual_page, item_page
from kiosk.content.store import ContentStore
from kiosk.content.takeaway import qr_svg, takeaway_text
from kiosk.content.views import ItemSummary
from kiosk.i18n import N_, _, set_language
from kiosk.languages import endonym
from kiosk.search.engine import SearchEngine, SearchResult
from ui.background import run_in_background
from ui.chrome import ChromeButton
from ui.help_bar import HelpBar
from ui.screens.category import CategoryScreen
from ui.screens.home import HomeScreen
from ui.screens.item import ItemScreen
from ui.screens.notices import NoticesScreen
from ui.screens.search import SearchScreen
from ui.screens.start import StartScreen
from ui.style import TALL_SCRIPTS, screen_scale, script_factor, style_sheet
from ui.text import PlainLabel, one_line

PROMOTED_KINDS = ("tourism", "culture", "investment")
PROMOTIONS = 12  # the attract loop shows the most important of them
CRUMB_CHARS = 160  # an item's title in the breadcrumbs, cut beyond
# Words under the pictograms of the top bar (what the button does, in a word or two).
CONTRAST_WORD = N_("Contrast")
LOW_REACH_WORD = N_("Low reach")
# Low reach: the share of the window's height left empty above the controls, when the screen
# has the room (the content's smallest size always comes first).
LOW_REACH_EMPTY = 0.4
# Keys that would leave, reload, print, save or inspect: a traveller never needs them.
_SWALLOWED = {
    QKeySequence("Alt+F4"),
    QKeySequence("Ctrl+Q"),
    QKeySequence("Ctrl+W"),
    QKeySequence("Ctrl+U"),
    QKeySequence("Ctrl+P"),
    QKeySequence("Ctrl+S"),
    QKeySequence("Ctrl+Shift+I"),
    QKeySequence("Ctrl+Shift+J"),
    QKeySequence("F12"),
    QKeySequence("F5"),
    QKeySequence("Ctrl+R"),
    QKeySequence("F11"),
    QKeySequence("Alt+Left"),
    QKeySequence("Alt+Right"),
    QKeySequence("Ctrl+L"),
    QKeySequence("Ctrl+O"),
}


class KioskWindow(QMainWindow):
    # What happens at the screen, for the parts of the kiosk beside the window (ui.wiring).
    pointer_pressed = Signal(float, float)  # a finger or button went down at (x, y)
    pointer_released = Signal(float, float, bool)  # ... and up again; True: on a control
    place_shown = Signal(object)  # Place: a screen was drawn for the traveller
    qr_shown = Signal(str)  # an item's QR code was drawn

    def __init__(
        self,
        store: ContentStore,
        session: Session,
        search: SearchEngine,
        settings: Settings,
        *,
        today: Callable[[], dt.date],
    ) -> None:
        super().__init__()
        # The day that decides what is valid: the machine's date unless it is certainly wrong.
        self.store, self.gate = store, session.gate
        self._today = today
        self.session = session
        self.search_engine = search
        # Assisted mode (set by staff access): item pages in the desk officer's language too.
        self._assisted = False
        self._staff_language = ""
        self._build()
        self.session.place_changed.connect(self._show_place)
        self.session.language_changed.connect(self._language_changed)
        self.session.reset_done.connect(self._reset_screens)
        self.apply_settings(settings, reset=False)
        # Input reaches the window's QWindow before any widget: one filter there sees every tap
        # and key. (An application-wide Python filter would also see QtWebEngine's internal
        # events, which crashes.)
        self.winId()
        handle = self.windowHandle()
        if handle is not None:
            handle.installEventFilter(self)
        self._language_changed(self.session.language)
        self._show_place(self.session.place)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QWidget(self)
        outer = QVBoxLayout(root)
        outer.setContentsMargins(12, 12, 12, 12)
        self.bar = QWidget(root)
        bar = QHBoxLayout(self.bar)
        bar.setContentsMargins(0, 0, 0, 0)
        self.back_button = ChromeButton("back", self.bar)
        self.back_button.clicked.connect(self.session.back)
        self.home_button = ChromeButton("start", self.bar)
        self.home_button.clicked.connect(lambda: self.session.go(HOME))
        self.crumbs = PlainLabel(self.bar)
        self.crumbs.setObjectName("crumbs")
        self.crumbs.setWordWrap(True)
        # Never taller or wider than the room the buttons leave: a long title is cut instead.
        self.crumbs.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.language_button = ChromeButton("language", self.bar)
        self.language_button.clicked.connect(self.session.reset)
        # The one contrast switch: the whole window and the item pages.
        self.contrast_button = ChromeButton("contrast", self.bar)
        self.contrast_button.setCheckable(True)
        self.contrast_button.toggled.connect(self._set_contrast)
        self.reach_button = ChromeButton("low-reach", self.bar)
        self.reach_button.setCheckable(True)
        self.reach_button.toggled.connect(self._set_low_reach)
        bar.addWidget(self.back_button)
        bar.addWidget(self.home_button)
        bar.addWidget(self.crumbs, 1)
        bar.addWidget(self.reach_button)
        bar.addWidget(self.contrast_button)
        bar.addWidget(self.language_button)
        # Empty room above everything in low-reach mode, so controls sit in the lower half. It
        # only takes what the screens leave: the bar never leaves the window.
        self.reach_spacer = QWidget(root)
        self.reach_spacer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.reach_spacer.hide()
        outer.addWidget(self.reach_spacer)
        outer.addWidget(self.bar)
        self.stack = QStackedWidget(root)
        self.start_screen = StartScreen(self.gate, self._promotions(), self.stack)
        self.start_screen.language_chosen.connect(self.session.choose_language)
        self.home_screen = HomeScreen(self.stack)
        self.home_screen.category_opened.connect(self._open_category)
        self.home_screen.item_opened.connect(self._open_item)
        self.home_screen.search_requested.connect(lambda: self.session.go(Place(Screen.SEARCH)))
        self.home_screen.notices_requested.connect(lambda: self.session.go(Place(Screen.NOTICES)))
        self.notices_screen = NoticesScreen(self.stack)
        self.notices_screen.item_opened.connect(self._open_item)
        self.category_screen = CategoryScreen(self.stack)
        self.category_screen.category_opened.connect(self._open_category)
        self.category_screen.item_opened.connect(self._open_item)
        # The web view is made after the first frame (see item_screen): QtWebEngine takes a
        # noticeable time to start, and the start screen should not wait for it.
        self._item_screen: ItemScreen | None = None
        QTimer.singleShot(0, self, lambda: self.item_screen)  # not once the window is gone
        self.search_screen = SearchScreen(self._search, list(self.gate.languages), self.stack)
        self.search_screen.item_opened.connect(self._open_item)
        self.screens = {
            Screen.START: self.start_screen,
            Screen.HOME: self.home_screen,
            Screen.CATEGORY: self.category_screen,
            Screen.SEARCH: self.search_screen,
            Screen.NOTICES: self.notices_screen,
        }
        for screen in self.screens.values():
            self.stack.addWidget(screen)
        self.stack.currentChanged.connect(self._fit_stack_to_current)
        outer.addWidget(self.stack, 1)
        self.help_bar = HelpBar(root)
        outer.addWidget(self.help_bar)
        self.setCentralWidget(root)
        self._contrast = False
        self._scale = 1.0
        self._restyle()

    @property
    def item_screen(self) -> ItemScreen:
        if self._item_screen is None:
            screen = ItemScreen(
                self._item_html, self._media, self._qr, self.stack, item_media=self.store.item_media
            )
            screen.item_link_activated.connect(self._open_item)
            screen.retranslate()
            screen.restyle(contrast=self._contrast, scale=self._scale)
            self.stack.addWidget(screen)
            self.screens[Screen.ITEM] = screen
            self._item_screen = screen
        return self._item_screen

    # -- navigation --------------------------------------------------------------------------
    def _open_category(self, category_id: str) -> None:
        self.session.go(Place(Screen.CATEGORY, category_id))

    def _open_item(self, item_id: str) -> None:
        self.session.go(Place(Screen.ITEM, item_id))

    def _show_place(self, place: Place) -> None:
        wanted = self.session.wanted_languages()
        today = self._today()
        self.place_shown.emit(place)
        if place.screen == Screen.HOME:
            self.home_screen.show_content(
                self.store.categories(self.gate.id, today),
                self.store.urgent_notices(self.gate.id, today),
                wanted,
            )
        elif place.screen == Screen.CATEGORY:
            categories = self.store.categories(self.gate.id, today)
            current = next((c for c in categories if c.id == place.target), None)
            if current is None:
                self.session.go(HOME)
                return
            children = [c for c in categories if c.parent == current.id]
            items = [
                i
                for i in self.store.items(self.gate.id, today, category=current.id)
                if i.category == current.id
            ]
            self.category_screen.show_content(current, children, items, wanted)
        elif place.screen == Screen.ITEM:
            self.item_screen.show_item(place.target, wanted)
        elif place.screen == Screen.NOTICES:
            notices = self.store.urgent_notices(self.gate.id, today)
            self.notices_screen.show_content(notices, wanted)
        elif place.screen == Screen.SEARCH:
            self.search_screen.start(self.session.language, self.session.search_text)
        self.stack.setCurrentWidget(self.screens[place.screen])
        self.bar.setVisible(place != START)
        self.back_button.setEnabled(len(self.session.history) > 2)
        self.reach_spacer.setVisible(self.reach_button.isChecked() and place != START)
        self.crumbs.setText(self._breadcrumbs())

    def _breadcrumbs(self) -> str:
        wanted = self.session.wanted_languages()
        names = {c.id: c for c in self.store.categories(self.gate.id, self._today())}
        parts = [_("Home")]
        for place in self.session.history[2:]:
            if place.screen == Screen.CATEGORY and place.target in names:
                parts.append(names[place.target].name(*wanted))
            elif place.screen == Screen.ITEM:
                item = self.store.item(place.target, self.gate.id, self._today())
                if item is not None:
                    parts.append(one_line(item.translation(*wanted).title, CRUMB_CHARS))
            elif place.screen == Screen.SEARCH:
                parts.append(_("Search"))
            elif place.screen == Screen.NOTICES:
                parts.append(_("Urgent notices"))
        return "  ›  ".join(parts)

    # -- language, contrast, reset -----------------------------------------------------------
    def _language_changed(self, lang: str) -> None:
        set_language(lang)
        self.setWindowTitle(_("Border information kiosk"))
        self.back_button.set_word(_("Back"))
        self.home_button.set_word(_("Home"))
        self.language_button.set_word(endonym(lang), _("Choose another language"))
        self.contrast_button.set_word(_(CONTRAST_WORD), _("High contrast"))
        self.reach_button.set_word(_(LOW_REACH_WORD), _("Low reach: controls in the lower half"))
        self.crumbs.setAccessibleName(_("You are here"))
        self.help_bar.retranslate()
        if self._item_screen is not None:
            self._item_screen.retranslate()
        self.search_screen.keyboard.set_language(lang)
        self._restyle()  # Lao and Khmer are drawn larger

    def _set_low_reach(self, on: bool) -> None:
        """Bar at the bottom and the upper part of the screen left empty, for wheelchair users
        and children; off again at the next traveller.

        The empty part takes only the height the screens can spare (its size policy ignores
        its own hint, and its stretch shares what is left with the screens), so the bar, the
        help line and the switch to come back never leave the window, whatever its shape.
        """
        central = self.centralWidget()
        outer = central.layout() if central is not None else None
        assert isinstance(outer, QVBoxLayout)
        outer.removeWidget(self.bar)
        if on:
            outer.insertWidget(outer.indexOf(self.help_bar), self.bar)
        else:
            outer.insertWidget(outer.indexOf(self.reach_spacer) + 1, self.bar)
        empty = round(LOW_REACH_EMPTY * 10)
        outer.setStretchFactor(self.reach_spacer, empty if on else 0)
        outer.setStretchFactor(self.stack, 10 - empty if on else 1)
        self.reach_spacer.setVisible(on and self.session.place != START)

    def _fit_stack_to_current(self, _index: int = -1) -> None:
        """The window asks only for the room of the screen shown: a stack asks for the largest
        of its pages (the start screen of seven languages, the search screen's keyboard), which
        pushed the bar and the help line off a 1366×768 screen."""
        current = self.stack.currentWidget()
        for index in range(self.stack.count()):
            page = self.stack.widget(index)
            if page is None:
                continue
            wanted = (
                QSizePolicy.Policy.Preferred if page is current else QSizePolicy.Policy.Ignored
            )
            if page.sizePolicy().verticalPolicy() != wanted:
                policy = page.sizePolicy()
                policy.setVerticalPolicy(wanted)
                page.setSizePolicy(policy)

    def _set_contrast(self, on: bool) -> None:
        self._contrast = on
        self._restyle()

    def _restyle(self) -> None:
        """The look for the contrast switch, the chosen language's script and the screen."""
        for lang, language in self.start_screen.buttons.items():
            # Endonyms in Lao and Khmer on the start screen, whatever the language now.
            language.setProperty("script", "tall" if lang in TALL_SCRIPTS else "")
        script = script_factor(self.session.language)
        self.setStyleSheet(style_sheet(contrast=self._contrast, script=script, scale=self._scale))
        for button in (
            self.back_button, self.home_button, self.language_button,
            self.contrast_button, self.reach_button,
        ):  # fmt: skip
            button.restyle(contrast=self._contrast, scale=self._scale)
        self.help_bar.restyle(contrast=self._contrast, scale=self._scale)
        if self._item_screen is not None:
            self._item_screen.restyle(contrast=self._contrast, scale=self._scale)

    def resizeEvent(self, event: QResizeEvent) -> None:
        scale = screen_scale(event.size().width(), event.size().height())
        if scale != self._scale:
            self._scale = scale
            self._restyle()
        super().resizeEvent(event)

    def _reset_screens(self) -> None:
        self.start_screen.show_welcome()
        self.reach_button.setChecked(False)
        self.search_screen.clear()
        if self._item_screen is not None:
            self._item_screen.reset()
        self.contrast_button.setChecked(False)
        release_memory()

    # -- what staff access asks of the window (ui.admin.controller.StaffHost) ----------------
    def today(self) -> dt.date:
        return self._today()

    def add_top_bar(self, widget: QWidget) -> None:
        """A bar above the navigation bar (assisted mode's)."""
        central = self.centralWidget()
        layout = central.layout() if central is not None else None
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, widget)

    def page_parent(self) -> QWidget:
        """Where full-screen pages of staff access (PIN pad, panel) are made."""
        return self.stack

    def add_page(self, page: QWidget) -> None:
        self.stack.addWidget(page)

    def show_page(self, page: QWidget) -> None:
        """A full-screen page in place of the traveller's screens, without the navigation bar."""
        self.stack.setCurrentWidget(page)
        self.bar.setVisible(False)

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    def set_assisted(self, on: bool) -> None:
        self._assisted = on

    def set_staff_language(self, lang: str) -> None:
        """The desk officer's language for bilingual item pages; an open item is redrawn."""
        self._staff_language = lang
        place = self.session.place
        if place.screen == Screen.ITEM:
            self.item_screen.show_item(place.target, self.session.wanted_languages())

    # -- settings from the maintenance panel -------------------------------------------------

    def apply_settings(self, settings: Settings, *, reset: bool = True) -> None:
        """Gate profile, offered languages and idle timeout, applied at once."""
        self.session.set_idle_seconds(settings.idle_seconds)
        base = self.store.gate(settings.gate) if settings.gate else None
        base = base or self.store.gate(self.gate.id) or self.gate
        offered = [lang for lang in base.languages if lang in settings.languages]
        gate = dataclasses.replace(base, languages=tuple(offered or base.languages))
        if gate == self.gate:
            return
        self.gate = gate
        self.session.gate = gate
        old = self.start_screen
        self.start_screen = StartScreen(gate, self._promotions(), self.stack)
        self.start_screen.language_chosen.connect(self.session.choose_language)
        self.stack.insertWidget(self.stack.indexOf(old), self.start_screen)
        self.screens[Screen.START] = self.start_screen
        self.stack.removeWidget(old)
        old.deleteLater()
        self._fit_stack_to_current()
        self._restyle()
        self.search_screen.keyboard.set_languages(list(gate.languages))
        if reset:
            self.session.reset()

    # -- new content from a sync -------------------------------------------------------------
    def refresh_content(self) -> None:
        """Show the new revision where the traveller is: same screen, same place, new texts.
        An item or category that is gone leads back home. The whole-store queries run on a
        worker thread first, so the screen is redrawn from warm answers."""
        today, gate = self._today(), self.gate.id

        def prepare() -> list[ItemSummary]:
            self.store.categories(gate, today)
            self.store.urgent_notices(gate, today)
            return self._promotions()

        run_in_background(prepare, self._show_new_content, context=self)

    def _show_new_content(self, promotions: list[ItemSummary]) -> None:
        place = self.session.place
        self.start_screen.set_promotions(promotions)
        if self.stack.currentWidget() not in self.screens.values():
            return  # the PIN pad or the panel is open: the screens refresh when it closes
        if (
            place.screen == Screen.ITEM
            and self.store.item(place.target, self.gate.id, self._today()) is None
        ):
            self.session.go(HOME)
            return
        if place.screen == Screen.SEARCH:
            self.search_screen.refresh()
            return
        self._show_place(place)

    def _promotions(self) -> list[ItemSummary]:
        return self.store.items(self.gate.id, self._today(), kinds=PROMOTED_KINDS, limit=PROMOTIONS)

    # -- content callbacks -------------------------------------------------------------------
    def _item_html(
        self, item_id: str, wanted: list[str], large: bool, contrast: bool
    ) -> str | None:
        item = self.store.item(item_id, self.gate.id, self._today())
        if item is None:
            return None
        traveller = wanted or self.session.wanted_languages()
        if self._assisted:
            staff = list(dict.fromkeys([self._staff_language, *traveller]))
            return bilingual_page(item, staff, traveller, large=large, contrast=contrast)
        return item_page(item, traveller, large=large, contrast=contrast)

    def _qr(self, item_id: str, wanted: list[str]) -> bytes | None:
        self.qr_shown.emit(item_id)
        item = self.store.item(item_id, self.gate.id, self._today())
        return None if item is None else qr_svg(takeaway_text(item, wanted))

    def _media(self, sha256: str) -> tuple[bytes, str] | None:
        found = self.store.media(sha256)
        return None if found is None else (found[0].read_bytes(), found[1])

    def _search(self, query: str, lang: str) -> SearchResult:
        self.session.search_text = query
        return self.search_engine.search(query, lang, self.gate.id, self._today())

    # -- every input: idle countdown and lockdown --------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.KeyPress,
            QEvent.Type.Wheel,
        ):
            self.session.touched()
        presses = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
        if kind in (*presses, QEvent.Type.MouseButtonRelease) and isinstance(event, QMouseEvent):
            # Touch screens deliver taps as synthesised mouse events too; a quick second tap
            # arrives as a double click.
            point = event.position()
            if kind in presses:
                self.pointer_pressed.emit(point.x(), point.y())
            else:
                target = self.childAt(point.toPoint())
                on_control = isinstance(target, (QAbstractButton, QLineEdit))
                self.pointer_released.emit(point.x(), point.y(), on_control)
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            combination = QKeySequence(event.keyCombination())
            if combination in _SWALLOWED or event.key() in (
                Qt.Key.Key_Meta,
                Qt.Key.Key_Super_L,
                Qt.Key.Key_Super_R,
            ):
                return True
        if kind == QEvent.Type.ContextMenu:
            return True
        return super().eventFilter(watched, event)
