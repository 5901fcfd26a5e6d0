"""Imports are idempotent, incremental and all-or-nothing."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.content import importer
from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import DB_NAME, ContentStore


def _dump(data_dir: Path) -> list[str]:
    with closing(sqlite3.connect(data_dir / DB_NAME)) as conn:  # closed, not only committed
        return list(conn.iterdump())


def test_importing_the_same_source_twice_changes_nothing(
    example: Path, store: ContentStore, data_dir: Path
) -> None:
    first = import_source(store, load_source(example))
    assert first.changed_anything and first.revision == 1
    before = _dump(data_dir)
    second = import_source(store, load_source(example))
    assert not second.changed_anything
    assert second.unchanged == 2 and second.revision == 1
    assert _dump(data_dir) == before


def test_only_changed_items_are_rewritten(example: Path, store: ContentStore) -> None:
    import_source(store, load_source(example))
    en = example / "items/services/emergency-numbers/en.md"
    en.write_text(en.read_text().replace("Emergency phone numbers", "Emergency numbers"))
    report = import_source(store, load_source(example))
    assert report.changed == ["emergency-numbers"] and report.unchanged == 1
    assert report.revision == 2 and not report.structure_changed
    item = store.item("emergency-numbers", "mong-cai")
    assert item is not None and item.translations["en"].title == "Emergency numbers"


def test_items_removed_from_the_source_leave_the_store(example: Path, store: ContentStore) -> None:
    import_source(store, load_source(example))
    folder = example / "items/services/emergency-numbers"
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
    report = import_source(store, load_source(example))
    assert report.removed == ["emergency-numbers"]
    assert store.item("emergency-numbers", "mong-cai") is None
    assert {c.id for c in store.categories("mong-cai")} == {"procedures", "visa"}


def test_failure_inside_the_transaction_rolls_everything_back(
    example: Path, store: ContentStore, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_source(store, load_source(example))
    before = _dump(data_dir)
    en = example / "items/services/emergency-numbers/en.md"
    en.write_text(en.read_text().replace("Emergency phone numbers", "Changed title"))
    (example / "categories.toml").write_text(
        (example / "categories.toml").read_text().replace("Essential services", "Services")
    )

    def explode(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(importer, "_insert_items", explode)
    with pytest.raises(OSError):
        import_source(store, load_source(example))
    assert _dump(data_dir) == before
    item = store.item("emergency-numbers", "mong-cai")
    assert item is not None and item.translations["en"].title == "Emergency phone numbers"
