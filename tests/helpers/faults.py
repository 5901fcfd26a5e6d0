"""Disks that refuse writes, as a full or read-only data folder does."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest


def refuse_writes(monkeypatch: pytest.MonkeyPatch, folder: Path, code: int) -> None:
    """Opening a file of ``folder`` for writing fails with ``code`` (EROFS, ENOSPC …)."""
    real_open = os.open
    inside = folder.resolve()

    def guarded(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        if writing and Path(path).resolve().is_relative_to(inside):
            raise OSError(code, os.strerror(code), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
