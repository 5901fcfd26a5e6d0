"""A crash at any moment of an import leaves exactly the old content or exactly the new."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import DB_NAME, ContentStore

from .conftest import EXAMPLE

pytestmark = pytest.mark.slow

ITEMS = 1500
OLD = "revision 1, titles ['Old'], 1502 items"
NEW = "revision 2, titles ['New'], 1503 items"
CHILD = """
import sys
from pathlib import Path
from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
source = load_source(Path(sys.argv[1]))
store = ContentStore(Path(sys.argv[2]))
print("loaded", flush=True)
import_source(store, source)
"""


def _source(folder: Path, label: str, extra: int = 0) -> Path:
    shutil.copytree(EXAMPLE, folder)
    for number in range(ITEMS + extra):
        item = folder / "items" / "bulk" / f"n{number}"
        item.mkdir(parents=True)
        (item / "item.toml").write_text(
            f'id = "n{number}"\nkind = "notice"\ncategory = "services"\ngates = ["*"]\n'
        )
        (item / "en.md").write_text(f'+++\ntitle = "{label} {number}"\n+++\n{label} body.\n')
    # A changed category name: the structure is replaced too.
    categories = folder / "categories.toml"
    categories.write_text(categories.read_text().replace("Essential services", f"{label} services"))
    return folder


def _state(data_dir: Path) -> str:
    with closing(sqlite3.connect(data_dir / DB_NAME)) as conn:  # closed, not only committed
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        revision = conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
        labels = {
            row[0].split()[0]
            for row in conn.execute(
                "SELECT title FROM translation WHERE item_id LIKE 'n%' UNION "
                "SELECT name FROM category_name WHERE category_id = 'services' AND lang = 'en'"
            )
        }
        items = conn.execute("SELECT count(*) FROM item").fetchone()[0]
    return f"revision {revision}, titles {sorted(labels)}, {items} items"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("crash")
    old, new = _source(root / "old", "Old"), _source(root / "new", "New", extra=1)
    pristine = root / "pristine"
    store = ContentStore(pristine)
    import_source(store, load_source(old))
    store.close()
    assert _state(pristine) == OLD
    return pristine, new


def _start(new: Path, data_dir: Path, pristine: Path, crash_at: str = "") -> subprocess.Popen:
    shutil.copytree(pristine, data_dir)
    env = {**os.environ, "KIOSK_CRASH_AT": crash_at}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(new), str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ("import:blobs-written", OLD),
        ("import:structure-replaced", OLD),
        ("import:items-deleted", OLD),
        ("import:items-inserted", OLD),
        ("import:indexed", OLD),
        ("import:before-commit", OLD),
        ("import:after-commit", NEW),
    ],
)
def test_crash_at_each_step(
    sources: tuple[Path, Path], tmp_path: Path, point: str, expected: str
) -> None:
    pristine, new = sources
    child = _start(new, tmp_path / "data", pristine, point)
    child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert _state(tmp_path / "data") == expected


def test_killing_an_import_at_random_moments_never_mixes(
    sources: tuple[Path, Path], tmp_path: Path
) -> None:
    pristine, new = sources
    rng = random.Random(7)
    for trial in range(10):
        child = _start(new, tmp_path / f"trial{trial}", pristine)
        assert child.stdout is not None and child.stdout.readline().strip() == "loaded"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert _state(tmp_path / f"trial{trial}") in (OLD, NEW)
