"""``kiosk content check|import SOURCE``."""

from __future__ import annotations

import argparse

from kiosk.commands.common import print_source_errors
from kiosk.content.blobs import BlobMismatch
from kiosk.content.importer import AuthorityError, import_source
from kiosk.content.source import SourceInvalid, load_source
from kiosk.content.store import ContentStore
from kiosk.errors import ExitCode, UserError
from kiosk.paths import data_dir


def main(args: argparse.Namespace) -> int:
    try:
        source = load_source(args.source)
    except SourceInvalid as exc:
        return print_source_errors(
            exc,
            (
                "{count} error(s) in {source}; nothing was imported. Fix them and run the "
                "command again."
            ),
            source=args.source,
        )
    translations = sum(len(item.translations) for item in source.items)
    media = len({m.sha256 for item in source.items for m in item.media.values()})
    if args.content_command == "check":
        print(
            f"{args.source}: valid; {len(source.items)} items, {translations} translations, "
            f"{media} media files, {len(source.gates)} gates, "
            f"{len(source.categories)} categories"
        )
        return ExitCode.OK
    store = ContentStore(data_dir(getattr(args, "data_dir", None)))
    try:
        report = import_source(store, source)
    except AuthorityError as exc:
        raise UserError(f"{args.source} was not imported: {exc}") from exc
    except BlobMismatch as exc:
        raise UserError(
            f"a media file of {args.source} changed while it was being imported "
            f"({exc}); nothing was imported, run the command again"
        ) from exc
    finally:
        store.close()
    if report.changed_anything:
        print(
            f"Imported {args.source} as revision {report.revision}: {len(report.added)} added, "
            f"{len(report.changed)} changed, {len(report.removed)} removed, "
            f"{report.unchanged} unchanged."
        )
    else:
        print(
            f"Nothing changed: the store already holds {args.source} (revision {report.revision})."
        )
    return ExitCode.OK
