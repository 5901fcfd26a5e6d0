"""The hub's web service (FastAPI): batches and heartbeats in, fleet status out.

Every request is authenticated with the kiosk's own token (only its SHA-256 is stored). A batch
is stored in one transaction together with its id, so a batch sent twice (a retry after a lost
answer) is counted once; the same id with other content is refused.

The token is checked before the body is read (no body parameter: FastAPI would parse it before
the dependencies), the body is read within the limits of ``kiosk.hub.transport``, and parsing,
validation and storing run in a worker thread, so a large batch never holds up other requests.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import secrets
from typing import Annotated, Any, TypeVar

import anyio
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from kiosk.hub.audit_watch import alarm_of, check_chain, known_count
from kiosk.hub.checks import implausible, without_identifiers
from kiosk.hub.db import batches, counts, heartbeats, kiosks, terms
from kiosk.hub.fleet import warnings_of
from kiosk.hub.operators import OperatorOf
from kiosk.hub.schema import Batch, Heartbeat, TermRow
from kiosk.hub.transport import BodyLimits, Limits
from kiosk.sync.status import GOOD

STALE_AFTER = dt.timedelta(days=2)


def now_text() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def add_kiosk(engine: Engine, kiosk_id: str, gate: str | None = None) -> str:
    """Register a kiosk at its gate; returns its token (shown once, stored only as a hash).
    Without a gate, the kiosk's first heartbeat naming one fixes it."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(
            insert(kiosks).values(
                id=kiosk_id, token_sha256=_sha(token.encode()), created_at=now_text(), gate=gate
            )
        )
    return token


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kiosk_of(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """The kiosk whose token the request carries (401 without a known token)."""
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, "missing token: send 'Authorization: Bearer <kiosk token>'")
    digest = _sha(authorization.removeprefix("Bearer ").encode())
    engine: Engine = request.app.state.engine
    with engine.connect() as conn:
        kiosk_id = conn.execute(select(kiosks.c.id).where(kiosks.c.token_sha256 == digest)).scalar()
    if kiosk_id is None:
        raise HTTPException(401, "unknown token: register the kiosk with 'kiosk hub add-kiosk'")
    return str(kiosk_id)


KioskOf = Annotated[str, Depends(kiosk_of)]
Model = TypeVar("Model", bound=BaseModel)


def parse(model: type[Model], raw: bytes) -> Model:
    """The body as ``model``, or the 422 FastAPI would give for a body parameter."""
    try:
        return model.model_validate(json.loads(raw))
    except ValueError as exc:
        if isinstance(exc, ValidationError):
            raise RequestValidationError(exc.errors()) from None
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "JSON decode error", "type": "json_invalid"}]
        ) from None


def create_app(engine: Engine, limits: Limits | None = None) -> FastAPI:
    app = FastAPI(title="Border kiosk hub", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.engine = engine
    app.add_middleware(BodyLimits, limits=limits or Limits())
    # One batch at a time: a validation holds the GIL and an SQLite write holds the database,
    # so batches side by side would stretch each other's write transactions.
    batch_lane = anyio.CapacityLimiter(1)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return _error(422, f"invalid field '{where}': {first.get('msg', 'not valid')}")

    @app.post("/v1/batches")
    async def receive_batch(request: Request, kiosk_id: KioskOf) -> dict[str, Any]:
        raw = await request.body()  # after the token was checked
        return await anyio.to_thread.run_sync(store_batch, raw, kiosk_id, limiter=batch_lane)

    def store_batch(raw: bytes, kiosk_id: str) -> dict[str, Any]:
        batch = parse(Batch, raw)
        if batch.kiosk_id != kiosk_id:
            raise HTTPException(403, "the batch names another kiosk than its token")
        small = [r for r in batch.counts if r.value < batch.k]
        if small:
            raise HTTPException(422, f"cell {small[0].metric}/{small[0].period} is below k")
        digest = _sha(raw)
        with engine.begin() as conn:
            seen = conn.execute(
                select(batches.c.digest).where(batches.c.batch_id == batch.batch_id)
            ).scalar()
            if seen is not None:
                if seen != digest:
                    raise HTTPException(409, "this batch id was received with other content")
                return {"status": "duplicate", "batch_id": batch.batch_id}
            try:
                conn.execute(
                    insert(batches).values(
                        batch_id=batch.batch_id, kiosk_id=kiosk_id, digest=digest,
                        received_at=now_text(),
                    )
                )  # fmt: skip
            except IntegrityError:  # the same batch on two connections at once
                return {"status": "duplicate", "batch_id": batch.batch_id}
            rows, kept_terms, dropped = without_identifiers(batch)
            problem = implausible(conn, kiosk_id, rows, kept_terms)
            if problem:
                raise HTTPException(422, problem)  # the transaction, batch id included, undone
            _add_counts(conn, kiosk_id, rows)
            _add_terms(conn, kiosk_id, kept_terms)
        # Identifier-shaped cells and terms: not stored, counted here for the kiosk's log.
        return {"status": "stored", "batch_id": batch.batch_id, "dropped": dropped}

    @app.post("/v1/heartbeat")
    async def receive_heartbeat(request: Request, kiosk_id: KioskOf) -> dict[str, str]:
        raw = await request.body()  # after the token was checked
        return await run_in_threadpool(store_heartbeat, raw, kiosk_id)

    def store_heartbeat(raw: bytes, kiosk_id: str) -> dict[str, str]:
        beat = parse(Heartbeat, raw)
        if beat.kiosk_id != kiosk_id:
            raise HTTPException(403, "the heartbeat names another kiosk than its token")
        now = now_text()
        values = {
            "received_at": now,
            "version": beat.version,
            "gate": beat.gate,
            "content_revision": beat.content_revision,
            "revisions": json.dumps(beat.revisions, sort_keys=True),
            "last_sync": beat.last_sync,
            "last_outcome": beat.last_outcome,
            "disk_free": beat.disk_free,
            "audit_head": beat.audit_head,
            "trust": beat.trust,
            "audit_count": beat.audit_count,
        }
        with engine.begin() as conn:
            registered = conn.execute(select(kiosks.c.gate).where(kiosks.c.id == kiosk_id)).scalar()
            if registered and beat.gate and beat.gate != registered:
                raise HTTPException(
                    403, f"this kiosk is registered at gate {registered}, not {beat.gate}: choose "
                    f"{registered} in its maintenance panel, or register it again with that gate",
                )  # fmt: skip
            if not registered and beat.gate:  # registered before gates were fixed: first wins
                conn.execute(update(kiosks).where(kiosks.c.id == kiosk_id).values(gate=beat.gate))
            alarm = check_chain(conn, kiosk_id, beat, now)
            if alarm and not alarm_of(conn, kiosk_id):  # the first stays until registered again
                values["audit_alarm"] = alarm
            changed = conn.execute(
                update(heartbeats).where(heartbeats.c.kiosk_id == kiosk_id).values(**values)
            ).rowcount
            if not changed:
                conn.execute(insert(heartbeats).values(kiosk_id=kiosk_id, **values))
        return {"status": "ok"}

    @app.get("/v1/audit")
    def audit_known(kiosk_id: KioskOf) -> dict[str, int | None]:
        """The audit entry count the hub knows for this kiosk: its next heartbeat sends the
        hash its chain has there, to show the chain was extended, not rewritten."""
        with engine.connect() as conn:
            return {"count": known_count(conn, kiosk_id)}

    @app.get("/", response_class=HTMLResponse)
    def fleet(_operator: OperatorOf) -> str:
        return fleet_page(engine)

    return app


def _upsert(conn: Any, table: Any, keys: list[str]) -> Any:
    """The dialect's INSERT … ON CONFLICT, for one statement with many rows."""
    module = postgresql if conn.dialect.name == "postgresql" else sqlite
    return module.insert(table), keys


def _add_counts(conn: Any, kiosk_id: str, rows: list[tuple[str, str, str, str, int]]) -> None:
    merged: dict[tuple[str, str, str, str], int] = {}
    for period, metric, dim1, dim2, value in rows:
        key = (period, metric, dim1, dim2)
        merged[key] = merged.get(key, 0) + value
    if not merged:
        return
    statement, keys = _upsert(conn, counts, ["kiosk_id", "period", "metric", "dim1", "dim2"])
    values = [
        {"kiosk_id": kiosk_id, "period": p, "metric": m, "dim1": a, "dim2": b, "value": v}
        for (p, m, a, b), v in merged.items()
    ]
    conn.execute(  # rows as parameters (executemany): one statement with 50,000 rows took
        statement.on_conflict_do_update(  # seconds to compile, holding the write lock
            index_elements=keys, set_={"value": counts.c.value + statement.excluded.value}
        ),
        values,
    )


def _add_terms(conn: Any, kiosk_id: str, rows: list[TermRow]) -> None:
    """A kiosk sends a term's running monthly total: the newest replaces the older."""
    latest = {(r.month, r.lang, r.term): r for r in rows}
    if not latest:
        return
    statement, keys = _upsert(conn, terms, ["kiosk_id", "month", "lang", "term"])
    values = [
        {
            "kiosk_id": kiosk_id,
            "month": r.month,
            "lang": r.lang,
            "term": r.term,
            "sessions": r.sessions,
            "zero": r.zero,
        }
        for r in latest.values()
    ]
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=keys,
            set_={"sessions": statement.excluded.sessions, "zero": statement.excluded.zero},
        ),
        values,
    )


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


def fleet_page(engine: Engine) -> str:
    """Which kiosks are current, stale (no heartbeat for two days) or failing to sync."""
    with engine.connect() as conn:
        known = [r[0] for r in conn.execute(select(kiosks.c.id).order_by(kiosks.c.id))]
        beats = {r.kiosk_id: r for r in conn.execute(select(heartbeats))}
    now = dt.datetime.now(dt.UTC)
    rows = []
    for kiosk_id in known:
        beat = beats.get(kiosk_id)
        if beat is None:
            state, detail = "silent", "no heartbeat yet"
        else:
            age = now - dt.datetime.fromisoformat(beat.received_at)
            failing = beat.last_outcome not in (None, *GOOD)  # the kiosk's SyncOutcome values
            state = "stale" if age > STALE_AFTER else "failing" if failing else "ok"
            detail = (
                f"gate {beat.gate}, version {beat.version}, revision {beat.content_revision}, "
                f"last sync {beat.last_sync or 'never'} ({beat.last_outcome or '-'}), "
                f"heartbeat {beat.received_at}"
            )
        warnings = "".join(f"<p>{html.escape(w)}</p>" for w in warnings_of(beat))
        rows.append(
            f'<tr class="{state}"><td>{html.escape(kiosk_id)}</td><td>{state}</td>'
            f'<td>{html.escape(detail)}</td><td class="warn">{warnings}</td></tr>'
        )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Kiosk fleet</title><style>"
        "body{font-family:sans-serif} td{padding:.3rem .8rem} tr.ok td:nth-child(2){color:green}"
        " tr.stale td:nth-child(2),tr.failing td:nth-child(2),tr.silent td:nth-child(2)"
        "{color:#b3261e;font-weight:bold} td.warn{color:#b3261e;font-weight:bold}"
        "</style></head><body><h1>Kiosk fleet</h1><table><tr><th>kiosk</th><th>state</th>"
        f"<th>details</th><th>warnings</th></tr>{''.join(rows)}</table>"
        "</body></html>"
    )
