"""What a traveller takes away from an item by scanning its QR code: readable offline.

A phone must read the code through the kiosk's glass from about 40 cm. What limits that is the
size of one module (one black or white square) on the screen, so the budget is in bytes (what
the code holds: a Lao or Khmer letter takes three in UTF-8, a Latin one one), small enough that
the code stays at version 15 or lower, and each module is drawn as a whole number of pixels.
"""

from __future__ import annotations

import io
import re
import unicodedata

import segno

from kiosk.content.views import ItemView

# The most a code holds at error correction level M in version 15 (77 modules a side): 412
# bytes, less what the byte mode's header takes.
MAX_BYTES = 400
MAX_VERSION = 15
# Screen pixels per module (a 1920 px wide 24" panel: about 1.4 mm a module, a 12 cm code
# with its quiet zone); the quiet zone is the 4 modules the standard asks for.
MODULE_PX = 5
# Under "Larger text" the code grows with the text by a factor that keeps each module a whole
# number of pixels (a scaled 5 px module would be blurred into 6 and 7 px ones).
LARGE_MODULE_PX = 7
QUIET_ZONE = 4
_EXTERNAL = re.compile(r'data-external-url="([^"]+)"')


def takeaway_text(item: ItemView, wanted: list[str]) -> str:
    """Title, summary, the steps of a procedure and the first official link, as plain text
    of at most :data:`MAX_BYTES` in UTF-8: whole lines while they fit, the link always."""
    translation = item.translation(*wanted)
    lines = [translation.summary] if translation.summary else []
    lines += [
        f"{number}. {step}"
        for number, step in enumerate(translation.details.get("steps", []), start=1)
    ]
    link = _EXTERNAL.search(translation.body_html)
    tail = [link.group(1)] if link else []
    head = [_cut(translation.title, MAX_BYTES - _size(tail))]
    for line in lines:
        if _size([*head, line, *tail]) > MAX_BYTES:
            break
        head.append(line)
    return "\n".join(head + tail)


def _size(lines: list[str]) -> int:
    """UTF-8 bytes of ``lines`` joined by newlines."""
    return len("\n".join(lines).encode("utf-8"))


def _cut(text: str, budget: int) -> str:
    """``text`` cut to ``budget`` UTF-8 bytes, never in the middle of a letter and its marks
    (a Lao or Khmer vowel sign is a character of its own)."""
    if len(text.encode("utf-8")) <= budget:
        return text
    cut = text.encode("utf-8")[: max(budget - 1, 0)].decode("utf-8", "ignore")
    while cut and unicodedata.category(cut[-1]).startswith("M"):
        cut = cut[:-1]
    return cut + "…" if len((cut + "…").encode("utf-8")) <= budget else cut


def qr_code(text: str) -> segno.QRCode:
    """The QR code of ``text`` (error correction M or better, UTF-8)."""
    return segno.make(text, error="m", micro=False)


def qr_svg(text: str) -> bytes:
    """The QR code of ``text`` as an SVG image of :data:`MODULE_PX` pixels a module."""
    buffer = io.BytesIO()
    qr_code(text).save(
        buffer, kind="svg", scale=MODULE_PX, border=QUIET_ZONE, dark="#000000", light="#ffffff"
    )
    return buffer.getvalue()
