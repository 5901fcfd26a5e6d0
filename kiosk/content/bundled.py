"""The default content shipped in ``data/``: imported into an empty store on first run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kiosk.content.importer import ImportReport, import_source
from kiosk.content.source import load_source
from kiosk.content.store import DB_NAME, ContentStore
from kiosk.paths import REPO_ROOT, bundled_content_dir


class FirstImportFailed(Exception):
    """The child process importing the bundled content failed; ``str()`` says why."""


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
    import_bundled_apart(store.data_dir)
    return True


def content_missing(data_dir: Path) -> bool:
    """True before the first start: no content database in ``data_dir`` yet."""
    return not (data_dir / DB_NAME).exists()


def import_bundled_apart(data_dir: Path) -> None:
    """Import the bundled content into ``data_dir`` in a child process. Called before the
    kiosk opens a store that does not exist yet, the child also creates the schema, so the
    long-running process never loads the migration machinery."""
    done = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "content", "import", str(bundled_content_dir()),
         "--data-dir", str(data_dir)],
        capture_output=True, cwd=REPO_ROOT,
    )  # fmt: skip
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FirstImportFailed(
            f"the bundled content could not be imported (exit status {done.returncode}: "
            f"{said[-1] if said else 'nothing said'})"
        )
