"""Named crash points, so tests can kill the process at an exact step of a critical write.

Setting ``KIOSK_CRASH_AT=<name>`` makes :func:`crash_point` with that name kill the process
with SIGKILL, as a power cut or an OOM kill would; nothing runs after it, no cleanup, no atexit.
"""

from __future__ import annotations

import os
import signal


def crash_point(name: str) -> None:
    if os.environ.get("KIOSK_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
