"""The publisher's view of a feed folder: read the newest metadata, write new versions.

Files follow TUF consistent snapshots: ``metadata/<v>.<role>.json`` and
``targets/<channel>/<sha256>.<name>`` are immutable, written before anything refers to them;
``metadata/timestamp.json`` is the only file that changes and is replaced last, atomically, so
a web server or CDN never serves a half-published revision.
"""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path
from typing import Any

from tuf.api.metadata import (
    DelegatedRole,
    Delegations,
    Metadata,
    MetaFile,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

from kiosk.durable import write_file
from kiosk.feed.keys import KeyRing
from kiosk.feed.names import NATIONAL, blob_path, check_target_path

TIMESTAMP_LIFETIME = dt.timedelta(days=7)
SNAPSHOT_LIFETIME = dt.timedelta(days=21)
TARGETS_LIFETIME = dt.timedelta(days=365)
CHANNEL_LIFETIME = dt.timedelta(days=90)
BUNDLE_LIFETIME = dt.timedelta(days=45)


class FeedProblem(Exception):
    """The feed folder is not in a state this publisher can extend."""


class FeedRepository:
    def __init__(self, folder: Path, ring: KeyRing, now: dt.datetime) -> None:
        self.folder = Path(folder)
        self.meta_dir = self.folder / "metadata"
        self.ring = ring
        self.now = now.replace(microsecond=0)

    # -- reading ---------------------------------------------------------------------------
    def exists(self) -> bool:
        return (self.meta_dir / "timestamp.json").is_file()

    def timestamp(self) -> Metadata[Timestamp]:
        return Metadata[Timestamp].from_bytes((self.meta_dir / "timestamp.json").read_bytes())

    def snapshot(self) -> Metadata[Snapshot]:
        version = self.timestamp().signed.snapshot_meta.version
        return Metadata[Snapshot].from_bytes(self._read(f"{version}.snapshot.json"))

    def targets(self, role: str = "targets") -> Metadata[Targets] | None:
        meta = self.snapshot().signed.meta.get(f"{role}.json") if self.exists() else None
        if meta is None:
            return None
        return Metadata[Targets].from_bytes(self._read(f"{meta.version}.{role}.json"))

    def target_bytes(self, role: str, path: str) -> bytes | None:
        """The bytes of a target of ``role`` as published now, checked against its hash."""
        metadata = self.targets(role)
        info = metadata.signed.targets.get(path) if metadata else None
        if info is None:
            return None
        data = self.target_file(info).read_bytes()
        info.verify_length_and_hashes(data)
        return data

    def target_file(self, info: TargetFile) -> Path:
        channel, name = check_target_path(info.path).split("/")
        return self.folder / "targets" / channel / f"{info.hashes['sha256']}.{name}"

    def _read(self, name: str) -> bytes:
        try:
            return (self.meta_dir / name).read_bytes()
        except FileNotFoundError:
            raise FeedProblem(f"{self.meta_dir / name} is missing; the feed is incomplete") from (
                None
            )

    # -- writing ---------------------------------------------------------------------------
    def sync_roots(self) -> None:
        """Make the feed carry every root version the keys folder has signed."""
        self.meta_dir.mkdir(parents=True, exist_ok=True)
        for version, data in enumerate(self.ring.root_chain(), start=1):
            path = self.meta_dir / f"{version}.root.json"
            if not path.exists():
                write_file(path, data)

    def add_target(self, channel: str, name: str, data: bytes) -> TargetFile:
        info = TargetFile.from_data(f"{channel}/{name}", data, ["sha256"])
        path = self.target_file(info)
        if not path.exists():
            write_file(path, data)
        return info

    def blob(self, sha256: str) -> tuple[str, int] | None:
        """How a media blob is stored here (encoding, size), or None if it is not."""
        for encoding in ("gzip", "identity"):
            path = self.folder / blob_path(sha256, encoding)
            if path.exists():
                return encoding, path.stat().st_size
        return None

    def add_blob(self, sha256: str, data: bytes) -> tuple[str, int]:
        """Store a media blob; returns its encoding and stored size (gzip when it helps)."""
        existing = self.blob(sha256)
        if existing is not None:
            return existing
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        encoding, body = ("gzip", packed) if len(packed) < 0.9 * len(data) else ("identity", data)
        write_file(self.folder / blob_path(sha256, encoding), body)
        return encoding, len(body)

    def write_channel_role(self, channel: str, targets: dict[str, TargetFile]) -> int:
        current = self.targets(channel)
        signed = Targets(
            version=current.signed.version + 1 if current else 1,
            expires=self.now + CHANNEL_LIFETIME,
            targets=targets,
        )
        return self._write_versioned(channel, Metadata(signed), channel)

    def signed_by_current_key(self, metadata: Metadata[Any], role: str) -> bool:
        return self.ring.public(role).keyid in metadata.signatures

    def refresh_channel_role(self, channel: str) -> None:
        """Re-sign a channel's targets when its key was rotated or half its life is gone."""
        current = self.targets(channel)
        if current is None:
            return
        stale = current.signed.expires - self.now < CHANNEL_LIFETIME / 2
        if stale or not self.signed_by_current_key(current, channel):
            self.write_channel_role(channel, dict(current.signed.targets))

    def ensure_delegation(self, channel: str) -> None:
        """The top-level targets delegate ``<channel>/*`` to the channel's current key."""
        current = self.targets("targets")
        signed = current.signed if current else Targets(version=1)
        if signed.delegations is None:
            signed.delegations = Delegations(keys={}, roles={})
        roles = signed.delegations.roles
        assert roles is not None
        key = self.ring.public(channel)
        role = roles.get(channel)
        fresh = (
            current is not None
            and signed.expires - self.now > TARGETS_LIFETIME / 2
            and self.signed_by_current_key(current, "targets")
        )
        if role is not None and role.keyids == [key.keyid] and fresh:
            return
        if role is not None:
            for keyid in list(role.keyids):
                signed.revoke_key(keyid, channel)
        else:
            roles[channel] = DelegatedRole(channel, [], 1, True, [f"{channel}/*"])
        signed.add_key(key, channel)
        # Deterministic order: national first, provinces by name.
        signed.delegations.roles = dict(
            sorted(roles.items(), key=lambda kv: (kv[0] != NATIONAL, kv[0]))
        )
        if current is not None:
            signed.version += 1
        signed.expires = self.now + TARGETS_LIFETIME
        self._write_versioned("targets", Metadata(signed), "targets")

    def write_snapshot_and_timestamp(
        self,
        lifetime: tuple[dt.timedelta, dt.timedelta] | None = None,
        *,
        into: Path | None = None,
        step: int = 1,
    ) -> tuple[int, int]:
        """Sign a new snapshot listing every targets role, then a new timestamp pointing at it.

        ``into`` writes them to another metadata folder (a USB bundle) with ``lifetime``;
        versions still come from this feed's. ``step`` 2 keeps the feed's next versions
        ahead of a bundle just made, so a kiosk that read the bundle takes the feed next.
        """
        snapshot_life, timestamp_life = lifetime or (SNAPSHOT_LIFETIME, TIMESTAMP_LIFETIME)
        old_snapshot = self.snapshot().signed if self.exists() else None
        old_timestamp = self.timestamp().signed if self.exists() else None
        meta = dict(old_snapshot.meta) if old_snapshot else {}
        for role_file in sorted(self.meta_dir.glob("*.json")):
            parts = role_file.name.split(".")
            if len(parts) == 3 and parts[0].isdigit() and parts[1] not in ("root", "snapshot"):
                version = int(parts[0])
                name = f"{parts[1]}.json"
                if name not in meta or meta[name].version < version:
                    meta[name] = MetaFile(version=version)
        snapshot = Snapshot(
            version=(old_snapshot.version if old_snapshot else 0) + step,
            expires=self.now + snapshot_life,
            meta=meta,
        )
        target_dir = into or self.meta_dir
        self._write_versioned("snapshot", Metadata(snapshot), "snapshot", target_dir)
        timestamp = Timestamp(
            version=(old_timestamp.version if old_timestamp else 0) + step,
            expires=self.now + timestamp_life,
            snapshot_meta=MetaFile(version=snapshot.version),
            unrecognized_fields={"x-issued": self.now.isoformat().replace("+00:00", "Z")},
        )
        data = self._sign(Metadata(timestamp), "timestamp")
        write_file(target_dir / "timestamp.json", data)
        return snapshot.version, timestamp.version

    def _write_versioned(
        self, role: str, metadata: Metadata[Any], key: str, folder: Path | None = None
    ) -> int:
        data = self._sign(metadata, key)
        write_file((folder or self.meta_dir) / f"{metadata.signed.version}.{role}.json", data)
        return int(metadata.signed.version)

    def _sign(self, metadata: Metadata[Any], role: str) -> bytes:
        metadata.signatures.clear()
        metadata.sign(self.ring.signer(role))
        return metadata.to_bytes(JSONSerializer(compact=True))
