"""``kiosk admin status``: the maintenance panel's facts on the command line.

The same snapshot as the panel (:func:`kiosk.app.status.collect_status`), as lines for an
operator or as one JSON object for monitoring. The exit status is 1 when something needs an
operator (the disk refuses writes, the audit chain is altered or unreadable, the clock is
wrong), so a script can act on it without reading the text.
"""

from __future__ import annotations

import json
from pathlib import Path

from kiosk.admin.audit import AuditLog
from kiosk.admin.db import DB_NAME as ADMIN_DB
from kiosk.admin.db import open_admin
from kiosk.app.status import AuditState, ClockState, StatusSnapshot, as_json, collect_status
from kiosk.content.store import DB_NAME as CONTENT_DB
from kiosk.content.store import ContentStore
from kiosk.errors import ExitCode
from kiosk.storage import FULL
from kiosk.textsafe import MESSAGE_LIMIT, shown


def print_status(folder: Path, *, as_object: bool, events: int) -> int:
    """Print the status of the kiosk keeping ``folder``; 1 if it needs an operator."""
    snapshot = take_snapshot(folder, events)
    if as_object:
        print(json.dumps(as_json(snapshot), ensure_ascii=False, indent=1))
    else:
        print("\n".join(status_lines(snapshot)))
    return ExitCode.FAILURE if snapshot.problems() else ExitCode.OK


def take_snapshot(folder: Path, events: int) -> StatusSnapshot:
    """Reads only the databases that exist: asking about a folder creates none."""
    store = ContentStore(folder) if (folder / CONTENT_DB).is_file() else None
    engine = open_admin(folder) if (folder / "admin" / ADMIN_DB).is_file() else None
    try:
        audit = AuditLog(engine) if engine is not None else None
        return collect_status(folder, store=store, audit=audit, events=events)
    finally:
        if store is not None:
            store.close()
        if engine is not None:
            engine.dispose()


def status_lines(snapshot: StatusSnapshot) -> list[str]:
    sync = snapshot.sync
    lines = [
        f"data folder: {snapshot.data_dir}",
        f"content revision: {_revision(snapshot)}",
        f"last sync: {_last_sync(snapshot)}",
        "last success: {time}".format(time=sync.last_success or "never"),
        "next sync: {time}".format(time=sync.next_attempt or "not planned"),
        "network: {state}".format(state="connected" if snapshot.network else "none"),
        f"disk: {_disk(snapshot)}",
        f"audit log: {_audit(snapshot)}",
        f"clock: {_clock(snapshot)}",
    ]
    if snapshot.trust is not None:
        lines.append(f"trust: {snapshot.trust}")
    if not snapshot.events:
        lines.append("recent events: none")
        return lines
    lines.append("recent events:")
    lines += [f"  {e.at[:16].replace('T', ' ')}  {e.level:<8} {e.message}" for e in snapshot.events]
    return lines


def _revision(snapshot: StatusSnapshot) -> str:
    content = snapshot.content
    if content.error is not None:
        return f"the content database could not be read ({content.error})"
    if content.revision is None:
        return "no content in this data folder yet"
    if content.age is None:
        return str(content.revision)
    return f"{content.revision}, {content.age.days} days old"


def _last_sync(snapshot: StatusSnapshot) -> str:
    sync = snapshot.sync
    if not sync.last_attempt:
        return "never"
    text = f"{sync.last_attempt} — {sync.last_outcome or '-'}"
    return text + (f": {shown(sync.last_error, MESSAGE_LIMIT)}" if sync.last_error else "")


def _disk(snapshot: StatusSnapshot) -> str:
    problem = snapshot.disk.problem
    if problem is not None and problem.kind == FULL:
        return (
            f"full ({problem.path}): usage figures, settings and content updates are not being "
            "saved; free some space or have the disk enlarged"
        )
    if problem is not None:
        return (
            f"{problem.path} is read-only: usage figures, settings and content updates are not "
            "being saved; check the disk for errors and restart the kiosk"
        )
    return "{free} GB free of {total} GB".format(
        free=f"{snapshot.disk.free_bytes / 1e9:.1f}",
        total=f"{snapshot.disk.total_bytes / 1e9:.1f}",
    )


def _audit(snapshot: StatusSnapshot) -> str:
    audit = snapshot.audit
    if audit.state is AuditState.ABSENT:
        return "none yet (no staff action recorded in this data folder)"
    if audit.state is AuditState.UNREADABLE:
        return f"could not be read ({audit.error})"
    if audit.state is AuditState.ALTERED:
        return f"altered at entry {audit.broken_at}; keep a copy of the data folder and report it"
    return f"intact, entries in the chain: {audit.entries}"


def _clock(snapshot: StatusSnapshot) -> str:
    now = snapshot.clock.now.strftime("%Y-%m-%d %H:%M UTC")
    if snapshot.clock.state is ClockState.BEHIND:
        return f"{now}: behind the verified content, set the clock"
    if snapshot.clock.state is ClockState.AHEAD:
        return f"{now}: far ahead of the verified content, check the clock"
    return now
