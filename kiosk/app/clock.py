"""Which day it is, for deciding what content is valid: the machine's date, unless it is
certainly wrong.

A kiosk's clock can be years off (a dead RTC battery, a wrong manual setting). The only time
the kiosk can trust is the publisher's signed issue time of the feed it already verified
(``sync:time_floor``, SYNC-SECURITY §1.4). A date earlier than that is wrong for sure: the kiosk
then uses the floor's date, so a notice that expired before the content was published is never
shown as current. A date far after it cannot be told from a long time offline, so it is used
as it is; the maintenance panel shows the difference and sync refuses expired metadata until
the clock is set.
"""

from __future__ import annotations

import datetime as dt
import json
from contextlib import suppress
from enum import StrEnum

from kiosk.content.store import ContentStore

SUSPICIOUS_AHEAD = dt.timedelta(days=400)


class ClockProblem(StrEnum):
    """How the machine's clock looks wrong, next to the verified content's issue time."""

    BEHIND = "behind"  # earlier than content already verified: certainly wrong
    AHEAD = "ahead"  # far after it: maybe wrong, maybe a long time offline


def time_floor(store: ContentStore) -> dt.datetime | None:
    value = store.meta().get("sync:time_floor")
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def restore_time_floor(store: ContentStore) -> bool:
    """After a damaged database was replaced by the bundled content, take the floor back from
    the feed's signed timestamp the sync client keeps beside it (verified when it was stored),
    so a kiosk with a wrong clock does not show expired notices until its next sync. True if
    a floor was restored."""
    path = store.data_dir / "sync" / "tuf" / "timestamp.json"
    with suppress(OSError, ValueError, TypeError, KeyError):
        issued = json.loads(path.read_text(encoding="utf-8"))["signed"]["x-issued"]
        stamp = dt.datetime.fromisoformat(str(issued).replace("Z", "+00:00"))
        current = time_floor(store)
        if current is None or stamp > current:
            store.set_meta({"sync:time_floor": stamp.isoformat()})
            return True
    return False


def content_today(store: ContentStore, now: dt.datetime | None = None) -> dt.date:
    now = now or dt.datetime.now(dt.UTC)
    floor = time_floor(store)
    if floor is not None and now < floor:
        return floor.date()
    return now.date()


def clock_problem(store: ContentStore, now: dt.datetime | None = None) -> ClockProblem | None:
    """BEHIND or AHEAD when the machine's clock looks wrong, else None."""
    now = now or dt.datetime.now(dt.UTC)
    floor = time_floor(store)
    if floor is None:
        return None
    if now < floor - dt.timedelta(minutes=10):
        return ClockProblem.BEHIND
    if now > floor + SUSPICIOUS_AHEAD:
        return ClockProblem.AHEAD
    return None
