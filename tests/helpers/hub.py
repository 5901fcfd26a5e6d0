"""A hub to test against: its database on SQLite and PostgreSQL, a live server on loopback,
and the figures and heartbeats a kiosk sends."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine

from kiosk.analytics.counters import UsageCounters
from kiosk.analytics.recorder import UsageRecorder
from kiosk.hub.db import open_hub_db
from kiosk.hub.service import create_app

from ..pgserver import postgresql

DAY = dt.datetime(2026, 3, 14, 10, tzinfo=dt.UTC)
HEAD = "ab" * 32


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        made = open_hub_db(f"sqlite:///{tmp_path / 'hub.db'}")
        yield made
        made.dispose()
        return
    with postgresql() as url:
        made = open_hub_db(url)
        yield made
        made.dispose()


def kiosk_counters(folder: Path, sessions: int) -> UsageCounters:
    """A kiosk with ``sessions`` sessions on 14 March: all read e-visa, most searched."""
    counters = UsageCounters(folder)
    for n in range(sessions):
        recorder = UsageRecorder(counters, clock=lambda n=n: DAY + dt.timedelta(minutes=n))
        recorder.session_started()
        recorder.language_chosen("ko")
        recorder.item_opened("evisa", "ko")
        recorder.searched("ko", "비자 연장", results=0)
        if n == 0:
            recorder.item_opened("rare-item", "ko")  # one session only: never leaves
        recorder.session_ended()
    return counters


def heartbeat(kiosk_id: str, outcome: str = "ok") -> dict[str, object]:
    return {
        "schema_version": 1, "kiosk_id": kiosk_id, "version": "0.1.0", "gate": "noi-bai",
        "revisions": {"national": 3}, "content_revision": 7, "last_sync": "2026-03-14T09:00:00Z",
        "last_outcome": outcome, "disk_free": 10**10, "audit_head": HEAD,
    }  # fmt: skip


class LiveHub:
    """The hub's web service on 127.0.0.1:``port`` while the ``with`` block runs."""

    def __init__(self, engine: Engine, port: int) -> None:
        self.server = uvicorn.Server(
            uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="error")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> LiveHub:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
