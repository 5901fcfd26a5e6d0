"""SQLite engines with the durability settings the kiosk relies on."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import StaticPool


def open_engine(path: Path, *, synchronous: str = "FULL") -> Engine:
    """An engine on one SQLite file in WAL mode.

    The driver's own transaction handling is switched off so that SQLAlchemy's BEGIN is the one
    that runs: a plain BEGIN for readers, BEGIN IMMEDIATE for connections whose execution options
    say ``immediate=True`` (writers take the write lock up front instead of failing half way).
    """
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    _configure(engine, synchronous)
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


def _configure(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
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
