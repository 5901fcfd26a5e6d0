"""``kiosk keys …``, ``kiosk publish``, ``kiosk trust`` and ``kiosk bundle export``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from kiosk.commands.common import print_source_errors
from kiosk.content.source import SourceInvalid, load_source
from kiosk.errors import ExitCode, UserError
from kiosk.feed.bundle import export_bundle
from kiosk.feed.keys import KeyProblem, KeyRing, init_keys, rotate_key
from kiosk.feed.names import BadName
from kiosk.feed.packs import PackError
from kiosk.feed.publish import PublishRefused, publish
from kiosk.feed.repository import FeedProblem
from kiosk.paths import data_dir
from kiosk.sync.trust import TrustProblem, install_root, is_demo_root


def main(args: argparse.Namespace) -> int:
    now = dt.datetime.now(dt.UTC)
    try:
        if args.command == "keys":
            return _keys(args, now)
        if args.command == "publish":
            return _publish(args, now)
        if args.command == "trust":
            root = install_root(data_dir(getattr(args, "data_dir", None)), args.root)
            print(
                f"root of trust installed: version {root.signed.version}, "
                f"expires {root.signed.expires.date()}"
            )
            if is_demo_root(root):
                print(
                    ("kiosk: this is the public demo root: anybody can sign content this "
                        "kiosk accepts; use it only to try things out"),
                    file=sys.stderr,
                )
            return ExitCode.OK
        report = export_bundle(args.feed, args.keys, args.out, now)
        print(
            "{path}: {files} files, {size} bytes, valid until {expires}; {channels}".format(
                path=report.path,
                files=report.files,
                size=report.size,
                expires=report.expires[:10],
                channels=", ".join(f"{c} r{r}" for c, r in sorted(report.revisions.items())),
            )
        )
        return ExitCode.OK
    except (KeyProblem, FeedProblem, BadName, PublishRefused, TrustProblem, PackError) as exc:
        raise UserError(str(exc)) from exc


def _keys(args: argparse.Namespace, now: dt.datetime) -> int:
    if args.keys_command == "init":
        ring = init_keys(args.keys, provinces=args.province, now=now)
        print(
            "keys for {roles} written to {dir}; the root of trust is {root}".format(
                roles=", ".join(ring.roles()), dir=args.keys, root=ring.root_file()
            )
        )
        return ExitCode.OK
    ring = KeyRing(args.keys)
    if args.keys_command == "add":
        ring.create(args.role)
        print(f"key for {args.role} created; publish to delegate to it")
        return ExitCode.OK
    version = rotate_key(ring, args.role, now=now)
    print(
        f"key for {args.role} replaced; root is now version {version}; publish to sign with it"
    )
    return ExitCode.OK


def _publish(args: argparse.Namespace, now: dt.datetime) -> int:
    try:
        source = load_source(args.source)
    except SourceInvalid as exc:
        return print_source_errors(
            exc,
            "{count} error(s) in {source}; nothing was published.",
            source=args.source,
        )
    report = publish(source, args.feed, args.keys, now)
    if report.new_revision:
        print(
            f"{report.channel} revision {report.revision} published to {args.feed}: "
            f"{len(report.added)} added, {len(report.changed)} changed, "
            f"{len(report.removed)} removed, {report.new_blobs} new media files"
        )
    else:
        print(
            f"{report.channel} unchanged at revision {report.revision}; signatures renewed"
        )
    return ExitCode.OK
