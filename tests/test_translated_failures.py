"""Core failures carry codes; the panel says them in the operator's language, with the plural
forms of that language, and status files of older versions still load."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk import i18n
from kiosk.admin.db import open_admin
from kiosk.admin.pins import PinRefused, PinRule, PinStore
from kiosk.app.clock import ClockProblem, clock_problem
from kiosk.content.store import ContentStore
from kiosk.paths import REPO_ROOT
from kiosk.storage import StorageKind, StorageProblem
from kiosk.sync import status as st
from kiosk.sync.client import SyncOptions, sync_once
from kiosk.sync.failures import FailureCode
from kiosk.sync.trust import TrustCode, TrustProblem, install_root
from ui.admin import messages

from .helpers.ui import admin_of

ROOT = Path(__file__).resolve().parent.parent
UNKNOWN_FEED = "The feed {feed} is neither a web address, a folder nor a bundle file."
# Test translations of new sentences (the real ones are added to the catalogs after review).
READING = "Reading the {channel} channel…"
VIETNAMESE = {
    "failed": "thất bại",
    READING: "Đang đọc kênh {channel}…",
    UNKNOWN_FEED: "Nguồn cấp {feed} không phải là địa chỉ web, thư mục hay tệp gói.",
}
MORE_BUNDLES = (
    "{count} more bundle file not shown: only the {listed} newest are listed.",
    "{count} more bundle files not shown: only the {listed} newest are listed.",
)
WAIT = (
    "Too many wrong PINs. Try again in {seconds} second.",
    "Too many wrong PINs. Try again in {seconds} seconds.",
)
DIGITS = (
    "The PIN was not changed: it needs at least {digits} digit.",
    "The PIN was not changed: it needs at least {digits} digits.",
)
RUSSIAN = {
    MORE_BUNDLES: (
        "Ещё {count} файл пакета не показан: показаны {listed} самых новых.",
        "Ещё {count} файла пакета не показаны: показаны {listed} самых новых.",
        "Ещё {count} файлов пакета не показаны: показаны {listed} самых новых.",
    ),
    WAIT: (
        "Слишком много неверных PIN-кодов. Повторите через {seconds} секунду.",
        "Слишком много неверных PIN-кодов. Повторите через {seconds} секунды.",
        "Слишком много неверных PIN-кодов. Повторите через {seconds} секунд.",
    ),
    DIGITS: (
        "PIN-код не изменён: нужна хотя бы {digits} цифра.",
        "PIN-код не изменён: нужны хотя бы {digits} цифры.",
        "PIN-код не изменён: нужно хотя бы {digits} цифр.",
    ),
}


def _catalog(lang: str, extra: dict[object, object]) -> gettext.GNUTranslations:
    """The repository's catalog of ``lang`` (its header, its Plural-Forms, its entries) with
    ``extra`` entries added, compiled in memory."""
    with (ROOT / f"i18n/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    for msgid, text in extra.items():
        catalog.add(msgid, text)  # type: ignore[arg-type]
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.fixture
def test_catalogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Vietnamese and Russian catalogs holding test translations of the new sentences."""
    fakes = {"vi": _catalog("vi", VIETNAMESE), "ru": _catalog("ru", RUSSIAN)}
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda lang: fakes.get(lang) or real(lang))
    before = i18n._current[0]
    yield
    i18n._current[0] = before


# -- codes in the core --------------------------------------------------------------------------
def test_a_failed_sync_keeps_its_code_and_parameters_beside_the_english_message(
    store: ContentStore, tmp_path: Path
) -> None:
    install_root(store.data_dir, REPO_ROOT / "demo" / "keys" / "root.json")  # sync is on
    nowhere = sync_once(store, SyncOptions(feed=str(tmp_path / "nowhere")))
    assert nowhere.last_outcome is st.SyncOutcome.FAILED
    assert nowhere.last_error_code == FailureCode.UNKNOWN_FEED
    assert nowhere.last_error_params == {"feed": str(tmp_path / "nowhere")}
    assert "neither an http(s) address" in (nowhere.last_error or "")  # the log's sentence
    garbage = tmp_path / "content.bundle"
    garbage.write_bytes(b"not a tar file at all" * 100)
    refused = sync_once(store, SyncOptions(feed=str(garbage)))
    assert refused.last_outcome is st.SyncOutcome.REJECTED
    assert (refused.last_error_code, refused.last_error_params) == (
        FailureCode.NOT_BUNDLE,
        {"file": "content.bundle"},
    )
    kept = st.load_status(store.data_dir)  # as the panel reads it again
    assert (kept.last_error_code, kept.last_error_params) == (
        FailureCode.NOT_BUNDLE,
        {"file": "content.bundle"},
    )


def test_pin_trust_storage_and_clock_problems_carry_codes(
    store: ContentStore, tmp_path: Path
) -> None:
    pins = PinStore(open_admin(tmp_path), tmp_path / "admin")
    with pytest.raises(PinRefused) as short:
        pins.set_pin("admin", "1357")
    assert short.value.code is PinRule.SHORT and short.value.params["digits"] == 8
    with pytest.raises(TrustProblem) as unreadable:
        install_root(tmp_path, tmp_path / "missing.json")
    assert unreadable.value.code is TrustCode.UNREADABLE
    (tmp_path / "root.json").write_text("{}", encoding="utf-8")
    with pytest.raises(TrustProblem) as not_root:
        install_root(tmp_path, tmp_path / "root.json")
    assert not_root.value.code is TrustCode.NOT_ROOT
    full = StorageProblem(StorageKind.FULL, tmp_path)
    assert str(full) == f"the data disk is full ({tmp_path}): nothing new can be saved"
    store.set_meta({"sync:time_floor": "2026-06-01T00:00:00+00:00"})
    assert clock_problem(store, dt.datetime(2020, 1, 1, tzinfo=dt.UTC)) is ClockProblem.BEHIND


# -- the panel in Vietnamese --------------------------------------------------------------------
@pytest.fixture
def panel_window(qtbot, content: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The kiosk at the airport (Vietnamese first) on its own copy of the bundled content."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from .conftest import open_kiosk

    folder = tmp_path / "kiosk"
    shutil.copytree(content, folder)
    store = ContentStore(folder)
    gate = store.gate("noi-bai")
    assert gate is not None and gate.languages[0] == "vi"
    window = open_kiosk(store, gate, today=lambda: dt.date(2026, 12, 1))
    window.resize(1280, 800)
    window.show()
    yield window
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()


def _facts(qtbot, window) -> dict[str, str]:  # type: ignore[no-untyped-def]
    admin_of(window).open_panel()
    panel = admin_of(window).panel
    qtbot.waitUntil(lambda: not panel.status_pending)  # the facts are gathered off the UI thread
    return {key: value.text() for key, (_name, value) in panel.fact_labels.items()}


@pytest.mark.gui
def test_the_vietnamese_panel_says_why_a_sync_failed_in_vietnamese(  # type: ignore[no-untyped-def]
    qtbot, panel_window, test_catalogs, tmp_path: Path
) -> None:
    window = panel_window
    i18n.set_language(window.session.language)
    feed = str(tmp_path / "nowhere")
    install_root(window.store.data_dir, REPO_ROOT / "demo" / "keys" / "root.json")  # sync is on
    sync_once(window.store, SyncOptions(feed=feed))
    last_sync = _facts(qtbot, window)["last-sync"]
    assert "thất bại" in last_sync  # the outcome
    assert VIETNAMESE[UNKNOWN_FEED].format(feed=feed) in last_sync  # the reason
    assert "neither" not in last_sync and "failed" not in last_sync  # no English core sentence
    status = st.load_status(window.store.data_dir)
    assert messages.sync_result_text(status) == i18n._("Sync failed ({outcome}): {error}").format(
        outcome="thất bại", error=VIETNAMESE[UNKNOWN_FEED].format(feed=feed)
    )


@pytest.mark.gui
def test_the_vietnamese_panel_names_storage_and_clock_problems_in_vietnamese(  # type: ignore[no-untyped-def]
    qtbot, panel_window, test_catalogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = panel_window
    i18n.set_language(window.session.language)
    data = window.store.data_dir
    monkeypatch.setattr(
        "kiosk.storage.storage_problem", lambda folder: StorageProblem(StorageKind.FULL, folder)
    )
    ahead = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    window.store.set_meta({"sync:time_floor": ahead.isoformat()})
    facts = _facts(qtbot, window)
    vietnamese = i18n.gettext_for("vi")
    full = vietnamese(
        "The data disk is full ({path}): usage figures, settings and content updates are "
        "not being saved. Free some space or ask a technician to enlarge the disk."
    )
    assert facts["disk"] == full.format(path=data) and "disk is full" not in facts["disk"]
    assert "chậm hơn thời điểm của nội dung đã xác minh" in facts["clock"]


def test_the_running_step_is_said_in_the_interface_language(test_catalogs) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("vi")
    running = st.SyncStatus(
        state=st.SyncState.RUNNING,
        progress="reading province-lang-son",  # what the command line prints
        step=st.SyncStep.READING,
        step_params={"channel": "province-lang-son"},
    )
    assert messages.progress_text(running) == "Đang đọc kênh province-lang-son…"


# -- plural forms -------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["vi", "zh", "lo", "km", "ko", "ru"])
def test_every_catalog_declares_its_plural_forms(lang: str) -> None:
    with (ROOT / f"i18n/{lang}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    header = dict(catalog.mime_headers)["Plural-Forms"]
    assert header.startswith("nplurals=3;" if lang == "ru" else "nplurals=1;"), header


def test_russian_counts_take_the_russian_plural_form(test_catalogs) -> None:  # type: ignore[no-untyped-def]
    i18n.set_language("ru")
    bundles, waits, digits = (RUSSIAN[key] for key in (MORE_BUNDLES, WAIT, DIGITS))
    for count, form in ((1, 0), (3, 1), (5, 2), (21, 0), (22, 1), (11, 2)):
        assert messages.more_bundles_text(count, 50) == bundles[form].format(count=count, listed=50)
        assert messages.wait_text(count) == waits[form].format(seconds=count)
    refusal = PinRefused("the admin PIN must be at least 8 digits", PinRule.SHORT, digits=8)
    assert messages.pin_refusal_text(refusal) == digits[2].format(digits=8)


# -- status files written before the change ---------------------------------------------------
OLD_STATUS = {
    "state": "idle",
    "pid": None,
    "feed": "https://feed.example/",
    "last_attempt": "2026-11-30T08:00:00Z",
    "last_success": "2026-11-29T08:00:00Z",
    "last_outcome": "rejected",
    "last_error": "rollback: national revision 3 is older than revision 4 already applied",
    "next_attempt": "2026-11-30T13:47:00Z",
    "failures": 1,
    "revisions": {"national": 4},
    "content_revision": 4,
    "downloaded_bytes": 1200,
    "progress": "",
    "packs": [],
    "apply_seconds": 0.0,
    "trust": "installed",
}


def test_a_status_file_written_before_the_change_still_loads(tmp_path: Path) -> None:
    path = st.status_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(OLD_STATUS), encoding="utf-8")
    status = st.load_status(tmp_path)
    assert status.last_outcome is st.SyncOutcome.REJECTED and status.state is st.SyncState.IDLE
    assert status.revisions == {"national": 4} and status.failures == 1
    assert status.last_error_code is None and status.last_error_params == {}
    # The panel shows the outcome in its own words, not the older English message.
    i18n.set_language("en")
    assert messages.last_sync_text(status) == "2026-11-30T08:00:00Z — refused for safety"
    st.save_status(tmp_path, status)  # and writes the same words back
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert (saved["last_outcome"], saved["state"]) == ("rejected", "idle")
    path.write_text(json.dumps({**OLD_STATUS, "last_outcome": "weather"}), encoding="utf-8")
    assert st.load_status(tmp_path).last_outcome is st.SyncOutcome.FAILED  # unknown: backs off
