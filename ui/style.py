"""Look of the kiosk: type read at arm's length, touch targets for a finger; a high-contrast
variant.

Sizes are for a screen 1080 pixels high (or wide, standing): a larger screen (3840×2160) scales
everything with its short side, a smaller one (1366×768) keeps them, so text never drops below
the body size. Lao and Khmer are drawn larger than Latin at the same pixel size would be: their
letters sit low in the em square and look 15–20 % smaller.
"""

from __future__ import annotations

FONT_FAMILIES = (
    '"Noto Sans", "Noto Sans Lao", "Noto Sans Khmer", "Noto Sans CJK SC", '
    '"Noto Sans CJK KR", "DejaVu Sans", sans-serif'
)
BODY_PX = 26  # body text at arm's length: 24–28 px on a 1080-line screen
CONTROL_PX = 64  # the smallest control: a fingertip with room to spare
ICON_PX = 32  # the pictogram of a chrome button, its word under it
REFERENCE_LINES = 1080  # the short side the sizes are made for
# (Keys keep their size in every script: one letter each, already large.)
# Languages whose script needs more pixels to look as large as Latin at the same size.
TALL_SCRIPTS = {"lo": 1.18, "km": 1.18}


def script_factor(lang: str) -> float:
    return TALL_SCRIPTS.get(lang, 1.0)


def screen_scale(width: int, height: int) -> float:
    """How much larger than the reference everything is drawn on a window of this size: with
    the short side, in quarter steps, never smaller."""
    short = min(width, height)
    return max(1.0, round(short / REFERENCE_LINES * 4) / 4)


def style_sheet(*, contrast: bool = False, script: float = 1.0, scale: float = 1.0) -> str:
    """The window's style sheet: ``script`` enlarges text (the chosen language's script),
    ``scale`` text and controls (the screen)."""

    def font(px: float) -> str:
        return f"{round(px * scale * script)}px"

    def size(px: float) -> str:
        return f"{round(px * scale)}px"

    if contrast:
        ink, paper, accent, button, line, dim, dim_paper = (
            "#ffffff", "#000000", "#ffff00", "#000000", "#ffff00", "#8c8c8c", "#1a1a1a",
        )  # fmt: skip
        border = "3px"
    else:
        ink, paper, accent, button, line, dim, dim_paper = (
            "#14202b", "#f4f7fa", "#1d4e7a", "#ffffff", "#c5d2de", "#8a99a8", "#e6ebf0",
        )  # fmt: skip
        border = "2px"
    label_ink = accent if contrast else ink
    return f"""
QWidget {{ font-family: {FONT_FAMILIES}; font-size: {font(BODY_PX)}; color: {ink};
  background: {paper}; }}
QPushButton, QToolButton {{ background: {button}; color: {label_ink};
  border: {border} solid {line}; border-radius: {size(10)}; padding: {size(8)} {size(14)};
  min-height: {size(CONTROL_PX - 20)}; min-width: {size(CONTROL_PX - 32)}; }}
QPushButton:pressed, QToolButton:pressed {{ background: {"#333300" if contrast else "#dbe7f3"}; }}
QPushButton:checked, QToolButton:checked {{ background: {accent};
  color: {paper if contrast else "#ffffff"}; border-color: {accent}; }}
QPushButton:disabled, QToolButton:disabled {{ background: {dim_paper}; color: {dim};
  border: {border} dashed {dim}; }}
QToolButton#chrome {{ font-size: {font(24)}; padding: {size(4)} {size(10)}; }}
QPushButton#tile, QToolButton#tile {{ font-size: {font(30)}; font-weight: bold;
  min-height: {size(140)}; }}
QPushButton#language {{ font-size: {font(34)}; min-height: {size(72)}; min-width: {size(240)}; }}
QPushButton#language[script="tall"] {{ font-size: {font(34 * 1.18)}; }}
QPushButton#language[called="true"] {{ border-color: {accent};
  background: {"#333300" if contrast else "#e3eef8"}; color: {ink if contrast else accent}; }}
QPushButton#banner {{ background: {accent if contrast else "#b3261e"};
  color: {"#000000" if contrast else "white"}; border: none; text-align: left;
  min-height: {size(CONTROL_PX - 16)}; }}
QPushButton#result, QPushButton#other-language {{ text-align: left; }}
QPushButton#other-language {{ color: {accent if contrast else "#54677a"}; border-style: dashed; }}
QPushButton#result QLabel, QPushButton#other-language QLabel {{ background: transparent;
  color: {label_ink}; }}
QLabel#result-title {{ font-weight: bold; }}
QPushButton QLabel#result-summary {{ font-size: {font(24)};
  color: {accent if contrast else "#54677a"}; }}
QPushButton#key {{ font-size: {size(32)}; padding: {size(4)};
  min-height: {size(CONTROL_PX - 12)}; }}
QPushButton#go-key {{ font-size: {size(30)}; font-weight: bold; background: {accent};
  color: {paper if contrast else "#ffffff"}; }}
QLabel#title {{ font-size: {font(38)}; font-weight: bold; }}
QLabel#crumbs {{ font-size: {font(24)}; color: {accent if contrast else "#54677a"}; }}
QFrame#welcome {{ background: {button}; border-radius: {size(12)};
  border: {"3px solid #ffffff" if contrast else "none"}; }}
QFrame#welcome QLabel {{ background: transparent; color: {ink if contrast else accent}; }}
QLabel#purpose {{ font-size: {font(BODY_PX)}; }}
QLabel#attract {{ font-size: {font(28)}; }}
QLabel#touch-to-start {{ font-size: {font(34)}; font-weight: bold; }}
QLabel#prompt {{ font-size: {font(32)}; font-weight: bold; color: {accent}; }}
QLabel#choose-prompt {{ font-size: {font(36)}; font-weight: bold; color: {accent}; }}
QLineEdit {{ font-size: {font(30)}; padding: {size(8)}; border: {border} solid {accent};
  border-radius: {size(10)}; background: {button}; color: {ink};
  min-height: {size(CONTROL_PX - 20)}; }}
QLabel#assisted-banner {{ background: {"#ffff00" if contrast else "#d99a00"}; color: #000000;
  font-weight: bold; padding: {size(12)} {size(18)}; border-radius: {size(8)}; }}
QWidget#help-bar, QWidget#help-bar QLabel {{ background: {"#1a1a1a" if contrast else "#e3ebf3"}; }}
QWidget#help-bar QLabel {{ font-size: {font(24)}; color: {ink}; }}
QWidget#help-bar QLabel#emergency-number {{ font-weight: bold;
  color: {accent if contrast else "#b3261e"}; }}
"""


NORMAL = style_sheet()
HIGH_CONTRAST = style_sheet(contrast=True)
