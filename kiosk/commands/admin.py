"""``kiosk admin set-pin``, ``kiosk admin audit`` and ``kiosk admin status``."""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.admin.audit import AuditLog
from kiosk.admin.db import open_admin
from kiosk.admin.pins import PinRefused, PinStore, Role
from kiosk.commands.status import print_status
from kiosk.errors import ExitCode, UserError
from kiosk.paths import data_dir


def main(args: argparse.Namespace) -> int:
    if args.admin_command == "options":  # reads no data folder
        from kiosk.commands.options import print_options

        return print_options(markdown=args.markdown)
    folder = data_dir(getattr(args, "data_dir", None))
    if args.admin_command == "status":
        return print_status(folder, as_object=args.json, events=args.events)
    engine = open_admin(folder)
    log = AuditLog(engine)
    try:
        if args.admin_command == "set-pin":
            pin = _read_pin(args.stdin)
            store = PinStore(engine, folder / "admin")
            store.set_pin(args.role, pin)
            log.record("console", "set-pin", args.role)
            print(f"{args.role} PIN set")
            if args.role == Role.ADMIN:
                _print_recovery_code(store.new_recovery_code())
                log.record("console", "recovery-code-set")
            return ExitCode.OK
        for entry in log.entries(args.last):
            print(f"{entry.id:>6}  {entry.at}  {entry.actor:<8} {entry.action:<16} {entry.detail}")
        broken = log.verify()
        if broken is not None:
            print(
                f"kiosk: the audit log was altered at entry {broken}; keep a copy and report it",
                file=sys.stderr,
            )
            return ExitCode.FAILURE
        print(f"audit chain intact; head {log.head()[:16]}")
        return ExitCode.OK
    except PinRefused as exc:
        raise UserError(str(exc)) from exc
    finally:
        engine.dispose()


def _print_recovery_code(code: str) -> None:
    """Shown once, never stored in clear: the way back in when wrong PINs have locked staff out."""
    grouped = " ".join(code[i : i + 4] for i in range(0, len(code), 4))
    print(f"Recovery code (shown only now; keep it sealed, away from the kiosk): {grouped}")
    print(
        "On the admin PIN pad, tap 'Recovery code' and type its digits: it clears a PIN "
        "lockout and opens the panel once. Setting the admin PIN again prints a new one."
    )


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass("New PIN: ")
    if getpass.getpass("Same PIN again: ") != first:
        raise UserError("the two PINs differ; nothing was changed, run the command again")
    return first
