"""``kiosk analytics upload|show`` on a kiosk; ``kiosk hub serve|add-kiosk|report`` on the hub."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.admin.audit import AuditLog, ChainPosition
from kiosk.admin.db import open_admin
from kiosk.analytics.counters import UsageCounters
from kiosk.analytics.upload import (
    UploadOutcome,
    hub_audit_count,
    insecure_hub,
    send_heartbeat,
    upload,
)
from kiosk.errors import ExitCode, UserError
from kiosk.logs import setup_logging
from kiosk.options import from_environment
from kiosk.paths import data_dir
from kiosk.sync import status as st
from kiosk.sync.trust import trust_state

if TYPE_CHECKING:
    from sqlalchemy import Engine


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
            return ExitCode.OK
        token = args.token or from_environment("hub_token") or _token_from_file()
        if not token:
            raise UserError("no hub token; pass --token or set KIOSK_HUB_TOKEN")
        setup_logging(folder)  # cells set aside are said in the kiosk's log, for the panel
        problem = insecure_hub(args.hub)
        if problem:
            raise UserError(problem)
        ca = args.hub_ca or from_environment("hub_ca") or None
        if ca and not Path(ca).is_file():
            raise UserError(f"no such file: {ca}")
        counters.compact()
        result = upload(counters, args.hub, args.kiosk_id, token, ca=ca)
        print(f"usage: {result.outcome} {result.detail}")
        status = st.load_status(folder)
        answered, known = hub_audit_count(args.hub, token, ca=ca)
        heartbeat = _heartbeat(args.kiosk_id, folder, status, known if answered else -1)
        beat = send_heartbeat(args.hub, token, heartbeat, ca=ca)
        print(f"heartbeat: {beat.outcome} {beat.detail}")
        done = (UploadOutcome.SENT, UploadOutcome.NOTHING)
        sent = result.outcome in done and beat.outcome == UploadOutcome.SENT
        return ExitCode.OK if sent else ExitCode.FAILURE
    finally:
        counters.close()


def _token_from_file() -> str | None:
    """The token in the file named by $KIOSK_HUB_TOKEN_FILE (root's, readable by the kiosk
    group): read here, in the upload process, so the kiosk's other processes never hold it."""
    named = from_environment("hub_token_file")
    if not named:
        return None
    try:
        token = Path(named).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        problem: str = getattr(exc, "strerror", None) or str(exc)
    else:
        if token:
            return token
        problem = "it is empty"
    raise UserError(
        f"cannot read the hub token from {named} ({problem}); put this kiosk's token from "
            "'kiosk hub add-kiosk' in it (owner root, group kiosk, mode 0640)"
    )


def _heartbeat(
    kiosk_id: str, folder: Path, status: st.SyncStatus, known: int | None = None
) -> dict[str, object]:
    """``known``: the audit entry count the hub knows (None: none yet; -1: the hub did not
    say, and then the chain's position is not sent, so a lost answer raises no alarm)."""
    import shutil

    from kiosk.admin.settings import load_settings

    engine = open_admin(folder)
    try:
        chain = AuditLog(engine).position(known)
        head = chain.head
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
        **_chain_fields(chain, known),
        "last_sync": status.last_success,
        "last_outcome": status.last_outcome,
        "disk_free": shutil.disk_usage(folder).free,
        "audit_head": head,
        "trust": trust_state(folder),
    }


def _add_kiosk(engine: Engine, args: argparse.Namespace) -> str:
    """Register a kiosk (or again) at a known gate; returns its token."""
    from sqlalchemy.exc import IntegrityError

    from kiosk.hub.checks import known_gates
    from kiosk.hub.fleet import register_again
    from kiosk.hub.service import add_kiosk

    try:
        gates = known_gates(args.gates)
    except (OSError, ValueError, TypeError) as exc:
        raise UserError(f"cannot read the gates file {args.gates} ({exc})") from exc
    if args.gate not in gates:
        raise UserError(
            ("unknown gate {gate}: use one of {gates}, or pass your content's gates.toml "
              "with --gates").format(gate=args.gate, gates=", ".join(gates))
        )  # fmt: skip
    if args.again:
        token = register_again(engine, args.kiosk_id, args.gate)
        if token is None:
            raise UserError(f"kiosk {args.kiosk_id} is not registered")
        return token
    try:
        return add_kiosk(engine, args.kiosk_id, args.gate)
    except IntegrityError:
        raise UserError(
            f"kiosk {args.kiosk_id} is already registered; to give it a new token or gate, "
            "add --again"
        ) from None


def _chain_fields(chain: ChainPosition, known: int | None) -> dict[str, object]:
    if known == -1:
        return {}
    fields: dict[str, object] = {"audit_count": chain.count}
    if chain.known_count is not None:
        fields["audit_known"] = {"count": chain.known_count, "head": chain.known_head}
    return fields


def _hub(args: argparse.Namespace, folder: Path) -> int:
    from sqlalchemy.exc import ArgumentError, IntegrityError, OperationalError

    from kiosk.hub.db import open_hub_db

    url = args.db or f"sqlite:///{folder / 'hub.db'}"
    try:
        engine = open_hub_db(url)
    except (OperationalError, ArgumentError) as exc:
        raise UserError(f"cannot open the hub database {url} ({str(exc).splitlines()[0]})") from exc
    if args.hub_command == "add-kiosk":
        print(_add_kiosk(engine, args))
        return ExitCode.OK
    if args.hub_command == "list":
        from kiosk.hub.fleet import kiosk_listing

        print("\n".join(kiosk_listing(engine)) or "no kiosk registered yet")
        return ExitCode.OK
    if args.hub_command == "add-operator":
        from kiosk.hub.operators import add_operator

        try:
            print(add_operator(engine, args.operator))
        except ValueError:
            raise UserError(
                "an operator name is lowercase letters, digits, '.', '_' or '-'"
            ) from None
        except IntegrityError:
            raise UserError(
                f"operator {args.operator} is already registered"
            ) from None
        return ExitCode.OK
    if args.hub_command == "report":
        from kiosk.hub.report import write_report

        print(write_report(engine, args.year, args.out))
        return ExitCode.OK
    return _serve(args, engine)


def _serve(args: argparse.Namespace, engine: Engine) -> int:
    from kiosk.analytics.upload import is_loopback
    from kiosk.hub.service import create_app
    from kiosk.hub.transport import hub_server

    if (args.tls_cert is None) != (args.tls_key is None):
        raise UserError("--tls-cert and --tls-key go together")
    for path in (args.tls_cert, args.tls_key):
        if path is not None and not path.is_file():
            raise UserError(f"no such file: {path}")
    scheme = "https" if args.tls_cert else "http"
    if scheme == "http" and not is_loopback(args.host):
        warning = (
            "warning: the hub serves plain HTTP on {host}, and kiosks send their token only "
            "over HTTPS: pass --tls-cert and --tls-key, or listen on 127.0.0.1 behind a TLS "
            "reverse proxy"
        )
        print(warning.format(host=args.host), file=sys.stderr)
    server = hub_server(create_app(engine), args.host, args.port, tls_cert=args.tls_cert,
                        tls_key=args.tls_key)  # fmt: skip
    try:
        server.config.load()  # reads the certificate and key now, to say what is wrong
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise UserError(f"cannot use the TLS certificate or key ({exc})") from None
    print(f"hub listening on {scheme}://{args.host}:{args.port}/", file=sys.stderr)  # fmt: skip
    server.run()
    return ExitCode.OK
