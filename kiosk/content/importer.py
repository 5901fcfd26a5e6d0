"""Load a validated source into the store: all of it in one transaction, or nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, delete, insert, select, text

from kiosk.content.model import (
    Category,
    CategoryName,
    Gate,
    GateName,
    Item,
    ItemAudience,
    ItemGate,
    Media,
    Meta,
    Translation,
)
from kiosk.content.source.records import ItemRecord, Source
from kiosk.content.store import ContentStore
from kiosk.faults import crash_point
from kiosk.search import index as search_index


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    structure_changed: bool = False
    revision: int = 0

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.structure_changed)


def import_source(store: ContentStore, source: Source) -> ImportReport:
    """Make the store hold exactly ``source``; items whose digest is unchanged are not touched.

    Media blobs are written first (an unreferenced blob left by a crash is harmless); then one
    BEGIN IMMEDIATE transaction switches gates, categories and items, so a reader sees the old
    content or the new, never a mix.
    """
    digests = {item.id: item.digest() for item in source.items}
    structure = source.structure_digest()
    for item in source.items:
        for media in item.media.values():
            store.blobs.put(media.file.read_bytes(), media.sha256)
    crash_point("import:blobs-written")
    with store.engine.execution_options(immediate=True).begin() as conn:
        # A large import rewrites much of the file: a roomier page cache avoids re-reading.
        # The connection goes back to the pool afterwards, so the default is restored.
        conn.exec_driver_sql("PRAGMA cache_size = -131072")
        try:
            report = _apply(conn, source, digests, structure)
        finally:
            conn.exec_driver_sql("PRAGMA cache_size = -2000")
        crash_point("import:before-commit")
    crash_point("import:after-commit")
    return report


def _apply(
    conn: Connection, source: Source, digests: dict[str, str], structure: str
) -> ImportReport:
    report = ImportReport()
    meta = dict(conn.execute(select(Meta.key, Meta.value)).all())
    stored = dict(conn.execute(select(Item.id, Item.digest)).all())
    report.structure_changed = meta.get("structure_digest") != structure
    for item_id, digest in digests.items():
        if item_id not in stored:
            report.added.append(item_id)
        elif stored[item_id] != digest:
            report.changed.append(item_id)
        else:
            report.unchanged += 1
    report.removed = sorted(set(stored) - set(digests))
    report.revision = int(meta.get("revision", "0"))
    if not report.changed_anything:
        if not search_index.is_current(conn):
            search_index.rebuild(conn)
        return report
    conn.execute(text("PRAGMA defer_foreign_keys=ON"))
    if report.structure_changed:
        _replace_structure(conn, source)
    crash_point("import:structure-replaced")
    stale = report.changed + report.removed
    rebuild_index = _index_needs_rebuild(conn, source, report)
    if not rebuild_index:
        search_index.remove_items(conn, stale)  # while their old texts are still stored
    if stale:
        conn.execute(delete(Item).where(Item.id.in_(stale)))
    crash_point("import:items-deleted")
    fresh = set(report.added + report.changed)
    _insert_items(conn, [i for i in source.items if i.id in fresh], digests)
    crash_point("import:items-inserted")
    if rebuild_index:
        search_index.rebuild(conn)
    else:
        ordered = sorted((i for i in source.items if i.id in fresh), key=lambda i: -i.priority)
        search_index.add_items(conn, ((i.id, i.translations) for i in ordered))
    crash_point("import:indexed")
    report.revision += 1
    _write_meta(
        conn,
        {
            "revision": str(report.revision),
            "structure_digest": structure,
            "imported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "publisher": source.site.publisher,
            "default_language": source.site.default_language,
            "languages": json.dumps(list(source.site.languages)),
        },
    )
    return report


def _index_needs_rebuild(conn: Connection, source: Source, report: ImportReport) -> bool:
    """A whole new index (row ids in priority order) when much changed or the analyser did."""
    touched = len(report.added) + 2 * len(report.changed) + len(report.removed)
    return not search_index.is_current(conn) or touched > len(source.items) // 3


def _replace_structure(conn: Connection, source: Source) -> None:
    conn.execute(delete(GateName))
    conn.execute(delete(Gate))
    conn.execute(delete(CategoryName))
    conn.execute(delete(Category))
    for position, gate in enumerate(source.gates):
        conn.execute(
            insert(Gate).values(
                id=gate.id,
                type=gate.type,
                province=gate.province,
                country=gate.country,
                languages=list(gate.languages),
                position=position,
            )
        )
        _insert_names(conn, GateName, "gate_id", gate.id, gate.names)
    for category in source.categories:
        conn.execute(
            insert(Category).values(
                id=category.id,
                parent_id=category.parent,
                icon=category.icon,
                position=category.order,
            )
        )
        _insert_names(conn, CategoryName, "category_id", category.id, category.names)


def _insert_names(
    conn: Connection, table: type, owner: str, owner_id: str, names: dict[str, str]
) -> None:
    if names:
        conn.execute(
            insert(table),
            [{owner: owner_id, "lang": lang, "name": name} for lang, name in names.items()],
        )


def _insert_items(conn: Connection, items: list[ItemRecord], digests: dict[str, str]) -> None:
    if not items:
        return
    conn.execute(
        insert(Item),
        [
            {
                "id": i.id,
                "kind": i.kind,
                "category_id": i.category,
                "tags": i.tags,
                "audiences": i.audiences,
                "valid_from": i.valid_from,
                "valid_until": i.valid_until,
                "priority": i.priority,
                "urgent": i.urgent,
                "sensitive": i.sensitive,
                "source": i.source,
                "updated": i.updated,
                "digest": digests[i.id],
            }
            for i in items
        ],
    )
    gates = [{"item_id": i.id, "gate_id": g} for i in items for g in dict.fromkeys(i.gates)]
    audiences = [
        {"item_id": i.id, "audience": a} for i in items for a in dict.fromkeys(i.audiences)
    ]
    translations = [
        {
            "item_id": i.id,
            "lang": t.lang,
            "title": t.title,
            "summary": t.summary,
            "keywords": t.keywords,
            "body_html": t.body_html,
            "details": t.details,
        }
        for i in items
        for t in i.translations.values()
    ]
    media = [
        {"item_id": i.id, "path": m.path, "sha256": m.sha256, "mime": m.mime, "size": m.size}
        for i in items
        for m in i.media.values()
    ]
    for table, rows in (
        (ItemGate, gates),
        (ItemAudience, audiences),
        (Translation, translations),
        (Media, media),
    ):
        if rows:
            conn.execute(insert(table), rows)


def _write_meta(conn: Connection, values: dict[str, str]) -> None:
    conn.execute(delete(Meta).where(Meta.key.in_(values)))
    conn.execute(insert(Meta), [{"key": k, "value": v} for k, v in values.items()])
