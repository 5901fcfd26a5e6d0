"""Chrome buttons: a pictogram with a word under it, in the traveller's language.

A symbol alone (◀ ⌂ ◐) is not understood by everyone; a word alone is not read by everyone.
Pictograms are the kiosk's own (``ui.icons``), drawn in the colours of the look in use, and
in other colours when the switch is on or the button disabled.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSizePolicy, QToolButton, QWidget

from ui.icons import icon
from ui.style import ICON_PX
from ui.text import button_text

# (ink, ink when checked, ink when disabled) of each look.
_INKS = {False: ("#1d4e7a", "#ffffff", "#8a99a8"), True: ("#ffff00", "#000000", "#8c8c8c")}


def pictogram(name: str, *, contrast: bool = False) -> QIcon:
    """The pictogram ``name`` (see ``ui.icons.GLYPHS``) in the inks of the look."""
    ink, checked, disabled = _INKS[contrast]
    return icon(name, ink, checked=checked, disabled=disabled)


class ChromeButton(QToolButton):
    """A button of the kiosk's own controls: pictogram above, word below, never the focus."""

    def __init__(self, icon: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.icon_name = icon
        self.setObjectName("chrome")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.restyle(contrast=False, scale=1.0)

    def set_word(self, word: str, name: str = "") -> None:
        """The word under the pictogram; ``name`` for screen readers when it says more."""
        self.setText(button_text(word))
        self.setAccessibleName(name or word)

    def restyle(self, *, contrast: bool, scale: float) -> None:
        self.setIcon(pictogram(self.icon_name, contrast=contrast))
        side = round(ICON_PX * scale)
        self.setIconSize(QSize(side, side))
