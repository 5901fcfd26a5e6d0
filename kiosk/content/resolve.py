"""What a ``kiosk:`` address of the item view gets: a reply, or a refusal. No Qt here.

``kiosk://item/<id>?lang=<tag>`` serves an item page (visible items of the current gate only),
``kiosk://media/<sha256>`` a media file of the item whose page was served last, ``kiosk://qr/<id>``
the "take it with you" code of that item (only the page template asks for it). Everything else
is refused: a page cannot show another item's media, nor have the kiosk draw a QR code of its
choice. The web view's scheme handler (``ui/scheme.py``) only passes requests here and replies.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

from kiosk.content.page import CONTENT_SECURITY_POLICY

SCHEME = "kiosk"

# (item id, wanted languages) → HTML, or None when the item is not visible here.
PageSource = Callable[[str, list[str]], str | None]
# (item id, wanted languages) → SVG of the item's QR code, or None.
QrSource = Callable[[str, list[str]], bytes | None]
# sha256 → (bytes, mime type), or None.
MediaSource = Callable[[str], tuple[bytes, str] | None]
# item id → sha256 hashes of the media files the item declares.
ItemMedia = Callable[[str], set[str]]

# Sent with every reply: the page may load nothing but kiosk: images and inline style, and the
# engine may not guess another type than the one given.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
)


class Refusal(enum.Enum):
    """Why a request gets nothing."""

    INVALID = "invalid"  # not a GET, or not one path segment
    NOT_FOUND = "not-found"  # no such page, code or file here
    DENIED = "denied"  # exists, but not for the page being shown


@dataclass(frozen=True)
class Reply:
    mime: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = SECURITY_HEADERS


class KioskResolver:
    """Answers the item view's requests; remembers the item whose page it served last (the
    view shows one page at a time, and that page's images and code are requested right after).
    """

    def __init__(
        self,
        pages: PageSource,
        media: MediaSource,
        qr: QrSource | None = None,
        item_media: ItemMedia | None = None,
    ) -> None:
        self.pages = pages
        self.media = media
        self.qr = qr
        self.item_media = item_media
        self._page_item: str | None = None

    @property
    def page_item(self) -> str | None:
        """The item whose page was served last: the only one whose media and code are served."""
        return self._page_item

    def resolve(self, method: str, url: str) -> Reply | Refusal:
        parts = urlsplit(url)
        host, path = (parts.hostname or ""), unquote(parts.path).strip("/")
        if method != "GET" or parts.scheme != SCHEME or "/" in path or not path:
            return Refusal.INVALID
        wanted = _wanted_languages(parts.query)
        if host == "item":
            html = self.pages(path, wanted)
            if html is None:
                return Refusal.NOT_FOUND
            self._page_item = path
            return Reply("text/html;charset=utf-8", html.encode("utf-8"))
        if host == "qr":
            if path != self._page_item:
                return Refusal.DENIED
            code = self.qr(path, wanted) if self.qr else None
            return Refusal.NOT_FOUND if code is None else Reply("image/svg+xml", code)
        if host == "media":
            if not self._of_page_item(path):
                return Refusal.DENIED
            found = self.media(path)
            if found is None:
                return Refusal.NOT_FOUND
            data, mime = found
            return Reply(mime, data)
        return Refusal.NOT_FOUND

    def _of_page_item(self, sha256: str) -> bool:
        if self._page_item is None or self.item_media is None:
            return False
        return sha256 in self.item_media(self._page_item)


def _wanted_languages(query: str) -> list[str]:
    """The ``lang`` parameter's comma-separated tags, in order (the first one when repeated)."""
    value = next((v for k, v in parse_qsl(query, keep_blank_values=True) if k == "lang"), "")
    return [tag for tag in value.split(",") if tag]
