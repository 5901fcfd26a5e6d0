"""``kiosk publish``: turn an authoring source into a new signed revision of its channel."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.content.source.records import ALL_GATES, Source
from kiosk.feed.keys import KeyRing
from kiosk.feed.names import MANIFEST, NATIONAL, channel_of, pack_name, province_of
from kiosk.feed.packs import Pack, read_pack, write_pack
from kiosk.feed.repository import FeedRepository

MANIFEST_FORMAT = "kiosk-channel/1"
KEEP_DELTAS = 30  # a kiosk up to this many revisions behind downloads only what changed


class PublishRefused(Exception):
    """The source may not be published by its channel; the message says why."""


@dataclass
class PublishReport:
    channel: str
    revision: int
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    structure_changed: bool = False
    new_blobs: int = 0

    @property
    def new_revision(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.structure_changed)


def publish(source: Source, feed: Path, keys: Path, now: dt.datetime) -> PublishReport:
    channel = channel_of(source.site.publisher)
    check_authority(source, channel)
    ring = KeyRing(keys)
    repo = FeedRepository(feed, ring, now)
    repo.sync_roots()
    manifest = _manifest(repo, channel)
    previous = _previous_pack(repo, channel, manifest)
    structure = source.structure if channel == NATIONAL else None
    report = _diff(channel, manifest, previous, source, structure)
    blobs: dict[str, tuple[str, int]] = {}
    for item in source.items:
        for media in item.media.values():
            assert media.file is not None
            if media.sha256 not in blobs:
                stored = repo.blob(media.sha256)
                if stored is None:
                    stored = repo.add_blob(media.sha256, media.file.read_bytes())
                    report.new_blobs += 1
                blobs[media.sha256] = stored
    repo.ensure_delegation(channel)
    if report.new_revision:
        _write_revision(repo, channel, manifest, source, structure, report, blobs)
    else:
        repo.refresh_channel_role(channel)
    repo.write_snapshot_and_timestamp()
    return report


def check_authority(source: Source, channel: str) -> None:
    """A provincial source may only hold non-sensitive items shown at its own gates."""
    province = province_of(channel)
    if province is None:
        return
    own = {g.id for g in source.gates if g.province == province}
    for item in source.items:
        if item.sensitive:
            raise PublishRefused(
                f"item '{item.id}' is sensitive; only the national role may publish it"
            )
        outside = [g for g in item.gates if g == ALL_GATES or g not in own]
        if outside:
            raise PublishRefused(
                f"item '{item.id}' is shown at '{outside[0]}', outside province '{province}'; "
                f"list only gates of {province} in its 'gates'"
            )


def _manifest(repo: FeedRepository, channel: str) -> dict[str, Any] | None:
    data = repo.target_bytes(channel, f"{channel}/{MANIFEST}") if repo.exists() else None
    return json.loads(data) if data else None


def _previous_pack(
    repo: FeedRepository, channel: str, manifest: dict[str, Any] | None
) -> Pack | None:
    if manifest is None:
        return None
    path = manifest["snapshot"]["path"]
    data = repo.target_bytes(channel, path)
    if data is None:
        return None
    return read_pack(
        data, name=path, channel=channel, revision_from=0, revision_to=manifest["revision"]
    )


def _diff(
    channel: str,
    manifest: dict[str, Any] | None,
    previous: Pack | None,
    source: Source,
    structure: Any,
) -> PublishReport:
    revision = manifest["revision"] if manifest else 0
    report = PublishReport(channel, revision)
    old = {i.id: i.digest() for i in previous.upserts} if previous else {}
    for item in source.items:
        if item.id not in old:
            report.added.append(item.id)
        elif old[item.id] != item.digest():
            report.changed.append(item.id)
    report.removed = sorted(set(old) - {i.id for i in source.items})
    old_structure = previous.structure.digest() if previous and previous.structure else None
    report.structure_changed = structure is not None and structure.digest() != old_structure
    if report.new_revision:
        report.revision += 1
    return report


def _write_revision(
    repo: FeedRepository,
    channel: str,
    manifest: dict[str, Any] | None,
    source: Source,
    structure: Any,
    report: PublishReport,
    blobs: dict[str, tuple[str, int]],
) -> None:
    revision = report.revision
    snapshot_name = pack_name(0, revision)
    snapshot = write_pack(Pack(channel, 0, revision, structure, list(source.items), [], blobs))
    targets = {}
    info = repo.add_target(channel, snapshot_name, snapshot)
    targets[info.path] = info
    deltas: list[dict[str, Any]] = []
    if manifest is not None:
        fresh = set(report.added + report.changed)
        delta = Pack(
            channel,
            revision - 1,
            revision,
            structure if report.structure_changed else None,
            [i for i in source.items if i.id in fresh],
            report.removed,
            blobs,
        )
        info = repo.add_target(channel, pack_name(revision - 1, revision), write_pack(delta))
        targets[info.path] = info
        deltas = [{"from": revision - 1, "to": revision, "path": info.path}]
        old_channel = repo.targets(channel)
        for entry in manifest.get("deltas", [])[: KEEP_DELTAS - 1]:
            kept = old_channel.signed.targets.get(entry["path"]) if old_channel else None
            if kept is not None:
                targets[kept.path] = kept
                deltas.append(entry)
    body = {
        "format": MANIFEST_FORMAT,
        "channel": channel,
        "revision": revision,
        "published": repo.now.isoformat().replace("+00:00", "Z"),
        "snapshot": {"path": f"{channel}/{snapshot_name}", "revision": revision},
        "deltas": deltas,
    }
    data = json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")
    info = repo.add_target(channel, MANIFEST, data)
    targets[info.path] = info
    repo.write_channel_role(channel, targets)
