"""Sync beside the running kiosk: a separate, low-priority process on a schedule.

The sync (downloads, verification, parsing, indexing) runs in its own process, so the UI
thread never waits for it and a crash there cannot take the kiosk down; this object only
starts it, follows its progress through the status file, and says when new content is in.
Uses QtCore only.
"""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from kiosk.analytics.upload import insecure_hub
from kiosk.app.feed_source import resolve_feed
from kiosk.paths import REPO_ROOT
from kiosk.sync import status as st
from kiosk.sync.schedule import next_delay

POLL_MS = 500
FIRST_SYNC_MS = 60_000  # let the kiosk settle after a start before the first check
log = logging.getLogger("kiosk.app")


class SyncService(QObject):
    progress = Signal(str)  # the running step, in English
    step = Signal(object)  # SyncStatus, while a cycle runs: its step and parameters
    finished = Signal(object)  # SyncStatus
    content_changed = Signal(int)  # the new content revision
    upload_finished = Signal()

    def __init__(
        self,
        data_dir: Path,
        feed: str | None,
        gate: str | None = None,
        *,
        schedule: bool = True,
        hub: tuple[str, str, str] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir, self.gate = data_dir, gate
        # (address, kiosk id, token file): usage figures go there after each cycle. Only the
        # upload process reads the token, so no other process of the kiosk ever holds it.
        self.hub = hub
        problem = insecure_hub(hub[0]) if hub else None
        if problem:
            log.error("%s", problem)
            self.hub = None  # the figures wait on the kiosk
        self.uploader: QProcess | None = None
        self._given_feed = feed
        self.process: QProcess | None = None
        self._revision = st.load_status(data_dir).content_revision
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._cycle)
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._read_progress)
        if schedule and (self.feed or self.hub):
            self._timer.start(FIRST_SYNC_MS)

    @property
    def feed(self) -> str | None:
        """Resolved at each cycle, as 'kiosk sync' does: a feed the operator sets in the panel
        is used by the next sync, without a restart."""
        return resolve_feed(self.data_dir, self._given_feed)

    @property
    def running(self) -> bool:
        return self.process is not None

    def _cycle(self) -> None:
        if not self.sync_now():
            self.upload_now()
            self._timer.start(int(next_delay(st.OK, 0) * 1000))

    def upload_now(self) -> bool:
        """Send the usage figures and a heartbeat, in their own low-priority process."""
        if self.hub is None or self.uploader is not None:
            return False
        address, kiosk_id, token_file = self.hub
        arguments = ["-m", "kiosk.cli", "analytics", "upload", "--hub", address]
        arguments += ["--kiosk-id", kiosk_id, "--data-dir", str(self.data_dir)]
        process = QProcess(self)
        environment = QProcessEnvironment.systemEnvironment()
        environment.remove("KIOSK_HUB_TOKEN")
        environment.insert("KIOSK_HUB_TOKEN_FILE", token_file)  # a path: ps and environ show
        process.setProcessEnvironment(environment)
        process.setWorkingDirectory(str(REPO_ROOT))
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.finished.connect(self._uploaded)
        self.uploader = process
        process.start(sys.executable, arguments)
        return True

    def _uploaded(self) -> None:
        if self.uploader is not None:
            self.uploader.readAll()
            self.uploader.deleteLater()
        self.uploader = None
        self.upload_finished.emit()

    def sync_now(self, source: str | None = None) -> bool:
        """Start a cycle (from the feed, or from ``source``: a folder or bundle file)."""
        feed = source or self.feed
        if self.process is not None or not feed:
            return False
        self._timer.stop()
        arguments = ["-m", "kiosk.cli", "sync", "--once", "--feed", feed]
        arguments += ["--data-dir", str(self.data_dir)]
        if self.gate:
            arguments += ["--gate", self.gate]
        program = sys.executable
        nice = shutil.which("nice")
        if nice:  # below the UI in the CPU queue
            arguments = ["-n", "10", program, *arguments]
            program = nice
        process = QProcess(self)
        process.setWorkingDirectory(str(REPO_ROOT))
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.finished.connect(self._finished)
        self.process = process
        process.start(program, arguments)
        self._poll.start()
        return True

    def _read_progress(self) -> None:
        status = st.load_status(self.data_dir)
        if status.progress:
            self.progress.emit(status.progress)
            self.step.emit(status)

    def _finished(self) -> None:
        self._poll.stop()
        if self.process is not None:
            self.process.readAll()  # the lines it printed are in the status file too
            self.process.deleteLater()
        self.process = None
        status = st.load_status(self.data_dir)
        self.finished.emit(status)
        if status.content_revision != self._revision:
            self._revision = status.content_revision
            self.content_changed.emit(status.content_revision)
        self.upload_now()
        if self.feed:
            delay = next_delay(status.last_outcome or st.FAILED, status.failures)
            self._timer.start(int(delay * 1000))

    def stop(self) -> None:
        self._timer.stop()
        self._poll.stop()
        if self.process is not None:
            self.process.finished.disconnect(self._finished)
            self.process.kill()
            self.process.waitForFinished(3000)
            self.process = None
