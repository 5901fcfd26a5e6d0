"""The composition root of the kiosk application.

The services are opened once (``kiosk.app.services``) and handed in; here the traveller's
session, the window, staff access and the sync service are built on them, and every signal
between those parts is connected in one method, :meth:`Kiosk._connect_signals`, to slots named
for what happened. The window and staff access never import each other: staff access sees the
window through its small ``StaffHost`` surface, and each says what happened with signals.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.admin.settings import Settings
from kiosk.app.services import Services
from kiosk.app.session import DEFAULT_IDLE_SECONDS, START, Place, Screen, Session
from kiosk.app.sync_service import SyncService
from kiosk.content.views import GateView
from kiosk.search.engine import SearchResult
from ui.admin.controller import AdminController
from ui.keyboard_candidates import PinyinWords
from ui.kiosk_window import KioskWindow
from ui.more_time import MoreTimePrompt


class Kiosk(QObject):
    """One kiosk application: its window, staff access and sync, wired together. It lives as
    long as its window (``window``), which owns it."""

    restart_requested = Signal()  # the service manager starts the application again
    quit_requested = Signal()

    def __init__(
        self,
        services: Services,
        gate: GateView,
        *,
        idle_seconds: int = DEFAULT_IDLE_SECONDS,
        feed: str | None = None,
        hub: tuple[str, str, str] | None = None,
        schedule_sync: bool = True,
    ) -> None:
        session = Session(gate, idle_seconds)
        window = KioskWindow(
            services.store, session, services.search, services.settings, today=services.today
        )
        super().__init__(window)
        session.setParent(self)
        self.services, self.session, self.window = services, session, window
        # On the gate the saved settings chose (the window has applied them).
        self.sync = SyncService(
            services.store.data_dir, feed, window.gate.id,
            schedule=schedule_sync, hub=hub, parent=self,
        )  # fmt: skip
        self.admin = AdminController(window, services, session, self.sync, parent=self)
        # The content's Chinese words, offered as pinyin is typed on the on-screen keyboard.
        self.pinyin_words = PinyinWords(services.store, parent=self)
        window.search_screen.keyboard.set_candidates(self.pinyin_words)
        self.more_time = MoreTimePrompt(window)
        self._connect_signals()

    def _connect_signals(self) -> None:
        session, window, admin, sync = self.session, self.window, self.admin, self.sync
        # the traveller's session
        session.reset_done.connect(self._on_session_reset)
        session.timed_out.connect(admin.on_timed_out)
        session.more_time_offered.connect(self._on_more_time_offered)
        session.more_time_closed.connect(self.more_time.close_offer)
        self.more_time.continue_tapped.connect(session.touched)
        # taps anywhere: the hidden corner gestures of staff access
        window.pointer_pressed.connect(admin.on_press)
        window.pointer_released.connect(admin.on_release)
        # what travellers do, counted anonymously
        window.place_shown.connect(self._on_place_shown)
        window.qr_shown.connect(self._on_qr_shown)
        window.search_screen.results_shown.connect(self._on_search_results_shown)
        window.search_screen.keyboard.text_edited.connect(self._on_keyboard_typed)
        # staff access asks the window
        admin.settings_saved.connect(self._on_settings_saved)
        admin.assisted_changed.connect(window.set_assisted)
        admin.staff_language_changed.connect(window.set_staff_language)
        admin.restart_requested.connect(self.restart_requested)
        admin.quit_requested.connect(self.quit_requested)
        # the sync beside the kiosk
        sync.step.connect(admin.on_sync_step)
        sync.finished.connect(admin.on_sync_finished)
        sync.content_changed.connect(self._on_new_content)

    # -- slots -------------------------------------------------------------------------------
    def _on_session_reset(self) -> None:
        """A traveller's session ended: count it, and staff access decides the next timeout."""
        self.services.usage.session_ended()
        self.admin.on_session_reset()

    def _on_more_time_offered(self, seconds: int) -> None:
        self.more_time.offer(seconds, self.session.language)

    def _on_place_shown(self, place: Place) -> None:
        if place == START:
            return
        usage = self.services.usage
        if not usage.in_session:  # a traveller has chosen a language: a session begins
            usage.session_started()
            if self.admin.assisted_on:
                usage.assisted_used()
        usage.language_chosen(self.session.language)
        if place.screen == Screen.CATEGORY:
            usage.category_opened(place.target)
        elif place.screen == Screen.ITEM:
            usage.item_opened(place.target, self.session.language)

    def _on_qr_shown(self, item_id: str) -> None:
        self.services.usage.qr_shown(item_id)

    def _on_search_results_shown(self, result: SearchResult) -> None:
        self.services.usage.searched(result.lang, result.query, len(result.hits))

    def _on_keyboard_typed(self, _text: str) -> None:
        self.services.usage.keyboard_used(self.window.search_screen.keyboard.layout_lang)

    def _on_settings_saved(self, settings: Settings) -> None:
        self.window.apply_settings(settings, reset=False)  # a new session starts on close

    def _on_new_content(self, _revision: int) -> None:
        self.window.refresh_content()
        self.pinyin_words.refresh()
