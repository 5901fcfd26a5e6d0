"""Usage uploads never wedge: a day the hub refuses is set aside (kept, logged, not resent)
and the days after it still arrive; a long offline period goes up in batches the hub takes."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, func, insert, select

from kiosk.analytics.counters import UsageCounters, counts, pending, refused
from kiosk.analytics.upload import _batch_of, upload
from kiosk.hub.db import counts as hub_counts
from kiosk.hub.db import open_hub_db
from kiosk.hub.service import add_kiosk
from kiosk.hub.transport import Limits

from .helpers.hub import LiveHub
from .pgserver import free_port

ITEM = "visa-on-arrival-at-the-gate-for-travellers-coming-by-road-or-rail"  # long ids: big


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[tuple[Engine, str, str]]:
    """(hub database, hub address, the token of kiosk noi-bai-1) of a running hub."""
    engine = open_hub_db(f"sqlite:///{tmp_path / 'hub.db'}")
    token = add_kiosk(engine, "noi-bai-1", "noi-bai")
    port = free_port()
    with LiveHub(engine, port):
        yield engine, f"http://127.0.0.1:{port}", token
    engine.dispose()


def add_day(counters: UsageCounters, day: str, per_hour: int = 10, items: int = 1) -> None:
    """A day of figures: ``per_hour`` sessions from 8 to 17 h, each reading ``items`` items."""
    rows: list[dict[str, Any]] = [
        {"period": f"{day}T{h:02d}", "metric": "sessions", "dim1": "", "dim2": "",
         "value": per_hour}
        for h in range(8, 18)
    ]  # fmt: skip
    rows += [
        {"period": day, "metric": "item", "dim1": f"item-{n:04d}-{ITEM}",
         "dim2": "en", "value": 5}
        for n in range(items)
    ]  # fmt: skip
    with counters.engine.begin() as conn:
        conn.execute(insert(counts), rows)


def hub_days(engine: Engine) -> dict[str, int]:
    """Sessions per day the hub holds."""
    with engine.connect() as conn:
        found = conn.execute(
            select(func.substr(hub_counts.c.period, 1, 10), func.sum(hub_counts.c.value))
            .where(hub_counts.c.metric == "sessions")
            .group_by(func.substr(hub_counts.c.period, 1, 10))
        ).all()
    return {day: int(total) for day, total in found}


def test_a_refused_day_is_set_aside_and_the_days_after_it_arrive(
    hub: tuple[Engine, str, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine, address, token = hub
    counters = UsageCounters(tmp_path / "kiosk")
    add_day(counters, "2026-03-10")
    add_day(counters, "2026-03-11")
    with counters.engine.begin() as conn:  # a clock gone wrong: 400 sessions in one hour
        conn.execute(counts.update().where(counts.c.period == "2026-03-11T12").values(value=400))
    add_day(counters, "2026-03-12")
    send = lambda today: upload(  # noqa: E731 - the kiosk's upload, as scheduled
        counters, address, "noi-bai-1", token, today=dt.date.fromisoformat(today), backoff=0.05
    )
    with caplog.at_level(logging.WARNING, logger="kiosk.usage"):
        result = send("2026-03-13")
    assert result.outcome == "sent" and result.set_aside == 11
    assert hub_days(engine) == {"2026-03-10": 100, "2026-03-12": 100}
    assert (
        "usage figures of 2026-03-11 refused by the hub (HTTP 422: cell sessions of "
        "2026-03-11T12 would count 400 sessions" in caplog.text
    )
    assert "11 cells set aside in usage.db and not sent again" in caplog.text
    with counters.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(refused)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(pending)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(counts)).scalar() == 0
    assert send("2026-03-13").outcome == "nothing"  # never resent
    add_day(counters, "2026-03-13")
    assert send("2026-03-14").outcome == "sent"
    assert hub_days(engine)["2026-03-13"] == 100
    # The panel's chart still shows the sessions of every day, the refused one included.
    assert dict(counters.daily_sessions(5, dt.date(2026, 3, 14)))[dt.date(2026, 3, 11)] == 490
    counters.close()


class Recording(requests.Session):
    """A session that notes the size of every request body it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def post(self, url: str | bytes, data: Any = None, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sizes.append(len(data))
        return super().post(url, data=data, **kwargs)


@pytest.mark.parametrize("left_by", ["", "an earlier version"])
def test_a_60_day_backlog_arrives_in_batches_the_hub_accepts(
    left_by: str, hub: tuple[Engine, str, str], tmp_path: Path
) -> None:
    engine, address, token = hub
    counters = UsageCounters(tmp_path / "kiosk")
    first = dt.date(2026, 1, 1)
    days = [(first + dt.timedelta(days=n)).isoformat() for n in range(60)]
    for day in days:
        add_day(counters, day, per_hour=6, items=450)
    if left_by:  # which kept the whole backlog as one pending batch, over the hub's limit
        with counters.engine.connect() as conn:
            backlog = conn.execute(select(counts)).all()
        whole = _batch_of(counters.k, "noi-bai-1", backlog, [])
        assert len(json.dumps(whole)) > Limits().max_body
        with counters.engine.begin() as conn:
            conn.execute(
                insert(pending).values(batch_id=whole["batch_id"], payload=json.dumps(whole))
            )
    spy = Recording()
    result = upload(
        counters, address, "noi-bai-1", token, today=first + dt.timedelta(days=60),
        session=spy, backoff=0.05,
    )  # fmt: skip
    assert result.outcome == "sent" and result.set_aside == 0
    assert sum(spy.sizes) > Limits().max_body  # one batch could not have carried it
    assert len(spy.sizes) >= 3 and max(spy.sizes) < Limits().max_body // 2
    assert hub_days(engine) == dict.fromkeys(days, 60)
    with engine.connect() as conn:
        items = conn.execute(
            select(func.count()).select_from(hub_counts).where(hub_counts.c.metric == "item")
        ).scalar()
    assert items == 60 * 450
    assert counters.row_count() == 0
    counters.close()
