"""Give memory back between travellers: the kiosk runs for weeks in one process.

Two caches grow without a bound that matters to anyone else: ``linecache`` (PySide6 reads the
source of every module imported after it, to look for its ``__feature__`` switch, and the
text stays cached) and glibc's heap, which keeps freed pages until asked to return them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import linecache


def _libc_trim() -> object | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        return ctypes.CDLL(name).malloc_trim  # glibc only; musl and others have none
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _libc_trim()


def release_memory() -> None:
    """Drop cached source text, collect cycles, and hand freed heap pages back to the system.
    A few milliseconds; called when a session ends, when nobody is at the screen."""
    linecache.clearcache()
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)  # type: ignore[operator]
