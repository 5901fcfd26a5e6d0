"""One kiosk per data folder: a second ``kiosk run`` on the same folder would start a second
sync scheduler and a second usage recorder on the same databases.

The running kiosk holds an exclusive ``flock`` on a lock file for as long as it lives; the
kernel releases it when the process ends, however it ends, so a crash leaves no stale lock. The
file is in the data folder; on a read-only folder the lock is taken on the file a previous
start left there, else on a file named after the folder in ``$XDG_RUNTIME_DIR`` (the service's
runtime directory), else in the system's temporary directory.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from pathlib import Path

LOCK_NAME = "kiosk.lock"


class AlreadyRunning(Exception):
    """Another process holds the data folder's lock; ``str()`` says so in one sentence."""

    def __init__(self, folder: Path, holder: str) -> None:
        self.folder, self.holder = folder, holder
        who = f" (process {holder})" if holder else ""
        super().__init__(
            f"the kiosk is already running on the data folder {folder}{who}; stop it first "
            "(systemctl stop border-kiosk) or give this one another --data-dir"
        )


class InstanceLock:
    """The lock of one data folder, held from :meth:`acquire` until the process ends."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path: Path | None = None
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`AlreadyRunning`."""
        fd, path = _open_lock_file(self.folder)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise AlreadyRunning(self.folder, holder) from None
        self._fd, self.path = fd, path
        try:  # who holds it, for the sentence the next one prints (not on a read-only file)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _open_lock_file(folder: Path) -> tuple[int, Path]:
    path = folder / LOCK_NAME
    for flags in (os.O_RDWR | os.O_CREAT, os.O_RDONLY):  # flock needs no write access
        try:
            return os.open(path, flags | os.O_CLOEXEC, 0o600), path
        except OSError:
            continue
    # A read-only folder that no kiosk ever started on: a lock named after the folder.
    runtime = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    path = Path(runtime) / f"border-kiosk-{digest}.lock"
    return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600), path
