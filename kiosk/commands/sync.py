"""``kiosk sync`` and ``kiosk bundle import``."""

from __future__ import annotations

import argparse
import sys
import time

from kiosk.app.feed_source import resolve_feed
from kiosk.commands.common import open_ready_store
from kiosk.errors import ExitCode, UserError
from kiosk.paths import data_dir
from kiosk.sync import status as st
from kiosk.sync.client import SyncOptions, sync_once
from kiosk.sync.schedule import next_delay
from kiosk.sync.trust import trust_state

GOOD = (st.OK, st.CURRENT)


def main(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    if args.command == "sync" and args.status:
        status = st.load_status(folder)
        status.trust = trust_state(folder)  # now, not at the last attempt
        print("\n".join(status.describe()))
        return ExitCode.OK
    if args.command == "bundle":
        feed = str(args.bundle)
        if not args.bundle.is_file():
            raise UserError(
                f"{args.bundle} is not a file; give the bundle file written by "
                "'kiosk bundle export'"
            )
    else:
        resolved = resolve_feed(folder, args.feed)
        if not resolved:
            raise UserError(
                "no feed given; pass --feed with the feed's address, folder or bundle file"
            )
        feed = resolved
    options = SyncOptions(
        feed=feed,
        gate=getattr(args, "gate", None),
        bandwidth=args.bandwidth * 125 if getattr(args, "bandwidth", None) else None,
    )
    store = open_ready_store(args)
    try:
        once = args.command == "bundle" or args.once
        while True:
            status = sync_once(store, options)
            print("\n".join(status.describe()), flush=True)
            if once:
                break
            time.sleep(next_delay(status.last_outcome or st.FAILED, status.failures))
    finally:
        store.close()
    if status.last_outcome not in GOOD:
        print(
            "kiosk: sync {outcome}: {error}".format(
                outcome=status.last_outcome, error=status.last_error or ""
            ),
            file=sys.stderr,
        )
        return ExitCode.FAILURE
    return ExitCode.OK
