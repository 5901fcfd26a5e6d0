"""Named crash points, so tests can kill the process at an exact step of a critical write.

Setting ``KIOSK_CRASH_AT=<name>`` makes :func:`crash_point` with that name kill the process
with SIGKILL, as a power cut or an OOM kill would; nothing runs after it, no cleanup, no atexit.
``<name>#<n>`` kills at the n-th time the point is reached (a chunk of a download, a blob …).
"""

from __future__ import annotations

import os
import signal
from collections import Counter

_hits: Counter[str] = Counter()


def crash_point(name: str) -> None:
    wanted = os.environ.get("KIOSK_CRASH_AT")
    if not wanted:
        return
    point, _, count = wanted.partition("#")
    if point != name:
        return
    _hits[name] += 1
    if not count or _hits[name] == int(count):
        os.kill(os.getpid(), signal.SIGKILL)
