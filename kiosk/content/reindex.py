"""Keeping the search index in step with the store outside imports (a new analyser version)."""

from __future__ import annotations

from kiosk.content import index
from kiosk.content.store import ContentStore


def ensure_index(store: ContentStore) -> bool:
    """Rebuild the index if it was made by another analyser version (or never); True if so."""
    with store.engine.connect() as conn:
        if index.is_current(conn):
            return False
    with store.engine.execution_options(immediate=True).begin() as conn:
        if index.is_current(conn):
            return False
        index.rebuild(conn)
    return True
