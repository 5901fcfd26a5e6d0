"""A fresh start every night, while nobody is at the screen.

The kiosk gives memory back after every traveller, but a process that runs for months still
grows a little (the soak benchmark shows a few MB per thousand sessions, inside QtWebEngine).
Under a service manager that restarts it, the kiosk therefore restarts itself once a day in the
small hours, only from the start screen, and only after most of a day of uptime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

RESTART_HOUR = 3  # local time: border gates are quietest before the first morning flights
MIN_UPTIME = dt.timedelta(hours=20)


class NightlyRestart(QObject):
    due = Signal()  # time to restart: the caller exits with the restart status

    def __init__(
        self,
        idle: Callable[[], bool],
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._idle, self._clock = idle, clock
        self._started = clock()
        self._done = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(60_000)

    def check(self) -> None:
        now = self._clock()
        if self._done or now.hour != RESTART_HOUR or now - self._started < MIN_UPTIME:
            return
        if self._idle():
            self._done = True
            self._timer.stop()
            self.due.emit()
