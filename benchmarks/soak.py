"""Soak: thousands of scripted traveller sessions against the real window, offscreen.

Each session picks a language, opens a category and an item (a real page load in the web
view), types a search on the on-screen keyboard one key at a time, opens a result, and ends
with the idle reset. Every ``--every`` sessions, while the session's first item page is shown
(so its renderer process counts), it prints the memory of the whole process tree
(QtWebEngine's processes included) and the time per session. Budget (SPEC §6): ≤ 400 MB after
1,000 sessions and ≤ 10 % growth from session 100 to 1,000.

Run it alone: memory is the proportional set size (PSS), which splits shared library pages
among every process mapping them, so another program using the same Qt files makes the figure
look smaller than it is.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.app import prepare_environment

prepare_environment()

from figures import percentile  # noqa: E402
from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.app.session import Place  # noqa: E402
from kiosk.content.bundled import import_bundled_apart  # noqa: E402
from kiosk.content.store import ContentStore  # noqa: E402
from ui.scheme import register_scheme  # noqa: E402

TYPED = {"vi": "visa", "en": "visa", "zh": "huzhao", "ko": "여권", "ru": "виза", "lo": "ວີຊາ",
         "km": "ទិដ្ឋាការ"}  # fmt: skip


def tree_memory_mb(pid: int) -> float:
    """Memory of ``pid`` and all its descendants, in MB: the sum of their proportional set
    sizes (PSS), so pages the processes share (QtWebEngine's zygote, libraries) count once."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def pump(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop, loop.quit)
    loop.exec()


def wait_for(signal, ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(ms, loop, loop.quit)
    loop.exec()
    signal.disconnect(loop.quit)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=10_000)
    parser.add_argument("--every", type=int, default=500)
    args = parser.parse_args()
    register_scheme()
    app = QApplication(["kiosk-soak"])
    app.setApplicationName("border-kiosk")
    from ui.kiosk_window import KioskWindow

    with tempfile.TemporaryDirectory() as folder:
        import_bundled_apart(Path(folder))  # as `kiosk run` does on a first start
        store = ContentStore(Path(folder))
        gate = store.gate("noi-bai")
        assert gate is not None
        window = KioskWindow(store, gate, today=lambda: dt.date(2026, 12, 1))
        window.resize(1920, 1080)
        window.show()
        pump(500)
        categories = [c.id for c in store.categories(gate.id, dt.date(2026, 12, 1)) if not c.parent]
        items = [s.id for s in store.items(gate.id, dt.date(2026, 12, 1))]
        marks: dict[int, float] = {}
        first_item: list[float] = []  # a session's first item page: opened to loaded
        started = last = time.perf_counter()
        for n in range(1, args.sessions + 1):
            lang = gate.languages[n % len(gate.languages)]
            window.start_screen.buttons[lang].click()
            window.home_screen.tiles[categories[n % len(categories)]].click()
            opened = time.perf_counter()
            window.session.go(Place("item", items[n % len(items)]))
            wait_for(window.item_screen.view.loadFinished)
            first_item.append(time.perf_counter() - opened)
            measured = n in (100, 1000) or n % args.every == 0
            if measured:  # while a page is shown: its renderer process counts too
                memory = tree_memory_mb(os.getpid())
            window.session.go(Place("search"))
            screen = window.search_screen
            for end in range(1, len(TYPED.get(lang, "visa")) + 1):
                screen.field.setText(TYPED.get(lang, "visa")[:end])  # one key at a time
            wait_for(screen.results_shown, 3000)
            if screen.last_result and screen.last_result.hits:
                window.session.go(Place("item", screen.last_result.hits[0].item_id))
                wait_for(window.item_screen.view.loadFinished)
            window.session.idle_timeout()
            pump(5)
            if measured:
                marks[n] = memory
                now = time.perf_counter()
                per = (now - last) / (args.every if n % args.every == 0 else n)
                print(f"session {n:>6}: {memory:7.1f} MB for the process tree, "
                      f"{per * 1000:6.0f} ms a session lately", flush=True)  # fmt: skip
                last = now
        if 100 in marks and 1000 in marks:
            growth = (marks[1000] - marks[100]) / marks[100] * 100
            print(f"after 1,000 sessions: {marks[1000]:.0f} MB (budget 400 MB); "
                  f"growth from 100 to 1,000: {growth:+.1f} % (budget 10 %)")  # fmt: skip
        print(f"a session's first item page, opened to loaded: "
              f"p50 {percentile(first_item, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(first_item, 0.95) * 1000:.0f} ms")  # fmt: skip
        print(f"{args.sessions} sessions in {time.perf_counter() - started:.0f} s, no crash")
        window.close()
        store.close()
    os._exit(0)  # QtWebEngine's teardown at interpreter exit is not part of the measurement


if __name__ == "__main__":
    sys.exit(main())
