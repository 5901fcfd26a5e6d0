"""``kiosk analytics upload|show`` on a kiosk; ``kiosk hub serve|add-kiosk|report`` on the hub."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk import __version__
from kiosk.admin.audit import AuditLog
from kiosk.admin.db import open_admin
from kiosk.analytics.counters import UsageCounters
from kiosk.analytics.upload import send_heartbeat, upload
from kiosk.cli import UserError
from kiosk.i18n import _
from kiosk.paths import data_dir
from kiosk.sync import status as st
from kiosk.sync.trust import trust_state


def main(args: argparse.Namespace) -> int:
    folder = data_dir(getattr(args, "data_dir", None))
    if args.command == "hub":
        return _hub(args, folder)
    from kiosk.admin.settings import load_settings

    engine = open_admin(folder)
    k = load_settings(engine).search_k
    engine.dispose()
    counters = UsageCounters(folder, k=k)
    try:
        if args.analytics_command == "show":
            for day, sessions in counters.daily_sessions(14):
                print(f"{day}  {sessions}")
            for month, lang, term, n, zero in counters.readable_terms():
                print(f"{month}  {lang}  {term}  {n} ({zero} found nothing)")
            return 0
        token = args.token or os.environ.get("KIOSK_HUB_TOKEN") or _token_from_file()
        if not token:
            raise UserError(_("no hub token; pass --token or set KIOSK_HUB_TOKEN"))
        counters.compact()
        result = upload(counters, args.hub, args.kiosk_id, token)
        print(_("usage: {outcome} {detail}").format(outcome=result.outcome, detail=result.detail))
        status = st.load_status(folder)
        beat = send_heartbeat(args.hub, token, _heartbeat(args.kiosk_id, folder, status))
        print(_("heartbeat: {outcome} {detail}").format(outcome=beat.outcome, detail=beat.detail))
        return 0 if result.outcome in ("sent", "nothing") and beat.outcome == "sent" else 1
    finally:
        counters.close()


def _token_from_file() -> str | None:
    """The token in the file named by $KIOSK_HUB_TOKEN_FILE (root's, readable by the kiosk
    group): read here, in the upload process, so the kiosk's other processes never hold it."""
    named = os.environ.get("KIOSK_HUB_TOKEN_FILE")
    if not named:
        return None
    try:
        token = Path(named).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        problem: str = getattr(exc, "strerror", None) or str(exc)
    else:
        if token:
            return token
        problem = _("it is empty")
    raise UserError(
        _(
            "cannot read the hub token from {path} ({problem}); put this kiosk's token from "
            "'kiosk hub add-kiosk' in it (owner root, group kiosk, mode 0640)"
        ).format(path=named, problem=problem)
    )


def _heartbeat(kiosk_id: str, folder: Path, status: st.SyncStatus) -> dict[str, object]:
    import shutil

    from kiosk.admin.settings import load_settings

    engine = open_admin(folder)
    try:
        head = AuditLog(engine).head()
        gate = load_settings(engine).gate or ""
    finally:
        engine.dispose()
    return {
        "schema_version": 1,
        "kiosk_id": kiosk_id,
        "version": __version__,
        "gate": gate,
        "revisions": status.revisions,
        "content_revision": status.content_revision,
        "last_sync": status.last_success,
        "last_outcome": status.last_outcome,
        "disk_free": shutil.disk_usage(folder).free,
        "audit_head": head,
        "trust": trust_state(folder),
    }


def _hub(args: argparse.Namespace, folder: Path) -> int:
    from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError

    from kiosk.hub.db import open_hub_db

    url = args.db or f"sqlite:///{folder / 'hub.db'}"
    try:
        engine = open_hub_db(url)
    except (OperationalError, ArgumentError) as exc:
        raise UserError(
            _("cannot open the hub database {url} ({error})").format(
                url=url, error=str(exc).splitlines()[0]
            )
        ) from exc
    if args.hub_command == "add-kiosk":
        from kiosk.hub.service import add_kiosk

        try:
            token = add_kiosk(engine, args.kiosk_id)
        except IntegrityError:
            raise UserError(
                _("kiosk {id} is already registered").format(id=args.kiosk_id)
            ) from None
        print(token)
        return 0
    if args.hub_command == "report":
        from kiosk.hub.report import write_report

        print(write_report(engine, args.year, args.out))
        return 0
    import uvicorn

    from kiosk.hub.service import create_app

    print(_("hub listening on http://{host}:{port}/").format(host=args.host, port=args.port),
          file=sys.stderr)  # fmt: skip
    uvicorn.run(create_app(engine), host=args.host, port=args.port, log_level="warning")
    return 0
