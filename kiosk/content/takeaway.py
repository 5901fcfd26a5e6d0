"""What a traveller takes away from an item by scanning its QR code: readable offline."""

from __future__ import annotations

import io
import re

import segno

from kiosk.content.views import ItemView

MAX_CHARS = 700  # keeps the code small enough to scan from a phone at arm's length
_EXTERNAL = re.compile(r'data-external-url="([^"]+)"')


def takeaway_text(item: ItemView, wanted: list[str]) -> str:
    """Title, summary, the steps of a procedure and the first official link, as plain text."""
    translation = item.translation(*wanted)
    lines = [translation.title]
    if translation.summary:
        lines.append(translation.summary)
    for number, step in enumerate(translation.details.get("steps", []), start=1):
        lines.append(f"{number}. {step}")
    link = _EXTERNAL.search(translation.body_html)
    text = "\n".join(lines)
    if link:
        url = link.group(1)
        text = text[: MAX_CHARS - len(url) - 1] + "\n" + url
    return text[:MAX_CHARS]


def qr_svg(text: str) -> bytes:
    """The QR code of ``text`` as an SVG image."""
    code = segno.make(text, error="m", micro=False)
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", scale=5, border=2, dark="#000000", light="#ffffff")
    return buffer.getvalue()
