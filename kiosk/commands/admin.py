"""``kiosk admin set-pin`` and ``kiosk admin audit``."""

from __future__ import annotations

import argparse
import getpass
import sys

from kiosk.admin.audit import AuditLog
from kiosk.admin.db import open_admin
from kiosk.admin.pins import PinRefused, PinStore
from kiosk.cli import UserError
from kiosk.i18n import _
from kiosk.paths import data_dir


def main(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    engine = open_admin(folder)
    log = AuditLog(engine)
    try:
        if args.admin_command == "set-pin":
            pin = _read_pin(args.stdin)
            PinStore(engine, folder / "admin").set_pin(args.role, pin)
            log.record("console", "set-pin", args.role)
            print(_("{role} PIN set").format(role=args.role))
            return 0
        for entry in log.entries(args.last):
            print(f"{entry.id:>6}  {entry.at}  {entry.actor:<8} {entry.action:<16} {entry.detail}")
        broken = log.verify()
        if broken is not None:
            print(
                _(
                    "kiosk: the audit log was altered at entry {id}; keep a copy and report it"
                ).format(id=broken),
                file=sys.stderr,
            )
            return 1
        print(_("audit chain intact; head {head}").format(head=log.head()[:16]))
        return 0
    except PinRefused as exc:
        raise UserError(str(exc)) from exc
    finally:
        engine.dispose()


def _read_pin(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass(_("New PIN: "))
    if getpass.getpass(_("Same PIN again: ")) != first:
        raise UserError(_("the two PINs differ; nothing was changed, run the command again"))
    return first
