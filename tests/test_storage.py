"""A full disk or a read-only data folder: the maintenance panel names it, panel actions that
write say they did not and change nothing, and the traveller's screen carries on.

Tests run as root in CI, where file modes do not stop a write, so the refusals are made at the
seams the kiosk meets them: ``os.open`` for files of the data folder (the write probe) and
SQLite itself for the databases (``PRAGMA query_only`` gives the very SQLITE_READONLY error a
read-only database gives, ``max_page_count`` the SQLITE_FULL of a full disk).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

from kiosk.admin.audit import AuditLog
from kiosk.admin.db import open_admin
from kiosk.admin.pins import PinStore
from kiosk.admin.settings import load_settings
from kiosk.analytics.counters import UsageCounters
from kiosk.analytics.recorder import UsageRecorder
from kiosk.db import open_engine
from kiosk.storage import (
    FULL,
    MIN_FREE,
    READ_ONLY,
    StorageProblem,
    failure_kind,
    storage_problem,
    write_problem,
)
from ui.admin import controller

from .helpers.faults import refuse_writes
from .helpers.ui import ADMIN, STAFF, admin_of, enter, kiosk_of, open_panel, shown, tap
from .usbkit import plug_stick

READ_ONLY_TEXT = (
    "The data folder {path} is read-only: usage figures, settings and content updates are not "
    "being saved. Check the disk for errors (it may have been remounted read-only) and restart "
    "the kiosk."
)
FULL_TEXT = (
    "The data disk is full ({path}): usage figures, settings and content updates are not being "
    "saved. Free some space or ask a technician to enlarge the disk."
)
NOT_COUNTED = (
    "Sessions per day. Usage figures are not being saved: the last session's could not be "
    "written to the disk."
)


def refuse_database_writes(engine: Engine) -> Callable[[], None]:
    """Every write to ``engine``'s database fails as on a read-only disk; returns the undo."""

    def query_only(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA query_only = ON")

    event.listen(engine, "connect", query_only)
    engine.dispose()

    def undo() -> None:
        event.remove(engine, "connect", query_only)
        engine.dispose()

    return undo


# -- the core ----------------------------------------------------------------------------------
def test_the_write_probe_tells_a_read_only_folder_from_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert storage_problem(tmp_path) is None
    assert list(tmp_path.iterdir()) == []  # the probe leaves nothing behind
    cases = [
        (errno.EROFS, READ_ONLY),  # a read-only mount, whatever the file modes say
        (errno.EACCES, READ_ONLY),
        (errno.EPERM, READ_ONLY),
        (errno.EIO, READ_ONLY),  # a failing disk, on its way to being remounted read-only
        (errno.ENOSPC, FULL),
        (errno.EDQUOT, FULL),
    ]
    for code, kind in cases:
        with monkeypatch.context() as patch:
            refuse_writes(patch, tmp_path, code)
            assert storage_problem(tmp_path) == StorageProblem(kind, tmp_path), errno.errorcode[
                code
            ]
    # A full disk may take the new file and refuse its first block; the file is removed.
    real_write = os.write

    def no_room(fd: int, data: bytes) -> int:
        if Path(f"/proc/self/fd/{fd}").resolve().parent == tmp_path.resolve():
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", no_room)
        assert storage_problem(tmp_path) == StorageProblem(FULL, tmp_path)
    assert list(tmp_path.iterdir()) == []
    # Writable, but with less room than a sync keeps free: full as well.
    with monkeypatch.context() as patch:
        patch.setattr(shutil, "disk_usage", lambda _p: SimpleNamespace(free=MIN_FREE - 1))
        assert storage_problem(tmp_path) == StorageProblem(FULL, tmp_path)
        patch.setattr(shutil, "disk_usage", lambda _p: SimpleNamespace(free=MIN_FREE))
        assert storage_problem(tmp_path) is None


def test_write_errors_from_sqlite_and_the_file_system_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_engine(tmp_path / "scratch.db")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x BLOB)"))
    undo = refuse_database_writes(engine)
    with pytest.raises(OperationalError) as read_only, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (1)"))
    undo()

    @event.listens_for(engine, "connect")
    def no_room(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA max_page_count = 2")  # the file may not grow: a full disk

    engine.dispose()
    with pytest.raises(OperationalError) as full, engine.begin() as conn:
        conn.execute(text("INSERT INTO t VALUES (:x)"), {"x": b"x" * 100_000})
    engine.dispose()
    assert failure_kind(read_only.value) == READ_ONLY
    assert failure_kind(read_only.value.orig) == READ_ONLY  # bare sqlite3 error
    assert failure_kind(full.value) == FULL
    assert failure_kind(OSError(errno.EROFS, "Read-only file system")) == READ_ONLY
    assert failure_kind(OSError(errno.ENOSPC, "No space left on device")) == FULL
    io_error = OSError(errno.EIO, "Input/output error")
    assert failure_kind(io_error) is None
    # An error that does not say which: a fresh look at the folder decides.
    assert write_problem(io_error, tmp_path) is None
    refuse_writes(monkeypatch, tmp_path, errno.EROFS)
    assert write_problem(io_error, tmp_path) == StorageProblem(READ_ONLY, tmp_path)


def test_on_a_read_only_disk_the_right_pin_still_opens_and_wrong_ones_are_still_throttled(
    tmp_path: Path,
) -> None:
    engine = open_admin(tmp_path)
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    pins = PinStore(engine, tmp_path / "admin", clock=lambda: now)
    pins.set_pin("admin", ADMIN)
    refuse_database_writes(engine)
    assert pins.check("admin", ADMIN).ok
    checks = [pins.check("admin", "11112222") for _ in range(5)]
    assert [c.wait_seconds for c in checks] == [0, 0, 0, 0, 30]
    locked = pins.check("admin", ADMIN)  # the lockout holds though the disk took none of it
    assert not locked.ok and locked.locked and locked.wait_seconds == 30
    with pytest.raises(OperationalError):
        pins.set_pin("staff", STAFF)
    assert not pins.is_set("staff")
    engine.dispose()


def test_writes_the_disk_refuses_are_remembered_until_one_succeeds(tmp_path: Path) -> None:
    counters = UsageCounters(tmp_path)
    recorder = UsageRecorder(counters)
    audit = AuditLog(open_admin(tmp_path))
    undo = [refuse_database_writes(counters.engine), refuse_database_writes(audit.engine)]
    recorder.session_started()
    recorder.language_chosen("en")
    recorder.session_ended()  # no exception: the traveller's screen is not affected
    assert recorder.last_failure is not None and "readonly database" in recorder.last_failure
    assert audit.try_record("admin", "restart") is None
    assert audit.last_failure is not None and "readonly database" in audit.last_failure
    assert audit.entries() == []
    for step in undo:
        step()
    recorder.session_started()
    recorder.session_ended()
    assert recorder.last_failure is None
    assert sum(n for _day, n in counters.daily_sessions(1)) == 1
    assert audit.try_record("admin", "restart") is not None and audit.last_failure is None
    counters.close()
    audit.engine.dispose()


# -- what the operator sees --------------------------------------------------------------------
def admin_with_pin(window: Any) -> Any:
    if not admin_of(window).pins.is_set("admin"):
        admin_of(window).pins.set_pin("admin", ADMIN)
    return admin_of(window)


def disk_fact(panel: Any) -> tuple[str, str]:
    name, value = panel.fact_labels["disk"]
    assert value.accessibleName() == f"{name.text()}: {value.text()}"
    return value.text(), value.accessibleName()


@pytest.mark.gui
def test_on_a_read_only_data_folder_the_panel_says_so_and_changes_nothing(
    qtbot, window, monkeypatch
) -> None:
    admin = admin_with_pin(window)
    before, entries = load_settings(admin.engine), len(admin.audit.entries())
    data_dir = window.store.data_dir
    refuse_writes(monkeypatch, data_dir, errno.EROFS)
    refuse_database_writes(admin.engine)
    refuse_database_writes(kiosk_of(window).services.usage.counters.engine)
    # A traveller's session: its figures are lost, the screens carry on.
    tap(qtbot, window.start_screen.buttons["en"])
    window.session.reset()
    assert window.stack.currentWidget() is window.start_screen
    panel = open_panel(qtbot, window)  # the right PIN still opens the panel
    problem = shown(window, READ_ONLY_TEXT).format(path=data_dir)
    value, accessible = disk_fact(panel)
    assert value == problem and accessible.endswith(problem)
    assert panel.usage_note.text() == shown(window, NOT_COUNTED)
    unwritten = shown(window, "intact, but the latest actions could not be written to it")
    assert panel.fact_labels["audit"][1].text() == unwritten
    # Saving settings: told why, nothing saved, nothing applied, the panel shows what is in force.
    tap(qtbot, panel.gate_buttons["mong-cai"])
    tap(qtbot, panel.save_button)
    not_saved = shown(window, "The settings were not saved. {problem}").format(problem=problem)
    assert panel.settings_message.text() == not_saved
    assert panel.settings_message.accessibleName() == not_saved
    assert load_settings(admin.engine) == before and admin.settings == before
    assert window.gate.id == "noi-bai" and panel.gate_buttons["noi-bai"].isChecked()
    # Changing a PIN: told why, the PIN is not set.
    tap(qtbot, panel.staff_pin_button)
    enter(qtbot, window, ADMIN)  # the current PIN first (no staff PIN yet: the admin PIN)
    enter(qtbot, window, STAFF)
    enter(qtbot, window, STAFF)
    assert window.stack.currentWidget() is panel
    not_changed = shown(window, "The PIN was not changed. {problem}").format(problem=problem)
    assert panel.settings_message.text() == not_changed
    assert not admin.pins.is_set("staff")
    assert len(admin.audit.entries()) == entries
    tap(qtbot, panel.close_button)
    assert window.stack.currentWidget() is window.start_screen


@pytest.mark.gui
def test_on_a_full_disk_the_panel_says_so_and_keeps_the_settings(
    qtbot, window, monkeypatch
) -> None:
    admin = admin_with_pin(window)
    before = load_settings(admin.engine)
    data_dir = window.store.data_dir
    refuse_writes(monkeypatch, data_dir, errno.ENOSPC)
    # What SQLite raises when the disk is full (the settings table's pages need not grow, so a
    # page limit cannot make this write fail by itself).
    scratch = sqlite3.connect(":memory:")
    scratch.execute("CREATE TABLE t (x BLOB)")
    scratch.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.OperationalError) as disk_full:
        scratch.execute("INSERT INTO t VALUES (?)", (b"x" * 100_000,))
    scratch.close()

    def save_settings(*_args: Any) -> None:
        raise OperationalError("DELETE FROM setting", {}, disk_full.value)

    monkeypatch.setattr(controller, "save_settings", save_settings)
    panel = open_panel(qtbot, window)
    problem = shown(window, FULL_TEXT).format(path=data_dir)
    assert disk_fact(panel)[0] == problem
    tap(qtbot, panel.idle_seconds_buttons[1])
    tap(qtbot, panel.save_button)
    not_saved = shown(window, "The settings were not saved. {problem}").format(problem=problem)
    assert panel.settings_message.text() == not_saved
    assert admin.settings == before and load_settings(admin.engine) == before
    assert panel.settings.idle_seconds == before.idle_seconds
    assert window.session.idle_seconds == before.staff_idle_seconds  # still the panel's
    tap(qtbot, panel.close_button)
    assert window.stack.currentWidget() is window.start_screen
    assert window.session.idle_seconds == before.idle_seconds


@pytest.mark.gui
def test_exporting_to_a_locked_usb_stick_says_so(qtbot, window, monkeypatch, tmp_path) -> None:
    stick = plug_stick(monkeypatch, tmp_path)
    real_open = os.open

    def locked(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        # A file created in the stick's folder: the kernel says the stick is read-only.
        in_stick = dir_fd is not None and os.readlink(f"/proc/self/fd/{dir_fd}") == str(stick)
        if in_stick and flags & os.O_CREAT:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", locked)
    panel = open_panel(qtbot, window)
    tap(qtbot, panel.export_button)
    message = shown(
        window,
        "The usage figures could not be written to the USB stick ({error}). Check that it is "
        "not locked or full, or use another stick.",
    )
    assert panel.settings_message.text() == message.format(error=os.strerror(errno.EROFS))
    assert list(stick.iterdir()) == []
    assert "usage-exported" not in [e.action for e in admin_of(window).audit.entries()]
