"""An append-only, hash-chained record of everything staff and operators do.

Each entry's hash covers the previous entry's hash and its own fields, so an entry changed,
removed or inserted afterwards breaks the chain from there on; :func:`verify` finds where.
Failed PIN entries are recorded by count and time, never by the digits typed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select

from kiosk.admin.db import audit
from kiosk.storage import WRITE_ERRORS, first_line

GENESIS = "0" * 64
log = logging.getLogger("kiosk.admin")


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor: str
    action: str
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainPosition:
    """What the hub is told about the chain: how many entries, the hash after the last one,
    and the hash after the first ``known_count`` (the count the hub knew before), all
    recomputed from the entries themselves, so an entry edited in place changes them too."""

    count: int
    head: str
    known_count: int | None = None
    known_head: str | None = None


def _digest(prev: str, at: str, actor: str, action: str, detail: str) -> str:
    canonical = json.dumps([prev, at, actor, action, detail], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Why the last entry could not be written, until one is: the panel says so.
        self.last_failure: str | None = None

    def record(self, actor: str, action: str, detail: str = "") -> Entry:
        at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        with self.engine.execution_options(immediate=True).begin() as conn:
            last = conn.execute(select(audit.c.hash).order_by(audit.c.id.desc()).limit(1)).scalar()
            prev = last or GENESIS
            digest = _digest(prev, at, actor, action, detail)
            row = conn.execute(
                insert(audit).values(
                    at=at, actor=actor, action=action, detail=detail, prev_hash=prev, hash=digest
                )
            )
            key = row.inserted_primary_key
            assert key is not None
        return Entry(int(key[0]), at, actor, action, detail, prev, digest)

    def try_record(self, actor: str, action: str, detail: str = "") -> Entry | None:
        """:meth:`record`, except that a disk that refuses the write (full, read-only) costs
        the entry, not the action: an operator must still be able to open the panel and read
        why. The failure is logged and kept in :attr:`last_failure`."""
        try:
            entry = self.record(actor, action, detail)
        except WRITE_ERRORS as exc:
            self.last_failure = first_line(exc)
            log.warning("audit entry %s %s not written: %s", actor, action, self.last_failure)
            return None
        self.last_failure = None
        return entry

    def entries(self, limit: int | None = None) -> list[Entry]:
        query = select(audit).order_by(audit.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            return [Entry(**row._mapping) for row in conn.execute(query)][::-1]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(audit)).scalar() or 0)

    def head(self) -> str:
        with self.engine.connect() as conn:
            last = conn.execute(select(audit.c.hash).order_by(audit.c.id.desc()).limit(1)).scalar()
        return last or GENESIS

    def position(self, known_count: int | None = None) -> ChainPosition:
        prev, count, known_head = GENESIS, 0, GENESIS if known_count == 0 else None
        with self.engine.connect() as conn:
            for row in conn.execute(select(audit).order_by(audit.c.id)):
                prev = _digest(prev, row.at, row.actor, row.action, row.detail)
                count += 1
                if count == known_count:
                    known_head = prev
        if known_head is None:  # fewer entries than the hub knew: the hub sees the count
            known_count = None
        return ChainPosition(count, prev, known_count, known_head)

    def verify(self) -> int | None:
        """The id of the first entry that does not fit the chain, or None if all do."""
        prev = GENESIS
        with self.engine.connect() as conn:
            for row in conn.execute(select(audit).order_by(audit.c.id)):
                expected = _digest(prev, row.at, row.actor, row.action, row.detail)
                if row.prev_hash != prev or row.hash != expected:
                    return int(row.id)
                prev = row.hash
        return None
