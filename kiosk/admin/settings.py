"""The kiosk's own settings, changed from the maintenance panel: gate profile, offered
languages, idle timeouts, feed. Persisted in the admin database; the window applies them
live when they change. What each may be is declared in :mod:`kiosk.options`, and a value is
checked by the same rule when it is saved and when it is loaded."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from kiosk.admin.db import DB_NAME, open_admin
from kiosk.admin.db import settings as table
from kiosk.options import (
    MAX_IDLE,
    MAX_STAFF_IDLE,
    MIN_IDLE,
    MIN_STAFF_IDLE,
    STORED,
    SettingRefused,
)

__all__ = [
    "MAX_IDLE", "MAX_STAFF_IDLE", "MIN_IDLE", "MIN_STAFF_IDLE", "SettingRefused", "Settings",
    "load_settings", "read_settings", "save_settings",
]  # fmt: skip
log = logging.getLogger("kiosk.admin")


@dataclass
class Settings:
    gate: str | None = None  # None: the gate given on the command line, or the first one
    languages: list[str] = field(default_factory=list)  # empty: every language of the gate
    idle_seconds: int = STORED["idle_seconds"].default
    staff_idle_seconds: int = STORED["staff_idle_seconds"].default
    feed: str | None = None
    search_k: int = STORED["search_k"].default  # sessions that must type a search first

    def check(self) -> None:
        for name in STORED:
            STORED[name].validate(getattr(self, name))


def load_settings(engine: Engine) -> Settings:
    """The stored settings; a stored value its setting cannot take (hand-edited, or saved by
    another version) is logged in one sentence and the default used instead."""
    with engine.connect() as conn:
        stored: dict[str, str] = {
            key: value for key, value in conn.execute(select(table.c.key, table.c.value))
        }
    values: dict[str, Any] = {}
    for name, raw in stored.items():
        option = STORED.get(name)
        if option is None:
            continue  # a setting this version no longer has
        try:
            values[name] = option.validate(json.loads(raw))
        except (ValueError, TypeError) as exc:  # SettingRefused, or not JSON at all
            reason = exc if isinstance(exc, SettingRefused) else "it is not a readable value"
            log.error(
                "The stored setting %s (%s) is not used: %s; the default (%s) applies until "
                "the settings are saved again in the maintenance panel.",
                name, raw[:80], reason, option.shown_default(),
            )  # fmt: skip
    return Settings(**values)


def read_settings(data_dir: Path) -> Settings:
    """The stored settings of a data folder, without creating the admin database (commands
    that only read them, on a kiosk that may never have stored any)."""
    path = data_dir / "admin" / DB_NAME
    if not path.is_file():
        return Settings()
    try:
        engine = open_admin(data_dir)
        try:
            return load_settings(engine)
        finally:
            engine.dispose()
    except (OSError, SQLAlchemyError) as exc:
        log.error(
            "The stored settings in %s cannot be read (%s); the defaults apply.",
            path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        )  # fmt: skip
        return Settings()


def save_settings(engine: Engine, values: Settings) -> None:
    values.check()
    rows = [{"key": k, "value": json.dumps(v)} for k, v in asdict(values).items()]
    with engine.execution_options(immediate=True).begin() as conn:
        conn.execute(delete(table))
        conn.execute(insert(table), rows)
