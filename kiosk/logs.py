"""The kiosk's own log: one JSON object per line, in ``DATA_DIR/logs/kiosk.log``, rotated at
1 MB with five old files kept, so it never grows without bound. The maintenance panel shows
its last lines."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import sys
from collections import deque
from pathlib import Path

MAX_BYTES = 1_000_000
BACKUPS = 5
_NAME = "kiosk"
_STDERR = "kiosk-stderr"


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="seconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info).splitlines()[-1]
        return json.dumps(entry, ensure_ascii=False)


def log_file(data_dir: Path) -> Path:
    return data_dir / "logs" / "kiosk.log"


def setup_logging(data_dir: Path) -> bool:
    """Send the ``kiosk`` loggers to the rotating file of this data folder (one per process).

    A log file that cannot be opened (a read-only or full data folder) must not stop the kiosk:
    the entries then go to standard error, which the service manager's journal keeps. Returns
    True when they go to the file."""
    logger = logging.getLogger(_NAME)
    path = log_file(data_dir)
    for handler in list(logger.handlers):
        if getattr(handler, "baseFilename", None) == str(path.resolve()):
            return True
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        log_to_stderr()
        reason = exc.strerror or str(exc)
        logger.warning("the log file %s cannot be written (%s): logging to stderr", path, reason)
        return False
    handler.setFormatter(JsonLines())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return True


def log_to_stderr() -> None:
    """Send the ``kiosk`` loggers to standard error instead of the data folder's file (which
    a full or read-only disk refuses), in the same JSON lines."""
    logger = logging.getLogger(_NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, logging.FileHandler):
            logger.removeHandler(handler)
            handler.close()
        elif getattr(handler, "name", "") == _STDERR:
            return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_STDERR)
    handler.setFormatter(JsonLines())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def recent(data_dir: Path, lines: int = 100) -> list[dict[str, str]]:
    """The last ``lines`` entries (a damaged line is shown as its text)."""
    path = log_file(data_dir)
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", errors="replace") as handle:
        tail = deque(handle, maxlen=lines)
    entries = []
    for line in tail:
        try:
            entries.append(json.loads(line))
        except ValueError:
            entries.append({"at": "", "level": "", "logger": "", "message": line.strip()})
    return entries
