"""The hub's database, through SQLAlchemy: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)

metadata = MetaData()
kiosks = Table(
    "kiosk",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("token_sha256", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
)
batches = Table(
    "batch",
    metadata,
    Column("batch_id", String(32), primary_key=True),
    Column("kiosk_id", String(64), nullable=False),
    Column("digest", String(64), nullable=False),  # of the body: a resend must be identical
    Column("received_at", String(32), nullable=False),
)
counts = Table(
    "usage_count",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("period", String(13), primary_key=True),
    Column("metric", String(32), primary_key=True),
    Column("dim1", String(80), primary_key=True),
    Column("dim2", String(80), primary_key=True),
    Column("value", BigInteger, nullable=False),
)
terms = Table(
    "search_term",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("term", String(40), primary_key=True),
    Column("sessions", BigInteger, nullable=False),
    Column("zero", BigInteger, nullable=False),
)
heartbeats = Table(
    "heartbeat",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("received_at", String(32), nullable=False),
    Column("version", String(32), nullable=False),
    Column("gate", String(64), nullable=False),
    Column("content_revision", Integer, nullable=False),
    Column("revisions", Text, nullable=False),  # JSON
    Column("last_sync", String(40)),
    Column("last_outcome", String(32)),
    Column("disk_free", BigInteger, nullable=False),
    Column("audit_head", String(64), nullable=False),
)

operators = Table(  # who may read the fleet page: a generated secret, stored as its SHA-256
    "operator",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("secret_sha256", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
)


def open_hub_db(url: str) -> Engine:
    """``url``: a SQLAlchemy URL (postgresql+psycopg://… or sqlite:///path)."""
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA busy_timeout=10000")

    metadata.create_all(engine)
    return engine
