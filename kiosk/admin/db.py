"""The admin database: PIN hashes and lockout counters, the audit log, settings."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, Text

from kiosk.db import open_engine, open_memory_engine

DB_NAME = "admin.db"
metadata = MetaData()

pins = Table(
    "pin",
    metadata,
    Column("role", String(16), primary_key=True),  # admin | staff
    Column("hash", Text, nullable=False),
    Column("changed_at", String(32), nullable=False),
)
attempts = Table(
    "pin_attempts",
    metadata,
    Column("role", String(16), primary_key=True),
    Column("failures", Integer, nullable=False),  # consecutive, since the last success
    Column("locked_until", String(32), nullable=True),
)
audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", String(32), nullable=False),
    Column("actor", String(16), nullable=False),
    Column("action", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)
settings = Table(
    "setting",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),  # JSON
)


def open_admin(data_dir: Path) -> Engine:
    folder = data_dir / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    engine = open_engine(folder / DB_NAME)
    metadata.create_all(engine)
    return engine


def open_admin_in_memory() -> Engine:
    """The same database in memory, gone when the process ends: for a tour of the screens,
    which must not create or change the kiosk's admin database."""
    engine = open_memory_engine()
    metadata.create_all(engine)
    return engine
