"""The out-of-service slate: what the screen shows when the kiosk has no content to start on
(a first start on a disk that takes nothing, a damaged database on a read-only disk). A
traveller reads in their language that the kiosk is out of service and whom to ask; staff read
why, in the panel's words, at the bottom. Never a black screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n import N_, gettext_for
from kiosk.storage import StorageProblem
from ui.admin.messages import storage_text
from ui.style import FONT_FAMILIES
from ui.text import PlainLabel

OUT_OF_SERVICE = N_("This kiosk is out of service.")
ASK_STAFF = N_("Please ask a border officer for help.")
STYLE = f"""
QWidget#slate {{ background: #14202b; }}
QLabel {{ font-family: {FONT_FAMILIES}; color: #ffffff; background: transparent; }}
QLabel#slate-gate {{ font-size: 30px; color: #c5d2de; }}
QLabel#slate-title {{ font-size: 44px; font-weight: bold; }}
QLabel#slate-help {{ font-size: 30px; }}
QLabel#slate-reason {{ font-size: 20px; color: #c5d2de; }}
"""


class OutOfServiceSlate(QWidget):
    def __init__(
        self,
        languages: tuple[str, ...],
        gate_names: dict[str, str],
        problem: StorageProblem | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("slate")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self.setWindowTitle(gettext_for(languages[0])(OUT_OF_SERVICE))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 60)
        layout.setSpacing(12)
        gate = next((gate_names[lang] for lang in languages if lang in gate_names), "")
        if gate:
            layout.addWidget(self._label(gate, "slate-gate"))
        layout.addStretch(1)
        self.messages: dict[str, PlainLabel] = {}
        said: set[str] = set()
        for lang in dict.fromkeys(languages):
            text = gettext_for(lang)
            if text(OUT_OF_SERVICE) in said:  # a language without a translation yet
                continue
            said.add(text(OUT_OF_SERVICE))
            title = self._label(text(OUT_OF_SERVICE), "slate-title")
            self.messages[lang] = title
            layout.addWidget(title)
            layout.addWidget(self._label(text(ASK_STAFF), "slate-help"))
            layout.addSpacing(28)
        layout.addStretch(1)
        self.reason: PlainLabel | None = None
        if problem is not None:  # for staff: the panel's sentence (the interface language)
            self.reason = self._label(storage_text(problem), "slate-reason")
            layout.addWidget(self.reason)

    def _label(self, text: str, name: str) -> PlainLabel:
        label = PlainLabel(self, text)
        label.setObjectName(name)
        label.setAccessibleName(text)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label
