"""The services the kiosk application runs on, opened once: the content store and its search,
the admin database with its settings, PINs and audit log, the usage recorder, the content
clock.

The interface receives them ready made and opens no database itself. A tour of the screens
gets the same services except that nothing reaches the data folder: an admin database in
memory with a pepper held in memory, and a recorder that counts nothing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from kiosk.admin.audit import AuditLog
from kiosk.admin.db import open_admin, open_admin_in_memory
from kiosk.admin.pins import PinStore
from kiosk.admin.settings import Settings, load_settings
from kiosk.analytics.counters import UsageCounters
from kiosk.analytics.recorder import NullRecorder, Recorder, UsageRecorder
from kiosk.app.clock import content_today
from kiosk.content.store import ContentStore
from kiosk.search.engine import SearchEngine


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
    (default: the machine's date unless it is earlier than the verified content's)."""
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
