"""Sending the usage figures to the hub: one batch of every closed period, kept (with its id)
until the hub acknowledges it, so a retry after a lost answer is counted once; heartbeats.

A batch holds cells of past hours and days only. Cells below k travel only as a "suppressed"
total per day and metric, so volumes stay right and no small cell leaves the kiosk. Search
terms travel as their monthly totals once k sessions typed them. After the hub's answer the
sent cells are removed (their daily session totals stay for the panel's chart).

Uploads never wedge: a long backlog goes in several batches, each well below the hub's size
limit, oldest days first; a batch the hub refuses for its content is split into days and sent
again, and a single day still refused is set aside (kept in usage.db, logged, never resent), so
the periods after it still arrive.

The kiosk's token goes only to an https:// hub (or a hub on this machine): over plain HTTP
anyone on the path could read it and send figures in the kiosk's name.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import Connection, bindparam, delete, insert, select, update

from kiosk.analytics.counters import UsageCounters, counts, daily_totals, pending, refused

RETRIES = 5
BATCH_BYTES = 2_000_000  # half the hub's 4 MB limit on a request body
MAX_TERMS = 5_000  # what the hub accepts in one batch
MAX_BATCHES = 500  # per run: a 60-day backlog split into days fits many times over
# The hub refuses these for what the batch holds: sending it again as it is cannot help. Other
# refusals (an unknown token, another kiosk's name, too many requests) are the setup's or the
# moment's, and the batch waits for them to be fixed.
CONTENT_REFUSED = frozenset({400, 409, 413, 422})
log = logging.getLogger("kiosk.usage")


class UploadOutcome(StrEnum):
    """How an upload or a heartbeat ended (printed by ``kiosk analytics upload``)."""

    SENT = "sent"
    NOTHING = "nothing"  # nothing closed to send
    OFFLINE = "offline"
    REFUSED = "refused"


@dataclass
class UploadResult:
    outcome: UploadOutcome
    detail: str = ""
    cells: int = 0
    set_aside: int = 0  # cells the hub refused, kept in usage.db and not sent again


Rows = Sequence[Sequence[Any]]  # (period, metric, dim1, dim2, value) of the local counters


def is_loopback(host: str) -> bool:
    """``host`` names this machine: localhost, 127.0.0.0/8 or ::1."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def insecure_hub(url: str) -> str | None:
    """Why the kiosk will not send its token to the hub at ``url`` (None: it may)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return None
    return (
        f"the hub address {url} is not https://, so the kiosk will not send its token there: "
        "set the hub's https:// address (plain http:// only for a hub on this machine)"
    )


def build_batch(counters: UsageCounters, kiosk_id: str, today: dt.date) -> dict[str, Any] | None:
    """The batch to send now: a pending one if there is one, else a new one of the oldest
    closed days, as many as fit in :data:`BATCH_BYTES` (or None: nothing to send)."""
    with counters.engine.connect() as conn:
        saved = conn.execute(select(pending.c.payload).limit(1)).scalar()
    if saved is not None:
        return dict(json.loads(saved))
    cutoff = today.isoformat()
    with counters.engine.connect() as conn:
        rows = conn.execute(select(counts).where(counts.c.period < cutoff)).all()
    if not rows:
        return None
    chosen: list[Any] = []
    size = 0
    for _day, day_rows in sorted(_by_day(rows).items()):
        day_size = sum(len(json.dumps(list(r), ensure_ascii=False)) + 50 for r in day_rows)
        if chosen and size + day_size > BATCH_BYTES:
            break
        chosen += day_rows
        size += day_size
    batch = _batch_of(counters.k, kiosk_id, chosen, counters.readable_terms())
    _keep_pending(counters, [batch], replacing=None)
    return batch


def _by_day(rows: Rows) -> dict[str, list[Any]]:
    """Rows per day (a month merged by compaction is its own group)."""
    days: dict[str, list[Any]] = {}
    for row in rows:
        days.setdefault(row[0][:10], []).append(row)
    return days


def _batch_of(k: int, kiosk_id: str, rows: Rows, terms: Rows) -> dict[str, Any]:
    """A batch of these counter rows, with the readable search terms of their months."""
    kept: list[dict[str, Any]] = []
    suppressed: dict[tuple[str, str], int] = {}
    for period, metric, dim1, dim2, value in rows:
        if value >= k:
            kept.append(
                {"period": period, "metric": metric, "dim1": dim1, "dim2": dim2, "value": value}
            )
        else:
            key = (period[:10], metric)
            suppressed[key] = suppressed.get(key, 0) + value
    months = {row[0][:7] for row in rows}
    in_months = [t for t in terms if t[0] in months]
    return {
        "schema_version": 1,
        "kiosk_id": kiosk_id,
        "batch_id": secrets.token_hex(16),
        "k": k,
        "counts": kept,
        "suppressed": [
            {"period": p, "metric": m, "value": v} for (p, m), v in sorted(suppressed.items())
        ],
        "terms": [
            {"month": month, "lang": lang, "term": term, "sessions": n, "zero": zero}
            for month, lang, term, n, zero in sorted(in_months, key=lambda t: -t[3])[:MAX_TERMS]
        ],
        # What to take off the local counters once the hub has it (not sent: see below).
        "_sent": [[p, m, a, b, v] for p, m, a, b, v in rows],
    }


def _keep_pending(
    counters: UsageCounters, batches: list[dict[str, Any]], replacing: str | None
) -> None:
    with counters.engine.execution_options(immediate=True).begin() as conn:
        if replacing is None:
            conn.execute(delete(pending))
        else:
            conn.execute(delete(pending).where(pending.c.batch_id == replacing))
        for batch in batches:
            conn.execute(
                insert(pending).values(batch_id=batch["batch_id"], payload=json.dumps(batch))
            )


def acknowledge(counters: UsageCounters, batch: dict[str, Any]) -> None:
    """The hub has the batch: take its cells off, keep the daily session totals."""
    with counters.engine.execution_options(immediate=True).begin() as conn:
        _take_off(conn, batch)


def set_aside(counters: UsageCounters, batch: dict[str, Any], detail: str) -> int:
    """The hub refuses a batch of one day whatever is done: keep it in usage.db for the
    operator, take its cells off so the days after it go through, and say so in the log.
    Returns the number of cells set aside."""
    cells = len(batch["_sent"])
    days = sorted({row[0][:10] for row in batch["_sent"]})
    with counters.engine.execution_options(immediate=True).begin() as conn:
        conn.execute(
            insert(refused).values(
                batch_id=batch["batch_id"], detail=detail, payload=json.dumps(batch),
                refused_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            )
        )  # fmt: skip
        _take_off(conn, batch)
    log.warning(
        "usage figures of %s refused by the hub (%s): %d cells set aside in usage.db and not "
        "sent again; the following days are sent as usual",
        ", ".join(days), detail, cells,
    )  # fmt: skip
    return cells


def split(counters: UsageCounters, batch: dict[str, Any]) -> bool:
    """Replace a refused pending batch by smaller ones to send again: one per day, or the
    day's cells without its search terms. False if it cannot be made smaller."""
    days = _by_day(batch["_sent"])
    if len(days) > 1:
        parts = [
            _batch_of(batch["k"], batch["kiosk_id"], rows, _terms_of(batch))
            for rows in days.values()
        ]
    elif batch["terms"]:
        parts = [_batch_of(batch["k"], batch["kiosk_id"], batch["_sent"], [])]
    else:
        return False
    _keep_pending(counters, parts, replacing=batch["batch_id"])
    return True


def _terms_of(batch: dict[str, Any]) -> list[tuple[str, str, str, int, int]]:
    return [(t["month"], t["lang"], t["term"], t["sessions"], t["zero"]) for t in batch["terms"]]


def _take_off(conn: Connection, batch: dict[str, Any]) -> None:
    """Remove a batch's cells from the counters, keeping the daily session totals."""
    sent = [
        {"p": period, "m": metric, "a": dim1, "b": dim2, "v": value}
        for period, metric, dim1, dim2, value in batch["_sent"]
    ]
    if sent:  # one statement for all cells: a backlog holds tens of thousands
        conn.execute(
            update(counts)
            .where(
                counts.c.period == bindparam("p"), counts.c.metric == bindparam("m"),
                counts.c.dim1 == bindparam("a"), counts.c.dim2 == bindparam("b"),
            )
            .values(value=counts.c.value - bindparam("v")),
            sent,
        )  # fmt: skip
    sessions: dict[str, int] = {}
    for period, metric, _dim1, _dim2, value in batch["_sent"]:
        if metric == "sessions":
            sessions[period[:10]] = sessions.get(period[:10], 0) + value
    for day, value in sessions.items():
        if not conn.execute(
            update(daily_totals)
            .where(daily_totals.c.day == day)
            .values(sessions=daily_totals.c.sessions + value)
        ).rowcount:
            conn.execute(insert(daily_totals).values(day=day, sessions=value))
    conn.execute(delete(counts).where(counts.c.value <= 0))
    conn.execute(delete(pending).where(pending.c.batch_id == batch["batch_id"]))


def upload(
    counters: UsageCounters,
    hub: str,
    kiosk_id: str,
    token: str,
    *,
    today: dt.date | None = None,
    session: requests.Session | None = None,
    retries: int = RETRIES,
    backoff: float = 2.0,
    ca: str | None = None,
) -> UploadResult:
    """Send every closed period, batch after batch, until none is left or the hub cannot be
    reached or refuses for a reason sending less cannot fix."""
    problem = insecure_hub(hub)
    if problem:
        return UploadResult(UploadOutcome.REFUSED, problem)
    result = UploadResult(UploadOutcome.NOTHING)
    http = session or requests.Session()
    for _attempt in range(MAX_BATCHES):
        batch = build_batch(counters, kiosk_id, today or dt.date.today())
        if batch is None:
            break
        body = {k: v for k, v in batch.items() if not k.startswith("_")}
        # A batch kept by an older version may hold a whole backlog: a hub may cut a body over
        # its limit short, which looks like a network failure, so it is split before sending.
        if len(json.dumps(body, ensure_ascii=False)) > BATCH_BYTES and split(counters, batch):
            continue
        answer = _post(f"{hub.rstrip('/')}/v1/batches", body, token, http, retries, backoff, ca)
        if isinstance(answer, str):
            return UploadResult(UploadOutcome.OFFLINE, answer, result.cells, result.set_aside)
        if answer.status_code == 200:
            acknowledge(counters, batch)
            result.outcome, result.detail = UploadOutcome.SENT, answer.json().get("status", "")
            result.cells += len(body["counts"])
            if answer.json().get("dropped"):
                log.warning(
                    "the hub dropped %d cells or search terms of batch %s that looked like "
                    "passport, phone or e-mail identifiers; report this kiosk's version",
                    answer.json()["dropped"], batch["batch_id"],
                )  # fmt: skip
        elif answer.status_code in CONTENT_REFUSED:
            if not split(counters, batch):
                result.set_aside += set_aside(counters, batch, _detail(answer))
        else:
            return UploadResult(
                UploadOutcome.REFUSED, _detail(answer), result.cells, result.set_aside
            )
    if result.set_aside and not result.cells:
        result.outcome = UploadOutcome.REFUSED
    if result.set_aside:
        result.detail = f"{result.detail} ({result.set_aside} cells refused by the hub, set aside)"
    return result


def send_heartbeat(
    hub: str,
    token: str,
    beat: dict[str, Any],
    *,
    session: requests.Session | None = None,
    ca: str | None = None,
) -> UploadResult:
    problem = insecure_hub(hub)
    if problem:
        return UploadResult(UploadOutcome.REFUSED, problem)
    answer = _post(f"{hub.rstrip('/')}/v1/heartbeat", beat, token, session, 2, 1.0, ca)
    if isinstance(answer, str):
        return UploadResult(UploadOutcome.OFFLINE, answer)
    if answer.status_code == 200:
        return UploadResult(UploadOutcome.SENT)
    return UploadResult(UploadOutcome.REFUSED, _detail(answer))


def hub_audit_count(
    hub: str, token: str, *, session: requests.Session | None = None, ca: str | None = None
) -> tuple[bool, int | None]:
    """(answered, the audit entry count the hub knows for this kiosk, None if none yet). The
    heartbeat then sends the chain's hash at that count, showing it extends what the hub saw."""
    if insecure_hub(hub):
        return False, None
    http = session or requests.Session()
    try:
        answer = http.get(
            f"{hub.rstrip('/')}/v1/audit", headers={"Authorization": f"Bearer {token}"},
            timeout=(10, 60), verify=ca or True,
        )  # fmt: skip
        count = answer.json().get("count") if answer.status_code == 200 else False
    except (requests.RequestException, ValueError, AttributeError):
        return False, None
    if count is None or (isinstance(count, int) and not isinstance(count, bool) and count >= 0):
        return True, count
    return False, None


def _post(
    url: str,
    body: dict[str, Any],
    token: str,
    session: requests.Session | None,
    retries: int,
    backoff: float,
    ca: str | None = None,
) -> requests.Response | str:
    http = session or requests.Session()
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    problem = ""
    for attempt in range(retries):
        try:
            answer = http.post(url, data=data, headers=headers, timeout=(10, 60), verify=ca or True)
        except requests.exceptions.SSLError as exc:
            problem = _untrusted(url, exc)
        except requests.RequestException as exc:
            problem = f"{url}: {str(exc).splitlines()[0][:160]}"
        else:
            if answer.status_code < 500:
                return answer
            problem = f"{url} answered HTTP {answer.status_code}"
        time.sleep(min(backoff * 2**attempt, 60.0))
    return problem


def _untrusted(url: str, exc: Exception) -> str:
    found = re.search(r"certificate verify failed: ([^()'\"]+)", str(exc))
    reason = found.group(1).strip() if found else str(exc).splitlines()[0][-120:]
    return (
        f"{url}: the hub's TLS certificate is not trusted ({reason}); give the certificate of "
        "its authority with --hub-ca or KIOSK_HUB_CA"
    )


def _detail(answer: requests.Response) -> str:
    try:
        return f"HTTP {answer.status_code}: {answer.json().get('detail', '')}"
    except ValueError:
        return f"HTTP {answer.status_code}"
