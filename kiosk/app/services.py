"""The services the kiosk application runs on, opened once: the content store and its search,
the admin database with its settings, PINs and audit log, the usage recorder, the content
clock.

The interface receives them ready made and opens no database itself. A tour of the screens
gets the same services except that nothing reaches the data folder: an admin database in
memory with a pepper held in memory, and a recorder that counts nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from kiosk.admin.audit import AuditLog
from kiosk.admin.db import DB_NAME as ADMIN_DB
from kiosk.admin.db import open_admin, open_admin_in_memory
from kiosk.admin.pins import PinStore
from kiosk.admin.settings import Settings, load_settings
from kiosk.analytics.counters import UsageCounters
from kiosk.analytics.recorder import NullRecorder, Recorder, UsageRecorder
from kiosk.app.clock import content_today
from kiosk.content.store import ContentStore
from kiosk.db import open_read_only_engine
from kiosk.search.engine import SearchEngine
from kiosk.storage import first_line

log = logging.getLogger("kiosk.app")


@dataclass(frozen=True)
class Services:
    store: ContentStore
    search: SearchEngine
    admin_db: Engine  # PINs, lockout counters, audit log, settings
    settings: Settings  # as saved when the services were opened
    pins: PinStore
    audit: AuditLog
    usage: Recorder
    today: Callable[[], dt.date]  # the day that decides what content is valid


def open_services(store: ContentStore, *, today: Callable[[], dt.date] | None = None) -> Services:
    """The kiosk's services on the data folder of ``store``. ``today``: the content clock
    (default: the machine's date unless it is earlier than the verified content's).

    On a store opened read-only (a data folder the kiosk cannot write) the admin database is
    only read too: the PINs there still open staff access (failed attempts are counted in
    memory), saving says it did not; and no usage is counted."""
    if store.read_only:
        return _read_only_services(store, today)
    engine = open_admin(store.data_dir)
    settings = load_settings(engine)
    counters = UsageCounters(store.data_dir, k=settings.search_k)
    counters.compact()
    return Services(
        store=store,
        search=SearchEngine(store),
        admin_db=engine,
        settings=settings,
        pins=PinStore(engine, store.data_dir / "admin"),
        audit=AuditLog(engine),
        usage=UsageRecorder(counters),
        today=today or (lambda: content_today(store)),
    )


def _read_only_services(store: ContentStore, today: Callable[[], dt.date] | None) -> Services:
    folder = store.data_dir / "admin"
    engine = None
    if (folder / ADMIN_DB).is_file():
        engine = open_read_only_engine(folder / ADMIN_DB)
        try:
            settings = load_settings(engine)
        except (SQLAlchemyError, sqlite3.Error) as exc:
            log.error("the admin database cannot be read: %s", first_line(exc))
            engine.dispose()
            engine = None
    if engine is None:  # none to read: no PIN is set, the default settings apply
        engine = open_admin_in_memory()
        settings = Settings()
    try:
        pepper = (folder / "pepper").read_bytes()
    except OSError:  # without its pepper no stored PIN can match; nothing to protect then
        pepper = secrets.token_bytes(32)
    return Services(
        store=store,
        search=SearchEngine(store),
        admin_db=engine,
        settings=settings,
        pins=PinStore(engine, None, pepper=pepper),
        audit=AuditLog(engine),
        usage=NullRecorder(),
        today=today or (lambda: content_today(store)),
    )


def tour_services(store: ContentStore, today: Callable[[], dt.date]) -> Services:
    """Services for a tour of the screens that leave the data folder as they found it: the
    default settings (every gate, every language), nothing counted, no admin file or pepper."""
    engine = open_admin_in_memory()
    return Services(
        store=store,
        search=SearchEngine(store),
        admin_db=engine,
        settings=Settings(),
        pins=PinStore(engine, None, pepper=secrets.token_bytes(32)),
        audit=AuditLog(engine),
        usage=NullRecorder(),
        today=today,
    )
