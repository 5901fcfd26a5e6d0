"""``kiosk run``: the kiosk application on the local store (bundled content on first run).

This command is the composition root: it is the one place in ``kiosk`` that starts the widgets
in ``ui``, and it does so only after the core has prepared everything the window needs.
"""

from __future__ import annotations

import argparse
import importlib

from kiosk.cli import UserError
from kiosk.content.bundled import ensure_content
from kiosk.content.store import ContentStore
from kiosk.i18n import _
from kiosk.paths import data_dir
from kiosk.search.maintenance import ensure_index


def main(args: argparse.Namespace) -> int:
    store = ContentStore(data_dir(getattr(args, "data_dir", None)))
    ensure_content(store)
    ensure_index(store)
    gates = store.gates()
    wanted = getattr(args, "gate", None)
    gate = next((g for g in gates if g.id == wanted or not wanted), None)
    if gate is None:
        known = ", ".join(g.id for g in gates) or _("none")
        raise UserError(
            _(
                "gate '{gate}' is not in the content (known gates: {known}); pass one "
                "of them with --gate"
            ).format(gate=wanted, known=known)
        )
    app = importlib.import_module("ui.app")
    return int(app.run_kiosk(store, gate, windowed=getattr(args, "windowed", False)))
