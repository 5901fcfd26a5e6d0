"""What several commands do first: open the store ready for use, and find the gate asked for."""

from __future__ import annotations

import argparse
import sys

from kiosk.app.startup import writable_store
from kiosk.content.source import SourceInvalid
from kiosk.content.store import ContentStore
from kiosk.content.views import GateView
from kiosk.errors import ExitCode, UserError
from kiosk.logs import setup_logging
from kiosk.paths import data_dir


def open_ready_store(
    args: argparse.Namespace, *, apart: bool = False, log_to_folder: bool = True
) -> ContentStore:
    """The store of ``--data-dir``, holding the bundled content if it was empty, indexed. A
    damaged database is moved aside (one sentence on stderr) and the bundled content used.
    ``apart``: a first import runs in a child process (for the long-running kiosk).
    ``log_to_folder``: the kiosk's log file in the data folder (else warnings go to stderr)."""
    folder = data_dir(getattr(args, "data_dir", None))
    if log_to_folder:
        setup_logging(folder)
    store, moved = writable_store(folder, apart=apart)
    if moved is not None:
        print(
            (
                f"kiosk: the content database was damaged; it was moved to {moved} and the "
                "bundled content restored; the next sync brings the current content back"
            ),
            file=sys.stderr,
        )
    return store


def print_source_errors(exc: SourceInvalid, summary: str, **values: object) -> int:
    """Every ``file:line: message`` of an invalid source on stderr, then ``summary`` filled
    with ``{count}`` and ``values``; returns the exit status for it."""
    for error in exc.errors:
        print(error, file=sys.stderr)
    print(summary.format(count=len(exc.errors), **values), file=sys.stderr)
    return ExitCode.FAILURE


def chosen_gate(store: ContentStore, gate_id: str | None) -> GateView:
    """The gate asked for, or the first one; a clear sentence if it does not exist."""
    gates = store.gates()
    gate = next((g for g in gates if g.id == gate_id or gate_id is None), None)
    if gate is None:
        known = ", ".join(g.id for g in gates) or "none"
        raise UserError(
            f"gate '{gate_id}' is not in the content (known gates: {known}); pass one "
            "of them with --gate"
        )
    return gate
