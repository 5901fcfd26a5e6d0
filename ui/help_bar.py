"""The help that is on every screen: the emergency numbers and where to ask, in one slim line.

Vietnam's emergency numbers are the same at every gate: 113 police, 114 fire and rescue, 115
ambulance. Each number keeps a pictogram, so it is understood before the words are read.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.i18n import N_, _
from ui.chrome import pictogram
from ui.style import ICON_PX
from ui.text import PlainLabel

EMERGENCY = N_("Emergency")
ASK_AN_OFFICER = N_("Need help? Ask an officer")
# (pictogram, service, number)
NUMBERS = (
    ("police", N_("Police"), "113"),
    ("fire", N_("Fire"), "114"),
    ("ambulance", N_("Ambulance"), "115"),
)


class HelpBar(QWidget):
    """Emergency numbers and "ask an officer", in the traveller's language."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("help-bar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        lines = QVBoxLayout(self)
        lines.setContentsMargins(16, 2, 16, 2)
        lines.setSpacing(0)
        row = self.row = QHBoxLayout()
        row.setSpacing(10)
        lines.addLayout(row)
        self.heading = PlainLabel(self)
        row.addWidget(self.heading)
        self.icons: list[PlainLabel] = []
        self.services: list[PlainLabel] = []
        self.numbers: list[PlainLabel] = []
        for _icon, _service, number in NUMBERS:
            icon = PlainLabel(self)
            service = PlainLabel(self)
            shown = PlainLabel(self, number)
            shown.setObjectName("emergency-number")
            row.addSpacing(14)
            for part in (icon, service, shown):
                row.addWidget(part)
            self.icons.append(icon)
            self.services.append(service)
            self.numbers.append(shown)
        row.addStretch(1)
        self.ask = PlainLabel(self)
        self.ask.setObjectName("ask-an-officer")
        row.addWidget(self.ask)
        # On a narrow screen "ask an officer" takes a second line, and then the heading goes.
        self.second = QHBoxLayout()
        lines.addLayout(self.second)
        self.retranslate()
        self.restyle(contrast=False, scale=1.0)

    def retranslate(self) -> None:
        self.heading.setText(_(EMERGENCY) + ":")
        self.setAccessibleName(_(EMERGENCY))
        for (_icon, service, number), label, shown in zip(
            NUMBERS, self.services, self.numbers, strict=True
        ):
            label.setText(_(service))
            shown.setAccessibleName(f"{_(service)} {number}")
        self.ask.setText(_(ASK_AN_OFFICER))
        self.ask.setAccessibleName(_(ASK_AN_OFFICER))
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """One line if it fits the width, without the heading if need be; else two lines (the
        heading again where there is room): the bar stays slim on a 1366×768 screen."""
        room = self.width() - 40
        numbers = sum(
            w.sizeHint().width() + 24 for w in (*self.icons, *self.services, *self.numbers)
        )
        heading = self.heading.sizeHint().width() + 10
        one_line = numbers + self.ask.sizeHint().width() <= room
        if one_line and self.row.indexOf(self.ask) < 0:
            self.second.removeWidget(self.ask)
            self.row.addWidget(self.ask)
        elif not one_line and self.row.indexOf(self.ask) >= 0:
            self.row.removeWidget(self.ask)
            self.second.addWidget(self.ask)
        used = numbers + (self.ask.sizeHint().width() if one_line else 0)
        self.heading.setVisible(used + heading <= room)

    def restyle(self, *, contrast: bool, scale: float) -> None:
        side = round(ICON_PX * 0.8 * scale)
        for (name, _service, _number), icon in zip(NUMBERS, self.icons, strict=True):
            icon.setPixmap(pictogram(name, contrast=contrast).pixmap(QSize(side, side)))
