"""Staff and operators at the kiosk: the hidden gesture, PINs, the panel, assisted mode."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton

from kiosk.admin.pins import PinStore
from kiosk.admin.settings import load_settings
from kiosk.app.session import START, Place, Screen
from kiosk.feed.bundle import export_bundle
from kiosk.i18n import translations

from .conftest import open_kiosk
from .feedkit import now
from .helpers.ui import (
    ADMIN,
    STAFF,
    actions,
    admin_of,
    close_window,
    corner_taps,
    enter,
    open_panel,
    page_text,
    shown,
    tap,
    wait_for_facts,
)
from .usbkit import plug_stick

pytestmark = pytest.mark.gui


def test_the_corner_gesture_opens_the_pin_pad_and_ordinary_use_does_not(qtbot, kiosk) -> None:
    _lab, window = kiosk
    tap(qtbot, window.start_screen.buttons["en"])
    # An impatient traveller hammers the language button in the top-right corner.
    corner_taps(qtbot, window, count=8, pause=False)
    assert window.stack.currentWidget() is window.start_screen
    tap(qtbot, window.start_screen.buttons["en"])
    for _ in range(6):  # and taps around the home screen
        corner_taps(qtbot, window, corner="left", count=1, pause=False)
        QTest.mouseClick(
            window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
            QPoint(600, 400),
        )  # fmt: skip
    assert window.stack.currentWidget() is not admin_of(window).pad
    window.session.reset()
    corner_taps(qtbot, window, count=4)  # on the start screen the corner is free
    assert window.stack.currentWidget() is window.start_screen
    corner_taps(qtbot, window, count=1, pause=False)
    assert window.stack.currentWidget() is admin_of(window).pad


def test_no_pin_is_built_in_and_wrong_pins_lock_out(qtbot, kiosk) -> None:
    _lab, window = kiosk
    corner_taps(qtbot, window)
    enter(qtbot, window, "00000000")
    assert "kiosk admin set-pin" in admin_of(window).pad.message.text()
    admin_of(window).pins.set_pin("admin", ADMIN)
    for _ in range(5):
        enter(qtbot, window, "11112222")
    wait = translations(window.session.language).ngettext(
        "Too many wrong PINs. Try again in {seconds} second.",
        "Too many wrong PINs. Try again in {seconds} seconds.",
        30,
    )
    assert admin_of(window).pad.message.text() == wait.format(seconds=30)
    enter(qtbot, window, ADMIN)  # locked: even the right PIN waits
    assert window.stack.currentWidget() is admin_of(window).pad
    assert actions(window).count("pin-refused") == 5


def test_the_panel_shows_the_kiosk_state(qtbot, kiosk) -> None:
    _lab, window = kiosk
    panel = open_panel(qtbot, window)
    facts = {key: value.text() for key, (_name, value) in panel.fact_labels.items()}
    assert facts["revision"].startswith("1")
    assert shown(window, "new content applied") in facts["last-sync"]  # outcome "ok"
    assert facts["version"] == "0.1.0"
    assert facts["gate"] == "Cảng hàng không quốc tế Nội Bài"  # in the interface language
    assert facts["audit"] == shown(window, "intact") == "nguyên vẹn"
    assert "GB" in facts["disk"]
    assert "pin-accepted" in panel.logs.toPlainText()
    admin_of(window)._back_to_traveller()
    tap(qtbot, window.start_screen.buttons["en"])
    admin_of(window).open_panel()
    wait_for_facts(qtbot, panel)
    assert panel.fact_labels["gate"][1].text() == "Noi Bai International Airport"
    assert panel.gate_buttons["mong-cai"].text() == "Mong Cai International Border Gate"
    assert panel.fact_labels["audit"][1].text() == "intact"
    for button in panel.findChildren(QAbstractButton):
        assert button.accessibleName(), button.text()


def test_settings_apply_at_once_and_survive_a_restart(qtbot, kiosk) -> None:
    lab, window = kiosk
    panel = open_panel(qtbot, window)
    tap(qtbot, panel.gate_buttons["mong-cai"])
    tap(qtbot, panel.language_buttons["en"])  # offer only vi and zh
    for _ in range(3):
        tap(qtbot, panel.idle_seconds_buttons[1])
    tap(qtbot, panel.save_button)
    assert panel.settings_message.text() == shown(window, "Settings saved and applied.")
    assert window.gate.id == "mong-cai" and window.gate.languages == ("vi", "zh")
    saved = load_settings(admin_of(window).engine)
    assert (saved.gate, saved.languages, saved.idle_seconds) == ("mong-cai", ["vi", "zh"], 120)
    assert "settings" in actions(window)
    tap(qtbot, panel.close_button)
    assert actions(window)[-1] == "panel-closed"
    assert window.session.place == START
    assert list(window.start_screen.buttons) == ["vi", "zh"]
    assert window.session.idle_seconds == 120
    again = open_kiosk(lab.store, window.store.gate("noi-bai"), today=lambda: dt.date(2026, 12, 1))
    try:
        assert again.gate.id == "mong-cai" and list(again.start_screen.buttons) == ["vi", "zh"]
    finally:
        close_window(again)


def test_sync_now_and_usb_import_from_the_panel(qtbot, kiosk, tmp_path, monkeypatch) -> None:
    lab, window = kiosk
    panel = open_panel(qtbot, window)
    lab.set_title("Synced from the panel")
    lab.publish()
    admin_of(window).settings.feed = str(lab.feed)
    with qtbot.waitSignal(
        admin_of(window).audit_written,
        timeout=60000,
        check_params_cb=lambda a: a == "sync-finished",
    ):
        tap(qtbot, panel.sync_button)
    finished = shown(window, "Sync finished: content revision {revision}.")
    assert panel.progress.text() == finished.format(revision=2)
    assert lab.titles()["evisa"] == "Synced from the panel"
    # USB: a bundle on a mounted stick, chosen by touch.
    lab.set_title("Carried on a USB stick")
    lab.publish()
    stick = plug_stick(monkeypatch, tmp_path)
    export_bundle(lab.feed, lab.keys, stick / "content.bundle", now())
    tap(qtbot, panel.usb_button)
    qtbot.waitUntil(lambda: panel.bundles.count() > 0)  # listed off the UI thread
    buttons = [panel.bundles.itemAt(i).widget() for i in range(panel.bundles.count())]
    assert [b.text() for b in buttons] == ["content.bundle"]
    with qtbot.waitSignal(
        admin_of(window).audit_written,
        timeout=60000,
        check_params_cb=lambda a: a == "sync-finished",
    ):
        tap(qtbot, buttons[0])
    assert lab.titles()["evisa"] == "Carried on a USB stick"
    assert {"sync-now", "usb-import", "sync-finished"} <= set(actions(window))


def test_pins_are_changed_from_the_panel(qtbot, kiosk) -> None:
    _lab, window = kiosk
    panel = open_panel(qtbot, window)
    tap(qtbot, panel.staff_pin_button)
    enter(qtbot, window, ADMIN)  # no staff PIN yet: the admin PIN stands for it
    enter(qtbot, window, STAFF)
    enter(qtbot, window, STAFF)
    assert panel.settings_message.text() == shown(window, "The staff PIN was changed.")
    assert (
        PinStore(admin_of(window).engine, window.store.data_dir / "admin").check("staff", STAFF).ok
    )
    tap(qtbot, panel.staff_pin_button)
    enter(qtbot, window, STAFF)  # the current staff PIN
    enter(qtbot, window, "271828")
    enter(qtbot, window, "271829")
    differ = shown(window, "The two PINs differ; the PIN was not changed.")
    assert panel.settings_message.text() == differ
    assert actions(window).count("pin-changed") == 1


def test_restart_and_leaving_kiosk_mode_are_audited(qtbot, kiosk) -> None:
    _lab, window = kiosk
    panel = open_panel(qtbot, window)
    tap(qtbot, panel.restart_button)
    with qtbot.waitSignal(admin_of(window).restart_requested):
        tap(qtbot, admin_of(window).confirm.confirm_button)
    admin_of(window).open_panel()
    tap(qtbot, panel.leave_button)
    with qtbot.waitSignal(admin_of(window).quit_requested):
        tap(qtbot, admin_of(window).confirm.confirm_button)
    assert actions(window)[-2:] == ["restart", "leave-kiosk"]


def test_an_assisted_mode_journey_ends_in_a_clean_session(qtbot, kiosk) -> None:
    _lab, window = kiosk
    admin_of(window).pins.set_pin("staff", STAFF)
    corner_taps(qtbot, window, corner="left")
    enter(qtbot, window, STAFF)
    bar = admin_of(window).assisted
    assert bar is not None and bar.isVisible()
    assert bar.banner.text() == shown(window, "Assisted mode") == "Chế độ hỗ trợ"
    assert window.session.place == START  # the traveller's language comes first
    tap(qtbot, window.start_screen.buttons["en"])
    tap(qtbot, window.language_button)  # another traveller language: assisted mode stays
    assert bar.isVisible() and window.session.place == START
    tap(qtbot, window.start_screen.buttons["en"])
    assert window.session.idle_seconds == admin_of(window).settings.staff_idle_seconds
    # The desk officer types an item id on the physical keyboard.
    bar.field.setFocus()
    qtbot.keyClicks(bar.field, "evisa")
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
        qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.session.place == Place(Screen.ITEM, "evisa")
    text = page_text(qtbot, window)
    assert "Thị thực điện tử" in text and "Electronic visa (e-visa)" in text  # side by side
    # Words instead of an id go to search.
    qtbot.keyClicks(bar.field, "emergency")
    qtbot.keyClick(bar.field, Qt.Key.Key_Return)
    assert window.session.place == Place(Screen.SEARCH)
    assert window.search_screen.field.text() == "emergency"
    tap(qtbot, bar.leave_button)
    assert not bar.isVisible()
    assert window.session.place == START and window.session.history == [START]
    assert window.session.search_text == "" and window.session.language == window.gate.languages[0]
    assert window.session.idle_seconds == admin_of(window).settings.idle_seconds
    assert actions(window)[-3:] == ["pin-accepted", "assisted-started", "assisted-ended"]


def test_the_staff_timeout_ends_assisted_mode(qtbot, kiosk) -> None:
    _lab, window = kiosk
    admin_of(window).pins.set_pin("staff", STAFF)
    corner_taps(qtbot, window, corner="left")
    enter(qtbot, window, STAFF)
    assert admin_of(window).assisted_on
    tap(qtbot, window.start_screen.buttons["vi"])
    assert window.session.counting_down
    window.session.idle_timeout()  # what the staff timeout does when it runs out
    assert not admin_of(window).assisted_on and window.session.place == START
    assert admin_of(window).audit.entries()[-1].detail == "timeout"
    assert window.session.idle_seconds == admin_of(window).settings.idle_seconds
