"""The service manager hears from the UI thread: ready once, then watchdog pings."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from kiosk.app.watchdog import Watchdog, notify, watchdog_interval_ms
from kiosk.paths import REPO_ROOT


def test_ready_and_watchdog_pings_reach_the_service_manager(
    qtbot,
    tmp_path: Path,
    monkeypatch,
) -> None:
    address = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as manager:
        manager.bind(address)
        manager.settimeout(5)
        monkeypatch.setenv("NOTIFY_SOCKET", address)
        monkeypatch.setenv("WATCHDOG_USEC", "400000")  # 0.4 s: a ping every 0.2 s
        monkeypatch.setenv("WATCHDOG_PID", str(os.getpid()))
        assert watchdog_interval_ms() == 200
        watchdog = Watchdog()
        watchdog.ready()
        assert manager.recv(100).startswith(b"READY=1")
        qtbot.wait(500)  # the UI thread's event loop runs: pings arrive
        assert manager.recv(100) == b"WATCHDOG=1"
        watchdog.stopping()
        manager.settimeout(0.5)
        received = []
        try:
            while True:
                received.append(manager.recv(100))
        except TimeoutError:
            pass
        assert received[-1] == b"STOPPING=1"


def test_without_a_service_manager_nothing_is_sent(monkeypatch) -> None:
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    monkeypatch.setenv("WATCHDOG_USEC", "1000000")
    monkeypatch.setenv("WATCHDOG_PID", "1")  # meant for another process
    assert not notify("READY=1") and watchdog_interval_ms() is None


def test_the_kiosk_tells_systemd_it_is_up_pings_and_stops_cleanly_on_sigterm(
    tmp_path: Path,
) -> None:
    # The real `kiosk run`, as the service starts it: first start on an empty data folder.
    address = str(tmp_path / "notify")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as manager:
        manager.bind(address)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "NOTIFY_SOCKET": address,
            "WATCHDOG_USEC": "2000000",
            "KIOSK_DATA_DIR": str(tmp_path / "data"),
        }
        env.pop("WATCHDOG_PID", None)
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk.cli", "run"],
            env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            manager.settimeout(120)
            assert manager.recv(100).startswith(b"READY=1")
            manager.settimeout(5)
            assert manager.recv(100) == b"WATCHDOG=1"
            kiosk.send_signal(signal.SIGTERM)
            while (message := manager.recv(100)) == b"WATCHDOG=1":
                pass
            assert message == b"STOPPING=1"
            assert kiosk.wait(timeout=30) == 0  # 0: stopped on purpose, not to be restarted
        finally:
            kiosk.kill()
            kiosk.wait()
