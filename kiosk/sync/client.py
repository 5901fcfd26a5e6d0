"""One sync cycle (design: SYNC-SECURITY §7.5): verify everything, then apply atomically.

refresh TUF metadata → check version floors → per channel: manifest, plan (delta chain or
snapshot), download and verify packs, parse, check authority → fetch missing media blobs →
one transaction applies every channel with the new revision floors. Any failure before the
COMMIT leaves the content exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tarfile
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tuf.api import exceptions as tuf_errors
from tuf.api.metadata import Metadata, Root, Snapshot, TargetFile, Timestamp
from tuf.ngclient import FetcherInterface, Updater, UpdaterConfig

from kiosk.content.blobs import BlobMismatch
from kiosk.content.importer import ChannelChange, apply_changes
from kiosk.content.source.media import MediaProblem, check_media_bytes
from kiosk.content.store import ContentStore
from kiosk.faults import crash_point
from kiosk.feed.names import MANIFEST, NATIONAL, blob_path
from kiosk.feed.packs import Pack, no_duplicate_keys, read_pack
from kiosk.sync import status as st
from kiosk.sync.classify import as_failure
from kiosk.sync.failures import FailureCode, SyncFailure
from kiosk.sync.fetchers import BundleFetcher, DirectoryFetcher, HttpFetcher
from kiosk.sync.plan import (
    Rejected,
    check_authority,
    check_manifest,
    delta_chain,
    fold,
    subscribed_channels,
)
from kiosk.sync.schedule import next_delay
from kiosk.sync.trust import (
    DEMO,
    DEMO_ROOT_SENTENCE,
    NO_ROOT_SENTENCE,
    TrustProblem,
    trusted_root_bytes,
)
from kiosk.textsafe import MESSAGE_LIMIT, shown

log = logging.getLogger("kiosk.sync")
CLOCK_SLACK = dt.timedelta(minutes=10)
BLOB_GRACE = 7 * 24 * 3600  # media no longer referenced are deleted after a week
DISK_MARGIN = 50_000_000
MAX_MANIFEST = 1_000_000


@dataclass
class SyncOptions:
    feed: str  # http(s) URL, feed folder, or bundle file
    gate: str | None = None
    bandwidth: int | None = None  # bytes per second
    time_limit: float = 1800.0  # seconds for the whole cycle
    read_timeout: float = 30.0


Progress = Callable[[str], None]


class Report(Protocol):
    def __call__(self, step: st.SyncStep, **params: str | int) -> None: ...


def sync_once(
    store: ContentStore, options: SyncOptions, progress: Progress | None = None
) -> st.SyncStatus:
    """Run one cycle; its outcome is saved for the panel and returned."""
    data_dir = store.data_dir
    with _lock(data_dir) as locked:
        status = st.load_status(data_dir)
        if not locked:
            status.last_outcome, status.last_error = st.BUSY, "another sync is running"
            status.last_error_code, status.last_error_params = FailureCode.BUSY, {}
            return status
        started = dt.datetime.now(dt.UTC)
        status.state, status.pid, status.feed = st.SyncState.RUNNING, os.getpid(), options.feed
        status.last_attempt, status.last_error = st.now_iso(started), None
        status.last_error_code, status.last_error_params = None, {}
        status.progress, status.step, status.step_params = "", "", {}

        def report(step: st.SyncStep, **params: str | int) -> None:
            status.progress = st.STEP_TEXT[step].format(**params)
            status.step, status.step_params = step, params
            st.save_status(data_dir, status)
            if progress:
                progress(status.progress)

        report(st.SyncStep.STARTING)
        fetched = 0
        try:
            cycle = _Cycle(store, options, report)
            try:
                outcome = cycle.run()
            finally:
                fetched = cycle.received()
                status.trust = cycle.trust or status.trust
                status.packs = cycle.packs
                status.apply_seconds = round(cycle.apply_seconds, 3)
            status.last_success = st.now_iso(dt.datetime.now(dt.UTC))
            status.failures = 0
        except SyncFailure as failure:
            outcome = failure.outcome
            # Kept and shown again at every opening of the panel: one line, bounded.
            status.last_error = shown(str(failure), MESSAGE_LIMIT)
            status.last_error_code = failure.code
            status.last_error_params = {
                k: shown(v) if isinstance(v, str) else v for k, v in failure.params.items()
            }
            status.failures += 1
        status.state, status.pid, status.progress = st.SyncState.IDLE, None, ""
        status.step, status.step_params = "", {}
        status.last_outcome = outcome
        status.downloaded_bytes = fetched
        meta = store.meta()
        status.content_revision = int(meta.get("revision", "0"))
        status.revisions = {
            k.split(":")[1]: int(v) for k, v in meta.items() if k.startswith("channel:")
        }
        delay = next_delay(outcome, status.failures)
        status.next_attempt = st.now_iso(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay))
        st.save_status(data_dir, status)
        level = logging.INFO if outcome in st.GOOD else logging.WARNING
        feed = shown(options.feed, MESSAGE_LIMIT)  # a file name on a stick, one line
        log.log(level, "sync from %s: %s %s", feed, outcome, status.last_error or "")
        if status.trust == DEMO:
            log.warning(DEMO_ROOT_SENTENCE)
        crash_point("sync:status-written")
        return status


@contextmanager
def _lock(data_dir: Path) -> Iterator[bool]:
    path = data_dir / "sync" / "lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class _Cycle:
    def __init__(self, store: ContentStore, options: SyncOptions, report: Report) -> None:
        self.store = store
        self.options = options
        self.report = report
        self.dir = store.data_dir / "sync"
        self.staging = self.dir / "staging"
        self.fetcher: FetcherInterface | None = None
        self.base = ""
        self.trust = ""
        self.packs: list[str] = []
        self.apply_seconds = 0.0

    def received(self) -> int:
        return int(getattr(self.fetcher, "received", 0))

    def run(self) -> st.SyncOutcome:
        try:
            return self._run()
        except SyncFailure:
            raise
        except Exception as exc:
            failure = as_failure(exc, self.options.feed)
            if failure is None:
                raise
            raise failure from None
        finally:
            if self.fetcher is not None:
                self.fetcher.close()  # type: ignore[attr-defined]

    # -- the steps -------------------------------------------------------------------------
    def _run(self) -> st.SyncOutcome:
        # No root, no sync: checked before the feed is touched (network, folder or bundle).
        try:
            trusted = trusted_root_bytes(self.store.data_dir)
        except TrustProblem as exc:
            self.trust = "none"
            raise SyncFailure(
                st.UNTRUSTED, f"{exc}; install the feed's root again", FailureCode.NO_ROOT
            ) from None
        if trusted is None:
            self.trust = "none"
            raise SyncFailure(st.UNTRUSTED, NO_ROOT_SENTENCE, FailureCode.NO_ROOT)
        root, self.trust = trusted
        meta = self.store.meta()
        now = dt.datetime.now(dt.UTC)
        floor = meta.get("sync:time_floor")
        if floor and now < dt.datetime.fromisoformat(floor) - CLOCK_SLACK:
            raise SyncFailure(
                st.CLOCK,
                f"the clock says {now:%Y-%m-%d %H:%M} UTC, earlier than {floor[:16]} when "
                "this kiosk already verified content; set the clock, then sync again",
                FailureCode.CLOCK_BEHIND,
                {"now": f"{now:%Y-%m-%d %H:%M}", "floor": floor[:16].replace("T", " ")},
            )
        self.fetcher, self.base = self._fetcher()
        tuf_dir = self.dir / "tuf"
        tuf_dir.mkdir(parents=True, exist_ok=True)
        (self.staging / "targets").mkdir(parents=True, exist_ok=True)
        updater = Updater(
            str(tuf_dir),
            self.base + "metadata/",
            str(self.staging / "targets"),
            self.base + "targets/",
            fetcher=self.fetcher,
            config=UpdaterConfig(max_root_rotations=64, targets_max_length=20_000_000),
            bootstrap=root,
        )
        self.report(st.SyncStep.VERIFYING)
        updater.refresh()
        crash_point("sync:refreshed")
        floors = self._check_floors(tuf_dir, meta)
        gate_provinces = self.store.gate_provinces()
        changes: list[ChannelChange] = []
        packs_by_channel: list[list[Pack]] = []
        categories = self.store.category_ids()
        owners = self.store.item_channels()
        channels = [NATIONAL]
        while channels:
            channel = channels.pop(0)
            packs = self._channel_packs(updater, channel, meta, floors)
            for pack in packs or []:
                if pack.structure is not None and channel == NATIONAL:
                    gate_provinces = {g.id: g.province for g in pack.structure.gates}
                    categories = {c.id for c in pack.structure.categories}
                check_authority(pack, gate_provinces, categories, owners)
            if channel == NATIONAL:
                # Provinces are known once the national channel (which lists gates) is read.
                channels = subscribed_channels(gate_provinces, self.options.gate)[1:]
            if packs is None:
                continue
            packs_by_channel.append(packs)
            changes.append(fold(channel, packs))
            changes[-1].meta.update(floors.pop(channel))
        crash_point("sync:packs-read")
        self._fetch_blobs(packs_by_channel)
        if not changes and all(meta.get(k) == v for k, v in floors["_tuf"].items()):
            self._finish()
            return st.CURRENT
        self.report(st.SyncStep.APPLYING)
        if changes:
            changes[0].meta.update(floors["_tuf"])
        else:
            changes.append(ChannelChange(NATIONAL, [], replace=False, meta=floors["_tuf"]))
        started = time.perf_counter()
        report = apply_changes(self.store, changes)
        self.apply_seconds = time.perf_counter() - started
        crash_point("sync:applied")
        self._finish()
        return st.OK if report.changed_anything or any(c.upserts for c in changes) else st.CURRENT

    def _fetcher(self) -> tuple[FetcherInterface, str]:
        feed = self.options.feed
        if feed.startswith(("http://", "https://")):
            fetcher = HttpFetcher(
                self.staging / "partial",
                deadline=time.monotonic() + self.options.time_limit,
                bandwidth=self.options.bandwidth,
                timeout=(10.0, self.options.read_timeout),
            )
            (self.staging / "partial").mkdir(parents=True, exist_ok=True)
            return fetcher, feed.rstrip("/") + "/"
        path = Path(feed).expanduser()
        if path.is_dir():
            return DirectoryFetcher(path), DirectoryFetcher.PREFIX
        if path.is_file():
            try:
                return BundleFetcher(path), BundleFetcher.PREFIX
            except (OSError, EOFError, ValueError, tarfile.TarError) as exc:
                raise SyncFailure(
                    st.REJECTED,
                    f"{path} is not a readable bundle file ({exc})",
                    FailureCode.NOT_BUNDLE,
                    {"file": path.name},
                ) from None
        raise SyncFailure(
            st.FAILED,
            f"feed '{feed}' is neither an http(s) address, a folder nor a bundle file",
            FailureCode.UNKNOWN_FEED,
            {"feed": feed},
        )

    def _check_floors(self, tuf_dir: Path, meta: dict[str, str]) -> dict[str, Any]:
        """Versions seen before may never go down (python-tuf keeps them in files it does not
        fsync; the floors live in the content database, written with the content)."""
        timestamp = Metadata[Timestamp].from_bytes((tuf_dir / "timestamp.json").read_bytes())
        snapshot = Metadata[Snapshot].from_bytes((tuf_dir / "snapshot.json").read_bytes())
        root = Metadata[Root].from_bytes((tuf_dir / "root.json").read_bytes())
        keys = hashlib.sha256(
            json.dumps(
                [root.signed.roles[r].keyids for r in ("timestamp", "snapshot")], sort_keys=True
            ).encode()
        ).hexdigest()
        if meta.get("sync:tuf_keys") == keys:
            for role, version in (("timestamp", timestamp), ("snapshot", snapshot)):
                seen = int(meta.get(f"sync:{role}_version", "0"))
                if version.signed.version < seen:
                    raise Rejected(
                        f"rollback: the feed's {role} is version {version.signed.version}, "
                        f"older than version {seen} this kiosk already verified",
                        FailureCode.ROLLBACK,
                        {"what": role, "version": version.signed.version, "seen": seen},
                    )
        # The publisher's signed issue time: a clock earlier than this is certainly wrong.
        # (The kiosk's own clock is not used: one running ahead would lock out later syncs.)
        issued = str(timestamp.signed.unrecognized_fields.get("x-issued", ""))
        time_floor = meta.get("sync:time_floor", "")
        with suppress(ValueError):
            stamp = dt.datetime.fromisoformat(issued.replace("Z", "+00:00"))
            if not time_floor or stamp > dt.datetime.fromisoformat(time_floor):
                time_floor = stamp.isoformat()
        return {
            "_tuf": {
                "sync:tuf_keys": keys,
                "sync:timestamp_version": str(timestamp.signed.version),
                "sync:snapshot_version": str(snapshot.signed.version),
                "sync:root_version": str(root.signed.version),
                "sync:time_floor": time_floor,
            }
        }

    def _channel_packs(
        self, updater: Updater, channel: str, meta: dict[str, str], floors: dict[str, Any]
    ) -> list[Pack] | None:
        info = updater.get_targetinfo(f"{channel}/{MANIFEST}")
        if info is None:
            if channel == NATIONAL:
                raise Rejected("the feed has no national channel signed by the national role")
            return None
        if info.length > MAX_MANIFEST:
            raise Rejected(f"{channel}/{MANIFEST} is {info.length} bytes, over the limit")
        self.report(st.SyncStep.READING, channel=channel)
        raw = self._download(updater, info)
        try:
            data = json.loads(raw, object_pairs_hook=no_duplicate_keys)
        except (ValueError, RecursionError) as exc:
            raise Rejected(f"{channel}/{MANIFEST} is not valid JSON ({exc})") from None
        manifest = check_manifest(data, channel)
        crash_point("sync:manifest")
        local = int(meta.get(f"channel:{channel}", "0"))
        revision = manifest["revision"]
        if revision < local:
            raise Rejected(
                f"rollback: {channel} revision {revision} is older than revision {local} "
                "already applied",
                FailureCode.ROLLBACK,
                {"what": channel, "version": revision, "seen": local},
            )
        if revision == local:
            return None
        floors[channel] = {f"channel:{channel}": str(revision)}
        steps = self._plan(updater, channel, manifest, local)
        self._check_space(sum(info.length for _p, info, _f, _t in steps))
        packs = []
        for path, info, start, end in steps:
            self.report(st.SyncStep.DOWNLOADING, file=path)
            self.packs.append(path)
            data = self._download(updater, info)
            crash_point("sync:pack-downloaded")
            packs.append(
                read_pack(data, name=path, channel=channel, revision_from=start, revision_to=end)
            )
        return packs

    def _plan(
        self, updater: Updater, channel: str, manifest: dict[str, Any], local: int
    ) -> list[tuple[str, TargetFile, int, int]]:
        snapshot = manifest["snapshot"]
        snap_info = self._target(updater, snapshot["path"])
        full = [(snapshot["path"], snap_info, 0, manifest["revision"])]
        chain = delta_chain(manifest, local) if local else None
        if not chain:
            return full
        steps = [(d["path"], self._target(updater, d["path"]), d["from"], d["to"]) for d in chain]
        if sum(info.length for _p, info, _f, _t in steps) >= snap_info.length // 2:
            return full
        return steps

    def _check_space(self, download: int) -> None:
        """Room for the packs, their unpacked records and the database growing by as much."""
        free = shutil.disk_usage(self.store.data_dir).free
        need = 2 * download + DISK_MARGIN
        if free < need:
            raise SyncFailure(
                st.DISK,
                f"the disk is too full to sync: {need // 1_000_000} MB needed, "
                f"{free // 1_000_000} MB free; free some space, the old content is kept",
                FailureCode.DISK_FULL,
                {"need_mb": need // 1_000_000, "free_mb": free // 1_000_000},
            )

    def _target(self, updater: Updater, path: str) -> TargetFile:
        info = updater.get_targetinfo(path)
        if info is None:
            raise Rejected(f"{path} is not signed by the role trusted for its channel")
        return info

    def _download(self, updater: Updater, info: TargetFile) -> bytes:
        local = self.staging / "targets" / info.hashes["sha256"]
        cached = updater.find_cached_target(info, str(local))
        try:
            path = cached or updater.download_target(info, str(local))
        except tuf_errors.LengthOrHashMismatchError:
            self._drop_partials()
            raise Rejected(
                f"{info.path} does not match its signed length and hash (tampered, truncated "
                "or replaced on the way); it was discarded",
                FailureCode.TAMPERED,
                {"file": info.path},
            ) from None
        except tuf_errors.DownloadLengthMismatchError:
            self._drop_partials()
            raise Rejected(
                f"{info.path} is longer than its signed length; discarded",
                FailureCode.TAMPERED,
                {"file": info.path},
            ) from None
        return Path(path).read_bytes()

    def _fetch_blobs(self, packs_by_channel: list[list[Pack]]) -> None:
        wanted: dict[str, tuple[str, int, int, str]] = {}
        for packs in packs_by_channel:
            for pack in packs:
                for item in pack.upserts:
                    for media in item.media.values():
                        if not self.store.blobs.has(media.sha256):
                            encoding, length = pack.blobs[media.sha256]
                            wanted[media.sha256] = (encoding, length, media.size, media.mime)
        assert self.fetcher is not None
        for number, (sha, (encoding, length, size, mime)) in enumerate(sorted(wanted.items())):
            self.report(st.SyncStep.MEDIA, number=number + 1, total=len(wanted))
            url = self.base + blob_path(sha, encoding)
            try:
                stored = self.fetcher.download_bytes(url, length)
            except tuf_errors.DownloadLengthMismatchError:
                raise Rejected(
                    f"media blob {sha[:12]}… is longer than listed",
                    FailureCode.TAMPERED,
                    {"file": f"{sha[:12]}…"},
                ) from None
            if isinstance(self.fetcher, HttpFetcher):
                self.fetcher.discard(url)  # stored or refused, its partial file is done with
            try:
                data = _inflate(stored, size) if encoding == "gzip" else stored
                if len(data) != size:
                    raise BlobMismatch("wrong size")
                check_media_bytes(f"blob {sha[:12]}…", mime, data)
                self.store.blobs.put(data, sha)
            except (BlobMismatch, MediaProblem, ValueError) as exc:
                raise Rejected(
                    f"media blob {sha[:12]}… does not match the signed pack ({exc}); discarded",
                    FailureCode.TAMPERED,
                    {"file": f"{sha[:12]}…"},
                ) from None
            crash_point("sync:blob-stored")

    def _drop_partials(self) -> None:
        shutil.rmtree(self.staging / "partial", ignore_errors=True)
        (self.staging / "partial").mkdir(parents=True, exist_ok=True)

    def _finish(self) -> None:
        """After a good cycle: no staging left, and media nobody refers to any more go."""
        shutil.rmtree(self.staging, ignore_errors=True)
        crash_point("sync:staging-cleaned")
        self.store.blobs.collect(self.store.referenced_blobs(), time.time() - BLOB_GRACE)


def _inflate(data: bytes, size: int) -> bytes:
    inflater = zlib.decompressobj(wbits=31)
    out = inflater.decompress(data, size + 1)
    if len(out) > size or not inflater.eof or inflater.unused_data:
        raise ValueError("the compressed blob does not unpack to its listed size")
    return out
