"""Every feed attack of SPEC §7 is refused with a reason, and the kiosk keeps its content."""

from __future__ import annotations

import dataclasses
import datetime as dt
import fcntl
import gzip
import json
import random
import re
import shutil
import sqlite3
import string
import tarfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from kiosk.content.source import load_source
from kiosk.content.store import DB_NAME
from kiosk.feed.keys import KeyRing, init_keys
from kiosk.feed.packs import Pack, write_pack
from kiosk.sync import status as st
from kiosk.sync.status import SyncStatus

from .feedkit import FeedLab, now


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[FeedLab]:
    made = FeedLab(tmp_path)
    made.add_items(6)
    made.publish()
    made.publish(made.province_source(item={"gates": ["mong-cai"]}))
    first = made.sync()
    assert first.last_outcome == st.OK, first.last_error
    yield made
    made.close()


def refused(lab: FeedLab, before: tuple[object, ...], status: SyncStatus, outcome: str, why: str):
    """The sync said why it refused, and nothing a traveller sees changed."""
    assert status.last_outcome == outcome, status.last_error
    assert re.search(why, status.last_error or ""), status.last_error
    assert lab.state() == before
    with closing(sqlite3.connect(lab.kiosk / DB_NAME)) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    assert not list((lab.kiosk / "sync" / "staging").glob("partial/*.part"))


def test_rollback_to_an_older_feed_is_refused(lab: FeedLab) -> None:
    old = lab.root / "old-feed"
    shutil.copytree(lab.feed, old)
    lab.set_title("Newer")
    lab.publish()
    assert lab.sync().last_outcome == st.OK
    before = lab.state()
    status = lab.sync(feed=old)
    refused(lab, before, status, st.REJECTED, "go back in time")


def test_rollback_of_content_signed_by_a_key_holder_is_refused(lab: FeedLab) -> None:
    first = lab.manifest()
    old_pack = lab.repository().target_bytes("national", first["snapshot"]["path"])
    assert old_pack is not None
    lab.set_title("Newer")
    lab.publish()
    lab.sync()
    before = lab.state()
    lab.resign_channel(
        "national", {"snap-000001.ndjson.gz": old_pack}, manifest={**first, "deltas": []}
    )
    refused(lab, before, lab.sync(), st.REJECTED, "rollback: national revision 1 is older")


def test_frozen_feed_with_expired_metadata_is_refused(lab: FeedLab) -> None:
    before = lab.state()
    lab.set_title("Signed long ago")
    lab.publish(when=now() - dt.timedelta(days=8))  # timestamp lives 7 days
    refused(lab, before, lab.sync(), st.EXPIRED, "expired")


def test_a_clock_far_ahead_sees_the_feed_expired_not_valid(lab: FeedLab) -> None:
    # Metadata signed 400 days before "now" is what a kiosk whose clock runs 400 days
    # ahead sees: it must not accept it.
    before = lab.state()
    lab.set_title("Stale")
    lab.publish(when=now() - dt.timedelta(days=400))
    refused(lab, before, lab.sync(), st.EXPIRED, "expired")


def test_a_clock_behind_what_was_already_verified_stops_sync(lab: FeedLab) -> None:
    floor = (now() + dt.timedelta(days=2)).isoformat()
    with lab.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE meta SET value = ? WHERE key = 'sync:time_floor'", (floor,))
    before = lab.state()
    lab.set_title("Anything")
    lab.publish()
    refused(lab, before, lab.sync(), st.CLOCK, "set the clock")


def test_mix_and_match_of_metadata_is_refused(lab: FeedLab) -> None:
    lab.set_title("Newer")
    lab.publish()
    meta = lab.feed / "metadata"
    newest = max(int(p.name.split(".")[0]) for p in meta.glob("*.snapshot.json"))
    shutil.copy(meta / f"{newest - 1}.snapshot.json", meta / f"{newest}.snapshot.json")
    before = lab.state()
    refused(lab, before, lab.sync(), st.REJECTED, "do not fit together")


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        ("flip", "does not match its signed length and hash"),
        ("append", "longer than its signed length"),
    ],
)
def test_a_tampered_pack_is_refused(lab: FeedLab, tamper: str, why: str) -> None:
    lab.set_title("Newer")
    lab.publish()
    delta = next((lab.feed / "targets" / "national").glob("*.delta-000001-000002.ndjson.gz"))
    data = bytearray(delta.read_bytes())
    if tamper == "flip":
        data[len(data) // 2] ^= 0xFF
    else:
        data += b"x"
    delta.write_bytes(bytes(data))
    before = lab.state()
    refused(lab, before, lab.sync(), st.REJECTED, why)


def test_a_tampered_media_blob_is_refused_and_not_stored(lab: FeedLab) -> None:
    lab.add_items(1, prefix="fresh")
    lab.publish()
    fresh = next(i for i in load_source(lab.source).items if i.id == "fresh-0")
    sha = fresh.media["media/m.svg"].sha256
    blob = next((lab.feed / "blobs" / "sha256" / sha[:2]).glob(f"{sha}*"))
    blob.write_bytes(gzip.compress(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    before = lab.state()
    status = lab.sync()
    refused(lab, before, status, st.REJECTED, "media blob .* does not match")
    assert not lab.store.blobs.has(sha)


def test_metadata_signed_by_a_role_not_trusted_for_the_path_is_refused(lab: FeedLab) -> None:
    # A province key signs the national channel's targets.
    province = KeyRing(lab.keys).signer("province-quang-ninh")
    pack = write_pack(Pack("national", 0, 2, None, [], ["evisa"]))
    before = lab.state()
    lab.resign_channel("national", {"evil.ndjson.gz": pack}, signer=province)
    refused(lab, before, lab.sync(), st.REJECTED, "national was signed by 0/1 keys")


def _province_pack(lab: FeedLab, **changes: object) -> None:
    source = load_source(lab.province_source(item={"id": "market-2", "gates": ["mong-cai"]}))
    item = dataclasses.replace(source.items[0], **changes)
    if "id" in changes:
        item.translations = source.items[0].translations
    lab.publish_pack(
        write_pack(Pack("province-quang-ninh", 0, 2, None, [item])), "province-quang-ninh"
    )


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"sensitive": True}, "sensitive and only the national role may sign it"),
        ({"gates": ["noi-bai"]}, "gate 'noi-bai', outside province 'quang-ninh'"),
        ({"gates": ["*"]}, "gate '\\*', outside province"),
        ({"id": "evisa"}, "item 'evisa' belongs to channel 'national'"),
        ({"category": "nowhere"}, "unknown category 'nowhere'"),
    ],
)
def test_a_province_cannot_publish_beyond_its_authority(
    lab: FeedLab, changes: dict[str, object], why: str
) -> None:
    before = lab.state()
    _province_pack(lab, **changes)
    refused(lab, before, lab.sync(), st.REJECTED, why)


def test_a_province_cannot_redefine_gates(lab: FeedLab) -> None:
    structure = load_source(lab.source).structure
    before = lab.state()
    lab.publish_pack(
        write_pack(Pack("province-quang-ninh", 0, 2, structure, [])), "province-quang-ninh"
    )
    refused(lab, before, lab.sync(), st.REJECTED, "only the national channel may define")


@pytest.mark.parametrize(
    "path", ["national/../../etc/passwd", "national/%2e%2e/x", "province-quang-ninh/x", "/etc/x"]
)
def test_manifest_paths_that_escape_their_channel_are_refused(lab: FeedLab, path: str) -> None:
    manifest = lab.manifest()
    manifest = {**manifest, "revision": 2, "snapshot": {"path": path, "revision": 2}}
    before = lab.state()
    lab.resign_channel("national", {}, manifest=manifest)
    refused(lab, before, lab.sync(), st.REJECTED, "is malformed .*not an allowed feed path")


def test_media_paths_that_escape_the_item_are_refused(lab: FeedLab) -> None:
    item = load_source(lab.source).items[0]
    record = json.loads(json.dumps({"op": "upsert", "item": {}, "blobs": []}))
    from kiosk.feed.records import item_to_json

    record["item"] = item_to_json(item)
    record["item"]["media"] = [
        {"path": "media/../../../etc/passwd", "sha256": "0" * 64, "mime": "image/png", "size": 1}
    ]
    record["blobs"] = [{"sha256": "0" * 64, "encoding": "identity", "length": 1}]
    before = lab.state()
    lab.publish_pack(_raw_pack([json.dumps(record)]))
    refused(lab, before, lab.sync(), st.REJECTED, "media path 'media/../../../etc/passwd'")


def _noise(size: int) -> str:
    return "".join(random.Random(1).choices(string.ascii_letters, k=size))


def _raw_pack(
    lines: list[str], *, records: int | None = None, extra: bytes = b"", claim: int | None = None
) -> bytes:
    body = "".join(line + "\n" for line in lines).encode("utf-8", "surrogatepass") + extra
    header = {
        "format": "kiosk-pack/1", "channel": "national", "from": 0, "to": 2,
        "records": len(lines) if records is None else records,
        "uncompressed": len(body) if claim is None else claim,
    }  # fmt: skip
    return gzip.compress(json.dumps(header).encode() + b"\n" + body)


DELETE = '{"op": "delete", "id": "extra-1"}'


@pytest.mark.parametrize(
    ("pack", "why"),
    [
        (_raw_pack(['{"op": "delete", "id": "a", "id": "b"}']), "a key appears twice"),
        (_raw_pack(['{"op": "upsert", "item": {"priority": NaN}, "blobs": []}']), "NaN"),
        (_raw_pack(["[" * 10000 + "]" * 10000]), "nested too deeply"),
        (_raw_pack([], extra=b'{"op": "delete", "id": "\xff\xfe"}\n'), "not valid JSON"),
        (_raw_pack(['{"op": "delete", "id": "' + _noise(5_000_000) + '"}']), "longer than"),
        (_raw_pack(["{not json"]), "line 2: not valid JSON"),
        (_raw_pack([DELETE], records=5), "1 records where the header says 5"),
        (_raw_pack([DELETE, DELETE]), "appears twice"),
        (_raw_pack(['{"op": "drop-table"}']), "unknown record"),
        (b"this is not gzip at all", "not valid gzip"),
        (gzip.compress(b'{"format": "kiosk-pack/1"}\n'), "header does not match"),
        (_raw_pack([DELETE])[:-12], "truncated"),
    ],
    ids=[
        "duplicate-key",
        "nan",
        "deep-nesting",
        "bad-utf8",
        "huge-line",
        "not-json",
        "count",
        "repeated-record",
        "unknown-op",
        "not-gzip",
        "bad-header",
        "cut-gzip",
    ],
)
def test_malformed_packs_are_refused_with_the_line(lab: FeedLab, pack: bytes, why: str) -> None:
    before = lab.state()
    lab.publish_pack(pack)
    refused(lab, before, lab.sync(), st.REJECTED, why)


@pytest.mark.parametrize("claim", [None, 1000], ids=["honest-header", "lying-header"])
def test_a_compression_bomb_is_stopped_at_the_cap(lab: FeedLab, claim: int | None) -> None:
    filler = "x" * 60_000_000
    bomb = _raw_pack(['{"op": "delete", "id": "' + filler + '"}'], claim=claim)
    assert len(bomb) < 200_000  # 60 MB of text in under 0.2 MB
    before = lab.state()
    lab.publish_pack(bomb)
    refused(lab, before, lab.sync(), st.REJECTED, "compression bomb")


def test_a_second_sync_at_the_same_time_waits_its_turn(lab: FeedLab) -> None:
    before = lab.state()
    lab.set_title("Newer")
    lab.publish()
    with open(lab.kiosk / "sync" / "lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        status = lab.sync()
    assert status.last_outcome == st.BUSY and lab.state() == before
    assert lab.sync().last_outcome == st.OK


def test_a_poisoned_metadata_cache_is_not_a_root_of_trust(lab: FeedLab, tmp_path: Path) -> None:
    attacker = init_keys(tmp_path / "attacker", provinces=[], now=now())
    cache = lab.kiosk / "sync" / "tuf"
    for name in ("root.json", "root_history/1.root.json"):
        target = cache / name
        target.unlink(missing_ok=True)
        target.write_bytes(attacker.root_file().read_bytes())
    from kiosk.feed.publish import publish

    evil_feed = tmp_path / "evil-feed"
    lab.set_title("Attacker content")
    publish(load_source(lab.source), evil_feed, attacker.folder, now())
    before = lab.state()
    refused(lab, before, lab.sync(feed=evil_feed), st.REJECTED, "signed by 0/1 keys")


def test_bundles_with_links_or_escaping_names_are_refused(lab: FeedLab, tmp_path: Path) -> None:
    before = lab.state()
    for name, kind in (("../../etc/x", tarfile.REGTYPE), ("metadata/1.root.json", tarfile.SYMTYPE)):
        bundle = tmp_path / f"bad-{kind!r}.bundle"
        with tarfile.open(bundle, "w") as tar:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
            tar.addfile(info, None if kind == tarfile.SYMTYPE else _empty())
        refused(lab, before, lab.sync(feed=bundle), st.REJECTED, "escapes its folder|not a regular")


def _empty():
    import io

    return io.BytesIO(b"")


GIGABYTE = 1 << 30


def _bundle_declaring_a_gigabyte(path: Path, kind: bytes, name: str, *, sparse: bool) -> Path:
    """One tar header that declares 1 GB; the file on disk stays small (sparse or cut short)."""
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = GIGABYTE
    with open(path, "wb") as handle:
        handle.write(info.tobuf(format=tarfile.USTAR_FORMAT))
        handle.write(b"27 path=metadata/1.root.json\n".ljust(4096, b"\n"))
        if sparse:  # the declared bytes are all there, as zeros that take no disk space
            handle.truncate(tarfile.BLOCKSIZE + GIGABYTE + 2 * tarfile.BLOCKSIZE)
    return path


@pytest.mark.parametrize(
    ("kind", "name", "sparse"),
    [
        (tarfile.XHDTYPE, "././@PaxHeader", True),
        (tarfile.GNUTYPE_LONGNAME, "././@LongLink", True),
        (tarfile.REGTYPE, "bundle.json", True),
        (tarfile.REGTYPE, "bundle.json", False),
    ],
)
def test_a_bundle_header_declaring_a_gigabyte_is_refused_before_it_is_read(
    lab: FeedLab, tmp_path: Path, kind: bytes, name: str, sparse: bool
) -> None:
    import tracemalloc

    before = lab.state()
    bundle = _bundle_declaring_a_gigabyte(tmp_path / "huge.bundle", kind, name, sparse=sparse)
    assert bundle.stat().st_blocks * 512 < 1_000_000  # small on the stick
    tracemalloc.start()
    try:
        status = lab.sync(feed=bundle)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64_000_000, f"{peak} bytes allocated to read a crafted header"
    refused(lab, before, status, st.REJECTED, f"declares {GIGABYTE} bytes.*nothing was imported")


def test_a_bundle_member_larger_than_its_signed_length_is_not_read(tmp_path: Path) -> None:
    import io

    from tuf.api.exceptions import DownloadLengthMismatchError

    from kiosk.sync.fetchers import BundleFetcher

    bundle = tmp_path / "long.bundle"
    with tarfile.open(bundle, "w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("metadata/timestamp.json")
        info.size = 300_000
        tar.addfile(info, io.BytesIO(b" " * info.size))
    fetcher = BundleFetcher(bundle)
    try:
        with pytest.raises(DownloadLengthMismatchError, match="declares 300000 bytes"):
            fetcher.download_bytes(f"{BundleFetcher.PREFIX}metadata/timestamp.json", 1000)
        assert fetcher.received == 0
    finally:
        fetcher.close()
