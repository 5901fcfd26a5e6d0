"""Settings declared once: checked on load as on save, read from the environment through one
registry, one feed for the kiosk and 'kiosk sync', and 'kiosk search' on the kiosk's clock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from pathlib import Path

import pytest
from sqlalchemy import delete, insert, update

from kiosk import usb
from kiosk.admin.db import open_admin
from kiosk.admin.db import settings as settings_table
from kiosk.admin.settings import SettingRefused, Settings, load_settings, save_settings
from kiosk.app.clock import content_today
from kiosk.app.feed_source import resolve_feed
from kiosk.cli import main
from kiosk.content.store import ContentStore
from kiosk.options import OPTIONS, STORED, Who, from_environment, markdown_table
from kiosk.sync import status as st

README = Path(__file__).resolve().parent.parent / "README.md"
# Values the panel can never save; a kiosk may still find them stored (hand-edited, another
# version, a damaged row).
REFUSED = {
    "idle_seconds": 5,
    "staff_idle_seconds": 86_400,
    "search_k": 1,
    "languages": "vi",
    "gate": "../../etc",
    "feed": "ftp://example.org/feed",
}


def store_raw(data_dir: Path, rows: dict[str, str]) -> None:
    """Write stored settings as the database holds them (JSON text), bypassing every check."""
    engine = open_admin(data_dir)
    with engine.begin() as conn:
        conn.execute(delete(settings_table))
        conn.execute(insert(settings_table), [{"key": k, "value": v} for k, v in rows.items()])
    engine.dispose()


# -- checked on load as on save ------------------------------------------------------------------
def test_a_stored_value_the_panel_would_refuse_falls_back_to_its_default_with_one_sentence(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rows = {name: json.dumps(value) for name, value in REFUSED.items()}
    rows["idle_seconds"] = "{not json"  # a damaged row
    rows["staff_idle_seconds"] = json.dumps("900")  # a number saved as text
    rows["languages"] = json.dumps(["vi", "en"])  # a good value is kept
    store_raw(tmp_path, rows)
    with caplog.at_level(logging.ERROR, logger="kiosk.admin"):
        loaded = load_settings(open_admin(tmp_path))
    default = Settings()
    assert loaded == dataclasses.replace(default, languages=["vi", "en"])
    sentences = [r.getMessage() for r in caplog.records]
    refused = {"idle_seconds", "staff_idle_seconds", "search_k", "gate", "feed"}
    assert len(sentences) == len(refused)  # one sentence each, none for the good value
    for name in refused:
        (sentence,) = [s for s in sentences if s.startswith(f"The stored setting {name} ")]
        assert "is not used" in sentence and "maintenance panel" in sentence
        assert sentence.count(".") >= 1 and "\n" not in sentence
    assert "between 120 and 3600 seconds" in next(s for s in sentences if "staff_idle" in s)
    assert "not a readable value" in next(s for s in sentences if "idle_seconds ({" in s)


def test_save_refuses_every_value_load_refuses_and_keeps_what_was_stored(tmp_path: Path) -> None:
    engine = open_admin(tmp_path)
    kept = Settings(gate="mong-cai", languages=["zh", "vi"], idle_seconds=120)
    save_settings(engine, kept)
    for name, value in REFUSED.items():
        with pytest.raises(SettingRefused):
            save_settings(engine, dataclasses.replace(kept, **{name: value}))
        assert load_settings(engine) == kept
    with pytest.raises(SettingRefused, match="between 20 and 600"):
        save_settings(engine, Settings(idle_seconds=5))


def test_every_stored_setting_is_declared_and_its_default_passes_its_own_check() -> None:
    assert [f.name for f in dataclasses.fields(Settings)] == list(STORED)
    for option in OPTIONS:
        assert option.validate(option.default) == option.default
        assert Settings().__dict__.get(option.name, option.default) == option.default
        assert option.description.endswith(".") and "|" not in option.description
    assert len({o.env for o in OPTIONS if o.env}) == len([o for o in OPTIONS if o.env])


# -- the environment ---------------------------------------------------------------------------
def test_a_wrong_environment_value_is_one_sentence_and_the_default(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    monkeypatch.setenv("KIOSK_REMOVABLE_ROOTS", "media:usb")  # relative: a typo
    monkeypatch.setenv("KIOSK_GPU", "yes")
    monkeypatch.setenv("KIOSK_HUB_TOKEN", "secret-token\nsecond line")
    with caplog.at_level(logging.ERROR, logger="kiosk.options"):
        assert usb.removable_roots() == [Path(r) for r in usb.REMOVABLE_ROOTS]
        assert from_environment("gpu") is None
        assert from_environment("hub_token") is None
    sentences = [r.getMessage() for r in caplog.records]
    assert len(sentences) == 3
    assert sentences[0].startswith("The environment variable KIOSK_REMOVABLE_ROOTS='media:usb'")
    assert "set it to 1 (on) or leave it unset" in sentences[1]
    assert "secret-token" not in sentences[2] and "KIOSK_HUB_TOKEN=(hidden)" in sentences[2]
    monkeypatch.setenv("KIOSK_REMOVABLE_ROOTS", f"{tmp_path}:/run/media")
    assert usb.removable_roots() == [tmp_path, Path("/run/media")]


def test_kiosk_admin_options_lists_every_variable_with_its_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["admin", "options"]) == 0
    out = capsys.readouterr().out
    for option in OPTIONS:
        assert f"{option.name}  {option.env or '—'}" in out
        assert option.description in out
    assert main(["admin", "options", "--markdown"]) == 0
    assert capsys.readouterr().out.strip() == markdown_table()


def test_the_readme_documents_every_environment_variable_as_the_registry_says() -> None:
    """The README's table is `kiosk admin options --markdown`; no variable undocumented, none
    documented that the kiosk does not read."""
    readme = README.read_text(encoding="utf-8")
    assert markdown_table() in readme
    mentioned = set(re.findall(r"\bKIOSK_[A-Z_]+\b", readme))
    declared = {o.env for o in OPTIONS if o.env}
    assert mentioned <= declared, mentioned - declared
    assert {o.env for o in OPTIONS if o.env and o.who is not Who.TEST} <= mentioned


# -- one feed for the kiosk and the command line ---------------------------------------------
def remember_last_feed(data_dir: Path, feed: str) -> None:
    status = st.load_status(data_dir)
    status.feed = feed
    st.save_status(data_dir, status)


def test_the_feed_comes_from_the_command_line_then_environment_then_setting_then_last_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KIOSK_FEED", raising=False)
    assert resolve_feed(tmp_path) is None
    assert not (tmp_path / "admin").exists()  # only reading: nothing created
    remember_last_feed(tmp_path, "/srv/last-used")
    assert resolve_feed(tmp_path) == "/srv/last-used"
    save_settings(open_admin(tmp_path), Settings(feed="https://feed.example/stored/"))
    assert resolve_feed(tmp_path) == "https://feed.example/stored/"
    monkeypatch.setenv("KIOSK_FEED", "https://feed.example/environment/")
    assert resolve_feed(tmp_path) == "https://feed.example/environment/"
    assert resolve_feed(tmp_path, "/media/usb/feed.bundle") == "/media/usb/feed.bundle"


def test_a_damaged_admin_database_does_not_stop_kiosk_sync_from_finding_its_feed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("KIOSK_FEED", raising=False)
    remember_last_feed(tmp_path, "/srv/last-used")
    (tmp_path / "admin").mkdir()
    (tmp_path / "admin" / "admin.db").write_bytes(b"not a database" * 100)
    with caplog.at_level(logging.ERROR, logger="kiosk.admin"):
        assert resolve_feed(tmp_path) == "/srv/last-used"
    assert "cannot be read" in caplog.text and "the defaults apply" in caplog.text


def test_the_kiosk_application_syncs_from_the_stored_feed_and_the_environment_before_it(
    qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.app.sync_service import SyncService

    monkeypatch.delenv("KIOSK_FEED", raising=False)
    save_settings(open_admin(tmp_path), Settings(feed="https://feed.example/stored/"))
    service = SyncService(tmp_path, None, schedule=False)
    assert service.feed == "https://feed.example/stored/"
    monkeypatch.setenv("KIOSK_FEED", "https://feed.example/environment/")
    assert SyncService(tmp_path, None, schedule=False).feed == "https://feed.example/environment/"
    assert SyncService(tmp_path, "/given", schedule=False).feed == "/given"


@pytest.mark.slow
def test_kiosk_sync_uses_the_stored_feed_as_the_kiosk_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KIOSK_FEED", raising=False)
    stored, environment, given = (str(tmp_path / n) for n in ("stored", "environment", "given"))
    data = tmp_path / "data"
    save_settings(open_admin(data), Settings(feed=stored))
    sync = ["sync", "--once", "--data-dir", str(data)]
    assert main(sync) == 1  # the stored feed is tried (and is not there) …
    assert st.load_status(data).feed == stored  # … where the command used to say "no feed"
    monkeypatch.setenv("KIOSK_FEED", environment)
    assert main(sync) == 1 and st.load_status(data).feed == environment
    assert main([*sync, "--feed", given]) == 1 and st.load_status(data).feed == given
    capsys.readouterr()


# -- 'kiosk search' on the kiosk's content clock ------------------------------------------------
@pytest.mark.slow
def test_kiosk_search_hides_a_notice_the_kiosk_hides_when_the_clock_is_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, notice = tmp_path / "data", "notice-tet-2027"
    search = ["search", "Tet 2027", "--lang", "en", "--json", "--data-dir", str(data)]

    def found() -> list[str]:
        assert main(search) == 0
        return [hit["id"] for hit in json.loads(capsys.readouterr().out)["results"]]

    assert notice in found()  # the bundled content is in, and the notice is found
    # The notice ended ten days from the machine's date; the feed this kiosk verified was
    # signed twenty days from it: the machine's clock is behind, and the notice has expired.
    machine_today = dt.date.today()
    store = ContentStore(data)
    with store.engine.begin() as conn:
        from kiosk.content.model import Item

        conn.execute(
            update(Item).where(Item.id == notice).values(
                valid_from=None, valid_until=machine_today + dt.timedelta(days=10)
            )
        )  # fmt: skip
    floor = dt.datetime.now(dt.UTC) + dt.timedelta(days=20)
    store.set_meta({"sync:time_floor": floor.isoformat()})
    gate = store.gates()[0].id
    assert store.item(notice, gate, content_today(store)) is None  # the kiosk hides it
    assert store.item(notice, gate, machine_today) is not None  # the machine's date would not
    store.close()
    assert notice not in found()
