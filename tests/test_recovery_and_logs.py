"""A damaged database never stops the kiosk; the log stays small and readable."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from kiosk.cli import main
from kiosk.logs import log_file, recent, setup_logging


def test_a_damaged_content_database_is_moved_aside_and_the_kiosk_carries_on(
    capsys,
    tmp_path: Path,  # type: ignore[no-untyped-def]
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
