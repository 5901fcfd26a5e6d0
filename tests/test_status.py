"""The status snapshot an operator reads in the panel and with ``kiosk admin status``: every fact
at one moment, a disk that refuses writes, an altered audit chain and a wrong clock named."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from kiosk.admin.audit import AuditLog
from kiosk.admin.db import open_admin
from kiosk.app.status import AuditState, ClockState, StatusSnapshot, collect_status
from kiosk.cli import main
from kiosk.content.store import ContentStore
from kiosk.i18n import set_language
from kiosk.logs import setup_logging
from kiosk.storage import FULL, READ_ONLY, StorageProblem
from kiosk.sync import status as st

from .helpers.faults import refuse_writes

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def kiosk_folder(example: Path, data_dir: Path) -> Iterator[tuple[ContentStore, AuditLog]]:
    """A data folder in use: content imported, two staff actions, a sync that went well, a
    log line."""
    set_language("en")
    assert main(["content", "import", str(example), "--data-dir", str(data_dir)]) == 0
    store = ContentStore(data_dir)
    audit = AuditLog(open_admin(data_dir))
    audit.record("admin", "pin-accepted")
    audit.record("admin", "settings", "gate noi-bai")
    status = st.SyncStatus(
        feed="https://feed.example/", last_attempt="2026-12-01T08:00:00Z", last_outcome=st.OK,
        last_success="2026-12-01T08:00:00Z", next_attempt="2026-12-01T13:47:00Z",
    )  # fmt: skip
    st.save_status(data_dir, status)
    setup_logging(data_dir)
    logging.getLogger("kiosk.sync").warning("feed answered slowly")
    yield store, audit
    store.close()
    audit.engine.dispose()


def snapshot_of(store: ContentStore, audit: AuditLog, now: dt.datetime = NOW) -> StatusSnapshot:
    return collect_status(store.data_dir, store=store, audit=audit, now=now)


def test_a_healthy_kiosk_has_every_fact_and_no_problem(
    kiosk_folder: tuple[ContentStore, AuditLog],
) -> None:
    store, audit = kiosk_folder
    imported = dt.datetime.fromisoformat(store.meta()["imported_at"])
    snapshot = snapshot_of(store, audit, imported + dt.timedelta(days=3, hours=1))
    assert snapshot.content.revision == store.revision() == 1
    assert snapshot.content.age == dt.timedelta(days=3, hours=1)
    assert snapshot.sync.last_outcome == st.OK and snapshot.sync.feed == "https://feed.example/"
    assert snapshot.sync.next_attempt == "2026-12-01T13:47:00Z"
    assert (
        snapshot.disk.problem is None and 0 < snapshot.disk.free_bytes <= snapshot.disk.total_bytes
    )
    assert (snapshot.audit.state, snapshot.audit.entries) == (AuditState.INTACT, 2)
    assert [e.action for e in snapshot.actions] == ["pin-accepted", "settings"]
    assert snapshot.clock.state is ClockState.OK
    assert [(e.level, e.message) for e in snapshot.events][-1:] == [
        ("warning", "feed answered slowly")
    ]
    assert snapshot.problems() == []
    assert list(store.data_dir.glob(".write-probe-*")) == []  # the disk probe leaves nothing
    with pytest.raises(dataclasses.FrozenInstanceError):
        snapshot.network = False  # type: ignore[misc]


@pytest.mark.parametrize(("code", "kind"), [(errno.EROFS, READ_ONLY), (errno.ENOSPC, FULL)])
def test_a_disk_that_refuses_writes_is_named_and_the_rest_still_reported(
    kiosk_folder: tuple[ContentStore, AuditLog],
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    kind: str,
) -> None:
    store, audit = kiosk_folder
    refuse_writes(monkeypatch, store.data_dir, code)
    snapshot = snapshot_of(store, audit)
    assert snapshot.disk.problem == StorageProblem(kind, store.data_dir)
    assert snapshot.problems() == [f"disk-{kind}"]
    assert snapshot.content.revision == 1 and snapshot.audit.state is AuditState.INTACT


def test_an_altered_audit_chain_is_found_at_its_entry(
    kiosk_folder: tuple[ContentStore, AuditLog],
) -> None:
    store, audit = kiosk_folder
    audit.record("admin", "restart")
    with audit.engine.begin() as conn:  # someone edits the second entry afterwards
        conn.execute(text("UPDATE audit SET detail = 'gate mong-cai' WHERE id = 2"))
    snapshot = snapshot_of(store, audit)
    assert (snapshot.audit.state, snapshot.audit.broken_at) == (AuditState.ALTERED, 2)
    assert snapshot.audit.entries == 3
    assert snapshot.problems() == ["audit-altered"]


def test_a_clock_behind_the_verified_content_is_flagged(
    kiosk_folder: tuple[ContentStore, AuditLog],
) -> None:
    store, audit = kiosk_folder
    floor = NOW + dt.timedelta(days=200)  # the publisher signed content "in the future"
    store.set_meta({"sync:time_floor": floor.isoformat()})
    snapshot = snapshot_of(store, audit)
    assert (snapshot.clock.state, snapshot.clock.floor, snapshot.clock.now) == (
        ClockState.BEHIND, floor, NOW,
    )  # fmt: skip
    assert snapshot.problems() == ["clock-behind"]
    far_ahead = snapshot_of(store, audit, floor + dt.timedelta(days=500))
    assert far_ahead.clock.state is ClockState.AHEAD


# -- kiosk admin status ------------------------------------------------------------------------
def test_admin_status_prints_the_snapshot_for_people_and_machines(
    kiosk_folder: tuple[ContentStore, AuditLog], capsys: pytest.CaptureFixture[str]
) -> None:
    store, _audit = kiosk_folder
    folder = str(store.data_dir)
    assert main(["admin", "status", "--data-dir", folder]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "content revision: 1, 0 days old" in lines
    assert "last sync: 2026-12-01T08:00:00Z — ok" in lines
    assert "next sync: 2026-12-01T13:47:00Z" in lines
    assert "audit log: intact, entries in the chain: 2" in lines
    assert lines[-2] == "recent events:" and lines[-1].endswith("warning  feed answered slowly")
    assert main(["admin", "status", "--json", "--data-dir", folder]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["content"]["revision"] == 1 and answer["sync"]["last_outcome"] == "ok"
    assert answer["audit"] == {
        "state": "intact", "entries": 2, "broken_at": None, "unwritten": None, "error": None,
    }  # fmt: skip
    assert answer["disk"]["problem"] is None and answer["disk"]["free_bytes"] > 0
    assert answer["clock"]["state"] == "ok" and answer["problems"] == []
    assert answer["events"][-1]["message"] == "feed answered slowly"


def test_admin_status_exits_1_when_the_kiosk_needs_an_operator(
    kiosk_folder: tuple[ContentStore, AuditLog],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, audit = kiosk_folder
    with audit.engine.begin() as conn:
        conn.execute(text("UPDATE audit SET actor = 'console' WHERE id = 1"))
    refuse_writes(monkeypatch, store.data_dir, errno.ENOSPC)
    folder = str(store.data_dir)
    assert main(["admin", "status", "--data-dir", folder]) == 1
    out = capsys.readouterr().out
    assert "audit log: altered at entry 1; keep a copy of the data folder and report it" in out
    assert f"disk: full ({folder}): usage figures, settings and content updates" in out
    assert main(["admin", "status", "--json", "--data-dir", folder]) == 1
    assert json.loads(capsys.readouterr().out)["problems"] == ["disk-full", "audit-altered"]


def test_asking_about_an_empty_folder_creates_no_database(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language("en")
    assert main(["admin", "status", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "content revision: no content in this data folder yet" in out
    assert "audit log: none yet (no staff action recorded in this data folder)" in out
    assert list(data_dir.iterdir()) == []
