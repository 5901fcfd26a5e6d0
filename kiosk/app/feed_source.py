"""Which feed to sync from, decided in one place for the kiosk application and ``kiosk sync``.

The order is the same everywhere: the command line (or the panel's USB import, or a caller that
names one), then ``KIOSK_FEED``, then the stored setting, then the feed the last sync used
(kept in the sync status, so a kiosk set up once with ``kiosk sync --feed`` keeps syncing).
"""

from __future__ import annotations

from pathlib import Path

from kiosk.admin.settings import read_settings
from kiosk.options import from_environment
from kiosk.sync import status as st


def resolve_feed(data_dir: Path, given: str | None = None) -> str | None:
    """The feed to use, or None when none is known anywhere."""
    if given:
        return given  # checked by the sync itself, which names what is wrong with it
    return (
        from_environment("feed")
        or read_settings(data_dir).feed
        or st.load_status(data_dir).feed
        or None
    )
