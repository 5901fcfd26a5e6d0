"""Facts about the machine for the maintenance panel: network, disk, removable media."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REMOVABLE_ROOTS = ("/media", "/run/media", "/mnt")
BUNDLE_SUFFIX = ".bundle"


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


def removable_roots() -> list[Path]:
    configured = os.environ.get("KIOSK_REMOVABLE_ROOTS")
    roots = configured.split(os.pathsep) if configured else REMOVABLE_ROOTS
    return [Path(r) for r in roots if r]


def find_bundles(roots: list[Path] | None = None, depth: int = 3) -> list[Path]:
    """Bundle files on mounted removable media, newest first; only there, never the whole
    disk (the panel offers no file system to browse)."""
    found: list[Path] = []

    def walk(folder: Path, level: int) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and entry.name.endswith(BUNDLE_SUFFIX):
                found.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False) and level < depth:
                walk(Path(entry.path), level + 1)

    for root in roots if roots is not None else removable_roots():
        walk(root, 1)
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
