"""The yearly evaluation report: one HTML file with its charts drawn as inline SVG.

Sessions per gate per month, languages chosen, the most opened categories and items, the
searches that found nothing (the content teams' to-do list), QR use. Every figure below k
across the whole fleet is left out here too; what was suppressed or scrubbed is shown only
as totals.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine, select

from kiosk.analytics.scrub import looks_personal, scrubbed
from kiosk.hub.checks import DROPPED
from kiosk.hub.db import counts, kiosks, terms

DEFAULT_K = 5
MONTHS = [f"{m:02d}" for m in range(1, 13)]


def write_report(engine: Engine, year: int, out: Path, k: int = DEFAULT_K) -> Path:
    prefix = f"{year}-"
    with engine.connect() as conn:
        rows = conn.execute(select(counts).where(counts.c.period.like(f"{prefix}%"))).all()
        # The gate fixed at registration: what a kiosk says about itself moves no figure.
        gates = {k: g for k, g in conn.execute(select(kiosks.c.id, kiosks.c.gate)).all() if g}
        term_rows = conn.execute(select(terms).where(terms.c.month.like(f"{prefix}%"))).all()
    by_gate_month: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MONTHS, 0))
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    suppressed: dict[str, int] = defaultdict(int)
    for kiosk_id, period, metric, dim1, dim2, value in rows:
        if dim1 == "(suppressed)":
            suppressed[metric] += value
            continue
        if dim1 == DROPPED or looks_personal(dim1) or looks_personal(dim2):
            # Identifiers are never printed, even ones stored before the hub filtered them.
            suppressed[f"{metric} (identifiers dropped by the hub)"] += value
            continue
        if metric == "sessions":
            by_gate_month[gates.get(kiosk_id, kiosk_id)][period[5:7]] += value
        elif metric in ("language", "category", "qr", "session_length"):
            totals[metric][dim1] += value
        elif metric == "item":
            totals["item"][f"{dim1} ({dim2})"] += value
        elif metric == "search":
            totals["search"][f"{dim1}: {dim2}"] += value
        elif metric == "search_scrubbed":
            suppressed["search (identifiers dropped on the kiosk)"] += value
    zero: dict[tuple[str, str], int] = defaultdict(int)
    for _kiosk, _month, lang, term, _sessions, nothing in term_rows:
        if scrubbed(term) is not None:
            zero[(lang, term)] += nothing
    sessions_total = sum(sum(m.values()) for m in by_gate_month.values())
    parts = [
        f"<h1>Border-gate lookup kiosks: evaluation {year}</h1>",
        f"<p>{sessions_total} traveller sessions on {len(by_gate_month)} gates. Figures below "
        f"{k} sessions are not shown; each counts sessions in which something happened.</p>",
        "<h2>Sessions per gate and month</h2>",
        *(_bars(f"{html.escape(gate)}", list(months.items())) for gate, months in
          sorted(by_gate_month.items())),
        "<h2>Languages chosen</h2>", _bars("", _top(totals["language"], k, 20)),
        "<h2>Most opened categories</h2>", _bars("", _top(totals["category"], k, 15)),
        "<h2>Most opened items</h2>", _bars("", _top(totals["item"], k, 20)),
        "<h2>Searches that found nothing</h2>",
        _table(["language", "search", "sessions"],
               [(lang, term, n) for (lang, term), n in
                sorted(zero.items(), key=lambda kv: -kv[1]) if n >= k][:50]),
        "<h2>Searches</h2>", _bars("", _top(totals["search"], k, 20)),
        "<h2>QR codes shown</h2>", _bars("", _top(totals["qr"], k, 20)),
        "<h2>Session length</h2>", _bars("", _top(totals["session_length"], k, 4)),
        "<h2>Not shown (below the threshold, or dropped on the kiosk)</h2>",
        _table(["figure", "sessions"], sorted(suppressed.items())),
    ]  # fmt: skip
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"evaluation-{year}.html"
    path.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Kiosk evaluation {year}</title><style>body{{font-family:sans-serif;"
        "max-width:60rem;margin:auto}} td,th{{padding:.2rem .6rem;text-align:left}}</style>"
        "</head><body>" + "".join(parts) + "</body></html>",
        encoding="utf-8",
    )
    return path


def _top(values: dict[str, int], k: int, limit: int) -> list[tuple[str, int]]:
    shown = [(name, n) for name, n in values.items() if n >= k]
    return sorted(shown, key=lambda kv: -kv[1])[:limit]


def _bars(title: str, values: list[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG (no script, no external file)."""
    if not values:
        return f"<p>{title} —</p>" if title else "<p>—</p>"
    top = max(v for _n, v in values) or 1
    height = 22 * len(values) + 10
    bars = "".join(
        f'<text x="0" y="{22 * i + 16}" font-size="13">{html.escape(str(name))}</text>'
        f'<rect x="260" y="{22 * i + 4}" width="{max(1, 400 * v / top):.0f}" height="16" '
        f'fill="#1d4e7a"/><text x="{265 + 400 * v / top:.0f}" y="{22 * i + 16}" '
        f'font-size="12">{v}</text>'
        for i, (name, v) in enumerate(values)
    )
    caption = f"<h3>{title}</h3>" if title else ""
    return f'{caption}<svg width="720" height="{height}" role="img">{bars}</svg>'


def _table(header: list[str], rows: Sequence[tuple[object, ...]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body or '<tr><td>—</td></tr>'}</table>"
