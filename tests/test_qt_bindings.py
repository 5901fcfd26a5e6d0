"""The Qt bindings keep a kiosk alive for weeks: signals emitted from Python must not leak
or drop references (PySide6 6.12.0 dropped one reference to True per emission, which killed
the process after about a thousand signals)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    text = Signal(str)
    bare = Signal()
    flag = Signal(bool)


def test_emitting_signals_keeps_reference_counts_steady() -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.flag.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(300):
        emitter.text.emit("x")
        emitter.bare.emit()
        emitter.flag.emit(True)
    received.clear()
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
