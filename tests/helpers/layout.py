"""What a traveller would see as a layout fault on the window as it is now drawn: something off
the window, a control too small for a finger, text too small to read at arm's length."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QScrollArea, QWidget

if TYPE_CHECKING:
    from ui.kiosk_window import KioskWindow

MIN_CONTROL = 64  # px, both ways
MIN_TEXT = 24  # px


def _rect_in(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _scrolled(widget: QWidget) -> QScrollArea | None:
    """The scroll area whose content ``widget`` is part of (it may be scrolled out of view)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent.parentWidget(), QScrollArea) and parent.objectName() == (
            "qt_scrollarea_viewport"
        ):
            area = parent.parentWidget()
            assert isinstance(area, QScrollArea)
            return area
        parent = parent.parentWidget()
    return None


def layout_faults(window: KioskWindow, size: tuple[int, int]) -> list[str]:
    faults: list[str] = []
    if (window.width(), window.height()) != size:
        faults.append(f"the window is {window.width()}×{window.height()}, not the screen's {size}")
    frame = window.rect()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not widget.isVisible():
            continue
        what = f"{type(widget).__name__} {widget.objectName()!r} {_label(widget)!r}"
        area = _scrolled(widget)
        if area is None:
            if not frame.contains(_rect_in(window, widget)):
                faults.append(f"{what} at {_rect_in(window, widget)} is outside the window")
        elif area.widget() is not None:
            # Content scrolls up and down with a finger, never sideways: nothing wider.
            content, viewport = area.widget(), area.viewport()
            assert content is not None
            if content.width() > viewport.width():
                faults.append(
                    f"{what}: its list is {content.width()} px wide in {viewport.width()} px"
                )
        small = widget.width() < MIN_CONTROL or widget.height() < MIN_CONTROL
        if isinstance(widget, (QAbstractButton, QLineEdit)) and small:
            faults.append(f"{what} is {widget.width()}×{widget.height()} px")
        if isinstance(widget, QAbstractButton) and widget.sizeHint().width() > widget.width() + 2:
            faults.append(f"{what}: its words are cut ({widget.sizeHint().width()} px wanted)")
        if isinstance(widget, (QAbstractButton, QLineEdit, QLabel)) and _label(widget):
            pixels = QFontInfo(widget.font()).pixelSize()
            if pixels < MIN_TEXT:
                faults.append(f"{what}: text at {pixels} px")
    return faults


def _label(widget: QWidget) -> str:
    if isinstance(widget, (QAbstractButton, QLineEdit, QLabel)):
        return widget.text()
    return ""
