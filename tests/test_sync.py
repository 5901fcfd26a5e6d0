"""Publishing and syncing as an operator would: a fresh kiosk, a change, a province, keys."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.feed.keys import KeyRing, rotate_key
from kiosk.feed.publish import PublishRefused
from kiosk.sync import status as st

from .feedkit import FeedLab, now


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[FeedLab]:
    made = FeedLab(tmp_path)
    yield made
    made.close()


def test_fresh_kiosk_takes_the_snapshot_then_only_the_change(lab: FeedLab) -> None:
    lab.add_items(20)
    lab.publish()
    first = lab.sync()
    assert first.last_outcome == st.OK, first.last_error
    assert lab.titles()["evisa"] == "Electronic visa (e-visa)"
    assert len(lab.titles()) == 22
    assert first.revisions == {"national": 1}

    lab.set_title("E-visa, updated")
    report = lab.publish()
    assert report.changed == ["evisa"] and report.revision == 2
    second = lab.sync()
    assert second.last_outcome == st.OK, second.last_error
    assert lab.titles()["evisa"] == "E-visa, updated"
    # A fresh kiosk takes the snapshot; an up-to-date one only the delta with one item.
    assert first.packs == ["national/snap-000001.ndjson.gz"]
    assert second.packs == ["national/delta-000001-000002.ndjson.gz"]
    third = lab.sync()
    assert third.last_outcome == st.CURRENT


def test_search_finds_the_synced_change_and_forgets_the_old_title(lab: FeedLab) -> None:
    from kiosk.search.engine import SearchEngine

    lab.add_items(10)
    lab.set_title("Quokka permit")
    lab.publish()
    lab.sync()
    engine = SearchEngine(lab.store)
    assert [h.item_id for h in engine.search("quokka", "en", gate_id="noi-bai").hits] == ["evisa"]
    lab.set_title("Zebrafish permit")
    lab.publish()
    assert lab.sync().packs == ["national/delta-000001-000002.ndjson.gz"]
    hits = engine.search("zebrafish", "en", gate_id="noi-bai").hits
    assert [h.item_id for h in hits] == ["evisa"]
    assert engine.search("quokka", "en", gate_id="noi-bai").hits == []


def test_removed_items_disappear_and_media_arrive(lab: FeedLab) -> None:
    lab.add_items(3)
    lab.publish()
    lab.sync()
    shutil.rmtree(lab.source / "items" / "generated" / "extra-1")
    lab.publish()
    status = lab.sync()
    assert status.last_outcome == st.OK
    assert "extra-1" not in lab.titles() and "extra-2" in lab.titles()
    with lab.store.engine.connect() as conn:
        shas = [r[0] for r in conn.exec_driver_sql("SELECT sha256 FROM media").all()]
    assert shas and all(lab.store.blobs.has(sha) for sha in shas)
    # The removed item's image stays a week (a screen may still show it), then goes.
    gone = next(p for p in lab.store.blobs.root.glob("sha256/*/*") if p.name not in shas)
    assert lab.sync().last_outcome == st.CURRENT and gone.exists()
    os.utime(gone, (time.time() - 8 * 86400, time.time() - 8 * 86400))
    assert lab.sync().last_outcome == st.CURRENT and not gone.exists()
    assert all(lab.store.blobs.has(sha) for sha in shas)


def test_a_full_disk_stops_the_sync_before_downloading(
    lab: FeedLab, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collections import namedtuple

    lab.publish()
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(
        "kiosk.sync.client.shutil.disk_usage", lambda _path: usage(10**9, 10**9 - 10**6, 10**6)
    )
    status = lab.sync()
    assert status.last_outcome == st.DISK
    assert "MB needed, 1 MB free" in (status.last_error or "")
    assert lab.titles() == {}
    monkeypatch.undo()
    assert lab.sync().last_outcome == st.OK


def test_province_publishes_its_own_items_next_to_national_ones(lab: FeedLab) -> None:
    lab.publish()
    lab.publish(lab.province_source(item={"gates": ["mong-cai"]}))
    status = lab.sync()
    assert status.last_outcome == st.OK, status.last_error
    assert status.revisions == {"national": 1, "province-quang-ninh": 1}
    assert lab.titles()["mong-cai-market"] == "Mong Cai border market"
    assert lab.store.item_channels()["mong-cai-market"] == "province-quang-ninh"
    # A kiosk at Noi Bai (Ha Noi) does not take Quang Ninh's channel.
    other = FeedLab(lab.root / "other")
    try:
        other.feed = lab.feed
        install_from = lab.keys / "root.json"
        from kiosk.sync.trust import install_root

        install_root(other.kiosk, install_from)
        assert other.sync(gate="noi-bai").revisions == {"national": 1}
    finally:
        other.close()


def test_publisher_refuses_what_a_province_may_not_sign(lab: FeedLab) -> None:
    with pytest.raises(PublishRefused, match="outside province"):
        lab.publish(lab.province_source(item={"gates": ["noi-bai"]}))
    with pytest.raises(PublishRefused, match="outside province"):
        lab.publish(lab.province_source(item={"gates": ["*"]}))


@pytest.mark.parametrize("role", ["timestamp", "snapshot", "targets", "national", "root"])
def test_key_rotation_keeps_kiosks_syncing(lab: FeedLab, role: str) -> None:
    lab.publish()
    assert lab.sync().last_outcome == st.OK
    rotate_key(KeyRing(lab.keys), role, now=now())
    lab.set_title(f"After rotating {role}")
    lab.publish()
    status = lab.sync()
    assert status.last_outcome == st.OK, status.last_error
    assert lab.titles()["evisa"] == f"After rotating {role}"


def test_a_revoked_national_key_can_no_longer_sign(lab: FeedLab) -> None:
    lab.publish()
    lab.sync()
    stolen = KeyRing(lab.keys).signer("national")
    rotate_key(KeyRing(lab.keys), "national", now=now())
    lab.publish()  # the targets role now delegates to the new key only
    assert lab.sync().last_outcome in (st.OK, st.CURRENT)
    pack = lab.repository().target_bytes("national", lab.manifest()["snapshot"]["path"])
    assert pack is not None
    lab.resign_channel("national", {"x.ndjson.gz": pack}, signer=stolen)
    status = lab.sync()
    assert status.last_outcome == st.REJECTED
    assert "national" in (status.last_error or "")
    assert lab.titles()["evisa"] == "Electronic visa (e-visa)"


def test_only_the_changed_translation_is_analysed_again(lab: FeedLab, tmp_path: Path) -> None:
    from kiosk.content.importer import import_source
    from kiosk.content.source import load_source
    from kiosk.content.store import ContentStore

    lab.add_items(12)
    store = ContentStore(tmp_path / "plain")
    try:
        first = import_source(store, load_source(lab.source))
        assert first.reindexed == 16  # every translation, the first time
        lab.set_title("Visa before you fly", lang="vi")
        second = import_source(store, load_source(lab.source))
        assert second.changed == ["evisa"] and second.reindexed == 1
        from kiosk.search.engine import SearchEngine

        hits = SearchEngine(store).search("fly", "vi", gate_id="noi-bai").hits
        assert [h.item_id for h in hits] == ["evisa"]
    finally:
        store.close()
