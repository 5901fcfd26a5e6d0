"""``kiosk tour --out DIR``: every screen in every language, rendered to PNG files."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from kiosk.commands.common import open_ready_store
from kiosk.errors import ExitCode


def main(args: argparse.Namespace) -> int:
    # A tour only looks: no log file, no usage, no admin database in the data folder.
    store = open_ready_store(args, log_to_folder=False)
    app = importlib.import_module("ui.app")
    app.prepare_environment()
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    importlib.import_module("ui.scheme").register_scheme()
    tour = importlib.import_module("ui.tour")
    count = tour.render_tour(
        store, Path(args.out), args.gate or None, lambda _path: None, size=args.size
    )
    print(f"Wrote {count} screenshots to {args.out}")
    store.close()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written and closed. Skipping the interpreter's teardown avoids a crash in
    # the Qt bindings when they release QtWebEngine objects in no particular order at exit.
    os._exit(ExitCode.OK)
