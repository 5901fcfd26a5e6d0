"""The hub's database, through SQLAlchemy: SQLite by default, PostgreSQL by URL.

Hubs are deployed and keep their database across upgrades, so the schema comes from Alembic
migrations (kiosk/hub/migrations); a database made before migrations existed is recognised and
taken from there.
"""

from __future__ import annotations

from pathlib import Path
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
    inspect,
)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "hub_schema_version"
FIRST = "0001"  # the schema of hubs made before migrations: the tables, no version table

metadata = MetaData()
kiosks = Table(
    "kiosk",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("token_sha256", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    # Fixed at registration: the report counts the kiosk's figures under this gate, and a
    # heartbeat naming another is refused. None only for kiosks registered before (see 0002).
    Column("gate", String(64)),
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
    Column("trust", String(16)),  # installed | demo | none; None from kiosks that predate it
    Column("audit_count", BigInteger),  # entries in the kiosk's audit chain
    Column("audit_alarm", Text),  # why the chain looks rolled back or rewritten; stays set
)
audit_marks = Table(  # (entry count, chain head) pairs a kiosk reported: its audit history
    "audit_mark",
    metadata,
    Column("kiosk_id", String(64), primary_key=True),
    Column("count", BigInteger, primary_key=True),
    Column("head", String(64), nullable=False),
    Column("received_at", String(32), nullable=False),
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

    upgrade(engine)
    # A table added without a migration is still made (an empty new table needs none); a new
    # column always needs one, which the migration test checks.
    metadata.create_all(engine)
    return engine


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest migration; a hub made before migrations is stamped
    with the first one (its tables are exactly that schema), then upgraded."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        tables = inspect(conn).get_table_names()
        if VERSION_TABLE not in tables and "kiosk" in tables:
            command.stamp(config, FIRST)
        command.upgrade(config, "head")
