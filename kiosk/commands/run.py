"""``kiosk run``: the kiosk application on the local store (bundled content on first run).

This command is the composition root: it is the one place in ``kiosk`` that starts the widgets
in ``ui``, and it does so only after the core has prepared everything the window needs.
"""

from __future__ import annotations

import argparse
import importlib

from kiosk.commands.common import chosen_gate, open_ready_store
from kiosk.options import from_environment
from kiosk.sync.trust import log_trust_state


def main(args: argparse.Namespace) -> int:
    store = open_ready_store(args, apart=True)
    log_trust_state(store.data_dir)  # no root (sync off) or the demo root: said at every start
    gate = chosen_gate(store, getattr(args, "gate", None) or from_environment("gate"))
    app = importlib.import_module("ui.app")
    return int(app.run_kiosk(store, gate, windowed=getattr(args, "windowed", False)))
