"""One search result as a large button: its category's pictogram, its title and a one-line
summary, each cut with an ellipsis to the width of the screen rather than widening it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.search.engine import Hit
from ui.icons import show_pictogram
from ui.text import PlainLabel, one_line

RESULT_ICON = 44  # px
LONGEST = 400  # characters kept before eliding to the width: a title or summary of any length
# What may change the height a result row needs: a new look, new fonts, new words.
_RESIZING = (QEvent.Type.Polish, QEvent.Type.StyleChange, QEvent.Type.LayoutRequest)


class ElidedLabel(PlainLabel):
    """One line of plain text, cut with "…" where the label ends (never wider than its room)."""

    def __init__(self, text: str, parent: QWidget, object_name: str) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.full_text = one_line(text, LONGEST)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setText(self.full_text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        width = self.contentsRect().width()
        self.setText(
            self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width)
        )
        super().resizeEvent(event)


class ResultButton(QPushButton):
    def __init__(self, hit: Hit, marker: str, parent: QWidget) -> None:
        """``marker``: shown after the title of a result in another language (its name)."""
        super().__init__(parent)
        self.item_id = hit.item_id
        self.setObjectName("other-language" if marker else "result")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        title = hit.title + (f"   ({marker})" if marker else "")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 8, 16, 8)
        row.setSpacing(16)
        self.pictogram = PlainLabel(self)
        self.pictogram.setObjectName("result-pictogram")
        self.pictogram.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.pictogram.setFixedSize(RESULT_ICON, RESULT_ICON)
        show_pictogram(self.pictogram, hit.icon or "item", RESULT_ICON)
        row.addWidget(self.pictogram)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.title = ElidedLabel(title, self, "result-title")
        self.summary = ElidedLabel(hit.summary, self, "result-summary")
        self.summary.setVisible(bool(hit.summary.strip()))
        texts.addWidget(self.title)
        texts.addWidget(self.summary)
        row.addLayout(texts, 1)
        self.setAccessibleName(title)
        self.setAccessibleDescription(one_line(hit.summary, LONGEST))

    def event(self, event: QEvent) -> bool:
        """Never lower than the title and summary it holds: the style sheet's smallest
        control height would otherwise let a long list squeeze each row onto its words."""
        handled = super().event(event)
        if event.type() in _RESIZING:
            inner = self.layout()
            if inner is not None:
                self.setMinimumHeight(inner.totalSizeHint().height())
        return handled
