"""Labels that show text as it is written, never as markup.

A QLabel guesses whether its text is rich text (``Qt.AutoText``): a title, a name or an error
message that looks like HTML would be drawn with its colours and load its ``<img>`` files (a
device or a FIFO among them) on the kiosk's screen. Every label of the interface is made here,
so whatever content, a feed, a bundle, a file name or the network says is shown as plain text.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

COENG = "\u17d2"  # Khmer sign coeng: the next consonant is written below, as a subscript


class PlainLabel(QLabel):
    """A QLabel whose text is always plain text (markup is shown as the characters it is)."""

    def __init__(self, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # Links are never followed either (a label of plain text has none, but be explicit).
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        # QLabel repaints only its contents rectangle, inside any padding a style sheet gives
        # it; Khmer and Lao marks reach past the Latin line box into that padding, and were
        # left behind on the screen under the next text. Repaint the whole label.
        self.update()


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (line breaks and runs of spaces made single spaces), cut to at most
    ``limit`` characters with an ellipsis: for a button that must keep its size whatever a
    title says."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = limit - 1
    # Never between a letter and its marks, nor after a Khmer coeng (its subscript follows):
    # a mark without its letter is drawn as a fragment on a dotted circle.
    while cut > 0 and (unicodedata.category(text[cut]).startswith("M") or text[cut - 1] == COENG):
        cut -= 1
    return text[:cut].rstrip() + "…"


def button_text(text: str) -> str:
    """``text`` for a button's label: a button reads ``&`` as the mark of a keyboard shortcut
    (the next letter underlined, the ``&`` gone); doubled, it is shown as written."""
    return text.replace("&", "&&")
