"""``kiosk tour`` only looks: run against a kiosk's data folder, it leaves every file as it was.

A tour walks every screen in every language as a traveller would. It must not count those
walks as traveller sessions (on a deployed kiosk they would reach the hub as real usage), nor
create the admin database or the PIN pepper, nor change anything else in the folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.admin.db import open_admin
from kiosk.admin.pins import PinStore
from kiosk.analytics.counters import UsageCounters
from kiosk.analytics.recorder import UsageRecorder
from kiosk.content.bundled import ensure_content
from kiosk.content.reindex import ensure_index
from kiosk.content.store import ContentStore
from kiosk.logs import setup_logging

ROOT = Path(__file__).resolve().parent.parent
Snapshot = dict[str, tuple[str, int, int, str]]


def snapshot(folder: Path) -> Snapshot:
    """Every file and folder under ``folder``: kind, size, modification time and content hash."""
    found: Snapshot = {}
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        if path.is_dir():
            found[str(path.relative_to(folder))] = ("dir", 0, 0, "")
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[str(path.relative_to(folder))] = ("file", stat.st_size, stat.st_mtime_ns, digest)
    return found


def content_only(folder: Path) -> None:
    """A folder that holds the bundled content and nothing else (a kiosk never started)."""
    store = ContentStore(folder)
    try:
        ensure_content(store)
        ensure_index(store)
    finally:
        store.close()


def deployed(folder: Path) -> None:
    """A kiosk that has been in service: content, PINs and their pepper, an audit entry,
    usage figures of a real traveller, its log."""
    content_only(folder)
    setup_logging(folder)
    engine = open_admin(folder)
    PinStore(engine, folder / "admin").set_pin("admin", "27182818")
    engine.dispose()
    counters = UsageCounters(folder)
    recorder = UsageRecorder(counters, clock=lambda: dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC))
    recorder.session_started()
    recorder.language_chosen("en")
    recorder.session_ended()
    counters.close()


def run_tour(folder: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    for name in ("KIOSK_DATA_DIR", "KIOSK_FEED", "KIOSK_HUB", "KIOSK_ID", "KIOSK_HUB_TOKEN"):
        env.pop(name, None)
    command = [sys.executable, "-m", "kiosk.cli", "tour", "--out", str(out)]
    command += ["--gate", "mong-cai", "--data-dir", str(folder)]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.mark.gui
@pytest.mark.parametrize("prepare", [content_only, deployed], ids=["fresh", "in-service"])
def test_a_tour_leaves_the_data_folder_exactly_as_it_found_it(tmp_path: Path, prepare) -> None:  # type: ignore[no-untyped-def]
    folder, out = tmp_path / "data", tmp_path / "pictures"
    prepare(folder)
    before = snapshot(folder)
    done = run_tour(folder, out)
    assert done.returncode == 0, done.stderr
    assert len(list(out.glob("mong-cai-*.png"))) == 1 + 4 * 3  # the tour did walk every screen
    after = snapshot(folder)
    created = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(name for name in set(before) & set(after) if before[name] != after[name])
    assert (created, removed, changed) == ([], [], [])


def test_the_tour_services_work_as_the_kiosk_s_and_write_nothing(tmp_path: Path) -> None:
    """PINs, audit and settings behave as on a kiosk, in memory; the recorder counts nothing."""
    from kiosk.app.services import tour_services

    folder = tmp_path / "data"
    content_only(folder)
    before = snapshot(folder)
    store = ContentStore(folder)
    try:
        services = tour_services(store, lambda: dt.date(2026, 12, 1))
        services.pins.set_pin("admin", "27182818")
        assert services.pins.check("admin", "27182818").ok
        assert not services.pins.check("admin", "11112222").ok
        services.audit.record("admin", "pin-accepted")
        assert services.audit.verify() is None
        assert [e.action for e in services.audit.entries()] == ["pin-accepted"]
        usage = services.usage
        usage.session_started()
        usage.language_chosen("en")
        usage.item_opened("evisa", "en")
        assert not usage.in_session
        usage.session_ended()
        assert usage.counters is None
        assert services.search.search("visa", "en", "noi-bai", dt.date(2026, 12, 1)).hits
    finally:
        store.close()
    assert snapshot(folder) == before
