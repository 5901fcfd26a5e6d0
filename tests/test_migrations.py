"""The schema comes from Alembic migrations, from an empty file on."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from kiosk.content import schema
from kiosk.content.model import Base
from kiosk.content.store import DB_NAME, ContentStore


def test_migrating_an_empty_database_gives_the_models_schema(data_dir: Path) -> None:
    store = ContentStore(data_dir)
    head = ScriptDirectory.from_config(schema.alembic_config()).get_current_head()
    assert head == schema.HEAD, "set schema.HEAD to the newest migration"
    assert schema.current_revision(store.engine) == head
    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == []
    store.close()


def test_reopening_keeps_the_content(example: Path, data_dir: Path) -> None:
    from kiosk.content.importer import import_source
    from kiosk.content.source import load_source

    store = ContentStore(data_dir)
    import_source(store, load_source(example))
    store.close()
    reopened = ContentStore(data_dir)
    assert reopened.revision() == 1 and reopened.item("evisa", "noi-bai") is not None
    reopened.close()


def test_database_is_in_wal_mode_with_full_sync(data_dir: Path) -> None:
    store = ContentStore(data_dir)
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.close()
    with closing(sqlite3.connect(data_dir / DB_NAME)) as raw:  # closed, not only committed
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
