"""The local content store: one SQLite file plus content-addressed media in the data dir.

Every query that hands out items applies the validity window and the gate scope, so an expired,
not-yet-valid or other-gate item never reaches a caller.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import OrderedDict, defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, delete, exists, func, insert, or_, select

from kiosk.content import schema
from kiosk.content.blobs import BlobStore
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
from kiosk.content.source.records import ALL_GATES
from kiosk.content.views import CategoryView, GateView, ItemSummary, ItemView, TranslationView
from kiosk.db import open_engine, open_read_only_engine

DB_NAME = "content.db"
# A province's key may flag notices urgent for its own gates (a closed road, a flood), but one
# key, stolen or careless, must not fill the home screen: the highest two of each province are
# shown, the national channel's (signed by the central authority) all.
PROVINCIAL_URGENT = 2


class LRU(OrderedDict[tuple[Any, ...], Any]):
    """A small dict that forgets its oldest entries (safe enough across threads for a cache:
    the worst case is a value computed twice)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def __setitem__(self, key: tuple[Any, ...], value: Any) -> None:
        super().__setitem__(key, value)
        while len(self) > self.size:
            self.popitem(last=False)


def visible(gate_id: str, today: dt.date, audience: str | None = None) -> ColumnElement[bool]:
    """SQL condition: the item is valid today and shown at this gate (and to this audience)."""
    conditions = [
        or_(Item.valid_from.is_(None), Item.valid_from <= today),
        or_(Item.valid_until.is_(None), Item.valid_until >= today),
        exists().where(ItemGate.item_id == Item.id, ItemGate.gate_id.in_((ALL_GATES, gate_id))),
    ]
    if audience:
        conditions.append(
            exists().where(ItemAudience.item_id == Item.id, ItemAudience.audience == audience)
        )
    return and_(*conditions)


class SchemaBehind(Exception):
    """A read-only content database made by an older version: it cannot be migrated."""


class ContentStore:
    def __init__(self, data_dir: Path, *, read_only: bool = False) -> None:
        """``read_only``: only read the database there is (a data folder the kiosk cannot
        write); it must exist and be at the current schema, else :class:`SchemaBehind`."""
        self.data_dir = Path(data_dir)
        self.read_only = read_only
        if read_only:
            self.engine: Engine = open_read_only_engine(self.data_dir / DB_NAME)
            found = schema.current_revision(self.engine)
            if found != schema.HEAD:
                self.engine.dispose()
                raise SchemaBehind(f"content database at schema {found}, not {schema.HEAD}")
        else:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.engine = open_engine(self.data_dir / DB_NAME)
            schema.upgrade(self.engine)
        self.blobs = BlobStore(self.data_dir / "blobs")
        # Whole-store answers by (query, gate, day, revision); a new revision makes new keys.
        self._memo: LRU = LRU(32)

    def close(self) -> None:
        self.engine.dispose()

    # -- facts about the content -------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(Meta.key, Meta.value)).all())

    def set_meta(self, values: dict[str, str]) -> None:
        """Record facts about the content (replacing the same keys), in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(Meta).where(Meta.key.in_(values)))
            conn.execute(insert(Meta), [{"key": k, "value": v} for k, v in values.items()])

    def revision(self) -> int:
        return int(self.meta().get("revision", "0"))

    def is_empty(self) -> bool:
        return self.revision() == 0

    def languages(self) -> tuple[str, ...]:
        return tuple(json.loads(self.meta().get("languages", "[]")))

    def default_language(self) -> str:
        return self.meta().get("default_language", "vi")

    # -- ownership, for checking what a feed channel may change ------------------------------
    def gate_provinces(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(Gate.id, Gate.province)).all())

    def category_ids(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(Category.id)).scalars())

    def referenced_blobs(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(Media.sha256)).scalars())

    def item_channels(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return dict(conn.execute(select(Item.id, Item.channel)).all())

    # -- gates and categories ----------------------------------------------------------------
    def gates(self) -> list[GateView]:
        with self.engine.connect() as conn:
            names = _names(conn.execute(select(GateName.gate_id, GateName.lang, GateName.name)))
            rows = conn.execute(select(Gate).order_by(Gate.position)).mappings().all()
        return [
            GateView(
                r["id"],
                r["type"],
                r["province"],
                r["country"],
                tuple(r["languages"]),
                names.get(r["id"], {}),
            )
            for r in rows
        ]

    def gate(self, gate_id: str) -> GateView | None:
        return next((g for g in self.gates() if g.id == gate_id), None)

    def categories(self, gate_id: str, today: dt.date | None = None) -> list[CategoryView]:
        """Categories that hold at least one item visible at the gate today, in display order.

        Counting scans every item, so the answer is kept until the content revision changes
        (a sync can warm it from another thread before the screen asks)."""
        today = today or dt.date.today()
        key = ("categories", gate_id, today, self.revision())
        cached = self._memo.get(key)
        if cached is None:
            cached = self._memo[key] = self._categories(gate_id, today)
        return list(cached)

    def _categories(self, gate_id: str, today: dt.date) -> list[CategoryView]:
        with self.engine.connect() as conn:
            names = _names(
                conn.execute(select(CategoryName.category_id, CategoryName.lang, CategoryName.name))
            )
            rows = conn.execute(select(Category)).mappings().all()
            counts = dict(
                conn.execute(
                    select(Item.category_id, func.count())
                    .where(visible(gate_id, today))
                    .group_by(Item.category_id)
                ).all()
            )
        parents = {r["id"]: r["parent_id"] for r in rows}
        totals: dict[str, int] = defaultdict(int)
        for category, count in counts.items():
            node: str | None = category
            while node is not None:
                totals[node] += count
                node = parents.get(node)
        views = [
            CategoryView(
                r["id"],
                r["parent_id"],
                r["icon"],
                r["position"],
                names.get(r["id"], {}),
                totals[r["id"]],
            )
            for r in rows
            if totals.get(r["id"])
        ]
        return sorted(views, key=lambda c: (c.order, c.id))

    # -- items -------------------------------------------------------------------------------
    def items(
        self,
        gate_id: str,
        today: dt.date | None = None,
        *,
        category: str | None = None,
        audience: str | None = None,
        urgent_only: bool = False,
        kinds: tuple[str, ...] = (),
        limit: int | None = None,
    ) -> list[ItemSummary]:
        """Visible items, highest priority first; ``category`` includes its sub-categories."""
        today = today or dt.date.today()
        query = (
            select(Item.id, Item.kind, Item.category_id, Item.priority, Item.urgent)
            .where(visible(gate_id, today, audience))
            .order_by(Item.priority.desc(), Item.id)
            .limit(limit)
        )
        if kinds:
            query = query.where(Item.kind.in_(kinds))
        if category is not None:
            query = query.where(Item.category_id.in_(self._subtree(category)))
        if urgent_only:
            query = query.where(Item.urgent.is_(True))
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
            ids = [r.id for r in rows]
            titles: dict[str, dict[str, str]] = defaultdict(dict)
            for item_id, lang, title in conn.execute(
                select(Translation.item_id, Translation.lang, Translation.title).where(
                    Translation.item_id.in_(ids)
                )
            ):
                titles[item_id][lang] = title
        summaries = [
            ItemSummary(r.id, r.kind, r.category_id, r.priority, r.urgent, titles[r.id])
            for r in rows
        ]
        return sorted(summaries, key=lambda s: (-s.priority, s.id))

    def urgent_notices(self, gate_id: str, today: dt.date | None = None) -> list[ItemSummary]:
        """Urgent notices for the home screen's banners: every notice of the national channel,
        then at most ``PROVINCIAL_URGENT`` of each province's, highest priority first."""
        today = today or dt.date.today()
        key = ("urgent", gate_id, today, self.revision())
        cached = self._memo.get(key)
        if cached is None:
            cached = self._memo[key] = self._urgent_notices(gate_id, today)
        return list(cached)

    def _urgent_notices(self, gate_id: str, today: dt.date) -> list[ItemSummary]:
        notices = self.items(gate_id, today, urgent_only=True)
        with self.engine.connect() as conn:
            channels = dict(
                conn.execute(
                    select(Item.id, Item.channel).where(Item.id.in_([n.id for n in notices]))
                ).all()
            )
        kept: list[ItemSummary] = []
        per_channel: dict[str, int] = defaultdict(int)
        for notice in notices:
            channel = channels.get(notice.id, NATIONAL)
            per_channel[channel] += 1
            if channel == NATIONAL or per_channel[channel] <= PROVINCIAL_URGENT:
                kept.append(notice)
        # The national channel's first: a province's priorities do not outrank them.
        return sorted(kept, key=lambda n: channels.get(n.id, NATIONAL) != NATIONAL)

    def item(self, item_id: str, gate_id: str, today: dt.date | None = None) -> ItemView | None:
        """The item if it is visible at the gate today, else None."""
        today = today or dt.date.today()
        with self.engine.connect() as conn:
            row = (
                conn.execute(select(Item).where(Item.id == item_id, visible(gate_id, today)))
                .mappings()
                .first()
            )
            if row is None:
                return None
            gates = (
                conn.execute(select(ItemGate.gate_id).where(ItemGate.item_id == item_id))
                .scalars()
                .all()
            )
            translations = (
                conn.execute(select(Translation).where(Translation.item_id == item_id))
                .mappings()
                .all()
            )
        return ItemView(
            id=row["id"],
            kind=row["kind"],
            category=row["category_id"],
            tags=tuple(row["tags"]),
            gates=tuple(sorted(gates)),
            audiences=tuple(row["audiences"]),
            valid_from=row["valid_from"],
            valid_until=row["valid_until"],
            priority=row["priority"],
            urgent=row["urgent"],
            sensitive=row["sensitive"],
            source=row["source"],
            updated=row["updated"],
            translations={
                t["lang"]: TranslationView(
                    t["lang"],
                    t["title"],
                    t["summary"],
                    tuple(t["keywords"]),
                    t["body_html"],
                    t["details"],
                )
                for t in translations
            },
        )

    def translations_in(self, lang: str) -> list[TranslationView]:
        """Every stored translation in ``lang``, whatever its gate or dates (the vocabulary of
        the content, for the on-screen keyboard's word candidates)."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Translation).where(Translation.lang == lang)).mappings()
            return [
                TranslationView(
                    r["lang"],
                    r["title"],
                    r["summary"],
                    tuple(r["keywords"]),
                    r["body_html"],
                    r["details"],
                )
                for r in rows
            ]

    def media(self, sha256: str) -> tuple[Path, str] | None:
        """(file, mime type) of a media blob that stored content refers to, else None."""
        with self.engine.connect() as conn:
            mime = conn.execute(select(Media.mime).where(Media.sha256 == sha256).limit(1)).scalar()
        if mime is None or not self.blobs.has(sha256):
            return None
        return self.blobs.path(sha256), mime

    def item_media(self, item_id: str) -> set[str]:
        """sha256 hashes of the media files ``item_id`` declares."""
        with self.engine.connect() as conn:
            found = conn.execute(select(Media.sha256).where(Media.item_id == item_id)).scalars()
            return set(found)

    def _subtree(self, category: str) -> set[str]:
        with self.engine.connect() as conn:
            parents = dict(conn.execute(select(Category.id, Category.parent_id)).all())
        found = {category}
        changed = True
        while changed:
            changed = False
            for child, parent in parents.items():
                if parent in found and child not in found:
                    found.add(child)
                    changed = True
        return found


def _names(rows: object) -> dict[str, dict[str, str]]:
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for owner, lang, name in rows:  # type: ignore[attr-defined]
        names[owner][lang] = name
    return names
