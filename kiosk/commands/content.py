"""``kiosk content check|import SOURCE``."""

from __future__ import annotations

import argparse

from kiosk.commands.common import print_source_errors
from kiosk.content.blobs import BlobMismatch
from kiosk.content.importer import AuthorityError, import_source
from kiosk.content.source import SourceInvalid, load_source
from kiosk.content.store import ContentStore
from kiosk.errors import ExitCode, UserError
from kiosk.i18n import _
from kiosk.paths import data_dir


def main(args: argparse.Namespace) -> int:
    try:
        source = load_source(args.source)
    except SourceInvalid as exc:
        return print_source_errors(
            exc,
            _(
                "{count} error(s) in {source}; nothing was imported. Fix them and run the "
                "command again."
            ),
            source=args.source,
        )
    translations = sum(len(item.translations) for item in source.items)
    media = len({m.sha256 for item in source.items for m in item.media.values()})
    if args.content_command == "check":
        print(
            _(
                "{source}: valid; {items} items, {translations} translations, {media} media "
                "files, {gates} gates, {categories} categories"
            ).format(
                source=args.source,
                items=len(source.items),
                translations=translations,
                media=media,
                gates=len(source.gates),
                categories=len(source.categories),
            )
        )
        return ExitCode.OK
    store = ContentStore(data_dir(getattr(args, "data_dir", None)))
    try:
        report = import_source(store, source)
    except AuthorityError as exc:
        raise UserError(
            _("{source} was not imported: {error}").format(source=args.source, error=exc)
        ) from exc
    except BlobMismatch as exc:
        raise UserError(
            _(
                "a media file of {source} changed while it was being imported "
                "({error}); nothing was imported, run the command again"
            ).format(source=args.source, error=exc)
        ) from exc
    finally:
        store.close()
    if report.changed_anything:
        print(
            _(
                "Imported {source} as revision {revision}: {added} added, {changed} changed, "
                "{removed} removed, {unchanged} unchanged."
            ).format(
                source=args.source,
                revision=report.revision,
                added=len(report.added),
                changed=len(report.changed),
                removed=len(report.removed),
                unchanged=report.unchanged,
            )
        )
    else:
        print(
            _("Nothing changed: the store already holds {source} (revision {revision}).").format(
                source=args.source, revision=report.revision
            )
        )
    return ExitCode.OK
