"""``kiosk bundle export``: the feed in one file for a USB stick.

An uncompressed tar (packs and blobs are compressed already) holding the root chain, the
current targets metadata, every channel's manifest, packs and media, and a snapshot and
timestamp signed for this bundle with a longer life (45 days), since a stick can spend weeks
on the road. The feed's own snapshot and timestamp are re-signed one version further, so a
kiosk that imported the bundle takes the online feed next without seeing a rollback.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.feed.keys import KeyRing
from kiosk.feed.names import MANIFEST, blob_path
from kiosk.feed.packs import read_pack
from kiosk.feed.repository import BUNDLE_LIFETIME, FeedProblem, FeedRepository

BUNDLE_FORMAT = "kiosk-bundle/1"


@dataclass
class BundleReport:
    path: Path
    revisions: dict[str, int] = field(default_factory=dict)
    files: int = 0
    size: int = 0
    expires: str = ""


def export_bundle(feed: Path, keys: Path, out: Path, now: dt.datetime) -> BundleReport:
    repo = FeedRepository(feed, KeyRing(keys), now)
    if not repo.exists():
        raise FeedProblem(f"{feed} holds no feed yet; run 'kiosk publish' first")
    report = BundleReport(out)
    with tempfile.TemporaryDirectory() as tmp:
        signed = Path(tmp)
        repo.write_snapshot_and_timestamp((BUNDLE_LIFETIME, BUNDLE_LIFETIME), into=signed)
        repo.write_snapshot_and_timestamp(step=2)
        members: list[tuple[str, Path]] = []
        for path in sorted(repo.meta_dir.glob("*.root.json"), key=_version):
            members.append((f"metadata/{path.name}", path))
        for path in sorted(signed.iterdir()):
            members.append((f"metadata/{path.name}", path))
        snapshot_file = next(signed.glob("*.snapshot.json"))
        snapshot = json.loads(snapshot_file.read_bytes())["signed"]["meta"]
        blobs: set[str] = set()
        for role_file, info in sorted(snapshot.items()):
            role = role_file.removesuffix(".json")
            name = f"{info['version']}.{role}.json"
            members.append((f"metadata/{name}", repo.meta_dir / name))
            if role == "targets":
                continue
            metadata = repo.targets(role)
            assert metadata is not None
            for target in metadata.signed.targets.values():
                file = repo.target_file(target)
                members.append((f"targets/{file.parent.name}/{file.name}", file))
            manifest = json.loads(repo.target_bytes(role, f"{role}/{MANIFEST}") or b"{}")
            if manifest:
                report.revisions[role] = manifest["revision"]
                path = manifest["snapshot"]["path"]
                pack = read_pack(
                    repo.target_bytes(role, path) or b"",
                    name=path,
                    channel=role,
                    revision_from=0,
                    revision_to=manifest["revision"],
                )
                blobs |= {f"{sha}:{enc}" for sha, (enc, _size) in pack.blobs.items()}
        for entry in sorted(blobs):
            sha, encoding = entry.split(":")
            rel = blob_path(sha, encoding)
            members.append((rel, feed / rel))
        report.expires = (now + BUNDLE_LIFETIME).isoformat()
        description = {
            "format": BUNDLE_FORMAT,
            "created": now.isoformat(),
            "expires": report.expires,
            "channels": report.revisions,
        }
        _write_tar(out, members, json.dumps(description, indent=1).encode())
    report.files = len(members) + 1
    report.size = out.stat().st_size
    return report


def _version(path: Path) -> int:
    return int(path.name.split(".", 1)[0])


def _write_tar(out: Path, members: list[tuple[str, Path]], description: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("bundle.json")
        info.size = len(description)
        tar.addfile(info, io.BytesIO(description))
        for name, path in members:
            info = tarfile.TarInfo(name)
            info.size = path.stat().st_size
            with open(path, "rb") as handle:
                tar.addfile(info, handle)
    with open(tmp, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, out)
