"""What a hostile or broken kiosk cannot do to the hub: store identifiers, put figures on
another gate or more sessions than a kiosk serves, hide a cut or rewritten audit log, or run
unnoticed on no root of trust or the demo one; and a hub made before all this keeps its data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, insert, select, text

from kiosk.hub.db import counts, heartbeats, kiosks, open_hub_db, terms
from kiosk.hub.fleet import kiosk_listing
from kiosk.hub.operators import add_operator
from kiosk.hub.report import write_report
from kiosk.hub.service import add_kiosk, create_app

from .helpers.hub import engine as engine  # the SQLite and PostgreSQL fixture
from .helpers.hub import heartbeat
from .pgserver import postgresql

IDENTIFIERS = ["b1234567", "0912345678", "nguyen.van.a@gmail.com", "p<vnmnguyen<<van<a"]


def batch(**change: object) -> dict[str, object]:
    body: dict[str, object] = {
        "schema_version": 1, "kiosk_id": "noi-bai-1", "batch_id": "0" * 32, "k": 5,
        "counts": [], "suppressed": [], "terms": [],
    }  # fmt: skip
    return {**body, **change}


def cell(period: str, metric: str, value: int, dim1: str = "", dim2: str = "") -> dict[str, object]:
    return {"period": period, "metric": metric, "dim1": dim1, "dim2": dim2, "value": value}


def everything_stored(engine: Engine) -> str:
    with engine.connect() as conn:
        rows = [*conn.execute(select(counts)), *conn.execute(select(terms))]
    return json.dumps([list(r) for r in rows], ensure_ascii=False)


def test_identifiers_from_a_kiosk_are_neither_stored_nor_reported(
    engine: Engine,
    tmp_path: Path,
) -> None:
    client = TestClient(create_app(engine))
    auth = {"Authorization": f"Bearer {add_kiosk(engine, 'noi-bai-1', 'noi-bai')}"}
    sent = batch(
        counts=[
            cell("2026-03-14T10", "sessions", 40),
            cell("2026-03-14", "item", 30, "evisa", "en"),
            cell("2026-03-14", "item", 9, "b1234567", "en"),  # a passport number as an item
            cell("2026-03-14", "qr", 7, "0912345678"),  # a phone number
            cell("2026-03-14", "item", 6, "evisa", "+84-912-345-678"),
        ],
        terms=[
            {"month": "2026-03", "lang": "en", "term": term, "sessions": 8, "zero": 8}
            for term in ["visa", "nguyen.van.a@gmail.com", "p<vnmnguyen<<van<a", "b 1234567"]
        ],
    )
    answer = client.post("/v1/batches", json=sent, headers=auth)
    assert answer.status_code == 200
    assert answer.json() == {"status": "stored", "batch_id": "0" * 32, "dropped": 6}
    stored = everything_stored(engine)
    assert "evisa" in stored and "visa" in stored
    for identifier in [*IDENTIFIERS, "912-345-678", "1234567"]:
        assert identifier not in stored
    with engine.begin() as conn:  # stored by a hub before it filtered: never printed either
        conn.execute(insert(terms).values(kiosk_id="noi-bai-1", month="2026-03", lang="en",
                                          term="c7654321", sessions=9, zero=9))  # fmt: skip
        conn.execute(insert(counts).values(kiosk_id="noi-bai-1", period="2026-03-15",
                                           metric="item", dim1="84912345678", dim2="en",
                                           value=9))  # fmt: skip
    report = write_report(engine, 2026, tmp_path).read_text(encoding="utf-8")
    assert "evisa (en)" in report and "40 traveller sessions" in report
    for identifier in [*IDENTIFIERS, "912-345-678", "1234567", "c7654321", "84912345678"]:
        assert identifier.replace("<", "&lt;") not in report and identifier not in report
    # Volumes stay right: what was dropped is a total, 9 + 7 + 6 on the 14th, 9 on the 15th.
    assert "<td>item (identifiers dropped by the hub)</td><td>24</td>" in report
    assert "<td>qr (identifiers dropped by the hub)</td><td>7</td>" in report


def test_a_kiosk_cannot_put_its_figures_on_another_gate(
    engine: Engine,
    tmp_path: Path,
) -> None:
    client = TestClient(create_app(engine))
    auth = {"Authorization": f"Bearer {add_kiosk(engine, 'lao-bao-1', 'lao-bao')}"}
    add_kiosk(engine, "mong-cai-1", "mong-cai")
    beat = {**heartbeat("lao-bao-1"), "gate": "mong-cai"}
    answer = client.post("/v1/heartbeat", json=beat, headers=auth)
    assert answer.status_code == 403
    assert answer.json()["detail"] == (
        "this kiosk is registered at gate lao-bao, not mong-cai: choose lao-bao in its "
        "maintenance panel, or register it again with that gate"
    )
    sent = batch(kiosk_id="lao-bao-1", counts=[cell("2026-03-14T10", "sessions", 300)])
    assert client.post("/v1/batches", json=sent, headers=auth).status_code == 200
    good = {**heartbeat("lao-bao-1"), "gate": "lao-bao"}
    assert client.post("/v1/heartbeat", json=good, headers=auth).status_code == 200
    report = write_report(engine, 2026, tmp_path).read_text(encoding="utf-8")
    assert "<h3>lao-bao</h3>" in report and "mong-cai" not in report


def test_a_kiosk_registered_without_a_gate_keeps_the_first_one_it_names(
    engine: Engine,
) -> None:
    client = TestClient(create_app(engine))
    auth = {"Authorization": f"Bearer {add_kiosk(engine, 'noi-bai-1')}"}
    first = client.post("/v1/heartbeat", json=heartbeat("noi-bai-1"), headers=auth)
    assert first.status_code == 200
    moved = {**heartbeat("noi-bai-1"), "gate": "mong-cai"}
    assert client.post("/v1/heartbeat", json=moved, headers=auth).status_code == 403
    with engine.connect() as conn:
        assert conn.execute(select(kiosks.c.gate)).scalar() == "noi-bai"


PLAUSIBLE_DAY = [cell(f"2026-03-14T{h:02d}", "sessions", 360) for h in range(24)]
IMPLAUSIBLE = [
    # 30 million sessions in three cells of an hour, a day and a month
    ([cell("2026-03-14T10", "sessions", 10_000_000)], "would count 10000000 sessions"),
    ([cell("2026-03-14T10", "sessions", 361)], "at most 360, a session every 10 seconds"),
    # every hour at the bound, then one more session in a day cell of the same day
    ([*PLAUSIBLE_DAY, cell("2026-03-14", "sessions", 5)], "of 2026-03-14 would count 8645"),
    ([cell("2026-03", "item", 10_000_000, "evisa", "en")], "cell item/evisa/en of 2026-03"),
    ([cell("2026-02-14", "language", 8_641, "en")], "at most 8640"),
]


@pytest.mark.parametrize(("cells", "message"), IMPLAUSIBLE)
def test_more_sessions_than_a_kiosk_can_serve_are_refused(
    cells: list[dict[str, object]], message: str, tmp_path: Path
) -> None:
    engine = open_hub_db(f"sqlite:///{tmp_path / 'hub.db'}")
    client = TestClient(create_app(engine))
    auth = {"Authorization": f"Bearer {add_kiosk(engine, 'noi-bai-1', 'noi-bai')}"}
    answer = client.post("/v1/batches", json=batch(counts=cells), headers=auth)
    assert answer.status_code == 422 and message in answer.json()["detail"]
    assert answer.json()["detail"].endswith("batch refused")
    assert everything_stored(engine) == "[]"
    engine.dispose()


def test_figures_spread_over_batches_are_bounded_together(engine: Engine) -> None:
    client = TestClient(create_app(engine))
    auth = {"Authorization": f"Bearer {add_kiosk(engine, 'noi-bai-1', 'noi-bai')}"}
    first = batch(counts=[cell("2026-03-14T10", "sessions", 300)])
    assert client.post("/v1/batches", json=first, headers=auth).status_code == 200
    more = batch(batch_id="1" * 32, counts=[cell("2026-03-14T10", "sessions", 100)])
    answer = client.post("/v1/batches", json=more, headers=auth)
    assert answer.status_code == 422 and "would count 400 sessions" in answer.json()["detail"]
    # Refused means nothing of it kept, not even its id: the kiosk may send it again, split.
    assert client.post("/v1/batches", json=first, headers=auth).json()["status"] == "duplicate"
    fits = batch(batch_id="1" * 32, counts=[cell("2026-03-14T10", "sessions", 60)])
    assert client.post("/v1/batches", json=fits, headers=auth).status_code == 200
    with engine.connect() as conn:
        assert conn.execute(select(func.sum(counts.c.value))).scalar() == 360


def test_the_fleet_page_flags_kiosks_on_no_root_or_the_demo_root(
    engine: Engine,
) -> None:
    client = TestClient(create_app(engine))
    for name, trust in (("noi-bai-1", "installed"), ("noi-bai-2", "demo"), ("noi-bai-3", "none")):
        auth = {"Authorization": f"Bearer {add_kiosk(engine, name, 'noi-bai')}"}
        beat = {**heartbeat(name), "trust": trust}
        assert client.post("/v1/heartbeat", json=beat, headers=auth).status_code == 200
    bad = {**heartbeat("noi-bai-3"), "trust": "anything"}
    assert client.post("/v1/heartbeat", json=bad, headers=auth).status_code == 422
    with engine.connect() as conn:
        assert dict(conn.execute(select(heartbeats.c.kiosk_id, heartbeats.c.trust)).all()) == {
            "noi-bai-1": "installed", "noi-bai-2": "demo", "noi-bai-3": "none",
        }  # fmt: skip
    rows = client.get("/", auth=("ops", add_operator(engine, "ops"))).text.split("<tr")
    demo = "trusts the public demo root: anyone can sign content it accepts"
    none = "trusts no root of trust: it syncs nothing and runs on its bundled content only"
    assert 'class="warn"></td>' in rows[2]  # noi-bai-1: nothing to say
    assert demo in rows[3] and 'class="warn"><p>' in rows[3]
    assert none in rows[4]
    listing = "\n".join(kiosk_listing(engine))
    assert "noi-bai-2  gate noi-bai  last heartbeat 20" in listing and f"  ! {demo}" in listing


def audit_heartbeat(client: TestClient, auth: dict[str, str], folder: Path) -> str | None:
    """What the kiosk's upload does: ask the hub's known count, send the heartbeat; returns
    the audit warning the hub now shows for the kiosk."""
    from kiosk.commands.usage import _heartbeat
    from kiosk.sync.status import load_status

    known = client.get("/v1/audit", headers=auth).json()["count"]
    beat = _heartbeat("noi-bai-1", folder, load_status(folder), known)
    assert client.post("/v1/heartbeat", json=beat, headers=auth).status_code == 200
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return conn.execute(select(heartbeats.c.audit_alarm)).scalar()


@pytest.mark.parametrize("tamper", ["truncate", "rewrite", "rewrite-and-rechain"])
def test_a_cut_or_rewritten_audit_log_is_flagged(tamper: str, tmp_path: Path) -> None:
    from kiosk.admin.audit import AuditLog, _digest
    from kiosk.admin.db import open_admin

    engine = open_hub_db(f"sqlite:///{tmp_path / 'hub.db'}")
    client = TestClient(create_app(engine))
    auth = {"Authorization": f"Bearer {add_kiosk(engine, 'noi-bai-1', 'noi-bai')}"}
    folder = tmp_path / "kiosk"
    admin = open_admin(folder)
    log = AuditLog(admin)
    for n in range(5):
        log.record("admin", "pin-changed", f"entry {n}")
    assert audit_heartbeat(client, auth, folder) is None
    log.record("admin", "sync-now")
    assert audit_heartbeat(client, auth, folder) is None  # extended: nothing to say
    with admin.begin() as conn:
        if tamper == "truncate":  # the last entries removed
            conn.execute(text("DELETE FROM audit WHERE id > 3"))
        else:  # what someone did is changed, and hashes recomputed so the chain looks whole
            conn.execute(text("UPDATE audit SET detail = 'nothing' WHERE id = 2"))
            if tamper == "rewrite-and-rechain":
                prev = "0" * 64
                for row in conn.execute(text("SELECT * FROM audit ORDER BY id")).all():
                    digest = _digest(prev, row.at, row.actor, row.action, row.detail)
                    conn.execute(text("UPDATE audit SET prev_hash = :p, hash = :h WHERE id = :i"),
                                 {"p": prev, "h": digest, "i": row.id})  # fmt: skip
                    prev = digest
                assert log.verify() is None
    log.record("admin", "exit-kiosk")  # life goes on on the kiosk
    alarm = audit_heartbeat(client, auth, folder)
    expected = "went back from 6 entries" if tamper == "truncate" else "audit log rewritten"
    assert alarm is not None and expected in alarm
    log.record("admin", "sync-now")
    assert audit_heartbeat(client, auth, folder) == alarm  # it stays until someone acts
    page = client.get("/", auth=("ops", add_operator(engine, "ops"))).text
    assert alarm in page.replace("&#x27;", "'")
    assert f"  ! {alarm}" in kiosk_listing(engine)
    admin.dispose()
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def old_hub(request, tmp_path: Path) -> Iterator[str]:
    """The URL of a hub database as hubs made it before migrations: tables, no version."""
    from alembic import command
    from alembic.config import Config

    from kiosk.hub.db import MIGRATIONS, VERSION_TABLE

    def make(url: str) -> None:
        engine = create_engine(url)
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.execute(text(f"DROP TABLE {VERSION_TABLE}"))
            conn.execute(text("INSERT INTO kiosk VALUES ('noi-bai-1', :t, '2026-01-01')"),
                         {"t": "a" * 64})  # fmt: skip
            conn.execute(text("INSERT INTO kiosk VALUES ('new-1', :t, '2026-01-01')"),
                         {"t": "b" * 64})  # fmt: skip
            conn.execute(text(
                "INSERT INTO heartbeat VALUES ('noi-bai-1', '2026-03-14T10:00:00+00:00', "
                "'0.1.0', 'noi-bai', 7, '{}', NULL, NULL, 10, :h)"), {"h": "c" * 64})  # fmt: skip
            conn.execute(text(
                "INSERT INTO usage_count VALUES ('noi-bai-1', '2026-03-14', 'sessions', '', "
                "'', 42)"))  # fmt: skip
        engine.dispose()

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'hub.db'}"
        make(url)
        yield url
        return
    with postgresql() as url:
        make(url)
        yield url


def test_a_hub_made_before_migrations_keeps_its_data_and_gets_the_new_schema(
    old_hub: str,
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from kiosk.hub.db import VERSION_TABLE, metadata

    engine = open_hub_db(old_hub)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE})
        assert compare_metadata(context, metadata) == []
        # The gate its heartbeats named (the report counted it there); none yet for the other.
        assert dict(conn.execute(select(kiosks.c.id, kiosks.c.gate)).all()) == {
            "noi-bai-1": "noi-bai", "new-1": None,
        }  # fmt: skip
        assert conn.execute(select(counts.c.value)).scalar() == 42
    engine.dispose()
    open_hub_db(old_hub).dispose()  # opening again changes nothing
