"""The one way to run slow work off the UI thread and come back with its result."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal

log = logging.getLogger("kiosk.background")


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


def _run(work: Callable[[], Any], relay: _Relay) -> None:
    try:
        result = work()
    except Exception as exc:  # reported to the caller, never shown raw
        relay.failed.emit(exc)
    else:
        relay.succeeded.emit(result)


_pending: set[_Relay] = set()


def in_flight() -> int:
    """How many background calls have not come back yet (none once the kiosk is idle)."""
    return len(_pending)


def run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[Exception], None] | None = None,
    context: QObject | None = None,
    name: str | None = None,
) -> None:
    """Run ``work`` on the thread pool; its result reaches ``on_success`` on the UI thread.

    If ``context`` (the widget that asked) is gone by then, the result is dropped. A failure
    goes to ``on_failure``; without one it is logged with the task's ``name`` (by default the
    function's), so no failed task goes unnoticed.
    """
    logged = on_failure is None  # logged even when the screen that asked is gone
    failure = on_failure or _log_failure(name or str(getattr(work, "__qualname__", work)))
    relay = _Relay()  # lives in the UI thread: its signals are delivered there
    _pending.add(relay)

    def finish(callback: Callable[[Any], None], value: Any, always: bool = False) -> None:
        _pending.discard(relay)
        relay.deleteLater()
        # Asked, not subscribed to: a connection to ``context`` for every call would pile up
        # on a screen that lives for weeks (one per keystroke of every search).
        if always or context is None or shiboken6.isValid(context):
            callback(value)

    relay.succeeded.connect(lambda value: finish(on_success, value))
    relay.failed.connect(lambda exc: finish(failure, exc, logged))
    QThreadPool.globalInstance().start(lambda: _run(work, relay))


def _log_failure(name: str) -> Callable[[Exception], None]:
    def failed(exc: Exception) -> None:
        log.error("background task %s failed", name, exc_info=exc)

    return failed
