"""USB sticks: which mounts are removable media, the bundles on them, files written to them.

A stick is a mount point under the removable roots (``/media``, ``/run/media``, ``/mnt``) whose
block device the kernel marks removable (``/sys/block/DISK/removable``): a folder an attacker
planted there, or an internal disk mounted there, is not one. Nothing on a stick is trusted:
its top folder is listed without following links or descending, at most a bounded number of
names is returned, and a file is written only as a new file, never through a link.
"""

from __future__ import annotations

import contextlib
import errno
import heapq
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from kiosk.options import from_environment, option

REMOVABLE_ROOTS: tuple[str, ...] = option("removable_roots").default
BUNDLE_SUFFIX = ".bundle"


def removable_roots() -> list[Path]:
    roots = from_environment("removable_roots") or REMOVABLE_ROOTS
    return [Path(r) for r in roots]

MOUNT_TABLE = Path("/proc/self/mounts")
SYS_BLOCK = Path("/sys/block")
MAX_LISTED = 50  # bundles offered at once: a stick with thousands must not flood the panel
_ESCAPED = re.compile(r"\\([0-7]{3})")  # the mount table writes spaces and tabs as \040, \011


class NotPlainFile(Exception):
    """A link or a special file where a plain folder or a new file was expected."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


@dataclass(frozen=True)
class BundleList:
    paths: list[Path]  # newest first, at most MAX_LISTED
    more: int  # further bundle files on the sticks, not listed


def _mounts(table: Path) -> list[tuple[str, Path]]:
    try:
        lines = table.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 2:
            point = _ESCAPED.sub(lambda m: chr(int(m.group(1), 8)), fields[1])
            found.append((fields[0], Path(point)))
    return found


def is_removable(device: str, sys_block: Path | None = None) -> bool:
    """Whether the kernel marks the disk holding ``device`` (``/dev/sdb1``) removable."""
    if not device.startswith("/dev/"):
        return False
    name = Path(os.path.realpath(device)).name
    folder = sys_block or SYS_BLOCK
    try:
        disks = list(folder.iterdir())
    except OSError:
        return False
    for disk in disks:
        if disk.name == name or (disk / name).is_dir():  # the disk itself, or its partition
            try:
                return (disk / "removable").read_text(encoding="ascii").strip() == "1"
            except OSError:
                return False
    return False


def sticks(
    roots: list[Path] | None = None,
    mount_table: Path | None = None,
    sys_block: Path | None = None,
) -> list[Path]:
    """Mount points of removable media under the removable roots, in mount order."""
    bases = [Path(os.path.realpath(r)) for r in (roots or removable_roots())]
    return [
        point
        for device, point in _mounts(mount_table or MOUNT_TABLE)
        if any(point != base and point.is_relative_to(base) for base in bases)
        and is_removable(device, sys_block)
    ]


def _open_folder(folder: Path) -> int:
    try:
        return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise NotPlainFile(folder) from exc
        raise


def list_bundles(folders: list[Path] | None = None, limit: int = MAX_LISTED) -> BundleList:
    """The newest ``limit`` bundle files at the top of each stick (plain files only; no link
    followed, no sub-folder entered), and how many more there are. Slow on a crowded stick:
    call it off the UI thread. Only the kept few stay in memory while the folder is read, so
    a crowded stick does not set off the collector's full passes, which stop every thread."""
    newest: list[tuple[float, str, int]] = []  # a min-heap: the oldest kept is dropped first
    total = 0
    chosen = sticks() if folders is None else folders
    for index, folder in enumerate(chosen):
        try:
            fd = _open_folder(folder)
        except (OSError, NotPlainFile):
            continue
        try:
            with os.scandir(fd) as entries:
                for entry in entries:
                    if not entry.name.endswith(BUNDLE_SUFFIX):
                        continue
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    if not stat.S_ISREG(info.st_mode):
                        continue
                    total += 1
                    kept = (info.st_mtime, entry.name, index)
                    if len(newest) < limit:
                        heapq.heappush(newest, kept)
                    elif kept > newest[0]:
                        heapq.heapreplace(newest, kept)
        except OSError:
            continue
        finally:
            os.close(fd)
    ordered = sorted(newest, reverse=True)  # newest first; same time: the later name first
    return BundleList([chosen[i] / name for _t, name, i in ordered], total - len(ordered))


def write_new_file(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` to a new file in ``folder``: the folder must not be a link, the file is
    created exclusively (never through a link, never over another file: ``name-2``… when a
    plain file has the name already). Raises :class:`NotPlainFile` when a link or special
    file is in the way, OSError when the stick refuses (locked, full)."""
    dir_fd = _open_folder(folder)
    try:
        stem, suffix = os.path.splitext(name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        for attempt in range(1, 100):
            chosen = name if attempt == 1 else f"{stem}-{attempt}{suffix}"
            try:
                fd = os.open(chosen, flags, 0o644, dir_fd=dir_fd)
            except FileExistsError:
                existing = os.stat(chosen, dir_fd=dir_fd, follow_symlinks=False)
                if not stat.S_ISREG(existing.st_mode):
                    raise NotPlainFile(folder / chosen) from None
                continue
            break
        else:
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(folder / name))
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError:
            with contextlib.suppress(OSError):  # no half-written file left on a full stick
                os.unlink(chosen, dir_fd=dir_fd)
            raise
    finally:
        os.close(dir_fd)
    return folder / chosen
