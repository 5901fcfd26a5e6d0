"""Pictograms: the icon a category declares in ``categories.toml``, and those of the chrome.

Drawn from Material Design Icons 6 (Apache License 2.0) as bundled by qtawesome (MIT): a
well-kept set with the border, travel and service symbols a kiosk needs, drawn as a font, so
sharp at any size and recoloured for the high-contrast look.
"""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPalette
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

os.environ.setdefault("QT_API", "pyside6")  # qtawesome goes through QtPy: the kiosk's binding

# A content author names an icon in the category's own words; each maps to a glyph here. A
# name not listed is tried as a Material Design Icons name; anything else gets FALLBACK.
GLYPHS = {
    # categories (data/content/categories.toml)
    "passport": "mdi6.passport",
    "visa": "mdi6.card-account-details-outline",
    "stamp": "mdi6.stamper",
    "home": "mdi6.home-group",
    "customs": "mdi6.bag-suitcase",
    "rules": "mdi6.scale-balance",
    "notice": "mdi6.bullhorn",
    "bus": "mdi6.bus",
    "help": "mdi6.lifebuoy",
    "camera": "mdi6.camera",
    "temple": "mdi6.temple-buddhist",
    "factory": "mdi6.factory",
    "folder": "mdi6.folder-outline",
    # chrome
    "back": "mdi6.arrow-left",
    "start": "mdi6.home",
    "search": "mdi6.magnify",
    "go": "mdi6.keyboard-return",
    "language": "mdi6.translate",
    "contrast": "mdi6.contrast-circle",
    "low-reach": "mdi6.human-wheelchair",
    "urgent": "mdi6.alert",
    "item": "mdi6.file-document-outline",
    "larger-text": "mdi6.format-size",
    # the help line's emergency numbers
    "police": "mdi6.police-badge",
    "fire": "mdi6.fire-truck",
    "ambulance": "mdi6.ambulance",
}
FALLBACK = "mdi6.folder-outline"
DEFAULT_COLOR = "#1d4e7a"


def glyph(name: str) -> str:
    """The qtawesome name of the pictogram for ``name``."""
    if name in GLYPHS:
        return GLYPHS[name]
    candidate = "mdi6." + name
    return candidate if _known(candidate) else FALLBACK


def _qtawesome() -> Any:
    """qtawesome, imported on first use: through QtPy it star-imports whole Qt modules, about
    half a second that must not delay the first frame (``warm_up`` runs it after)."""
    import qtawesome

    return qtawesome


def warm_up() -> None:
    """Load the icon fonts now (after the first frame), not at a traveller's first tap."""
    icon(FALLBACK)


def _known(full_name: str) -> bool:
    try:
        _qtawesome().icon(full_name)
    except Exception:  # qtawesome's own error for a name its fonts do not have
        return False
    return True


def icon(
    name: str,
    color: QColor | str = DEFAULT_COLOR,
    *,
    checked: QColor | str | None = None,
    disabled: QColor | str | None = None,
) -> QIcon:
    """The pictogram for ``name`` (a category's declared icon or a chrome name), in ``color``;
    in ``checked`` on a switch that is on, and dimmed (or in ``disabled``) when its control is
    disabled."""
    shade = QColor(color)
    if disabled is None:
        dim = QColor(shade)
        dim.setAlphaF(0.35)
    else:
        dim = QColor(disabled)
    colors: dict[str, QColor] = {"color": shade, "color_active": shade, "color_disabled": dim}
    if checked is not None:
        on = QColor(checked)
        colors.update(color_on=on, color_on_active=on, color_on_disabled=dim)
    return _qtawesome().icon(glyph(name), **colors)


class _FollowText(QObject):
    """Draws a widget's pictogram again in its text colour whenever the look changes (the
    high-contrast switch restyles the whole window)."""

    def __init__(self, widget: QWidget, name: str, size: int) -> None:
        super().__init__(widget)
        self.name, self.size = name, size
        widget.installEventFilter(self)
        self.apply(widget)

    def apply(self, widget: QWidget) -> None:
        if isinstance(widget, QAbstractButton):
            color = widget.palette().color(QPalette.ColorRole.ButtonText)
            widget.setIcon(icon(self.name, color))
            widget.setIconSize(QSize(self.size, self.size))
        elif isinstance(widget, QLabel):
            color = widget.palette().color(QPalette.ColorRole.WindowText)
            widget.setPixmap(icon(self.name, color).pixmap(self.size, self.size))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.PaletteChange) and isinstance(
            watched, QWidget
        ):
            self.apply(watched)
        return False


def show_pictogram(widget: QAbstractButton | QLabel, name: str, size: int = 48) -> None:
    """Put the pictogram ``name`` on a button or label, in its text colour, kept so."""
    for old in widget.findChildren(_FollowText, options=Qt.FindChildOption.FindDirectChildrenOnly):
        widget.removeEventFilter(old)
        old.deleteLater()
    _FollowText(widget, name, size)
