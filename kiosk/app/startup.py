"""How the kiosk starts on the data folder it finds.

A kiosk left alone for months can find its data disk full or remounted read-only when it
restarts. The traveller's screens only need to read: the kiosk then starts on the content it
has, opened read-only, logs to standard error, counts nothing, and the maintenance panel names
the problem. Only when there is no content to show at all (a first start on a disk that takes
nothing, a damaged database it cannot move aside) does it start out of service, and then it
says so on the screen instead of leaving it black.
"""

from __future__ import annotations

import logging
import sqlite3
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from kiosk.admin.db import DB_NAME as ADMIN_DB
from kiosk.admin.settings import load_settings
from kiosk.app.clock import restore_time_floor
from kiosk.content import index
from kiosk.content.bundled import (
    FirstImportFailed,
    content_missing,
    ensure_content,
    ensure_content_apart,
    import_bundled_apart,
)
from kiosk.content.recovery import open_store
from kiosk.content.reindex import ensure_index
from kiosk.content.store import DB_NAME, ContentStore, SchemaBehind
from kiosk.db import open_read_only_engine
from kiosk.logs import log_to_stderr, setup_logging
from kiosk.paths import bundled_content_dir
from kiosk.storage import (
    WRITE_ERRORS,
    StorageProblem,
    first_line,
    storage_problem,
    write_problem,
    write_refused,
)

log = logging.getLogger("kiosk.app")


@dataclass(frozen=True)
class KioskData:
    """What the kiosk starts on."""

    folder: Path
    store: ContentStore | None  # None: no content to show: the kiosk is out of service
    problem: StorageProblem | None  # writes refused: the store is only read, nothing counted
    reason: str = ""  # why the kiosk is out of service (English, for the log)


def writable_store(folder: Path, *, apart: bool) -> tuple[ContentStore, Path | None]:
    """The store of ``folder``, holding the bundled content if it was empty, indexed, and
    where a damaged database was moved (None if none was). ``apart``: a first import runs in
    a child process (for the long-running kiosk)."""
    if apart and content_missing(folder):
        import_bundled_apart(folder)
    store, moved = open_store(folder)
    try:
        if apart:
            ensure_content_apart(store)
        else:
            ensure_content(store)
        if moved is not None:
            restore_time_floor(store)  # the clock check survives the damaged database
        ensure_index(store)
    except BaseException:
        store.close()
        raise
    return store, moved


def open_kiosk_data(folder: Path) -> KioskData:
    """The kiosk's store on ``folder``: as usual when the folder takes writes, else read-only
    on what is there (logging to stderr); no store when there is nothing to show."""
    problem = write_refused(folder)
    if problem is None:
        setup_logging(folder)
        try:
            store, _moved = writable_store(folder, apart=True)
            return KioskData(folder, store, None)
        except WRITE_ERRORS as exc:  # the disk filled up, or went read-only, on the way
            problem = write_problem(exc, folder)
            if problem is None:
                raise
            log_to_stderr()
            log.error("the kiosk could not write its data folder at start: %s", first_line(exc))
        except FirstImportFailed as exc:
            problem = storage_problem(folder)
            if problem is None:  # not the disk: the bundled content itself
                log.error("out of service: %s", exc)
                return KioskData(folder, None, None, str(exc))
            log_to_stderr()
            log.error("%s", exc)
    else:
        log_to_stderr()
    shown, reason = read_only_store(folder)
    if shown is None:
        log.error("out of service: %s, and %s", problem, reason)
        return KioskData(folder, None, problem, f"{problem}, and {reason}")
    log.error(
        "%s: the kiosk shows the content it has, counts no usage and saves no setting until "
        "the disk is repaired and the kiosk restarted",
        problem,
    )
    return KioskData(folder, shown, problem)


def read_only_store(folder: Path) -> tuple[ContentStore | None, str]:
    """The content there is, opened read-only; else None and why (English)."""
    if not (folder / DB_NAME).is_file():
        return None, "there is no content in it"
    try:
        store = ContentStore(folder, read_only=True)
    except (SQLAlchemyError, sqlite3.Error, SchemaBehind) as exc:
        return None, f"its content database cannot be read ({first_line(exc)})"
    try:
        if store.is_empty():
            store.close()
            return None, "there is no content in it"
        with store.engine.connect() as conn:
            if not index.is_current(conn):
                log.warning(
                    "the search index was made by another version; it is rebuilt once the "
                    "data folder can be written"
                )
    except (SQLAlchemyError, sqlite3.Error) as exc:
        store.close()
        return None, f"its content database cannot be read ({first_line(exc)})"
    return store, ""


def saved_gate(folder: Path) -> str | None:
    """The gate chosen in the maintenance panel, read without writing anything."""
    path = folder / "admin" / ADMIN_DB
    if not path.is_file():
        return None
    engine = open_read_only_engine(path)
    try:
        return load_settings(engine).gate
    except (SQLAlchemyError, sqlite3.Error):
        return None
    finally:
        engine.dispose()


def overridden_gate(wanted: str | None, saved: str | None) -> str | None:
    """The sentence for the log when the gate asked for (``--gate``, KIOSK_GATE) is not the one
    shown, because the maintenance panel's saved choice wins; None when they agree."""
    if not wanted or not saved or wanted == saved:
        return None
    return (
        f"the gate profile saved in the maintenance panel ({saved}) is shown, not the requested "
        f"{wanted}; choose the gate in the panel's settings to change it"
    )


def out_of_service_gate(gate_id: str | None) -> tuple[tuple[str, ...], dict[str, str]]:
    """The languages and names of a gate for a kiosk without content, from the bundled
    content's gates (every gate's languages when the gate is not known)."""
    try:
        with (bundled_content_dir() / "gates.toml").open("rb") as handle:
            gates = [g for g in tomllib.load(handle).get("gate", []) if isinstance(g, dict)]
    except (OSError, tomllib.TOMLDecodeError):
        gates = []
    chosen = next((g for g in gates if g.get("id") == gate_id), None)
    if chosen is not None:
        return tuple(chosen.get("languages", ())) or ("vi", "en"), dict(chosen.get("name", {}))
    every = dict.fromkeys(lang for g in gates for lang in g.get("languages", ()))
    return tuple(every) or ("vi", "en"), {}
