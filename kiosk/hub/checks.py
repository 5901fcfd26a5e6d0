"""What the hub checks in a batch beyond its shape: no identifier reaches its tables (the same
filter as the kiosk's), no cell counts more sessions than one kiosk can serve, and the gates a
kiosk may be registered at."""

from __future__ import annotations

import calendar
import functools
import tomllib
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kiosk.analytics.scrub import looks_personal, scrubbed
from kiosk.hub.db import counts
from kiosk.hub.schema import Batch, TermRow
from kiosk.paths import bundled_content_dir

# A session is at least a language chosen and the screen left again: one every ten seconds,
# an hour long, is already far beyond a queue at a border gate. Every cell counts sessions in
# which something happened, so this bounds every cell, summed over the periods it contains.
SESSIONS_PER_HOUR = 360
SUPPRESSED, DROPPED = "(suppressed)", "(dropped)"  # dims kiosks cannot send (not slugs)

Row = tuple[str, str, str, str, int]  # period, metric, dim1, dim2, value
# The same item ids and languages come back in every day of every batch.
_personal = functools.lru_cache(maxsize=8192)(looks_personal)


def without_identifiers(batch: Batch) -> tuple[list[Row], list[TermRow], int]:
    """The batch's cells and terms with every identifier-shaped value taken out.

    A cell whose dimension, or a term, the kiosk's own filter would have dropped is not
    stored; a cell's sessions stay in the figures as a "(dropped)" total per period and metric,
    so volumes stay right. Returns (cells, terms, how many cells and terms were dropped)."""
    rows: list[Row] = []
    dropped: dict[tuple[str, str], int] = defaultdict(int)
    removed = 0
    for r in batch.counts:
        if _personal(r.dim1) or _personal(r.dim2):
            dropped[(r.period, r.metric)] += r.value
            removed += 1
        else:
            rows.append((r.period, r.metric, r.dim1, r.dim2, r.value))
    rows += [(r.period, r.metric, SUPPRESSED, "", r.value) for r in batch.suppressed]
    terms: list[TermRow] = []
    for t in batch.terms:
        if scrubbed(t.term) is None:  # a running monthly total: counting it would recount
            removed += 1
        else:
            terms.append(t)
    rows += [(period, metric, DROPPED, "", value) for (period, metric), value in dropped.items()]
    return rows, terms, removed


def most_sessions(span: str) -> int:
    """The most sessions one kiosk can serve in an hour, a day or a month (``span`` is a
    period: 2026-03-14T10, 2026-03-14 or 2026-03)."""
    if len(span) == 13:
        return SESSIONS_PER_HOUR
    if len(span) == 10:
        return 24 * SESSIONS_PER_HOUR
    year, month = int(span[:4]), int(span[5:7])
    return calendar.monthrange(year, month)[1] * 24 * SESSIONS_PER_HOUR


def implausible(conn: Any, kiosk_id: str, rows: list[Row], terms: list[TermRow]) -> str | None:
    """Why the batch cannot be true (one sentence), or None.

    Every cell is added to what the kiosk already sent for the hour, day and month it falls
    in, so a figure cannot be spread over many batches or over hour, day and month cells."""
    for t in terms:
        if t.zero > t.sessions or t.sessions > most_sessions(t.month):
            return (
                f"search term row of {t.month} counts {t.sessions} sessions ({t.zero} found "
                f"nothing), more than one kiosk serves in a month: batch refused"
            )
    months = sorted({r[0][:7] for r in rows})
    if not months:
        return None
    stored = conn.execute(
        select(counts.c.period, counts.c.metric, counts.c.dim1, counts.c.dim2, counts.c.value)
        .where(counts.c.kiosk_id == kiosk_id)
        .where(func.substr(counts.c.period, 1, 7).in_(months))  # no range: collations differ
    ).all()
    totals: dict[tuple[str, str, str, str], int] = defaultdict(int)
    touched: set[tuple[str, str, str, str]] = set()
    for number, (period, metric, dim1, dim2, value) in enumerate([*stored, *rows]):
        figure = _bounded(metric, dim1, dim2)
        if figure is None:
            continue
        for span in {period, period[:10], period[:7]}:
            totals[(*figure, span)] += value
            if number >= len(stored):
                touched.add((*figure, span))
    for key in sorted(touched):
        metric, dim1, dim2, span = key
        if totals[key] > most_sessions(span):
            cell = "/".join(part for part in (metric, dim1, dim2) if part)
            return (
                f"cell {cell} of {span} would count {totals[key]} sessions, more than one kiosk "
                f"serves in that time (at most {most_sessions(span)}, a session every 10 "
                f"seconds): batch refused"
            )
    return None


def _bounded(metric: str, dim1: str, dim2: str) -> tuple[str, str, str] | None:
    """The figure a row adds to: sessions kept and suppressed are one total; other
    suppressed or dropped totals sum many different cells, so no kiosk-wide bound holds."""
    if metric == "sessions":
        return (metric, "", "")
    if dim1 in (SUPPRESSED, DROPPED):
        return None
    return (metric, dim1, dim2)


def known_gates(gates_file: Path | None = None) -> list[str]:
    """Gate ids of a content source's gates.toml (by default the bundled content's)."""
    path = gates_file or bundled_content_dir() / "gates.toml"
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return [str(g["id"]) for g in data.get("gate", []) if isinstance(g, dict) and "id" in g]
