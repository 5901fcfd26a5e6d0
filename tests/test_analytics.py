"""Usage counting that cannot single anyone out."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kiosk.analytics.counters import DB_NAME, UsageCounters
from kiosk.analytics.recorder import UsageRecorder, length_bucket
from kiosk.analytics.scrub import looks_personal, scrubbed
from kiosk.analytics.upload import build_batch

DAY = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)

PERSONAL = [
    "B1234567", "c 7654321", "N1234567 visa", "001203004567", "0912 345 678", "+84 912-345-678",
    "nguyen.van.a@gmail.com", "P<VNMNGUYEN<<VAN<A", "29A-123.45", "٣٤٥٦٧٨", "12.345.678",
]  # fmt: skip
KEPT = ["visa 2026", "e-visa", "Thị thực", "hotel 123", "签证", "비자", "ວີຊາ", "ទិដ្ឋាការ"]


@pytest.mark.parametrize("text", PERSONAL)
def test_identifier_shapes_never_survive(text: str) -> None:
    assert looks_personal(text) and scrubbed(text) is None


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_searches_survive_normalised(text: str) -> None:
    assert scrubbed(text) == scrubbed(f"  {text.upper()}  ") is not None


def dump(folder: Path) -> str:
    """Every text the usage database holds (hashes and keys left out: they are random hex)."""
    with closing(sqlite3.connect(folder / "usage" / DB_NAME)) as conn:
        rows = conn.execute("SELECT period, metric, dim1, dim2 FROM counts").fetchall()
        rows += conn.execute("SELECT month, lang, plaintext, '' FROM terms").fetchall()
    return "\n".join("'" + "','".join(str(v).replace("'", "''") for v in r) + "'" for r in rows)


def keys_of(value: object) -> set[str]:
    """Every field name in a JSON-like value."""
    if isinstance(value, dict):
        return set(value).union(*(keys_of(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_of(v) for v in value))
    return set()


digits = st.text("0123456789", min_size=5, max_size=12)
separated = (
    st.lists(st.text("0123456789", min_size=1, max_size=4), min_size=2, max_size=4)
    .map(lambda parts: " ".join(parts))
    .filter(lambda s: sum(c.isdigit() for c in s) >= 5)
)
emails = st.from_regex(r"[a-z]{2,8}\.?[a-z]{0,5}@[a-z]{2,8}\.(vn|com|org)", fullmatch=True)
passports = st.from_regex(r"[A-Z][0-9]{7}", fullmatch=True)
pii = st.one_of(digits, separated, emails, passports)
words = st.sampled_from(["visa", "hotel", "taxi", "bank", "duty free", "gold", "covid", "ferry"])
query = st.one_of(words, pii, st.tuples(words, pii).map(" ".join), st.text(max_size=12))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sessions=st.lists(st.lists(query, min_size=1, max_size=4), min_size=1, max_size=30))
@example(sessions=[["SUPPRESSED"]])  # a word that is also a field name of the batch
def test_nothing_below_k_and_nothing_personal_is_ever_stored(tmp_path_factory, sessions) -> None:
    folder = tmp_path_factory.mktemp("usage")
    counters = UsageCounters(folder, k=5)
    recorder = UsageRecorder(counters, clock=lambda: DAY)
    typed_by: Counter[str] = Counter()
    for queries in sessions:
        recorder.session_started()
        for text in queries:
            recorder.searched("en", text, results=0)
        recorder.session_ended()
        typed_by.update({scrubbed(t) for t in queries} - {None})
    readable = {term for _month, _lang, term, _n, _zero in counters.readable_terms()}
    # What leaves the kiosk: the batch for the hub and the CSV export, besides what it keeps.
    batch = build_batch(counters, "noi-bai-1", DAY.date() + dt.timedelta(days=1))
    assert batch is not None
    sent = {k: v for k, v in batch.items() if not k.startswith("_")}
    (folder / "stick").mkdir()
    exported = counters.export(folder / "stick").read_text(encoding="utf-8")
    stored = dump(folder) + json.dumps(sent, ensure_ascii=False) + exported
    counters.close()
    assert {t["term"] for t in sent["terms"]} == readable
    assert all(typed_by[term] >= 5 for term in readable)
    # Words of the format itself (field names, metric and bucket names) are not the traveller's.
    structural = {"en", "zero", "some", "search", "sessions", "session_length", *keys_of(sent)}
    for term, count in typed_by.items():
        if count < 5 and term not in structural:
            assert "'" + term.replace("'", "''") + "'" not in stored
            assert json.dumps(term, ensure_ascii=False) not in json.dumps(sent, ensure_ascii=False)
            assert f",{term}," not in exported and f',"{term}",' not in exported
    for queries in sessions:
        for text in queries:
            for token in text.split():
                if looks_personal(token):
                    assert token not in stored


def test_a_term_becomes_readable_at_the_kth_session_and_counts_once_per_session(
    tmp_path: Path,
) -> None:
    counters = UsageCounters(tmp_path, k=3)
    recorder = UsageRecorder(counters, clock=lambda: DAY)
    for n in range(3):
        recorder.session_started()
        for prefix in ("f", "fe", "fer", "ferry", "ferry", "Ferry"):  # typed as you go
            recorder.searched("en", prefix, results=0 if n else 2)
        recorder.session_ended()
        readable = counters.readable_terms()
        assert readable == ([] if n < 2 else [("2026-12", "en", "ferry", 3, 2)])
    assert "'fer'" not in dump(tmp_path) and "'ferry'" in dump(tmp_path)  # prefixes are not terms
    with pytest.raises(ValueError, match="at least 3"):
        UsageCounters(tmp_path, k=2)


def test_a_month_later_the_key_of_rare_terms_is_gone(tmp_path: Path) -> None:
    counters = UsageCounters(tmp_path)
    when = [DAY]
    recorder = UsageRecorder(counters, clock=lambda: when[0])
    recorder.session_started()
    recorder.searched("en", "rare words", 1)
    recorder.session_ended()
    when[0] = DAY + dt.timedelta(days=40)
    recorder.session_started()
    recorder.searched("en", "visa", 1)
    recorder.session_ended()
    with closing(sqlite3.connect(tmp_path / "usage" / DB_NAME)) as conn:
        months = [r[0] for r in conn.execute("SELECT month FROM month_keys")]
    assert months == ["2027-01"]


def test_sessions_cells_and_lengths(tmp_path: Path) -> None:
    counters = UsageCounters(tmp_path)
    ticks = iter([0.0, 45.0, 100.0, 100.0 + 400])
    recorder = UsageRecorder(counters, clock=lambda: DAY, monotonic=lambda: next(ticks))
    for _ in range(2):
        recorder.session_started()
        recorder.language_chosen("lo")
        recorder.item_opened("evisa", "lo")
        recorder.item_opened("evisa", "lo")
        recorder.qr_shown("evisa")
        recorder.searched("lo", "0912345678", 0)
        recorder.session_ended()
    with closing(sqlite3.connect(tmp_path / "usage" / DB_NAME)) as conn:
        cells = dict(((p, m, a, b), v) for p, m, a, b, v in conn.execute("SELECT * FROM counts"))
    assert cells[("2026-12-01T09", "sessions", "", "")] == 2
    assert cells[("2026-12-01", "item", "evisa", "lo")] == 2  # once per session
    assert cells[("2026-12-01", "search_scrubbed", "lo", "")] == 2
    assert cells[("2026-12-01", "session_length", "30s-2min", "")] == 1
    assert cells[("2026-12-01", "session_length", "5min+", "")] == 1
    assert all(len(period) <= 10 for (period, metric, *_r) in cells if metric != "sessions")
    assert counters.daily_sessions(3, DAY.date())[-1] == (DAY.date(), 2)
    assert length_bucket(10) == "0-30s"


def test_storage_stays_bounded_and_totals_are_kept(tmp_path: Path) -> None:
    counters = UsageCounters(tmp_path)
    for hour in range(24 * 20):  # twenty days, a session every hour, on twenty items
        when = DAY + dt.timedelta(hours=hour)
        recorder = UsageRecorder(counters, clock=lambda when=when: when)
        recorder.session_started()
        recorder.item_opened(f"item-{hour % 20}", "en")
        recorder.session_ended()
    before = counters.row_count()
    counters.compact(max_rows=200)
    assert counters.row_count() <= 200 < before
    total = sum(n for _day, n in counters.daily_sessions(40, (DAY + dt.timedelta(days=25)).date()))
    with closing(sqlite3.connect(tmp_path / "usage" / DB_NAME)) as conn:
        sessions = conn.execute(
            "SELECT sum(value) FROM counts WHERE metric = 'sessions'"
        ).fetchone()
    assert sessions[0] == 24 * 20 and total <= 24 * 20


def test_a_full_disk_costs_the_figures_not_the_session(tmp_path: Path, caplog) -> None:
    from sqlalchemy import event

    counters = UsageCounters(tmp_path)
    recorder = UsageRecorder(counters, clock=lambda: DAY)

    @event.listens_for(counters.engine, "connect")
    def no_room(dbapi_conn, _record):
        dbapi_conn.execute("PRAGMA max_page_count = 1")  # the file may not grow: a full disk

    counters.engine.dispose()
    recorder.session_started()
    for n in range(300):
        recorder.item_opened(f"item-{n}-" + "x" * 60, "en")
    recorder.session_ended()  # the traveller's screen is not affected: no exception
    assert "usage figures of a session not saved" in caplog.text
    assert "database or disk is full" in caplog.text
    counters.close()
