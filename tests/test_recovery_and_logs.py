"""A damaged database never stops the kiosk; the log stays small and readable."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from kiosk.cli import main
from kiosk.logs import log_file, recent, setup_logging
from kiosk.paths import REPO_ROOT


def test_a_damaged_content_database_is_moved_aside_and_the_kiosk_carries_on(
    capsys,
    tmp_path: Path,
) -> None:
    data = ["--data-dir", str(tmp_path)]
    assert main(["search", "visa", "--lang", "en", *data]) == 0
    capsys.readouterr()
    (tmp_path / "content.db").write_bytes(b"this is not a database any more" * 200)
    assert main(["search", "visa", "--lang", "en", "--json", *data]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["results"]  # the bundled content answers again
    assert "the content database was damaged; it was moved to" in err and "Traceback" not in err
    (damaged,) = (tmp_path / "damaged").iterdir()
    assert (damaged / "content.db").read_bytes().startswith(b"this is not a database")
    assert any("content database damaged" in e["message"] for e in recent(tmp_path))


def test_the_log_rotates_and_stays_bounded(tmp_path: Path) -> None:
    setup_logging(tmp_path)
    log = logging.getLogger("kiosk.test")
    for n in range(40_000):
        log.info("event %d %s", n, "x" * 100)
    files = list((tmp_path / "logs").iterdir())
    assert len(files) <= 6 and sum(f.stat().st_size for f in files) < 7_000_000
    last = recent(tmp_path, 3)
    assert [e["message"].split()[1] for e in last] == ["39997", "39998", "39999"]
    assert log_file(tmp_path).stat().st_size <= 1_000_000 + 200
    for handler in list(logging.getLogger("kiosk").handlers):
        logging.getLogger("kiosk").removeHandler(handler)
        handler.close()


def test_a_clock_years_behind_does_not_bring_back_expired_notices(tmp_path: Path) -> None:
    import datetime as dt

    from kiosk.app.clock import clock_problem, content_today
    from kiosk.content.bundled import ensure_content
    from kiosk.content.store import ContentStore

    store = ContentStore(tmp_path)
    try:
        ensure_content(store)
        with store.engine.begin() as conn:  # what a verified sync leaves: the publisher's time
            conn.exec_driver_sql(
                "INSERT INTO meta (key, value) VALUES ('sync:time_floor', ?)",
                ("2026-12-01T08:00:00+00:00",),
            )
        dead_battery = dt.datetime(2025, 3, 15, tzinfo=dt.UTC)  # inside the lane works' window
        today = content_today(store, dead_battery)
        assert today == dt.date(2026, 12, 1) and clock_problem(store, dead_battery) == "behind"
        shown = {s.id for s in store.urgent_notices("mong-cai", today)}
        assert "notice-expired-lane-works" not in shown and "notice-tet-2027" in shown
        # A clock ahead is used as it is (it cannot be told from a long time offline) but flagged.
        far = dt.datetime(2030, 2, 1, tzinfo=dt.UTC)
        assert content_today(store, far) == far.date() and clock_problem(store, far) == "ahead"
        right = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
        assert content_today(store, right) == right.date() and clock_problem(store, right) is None
    finally:
        store.close()


def test_the_first_import_of_the_long_running_kiosk_happens_in_a_child_process(
    tmp_path: Path,
) -> None:
    from kiosk.content.bundled import ensure_content_apart
    from kiosk.content.store import ContentStore

    store = ContentStore(tmp_path)
    try:
        assert store.is_empty()
        assert ensure_content_apart(store) is True
        assert not store.is_empty() and store.gate("noi-bai") is not None
        assert ensure_content_apart(store) is False  # once only
    finally:
        store.close()


def test_the_kiosks_first_start_leaves_the_migration_machinery_to_the_child(
    tmp_path: Path,
) -> None:
    # The long-running process should not carry Alembic (and Mako, Pygments) for weeks.
    script = (
        "import argparse, sys\n"
        "from kiosk.commands.common import open_ready_store\n"
        f"store = open_ready_store(argparse.Namespace(data_dir={str(tmp_path)!r}), apart=True)\n"
        "print(store.gate('noi-bai') is not None, 'alembic' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO_ROOT, check=True
    )
    assert done.stdout.split() == ["True", "False"]
