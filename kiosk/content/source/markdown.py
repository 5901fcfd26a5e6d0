"""Markdown bodies → sanitised HTML, rendered once at import.

Media references become ``kiosk://media/<sha256>``, links to other items ``kiosk://item/<id>``,
and links to the outside world lose their ``href`` (the item view offers them as a QR code from
``data-external-url``). Anything that could run code or load from outside is an error for the
author, and nh3 cleans what remains as a second line of defence. Images show only the item's
own media files: ``kiosk:`` also serves generated QR codes and other items' media, which a body
must not be able to ask for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kiosk.content.source.media import MediaProblem

_MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])

_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "u",
    "s",
    "del",
    "sub",
    "sup",
    "small",
    "mark",
    "code",
    "pre",
    "kbd",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "a",
    "img",
    "span",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "data-external-url"},
    "img": {"src", "alt", "title"},
    "th": {"style"},
    "td": {"style"},
    "ol": {"start"},
}
_DANGEROUS = [
    (
        re.compile(r"<\s*script\b", re.I),
        "<script> is not allowed in Markdown; content may not run code",
    ),
    (
        re.compile(r"<\s*(iframe|frame|frameset|object|embed|applet|portal)\b", re.I),
        "<{0}> is not allowed in Markdown; content may not embed anything",
    ),
    (
        re.compile(
            r"<\s*(form|input|button|textarea|select|link|meta|base|style|svg|math)\b", re.I
        ),
        "<{0}> is not allowed in Markdown; use plain Markdown",
    ),
    (re.compile(r"\s(on[a-z]+)\s*=", re.I), "event handler '{0}' is not allowed in Markdown"),
    (re.compile(r"(javascript|vbscript)\s*:", re.I), "a '{0}:' URL is not allowed"),
    (
        re.compile(
            r"\b(?:src|href|srcset|poster|background)\s*=\s*[\"']?\s*(https?:|//|ftp:|"
            r"file:|data:)",
            re.I,
        ),
        "raw HTML that loads '{0}' from outside is not allowed; use media/ files",
    ),
]
_BAD_LINK = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data|file)\s*:", re.I)
_EXTERNAL = re.compile(r"^(https?:|mailto:|tel:)", re.I)
_ITEM_LINK = re.compile(r"^item:([a-z0-9]+(?:-[a-z0-9]+)*)$")
MEDIA_URL = "kiosk://media/"


@dataclass
class RenderedBody:
    html: str
    media_paths: set[str] = field(default_factory=set)
    item_links: list[tuple[int, str]] = field(default_factory=list)  # (line, target id)


@dataclass
class Problem:
    line: int
    message: str


# reference → (sha256, normalised path) of one of the item's media files; raises MediaProblem
MediaLookup = Callable[[str], tuple[str, str]]


def render_body(
    body: str, first_line: int, media_sha: MediaLookup
) -> tuple[RenderedBody, list[Problem]]:
    """Render a Markdown body whose first line is file line ``first_line``."""
    problems: list[Problem] = []
    result = RenderedBody("")
    own: set[str] = set()

    def own_media(reference: str) -> tuple[str, str]:
        sha, path = media_sha(reference)
        own.add(sha)
        return sha, path

    for number, text in enumerate(body.splitlines()):
        bad_link = _BAD_LINK.search(text)
        if bad_link:
            problems.append(
                Problem(
                    first_line + number, f"a '{bad_link.group(1).lower()}:' link is not allowed"
                )
            )
    tokens = _MD.parse(body)
    for token, line in _walk(tokens, first_line):
        if token.type in ("html_block", "html_inline"):
            for pattern, message in _DANGEROUS:
                found = pattern.search(token.content)
                if found:
                    problems.append(Problem(line, message.format(*found.groups())))
                    break
            else:
                for src in _raw_image_sources(token.content):
                    problems.append(Problem(line, _RAW_IMAGE.format(src[:120])))
        elif token.type == "image":
            _rewrite_media(token, "src", line, own_media, result, problems)
        elif token.type == "link_open":
            _rewrite_link(token, line, own_media, result, problems)
    raw = _MD.renderer.render(tokens, _MD.options, {})
    result.html, foreign = clean_body(raw, own)
    if foreign and not problems:  # what the checks above let through, nh3 still catches
        problems.append(Problem(first_line, _RAW_IMAGE.format(foreign[0][:120])))
    return result, problems


_RAW_IMAGE = (
    "image '{0}' is not allowed: a body shows only its item's own media files; "
    "use ![text](media/<file>)"
)


def clean_html(html: str) -> str:
    """The sanitiser every stored body passes through (at import, whoever rendered it)."""
    return _clean(html, None)


def clean_body(html: str, own_media: Collection[str]) -> tuple[str, list[str]]:
    """``clean_html`` that also removes every image whose source is not one of ``own_media``
    (sha256 hashes of the item's media files); returns the HTML and the removed sources."""
    foreign: list[str] = []

    def own_images_only(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src" and not _is_own(value, own_media):
            foreign.append(value)
            return None
        return value

    return _clean(html, own_images_only), foreign


def _is_own(src: str, own_media: Collection[str]) -> bool:
    return src.startswith(MEDIA_URL) and src[len(MEDIA_URL) :] in own_media


def _raw_image_sources(fragment: str) -> list[str]:
    """Sources of the images of a raw HTML fragment: none can be the item's media, since only
    Markdown images are rewritten to media addresses."""
    found: list[str] = []

    def record(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            found.append(value)
        return value

    nh3.clean(
        fragment,
        tags={"img"},
        attributes={"img": {"src"}},
        url_schemes={"kiosk"},
        url_relative="pass_through",
        attribute_filter=record,
    )
    return found


def _clean(html: str, attribute_filter: Callable[[str, str, str], str | None] | None) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"kiosk"},
        url_relative="deny",
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
        attribute_filter=attribute_filter,
    )


def _walk(tokens: list[Token], first_line: int) -> list[tuple[Token, int]]:
    out: list[tuple[Token, int]] = []
    line = first_line
    for token in tokens:
        if token.map:
            line = first_line + token.map[0]
        out.append((token, line))
        for child in token.children or []:
            out.append((child, line))
    return out


def _rewrite_media(
    token: Token,
    attr: str,
    line: int,
    media_sha: MediaLookup,
    result: RenderedBody,
    problems: list[Problem],
) -> None:
    reference = str(token.attrGet(attr) or "")
    try:
        sha, path = media_sha(reference)
    except MediaProblem as exc:
        problems.append(Problem(line, str(exc)))
        return
    result.media_paths.add(path)
    token.attrSet(attr, f"kiosk://media/{sha}")


def _rewrite_link(
    token: Token, line: int, media_sha: MediaLookup, result: RenderedBody, problems: list[Problem]
) -> None:
    href = str(token.attrGet("href") or "").strip()
    internal = _ITEM_LINK.match(href)
    if internal:
        result.item_links.append((line, internal.group(1)))
        token.attrSet("href", f"kiosk://item/{internal.group(1)}")
    elif _EXTERNAL.match(href):
        token.attrs.pop("href", None)
        token.attrSet("data-external-url", href)
    elif href.startswith("#") or not href:
        token.attrs.pop("href", None)
    elif re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) and not href.lower().startswith("media"):
        problems.append(
            Problem(
                line,
                f"link '{href}' uses a scheme the kiosk cannot open; use "
                "item:<id>, https://… or a file under media/",
            )
        )
    else:
        _rewrite_media(token, "href", line, media_sha, result, problems)
