"""Content-addressed media files: written once, never overwritten, durable before use."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class BlobMismatch(Exception):
    """A file's bytes do not hash to the value it was announced with."""


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / "sha256" / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def collect(self, referenced: set[str], older_than: float) -> int:
        """Delete blobs no item refers to any more, once older than ``older_than`` (a Unix
        time): a reader of the previous revision may still be showing a fresh one."""
        removed = 0
        for path in self.root.glob("sha256/*/*"):
            if path.name.startswith(".tmp-"):
                continue  # a write in progress, or one a crash left: harmless
            if path.name not in referenced and path.stat().st_mtime < older_than:
                path.unlink(missing_ok=True)
                removed += 1
        return removed

    def put(self, data: bytes, sha256: str) -> Path:
        """Store bytes under their hash: temp file, fsync, rename, fsync the folder."""
        if hashlib.sha256(data).hexdigest() != sha256:
            raise BlobMismatch(f"content does not match its hash {sha256[:12]}…")
        target = self.path(sha256)
        if target.is_file():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        dir_fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return target
