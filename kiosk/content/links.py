"""Links to the outside world on an item page: the kiosk cannot open them, so the page prints
each address beside its text and gives it its own QR code, for the traveller's phone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape

from kiosk.content.takeaway import MODULE_PX, QUIET_ZONE, qr_code

# How the body's sanitiser leaves an external link (kiosk/content/source/markdown.py): no
# href, the address kept in data-external-url.
_EXTERNAL_LINK = re.compile(r'<a data-external-url="([^"]*)">(.*?)</a>', re.S)
_SHOWN_PREFIXES = ("https://", "mailto:", "tel:")


@dataclass(frozen=True)
class ExternalLink:
    url: str  # as the author wrote it
    text_html: str  # the link's text, as sanitised HTML

    @property
    def address(self) -> str:
        """What a reader copies: the address without the scheme a phone adds by itself."""
        shown = self.url
        for prefix in _SHOWN_PREFIXES:
            if shown.lower().startswith(prefix):
                shown = shown[len(prefix) :]
                break
        host, slash, rest = shown.partition("/")
        return host if slash and not rest else shown  # "example.org/" reads as "example.org"


def with_addresses(body_html: str) -> tuple[str, list[ExternalLink]]:
    """``body_html`` with each external link's address printed after it, and the links (each
    address once, in the order they come)."""
    links: dict[str, ExternalLink] = {}

    def print_address(match: re.Match[str]) -> str:
        link = ExternalLink(unescape(match.group(1)), match.group(2))
        links.setdefault(link.url, link)
        return f'{match.group(0)} <span class="address">{escape(link.address)}</span>'

    return _EXTERNAL_LINK.sub(print_address, body_html), list(links.values())


def link_codes(links: list[ExternalLink], heading: str) -> str:
    """A section with a QR code per link, drawn in the page itself (it loads nothing)."""
    if not links:
        return ""
    figures = "".join(
        f'<figure class="link-code">{_svg(link.url)}<figcaption>{link.text_html}<br>'
        f'<span class="address">{escape(link.address)}</span></figcaption></figure>'
        for link in links
    )
    return f'<section class="links"><h2>{escape(heading)}</h2>{figures}</section>'


def _svg(url: str) -> str:
    return str(
        qr_code(url).svg_inline(
            scale=MODULE_PX, border=QUIET_ZONE, dark="#000000", light="#ffffff", omitsize=False
        )
    )
