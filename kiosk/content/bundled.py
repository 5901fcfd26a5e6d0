"""The default content shipped in ``data/``: imported into an empty store on first run."""

from __future__ import annotations

import subprocess
import sys

from kiosk.content.importer import ImportReport, import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
from kiosk.paths import REPO_ROOT, bundled_content_dir


def ensure_content(store: ContentStore) -> ImportReport | None:
    """Import the bundled content if the store holds none yet; return what was imported."""
    if not store.is_empty():
        return None
    return import_source(store, load_source(bundled_content_dir()))


def ensure_content_apart(store: ContentStore) -> bool:
    """Like :func:`ensure_content`, but the import runs in a child process: a kiosk that runs
    for weeks does not keep the memory an import of the whole source took. True if imported."""
    if not store.is_empty():
        return False
    subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "content", "import", str(bundled_content_dir()),
         "--data-dir", str(store.data_dir)],
        check=True, capture_output=True, cwd=REPO_ROOT,
    )  # fmt: skip
    return True
