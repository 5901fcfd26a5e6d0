"""Start the Qt application around a content store."""

from __future__ import annotations

import logging
import os
import signal
import sys

from kiosk.content.store import ContentStore
from kiosk.content.views import GateView
from kiosk.options import from_environment


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


def run_kiosk(store: ContentStore, gate: GateView, *, windowed: bool) -> int:
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
    kiosk = Kiosk(services, gate, feed=None, hub=hub)
    window = kiosk.window
    # The application's own signals: how the process ends, and the service manager's pings.
    kiosk.restart_requested.connect(lambda: app.exit(ExitCode.RESTART))
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
        nightly.due.connect(lambda: app.exit(ExitCode.RESTART))
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
