"""The kiosk started on a data folder it cannot write: travellers use it as usual, staff's PIN
opens the panel, which names the problem, and nothing in the folder changes. The pieces that
decide it: the instance lock away from a read-only folder, damage told from a refused write,
and the out-of-service slate."""

from __future__ import annotations

import errno
import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from kiosk.app.instance import LOCK_NAME, AlreadyRunning, InstanceLock
from kiosk.app.services import open_services
from kiosk.app.session import Place, Screen
from kiosk.app.startup import open_kiosk_data, out_of_service_gate
from kiosk.content.recovery import is_damaged
from kiosk.i18n import gettext_for
from kiosk.storage import READ_ONLY, StorageProblem

from .conftest import open_kiosk
from .helpers.faults import refuse_writes
from .helpers.ui import ADMIN, admin_of, close_window, kiosk_of, open_panel, shown, tap

READ_ONLY_TEXT = (
    "The data folder {path} is read-only: usage figures, settings and content updates are not "
    "being saved. Check the disk for errors (it may have been remounted read-only) and restart "
    "the kiosk."
)


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.gui
def test_a_read_only_kiosk_serves_travellers_and_staff_and_writes_nothing(
    qtbot, content: Path, tmp_path: Path, monkeypatch
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(content, folder)
    from kiosk.content.store import ContentStore

    writable = ContentStore(folder)  # an earlier, healthy start provisioned the admin PIN
    services = open_services(writable)
    services.pins.set_pin("admin", ADMIN)
    services.admin_db.dispose()
    services.usage.counters.close()
    writable.close()
    before = fingerprint(folder)
    refuse_writes(monkeypatch, folder, errno.EROFS)  # the write probe meets a read-only disk
    data = open_kiosk_data(folder)
    assert data.problem == StorageProblem(READ_ONLY, folder)
    assert data.store is not None and data.store.read_only
    gate = data.store.gate("noi-bai")
    assert gate is not None
    window = open_kiosk(data.store, gate)
    try:
        window.resize(1920, 1080)
        window.show()
        kiosk = kiosk_of(window)
        assert kiosk.services.usage.counters is None  # usage counting is off
        tap(qtbot, window.start_screen.buttons["en"])
        category = next(iter(window.home_screen.tiles))
        tap(qtbot, window.home_screen.tiles[category])
        assert window.session.place == Place(Screen.CATEGORY, category)
        window.session.reset()  # the next traveller; staff open the panel from the start
        panel = open_panel(qtbot, window)  # the PIN stored before still opens the panel
        _name, value = panel.fact_labels["disk"]
        assert value.text() == shown(window, READ_ONLY_TEXT).format(path=folder)
        wrong = admin_of(window).pins.check("admin", "00000000")
        assert not wrong.ok and wrong.failures == 1  # still counted, in memory
    finally:
        close_window(window)
        data.store.close()
    monkeypatch.undo()
    assert fingerprint(folder) == before


def test_a_read_only_folder_without_a_lock_file_is_locked_in_the_runtime_directory(
    tmp_path: Path, monkeypatch
) -> None:
    folder, runtime = tmp_path / "data", tmp_path / "run"
    folder.mkdir()
    runtime.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    refuse_writes(monkeypatch, folder, errno.EROFS)
    first = InstanceLock(folder)
    first.acquire()
    try:
        assert first.path is not None and first.path.parent == runtime
        assert not (folder / LOCK_NAME).exists()
        with pytest.raises(AlreadyRunning, match="already running on the data folder"):
            InstanceLock(folder).acquire()
    finally:
        first.release()
    InstanceLock(folder).acquire()  # released: the next start takes it


def test_a_refused_write_is_not_damage_but_a_broken_file_is() -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL  # type: ignore[attr-defined]
    assert not is_damaged(OperationalError("PRAGMA journal_mode=WAL", {}, full))
    broken = sqlite3.DatabaseError("file is not a database")
    broken.sqlite_errorcode = sqlite3.SQLITE_NOTADB  # type: ignore[attr-defined]
    assert is_damaged(broken)


@pytest.mark.gui
def test_the_out_of_service_slate_speaks_the_gates_languages(qtbot, tmp_path: Path) -> None:
    from ui.slate import ASK_STAFF, OUT_OF_SERVICE, OutOfServiceSlate
    from ui.text import PlainLabel

    languages, names = out_of_service_gate("mong-cai")
    assert languages == ("vi", "zh", "en")
    slate = OutOfServiceSlate(languages, names, StorageProblem(READ_ONLY, tmp_path))
    qtbot.addWidget(slate)
    slate.resize(1920, 1080)
    slate.show()
    labels = [label for label in slate.findChildren(PlainLabel) if label.isVisible()]
    texts = [label.text() for label in labels]
    assert all(label.accessibleName() == label.text() for label in labels)
    for lang in languages:  # each sentence once (a language not translated yet says English)
        assert texts.count(gettext_for(lang)(OUT_OF_SERVICE)) == 1
        assert gettext_for(lang)(ASK_STAFF) in texts
    assert names["vi"] in texts
    assert slate.reason is not None and str(tmp_path) in slate.reason.text()
    # Every gate's languages when the gate is not known (no content says which).
    assert set(out_of_service_gate(None)[0]) == {"vi", "en", "zh", "lo", "km", "ko", "ru"}


def test_a_requested_gate_the_panels_choice_overrides_is_named_in_the_log() -> None:
    from kiosk.app.startup import overridden_gate

    note = overridden_gate("mong-cai", "noi-bai")
    assert note is not None and "noi-bai" in note and "mong-cai" in note and "panel" in note
    assert overridden_gate("noi-bai", "noi-bai") is None
    assert overridden_gate(None, "noi-bai") is None and overridden_gate("mong-cai", None) is None
