"""When to sync next: a periodic check with jitter, full-jitter exponential backoff on failure.

Many kiosks must not hit the feed at the same second (jitter), and a failing link must not be
hammered (backoff); a security rejection is not retried quickly, since trying again will not
make a bad feed good.
"""

from __future__ import annotations

import random

from kiosk.options import option
from kiosk.sync import status

PERIOD: int = option("sync_period_seconds").default  # an odd period spreads kiosks over the day
PERIOD_JITTER = 0.1
BACKOFF_BASE = 60.0
BACKOFF_CAP = 6 * 3600.0


def next_delay(
    outcome: status.SyncOutcome, failures: int, rng: random.Random | None = None
) -> float:
    """Seconds until the next attempt after a cycle with ``outcome`` and ``failures`` in a
    row (counting this one)."""
    rng = rng or random.Random()
    if outcome in (status.OK, status.CURRENT):
        return PERIOD * (1 + rng.uniform(-PERIOD_JITTER, PERIOD_JITTER))
    if outcome in (status.REJECTED, status.EXPIRED, status.CLOCK, status.UNTRUSTED):
        return PERIOD  # an operator or a publisher has to act first
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(failures - 1, 0))
    return max(5.0, rng.uniform(0, ceiling))
