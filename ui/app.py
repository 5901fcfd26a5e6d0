"""Start the Qt application around a content store."""

from __future__ import annotations

import os
import signal
import sys

from kiosk.content.store import ContentStore
from kiosk.content.views import GateView


def prepare_environment() -> None:
    """Remove inherited QtWebEngine switches (devtools ports, flags) before Qt reads them.

    Chromium's sandbox cannot run as root; only then is it turned off (development machines and
    CI). The real kiosk runs as an unprivileged user with the sandbox on.

    Pages are drawn in software unless ``KIOSK_GPU=1``: the kiosk shows text and still images,
    and GPU drivers (Mesa's LLVM among them) cost about 60 MB of a process tree that has to stay
    under 400 MB for weeks, and are the usual cause of a blank web view on odd hardware.
    """
    for name in [n for n in os.environ if n.startswith("QTWEBENGINE_")]:
        del os.environ[name]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    if os.environ.get("KIOSK_GPU") != "1":
        os.environ["QT_QUICK_BACKEND"] = "software"
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = "--disable-gpu"


def run_kiosk(store: ContentStore, gate: GateView, *, windowed: bool) -> int:
    prepare_environment()
    from PySide6.QtWidgets import QApplication

    from ui.scheme import register_scheme

    register_scheme()
    app = QApplication([sys.argv[0] if sys.argv else "kiosk"])
    app.setApplicationName("border-kiosk")
    from kiosk.app.services import open_services
    from ui.admin.controller import RESTART_EXIT_CODE
    from ui.wiring import Kiosk

    services = open_services(store)
    # The feed: $KIOSK_FEED, the panel's setting, else the one the last 'kiosk sync' used.
    feed = os.environ.get("KIOSK_FEED") or services.settings.feed
    # Usage figures go to the hub when it is configured: $KIOSK_HUB, $KIOSK_ID, $KIOSK_HUB_TOKEN.
    hub_parts = [os.environ.get(n, "") for n in ("KIOSK_HUB", "KIOSK_ID", "KIOSK_HUB_TOKEN")]
    hub = (hub_parts[0], hub_parts[1], hub_parts[2]) if all(hub_parts) else None
    kiosk = Kiosk(services, gate, feed=feed, hub=hub)
    window = kiosk.window
    # The application's own signals: how the process ends, and the service manager's pings.
    kiosk.restart_requested.connect(lambda: app.exit(RESTART_EXIT_CODE))
    kiosk.quit_requested.connect(app.quit)
    from PySide6.QtCore import QTimer

    from kiosk.app.watchdog import Watchdog

    watchdog = Watchdog(window)
    QTimer.singleShot(0, watchdog.ready)  # after the first frame: the start screen is up
    app.aboutToQuit.connect(watchdog.stopping)
    if os.environ.get("NOTIFY_SOCKET"):  # under a service manager, which starts it again
        from kiosk.app.nightly import NightlyRestart
        from kiosk.app.session import START

        nightly = NightlyRestart(lambda: kiosk.session.place == START, parent=window)
        nightly.due.connect(lambda: app.exit(RESTART_EXIT_CODE))
    # The service manager stops the kiosk with SIGTERM: quit as from the panel (the session
    # ends, STOPPING=1 is sent). Python runs signal handlers only between bytecodes, so a
    # timer gives it the chance while Qt waits for input.
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    pulse = QTimer(window)
    pulse.timeout.connect(lambda: None)
    pulse.start(500)
    if windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.showFullScreen()
    return app.exec()
