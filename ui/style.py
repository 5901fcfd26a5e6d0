"""Look of the kiosk: large type and touch targets; a high-contrast variant."""

from __future__ import annotations

FONT_FAMILIES = (
    '"Noto Sans", "Noto Sans Lao", "Noto Sans Khmer", "Noto Sans CJK SC", '
    '"Noto Sans CJK KR", "DejaVu Sans", sans-serif'
)

NORMAL = f"""
QWidget {{ font-family: {FONT_FAMILIES}; font-size: 20px; color: #14202b; background: #f4f7fa; }}
QPushButton, QToolButton {{ background: #ffffff; border: 2px solid #c5d2de; border-radius: 10px;
  padding: 10px 16px; min-height: 56px; }}
QPushButton:pressed, QToolButton:pressed {{ background: #dbe7f3; }}
QPushButton#tile, QToolButton#tile {{ font-size: 24px; font-weight: bold; min-height: 140px; }}
QPushButton#language {{ font-size: 30px; min-height: 96px; min-width: 260px; }}
QPushButton#banner {{ background: #b3261e; color: white; border: none; text-align: left; }}
QPushButton#result {{ text-align: left; }}
QPushButton#key {{ font-size: 30px; padding: 4px; }}
QPushButton#other-language {{ text-align: left; color: #54677a; border-style: dashed; }}
QPushButton#result QLabel, QPushButton#other-language QLabel {{ background: transparent; }}
QLabel#result-title {{ font-weight: bold; }}
QLabel#result-summary {{ color: #54677a; font-size: 18px; }}
QPushButton#go-key {{ font-size: 26px; font-weight: bold; background: #1d4e7a; color: #ffffff; }}
QFrame#welcome {{ background: #ffffff; border-radius: 12px; }}
QFrame#welcome QLabel {{ background: transparent; color: #1d4e7a; }}
QLabel#purpose {{ font-size: 22px; }}
QLabel#touch-to-start {{ font-size: 28px; font-weight: bold; }}
QLabel#choose-prompt {{ font-size: 30px; font-weight: bold; color: #1d4e7a; }}
QPushButton#language[called="true"] {{ border-color: #1d4e7a; background: #e3eef8; }}
QLabel#title {{ font-size: 34px; font-weight: bold; }}
QLabel#crumbs {{ color: #54677a; }}
QLabel#attract {{ font-size: 24px; }}
QLineEdit {{ font-size: 28px; padding: 10px; border: 2px solid #1d4e7a; border-radius: 10px;
  background: white; min-height: 56px; }}
QPushButton:checked {{ background: #1d4e7a; color: #ffffff; border-color: #1d4e7a; }}
QLabel#assisted-banner {{ background: #d99a00; color: #000000; font-weight: bold;
  padding: 12px 18px; border-radius: 8px; }}
"""

HIGH_CONTRAST = f"""
QWidget {{ font-family: {FONT_FAMILIES}; font-size: 24px; color: #ffffff; background: #000000; }}
QPushButton, QToolButton {{ background: #000000; color: #ffff00; border: 3px solid #ffff00;
  border-radius: 10px; padding: 10px 16px; min-height: 60px; }}
QPushButton:pressed {{ background: #333300; }}
QPushButton#tile, QToolButton#tile {{ font-size: 28px; font-weight: bold; min-height: 150px; }}
QPushButton#language {{ font-size: 32px; min-height: 100px; min-width: 260px; }}
QPushButton#banner {{ background: #ffff00; color: #000000; border: none; text-align: left; }}
QPushButton#result, QPushButton#other-language {{ text-align: left; }}
QPushButton#result QLabel, QPushButton#other-language QLabel {{ background: transparent;
  color: #ffff00; }}
QLabel#result-title {{ font-weight: bold; }}
QPushButton#go-key {{ font-size: 28px; font-weight: bold; background: #ffff00; color: #000000; }}
QFrame#welcome {{ background: #000000; border: 3px solid #ffffff; border-radius: 12px; }}
QFrame#welcome QLabel {{ background: transparent; color: #ffffff; }}
QLabel#purpose {{ font-size: 24px; }}
QLabel#touch-to-start {{ font-size: 30px; font-weight: bold; }}
QLabel#choose-prompt {{ font-size: 32px; font-weight: bold; color: #ffff00; }}
QPushButton#language[called="true"] {{ background: #333300; color: #ffffff; }}
QPushButton#key {{ font-size: 32px; padding: 4px; }}
QLabel#title {{ font-size: 38px; font-weight: bold; color: #ffffff; }}
QLineEdit {{ font-size: 30px; padding: 10px; border: 3px solid #ffff00; background: #000000;
  color: #ffffff; min-height: 60px; }}
QPushButton:checked {{ background: #ffff00; color: #000000; }}
QLabel#assisted-banner {{ background: #ffff00; color: #000000; font-weight: bold;
  padding: 12px 18px; }}
"""
