"""The hub's memory of each kiosk's audit chain: a chain that goes back or forks is flagged.

A kiosk reports its chain as (number of entries, head hash), recomputed from the entries
themselves, and the hash its chain has at the count the hub knew before. The hub keeps every
(count, head) it was told. Fewer entries than before means entries were removed; another hash
for a count already seen, or at the count known before, means entries were rewritten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select

from kiosk.hub.db import audit_marks, heartbeats
from kiosk.hub.schema import Heartbeat


def known_count(conn: Any, kiosk_id: str) -> int | None:
    """The longest chain the kiosk reported, which its next heartbeat must extend."""
    found = conn.execute(
        select(func.max(audit_marks.c.count)).where(audit_marks.c.kiosk_id == kiosk_id)
    ).scalar()
    return None if found is None else int(found)


def check_chain(conn: Any, kiosk_id: str, beat: Heartbeat, now: str) -> str | None:
    """Why the reported chain does not continue the one reported before (one sentence for the
    fleet page), or None; the reported positions are remembered either way."""
    if beat.audit_count is None:  # a kiosk older than audit counts: nothing to compare
        return None
    marks = {
        int(count): (head, at)
        for count, head, at in conn.execute(
            select(audit_marks.c.count, audit_marks.c.head, audit_marks.c.received_at).where(
                audit_marks.c.kiosk_id == kiosk_id
            )
        )
    }
    reported = {beat.audit_count: beat.audit_head}
    if beat.audit_known is not None:
        reported[beat.audit_known.count] = beat.audit_known.head
    latest = max(marks, default=None)
    alarm = None
    if latest is not None and beat.audit_count < latest:
        alarm = (
            f"audit log went back from {latest} entries (reported {marks[latest][1]}) to "
            f"{beat.audit_count}: entries were removed on the kiosk; inspect it with "
            f"'kiosk admin audit' and keep its disk"
        )
    for count, head in sorted(reported.items()):
        if alarm is None and count in marks and marks[count][0] != head:
            alarm = (
                f"audit log rewritten: its first {count} entries no longer hash as reported on "
                f"{marks[count][1]}; inspect the kiosk with 'kiosk admin audit' and keep its disk"
            )
    if (
        alarm is None
        and latest is not None
        and beat.audit_count > latest
        and (beat.audit_known is None or beat.audit_known.count != latest)
    ):
        alarm = (
            f"audit log not shown to extend the {latest} entries reported before (the kiosk "
            f"sent no hash at that count); update the kiosk and inspect it with 'kiosk admin "
            f"audit'"
        )
    new = [
        {"kiosk_id": kiosk_id, "count": count, "head": head, "received_at": now}
        for count, head in reported.items()
        if count not in marks
    ]
    if new:
        conn.execute(insert(audit_marks), new)
    return alarm


def alarm_of(conn: Any, kiosk_id: str) -> str | None:
    return conn.execute(
        select(heartbeats.c.audit_alarm).where(heartbeats.c.kiosk_id == kiosk_id)
    ).scalar()
