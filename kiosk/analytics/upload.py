"""Sending the usage figures to the hub: one batch of every closed period, kept (with its id)
until the hub acknowledges it, so a retry after a lost answer is counted once; heartbeats.

A batch holds cells of past hours and days only. Cells below k travel only as a "suppressed"
total per day and metric, so volumes stay right and no small cell leaves the kiosk. Search
terms travel as their monthly totals once k sessions typed them. After the hub's answer the
sent cells are removed (their daily session totals stay for the panel's chart).

The kiosk's token goes only to an https:// hub (or a hub on this machine): over plain HTTP
anyone on the path could read it and send figures in the kiosk's name.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy import delete, insert, select, update

from kiosk.analytics.counters import UsageCounters, counts, daily_totals, pending
from kiosk.i18n import _

RETRIES = 5


@dataclass
class UploadResult:
    outcome: str  # sent | nothing | offline | refused
    detail: str = ""
    cells: int = 0


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
    return _(
        "the hub address {url} is not https://, so the kiosk will not send its token there: "
        "set the hub's https:// address (plain http:// only for a hub on this machine)"
    ).format(url=url)


def build_batch(counters: UsageCounters, kiosk_id: str, today: dt.date) -> dict[str, Any] | None:
    """The batch to send now: the pending one if there is one, else a new one (or None)."""
    with counters.engine.connect() as conn:
        saved = conn.execute(select(pending.c.payload)).scalar()
    if saved is not None:
        return dict(json.loads(saved))
    cutoff = today.isoformat()
    with counters.engine.connect() as conn:
        rows = conn.execute(select(counts).where(counts.c.period < cutoff)).all()
    if not rows:
        return None
    kept: list[dict[str, Any]] = []
    suppressed: dict[tuple[str, str], int] = {}
    for period, metric, dim1, dim2, value in rows:
        if value >= counters.k:
            kept.append(
                {"period": period, "metric": metric, "dim1": dim1, "dim2": dim2, "value": value}
            )
        else:
            key = (period[:10], metric)
            suppressed[key] = suppressed.get(key, 0) + value
    batch = {
        "schema_version": 1,
        "kiosk_id": kiosk_id,
        "batch_id": secrets.token_hex(16),
        "k": counters.k,
        "counts": kept,
        "suppressed": [
            {"period": p, "metric": m, "value": v} for (p, m), v in sorted(suppressed.items())
        ],
        "terms": [
            {"month": month, "lang": lang, "term": term, "sessions": n, "zero": zero}
            for month, lang, term, n, zero in counters.readable_terms()
        ],
        # What to take off the local counters once the hub has it (not sent: see below).
        "_sent": [[p, m, a, b, v] for p, m, a, b, v in rows],
    }
    with counters.engine.execution_options(immediate=True).begin() as conn:
        conn.execute(delete(pending))
        conn.execute(insert(pending).values(batch_id=batch["batch_id"], payload=json.dumps(batch)))
    return batch


def acknowledge(counters: UsageCounters, batch: dict[str, Any]) -> None:
    """The hub has the batch: take its cells off, keep the daily session totals."""
    with counters.engine.execution_options(immediate=True).begin() as conn:
        for period, metric, dim1, dim2, value in batch["_sent"]:
            where = (
                (counts.c.period == period) & (counts.c.metric == metric)
                & (counts.c.dim1 == dim1) & (counts.c.dim2 == dim2)
            )  # fmt: skip
            conn.execute(update(counts).where(where).values(value=counts.c.value - value))
            if metric == "sessions":
                day = period[:10]
                if not conn.execute(
                    update(daily_totals)
                    .where(daily_totals.c.day == day)
                    .values(sessions=daily_totals.c.sessions + value)
                ).rowcount:
                    conn.execute(insert(daily_totals).values(day=day, sessions=value))
        conn.execute(delete(counts).where(counts.c.value <= 0))
        conn.execute(delete(pending))


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
    problem = insecure_hub(hub)
    if problem:
        return UploadResult("refused", problem)
    batch = build_batch(counters, kiosk_id, today or dt.date.today())
    if batch is None:
        return UploadResult("nothing")
    body = {k: v for k, v in batch.items() if not k.startswith("_")}
    answer = _post(f"{hub.rstrip('/')}/v1/batches", body, token, session, retries, backoff, ca)
    if isinstance(answer, str):
        return UploadResult("offline", answer)
    if answer.status_code == 200:
        acknowledge(counters, batch)
        return UploadResult("sent", answer.json().get("status", ""), len(body["counts"]))
    return UploadResult("refused", _detail(answer))


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
        return UploadResult("refused", problem)
    answer = _post(f"{hub.rstrip('/')}/v1/heartbeat", beat, token, session, 2, 1.0, ca)
    if isinstance(answer, str):
        return UploadResult("offline", answer)
    if answer.status_code == 200:
        return UploadResult("sent")
    return UploadResult("refused", _detail(answer))


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
    return _(
        "{url}: the hub's TLS certificate is not trusted ({reason}); give the certificate of "
        "its authority with --hub-ca or KIOSK_HUB_CA"
    ).format(url=url, reason=reason)


def _detail(answer: requests.Response) -> str:
    try:
        return f"HTTP {answer.status_code}: {answer.json().get('detail', '')}"
    except ValueError:
        return f"HTTP {answer.status_code}"
