"""The hub: what it accepts, what it refuses, idempotent batches, heartbeats and the fleet
page, the yearly report; on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from kiosk.analytics.upload import build_batch, upload
from kiosk.hub.db import counts, open_hub_db, terms
from kiosk.hub.operators import add_operator
from kiosk.hub.report import write_report
from kiosk.hub.service import add_kiosk, create_app

from .helpers.hub import DAY, LiveHub, heartbeat, kiosk_counters
from .helpers.hub import engine as engine  # the SQLite and PostgreSQL fixture
from .pgserver import free_port


def test_batches_are_validated_stored_once_and_reported(engine: Engine, tmp_path: Path) -> None:
    client = TestClient(create_app(engine))
    token = add_kiosk(engine, "noi-bai-1")
    auth = {"Authorization": f"Bearer {token}"}
    counters = kiosk_counters(tmp_path / "kiosk", sessions=6)
    batch = build_batch(counters, "noi-bai-1", DAY.date() + dt.timedelta(days=1))
    assert batch is not None
    body = {k: v for k, v in batch.items() if not k.startswith("_")}
    assert not any(r["dim1"] == "rare-item" for r in body["counts"])

    assert client.post("/v1/batches", json=body).status_code == 401
    assert client.post("/v1/batches", json=body, headers={"Authorization": "Bearer x"}).json() == {
        "detail": "unknown token: register the kiosk with 'kiosk hub add-kiosk'"
    }
    first = client.post("/v1/batches", json=body, headers=auth)
    assert first.status_code == 200 and first.json()["status"] == "stored"
    again = client.post("/v1/batches", json=body, headers=auth)
    assert again.json()["status"] == "duplicate"
    with engine.connect() as conn:
        sessions = conn.execute(
            select(func.sum(counts.c.value)).where(counts.c.metric == "sessions")
        ).scalar()
        assert sessions == 6  # counted once
        assert conn.execute(select(terms.c.term, terms.c.sessions)).all() == [("비자 연장", 6)]
    changed = {**body, "counts": body["counts"][:-1]}
    assert client.post("/v1/batches", json=changed, headers=auth).status_code == 409

    assert client.post("/v1/heartbeat", json=heartbeat("noi-bai-1"), headers=auth).json() == {
        "status": "ok"
    }
    add_kiosk(engine, "mong-cai-1")
    assert client.get("/").status_code == 401  # for operators only
    page = client.get("/", auth=("ops", add_operator(engine, "ops"))).text
    assert "noi-bai-1</td><td>ok" in page and "mong-cai-1</td><td>silent" in page

    report = write_report(engine, 2026, tmp_path / "report").read_text(encoding="utf-8")
    assert "6 traveller sessions" in report and "<svg" in report
    assert "비자 연장" in report and "evisa (ko)" in report and "rare-item" not in report


BAD = [
    ({"kiosk_id": "noi-bai-1", "schema_version": 2}, "schema_version"),
    ({"extra": "raw text"}, "extra"),
    ({"counts": [{"period": "yesterday", "metric": "sessions", "value": 9}]}, "period"),
    ({"counts": [{"period": "2026-03-14", "metric": "passport", "value": 9}]}, "metric"),
    ({"counts": [{"period": "2026-03-14", "metric": "item", "dim1": "<script>", "value": 9}]},
     "dim1"),
    ({"counts": [{"period": "2026-03-14", "metric": "item", "value": "9"}]}, "value"),
    ({"terms": [{"month": "2026-03", "lang": "en", "term": "x" * 41, "sessions": 5, "zero": 0}]},
     "term"),
    ({"counts": [{"period": "2026-03-14", "metric": "item", "dim1": "a", "value": 2}]},
     "below k"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "field"), BAD)
def test_malformed_batches_are_refused_with_the_field(
    change: dict[str, object], field: str, tmp_path: Path
) -> None:
    engine = open_hub_db(f"sqlite:///{tmp_path / 'hub.db'}")
    client = TestClient(create_app(engine))
    auth = {"Authorization": f"Bearer {add_kiosk(engine, 'noi-bai-1')}"}
    body = {
        "schema_version": 1, "kiosk_id": "noi-bai-1", "batch_id": "0" * 32, "k": 5,
        "counts": [], "suppressed": [], "terms": [], **change,
    }  # fmt: skip
    answer = client.post("/v1/batches", json=body, headers=auth)
    assert answer.status_code == 422 and field in answer.json()["detail"]
    too_big = b'{"schema_version": 1, "pad": "' + b"x" * 5_000_000 + b'"}'
    answer = client.post("/v1/batches", content=too_big, headers=auth)
    assert answer.status_code == 413 and "over" in answer.json()["detail"]
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(counts)).scalar() == 0
    engine.dispose()


def test_a_kiosk_cannot_write_in_another_kiosks_name(tmp_path: Path) -> None:
    engine = open_hub_db(f"sqlite:///{tmp_path / 'hub.db'}")
    client = TestClient(create_app(engine))
    add_kiosk(engine, "noi-bai-1")
    other = {"Authorization": f"Bearer {add_kiosk(engine, 'lao-bao-1')}"}
    assert (
        client.post("/v1/heartbeat", json=heartbeat("noi-bai-1"), headers=other).status_code == 403
    )
    engine.dispose()


def test_upload_resumes_after_the_hub_was_down(engine: Engine, tmp_path: Path) -> None:
    token = add_kiosk(engine, "noi-bai-1")
    counters = kiosk_counters(tmp_path / "kiosk", sessions=7)
    port = free_port()
    hub = f"http://127.0.0.1:{port}"
    today = DAY.date() + dt.timedelta(days=1)
    down = upload(counters, hub, "noi-bai-1", token, today=today, retries=2, backoff=0.05)
    assert down.outcome == "offline"
    pending = build_batch(counters, "noi-bai-1", today)  # kept, with the same id, for later
    with LiveHub(engine, port):
        sent = upload(counters, hub, "noi-bai-1", token, today=today, backoff=0.05)
        assert sent.outcome == "sent" and sent.detail == "stored"
        assert upload(counters, hub, "noi-bai-1", token, today=today).outcome == "nothing"
    with engine.connect() as conn:
        batch_ids = conn.execute(select(func.count()).select_from(counts)).scalar()
        sessions = conn.execute(
            select(func.sum(counts.c.value)).where(counts.c.metric == "sessions")
        ).scalar()
    assert sessions == 7 and batch_ids
    assert pending is not None and json.dumps(pending)
    assert counters.daily_sessions(3, today)[-2] == (DAY.date(), 7)  # kept for the chart
    counters.close()


def test_the_kiosk_application_uploads_in_the_background(qtbot, tmp_path: Path) -> None:
    from kiosk.app.sync_service import SyncService
    from kiosk.hub.db import heartbeats

    engine = open_hub_db(f"sqlite:///{tmp_path / 'hub.db'}")
    token = add_kiosk(engine, "noi-bai-1")
    kiosk_counters(tmp_path / "kiosk", sessions=6).close()
    (tmp_path / "hub-token").write_text(token + "\n")
    port = free_port()
    with LiveHub(engine, port):
        service = SyncService(
            tmp_path / "kiosk", None, None, schedule=False,
            hub=(f"http://127.0.0.1:{port}", "noi-bai-1", str(tmp_path / "hub-token")),
        )  # fmt: skip
        with qtbot.waitSignal(service.upload_finished, timeout=60000):
            assert service.upload_now()
    with engine.connect() as conn:
        sessions = conn.execute(
            select(func.sum(counts.c.value)).where(counts.c.metric == "sessions")
        ).scalar()
        beat = conn.execute(select(heartbeats.c.kiosk_id, heartbeats.c.version)).all()
    assert sessions == 6 and beat == [("noi-bai-1", "0.1.0")]
    engine.dispose()


def test_hub_and_analytics_commands(capsys, tmp_path: Path) -> None:
    from kiosk.cli import main

    data = ["--data-dir", str(tmp_path)]
    assert main(["hub", "add-kiosk", "noi-bai-1", "--gate", "noi-bay", *data]) == 2
    assert "unknown gate noi-bay: use one of mong-cai, lao-bao" in capsys.readouterr().err
    assert main(["hub", "add-kiosk", "noi-bai-1", "--gate", "noi-bai", *data]) == 0
    token = capsys.readouterr().out.strip()
    assert len(token) > 30
    assert main(["hub", "add-kiosk", "noi-bai-1", "--gate", "noi-bai", *data]) == 2
    assert "already registered" in capsys.readouterr().err
    assert main(["hub", "add-kiosk", "noi-bai-1", "--gate", "lao-bao", "--again", *data]) == 0
    assert capsys.readouterr().out.strip() != token  # a new token
    assert main(["hub", "list", *data]) == 0
    assert "noi-bai-1  gate lao-bao  last heartbeat never  trust -" in capsys.readouterr().out
    assert main(["hub", "report", "--year", "2026", "--out", str(tmp_path / "r"), *data]) == 0
    assert (tmp_path / "r" / "evaluation-2026.html").is_file()
    bad = ["hub", "report", "--year", "2026", "--out", str(tmp_path), "--db", "nosuch://x"]
    assert main([*bad, *data]) == 2
    assert "cannot open the hub database nosuch://x" in capsys.readouterr().err
    assert main(["analytics", "upload", "--hub", "http://127.0.0.1:9", "--kiosk-id", "k-1",
                 *data]) == 2  # fmt: skip
    assert "no hub token" in capsys.readouterr().err
    kiosk_counters(tmp_path, sessions=5).close()
    assert main(["analytics", "show", *data]) == 0
    assert "비자 연장  5" in capsys.readouterr().out
