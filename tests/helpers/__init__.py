"""What the tests share: driving the window (``ui``), a hub to talk to (``hub``), content of a
given shape (``content``). Test modules import from here, never from one another."""

from .content import noisy
from .hub import DAY, HEAD, LiveHub, heartbeat, kiosk_counters
from .ui import (
    ADMIN,
    STAFF,
    Clock,
    actions,
    admin_of,
    assert_stays,
    close_window,
    corner_taps,
    enter,
    enter_pin,
    kiosk_of,
    open_item,
    open_item_by_tap,
    open_panel,
    page_text,
    shown,
    tap,
    wait_for_facts,
)

__all__ = [
    "ADMIN",
    "DAY",
    "HEAD",
    "STAFF",
    "Clock",
    "LiveHub",
    "actions",
    "admin_of",
    "assert_stays",
    "close_window",
    "corner_taps",
    "enter",
    "enter_pin",
    "heartbeat",
    "kiosk_counters",
    "kiosk_of",
    "noisy",
    "open_item",
    "open_item_by_tap",
    "open_panel",
    "page_text",
    "shown",
    "tap",
    "wait_for_facts",
]
