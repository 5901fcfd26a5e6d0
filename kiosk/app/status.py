"""Everything an operator asks "is this kiosk well?" about, gathered at one moment.

Some of these facts are slow: the disk is probed with a write and an fsync (a failing disk can
take seconds to answer) and the audit chain is walked entry by entry. :func:`collect_status`
gathers them all into one frozen :class:`StatusSnapshot`, so a caller runs it where waiting is
harmless (a worker thread of the maintenance panel, the command line) and the screen only
renders the result. The snapshot holds facts, not sentences: each surface words them itself.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from kiosk import logs, storage
from kiosk.admin.audit import AuditLog, Entry
from kiosk.app import machine
from kiosk.app.clock import clock_problem, time_floor
from kiosk.content.store import ContentStore
from kiosk.storage import StorageProblem, first_line
from kiosk.sync import status as sync_status
from kiosk.sync.trust import TrustState, trust_state

EVENTS = 40  # log lines and audit entries kept: what the panel has room to show


class ClockState(enum.StrEnum):
    OK = "ok"
    BEHIND = "behind"  # earlier than the publisher's verified issue time: certainly wrong
    AHEAD = "ahead"  # far after it: a wrong clock or a very long time offline


class AuditState(enum.StrEnum):
    INTACT = "intact"
    ALTERED = "altered"  # an entry changed, removed or inserted afterwards
    UNREADABLE = "unreadable"  # the database could not be read
    ABSENT = "absent"  # no audit log in this data folder yet


@dataclass(frozen=True)
class ContentFacts:
    revision: int | None  # None: no content database (or it could not be read)
    imported_at: dt.datetime | None
    age: dt.timedelta | None
    error: str | None = None


@dataclass(frozen=True)
class SyncFacts:
    # Times and outcomes as the syncing process wrote them (ISO text, sync.status outcomes).
    state: str
    feed: str
    last_attempt: str | None
    last_outcome: str | None
    last_success: str | None
    last_error: str | None
    next_attempt: str | None
    failures: int
    last_error_code: str | None = None  # kiosk.sync.failures.FailureCode, for interfaces
    last_error_params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class DiskFacts:
    free_bytes: int
    total_bytes: int
    problem: StorageProblem | None  # what stops the kiosk from writing its data folder


@dataclass(frozen=True)
class AuditFacts:
    state: AuditState
    entries: int
    broken_at: int | None  # id of the first entry that does not fit the chain
    unwritten: str | None  # why this process's latest entry could not be written
    error: str | None = None


@dataclass(frozen=True)
class ClockFacts:
    now: dt.datetime
    state: ClockState
    floor: dt.datetime | None  # the publisher's signed issue time the kiosk has verified


@dataclass(frozen=True)
class LogLine:
    at: str
    level: str
    message: str


@dataclass(frozen=True)
class StatusSnapshot:
    data_dir: Path
    taken_at: dt.datetime
    content: ContentFacts
    sync: SyncFacts
    network: bool  # a default route exists
    disk: DiskFacts
    audit: AuditFacts
    clock: ClockFacts
    # The root of trust feeds are verified against: "installed", "demo" or "none".
    trust: TrustState
    actions: tuple[Entry, ...] = field(default=())  # the audit log's latest entries, oldest first
    events: tuple[LogLine, ...] = field(default=())  # the kiosk log's latest lines, oldest first

    def problems(self) -> list[str]:
        """What needs an operator, as short codes ("disk-full", "audit-altered" …)."""
        found = []
        if self.disk.problem is not None:
            found.append(f"disk-{self.disk.problem.kind}")
        if self.audit.state in (AuditState.ALTERED, AuditState.UNREADABLE):
            found.append(f"audit-{self.audit.state}")
        if self.clock.state is not ClockState.OK:
            found.append(f"clock-{self.clock.state}")
        if self.content.error is not None:
            found.append("content-unreadable")
        return found


def collect_status(
    data_dir: Path,
    *,
    store: ContentStore | None = None,
    audit: AuditLog | None = None,
    now: dt.datetime | None = None,
    events: int = EVENTS,
) -> StatusSnapshot:
    """The state of the kiosk keeping ``data_dir``. Slow (an fsync, an audit-chain walk): never
    call it on the UI thread. ``store`` and ``audit`` are the open ones; without them the
    content and audit facts say there is none. A database that cannot be read is reported in
    its fact, not raised, so the rest of the status still reaches the operator."""
    now = now or dt.datetime.now(dt.UTC)
    problem = storage.storage_problem(data_dir)
    free, total = machine.disk_free(data_dir)
    return StatusSnapshot(
        data_dir=data_dir,
        taken_at=now,
        content=_content(store, now),
        sync=_sync(data_dir),
        network=machine.has_network(),
        disk=DiskFacts(free, total, problem),
        audit=_audit(audit),
        clock=_clock(store, now),
        trust=_trust(data_dir),
        actions=_actions(audit, events),
        events=tuple(
            LogLine(str(e.get("at", "")), str(e.get("level", "")), str(e.get("message", "")))
            for e in logs.recent(data_dir, events)
        ),
    )


def _content(store: ContentStore | None, now: dt.datetime) -> ContentFacts:
    if store is None:
        return ContentFacts(None, None, None)
    try:
        meta = store.meta()
    except SQLAlchemyError as exc:
        return ContentFacts(None, None, None, first_line(exc))
    try:
        revision = int(meta.get("revision", "0"))
    except ValueError:
        revision = 0
    imported = _parse_time(meta.get("imported_at"))
    return ContentFacts(revision, imported, now - imported if imported else None)


def _sync(data_dir: Path) -> SyncFacts:
    kept = sync_status.load_status(data_dir)
    return SyncFacts(
        state=kept.state,
        feed=kept.feed,
        last_attempt=kept.last_attempt,
        last_outcome=kept.last_outcome,
        last_success=kept.last_success,
        last_error=kept.last_error,
        next_attempt=kept.next_attempt,
        failures=kept.failures,
        last_error_code=kept.last_error_code,
        last_error_params=dict(kept.last_error_params),
    )


def _audit(audit: AuditLog | None) -> AuditFacts:
    if audit is None:
        return AuditFacts(AuditState.ABSENT, 0, None, None)
    try:
        broken = audit.verify()
        count = audit.count()
    except SQLAlchemyError as exc:
        return AuditFacts(AuditState.UNREADABLE, 0, None, audit.last_failure, first_line(exc))
    state = AuditState.INTACT if broken is None else AuditState.ALTERED
    return AuditFacts(state, count, broken, audit.last_failure)


def _actions(audit: AuditLog | None, limit: int) -> tuple[Entry, ...]:
    if audit is None:
        return ()
    try:
        return tuple(audit.entries(limit))
    except SQLAlchemyError:
        return ()  # the audit fact already says the log cannot be read


def _clock(store: ContentStore | None, now: dt.datetime) -> ClockFacts:
    if store is None:
        return ClockFacts(now, ClockState.OK, None)
    try:
        problem = clock_problem(store, now)
        floor = time_floor(store)
    except SQLAlchemyError:
        return ClockFacts(now, ClockState.OK, None)  # nothing verified to compare with
    return ClockFacts(now, ClockState(problem) if problem else ClockState.OK, floor)


def _trust(data_dir: Path) -> TrustState:
    return trust_state(data_dir)


def _parse_time(value: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def as_json(snapshot: StatusSnapshot) -> dict[str, Any]:
    """The snapshot as plain JSON values (times ISO 8601, durations in seconds), with its
    ``problems`` codes."""
    plain = _plain(snapshot)
    plain["problems"] = snapshot.problems()
    return dict(plain)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds())
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
