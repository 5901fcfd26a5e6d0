"""``kiosk run``: the kiosk application on the local store (bundled content on first run).

One kiosk per data folder: a second one says the first is running and exits. On a data folder
that cannot be written the kiosk starts read-only on the content it has, and out of service
(a slate, not a black screen) when it has none. The widgets of ``ui`` are imported only after
the core has prepared everything the window needs.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from kiosk.app.instance import AlreadyRunning, InstanceLock
from kiosk.app.startup import open_kiosk_data, out_of_service_gate, overridden_gate, saved_gate
from kiosk.commands.common import chosen_gate
from kiosk.errors import ExitCode
from kiosk.options import from_environment
from kiosk.paths import data_dir
from kiosk.sync.trust import log_trust_state

_lock: InstanceLock | None = None  # held until the process ends


def main(args: argparse.Namespace) -> int:
    global _lock
    folder = data_dir(getattr(args, "data_dir", None))
    lock = InstanceLock(folder)
    try:
        lock.acquire()
    except AlreadyRunning as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return ExitCode.ALREADY_RUNNING
    _lock = lock
    windowed = getattr(args, "windowed", False)
    wanted = getattr(args, "gate", None) or from_environment("gate")
    data = open_kiosk_data(folder)
    app = importlib.import_module("ui.app")
    if data.store is None:
        languages, names = out_of_service_gate(wanted or saved_gate(folder))
        return int(app.run_out_of_service(languages, names, data.problem, windowed=windowed))
    log_trust_state(folder)  # no root (sync off) or the demo root: said at every start
    note = overridden_gate(wanted, saved_gate(folder))
    if note:
        logging.getLogger("kiosk.run").warning(note)
    gate = chosen_gate(data.store, wanted)
    return int(app.run_kiosk(data.store, gate, windowed=windowed, problem=data.problem))
