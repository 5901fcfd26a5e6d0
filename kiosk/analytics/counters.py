"""Usage counters on disk (``usage.db``): cells of "sessions in which X happened".

A cell is (period, metric, dim1, dim2) → value. Total sessions are kept per hour; every
cross-tabulation (language, category, item, search outcome, QR, assisted mode, keyboard,
session length) per day, so no cell pins down a moment. One session adds at most 1 to any cell.
Search terms are counted per month under a keyed hash; the plaintext is stored only when the
k-th different session typed the term, and the month's key is deleted when the month is over,
so rare terms become unreadable. Storage stays bounded: past a row limit the oldest hourly
cells are merged into days, then days into months.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.dialects.sqlite import insert

from kiosk.db import open_engine
from kiosk.usb import write_new_file

DB_NAME = "usage.db"
DEFAULT_K = 5
MIN_K = 3
MAX_ROWS = 200_000

metadata = MetaData()
counts = Table(
    "counts",
    metadata,
    Column("period", String(13), primary_key=True),  # YYYY-MM-DDTHH, YYYY-MM-DD or YYYY-MM
    Column("metric", String(32), primary_key=True),
    Column("dim1", String(80), primary_key=True),
    Column("dim2", String(40), primary_key=True),
    Column("value", Integer, nullable=False),
)
terms = Table(
    "terms",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("digest", String(64), primary_key=True),
    Column("lang", String(16), nullable=False),
    Column("sessions", Integer, nullable=False),
    Column("zero", Integer, nullable=False),  # sessions in which it found nothing
    Column("plaintext", String(40)),  # only once sessions >= k
)
daily_totals = Table(  # sessions per day already sent to the hub, for the panel's chart
    "daily_totals",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("sessions", Integer, nullable=False),
)
pending = Table(  # batches being sent: each kept until the hub acknowledges it, resent as is
    "pending_batch",
    metadata,
    Column("batch_id", String(32), primary_key=True),
    Column("payload", String, nullable=False),
)
refused = Table(  # batches the hub refused for their content: kept for the operator, not resent
    "refused_batch",
    metadata,
    Column("batch_id", String(32), primary_key=True),
    Column("refused_at", String(32), nullable=False),
    Column("detail", String, nullable=False),  # the hub's answer
    Column("payload", String, nullable=False),
)
month_keys = Table(
    "month_keys",
    metadata,
    Column("month", String(7), primary_key=True),
    Column("key", LargeBinary, nullable=False),
)


@dataclass(frozen=True)
class Cell:
    metric: str
    dim1: str = ""
    dim2: str = ""


@dataclass(frozen=True)
class Term:
    lang: str
    text: str
    found_nothing: bool


class UsageCounters:
    def __init__(self, data_dir: Path, k: int = DEFAULT_K) -> None:
        if k < MIN_K:
            raise ValueError(f"k must be at least {MIN_K}")
        folder = data_dir / "usage"
        folder.mkdir(parents=True, exist_ok=True)
        # Counters are not worth a FULL sync: losing the last second of counts to a power cut
        # is harmless (the design's choice for usage.db).
        self.engine: Engine = open_engine(folder / DB_NAME, synchronous="NORMAL")
        metadata.create_all(self.engine)
        self.k = k

    def close(self) -> None:
        self.engine.dispose()

    def add_session(
        self, started: dt.datetime, hourly: list[Cell], daily: set[Cell], searched: set[Term]
    ) -> None:
        """Count one finished session: +1 to each distinct cell, in one transaction."""
        hour = started.strftime("%Y-%m-%dT%H")
        day = started.strftime("%Y-%m-%d")
        month = started.strftime("%Y-%m")
        rows = [(hour, c) for c in dict.fromkeys(hourly)] + [(day, c) for c in daily]
        with self.engine.execution_options(immediate=True).begin() as conn:
            for period, cell in rows:
                statement = insert(counts).values(
                    period=period, metric=cell.metric, dim1=cell.dim1[:80], dim2=cell.dim2[:40],
                    value=1,
                )  # fmt: skip
                conn.execute(
                    statement.on_conflict_do_update(
                        index_elements=["period", "metric", "dim1", "dim2"],
                        set_={"value": counts.c.value + 1},
                    )
                )
            if searched:
                key = self._month_key(conn, month)
                for term in searched:
                    self._count_term(conn, month, key, term)

    def _month_key(self, conn: Connection, month: str) -> bytes:
        key = conn.execute(select(month_keys.c.key).where(month_keys.c.month == month)).scalar()
        if key is None:
            key = secrets.token_bytes(32)
            conn.execute(insert(month_keys).values(month=month, key=key))
        # Keys of months that are over are destroyed: their sub-k hashes mean nothing now.
        conn.execute(delete(month_keys).where(month_keys.c.month < month))
        return bytes(key)

    def _count_term(self, conn: Connection, month: str, key: bytes, term: Term) -> None:
        digest = hmac.new(key, f"{term.lang}|{term.text}".encode(), hashlib.sha256).hexdigest()
        statement = insert(terms).values(
            month=month, digest=digest, lang=term.lang, sessions=1, zero=int(term.found_nothing)
        )
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=["month", "digest"],
                set_={
                    "sessions": terms.c.sessions + 1,
                    "zero": terms.c.zero + int(term.found_nothing),
                },
            )
        )
        # The k-th different session: from now on the term may be read.
        conn.execute(
            terms.update()
            .where(terms.c.month == month, terms.c.digest == digest)
            .where(terms.c.sessions >= self.k, terms.c.plaintext.is_(None))
            .values(plaintext=term.text)
        )

    # -- reading -------------------------------------------------------------------------------
    def daily_sessions(self, days: int, today: dt.date | None = None) -> list[tuple[dt.date, int]]:
        today = today or dt.date.today()
        first = today - dt.timedelta(days=days - 1)
        found: dict[dt.date, int] = {}
        with self.engine.connect() as conn:
            rows = list(
                conn.execute(
                    select(func.substr(counts.c.period, 1, 10), func.sum(counts.c.value))
                    .where(counts.c.metric == "sessions", counts.c.period >= first.isoformat())
                    .group_by(func.substr(counts.c.period, 1, 10))
                ).all()
            )
            rows += conn.execute(
                select(daily_totals.c.day, daily_totals.c.sessions).where(
                    daily_totals.c.day >= first.isoformat()
                )
            ).all()
        for day, total in rows:
            if len(day) == 10:
                found[dt.date.fromisoformat(day)] = found.get(dt.date.fromisoformat(day), 0) + int(
                    total
                )
        return [(first + dt.timedelta(days=n), found.get(first + dt.timedelta(days=n), 0))
                for n in range(days)]  # fmt: skip

    def readable_terms(self) -> list[tuple[str, str, str, int, int]]:
        """(month, lang, term, sessions, zero-result sessions) of terms typed by ≥ k sessions."""
        with self.engine.connect() as conn:
            return [
                tuple(r)
                for r in conn.execute(
                    select(terms.c.month, terms.c.lang, terms.c.plaintext, terms.c.sessions,
                           terms.c.zero)
                    .where(terms.c.plaintext.is_not(None))
                    .order_by(terms.c.month, terms.c.sessions.desc())
                )
            ]  # fmt: skip

    def export(self, folder: Path) -> Path:
        """Write the daily figures to a new CSV file in ``folder`` (a USB stick): one row per cell,
        cells below k merged into a "suppressed" row per metric, search terms only from k."""
        rows: dict[tuple[str, str, str, str], int] = {}
        suppressed: dict[tuple[str, str], int] = {}
        with self.engine.connect() as conn:
            for period, metric, dim1, dim2, value in conn.execute(select(counts)):
                day = period[:10]
                key = (day, metric, dim1, dim2)
                rows[key] = rows.get(key, 0) + value
        lines = ["period,metric,dim1,dim2,sessions"]
        for (day, metric, dim1, dim2), value in sorted(rows.items()):
            if metric != "sessions" and value < self.k:
                suppressed[(day, metric)] = suppressed.get((day, metric), 0) + value
                continue
            lines.append(",".join([day, metric, _csv(dim1), _csv(dim2), str(value)]))
        for (day, metric), value in sorted(suppressed.items()):
            lines.append(",".join([day, metric, "(suppressed)", "", str(value)]))
        for month, lang, term, sessions, _zero in self.readable_terms():
            lines.append(",".join([month, "search_term", lang, _csv(term), str(sessions)]))
        # A stick is not trusted: a new file only, never through a link planted there.
        name = f"kiosk-usage-{dt.date.today().isoformat()}.csv"
        return write_new_file(folder, name, ("\n".join(lines) + "\n").encode("utf-8"))

    def row_count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(counts)).scalar() or 0)

    def compact(self, max_rows: int = MAX_ROWS) -> None:
        """Keep storage bounded: merge the oldest hours into days, then days into months."""
        for length in (13, 10):  # hours, then days
            while self.row_count() > max_rows:
                with self.engine.execution_options(immediate=True).begin() as conn:
                    oldest = conn.execute(
                        select(func.min(counts.c.period)).where(
                            func.length(counts.c.period) == length
                        )
                    ).scalar()
                    if oldest is None:
                        break
                    prefix = oldest[: length - 3]  # the day of an hour, the month of a day
                    conn.execute(
                        text(
                            "INSERT INTO counts (period, metric, dim1, dim2, value) "
                            "SELECT :prefix, metric, dim1, dim2, sum(value) FROM counts "
                            "WHERE length(period) = :length AND substr(period, 1, :cut) = :prefix "
                            "GROUP BY metric, dim1, dim2 "
                            "ON CONFLICT (period, metric, dim1, dim2) "
                            "DO UPDATE SET value = value + excluded.value"
                        ),
                        {"prefix": prefix, "length": length, "cut": length - 3},
                    )
                    conn.execute(
                        delete(counts).where(
                            func.length(counts.c.period) == length,
                            func.substr(counts.c.period, 1, length - 3) == prefix,
                        )
                    )


def _csv(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value
