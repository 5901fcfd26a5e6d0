"""The default content shipped in ``data/``: imported into an empty store on first run."""

from __future__ import annotations

from kiosk.content.importer import ImportReport, import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
from kiosk.paths import bundled_content_dir


def ensure_content(store: ContentStore) -> ImportReport | None:
    """Import the bundled content if the store holds none yet; return what was imported."""
    if not store.is_empty():
        return None
    return import_source(store, load_source(bundled_content_dir()))
