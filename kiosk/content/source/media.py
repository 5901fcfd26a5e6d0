"""Media files of an item: where a reference may point, and what a file may contain."""

from __future__ import annotations

import hashlib
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from kiosk.content.source.records import MediaRecord

MAX_MEDIA_BYTES = 5_000_000
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_RASTER = {
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
}
_SVG_FORBIDDEN = {
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
}


class MediaProblem(ValueError):
    """A reference or a file that cannot be used; the message is for the author."""


@dataclass(frozen=True)
class MediaRef:
    path: str  # normalised, relative to the item folder
    file: Path


def resolve_reference(item_dir: Path, reference: str) -> MediaRef:
    """Resolve a Markdown image/link target to a file inside the item's media/ folder."""
    target = unquote(reference.split("#", 1)[0].split("?", 1)[0]).strip()
    if reference.startswith("//") or _SCHEME.match(reference):
        raise MediaProblem(
            f"'{reference}' loads from outside; put the file in this item's "
            "media/ folder and refer to it as media/<file>"
        )
    if not target:
        raise MediaProblem("empty media reference")
    posix = PurePosixPath(target)
    normal = os.path.normpath(target).replace(os.sep, "/")
    if posix.is_absolute() or normal == ".." or normal.startswith("../"):
        raise MediaProblem(
            f"path '{reference}' escapes the item folder; refer to files in "
            "this item's media/ folder only"
        )
    if not normal.startswith("media/"):
        raise MediaProblem(f"'{reference}' is not in this item's media/ folder; move it there")
    file = item_dir / normal
    try:
        inside = file.resolve().is_relative_to(item_dir.resolve())
    except OSError:
        inside = False
    if not inside:
        raise MediaProblem(
            f"path '{reference}' escapes the item folder (through a link); "
            "copy the file into this item's media/ folder"
        )
    if not file.is_file():
        raise MediaProblem(
            f"missing media file '{normal}'; add it to the item folder or fix the reference"
        )
    return MediaRef(normal, file)


def inspect_media(ref: MediaRef) -> MediaRecord:
    """Check a media file's size and content, and hash it."""
    size = ref.file.stat().st_size
    if size > MAX_MEDIA_BYTES:
        raise MediaProblem(
            f"media file '{ref.path}' is {size} bytes; the limit is "
            f"{MAX_MEDIA_BYTES}; make it smaller"
        )
    data = ref.file.read_bytes()
    suffix = ref.file.suffix.lower()
    if suffix == ".svg":
        _check_svg(ref.path, data)
        mime = "image/svg+xml"
    elif suffix in _RASTER:
        mime, magics = _RASTER[suffix]
        if not data.startswith(magics) or (suffix == ".webp" and data[8:12] != b"WEBP"):
            raise MediaProblem(
                f"media file '{ref.path}' is not a valid {suffix[1:].upper()} image; re-export it"
            )
    else:
        raise MediaProblem(
            f"media file '{ref.path}' has an unsupported type; use SVG, PNG, JPEG, GIF or WebP"
        )
    return MediaRecord(ref.path, hashlib.sha256(data).hexdigest(), mime, size, ref.file)


def check_media_bytes(path: str, mime: str, data: bytes) -> None:
    """The content checks of :func:`inspect_media`, for bytes that arrive from a feed."""
    if len(data) > MAX_MEDIA_BYTES:
        raise MediaProblem(
            f"media file '{path}' is {len(data)} bytes; the limit is {MAX_MEDIA_BYTES}"
        )
    if mime == "image/svg+xml":
        _check_svg(path, data)
        return
    for suffix, (known, magics) in _RASTER.items():
        if known == mime:
            if not data.startswith(magics) or (suffix == ".webp" and data[8:12] != b"WEBP"):
                raise MediaProblem(f"media file '{path}' is not a valid {mime} image")
            return
    raise MediaProblem(f"media file '{path}' has an unsupported type '{mime}'")


def _check_svg(path: str, data: bytes) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise MediaProblem(f"SVG '{path}' declares a DOCTYPE or entities; remove them")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise MediaProblem(f"SVG '{path}' is not well-formed XML ({exc})") from exc
    if _local(root.tag) != "svg":
        raise MediaProblem(f"'{path}' is not an SVG image")
    for element in root.iter():
        name = _local(element.tag).lower()
        if name in _SVG_FORBIDDEN:
            raise MediaProblem(
                f"SVG '{path}' contains <{_local(element.tag)}>, which may run "
                "code or load content; remove it"
            )
        for attribute, value in element.attrib.items():
            attr = _local(attribute).lower()
            if attr.startswith("on"):
                raise MediaProblem(f"SVG '{path}' has an event handler '{attr}'; remove it")
            if attr == "href" and not value.strip().startswith("#"):
                raise MediaProblem(
                    f"SVG '{path}' refers to '{value}' outside itself; embed only shapes"
                )
        if name == "style" and re.search(r"@import|url\(\s*['\"]?(?!#)", element.text or ""):
            raise MediaProblem(f"SVG '{path}' loads a style or resource from outside; remove it")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
