"""``kiosk sync`` and ``kiosk bundle import``."""

from __future__ import annotations

import argparse
import os
import sys
import time

from kiosk.cli import UserError
from kiosk.commands.common import open_ready_store
from kiosk.paths import data_dir
from kiosk.sync import status as st
from kiosk.sync.client import SyncOptions, sync_once
from kiosk.sync.schedule import next_delay

GOOD = (st.OK, st.CURRENT)


def main(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    if args.command == "sync" and args.status:
        print("\n".join(st.load_status(folder).describe()))
        return 0
    if args.command == "bundle":
        feed = str(args.bundle)
        if not args.bundle.is_file():
            raise UserError(
                f"{args.bundle} is not a file; give the bundle file written by "
                "'kiosk bundle export'"
            )
    else:
        feed = args.feed or os.environ.get("KIOSK_FEED") or st.load_status(folder).feed
        if not feed:
            raise UserError(
                "no feed given; pass --feed with the feed's address, folder or bundle file"
            )
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
        return 1
    return 0
