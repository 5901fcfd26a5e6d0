"""The item page's size follows the A+ switch only: the engine's own zoom never sticks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QNativeGestureEvent, QPointingDevice, QWheelEvent
from PySide6.QtWidgets import QApplication

from ui.kiosk_window import KioskWindow

from .helpers.ui import assert_stays, open_item

pytestmark = pytest.mark.gui


def ctrl_wheel(window: KioskWindow, notches: int = 3) -> None:
    """Ctrl held and the wheel turned towards "larger" over the page, as a keyboard and mouse
    left at the kiosk would."""
    target = window.item_screen.view.focusProxy()
    centre = QPointF(target.width() / 2, target.height() / 2)
    for _ in range(notches):
        event = QWheelEvent(
            centre, target.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase, False,
        )  # fmt: skip
        QApplication.sendEvent(target, event)


def touchpad_pinch(window: KioskWindow) -> None:
    target = window.item_screen.view.focusProxy()
    centre = QPointF(target.width() / 2, target.height() / 2)
    device = QPointingDevice.primaryPointingDevice()
    for kind, value in (
        (Qt.NativeGestureType.BeginNativeGesture, 0.0),
        (Qt.NativeGestureType.ZoomNativeGesture, 0.8),
        (Qt.NativeGestureType.EndNativeGesture, 0.0),
    ):
        event = QNativeGestureEvent(
            kind, device, 2, centre, centre, target.mapToGlobal(centre), value, QPointF(0, 0)
        )
        QApplication.sendEvent(target, event)


def test_ctrl_wheel_and_pinch_leave_the_page_as_it_is(qtbot, window: KioskWindow) -> None:
    open_item(qtbot, window, "evisa", "zh")
    view = window.item_screen.view
    ctrl_wheel(window)
    touchpad_pinch(window)
    assert_stays(qtbot, view.zoomFactor, 1.0, wait=500)  # time for the engine to zoom
    open_item(qtbot, window, "visa-exemption", "zh")
    assert view.zoomFactor() == 1.0


def test_a_zoom_never_reaches_the_next_item(qtbot, window: KioskWindow) -> None:
    """Whatever zoomed the engine (a gesture this kiosk does not know yet), the next page is
    shown at its own size."""
    open_item(qtbot, window, "evisa", "lo")
    window.item_screen.view.setZoomFactor(2.5)
    open_item(qtbot, window, "visa-exemption", "lo")
    assert window.item_screen.view.zoomFactor() == 1.0
