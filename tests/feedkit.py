"""A publisher and a kiosk side by side, for the sync tests: keys, a feed folder, a source
to edit and publish, and a kiosk data folder that trusts the keys' root."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import textwrap
from pathlib import Path
from typing import Any

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import Metadata, Targets

from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
from kiosk.feed.keys import KeyRing, init_keys
from kiosk.feed.packs import write_pack
from kiosk.feed.publish import PublishReport, publish
from kiosk.feed.repository import FeedRepository
from kiosk.sync.client import SyncOptions, sync_once
from kiosk.sync.status import SyncStatus
from kiosk.sync.trust import install_root

from .conftest import EXAMPLE

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    '<desc>{name}</desc><rect width="{n}" height="3"/></svg>'
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class FeedLab:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.keys = root / "keys"
        self.feed = root / "feed"
        self.kiosk = root / "kiosk"
        self.source = root / "source"
        init_keys(self.keys, provinces=["quang-ninh", "ha-noi"], now=now())
        shutil.copytree(EXAMPLE, self.source)
        install_root(self.kiosk, self.keys / "root.json")
        self._store: ContentStore | None = None

    # -- publisher -------------------------------------------------------------------------
    def publish(self, source: Path | None = None, when: dt.datetime | None = None) -> PublishReport:
        return publish(load_source(source or self.source), self.feed, self.keys, when or now())

    def set_title(self, text: str, item: str = "procedures/evisa", lang: str = "en") -> None:
        path = self.source / "items" / item / f"{lang}.md"
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[1] = f'title = "{text}"'
        path.write_text("\n".join(lines), encoding="utf-8")

    def add_items(self, count: int, *, words: int = 40, prefix: str = "extra") -> None:
        """Items with a media file each, in the example's 'services' category."""
        for n in range(count):
            folder = self.source / "items" / "generated" / f"{prefix}-{n}"
            (folder / "media").mkdir(parents=True, exist_ok=True)
            (folder / "media" / "m.svg").write_text(
                SVG.format(n=n % 9 + 1, name=f"{prefix}-{n}"), encoding="utf-8"
            )
            (folder / "item.toml").write_text(
                f'id = "{prefix}-{n}"\nkind = "service"\ncategory = "services"\n'
                'gates = ["*"]\nsource = "Test agency"\n',
                encoding="utf-8",
            )
            body = " ".join(f"word{(n * 7 + w) % 997}" for w in range(words))
            (folder / "en.md").write_text(
                f'+++\ntitle = "{prefix.title()} item {n}"\nsummary = "Summary {n}"\n+++\n'
                f"{body}\n\n![m](media/m.svg)\n",
                encoding="utf-8",
            )

    def province_source(self, province: str = "quang-ninh", *, item: dict[str, Any]) -> Path:
        """A provincial source (the example's gates and categories) with one item."""
        folder = self.root / f"source-{province}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for name in ("gates.toml", "categories.toml"):
            shutil.copy(self.source / name, folder / name)
        (folder / "site.toml").write_text(
            f'publisher = "province-{province}"\ndefault_language = "en"\n'
            'languages = ["vi", "en", "zh", "lo", "km", "ko", "ja", "ru", "fr"]\n',
            encoding="utf-8",
        )
        fields = {"id": "mong-cai-market", "kind": "tourism", "category": "services"}
        fields.update(item)
        item_dir = folder / "items" / str(fields["id"])
        item_dir.mkdir(parents=True)
        toml = "\n".join(f"{k} = {json.dumps(v)}" for k, v in fields.items())
        (item_dir / "item.toml").write_text(toml + '\nsource = "Province"\n', encoding="utf-8")
        (item_dir / "en.md").write_text(
            textwrap.dedent(
                """\
                +++
                title = "Mong Cai border market"
                summary = "Open daily."
                +++
                A market by the gate.
                """
            ),
            encoding="utf-8",
        )
        return folder

    def repository(self, when: dt.datetime | None = None) -> FeedRepository:
        return FeedRepository(self.feed, KeyRing(self.keys), when or now())

    def resign_channel(
        self,
        channel: str,
        files: dict[str, bytes],
        *,
        manifest: dict[str, Any] | None = None,
        signer: CryptoSigner | None = None,
    ) -> None:
        """Publish hand-made targets in a channel (what a key holder could sign), keeping its
        other targets, then re-sign snapshot and timestamp."""
        repo = self.repository()
        current = repo.targets(channel)
        targets = dict(current.signed.targets) if current else {}
        for name, data in files.items():
            info = repo.add_target(channel, name, data)
            targets[info.path] = info
        if manifest is not None:
            data = json.dumps(manifest).encode()
            info = repo.add_target(channel, "channel.json", data)
            targets[info.path] = info
        if signer is None:
            repo.write_channel_role(channel, targets)
        else:
            signed = Targets(
                version=(current.signed.version if current else 0) + 1,
                expires=repo.now + dt.timedelta(days=30),
                targets=targets,
            )
            metadata = Metadata(signed)
            metadata.sign(signer)
            (repo.meta_dir / f"{signed.version}.{channel}.json").write_bytes(metadata.to_bytes())
        repo.write_snapshot_and_timestamp()

    def manifest(self, channel: str = "national") -> dict[str, Any]:
        data = self.repository().target_bytes(channel, f"{channel}/channel.json")
        assert data is not None
        return json.loads(data)

    def publish_pack(self, pack: bytes, channel: str = "national") -> None:
        """Sign ``pack`` as the snapshot of the channel's next revision, as a key holder
        could: whatever it holds, the kiosk gets it with valid signatures."""
        manifest = self.manifest(channel)
        revision = manifest["revision"] + 1
        name = f"snap-{revision:06d}.ndjson.gz"
        manifest = {
            **manifest,
            "revision": revision,
            "snapshot": {"path": f"{channel}/{name}", "revision": revision},
            "deltas": [],
        }
        self.resign_channel(channel, {name: pack}, manifest=manifest)

    # -- kiosk -----------------------------------------------------------------------------
    @property
    def store(self) -> ContentStore:
        if self._store is None:
            self._store = ContentStore(self.kiosk)
        return self._store

    def sync(self, feed: str | Path | None = None, **options: Any) -> SyncStatus:
        return sync_once(self.store, SyncOptions(feed=str(feed or self.feed), **options))

    def titles(self, lang: str = "en") -> dict[str, str]:
        with self.store.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT item_id, title FROM translation WHERE lang = ?", (lang,)
            ).all()
        return dict(rows)

    def state(self) -> tuple[int, dict[str, str], str]:
        """What a traveller could notice: revision, titles, and the national revision."""
        meta = self.store.meta()
        return int(meta.get("revision", "0")), self.titles(), meta.get("channel:national", "")

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


__all__ = ["FeedLab", "now", "write_pack"]
