"""A damaged content database is moved aside, never shown as a traceback: the kiosk comes
back on the bundled content and the next sync brings the current revision again."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

from sqlalchemy.exc import DatabaseError

from kiosk.content.store import DB_NAME, ContentStore

log = logging.getLogger("kiosk.recovery")
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def open_store(data_dir: Path) -> tuple[ContentStore, Path | None]:
    """The store, and where a damaged database was moved (None if there was none)."""
    try:
        store = ContentStore(data_dir)
        store.meta()  # reads the schema and a table: a damaged header or catalogue shows here
        return store, None
    except (DatabaseError, sqlite3.DatabaseError) as exc:
        if not is_damaged(exc):
            # A full or read-only disk, a lock, an I/O error: the file may be healthy, and
            # moving it aside would throw the current content away. The caller decides.
            raise
        moved = _move_aside(data_dir)
        log.error("content database damaged (%s); moved to %s", str(exc).splitlines()[0], moved)
        return ContentStore(data_dir), moved


def is_damaged(exc: BaseException) -> bool:
    """Whether a database error says the file itself is damaged (not a database, malformed)."""
    driver = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the sqlite3 error
    code = getattr(driver, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _DAMAGE_CODES
    text = str(exc).lower()
    return "file is not a database" in text or "malformed" in text


def _move_aside(data_dir: Path) -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    folder = data_dir / "damaged" / stamp
    folder.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        path = data_dir / f"{DB_NAME}{suffix}"
        if path.exists():
            path.replace(folder / path.name)
    return folder
