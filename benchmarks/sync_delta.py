"""Delta sync on the 50,000-item store (SPEC §6): bytes, apply time, UI stall; first full sync.

Publishes the search benchmark's corpus (50,000 items × 6 languages, see corpus.py) as a signed
feed served over HTTP on localhost, syncs a fresh kiosk from it (the first full sync), then
changes 1 % of the items (a title in one language, a paragraph in another) and adds new media
files to some of them, publishes, and syncs again in a background process beside a live kiosk
window. Prints the bytes downloaded against the compressed size of the changed records and new
blobs (budget ≤ 1.5×), the apply time (budget ≤ 5 s) and the longest UI-thread stall while the
sync runs and the screen refreshes (budget ≤ 50 ms).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import itertools
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.app import prepare_environment

prepare_environment()

import corpus  # noqa: E402 - beside this file (benchmarks/ is on sys.path when run)
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app.session import HOME  # noqa: E402
from kiosk.app.sync_service import SyncService  # noqa: E402
from kiosk.content.source.records import MediaRecord  # noqa: E402
from kiosk.content.store import ContentStore  # noqa: E402
from kiosk.feed.keys import init_keys  # noqa: E402
from kiosk.feed.publish import publish  # noqa: E402
from kiosk.feed.records import item_to_json  # noqa: E402
from kiosk.sync import status as st  # noqa: E402
from kiosk.sync.client import SyncOptions, sync_once  # noqa: E402
from kiosk.sync.trust import install_root  # noqa: E402
from tests.feedserver import StaticServer  # noqa: E402
from ui.scheme import register_scheme  # noqa: E402

DAY = dt.date(2026, 12, 1)
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
    "<desc>{text}</desc>{shapes}</svg>"
)


def change(source: corpus.Source, share: float, media: int, folder: Path) -> tuple[int, int]:
    """Edit ``share`` of the items and give ``media`` of them a new image; returns the
    compressed size of the changed records and of the new blobs."""
    rng = random.Random(5)
    changed = rng.sample(source.items, int(len(source.items) * share))
    for item in changed:
        langs = sorted(item.translations)
        first, second = rng.sample(langs, 2)
        item.translations[first].title += " (2027)"
        item.translations[second].body_html += "<p>" + item.translations[second].summary + "</p>"
    blob_bytes = 0
    for n, item in enumerate(changed[:media]):
        shapes = "".join(
            f'<circle cx="{rng.randint(0, 99)}" cy="{rng.randint(0, 99)}" r="{rng.randint(1, 9)}"/>'
            for _ in range(200)
        )
        data = SVG.format(text=f"new image {n}", shapes=shapes).encode()
        path = folder / f"new-{n}.svg"
        path.write_bytes(data)
        import hashlib

        sha = hashlib.sha256(data).hexdigest()
        item.media["media/new.svg"] = MediaRecord(
            "media/new.svg", sha, "image/svg+xml", len(data), path
        )
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        blob_bytes += min(len(packed), len(data))
    lines = b"".join(
        json.dumps({"op": "upsert", "item": item_to_json(i)}, ensure_ascii=False).encode() + b"\n"
        for i in changed
    )
    return len(gzip.compress(lines, compresslevel=6)), blob_bytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--share", type=float, default=0.01)
    parser.add_argument("--media", type=int, default=50)
    args = parser.parse_args()
    register_scheme()
    app = QApplication(["kiosk-benchmark"])
    from ui.kiosk_window import KioskWindow

    source = corpus.generate_source(args.items)
    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        keys, feed, kiosk = root / "keys", root / "feed", root / "kiosk"
        init_keys(keys, provinces=[], now=now)
        started = time.perf_counter()
        publish(source, feed, keys, now)
        print(
            f"publish revision 1 ({len(source.items)} items): {time.perf_counter() - started:.1f} s"
        )
        install_root(kiosk, keys / "root.json")
        with StaticServer(feed) as server:
            store = ContentStore(kiosk)
            started = time.perf_counter()
            first = sync_once(store, SyncOptions(feed=server.url, time_limit=3600))
            assert first.last_outcome == st.OK, first.last_error
            print(
                f"first full sync of a fresh kiosk: {time.perf_counter() - started:.1f} s, "
                f"{first.downloaded_bytes / 1e6:.1f} MB downloaded, "
                f"apply {first.apply_seconds:.1f} s"
            )
            records, blobs = change(source, args.share, args.media, root)
            started = time.perf_counter()
            report = publish(source, feed, keys, dt.datetime.now(dt.UTC))
            print(
                f"publish revision 2: {len(report.changed)} items changed, {report.new_blobs} new "
                f"media files, {time.perf_counter() - started:.1f} s"
            )

            gate = store.gate("noi-bai")
            assert gate is not None
            window = KioskWindow(store, gate, today=lambda: DAY)
            window.resize(1920, 1080)
            window.show()
            window.session.choose_language("en")
            window.session.go(HOME)
            spent: dict[str, float] = {}
            for name in ("refresh_content", "_show_new_content"):
                original = getattr(window, name)

                def timed(*args, _original=original, _name=name):  # type: ignore[no-untyped-def]
                    began = time.perf_counter()
                    _original(*args[: 1 if _name == "_show_new_content" else 0])
                    spent[_name] = time.perf_counter() - began

                setattr(window, name, timed)
            service = SyncService(kiosk, server.url, "noi-bai", schedule=False, parent=window)
            window.attach_sync(service)
            ticks: list[float] = []
            timer = QTimer()
            timer.setInterval(5)
            timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
            timer.start()
            idle = QEventLoop()
            QTimer.singleShot(1000, idle, idle.quit)
            idle.exec()
            baseline = max(b - a for a, b in itertools.pairwise(ticks))
            ticks.clear()
            loop = QEventLoop()
            service.finished.connect(loop.quit)
            began = time.perf_counter()
            service.sync_now()
            loop.exec()
            refreshed = QEventLoop()
            QTimer.singleShot(500, refreshed, refreshed.quit)  # the refresh after the signal
            refreshed.exec()
            timer.stop()
            took = time.perf_counter() - began
            stall = max(b - a for a, b in itertools.pairwise(ticks))
            status = st.load_status(kiosk)
            assert status.last_outcome == st.OK, status.last_error
            budget = records + blobs
            print(f"delta sync: {status.packs}, {took:.1f} s wall time in total")
            print(
                f"downloaded {status.downloaded_bytes} bytes for {budget} bytes of changed "
                f"records ({records}) and new blobs ({blobs}): "
                f"{status.downloaded_bytes / budget:.2f}× (budget 1.5×)"
            )
            print(f"apply: {status.apply_seconds:.2f} s (budget 5 s)")
            print(
                f"longest UI-thread stall during sync and refresh: {stall * 1000 - 5:.1f} ms "
                f"(budget 50 ms; idle window {baseline * 1000 - 5:.1f} ms)"
            )
            print(
                "on the UI thread: "
                + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in sorted(spent.items()))
            )
            window.close()
            store.close()
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
