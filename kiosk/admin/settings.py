"""The kiosk's own settings, changed from the maintenance panel: gate profile, offered
languages, idle timeouts, feed. Persisted in the admin database; the window applies them
live when they change."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sqlalchemy import Engine, delete, insert, select

from kiosk.admin.db import settings as table

MIN_IDLE, MAX_IDLE = 20, 600
MIN_STAFF_IDLE, MAX_STAFF_IDLE = 120, 3600


class SettingRefused(ValueError):
    """A value the setting cannot take; the message says the allowed range."""


@dataclass
class Settings:
    gate: str | None = None  # None: the gate given on the command line, or the first one
    languages: list[str] = field(default_factory=list)  # empty: every language of the gate
    idle_seconds: int = 90
    staff_idle_seconds: int = 900
    feed: str | None = None
    search_k: int = 5  # sessions that must type a search before it may leave the kiosk

    def check(self) -> None:
        if self.search_k < 3:
            raise SettingRefused("search terms need at least 3 different sessions (search_k)")
        if not MIN_IDLE <= self.idle_seconds <= MAX_IDLE:
            raise SettingRefused(
                f"the idle timeout must be between {MIN_IDLE} and {MAX_IDLE} seconds"
            )
        if not MIN_STAFF_IDLE <= self.staff_idle_seconds <= MAX_STAFF_IDLE:
            raise SettingRefused(
                f"the staff timeout must be between {MIN_STAFF_IDLE} and {MAX_STAFF_IDLE} seconds"
            )


def load_settings(engine: Engine) -> Settings:
    with engine.connect() as conn:
        stored: dict[str, Any] = {
            key: json.loads(value)
            for key, value in conn.execute(select(table.c.key, table.c.value))
        }
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in stored.items() if k in known})


def save_settings(engine: Engine, values: Settings) -> None:
    values.check()
    rows = [{"key": k, "value": json.dumps(v)} for k, v in asdict(values).items()]
    with engine.execution_options(immediate=True).begin() as conn:
        conn.execute(delete(table))
        conn.execute(insert(table), rows)
