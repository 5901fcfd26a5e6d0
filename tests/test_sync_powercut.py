"""A power cut at any moment of a sync leaves exactly the old revision or exactly the new one.

The syncing process is killed with SIGKILL at 34 distinct points of download and apply (each
chunk of a pack, each media blob, each step of the transaction …); the store then opens with
the old or the new content, never a mix, and the next sync completes the update.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.content.store import DB_NAME, ContentStore
from kiosk.sync import status as st
from kiosk.sync.client import SyncOptions, sync_once

from .feedkit import FeedLab
from .feedserver import StaticServer
from .helpers.content import noisy

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent

POINTS = [
    "sync:refreshed",
    "sync:manifest#1",
    "sync:manifest#2",
    *(f"sync:chunk#{n}" for n in range(1, 6)),
    "sync:pack-downloaded#1",
    "sync:pack-downloaded#2",
    "sync:packs-read",
    *(f"sync:blob-stored#{n}" for n in range(1, 13)),
    "import:structure-replaced",
    "import:items-deleted",
    "import:items-inserted#1",
    "import:items-inserted#2",
    "import:indexed#1",
    "import:indexed#2",
    "import:before-commit",
    "import:after-commit",
    "sync:applied",
    "sync:staging-cleaned",
    "sync:status-written",
]


def fingerprint(folder: Path) -> str:
    """Everything a traveller could see, hashed: texts, categories, media, revisions."""
    with closing(sqlite3.connect(folder / DB_NAME)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
        rows = [
            conn.execute(
                "SELECT item_id, lang, title, summary, body_html FROM translation ORDER BY 1, 2"
            ).fetchall(),
            conn.execute("SELECT * FROM category_name ORDER BY 1, 2").fetchall(),
            conn.execute("SELECT item_id, sha256 FROM media ORDER BY 1, 2").fetchall(),
            conn.execute(
                "SELECT key, value FROM meta WHERE key LIKE 'channel:%' ORDER BY 1"
            ).fetchall(),
        ]
        missing = [
            sha for (_item, sha) in rows[2]
            if not (folder / "blobs" / "sha256" / sha[:2] / sha).is_file()
        ]  # fmt: skip
    assert not missing, "a stored item refers to a media blob that is not there"
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FeedLab, str, Path]]:
    root = tmp_path_factory.mktemp("powercut")
    lab = FeedLab(root)
    noisy(lab, range(40), seed=1)
    lab.publish()
    province = lab.province_source(item={"gates": ["mong-cai"]})
    lab.publish(province)
    with StaticServer(lab.feed) as server:
        assert lab.sync(feed=server.url).last_outcome == st.OK
        lab.close()
        baseline = root / "baseline"
        shutil.copytree(lab.kiosk, baseline)
        # Revision 2: changed texts (a delta of several chunks), twelve new media files, a
        # renamed category, a removed item, and a provincial change.
        noisy(lab, range(20), seed=2)
        lab.add_items(12, prefix="fresh")
        categories = lab.source / "categories.toml"
        categories.write_text(
            categories.read_text(encoding="utf-8").replace("Visas", "Visas and permits"),
            encoding="utf-8",
        )
        shutil.rmtree(lab.source / "items" / "noisy" / "noisy-39")
        lab.publish()
        md = province / "items" / "mong-cai-market" / "en.md"
        md.write_text(md.read_text(encoding="utf-8").replace("Open daily", "Open 7-17"))
        lab.publish(province)
        yield lab, server.url, baseline


@pytest.fixture(scope="module")
def old_and_new(world: tuple[FeedLab, str, Path], tmp_path_factory: pytest.TempPathFactory):
    _lab, url, baseline = world
    reference = tmp_path_factory.mktemp("reference") / "kiosk"
    shutil.copytree(baseline, reference)
    store = ContentStore(reference)
    try:
        assert sync_once(store, SyncOptions(feed=url)).last_outcome == st.OK
    finally:
        store.close()
    old, new = fingerprint(baseline), fingerprint(reference)
    assert old != new
    return old, new


@pytest.mark.parametrize("point", POINTS)
def test_a_power_cut_leaves_the_old_or_the_new_revision(
    world: tuple[FeedLab, str, Path], old_and_new: tuple[str, str], point: str, tmp_path: Path
) -> None:
    _lab, url, baseline = world
    old, new = old_and_new
    kiosk = tmp_path / "kiosk"
    shutil.copytree(baseline, kiosk)
    run = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "sync", "--once", "--feed", url,
         "--data-dir", str(kiosk)],
        env={**os.environ, "KIOSK_CRASH_AT": point, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=180, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == -9, f"the sync never reached {point}: {run.stdout}{run.stderr}"
    assert fingerprint(kiosk) in (old, new)
    # The kiosk comes back and finishes the update (resuming what it had downloaded).
    store = ContentStore(kiosk)
    try:
        assert st.load_status(kiosk).last_outcome in (st.INTERRUPTED, None, st.OK, st.CURRENT)
        status = sync_once(store, SyncOptions(feed=url))
        assert status.last_outcome in (st.OK, st.CURRENT), status.last_error
    finally:
        store.close()
    assert fingerprint(kiosk) == new
