"""SQLite engines with the durability settings the kiosk relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool, StaticPool


def open_engine(path: Path, *, synchronous: str = "FULL") -> Engine:
    """An engine on one SQLite file in WAL mode.

    The driver's own transaction handling is switched off so that SQLAlchemy's BEGIN is the one
    that runs: a plain BEGIN for readers, BEGIN IMMEDIATE for connections whose execution options
    say ``immediate=True`` (writers take the write lock up front instead of failing half way).
    """
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    _configure(engine, synchronous)
    return engine


def open_read_only_engine(path: Path) -> Engine:
    """An engine that only reads one SQLite file, for a data folder the kiosk cannot write (a
    read-only mount, a full disk): no WAL switch, no ``-shm`` or journal file created.

    Without a write-ahead log beside it the file is opened ``immutable``, the one way SQLite
    reads a WAL database from a folder where it cannot create its shared-memory file. A log
    left by a power cut holds committed transactions the file alone lacks: then the file is
    opened read-only with its log (SQLite reads an existing ``-shm`` without writing it)."""
    wal = path.with_name(path.name + "-wal")
    has_log = wal.is_file() and wal.stat().st_size > 0
    mode = "mode=ro" if has_log else "mode=ro&immutable=1"
    uri = f"file:{quote(str(path))}?{mode}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool)
    _configure(engine, "OFF", read_only=True)
    return engine


def open_memory_engine() -> Engine:
    """An engine on a private in-memory SQLite database, with the same transaction handling as
    :func:`open_engine`: for what must look like a kiosk's database and leave no file behind.
    One connection serves every caller, so they all see the same database."""
    engine = create_engine(
        "sqlite://", connect_args={"check_same_thread": False}, poolclass=StaticPool
    )
    _configure(engine, "OFF")
    return engine


def _configure(engine: Engine, synchronous: str, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA trusted_schema=OFF")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
