"""systemd's service notifications, from the UI thread: READY=1 once the first screen is up,
then WATCHDOG=1 at half the watchdog interval. The pings come from the UI thread's timer, so
a hung interface stops them and systemd restarts the kiosk (``WatchdogSec`` in the unit).
Without ``NOTIFY_SOCKET`` (not started by systemd) nothing is sent. No dependency: the protocol
is one datagram on a Unix socket."""

from __future__ import annotations

import os
import socket

from PySide6.QtCore import QObject, QTimer


def notify(message: str) -> bool:
    """Send one notification; False when there is no service manager to tell."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sender:
        try:
            sender.sendto(message.encode(), address)
        except OSError:
            return False
    return True


def watchdog_interval_ms() -> int | None:
    """Half of ``WATCHDOG_USEC`` (when it is meant for this process), in milliseconds."""
    usec = os.environ.get("WATCHDOG_USEC")
    pid = os.environ.get("WATCHDOG_PID")
    if not usec or not usec.isdigit() or (pid and pid != str(os.getpid())):
        return None
    return max(100, int(usec) // 2000)


class Watchdog(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.ping)
        interval = watchdog_interval_ms()
        if interval is not None:
            self._timer.start(interval)

    def ready(self, status: str = "showing the start screen") -> None:
        notify(f"READY=1\nSTATUS={status}")

    def ping(self) -> None:
        notify("WATCHDOG=1")

    def stopping(self) -> None:
        self._timer.stop()
        notify("STOPPING=1")
