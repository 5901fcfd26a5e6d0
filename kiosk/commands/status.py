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
from kiosk.app.storage import FULL
from kiosk.content.store import DB_NAME as CONTENT_DB
from kiosk.content.store import ContentStore
from kiosk.errors import ExitCode
from kiosk.i18n import _
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
        _("data folder: {path}").format(path=snapshot.data_dir),
        _("content revision: {revision}").format(revision=_revision(snapshot)),
        _("last sync: {sync}").format(sync=_last_sync(snapshot)),
        _("last success: {time}").format(time=sync.last_success or _("never")),
        _("next sync: {time}").format(time=sync.next_attempt or _("not planned")),
        _("network: {state}").format(state=_("connected") if snapshot.network else _("none")),
        _("disk: {state}").format(state=_disk(snapshot)),
        _("audit log: {state}").format(state=_audit(snapshot)),
        _("clock: {state}").format(state=_clock(snapshot)),
    ]
    if snapshot.trust is not None:
        lines.append(_("trust: {state}").format(state=snapshot.trust))
    if not snapshot.events:
        lines.append(_("recent events: none"))
        return lines
    lines.append(_("recent events:"))
    lines += [f"  {e.at[:16].replace('T', ' ')}  {e.level:<8} {e.message}" for e in snapshot.events]
    return lines


def _revision(snapshot: StatusSnapshot) -> str:
    content = snapshot.content
    if content.error is not None:
        return _("the content database could not be read ({error})").format(error=content.error)
    if content.revision is None:
        return _("no content in this data folder yet")
    if content.age is None:
        return str(content.revision)
    return _("{revision}, {days} days old").format(revision=content.revision, days=content.age.days)


def _last_sync(snapshot: StatusSnapshot) -> str:
    sync = snapshot.sync
    if not sync.last_attempt:
        return _("never")
    text = f"{sync.last_attempt} — {sync.last_outcome or '-'}"
    return text + (f": {shown(sync.last_error, MESSAGE_LIMIT)}" if sync.last_error else "")


def _disk(snapshot: StatusSnapshot) -> str:
    problem = snapshot.disk.problem
    if problem is not None and problem.kind == FULL:
        return _(
            "full ({path}): usage figures, settings and content updates are not being saved; "
            "free some space or have the disk enlarged"
        ).format(path=problem.path)
    if problem is not None:
        return _(
            "{path} is read-only: usage figures, settings and content updates are not being "
            "saved; check the disk for errors and restart the kiosk"
        ).format(path=problem.path)
    return _("{free} GB free of {total} GB").format(
        free=f"{snapshot.disk.free_bytes / 1e9:.1f}",
        total=f"{snapshot.disk.total_bytes / 1e9:.1f}",
    )


def _audit(snapshot: StatusSnapshot) -> str:
    audit = snapshot.audit
    if audit.state is AuditState.ABSENT:
        return _("none yet (no staff action recorded in this data folder)")
    if audit.state is AuditState.UNREADABLE:
        return _("could not be read ({error})").format(error=audit.error)
    if audit.state is AuditState.ALTERED:
        return _("altered at entry {id}; keep a copy of the data folder and report it").format(
            id=audit.broken_at
        )
    return _("intact, entries in the chain: {count}").format(count=audit.entries)


def _clock(snapshot: StatusSnapshot) -> str:
    now = snapshot.clock.now.strftime("%Y-%m-%d %H:%M UTC")
    if snapshot.clock.state is ClockState.BEHIND:
        return _("{now}: behind the verified content, set the clock").format(now=now)
    if snapshot.clock.state is ClockState.AHEAD:
        return _("{now}: far ahead of the verified content, check the clock").format(now=now)
    return now
