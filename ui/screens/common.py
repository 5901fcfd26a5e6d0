"""Pieces shared by the screens: big buttons and touch scrolling."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QAbstractButton,
    QLayout,
    QPushButton,
    QScrollArea,
    QScroller,
    QScrollerProperties,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.text import PlainLabel, button_text


def big_button(text: str, name: str, parent: QWidget, object_name: str = "") -> QPushButton:
    button = QPushButton(button_text(text), parent)
    button.setAccessibleName(name)
    if object_name:
        button.setObjectName(object_name)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


def touch_scroll_area(content: QWidget, parent: QWidget) -> QScrollArea:
    """A scroll area that follows a finger (kinetic scrolling), with no scroll bar to aim at."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setWidget(content)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    properties = scroller.scrollerProperties()
    # A tap goes straight to the button under the finger; only a drag scrolls.
    properties.setScrollMetric(QScrollerProperties.ScrollMetric.MousePressEventDelay, 0)
    scroller.setScrollerProperties(properties)
    return area


def clear_layout(layout: QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget = item.widget()
        inner = item.layout()
        if widget is not None:
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)


def emit_on_tap(signal: SignalInstance, target: str) -> Callable[[bool], None]:
    """A slot for a button's ``clicked`` that emits ``signal`` with ``target``."""

    def emit(_checked: bool = False) -> None:
        signal.emit(target)

    return emit


class TitledList(QWidget):
    """A screen of a title over a list of large buttons that scrolls with a finger (a category,
    the urgent notices): ``title``, ``entries`` and ``buttons`` for the screen to fill."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(30, 10, 30, 10)
        self.title = PlainLabel(self)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        content = QWidget(self)
        self.entries = QVBoxLayout(content)
        self.entries.setSpacing(12)
        layout.addWidget(touch_scroll_area(content, self), 1)
        self.buttons: dict[str, QAbstractButton] = {}
