"""Facts about the machine for the maintenance panel: network and disk. (Removable media:
:mod:`kiosk.usb`.)"""

from __future__ import annotations

import shutil
from pathlib import Path


def has_network() -> bool:
    """A default route exists (the link may still be down beyond it; the sync outcome says)."""
    try:
        with open("/proc/net/route", encoding="ascii") as routes:
            next(routes, None)
            return any(line.split()[1] == "00000000" for line in routes if line.strip())
    except OSError:
        return False


def disk_free(path: Path) -> tuple[int, int]:
    """Free and total bytes of the file system holding ``path``."""
    usage = shutil.disk_usage(path)
    return usage.free, usage.total
