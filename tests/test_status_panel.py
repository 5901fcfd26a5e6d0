"""The maintenance panel gathers its slow facts off the UI thread: the thread the watchdog
watches never waits for the disk probe or the audit-chain walk, and the screen keeps drawing."""

from __future__ import annotations

import itertools
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from kiosk import storage
from kiosk.admin.audit import AuditLog
from kiosk.storage import StorageProblem

from .helpers.ui import admin_of, open_panel, shown, tap, wait_for_facts

pytestmark = pytest.mark.gui


def record_threads(monkeypatch: pytest.MonkeyPatch, delay: float = 0.0) -> dict[str, list[str]]:
    """Where the disk probe and the audit-chain walk run (thread names); the probe ``delay``
    slow."""
    seen: dict[str, list[str]] = {"probe": [], "verify": []}
    probe, verify = storage.storage_problem, AuditLog.verify

    def slow_probe(data_dir: Path) -> StorageProblem | None:
        seen["probe"].append(threading.current_thread().name)
        time.sleep(delay)
        return probe(data_dir)

    def recorded_verify(self: AuditLog) -> int | None:
        seen["verify"].append(threading.current_thread().name)
        return verify(self)

    monkeypatch.setattr(storage, "storage_problem", slow_probe)
    monkeypatch.setattr(AuditLog, "verify", recorded_verify)
    return seen


def test_opening_the_panel_probes_the_disk_and_walks_the_audit_chain_off_the_ui_thread(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch
) -> None:
    seen = record_threads(monkeypatch)
    panel = open_panel(qtbot, window)  # waits for the facts
    ui_thread = threading.main_thread().name
    assert len(seen["probe"]) == len(seen["verify"]) == 1, seen
    assert ui_thread not in seen["probe"] + seen["verify"], seen
    assert "GB" in panel.fact_labels["disk"][1].text()
    assert panel.fact_labels["audit"][1].text() == shown(window, "intact")
    assert "pin-accepted" in panel.logs.toPlainText()


def test_a_slow_disk_probe_does_not_stall_the_screen(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    panel = open_panel(qtbot, window)
    tap(qtbot, panel.close_button)
    seen = record_threads(monkeypatch, delay=2.0)  # a failing disk takes seconds to answer
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    qtbot.wait(50)
    admin_of(window).open_panel()
    opened = time.monotonic()
    # Shown at once: the quick facts, and "…" where a slow one is on its way.
    assert window.stack.currentWidget() is panel and panel.status_pending
    assert panel.fact_labels["disk"][1].text() == "…"
    gate_name = window.gate.name(window.session.language, "en")
    assert panel.fact_labels["gate"][1].text() == gate_name
    wait_for_facts(qtbot, panel)
    timer.stop()
    assert time.monotonic() - opened >= 2.0 and seen["probe"]  # the probe really was that slow
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert max(gaps) < 0.1, f"the event loop stalled for {max(gaps):.3f} s"
    assert "GB" in panel.fact_labels["disk"][1].text()


def test_a_status_that_cannot_be_gathered_says_so(qtbot, window, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("Input/output error")

    monkeypatch.setattr("ui.admin.panel.collect_status", broken)
    panel = open_panel(qtbot, window)
    unreadable = shown(window, "could not be read")
    assert panel.fact_labels["disk"][1].text() == unreadable
    assert panel.fact_labels["audit"][1].text() == unreadable
    assert any(
        r.message == "maintenance panel status not gathered" and r.exc_info for r in caplog.records
    )


def test_a_hanging_disk_holds_one_worker_however_often_the_status_is_asked(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch
) -> None:
    panel = open_panel(qtbot, window)
    seen = record_threads(monkeypatch, delay=0.5)
    for _ in range(5):  # reopened, synced, saved … while the disk takes its time
        panel.refresh_status()
    assert panel.status_pending and panel.fact_labels["disk"][1].text() == "…"
    wait_for_facts(qtbot, panel)
    # The one in flight, then one for the latest request: never five probes at once.
    assert len(seen["probe"]) == 2
    assert "GB" in panel.fact_labels["disk"][1].text()
