"""Staff and operator access on the kiosk window: the hidden gestures, the PIN pad, the
maintenance panel and assisted mode. Every action is written to the audit log.

Five taps in the top-right corner ask for the admin PIN (the panel); five in the top-left
corner ask for the staff PIN (assisted mode). The idle reset ends both.

The controller receives its services ready made and knows the window only through the small
``StaffHost`` surface; what the window must do in turn it says with signals (``ui.wiring``
connects both sides).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from kiosk import usb
from kiosk.admin.pins import RECOVERY, PinPurpose, PinRefused, Role
from kiosk.admin.settings import SettingRefused, Settings, save_settings
from kiosk.app.gesture import CornerTaps
from kiosk.app.services import Services
from kiosk.app.session import Place, Screen, Session
from kiosk.app.sync_service import SyncService
from kiosk.i18n import _
from kiosk.storage import WRITE_ERRORS, first_line, write_problem
from kiosk.sync import status as st
from kiosk.sync.trust import NONE, trust_state, trust_text
from kiosk.textsafe import shown
from ui.admin import messages
from ui.admin.assisted import AssistedBar
from ui.admin.confirm import ConfirmPage
from ui.admin.messages import storage_text
from ui.admin.panel import MaintenancePanel
from ui.admin.pin_pad import PinPad

log = logging.getLogger("kiosk.admin")


class StaffHost(Protocol):
    """What staff access needs from the window it runs in, and nothing more."""

    def width(self) -> int: ...
    def height(self) -> int: ...
    def page_parent(self) -> QWidget: ...  # where the PIN pad, panel and confirmations live
    def add_page(self, page: QWidget) -> None: ...  # hidden until shown
    def show_page(self, page: QWidget) -> None: ...  # full screen, navigation bar hidden
    def current_page(self) -> QWidget | None: ...
    def add_top_bar(self, widget: QWidget) -> None: ...  # assisted mode's bar


class AdminController(QObject):
    restart_requested = Signal()
    quit_requested = Signal()
    audit_written = Signal(str)  # the action, once it is in the audit log
    settings_saved = Signal(object)  # Settings: saved, to be applied by the window now
    assisted_changed = Signal(bool)  # assisted mode went on or off
    staff_language_changed = Signal(str)  # the desk officer chose their language

    def __init__(
        self,
        host: StaffHost,
        services: Services,
        session: Session,
        sync: SyncService,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.host, self.session, self.sync = host, session, sync
        self.store, self.usage, self.today = services.store, services.usage, services.today
        self.engine, self.pins, self.audit = services.admin_db, services.pins, services.audit
        self.settings = services.settings
        self.admin_taps = CornerTaps(host.width(), host.height())
        self.staff_taps = CornerTaps(host.width(), host.height(), corner="left")
        self.pad = PinPad(host.page_parent())
        self.pad.entered.connect(self._pin_entered)
        self.pad.cancelled.connect(self._pad_cancelled)
        self.pad.recovery_requested.connect(lambda: self.ask_pin(Role.ADMIN, PinPurpose.RECOVERY))
        host.add_page(self.pad)
        self.panel: MaintenancePanel | None = None
        self.confirm: ConfirmPage | None = None
        self.assisted: AssistedBar | None = None
        self.staff_language = ""
        self.clock = time.monotonic
        self._asking: tuple[Role, PinPurpose] = (Role.ADMIN, PinPurpose.OPEN)
        self._new_pin = ""
        self._may_change: Role | None = None  # whose current PIN was just given, in this change
        self._syncing = False  # a sync started from the panel is running

    def _record(self, actor: Role, action: str, detail: str = "") -> None:
        # A disk that refuses the entry (logged, and named in the panel) must not stop the
        # action: on a full or read-only disk the operator still opens the panel to read why.
        if self.audit.try_record(actor, action, detail) is not None:
            self.audit_written.emit(action)

    # -- gestures ----------------------------------------------------------------------------
    def on_press(self, x: float, y: float) -> None:
        now = self.clock()
        for taps in (self.admin_taps, self.staff_taps):
            taps.resize(self.host.width(), self.host.height())
            taps.press(x, y, now)

    def on_release(self, x: float, y: float, on_control: bool) -> None:
        now = self.clock()
        if self.admin_taps.release(x, y, now, on_control=on_control):
            self.ask_pin(Role.ADMIN)
        elif self.staff_taps.release(x, y, now, on_control=on_control):
            self.ask_pin(Role.STAFF)

    # -- PINs ----------------------------------------------------------------------------------
    def ask_pin(self, role: Role, purpose: PinPurpose = PinPurpose.OPEN) -> None:
        self._asking = (role, purpose)
        titles = {
            (Role.ADMIN, PinPurpose.OPEN): _("Admin PIN"),
            (Role.STAFF, PinPurpose.OPEN): _("Staff PIN"),
            (Role.ADMIN, PinPurpose.RECOVERY): _("Recovery code"),
            (Role.ADMIN, PinPurpose.CURRENT): _("Current admin PIN"),
            (Role.STAFF, PinPurpose.CURRENT): _("Current staff PIN, or the admin PIN"),
            (Role.ADMIN, PinPurpose.NEW_PIN): _("New admin PIN"),
            (Role.STAFF, PinPurpose.NEW_PIN): _("New staff PIN"),
            (Role.ADMIN, PinPurpose.REPEAT): _("The new admin PIN again"),
            (Role.STAFF, PinPurpose.REPEAT): _("The new staff PIN again"),
        }
        self.pad.retranslate()
        offer_recovery = (role, purpose) == (Role.ADMIN, PinPurpose.OPEN) and self.pins.is_set(
            RECOVERY
        )
        self.pad.ask(titles[(role, purpose)], recovery=offer_recovery)
        self.host.show_page(self.pad)
        # The pad, like the panel, closes by itself when left, on the start screen too.
        self.session.staff_access = True
        self.session.touched()

    def _pad_cancelled(self) -> None:
        if self._asking[1] in (PinPurpose.CURRENT, PinPurpose.NEW_PIN, PinPurpose.REPEAT):
            self._new_pin, self._may_change = "", None
            self.open_panel()  # back to the panel the PIN change started from
        else:
            self._back_to_traveller()

    def _pin_entered(self, pin: str) -> None:
        role, purpose = self._asking
        if purpose == PinPurpose.CURRENT:
            self._check_current_pin(role, pin)
            return
        if purpose == PinPurpose.RECOVERY:
            self._check_recovery_code(pin)
            return
        if purpose == PinPurpose.NEW_PIN:
            self._new_pin = pin
            self.ask_pin(role, PinPurpose.REPEAT)
            return
        if purpose == PinPurpose.REPEAT:
            self._finish_pin_change(role, pin)
            return
        if not self.pins.is_set(role):
            self.pad.show_message(
                _("No admin PIN is set on this kiosk. Set one with: kiosk admin set-pin")
                if role == Role.ADMIN
                else _("No staff PIN is set on this kiosk. Set one with: kiosk admin set-pin")
            )
            return
        check = self.pins.check(role, pin)
        if check.ok:
            self._record(role, "pin-accepted")
            self.open_panel() if role == Role.ADMIN else self.start_assisted()
            return
        if check.locked:
            self._record(role, "pin-locked-out", f"wait={check.wait_seconds}s")
        else:
            self._record(role, "pin-refused", f"failures={check.failures}")
        if check.wait_seconds:
            self.pad.show_message(messages.wait_text(check.wait_seconds))
        else:
            self.pad.show_message(_("Wrong PIN."))

    def _check_current_pin(self, role: Role, pin: str) -> None:
        """A PIN is changed only by whoever knows it (or the admin PIN): a panel left open is
        not enough. Wrong entries count towards the lockout like any other."""
        check = self.pins.check(role, pin, or_role=Role.ADMIN if role == Role.STAFF else None)
        if check.ok:
            self._may_change = role
            self.ask_pin(role, PinPurpose.NEW_PIN)
            return
        counted = f"wait={check.wait_seconds}s" if check.locked else f"failures={check.failures}"
        detail = f"{role} {counted}"
        self._record(Role.ADMIN, "pin-change-refused", detail)
        self.open_panel()
        assert self.panel is not None
        if check.wait_seconds:
            message = messages.change_wait_text(check.wait_seconds)
        else:
            message = _("The PIN was not changed: the current PIN was wrong.")
        self.panel.show_settings_message(message)

    def _check_recovery_code(self, code: str) -> None:
        check = self.pins.use_recovery_code(code)
        if check.ok:
            self._record(Role.ADMIN, "recovery-code-used")
            self.open_panel()
            assert self.panel is not None
            self.panel.show_settings_message(
                _(
                    "Recovery code accepted: the PIN lockout is cleared. The code works only "
                    "once: set the admin PIN again with kiosk admin set-pin to print a new one."
                )
            )
            return
        if check.locked:
            self._record(Role.ADMIN, "recovery-code-locked-out", f"wait={check.wait_seconds}s")
        else:
            self._record(Role.ADMIN, "recovery-code-refused", f"failures={check.failures}")
        if check.wait_seconds:
            self.pad.show_message(messages.wait_text(check.wait_seconds, code=True))
        else:
            self.pad.show_message(_("Wrong recovery code."))

    def _finish_pin_change(self, role: Role, pin: str) -> None:
        assert self.panel is not None
        allowed, self._may_change = self._may_change == role, None
        if not allowed:  # only reached after the current PIN; never without it
            message = _("The PIN was not changed: the current PIN was wrong.")
        elif pin != self._new_pin:
            message = _("The two PINs differ; the PIN was not changed.")
        else:
            try:
                self.pins.set_pin(role, pin)
            except PinRefused as exc:
                message = messages.pin_refusal_text(exc)
            except WRITE_ERRORS as exc:  # one transaction: the old PIN stays
                message = self._not_written(exc, "pin")
            else:
                self._record(Role.ADMIN, "pin-changed", role)
                message = (
                    _("The admin PIN was changed.")
                    if role == Role.ADMIN
                    else _("The staff PIN was changed.")
                )
        self._new_pin = ""
        self.open_panel()
        self.panel.show_settings_message(message)

    def _not_written(self, exc: BaseException, what: str) -> str:
        """Why a change did not reach the disk, in the words of the panel's status."""
        problem = write_problem(exc, self.store.data_dir)
        if problem is None:  # the disk's own words are in English: they go to the log
            log.warning("%s not written: %s", what, first_line(exc))
            return messages.unwritten_text(pin=what == "pin")
        if what == "pin":
            return _("The PIN was not changed. {problem}").format(problem=storage_text(problem))
        return _("The settings were not saved. {problem}").format(problem=storage_text(problem))

    # -- panel -----------------------------------------------------------------------------
    def open_panel(self) -> None:
        if self.panel is None:
            self.panel = MaintenancePanel(
                self.store, self.store.gates(), self.audit, self.host.page_parent()
            )
            self.panel.closed.connect(self._close_panel)
            self.panel.sync_requested.connect(self._sync)
            self.panel.settings_saved.connect(self._save_settings)
            self.panel.change_pin_requested.connect(
                lambda role: self.ask_pin(role, PinPurpose.CURRENT)
            )
            self.panel.restart_requested.connect(lambda: self._confirm("restart"))
            self.panel.leave_requested.connect(lambda: self._confirm("leave"))
            self.panel.export_requested.connect(self._export_usage)
            self.panel.usage = self.usage.counters
            self.panel.recorder = self.usage
            self.host.add_page(self.panel)
        self.session.set_idle_seconds(self.settings.staff_idle_seconds)
        self.session.staff_access = True  # the staff timeout runs on the start screen too
        self.session.touched()
        self.panel.refresh(self.settings, self.session.gate, self.session.language)
        self.host.show_page(self.panel)

    def _close_panel(self) -> None:
        self._record(Role.ADMIN, "panel-closed")
        self._back_to_traveller()

    def _back_to_traveller(self) -> None:
        self.session.set_idle_seconds(self.settings.idle_seconds)
        self.session.reset()

    def _sync(self, source: str) -> None:
        assert self.panel is not None
        service = self.sync
        if service.running:
            self.panel.show_progress(_("A sync is already running."))
            return
        if not service.sync_now(source or None):
            if trust_state(self.store.data_dir) == NONE:  # a stick would be refused too
                self.panel.show_progress(trust_text(NONE))
            else:
                self.panel.show_progress(_("No feed is set: import from a USB stick instead."))
            return
        what = f"bundle {shown(Path(source).name)}" if source else "feed"
        self._record(Role.ADMIN, "usb-import" if source else "sync-now", what)
        self.panel.show_progress(_("Syncing…"))
        self._syncing = True

    def on_sync_step(self, status: st.SyncStatus) -> None:
        """A step of a running sync, said in the panel's language."""
        if self._syncing and self.panel is not None:
            self.panel.show_progress(messages.progress_text(status))

    def on_sync_finished(self, status: st.SyncStatus) -> None:
        """A sync ended; the one started from the panel is recorded and its outcome shown."""
        if not self._syncing:
            return
        self._syncing = False
        self._record(Role.ADMIN, "sync-finished", status.last_outcome or "")
        if self.panel is not None:
            self.panel.show_progress(messages.sync_result_text(status))
            self.panel.refresh_status()

    def _save_settings(self, chosen: Settings) -> None:
        assert self.panel is not None
        chosen.feed = self.settings.feed
        try:
            save_settings(self.engine, chosen)
        except SettingRefused as exc:
            log.warning("settings refused: %s", exc)
            self.panel.show_settings_message(messages.setting_refused_text())
            return
        except WRITE_ERRORS as exc:
            # The settings are one transaction: nothing was saved, nothing is applied, and the
            # panel goes back to the settings in force.
            self.panel.refresh(self.settings, self.session.gate, self.session.language)
            self.panel.show_settings_message(self._not_written(exc, "settings"))
            return
        self._record(
            Role.ADMIN,
            "settings",
            f"gate={chosen.gate} languages={','.join(chosen.languages)} "
            f"idle={chosen.idle_seconds} staff={chosen.staff_idle_seconds}",
        )
        self.settings = chosen
        self.settings_saved.emit(chosen)  # applied at once; a new session starts on close
        self.session.set_idle_seconds(chosen.staff_idle_seconds)  # still in the panel
        self.panel.show_settings_message(_("Settings saved and applied."))
        self.panel.refresh(self.settings, self.session.gate, self.session.language)

    def _export_usage(self) -> None:
        assert self.panel is not None
        sticks = usb.sticks()  # mounted removable media only, not any folder under /media
        if not sticks:
            self.panel.show_settings_message(_("Insert a USB stick to export the usage figures."))
            return
        counters = self.usage.counters
        assert counters is not None  # the button is enabled only when figures are kept
        try:
            path = counters.export(sticks[0])
        except usb.NotPlainFile as exc:  # a link planted to make the kiosk overwrite its files
            self._record(Role.ADMIN, "usage-export-refused", "link or special file")
            self.panel.show_settings_message(
                _(
                    "Nothing was written: {path} on the USB stick is a link or a special file, "
                    "not a plain file or folder; use another stick."
                ).format(path=str(exc.path))
            )
            return
        except OSError as exc:  # a stick that is locked (read-only) or full
            message = _(
                "The usage figures could not be written to the USB stick ({error}). "
                "Check that it is not locked or full, or use another stick."
            )
            self.panel.show_settings_message(message.format(error=exc.strerror or first_line(exc)))
            return
        self._record(Role.ADMIN, "usage-exported", path.name)
        self.panel.show_settings_message(
            _("Usage figures written to {file}.").format(file=str(path))
        )

    def _confirm(self, action: str) -> None:
        """Restarting and leaving take the kiosk from travellers: a page asks first."""
        if self.confirm is None:
            self.confirm = ConfirmPage(self.host.page_parent())
            self.confirm.confirmed.connect(self._confirmed)
            self.confirm.cancelled.connect(self.open_panel)
            self.host.add_page(self.confirm)
        if action == "restart":
            self.confirm.ask(
                action,
                _("Restart the application?"),
                _("Travellers cannot use the kiosk for about a minute while it starts again."),
                _("Restart now"),
                _("Cancel: back to the panel"),
            )
        else:
            self.confirm.ask(
                action,
                _("Leave kiosk mode?"),
                _(
                    "The application closes: travellers cannot use the kiosk until it is "
                    "started again."
                ),
                _("Leave kiosk mode now"),
                _("Cancel: back to the panel"),
            )
        self.host.show_page(self.confirm)
        self.session.touched()

    def _confirmed(self, action: str) -> None:
        self._restart() if action == "restart" else self._leave()

    def _restart(self) -> None:
        self._record(Role.ADMIN, "restart")
        self.restart_requested.emit()

    def _leave(self) -> None:
        self._record(Role.ADMIN, "leave-kiosk")
        self.quit_requested.emit()

    # -- assisted mode ------------------------------------------------------------------------
    def start_assisted(self) -> None:
        if self.assisted is None:
            languages = list(dict.fromkeys(["vi", *self.store.languages()]))
            self.assisted = AssistedBar(languages, self.host.page_parent())
            self.assisted.staff_language_chosen.connect(self._staff_language)
            self.assisted.jump_requested.connect(self._jump)
            self.assisted.leave_requested.connect(self.leave_assisted)
            self.host.add_top_bar(self.assisted)
        self.assisted.retranslate()
        self.assisted.choose(self.staff_language or "vi")
        self.assisted.show()
        self.assisted_changed.emit(True)
        self._record(Role.STAFF, "assisted-started")
        self.session.reset()  # the traveller's language first, on the start screen

    @property
    def assisted_on(self) -> bool:
        return self.assisted is not None and self.assisted.isVisible()

    def _staff_language(self, lang: str) -> None:
        self.staff_language = lang
        self.staff_language_changed.emit(lang)

    def _jump(self, text: str) -> None:
        if self.store.item(text, self.session.gate.id, self.today()) is not None:
            self.session.go(Place(Screen.ITEM, text))
        else:
            self.session.search_text = text
            self.session.go(Place(Screen.SEARCH))

    def leave_assisted(self, *, timed_out: bool = False) -> None:
        if not self.assisted_on:
            return
        assert self.assisted is not None
        self.assisted.hide()
        self.assisted_changed.emit(False)
        self._record(Role.STAFF, "assisted-ended", "timeout" if timed_out else "")
        self._back_to_traveller()

    def on_timed_out(self) -> None:
        """Nobody touched the kiosk for the staff timeout: staff access ends."""
        if self.assisted_on:
            assert self.assisted is not None
            self.assisted.hide()
            self.assisted_changed.emit(False)
            self._record(Role.STAFF, "assisted-ended", "timeout")
        elif self.host.current_page() in (self.panel, self.pad, self.confirm):
            self._record(Role.ADMIN, "panel-closed", "timeout")

    def on_session_reset(self) -> None:
        """A new traveller session (the language button, leaving, the idle reset): assisted
        mode stays on until the desk officer leaves it or the staff timeout ends it."""
        staff = self.assisted_on
        seconds = self.settings.staff_idle_seconds if staff else self.settings.idle_seconds
        self.session.set_idle_seconds(seconds)
        self.session.staff_access = staff  # assisted mode left on the start screen ends too
        self.session.touched()
