"""The ``kiosk`` command line (SPEC §5).

It speaks English, as the log does: its readers are technicians and scripts, and what it prints
quotes the core's English messages, argparse's own words and tracebacks. Its strings are
therefore not marked for translation; the maintenance panel is the operator's translated
surface.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kiosk import __version__
from kiosk.errors import ExitCode, UserError

# The module whose ``main(args)`` runs each command, imported only when that command runs (a
# quick start; no command imports this module). "bundle" is split by its action.
COMMANDS = {
    "run": "kiosk.commands.run",
    "tour": "kiosk.commands.tour",
    "search": "kiosk.commands.search",
    "content": "kiosk.commands.content",
    "keys": "kiosk.commands.feed",
    "publish": "kiosk.commands.feed",
    "trust": "kiosk.commands.feed",
    "bundle export": "kiosk.commands.feed",
    "bundle import": "kiosk.commands.sync",
    "sync": "kiosk.commands.sync",
    "admin": "kiosk.commands.admin",
    "analytics": "kiosk.commands.usage",
    "hub": "kiosk.commands.usage",
}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=(
            "where the kiosk keeps its data (default: $KIOSK_DATA_DIR or the "
            "platform's user data directory)"
        ),
    )
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    parser = argparse.ArgumentParser(
        prog="kiosk", parents=[common], description="Border-gate lookup kiosk"
    )
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser("run", parents=[common], help="start the kiosk application")
    run.add_argument(
        "--windowed", action="store_true", help="run in a window instead of full screen"
    )
    run.add_argument("--gate", metavar="ID", help="gate profile to show")

    content = commands.add_parser("content", parents=[common], help="authoring sources")
    content_commands = content.add_subparsers(
        dest="content_command", metavar="ACTION", required=True
    )
    check = content_commands.add_parser("check", parents=[common], help="validate a source folder")
    check.add_argument("source", metavar="SOURCE", type=Path)
    load = content_commands.add_parser(
        "import", parents=[common], help="validate a source and load it into the store"
    )
    load.add_argument("source", metavar="SOURCE", type=Path)
    search = commands.add_parser("search", parents=[common], help="search the local store")
    search.add_argument("query", metavar="QUERY", nargs="?")
    search.add_argument("--lang", metavar="L", help="interface language of the search")
    search.add_argument("--gate", metavar="ID", help="gate whose items are searched")
    search.add_argument(
        "--limit",
        metavar="N",
        type=int,
        default=10,
        help="how many results at most (default 10)",
    )
    search.add_argument("--json", action="store_true", help="answer in JSON")
    search.add_argument(
        "--stdin",
        action="store_true",
        help="read one query per line; with --json, answer one line each",
    )
    tour = commands.add_parser(
        "tour", parents=[common], help="render every screen in every language to PNG files"
    )
    tour.add_argument("--out", metavar="DIR", required=True, help="folder for the pictures")
    tour.add_argument(
        "--gate",
        metavar="ID",
        action="append",
        help="only this gate (may be given more than once)",
    )
    tour.add_argument(
        "--size",
        metavar="WxH",
        type=_screen_size,
        default=(1920, 1080),
        help="the screen's size in pixels, for instance 1366x768 or 1080x1920 (default 1920x1080)",
    )
    _feed_commands(commands, common)
    admin = commands.add_parser("admin", parents=[common], help="staff and operator access")
    admin_commands = admin.add_subparsers(dest="admin_command", metavar="ACTION", required=True)
    set_pin = admin_commands.add_parser(
        "set-pin", parents=[common], help="set the admin or staff PIN (asked twice)"
    )
    set_pin.add_argument("--role", choices=["admin", "staff"], required=True)
    set_pin.add_argument(
        "--stdin", action="store_true", help="read the PIN from standard input (scripts)"
    )
    log = admin_commands.add_parser(
        "audit", parents=[common], help="print the audit log and check its hash chain"
    )
    log.add_argument("--last", metavar="N", type=int, default=50)
    listing = admin_commands.add_parser(
        "options", parents=[common], help="list every setting and environment variable"
    )
    listing.add_argument("--markdown", action="store_true", help="as the README's table")
    status = admin_commands.add_parser(
        "status",
        parents=[common],
        help="print the kiosk's state: content, sync, network, disk, audit chain, clock",
    )
    status.add_argument("--json", action="store_true", help="answer in JSON")
    status.add_argument(
        "--events", metavar="N", type=int, default=10, help="recent log lines (default 10)"
    )
    _usage_commands(commands, common)
    return parser


def _screen_size(text: str) -> tuple[int, int]:
    """``WxH`` (``1366x768``) as (width, height): a screen between 640 and 7680 pixels a side."""
    width, _x, height = text.lower().replace("×", "x").partition("x")
    if not (width.isdigit() and height.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 1366x768")
    size = (int(width), int(height))
    if not all(640 <= side <= 7680 for side in size):
        raise argparse.ArgumentTypeError(f"{text!r}: each side must be 640 to 7680 pixels")
    return size


def _usage_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    analytics = commands.add_parser(
        "analytics", parents=[common], help="this kiosk's anonymous usage figures"
    )
    actions = analytics.add_subparsers(dest="analytics_command", metavar="ACTION", required=True)
    send = actions.add_parser(
        "upload", parents=[common], help="send closed periods and a heartbeat to the hub"
    )
    send.add_argument("--hub", metavar="URL", required=True)
    send.add_argument("--kiosk-id", metavar="ID", required=True)
    send.add_argument("--token", metavar="TOKEN", help="default: $KIOSK_HUB_TOKEN")
    send.add_argument(
        "--hub-ca",
        metavar="FILE",
        help="certificates to trust for the hub's TLS (default: $KIOSK_HUB_CA, else system)",
    )
    actions.add_parser("show", parents=[common], help="print the figures kept on this kiosk")

    hub = commands.add_parser("hub", parents=[common], help="the usage hub service")
    hub_actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    for name, text in (
        ("serve", "run the hub web service"),
        ("add-kiosk", "register a kiosk and print its token"),
        ("list", "list the registered kiosks and what is wrong with them"),
        ("add-operator", "register an operator of the fleet page and print the password"),
        ("report", "write the yearly evaluation report"),
    ):
        action = hub_actions.add_parser(name, parents=[common], help=text)
        action.add_argument(
            "--db",
            metavar="URL",
            help="database URL (default: SQLite hub.db in the data directory)",
        )
        if name == "serve":
            action.add_argument("--host", default="127.0.0.1")
            action.add_argument("--port", type=int, default=8470)
            action.add_argument(
                "--tls-cert",
                metavar="FILE",
                type=Path,
                help="serve HTTPS with this certificate (PEM, with its chain)",
            )
            action.add_argument(
                "--tls-key",
                metavar="FILE",
                type=Path,
                help="the certificate's private key (PEM)",
            )
        elif name == "add-kiosk":
            action.add_argument("kiosk_id", metavar="ID")
            action.add_argument(
                "--gate", metavar="GATE", required=True,
                help="the gate the kiosk stands at: its figures count there, nowhere else",
            )  # fmt: skip
            action.add_argument(
                "--gates", metavar="FILE", type=Path,
                help="gates.toml of your content source (default: the bundled content's)",
            )  # fmt: skip
            action.add_argument(
                "--again", action="store_true",
                help="register a known kiosk again: new token and gate, audit history reset",
            )  # fmt: skip
        elif name == "add-operator":
            action.add_argument("operator", metavar="NAME")
        elif name == "report":
            action.add_argument("--year", type=int, required=True)
            action.add_argument("--out", metavar="DIR", type=Path, required=True)


def _feed_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    keys = commands.add_parser("keys", parents=[common], help="signing keys of a feed")
    keys_commands = keys.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    init = keys_commands.add_parser(
        "init", parents=[common], help="create signing keys and the first signed root.json"
    )
    init.add_argument("keys", metavar="DIR", type=Path)
    init.add_argument(
        "--province",
        metavar="CODE",
        action="append",
        default=[],
        help="also create the key of this province's role (may be given more than once)",
    )
    add = keys_commands.add_parser(
        "add", parents=[common], help="create the key of a new role (province-CODE)"
    )
    add.add_argument("keys", metavar="DIR", type=Path)
    add.add_argument("role", metavar="ROLE")
    rotate = keys_commands.add_parser(
        "rotate", parents=[common], help="replace a role's key (root, targets, national …)"
    )
    rotate.add_argument("keys", metavar="DIR", type=Path)
    rotate.add_argument("role", metavar="ROLE")

    publish = commands.add_parser(
        "publish", parents=[common], help="publish a source as a new signed feed revision"
    )
    publish.add_argument("source", metavar="SOURCE", type=Path)
    publish.add_argument("--feed", metavar="DIR", type=Path, required=True)
    publish.add_argument("--keys", metavar="DIR", type=Path, required=True)

    trust = commands.add_parser(
        "trust", parents=[common], help="install the root of trust feeds are verified against"
    )
    trust.add_argument("root", metavar="ROOT_JSON", type=Path)

    sync = commands.add_parser(
        "sync", parents=[common], help="bring the local store up to date from a feed"
    )
    sync.add_argument("--once", action="store_true", help="one cycle, then exit")
    sync.add_argument("--feed", metavar="URL_OR_DIR", help="feed address, folder or bundle")
    sync.add_argument("--gate", metavar="ID", help="only the channels of this gate's province")
    sync.add_argument(
        "--bandwidth", metavar="KBIT", type=int, help="download at most this many kbit/s"
    )
    sync.add_argument(
        "--status", action="store_true", help="print the last outcome and do nothing else"
    )

    bundle = commands.add_parser("bundle", parents=[common], help="offline transfer by USB")
    bundle_commands = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)
    export = bundle_commands.add_parser(
        "export", parents=[common], help="write the feed into one bundle file"
    )
    export.add_argument("--feed", metavar="DIR", type=Path, required=True)
    export.add_argument("--keys", metavar="DIR", type=Path, required=True)
    export.add_argument("--out", metavar="FILE", type=Path, required=True)
    load = bundle_commands.add_parser(
        "import", parents=[common], help="verify and apply a bundle file"
    )
    load.add_argument("bundle", metavar="FILE", type=Path)


def main(argv: Sequence[str] | None = None) -> int:
    from kiosk.textsafe import escaped_output

    # The one place every command prints through: names from sticks, feeds and the network
    # show their control characters escaped instead of driving the operator's terminal.
    with escaped_output():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        return int(importlib.import_module(COMMANDS[command_name(args)]).main(args))
    except UserError as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except Exception as exc:
        if debug:
            raise
        print(
            f"kiosk: internal error ({exc}); run again with --debug for the details",
            file=sys.stderr,
        )
        return ExitCode.INTERNAL_ERROR


def command_name(args: argparse.Namespace) -> str:
    """The key of ``COMMANDS`` for parsed arguments (no command: ``run``)."""
    if args.command == "bundle":
        return f"bundle {args.bundle_command}"
    return str(args.command or "run")


if __name__ == "__main__":
    sys.exit(main())
