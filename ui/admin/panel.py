"""The maintenance panel: status, sync and USB import, settings, PINs, logs, usage, exit.

Everything is a large button or a plain label (no native dialogs, no file browser); each
action goes to the audit log through the controller that owns the panel.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk import __version__, usb
from kiosk.admin.audit import AuditLog
from kiosk.admin.pins import Role
from kiosk.admin.settings import (
    MAX_IDLE,
    MAX_STAFF_IDLE,
    MIN_IDLE,
    MIN_STAFF_IDLE,
    Settings,
)
from kiosk.analytics.recorder import Recorder
from kiosk.app.status import StatusSnapshot, collect_status
from kiosk.content.store import ContentStore
from kiosk.content.views import GateView
from kiosk.i18n import _
from kiosk.languages import endonym
from kiosk.textsafe import MESSAGE_LIMIT, shown
from ui.admin.facts import slow_facts
from ui.admin.messages import more_bundles_text
from ui.background import run_in_background
from ui.screens.common import big_button, clear_layout, touch_scroll_area
from ui.text import PlainLabel, button_text

log = logging.getLogger("kiosk.admin")
LIMITS = {
    "idle_seconds": (MIN_IDLE, MAX_IDLE),
    "staff_idle_seconds": (MIN_STAFF_IDLE, MAX_STAFF_IDLE),
}

GATES_A_ROW, LANGUAGES_A_ROW = 2, 4  # the buttons fit a 1080 px wide screen


class UsageSource(Protocol):
    """What the analytics will provide (the panel shows its figures when there is one)."""

    def daily_sessions(self, days: int) -> list[tuple[dt.date, int]]: ...

    def export(self, folder: Path) -> Path: ...


class BarChart(QWidget):
    """Sessions per day as bars, with the figure above each bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: list[tuple[dt.date, int]] = []
        self.setMinimumHeight(220)

    def set_values(self, values: list[tuple[dt.date, int]]) -> None:
        self.values = values
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.values:
            return
        painter = QPainter(self)
        top = max(v for _d, v in self.values) or 1
        width = self.width() / len(self.values)
        for index, (day, value) in enumerate(self.values):
            height = (self.height() - 60) * value / top
            x = index * width + width * 0.15
            painter.fillRect(
                int(x), int(self.height() - 30 - height), int(width * 0.7), int(height),
                QColor("#1d4e7a"),
            )  # fmt: skip
            painter.drawText(int(x), int(self.height() - 35 - height), str(value))
            painter.drawText(int(x), self.height() - 8, day.strftime("%d/%m"))
        painter.end()


class MaintenancePanel(QWidget):
    sync_requested = Signal(str)  # "" for the feed, else a bundle file
    settings_saved = Signal(object)  # Settings
    change_pin_requested = Signal(object)  # Role
    export_requested = Signal()
    restart_requested = Signal()
    leave_requested = Signal()
    closed = Signal()

    def __init__(
        self, store: ContentStore, gates: list[GateView], audit: AuditLog, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.store, self.gates, self.audit = store, gates, audit
        self.settings = Settings()
        self.lang = "en"
        self.usage: UsageSource | None = None
        self.recorder: Recorder | None = None  # says when figures could not be saved
        outer = QVBoxLayout(self)
        header = QHBoxLayout()
        self.title = PlainLabel(self)
        self.title.setObjectName("title")
        header.addWidget(self.title, 1)
        self.close_button = big_button("", "", self)
        self.close_button.clicked.connect(self.closed.emit)
        header.addWidget(self.close_button)
        outer.addLayout(header)
        content = QWidget(self)
        self.body = QVBoxLayout(content)
        self.scroller = touch_scroll_area(content, self)
        outer.addWidget(self.scroller, 1)
        self.facts = QGridLayout()
        self.fact_labels: dict[str, tuple[QLabel, QLabel]] = {}
        self.snapshot: StatusSnapshot | None = None  # the facts shown, None while gathered
        self._status_request = self._status_shown = 0
        self._status_running = False
        self.body.addLayout(self.facts)
        self._build_sync()
        self._build_settings()
        self._build_actions()
        self.body.addStretch(1)

    # -- building ----------------------------------------------------------------------------
    def _section(self, attribute: str) -> QLabel:
        label = PlainLabel(self)
        label.setObjectName("title")
        setattr(self, attribute, label)
        self.body.addWidget(label)
        return label

    def _build_sync(self) -> None:
        self._section("sync_title")
        row = QHBoxLayout()
        self.sync_button = big_button("", "", self)
        self.sync_button.clicked.connect(lambda: self.sync_requested.emit(""))
        self.usb_button = big_button("", "", self)
        self.usb_button.clicked.connect(self.show_bundles)
        row.addWidget(self.sync_button)
        row.addWidget(self.usb_button)
        self.body.addLayout(row)
        self.progress = PlainLabel(self)
        self.progress.setWordWrap(True)
        self.body.addWidget(self.progress)
        self.bundles = QVBoxLayout()
        self.body.addLayout(self.bundles)

    def _build_settings(self) -> None:
        self._section("settings_title")
        # Grids, not rows: gate names are long and a standing totem is 1080 px wide.
        self.gate_row = QGridLayout()
        self.gate_group = QButtonGroup(self)
        self.gate_buttons: dict[str, QPushButton] = {}
        for n, gate in enumerate(self.gates):
            button = big_button(gate.name(), gate.name(), self)
            button.setCheckable(True)
            button.clicked.connect(lambda _c=False, g=gate.id: self._choose_gate(g))
            self.gate_group.addButton(button)
            self.gate_buttons[gate.id] = button
            self.gate_row.addWidget(button, n // GATES_A_ROW, n % GATES_A_ROW)
        self.body.addLayout(self.gate_row)
        self.language_row = QGridLayout()
        self.body.addLayout(self.language_row)
        self.language_buttons: dict[str, QPushButton] = {}
        self.idle = self._stepper("idle_seconds", 10)
        self.staff_idle = self._stepper("staff_idle_seconds", 60)
        self.save_button = big_button("", "", self)
        self.save_button.clicked.connect(self._save)
        self.body.addWidget(self.save_button)
        self.settings_message = PlainLabel(self)
        self.settings_message.setWordWrap(True)  # a disk problem takes a sentence or two
        self.body.addWidget(self.settings_message)

    def _stepper(self, field: str, step: int) -> QLabel:
        row = QHBoxLayout()
        label = PlainLabel(self)
        minus = big_button("−", "", self)
        plus = big_button("+", "", self)
        minus.clicked.connect(lambda: self._step(field, -step))
        plus.clicked.connect(lambda: self._step(field, step))
        row.addWidget(label, 2)
        row.addWidget(minus)
        row.addWidget(plus)
        self.body.addLayout(row)
        setattr(self, f"{field}_buttons", (minus, plus))
        return label

    def _build_actions(self) -> None:
        self._section("pins_title")
        row = QHBoxLayout()
        self.admin_pin_button = big_button("", "", self)
        self.admin_pin_button.clicked.connect(lambda: self.change_pin_requested.emit(Role.ADMIN))
        self.staff_pin_button = big_button("", "", self)
        self.staff_pin_button.clicked.connect(lambda: self.change_pin_requested.emit(Role.STAFF))
        row.addWidget(self.admin_pin_button)
        row.addWidget(self.staff_pin_button)
        self.body.addLayout(row)
        self._section("usage_title")
        self.chart = BarChart(self)
        self.body.addWidget(self.chart)
        self.usage_note = PlainLabel(self)
        self.usage_note.setWordWrap(True)
        self.body.addWidget(self.usage_note)
        self.export_button = big_button("", "", self)
        self.export_button.clicked.connect(self.export_requested.emit)
        self.body.addWidget(self.export_button)
        self._section("logs_title")
        self.logs = QPlainTextEdit(self)
        self.logs.setReadOnly(True)
        self.logs.setMinimumHeight(260)
        self.body.addWidget(self.logs)
        row = QHBoxLayout()
        self.restart_button = big_button("", "", self)
        self.restart_button.clicked.connect(self.restart_requested.emit)
        self.leave_button = big_button("", "", self)
        self.leave_button.clicked.connect(self.leave_requested.emit)
        row.addWidget(self.restart_button)
        row.addWidget(self.leave_button)
        self.body.addLayout(row)

    # -- texts ---------------------------------------------------------------------------------
    def retranslate(self) -> None:
        texts = {
            self.close_button: _("Close the panel"),
            self.sync_button: _("Sync now"),
            self.usb_button: _("Import from a USB stick"),
            self.save_button: _("Save the settings"),
            self.admin_pin_button: _("Change the admin PIN"),
            self.staff_pin_button: _("Change the staff PIN"),
            self.export_button: _("Export usage figures"),
            self.restart_button: _("Restart the application"),
            self.leave_button: _("Leave kiosk mode"),
        }
        for button, text in texts.items():
            button.setText(text)
            button.setAccessibleName(text)
        for button, name in (
            (self.idle_seconds_buttons[0], _("Shorter idle timeout")),  # type: ignore[attr-defined]
            (self.idle_seconds_buttons[1], _("Longer idle timeout")),  # type: ignore[attr-defined]
            (self.staff_idle_seconds_buttons[0], _("Shorter staff timeout")),  # type: ignore[attr-defined]
            (self.staff_idle_seconds_buttons[1], _("Longer staff timeout")),  # type: ignore[attr-defined]
        ):
            button.setAccessibleName(name)
        self.title.setText(_("Maintenance"))
        self.sync_title.setText(_("Content and sync"))  # type: ignore[attr-defined]
        self.settings_title.setText(_("Settings"))  # type: ignore[attr-defined]
        self.pins_title.setText(_("PINs"))  # type: ignore[attr-defined]
        self.usage_title.setText(_("Usage, last 14 days"))  # type: ignore[attr-defined]
        self.logs_title.setText(_("Recent events"))  # type: ignore[attr-defined]
        self.logs.setAccessibleName(_("Recent events"))
        self._show_settings()

    # -- status ------------------------------------------------------------------------------
    def refresh(self, settings: Settings, gate: GateView, lang: str) -> None:
        self.lang = lang
        for other in self.gates:
            name = other.name(lang, "en", *other.languages)
            self.gate_buttons[other.id].setText(button_text(name))
            self.gate_buttons[other.id].setAccessibleName(name)
        self.settings = Settings(**vars(settings))
        self.settings.gate = gate.id
        if not self.settings.languages:
            self.settings.languages = list(gate.languages)
        self.retranslate()
        self.refresh_status()

    def refresh_status(self) -> None:
        """Show the quick facts now and "…" for the slow ones, which a worker thread gathers
        (an fsync probe and an audit-chain walk must not stall the screen the watchdog
        watches). One gathering at a time: a disk that hangs holds one worker, not one per
        opening; a request made meanwhile is gathered when it ends."""
        self._status_request += 1
        self._show_facts(None)
        if not self._status_running:
            self._gather_status()
        self._show_usage()

    def _gather_status(self) -> None:
        self._status_running = True
        request = self._status_request
        store, audit = self.store, self.audit
        run_in_background(
            lambda: collect_status(store.data_dir, store=store, audit=audit),
            lambda snapshot: self._status_done(request, snapshot),
            lambda exc: self._status_done(request, None, exc),
            self,
            name="maintenance panel status",
        )

    @property
    def status_pending(self) -> bool:
        """True while the facts shown are placeholders waiting for the latest snapshot."""
        return self._status_shown != self._status_request

    def _status_done(
        self, request: int, snapshot: StatusSnapshot | None, exc: Exception | None = None
    ) -> None:
        self._status_running = False
        if exc is not None:
            log.error("maintenance panel status not gathered", exc_info=exc)
        if request != self._status_request:  # asked again meanwhile: this one is stale
            self._gather_status()
            return
        self._status_shown = request
        self._show_facts(snapshot, _("could not be read"))

    def _show_facts(self, snapshot: StatusSnapshot | None, missing: str = "…") -> None:
        self.snapshot = snapshot
        gate = next((g for g in self.gates if g.id == self.settings.gate), None)
        slow = slow_facts(snapshot) if snapshot is not None else {}

        def fact(key: str) -> str:
            return slow.get(key, missing)

        facts = [
            ("revision", _("Content revision"), fact("revision")),
            ("last-sync", _("Last sync"), fact("last-sync")),
            ("next-sync", _("Next sync"), fact("next-sync")),
            ("trust", _("Root of trust"), fact("trust")),
            ("network", _("Network"), fact("network")),
            ("disk", _("Disk"), fact("disk")),
            ("version", _("Application version"), __version__),
            ("gate", _("Gate profile"), gate.name(self.lang, "en") if gate else "-"),
            ("languages", _("Languages offered"),
             " · ".join(endonym(lang) for lang in self.settings.languages)),
            ("audit", _("Audit log"), fact("audit")),
            ("clock", _("Clock"), fact("clock")),
        ]  # fmt: skip
        for row, (key, name, value) in enumerate(facts):
            if key not in self.fact_labels:
                labels = (PlainLabel(self), PlainLabel(self))
                labels[1].setWordWrap(True)
                self.facts.addWidget(labels[0], row, 0)
                self.facts.addWidget(labels[1], row, 1)
                self.fact_labels[key] = labels
            name_label, value_label = self.fact_labels[key]
            name_label.setText(name)
            value_label.setText(value)
            value_label.setAccessibleName(f"{name}: {value}")
        if snapshot is None:
            self.logs.setPlainText(missing)
            return
        lines = [
            f"{e.at[:16].replace('T', ' ')}  {e.actor:<8} {e.action} {e.detail}"
            for e in snapshot.actions
        ]
        lines += [""] + [
            f"{e.at[:16].replace('T', ' ')}  {e.level:<8} {shown(e.message, MESSAGE_LIMIT)}"
            for e in snapshot.events
        ]
        self.logs.setPlainText("\n".join(lines))

    def _show_usage(self) -> None:
        if self.usage is None:
            self.chart.set_values([])
            self.chart.hide()
            self.usage_note.setText(
                _("No usage figures yet: they appear once the kiosk counts them.")
            )
            self.export_button.setEnabled(False)
            return
        self.chart.show()
        self.chart.set_values(self.usage.daily_sessions(14))
        note = _("Sessions per day")
        if self.recorder is not None and self.recorder.last_failure is not None:
            note = _(
                "Sessions per day. Usage figures are not being saved: the last session's could "
                "not be written to the disk."
            )
        self.usage_note.setText(note)
        self.usage_note.setAccessibleName(note)
        self.export_button.setEnabled(True)

    # -- sync and USB ------------------------------------------------------------------------
    def show_progress(self, text: str) -> None:
        self.progress.setText(text)
        self.progress.setAccessibleName(text)

    def show_bundles(self) -> None:
        """List the stick's bundles off the UI thread: a crowded stick must not freeze it."""
        clear_layout(self.bundles)
        self.usb_button.setEnabled(False)
        self.show_progress(_("Looking for bundle files on the USB stick…"))
        run_in_background(usb.list_bundles, self._list_bundles, self._bundles_failed, self)

    def _bundles_failed(self, exc: Exception) -> None:
        log.warning("USB stick not listed: %s", exc)
        self._list_bundles(usb.BundleList([], 0))

    def _list_bundles(self, found: usb.BundleList) -> None:
        self.usb_button.setEnabled(True)
        clear_layout(self.bundles)
        if not found.paths:
            self.show_progress(_("No bundle file on a USB stick. Insert one and try again."))
            return
        self.show_progress(_("Choose the bundle to import:"))
        for path in found.paths:
            button = big_button(shown(path.name), shown(path.name), self, "result")
            button.clicked.connect(lambda _c=False, p=str(path): self._import(p))
            self.bundles.addWidget(button)
        if found.more:
            more = PlainLabel(self)
            more.setText(more_bundles_text(found.more, len(found.paths)))
            more.setAccessibleName(more.text())
            self.bundles.addWidget(more)

    def _import(self, path: str) -> None:
        clear_layout(self.bundles)
        self.sync_requested.emit(path)

    # -- settings ------------------------------------------------------------------------------
    def _choose_gate(self, gate_id: str) -> None:
        self.settings.gate = gate_id
        gate = next(g for g in self.gates if g.id == gate_id)
        self.settings.languages = list(gate.languages)
        self._show_settings()

    def _toggle_language(self, lang: str, on: bool) -> None:
        gate = next(g for g in self.gates if g.id == self.settings.gate)
        chosen = (
            set(self.settings.languages) | {lang} if on else set(self.settings.languages) - {lang}
        )
        if not chosen:  # a kiosk offers at least one language
            self._show_settings()
            return
        self.settings.languages = [lang for lang in gate.languages if lang in chosen]

    def _step(self, field: str, delta: int) -> None:
        low, high = LIMITS[field]
        setattr(self.settings, field, max(low, min(high, getattr(self.settings, field) + delta)))
        self._show_settings()

    def _show_settings(self) -> None:
        for gate_id, button in self.gate_buttons.items():
            button.setChecked(gate_id == self.settings.gate)
        clear_layout(self.language_row)
        self.language_buttons = {}
        gate = next((g for g in self.gates if g.id == self.settings.gate), None)
        for lang in gate.languages if gate else ():
            button = big_button(endonym(lang), endonym(lang), self)
            button.setCheckable(True)
            button.setChecked(lang in self.settings.languages)
            button.toggled.connect(lambda on, lang=lang: self._toggle_language(lang, on))
            n = len(self.language_buttons)
            self.language_buttons[lang] = button
            self.language_row.addWidget(button, n // LANGUAGES_A_ROW, n % LANGUAGES_A_ROW)
        self.idle.setText(
            _("Traveller idle timeout: {seconds} s").format(seconds=self.settings.idle_seconds)
        )
        self.staff_idle.setText(
            _("Staff timeout: {seconds} s").format(seconds=self.settings.staff_idle_seconds)
        )

    def _save(self) -> None:
        self.settings_saved.emit(Settings(**vars(self.settings)))

    def start_afresh(self, *, keep_progress: bool = False) -> None:
        """A new opening: the next person reads nothing the previous one left (messages, a
        stick's list, how far they scrolled)."""
        if not keep_progress:
            self.show_progress("")
        self.show_settings_message("")
        clear_layout(self.bundles)
        bar = self.scroller.verticalScrollBar()
        if bar is not None:
            bar.setValue(0)

    def show_settings_message(self, text: str) -> None:
        self.settings_message.setText(text)
        self.settings_message.setAccessibleName(text)
