"""The keyboard chooser: the globe key opens a small panel of large buttons, one per layout
offered at the gate, each named in its own language (English, 拼音, ខ្មែរ …).

It is drawn inside the keyboard, just above the globe key, rather than as a window of its own:
it can never leave the screen, and taps on it are taps on the kiosk's window like any other.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QPushButton, QSizePolicy, QWidget

from kiosk.i18n import _
from kiosk.keyboard.layouts import layout_for
from ui.text import button_text

GLOBE = "🌏"  # U+1F30F, drawn in the text colour (Noto Sans Symbols 2)
BUTTON_HEIGHT = 72
BUTTON_WIDTH = 220
COLUMNS = 3


class LayoutChooser(QFrame):
    chosen = Signal(str)  # a layout's language

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("layout-chooser")
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(3)
        self.setAutoFillBackground(True)  # the keys underneath do not show through
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(12, 12, 12, 12)
        self._grid.setSpacing(10)
        self.buttons: dict[str, QPushButton] = {}
        self.hide()

    def open(self, languages: list[str], current: str, anchor: QWidget) -> None:
        """Show a button per layout of ``languages`` above ``anchor`` (the globe key)."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        columns = min(COLUMNS, len(languages))
        for index, lang in enumerate(languages):
            name = layout_for(lang).name
            button = QPushButton(button_text(name), self)
            button.setObjectName("key")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumSize(BUTTON_WIDTH, BUTTON_HEIGHT)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setAccessibleName(_("Keyboard for {language}").format(language=name))
            button.setCheckable(True)
            button.setChecked(lang == current)  # the layout in use is marked
            button.clicked.connect(lambda _checked=False, lang=lang: self._choose(lang))
            self._grid.addWidget(button, index // columns, index % columns)
            self.buttons[lang] = button
        self.adjustSize()
        self._place(anchor)
        self.raise_()
        self.show()

    def _place(self, anchor: QWidget) -> None:
        """Just above the anchor, its left edges aligned, inside the parent."""
        parent = self.parentWidget()
        assert parent is not None
        corner = anchor.mapTo(parent, QPoint(0, 0))
        x = max(0, min(corner.x(), parent.width() - self.width()))
        y = max(0, corner.y() - self.height() - 6)
        self.move(x, y)

    def _choose(self, lang: str) -> None:
        self.hide()
        self.chosen.emit(lang)
