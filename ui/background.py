"""The one way to run slow work off the UI thread and come back with its result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work, self.relay = work, relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # reported to the caller, never shown raw
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)


_pending: set[_Relay] = set()


def run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[Exception], None] | None = None,
    context: QObject | None = None,
) -> None:
    """Run ``work`` on the thread pool; its result reaches ``on_success`` on the UI thread.

    If ``context`` (the widget that asked) is gone by then, the result is dropped.
    """
    relay = _Relay()  # lives in the UI thread: its signals are delivered there
    _pending.add(relay)
    alive = [True]
    if context is not None:
        context.destroyed.connect(lambda *_args: alive.__setitem__(0, False))

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        _pending.discard(relay)
        relay.deleteLater()
        if callback is not None and alive[0]:
            callback(value)

    relay.succeeded.connect(lambda value: finish(on_success, value))
    relay.failed.connect(lambda exc: finish(on_failure, exc))
    QThreadPool.globalInstance().start(_Task(work, relay))
