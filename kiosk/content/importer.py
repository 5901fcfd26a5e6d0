"""Load a validated source into the store: all of it in one transaction, or nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text

from kiosk.content import index as search_index
from kiosk.content.model import (
    NATIONAL,
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
from kiosk.content.source.records import ItemRecord, Source, Structure, TranslationRecord
from kiosk.content.store import ContentStore
from kiosk.faults import crash_point


class AuthorityError(Exception):
    """A change touches content its channel does not own."""


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0
    structure_changed: bool = False
    revision: int = 0
    reindexed: int = 0  # translations (re)analysed into the search index

    @property
    def changed_anything(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.structure_changed)


@dataclass
class ChannelChange:
    """What one channel's content becomes.

    ``replace`` (a whole source, or a snapshot pack): afterwards the channel holds exactly
    ``upserts``. Otherwise (a delta pack) ``upserts`` are added or replaced and ``deletes``
    removed; the channel's other items stay.
    """

    channel: str
    upserts: list[ItemRecord]
    deletes: list[str] = field(default_factory=list)
    replace: bool = True
    structure: Structure | None = None
    meta: dict[str, str] = field(default_factory=dict)  # written in the same transaction


def import_source(store: ContentStore, source: Source) -> ImportReport:
    """Make the store hold exactly ``source``; items whose digest is unchanged are not touched.

    Media blobs are written first (an unreferenced blob left by a crash is harmless); then one
    BEGIN IMMEDIATE transaction switches gates, categories and items, so a reader sees the old
    content or the new, never a mix.
    """
    for item in source.items:
        for media in item.media.values():
            assert media.file is not None
            store.blobs.put(media.file.read_bytes(), media.sha256)
    crash_point("import:blobs-written")
    national = source.site.publisher == NATIONAL
    change = ChannelChange(
        channel=source.site.publisher,
        upserts=source.items,
        structure=source.structure if national else None,
    )
    return apply_changes(store, [change])


def apply_changes(store: ContentStore, changes: list[ChannelChange]) -> ImportReport:
    """Apply channel changes in one BEGIN IMMEDIATE transaction: all of them or none."""
    with store.engine.execution_options(immediate=True).begin() as conn:
        # A large change rewrites much of the file: a roomier page cache avoids re-reading.
        # The connection goes back to the pool afterwards, so the default is restored.
        conn.exec_driver_sql("PRAGMA cache_size = -131072")
        try:
            report = ImportReport()
            meta = dict(conn.execute(select(Meta.key, Meta.value)).all())
            report.revision = int(meta.get("revision", "0"))
            extra_meta: dict[str, str] = {}
            for change in changes:
                _apply(conn, change, report)
                extra_meta.update(change.meta)
            if report.changed_anything:
                report.revision += 1
                extra_meta["revision"] = str(report.revision)
                extra_meta["imported_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            elif not search_index.is_current(conn):
                search_index.rebuild(conn)
            if extra_meta:
                _write_meta(conn, extra_meta)
        finally:
            conn.exec_driver_sql("PRAGMA cache_size = -2000")
        crash_point("import:before-commit")
    crash_point("import:after-commit")
    return report


def _apply(conn: Connection, change: ChannelChange, report: ImportReport) -> None:
    digests = {item.id: item.digest() for item in change.upserts}
    owners = dict(conn.execute(select(Item.id, Item.channel)).all())
    foreign = sorted(
        i for i in [*digests, *change.deletes] if owners.get(i, change.channel) != change.channel
    )
    if foreign:
        raise AuthorityError(
            f"item '{foreign[0]}' belongs to channel '{owners[foreign[0]]}', not '{change.channel}'"
        )
    stored = dict(
        conn.execute(select(Item.id, Item.digest).where(Item.channel == change.channel)).all()
    )
    structure = change.structure.digest() if change.structure else None
    structure_changed = structure is not None and (
        conn.execute(select(Meta.value).where(Meta.key == "structure_digest")).scalar() != structure
    )
    added: list[str] = []
    changed: list[str] = []
    for item_id, digest in digests.items():
        if item_id not in stored:
            added.append(item_id)
        elif stored[item_id] != digest:
            changed.append(item_id)
        else:
            report.unchanged += 1
    if change.replace:
        removed = sorted(set(stored) - set(digests))
    else:
        removed = sorted(set(change.deletes) & set(stored))
    if not (added or changed or removed or structure_changed):
        return
    report.added += added
    report.changed += changed
    report.removed += removed
    report.structure_changed |= structure_changed
    conn.execute(text("PRAGMA defer_foreign_keys=ON"))
    if structure_changed and change.structure is not None:
        _replace_structure(conn, change.structure)
        _write_meta(conn, _structure_meta(change.structure, structure or ""))
    crash_point("import:structure-replaced")
    wanted = set(added + changed)
    fresh = [i for i in change.upserts if i.id in wanted]
    rebuild_index = _index_needs_rebuild(conn, len(added) + 2 * len(changed) + len(removed))
    stale_docs: list[tuple[str, str]] = []
    fresh_docs = {i.id: dict(i.translations) for i in fresh}
    if not rebuild_index:
        stale_docs, fresh_docs = _changed_translations(conn, fresh, removed)
        # While their old texts are still stored: contentless tables need them to forget.
        search_index.remove_docs(conn, stale_docs)
    stale = changed + removed
    if stale:
        conn.execute(delete(Item).where(Item.id.in_(stale)))
    crash_point("import:items-deleted")
    _insert_items(conn, fresh, digests, change.channel)
    crash_point("import:items-inserted")
    if rebuild_index:
        search_index.rebuild(conn)
        total = conn.execute(select(func.count()).select_from(Translation)).scalar()
        report.reindexed += total or 0
    else:
        ordered = sorted(fresh, key=lambda i: -i.priority)
        docs = [(i.id, fresh_docs[i.id]) for i in ordered if fresh_docs.get(i.id)]
        search_index.add_items(conn, docs)
        report.reindexed += sum(len(t) for _i, t in docs)
    crash_point("import:indexed")


def _changed_translations(
    conn: Connection, fresh: list[ItemRecord], removed: list[str]
) -> tuple[list[tuple[str, str]], dict[str, dict[str, TranslationRecord]]]:
    """Index documents to drop and to add: only translations whose text changed."""
    ids = [i.id for i in fresh] + removed
    old: dict[tuple[str, str], tuple[Any, ...]] = {}
    for start in range(0, len(ids), 500):
        for row in conn.execute(
            select(
                Translation.item_id,
                Translation.lang,
                Translation.title,
                Translation.summary,
                Translation.keywords,
                Translation.body_html,
                Translation.details,
            ).where(Translation.item_id.in_(ids[start : start + 500]))
        ):
            old[(row[0], row[1])] = _text_key(row[2], row[3], row[4], row[5], row[6])
    new: dict[tuple[str, str], tuple[Any, ...]] = {
        (i.id, t.lang): _text_key(t.title, t.summary, t.keywords, t.body_html, t.details)
        for i in fresh
        for t in i.translations.values()
    }
    stale = [key for key, value in old.items() if new.get(key) != value]
    fresh_docs: dict[str, dict[str, TranslationRecord]] = {}
    for item in fresh:
        for lang, t in item.translations.items():
            if old.get((item.id, lang)) != new[(item.id, lang)]:
                fresh_docs.setdefault(item.id, {})[lang] = t
    return stale, fresh_docs


def _text_key(title: str, summary: str, keywords: Any, body: str, details: Any) -> tuple[Any, ...]:
    return (title, summary, json.dumps(keywords), body, json.dumps(details, sort_keys=True))


def _structure_meta(structure: Structure, digest: str) -> dict[str, str]:
    return {
        "structure_digest": digest,
        "publisher": structure.site.publisher,
        "default_language": structure.site.default_language,
        "languages": json.dumps(list(structure.site.languages)),
    }


def _index_needs_rebuild(conn: Connection, touched: int) -> bool:
    """A whole new index (row ids in priority order) when much changed or the analyser did."""
    total = conn.execute(select(func.count()).select_from(Item)).scalar() or 0
    return not search_index.is_current(conn) or touched > total // 3


def _replace_structure(conn: Connection, source: Structure) -> None:
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


def _insert_items(
    conn: Connection, items: list[ItemRecord], digests: dict[str, str], channel: str
) -> None:
    if not items:
        return
    conn.execute(
        insert(Item),
        [
            {
                "id": i.id,
                "channel": channel,
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
