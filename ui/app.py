"""Start the Qt application around a content store."""

from __future__ import annotations

import logging
import os
import signal
import sys
from typing import TYPE_CHECKING

from kiosk.content.store import ContentStore
from kiosk.content.views import GateView
from kiosk.options import from_environment
from kiosk.storage import StorageProblem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

RETRY_SECONDS = 60  # out of service on a full or read-only disk: how often it looks again


def prepare_environment() -> None:
    """Remove inherited QtWebEngine switches (devtools ports, flags) before Qt reads them.

    It also drops a hub token found there: only the upload process may hold it.

    Chromium's sandbox cannot run as root; only then is it turned off (development machines and
    CI). The real kiosk runs as an unprivileged user with the sandbox on.

    Pages are drawn in software unless ``KIOSK_GPU=1``: the kiosk shows text and still images,
    and GPU drivers (Mesa's LLVM among them) cost about 60 MB of a process tree that has to stay
    under 400 MB for weeks, and are the usual cause of a blank web view on odd hardware.
    """
    for name in [n for n in os.environ if n.startswith("QTWEBENGINE_")]:
        del os.environ[name]
    # The hub token is for the upload process alone, which reads it from its file
    # ($KIOSK_HUB_TOKEN_FILE): in this environment every page process would inherit it.
    if os.environ.pop("KIOSK_HUB_TOKEN", None) is not None:
        logging.getLogger("kiosk.app").warning(
            "KIOSK_HUB_TOKEN was set in the kiosk's environment, where every process of the "
            "kiosk could read it, and was ignored; put the token in the file named by "
            "KIOSK_HUB_TOKEN_FILE (/etc/border-kiosk/hub-token, owner root, group kiosk, "
            "mode 0640) and remove it from /etc/default/border-kiosk"
        )
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    if not from_environment("gpu"):
        os.environ["QT_QUICK_BACKEND"] = "software"
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = "--disable-gpu"


def run_kiosk(
    store: ContentStore,
    gate: GateView,
    *,
    windowed: bool,
    problem: StorageProblem | None = None,
) -> int:
    """The traveller application on ``store``; ``problem``: what stops writes to the data
    folder (the store was opened read-only), said to the service manager."""
    prepare_environment()
    from PySide6.QtWidgets import QApplication

    from ui.scheme import register_scheme

    register_scheme()
    app = QApplication([sys.argv[0] if sys.argv else "kiosk"])
    app.setApplicationName("border-kiosk")
    from kiosk.app.services import open_services
    from kiosk.errors import ExitCode
    from ui.wiring import Kiosk

    services = open_services(store)
    # Usage figures go to the hub when it is configured: $KIOSK_HUB, $KIOSK_ID, and the file
    # holding the token, $KIOSK_HUB_TOKEN_FILE (read by the upload process only).
    hub_parts = [from_environment(n) or "" for n in ("hub", "kiosk_id", "hub_token_file")]
    hub = (hub_parts[0], hub_parts[1], hub_parts[2]) if all(hub_parts) else None
    # No feed given: the sync service resolves it as 'kiosk sync' does (kiosk.app.feed_source).
    # A store opened read-only must not change under it: no sync until the kiosk restarts.
    kiosk = Kiosk(services, gate, feed=None, hub=hub, schedule_sync=not store.read_only)
    window = kiosk.window
    # The application's own signals: how the process ends, and the service manager's pings.
    kiosk.restart_requested.connect(lambda: app.exit(ExitCode.RESTART))
    kiosk.quit_requested.connect(app.quit)
    from PySide6.QtCore import QTimer

    from kiosk.app.watchdog import Watchdog

    watchdog = Watchdog(window)
    status = "showing the start screen" + (f"; {problem}" if problem else "")
    QTimer.singleShot(0, lambda: watchdog.ready(status))  # after the first frame
    app.aboutToQuit.connect(watchdog.stopping)
    if os.environ.get("NOTIFY_SOCKET"):  # under a service manager, which starts it again
        from kiosk.app.nightly import NightlyRestart
        from kiosk.app.session import START

        nightly = NightlyRestart(lambda: kiosk.session.place == START, parent=window)
        nightly.due.connect(lambda: app.exit(ExitCode.RESTART))
    # The service manager stops the kiosk with SIGTERM: quit as from the panel (the session
    # ends, STOPPING=1 is sent). Python runs signal handlers only between bytecodes, so a
    # timer gives it the chance while Qt waits for input.
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    pulse = QTimer(window)
    pulse.timeout.connect(lambda: None)
    pulse.start(500)
    show(window, windowed=windowed)
    return app.exec()


def show(window: QWidget, *, windowed: bool) -> None:
    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        fill_screen(window)


def fill_screen(window: QWidget) -> None:
    """Full screen, with or without a window manager. Full screen is a request to the window
    manager; a bare X server has none, and the window kept its default size in a corner. The
    geometry is therefore set from the screen first (and again when the screen changes)."""
    screen = window.screen()
    window.setGeometry(screen.geometry())
    screen.geometryChanged.connect(window.setGeometry)
    window.showFullScreen()


def run_out_of_service(
    languages: tuple[str, ...],
    gate_names: dict[str, str],
    problem: StorageProblem | None,
    *,
    windowed: bool,
) -> int:
    """No content to show: a slate saying the kiosk is out of service, in the gate's
    languages, instead of a black screen; the service manager hears it is up (no restart
    loop). When the data folder takes writes again it asks to be started again."""
    prepare_environment()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app.watchdog import Watchdog
    from kiosk.errors import ExitCode
    from kiosk.storage import write_refused
    from ui.slate import OutOfServiceSlate

    app = QApplication([sys.argv[0] if sys.argv else "kiosk"])
    app.setApplicationName("border-kiosk")
    slate = OutOfServiceSlate(languages, gate_names, problem)
    watchdog = Watchdog(slate)
    reason = f": {problem}" if problem else ""
    QTimer.singleShot(0, lambda: watchdog.ready(f"out of service{reason}"))
    app.aboutToQuit.connect(watchdog.stopping)
    if problem is not None and os.environ.get("NOTIFY_SOCKET"):  # a service restarts it

        def look_again() -> None:
            if write_refused(problem.path) is None:
                app.exit(ExitCode.RESTART)

        retry = QTimer(slate)
        retry.timeout.connect(look_again)
        retry.start(RETRY_SECONDS * 1000)
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    pulse = QTimer(slate)
    pulse.timeout.connect(lambda: None)
    pulse.start(500)
    show(slate, windowed=windowed)
    return app.exec()
