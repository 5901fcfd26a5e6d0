"""Whether the kiosk can still write its data folder, for the maintenance panel.

A kiosk left alone for months can fill its disk (logs of a faulty device, a technician's
copies) or find it remounted read-only (the kernel does that to ext4 after I/O errors). Reads
keep working, so the traveller's screens carry on with the content they have; what stops is
every write: usage figures, settings, PINs, the audit log and content updates. The panel names
the problem so an operator can act on it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.exc import OperationalError


class StorageKind(StrEnum):
    """What stops writes: the code of a storage problem, said in words by each interface."""

    FULL = "full"
    READ_ONLY = "read-only"


FULL, READ_ONLY = StorageKind.FULL, StorageKind.READ_ONLY

# 50 MB: the margin a sync keeps free (kiosk.sync.client.DISK_MARGIN), so below it content
# updates are refused anyway, and SQLite needs room for its write-ahead log and checkpoints. A
# day of usage figures, settings and audit entries is a few kilobytes, so a healthy kiosk disk
# never comes near it.
MIN_FREE = 50_000_000

# What a write to the data folder raises when the disk refuses it: the file system's own
# errors, and SQLite's (SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR), bare or wrapped by
# SQLAlchemy.
WRITE_ERRORS: tuple[type[Exception], ...] = (OSError, sqlite3.OperationalError, OperationalError)

_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM}
_PROBE_BYTES = b"\0" * 4096  # one block: a full file system must allocate it, or refuse


@dataclass(frozen=True)
class StorageProblem:
    """A storage problem as a code (``kind``) and its parameter (``path``); ``str()`` is the
    English sentence for the log and the command line."""

    kind: StorageKind
    path: Path

    def __str__(self) -> str:
        if self.kind == StorageKind.FULL:
            return f"the data disk is full ({self.path}): nothing new can be saved"
        return f"the data folder {self.path} is read-only: nothing new can be saved"


def storage_problem(data_dir: Path) -> StorageProblem | None:
    """What stops the kiosk from writing ``data_dir``, or None when it can.

    It writes and removes a small file rather than asking ``os.access``: permission bits say
    nothing about a read-only mount, and only an actual write meets a full disk.
    """
    refused = write_refused(data_dir)
    if refused is not None:
        return refused
    if shutil.disk_usage(data_dir).free < MIN_FREE:
        return StorageProblem(FULL, data_dir)
    return None


def write_refused(data_dir: Path) -> StorageProblem | None:
    """The problem when a small write to ``data_dir`` fails now, else None (however little
    room is left): whether the kiosk can start on it as usual."""
    try:
        _write_probe(data_dir)
    except OSError as exc:
        # EROFS, EACCES, EPERM, and also EIO, which a failing disk gives before the kernel
        # remounts it read-only: nothing can be written there, and the advice is the same.
        kind = FULL if exc.errno in _FULL_ERRNOS else READ_ONLY
        return StorageProblem(kind, data_dir)
    return None


def write_problem(exc: BaseException, data_dir: Path) -> StorageProblem | None:
    """The problem behind a failed write: the one the error names, else what a fresh probe
    finds (SQLite's "disk I/O error" does not say which)."""
    kind = failure_kind(exc)
    return StorageProblem(kind, data_dir) if kind else storage_problem(data_dir)


def failure_kind(exc: BaseException) -> StorageKind | None:
    """FULL or READ_ONLY when a write error says so, else None."""
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return FULL
        return READ_ONLY if exc.errno in _READ_ONLY_ERRNOS else None
    driver = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the sqlite3 error
    code = getattr(driver, "sqlite_errorcode", None)
    if isinstance(code, int):
        primary = code & 0xFF  # extended codes (SQLITE_READONLY_DBMOVED …) keep it in the low byte
        if primary == sqlite3.SQLITE_FULL:
            return FULL
        if primary == sqlite3.SQLITE_READONLY:
            return READ_ONLY
        return None
    text = str(exc).lower()
    if "database or disk is full" in text or "no space left" in text:
        return FULL
    if "readonly database" in text or "read-only file system" in text:
        return READ_ONLY
    return None


def first_line(exc: BaseException) -> str:
    """The error in one line, for the log (SQLAlchemy appends the statement and a link)."""
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def _write_probe(folder: Path) -> None:
    path = folder / f".write-probe-{os.getpid()}"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        try:
            os.write(fd, _PROBE_BYTES)
            os.fsync(fd)  # some file systems report a full disk only when the data goes out
        finally:
            os.close(fd)
    finally:
        os.unlink(path)
