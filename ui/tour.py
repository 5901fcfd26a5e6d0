"""Render every screen of the traveller application, in every language of every gate, to PNG.

Used by ``kiosk tour --out DIR`` to look at what travellers see without a kiosk at hand. The
tour only looks: its walks are not counted as usage, the admin database lives in memory, and
the data folder is left as it was found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.app.services import tour_services
from kiosk.app.session import Place, Screen
from kiosk.content.store import ContentStore
from ui.kiosk_window import KioskWindow
from ui.wiring import Kiosk

SIZE = (1920, 1080)  # the usual wall screen; ``kiosk tour --size`` for the others


def _wait(signal: object | None = None, milliseconds: int = 300) -> None:
    """Let Qt work until ``signal`` fires (or for ``milliseconds``), whichever comes first."""
    loop = QEventLoop()
    if signal is not None:
        # Straight to the loop's own slot: no Python function sees the signal's arguments,
        # and the connection ends with the loop.
        signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(milliseconds, loop, loop.quit)
    loop.exec()


def _shoot(window: KioskWindow, folder: Path, name: str, report: Callable[[str], None]) -> None:
    path = folder / f"{name}.png"
    window.grab().save(str(path))
    report(str(path))


def render_tour(
    store: ContentStore,
    folder: Path,
    gates: list[str] | None,
    report: Callable[[str], None],
    today: dt.date | None = None,
    size: tuple[int, int] = SIZE,
) -> int:
    """Write the screenshots, each ``size`` (width, height) pixels; returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    # Kept referenced until the end: the windows below need a living application.
    app = QApplication.instance() or QApplication(["kiosk-tour"])
    assert app is not None
    day = today or dt.date.today()
    services = tour_services(store, lambda: day)
    written = 0
    for gate in store.gates():
        if gates and gate.id not in gates:
            continue
        kiosk = Kiosk(services, gate, schedule_sync=False)
        window, session = kiosk.window, kiosk.session
        window.resize(*size)
        window.show()
        _wait()
        _shoot(window, folder, f"{gate.id}-start", report)
        written += 1
        categories = store.categories(gate.id, day)
        parent = next(
            (c for c in categories if any(x.parent == c.id for x in categories)),
            categories[0] if categories else None,
        )
        items = store.items(gate.id, day)
        procedure = next((i for i in items if i.kind == "procedure"), items[0] if items else None)
        for lang in gate.languages:
            session.reset()
            session.choose_language(lang)
            _wait()
            _shoot(window, folder, f"{gate.id}-{lang}-home", report)
            if parent is not None:
                session.go(Place(Screen.CATEGORY, parent.id))
                _wait()
                _shoot(window, folder, f"{gate.id}-{lang}-category", report)
            if procedure is not None:
                session.go(Place(Screen.ITEM, procedure.id))
                _wait(window.item_screen.view.loadFinished, 10000)
                # Images and the QR code; a larger screen takes longer to draw without a GPU.
                _wait(None, round(500 * max(1.0, size[0] * size[1] / (SIZE[0] * SIZE[1]))))
                _shoot(window, folder, f"{gate.id}-{lang}-item", report)
                title = procedure.title(lang, *gate.languages)[1]
                session.search_text = title.split()[0] if title.split() else title
            session.go(Place(Screen.SEARCH))
            _wait(window.search_screen.results_shown, 5000)
            _wait(None, 300)  # result buttons appear on the next turns of the event loop
            _shoot(window, folder, f"{gate.id}-{lang}-search", report)
            written += 4
        QThreadPool.globalInstance().waitForDone(10000)  # searches still running
        _wait(None, 100)
        window.close()
        window.deleteLater()
        # Delete now, pages before their profile, not whenever the garbage collector runs.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return written
