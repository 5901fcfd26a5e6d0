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
from kiosk.i18n import _
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
                _("root of trust installed: version {version}, expires {expires}").format(
                    version=root.signed.version, expires=root.signed.expires.date()
                )
            )
            if is_demo_root(root):
                print(
                    _(
                        "kiosk: this is the public demo root: anybody can sign content this "
                        "kiosk accepts; use it only to try things out"
                    ),
                    file=sys.stderr,
                )
            return ExitCode.OK
        report = export_bundle(args.feed, args.keys, args.out, now)
        print(
            _("{path}: {files} files, {size} bytes, valid until {expires}; {channels}").format(
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
            _("keys for {roles} written to {dir}; the root of trust is {root}").format(
                roles=", ".join(ring.roles()), dir=args.keys, root=ring.root_file()
            )
        )
        return ExitCode.OK
    ring = KeyRing(args.keys)
    if args.keys_command == "add":
        ring.create(args.role)
        print(_("key for {role} created; publish to delegate to it").format(role=args.role))
        return ExitCode.OK
    version = rotate_key(ring, args.role, now=now)
    print(
        _("key for {role} replaced; root is now version {version}; publish to sign with it").format(
            role=args.role, version=version
        )
    )
    return ExitCode.OK


def _publish(args: argparse.Namespace, now: dt.datetime) -> int:
    try:
        source = load_source(args.source)
    except SourceInvalid as exc:
        return print_source_errors(
            exc,
            _("{count} error(s) in {source}; nothing was published."),
            source=args.source,
        )
    report = publish(source, args.feed, args.keys, now)
    if report.new_revision:
        print(
            _(
                "{channel} revision {revision} published to {feed}: {added} added, {changed} "
                "changed, {removed} removed, {blobs} new media files"
            ).format(
                channel=report.channel,
                revision=report.revision,
                feed=args.feed,
                added=len(report.added),
                changed=len(report.changed),
                removed=len(report.removed),
                blobs=report.new_blobs,
            )
        )
    else:
        print(
            _("{channel} unchanged at revision {revision}; signatures renewed").format(
                channel=report.channel, revision=report.revision
            )
        )
    return ExitCode.OK
