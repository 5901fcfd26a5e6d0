"""What staff leave behind at the kiosk cannot be used by the next person: the panel and
assisted mode end by themselves, PINs change only for whoever knows them, restarting and
leaving ask first; and a passer-by cannot keep staff out (the recovery code)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.admin.pins import PinStore
from kiosk.app.session import START

from .helpers.ui import (
    ADMIN,
    STAFF,
    actions,
    admin_of,
    assert_stays,
    corner_taps,
    enter,
    open_panel,
    shown,
    tap,
)

pytestmark = pytest.mark.gui
NEW = "55501234"


def touch(window, widget: QWidget) -> None:
    """A finger on ``widget``, through the window like real input (the idle countdown sees it)."""
    centre = widget.mapTo(window, widget.rect().center())
    QTest.mouseClick(
        window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre
    )


def test_a_panel_opened_on_the_start_screen_closes_by_itself(qtbot, kiosk) -> None:
    _lab, window = kiosk
    admin_of(window).settings.staff_idle_seconds = 2  # minutes in service; seconds for the test
    panel = open_panel(qtbot, window)
    assert window.session.place == START
    for _ in range(8):  # staff at work: every touch starts the countdown again
        assert_stays(qtbot, window.stack.currentWidget, panel, wait=400)
        touch(window, panel.title)
    assert window.stack.currentWidget() is panel
    # Staff walk away: the panel closes, to the start screen, and the audit log says why.
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start_screen, timeout=6000)
    assert (actions(window)[-1], admin_of(window).audit.entries()[-1].detail) == (
        "panel-closed",
        "timeout",
    )
    assert window.session.idle_seconds == admin_of(window).settings.idle_seconds
    assert not window.session.counting_down  # the start screen waits for a traveller again


def test_the_next_person_opening_the_panel_reads_nothing_the_last_one_left(qtbot, kiosk) -> None:
    _lab, window = kiosk
    panel = open_panel(qtbot, window)
    tap(qtbot, panel.export_button)  # no stick: a message for this operator
    assert panel.settings_message.text()
    panel.scroller.verticalScrollBar().setValue(panel.scroller.verticalScrollBar().maximum())
    assert panel.scroller.verticalScrollBar().value() > 0
    tap(qtbot, panel.close_button)
    again = open_panel(qtbot, window)
    assert again is panel and window.stack.currentWidget() is panel
    assert panel.settings_message.text() == "" and panel.progress.text() == ""
    assert panel.scroller.verticalScrollBar().value() == 0


def test_assisted_mode_left_on_the_start_screen_ends_by_itself(qtbot, kiosk) -> None:
    _lab, window = kiosk
    admin_of(window).settings.staff_idle_seconds = 1
    admin_of(window).pins.set_pin("staff", STAFF)
    corner_taps(qtbot, window, corner="left")
    enter(qtbot, window, STAFF)
    assert admin_of(window).assisted_on and window.session.place == START
    qtbot.waitUntil(lambda: not admin_of(window).assisted_on, timeout=5000)
    last = admin_of(window).audit.entries()[-1]
    assert (last.actor, last.action, last.detail) == ("staff", "assisted-ended", "timeout")


def test_a_pin_pad_left_on_the_start_screen_closes_by_itself(qtbot, kiosk) -> None:
    _lab, window = kiosk
    admin_of(window).settings.idle_seconds = 1
    admin_of(window).pins.set_pin("admin", ADMIN)
    window.session.set_idle_seconds(1)
    corner_taps(qtbot, window)
    assert window.stack.currentWidget() is admin_of(window).pad
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start_screen, timeout=5000)


def test_the_next_person_at_an_open_panel_cannot_change_a_pin(qtbot, kiosk) -> None:
    _lab, window = kiosk
    admin_of(window).pins.set_pin("staff", STAFF)
    panel = open_panel(qtbot, window)
    wrong = shown(window, "The PIN was not changed: the current PIN was wrong.")
    for button in (panel.admin_pin_button, panel.staff_pin_button):
        tap(qtbot, button)
        assert admin_of(window).pad.title.text() in (
            shown(window, "Current admin PIN"),
            shown(window, "Current staff PIN, or the admin PIN"),
        )
        enter(qtbot, window, NEW)  # not the current PIN: what someone new would type
        assert window.stack.currentWidget() is panel
        assert panel.settings_message.text() == wrong
    pins = PinStore(admin_of(window).engine, window.store.data_dir / "admin")
    assert pins.check("admin", ADMIN).ok and pins.check("staff", STAFF).ok
    assert not pins.check("admin", NEW).ok
    assert actions(window).count("pin-change-refused") == 2
    assert "pin-changed" not in actions(window)
    # Whoever knows the admin PIN changes it.
    tap(qtbot, panel.admin_pin_button)
    enter(qtbot, window, ADMIN)
    enter(qtbot, window, NEW)
    enter(qtbot, window, NEW)
    assert panel.settings_message.text() == shown(window, "The admin PIN was changed.")
    assert PinStore(admin_of(window).engine, window.store.data_dir / "admin").check("admin", NEW).ok


def test_restarting_and_leaving_kiosk_mode_ask_first(qtbot, kiosk) -> None:
    _lab, window = kiosk
    panel = open_panel(qtbot, window)
    emitted: list[str] = []
    admin_of(window).restart_requested.connect(lambda: emitted.append("restart"))
    admin_of(window).quit_requested.connect(lambda: emitted.append("leave"))
    for button, question in (
        (panel.restart_button, "Restart the application?"),
        (panel.leave_button, "Leave kiosk mode?"),
    ):
        tap(qtbot, button)
        confirm = admin_of(window).confirm
        assert confirm is not None and window.stack.currentWidget() is confirm
        assert confirm.question.text() == shown(window, question)
        for control in (confirm.confirm_button, confirm.cancel_button):
            assert control.accessibleName() == control.text() != ""
            assert control.height() >= 60  # a finger's target, not a dialog's small button
        tap(qtbot, confirm.cancel_button)
        assert window.stack.currentWidget() is panel
    assert_stays(qtbot, lambda: emitted, [], wait=50)  # neither asked for after a cancel
    assert not {"restart", "leave-kiosk"} & set(actions(window))
    tap(qtbot, panel.leave_button)
    with qtbot.waitSignal(admin_of(window).quit_requested):
        tap(qtbot, admin_of(window).confirm.confirm_button)
    assert actions(window)[-1] == "leave-kiosk"


def test_the_recovery_code_lets_staff_in_once_after_a_lockout(qtbot, kiosk) -> None:
    _lab, window = kiosk
    admin = admin_of(window)
    admin.pins.set_pin("admin", ADMIN)
    code = admin.pins.new_recovery_code()
    corner_taps(qtbot, window)
    for _ in range(6):  # a passer-by locks the admin PIN
        enter(qtbot, window, "11112222")
    enter(qtbot, window, ADMIN)
    assert window.stack.currentWidget() is admin.pad  # even the right PIN waits
    tap(qtbot, admin.pad.recovery_button)
    assert admin.pad.title.text() == shown(window, "Recovery code")
    enter(qtbot, window, "000000000000")
    assert admin.pad.message.text() == shown(window, "Wrong recovery code.")
    enter(qtbot, window, code)
    panel = admin.panel
    assert panel is not None and window.stack.currentWidget() is panel
    accepted = (
        "Recovery code accepted: the PIN lockout is cleared. The code works only once: set the "
        "admin PIN again with kiosk admin set-pin to print a new one."
    )
    assert panel.settings_message.text() == shown(window, accepted)
    assert {"pin-locked-out", "recovery-code-refused", "recovery-code-used"} <= set(actions(window))
    tap(qtbot, panel.close_button)
    # The lockout is cleared: the admin PIN opens the panel at once.
    corner_taps(qtbot, window)
    assert not admin.pad.recovery_button.isVisible()  # used up: no code to offer
    enter(qtbot, window, ADMIN)
    assert window.stack.currentWidget() is panel
    assert not admin.pins.use_recovery_code(code).ok  # once only
