"""What the last sync did, kept in a small JSON file for the maintenance panel and the CLI.

Written atomically by the syncing process; read by anyone. A state of "running" left by a
process that no longer exists means that sync was interrupted (power cut, kill).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.durable import write_file


class SyncOutcome(StrEnum):
    """How a cycle ended. The values are kept in status.json and sent in the hub heartbeat."""

    OK = "ok"  # new content applied
    CURRENT = "up-to-date"  # nothing new
    OFFLINE = "offline"  # network failure: retried with backoff
    EXPIRED = "expired"  # feed metadata past its expiry (publisher stopped, or clock)
    REJECTED = "rejected"  # security: rollback, bad signature, tampering, wrong role, authority
    CLOCK = "clock-wrong"
    DISK = "disk-full"
    BUSY = "busy"
    FAILED = "failed"  # anything else
    INTERRUPTED = "interrupted"
    UNTRUSTED = "no-root-of-trust"  # no root installed: sync is off until an operator installs one


class SyncState(StrEnum):
    IDLE = "idle"
    RUNNING = "running"


class SyncStep(StrEnum):
    """What a running cycle is doing (``step``, with ``step_params``)."""

    STARTING = "starting"
    VERIFYING = "verifying"
    READING = "reading"  # channel
    DOWNLOADING = "downloading"  # file
    MEDIA = "media"  # number, total
    APPLYING = "applying"


STEP_TEXT = {  # in English, for ``progress`` (the command line and the log)
    SyncStep.STARTING: "starting",
    SyncStep.VERIFYING: "checking the feed's signatures",
    SyncStep.READING: "reading {channel}",
    SyncStep.DOWNLOADING: "downloading {file}",
    SyncStep.MEDIA: "media {number}/{total}",
    SyncStep.APPLYING: "applying",
}


# The short names the sync code has always used.
OK, CURRENT, OFFLINE = SyncOutcome.OK, SyncOutcome.CURRENT, SyncOutcome.OFFLINE
EXPIRED, REJECTED, CLOCK = SyncOutcome.EXPIRED, SyncOutcome.REJECTED, SyncOutcome.CLOCK
DISK, BUSY, FAILED = SyncOutcome.DISK, SyncOutcome.BUSY, SyncOutcome.FAILED
INTERRUPTED, UNTRUSTED = SyncOutcome.INTERRUPTED, SyncOutcome.UNTRUSTED
GOOD = (OK, CURRENT)


@dataclass
class SyncStatus:
    state: SyncState = SyncState.IDLE
    pid: int | None = None
    feed: str = ""
    last_attempt: str | None = None
    last_success: str | None = None  # last cycle that reached the feed and verified it
    last_outcome: SyncOutcome | None = None
    last_error: str | None = None  # in English, for the log and the command line
    # What went wrong as a code and its parameters, for interfaces that say it in their own
    # words (see kiosk.sync.failures); absent in status files of older versions.
    last_error_code: str | None = None
    last_error_params: dict[str, str | int] = field(default_factory=dict)
    next_attempt: str | None = None
    failures: int = 0  # consecutive failed cycles (drives the backoff)
    revisions: dict[str, int] = field(default_factory=dict)
    content_revision: int = 0
    downloaded_bytes: int = 0
    progress: str = ""  # the running step in English
    step: str = ""  # the running step as a SyncStep value, for interfaces
    step_params: dict[str, str | int] = field(default_factory=dict)
    packs: list[str] = field(default_factory=list)  # packs the last cycle downloaded
    apply_seconds: float = 0.0  # how long the last apply transaction took
    trust: str = ""  # "installed", "demo" (the public demo root) or "none" (sync is off)

    def describe(self) -> list[str]:
        """Lines for ``kiosk sync`` and the panel (the panel translates the labels)."""
        lines = [
            f"feed: {self.feed or '-'}",
            f"state: {self.state}",
            f"last attempt: {self.last_attempt or 'never'}",
            f"last outcome: {self.last_outcome or '-'}",
            f"last success: {self.last_success or 'never'}",
            f"next attempt: {self.next_attempt or '-'}",
            "channels: "
            + (", ".join(f"{c} r{r}" for c, r in sorted(self.revisions.items())) or "-"),
            f"content revision: {self.content_revision}",
            f"downloaded: {self.downloaded_bytes} bytes",
        ]
        if self.trust == "demo":
            lines.append(
                "trust: the public demo root; install your own with 'kiosk trust' before deployment"
            )
        elif self.trust == "none":
            lines.append(
                "trust: none installed; sync is off and the kiosk shows the content it has; "
                "install the feed's root with 'kiosk trust ROOT_JSON'"
            )
        elif self.trust:
            lines.append(f"trust: {self.trust}")
        if self.last_error:
            lines.insert(4, f"last error: {self.last_error}")
        return lines


def status_file(data_dir: Path) -> Path:
    return data_dir / "sync" / "status.json"


def load_status(data_dir: Path) -> SyncStatus:
    try:
        raw: Any = json.loads(status_file(data_dir).read_text(encoding="utf-8"))
        known = SyncStatus.__dataclass_fields__
        status = SyncStatus(**{k: v for k, v in raw.items() if k in known})
        status.state = SyncState.RUNNING if status.state == "running" else SyncState.IDLE
        status.last_outcome = _outcome(status.last_outcome)
        if not isinstance(status.last_error_params, dict):
            status.last_error_params = {}
        if not isinstance(status.step_params, dict):
            status.step_params = {}
    except (OSError, ValueError, TypeError):
        return SyncStatus()
    if status.state == SyncState.RUNNING and not _alive(status.pid):
        status.state, status.last_outcome = SyncState.IDLE, INTERRUPTED
    return status


def _outcome(value: str | None) -> SyncOutcome | None:
    """The stored outcome as a member (an unknown word, from a newer version, counts as a
    failure so the schedule backs off)."""
    if value is None:
        return None
    try:
        return SyncOutcome(value)
    except ValueError:
        return SyncOutcome.FAILED


def save_status(data_dir: Path, status: SyncStatus) -> None:
    data = json.dumps(asdict(status), indent=1, ensure_ascii=False).encode("utf-8")
    write_file(status_file(data_dir), data)


def now_iso(now: dt.datetime) -> str:
    return now.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
