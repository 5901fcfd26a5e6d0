"""Slow work off the UI thread: results come back, and nothing piles up over weeks."""

from __future__ import annotations

import logging
import threading

import pytest
import shiboken6
from PySide6.QtCore import SIGNAL, QObject

from ui import background
from ui.background import run_in_background

from .helpers.ui import assert_stays

pytestmark = pytest.mark.gui


def test_results_come_back_on_the_ui_thread(qtbot) -> None:
    got: list[tuple[str, bool]] = []
    ui_thread = threading.get_ident()
    run_in_background(
        lambda: threading.get_ident() != ui_thread,  # runs elsewhere
        lambda elsewhere: got.append(("ok", elsewhere and threading.get_ident() == ui_thread)),
    )
    run_in_background(
        lambda: 1 / 0, lambda _: None, lambda exc: got.append((type(exc).__name__, True))
    )
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5000)
    assert sorted(got) == [("ZeroDivisionError", True), ("ok", True)]


def test_a_result_for_a_screen_that_is_gone_is_dropped(qtbot) -> None:
    gate = threading.Event()
    screen = QObject()
    got: list[object] = []
    run_in_background(lambda: gate.wait(5), got.append, context=screen)
    screen.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(screen), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: background.in_flight() == 0, timeout=5000)
    assert_stays(qtbot, lambda: got, [], wait=50)


def test_thousands_of_searches_leave_nothing_behind_on_the_screen(qtbot) -> None:
    # One search per keystroke for weeks: each must leave no connection or task behind, or the
    # kiosk grows and slows down.
    screen = QObject()
    before = screen.receivers(SIGNAL("destroyed(QObject*)"))
    got: list[int] = []
    for n in range(300):
        run_in_background(lambda n=n: n, got.append, context=screen)
    qtbot.waitUntil(lambda: len(got) == 300 and background.in_flight() == 0, timeout=10000)
    assert sorted(got) == list(range(300))
    assert screen.receivers(SIGNAL("destroyed(QObject*)")) == before


def test_a_failure_nobody_asked_about_is_logged_with_the_task_name(qtbot, caplog) -> None:  # type: ignore[no-untyped-def]
    def read_the_stick() -> None:
        raise OSError("Input/output error")

    def draw_the_chart() -> None:
        gate.wait(5)
        raise ZeroDivisionError("no days")

    gate = threading.Event()
    screen = QObject()
    got: list[str] = []
    with caplog.at_level(logging.ERROR, logger="kiosk.background"):
        run_in_background(read_the_stick, got.append)
        run_in_background(draw_the_chart, got.append, context=screen, name="usage chart")
        screen.deleteLater()  # logged though the screen that asked is gone
        qtbot.waitUntil(lambda: not shiboken6.isValid(screen), timeout=5000)
        gate.set()
        qtbot.waitUntil(lambda: len(caplog.records) == 2, timeout=5000)
    by_task = {r.getMessage(): r for r in caplog.records}
    stick = by_task[f"background task {read_the_stick.__qualname__} failed"]
    assert stick.exc_info is not None and isinstance(stick.exc_info[1], OSError)
    chart = by_task["background task usage chart failed"]
    assert chart.exc_info is not None and isinstance(chart.exc_info[1], ZeroDivisionError)
    # Nothing crashed: the next task runs and returns.
    run_in_background(lambda: "next", got.append)
    qtbot.waitUntil(lambda: got == ["next"], timeout=5000)
