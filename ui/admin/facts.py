"""The maintenance panel's words for the status snapshot: one sentence per fact, translated.

Codes and states become sentences in :mod:`ui.admin.messages`, as everywhere in the panel; this
module only picks, for each row of the panel, what the snapshot says about it.
"""

from __future__ import annotations

from kiosk.app.clock import ClockProblem
from kiosk.app.status import AuditState, ClockState, StatusSnapshot
from kiosk.i18n import _
from kiosk.sync.trust import trust_text
from ui.admin.messages import clock_text as clock_sentence
from ui.admin.messages import last_sync_text, revision_age_text, storage_text


def slow_facts(snapshot: StatusSnapshot) -> dict[str, str]:
    """The facts the panel gathers off the UI thread, by the key of their row."""
    return {
        "revision": revision_text(snapshot),
        "last-sync": last_sync_text(snapshot.sync),
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
    return revision_age_text(revision, content.age.days)


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
    state = snapshot.clock.state
    return clock_sentence(None if state is ClockState.OK else ClockProblem(state.value), now)
