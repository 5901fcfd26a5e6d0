"""The maintenance panel's words for the status snapshot: one sentence per fact, translated."""

from __future__ import annotations

from kiosk.app.status import AuditState, ClockState, StatusSnapshot
from kiosk.app.storage import FULL, StorageProblem
from kiosk.i18n import _
from kiosk.sync.trust import trust_text
from kiosk.textsafe import MESSAGE_LIMIT, shown


def storage_text(problem: StorageProblem) -> str:
    """What the operator reads about a disk the kiosk cannot write: what, where, what to do."""
    if problem.kind == FULL:
        return _(
            "The data disk is full ({path}): usage figures, settings and content updates are "
            "not being saved. Free some space or ask a technician to enlarge the disk."
        ).format(path=problem.path)
    return _(
        "The data folder {path} is read-only: usage figures, settings and content updates are "
        "not being saved. Check the disk for errors (it may have been remounted read-only) and "
        "restart the kiosk."
    ).format(path=problem.path)


def slow_facts(snapshot: StatusSnapshot) -> dict[str, str]:
    """The facts the panel gathers off the UI thread, by the key of their row."""
    return {
        "revision": revision_text(snapshot),
        "last-sync": sync_text(snapshot),
        "next-sync": snapshot.sync.next_attempt or _("not planned"),
        "trust": trust_text(snapshot.trust),
        "network": _("connected") if snapshot.network else _("none"),
        "disk": disk_text(snapshot),
        "audit": audit_text(snapshot),
        "clock": clock_text(snapshot),
    }


def revision_text(snapshot: StatusSnapshot) -> str:
    content = snapshot.content
    revision = str(content.revision or 0)
    if content.age is None:
        return revision
    return _("{revision}, {days} days old").format(revision=revision, days=content.age.days)


def sync_text(snapshot: StatusSnapshot) -> str:
    sync = snapshot.sync
    if not sync.last_attempt:
        return _("never")
    text = f"{sync.last_attempt} — {sync.last_outcome or '-'}"
    # Also bounded here: a status written before names were bounded is shown again.
    error = shown(sync.last_error, MESSAGE_LIMIT) if sync.last_error else ""
    return text + (f": {error}" if error else "")


def disk_text(snapshot: StatusSnapshot) -> str:
    if snapshot.disk.problem is not None:
        return storage_text(snapshot.disk.problem)
    return _("{free} GB free of {total} GB").format(
        free=f"{snapshot.disk.free_bytes / 1e9:.1f}",
        total=f"{snapshot.disk.total_bytes / 1e9:.1f}",
    )


def audit_text(snapshot: StatusSnapshot) -> str:
    if snapshot.audit.state is AuditState.ALTERED:
        return _("altered: report it")
    if snapshot.audit.state is AuditState.UNREADABLE:
        return _("could not be read")
    if snapshot.audit.unwritten is not None:
        return _("intact, but the latest actions could not be written to it")
    return _("intact")


def clock_text(snapshot: StatusSnapshot) -> str:
    now = snapshot.clock.now.strftime("%Y-%m-%d %H:%M UTC")
    if snapshot.clock.state is ClockState.BEHIND:
        return _("{now}: behind the verified content, set the clock").format(now=now)
    if snapshot.clock.state is ClockState.AHEAD:
        return _("{now}: far ahead of the verified content, check the clock").format(now=now)
    return now
