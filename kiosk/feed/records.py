"""Content records as they travel in packs: plain JSON, checked field by field on arrival.

A pack is signed, but a signed pack can still come from a provincial key that was stolen, so
nothing in it is trusted for its shape: every field is type-checked here, HTML is sanitised
again and media references are checked before anything reaches the store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict
from typing import Any

from kiosk.content.source.markdown import clean_body
from kiosk.content.source.records import (
    ALL_GATES,
    GATE_TYPES,
    KINDS,
    CategoryRecord,
    GateRecord,
    ItemRecord,
    MediaRecord,
    Site,
    Structure,
    TranslationRecord,
)
from kiosk.feed.names import SHA256
from kiosk.languages import canonical_tag

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MEDIA_PATH = re.compile(r"^media/[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*$")
MIMES = frozenset({"image/svg+xml", "image/png", "image/jpeg", "image/gif", "image/webp"})
MAX_TEXT = 200_000


class RecordError(ValueError):
    """A record that does not have the shape of content."""


# -- writing --------------------------------------------------------------------------------
def item_to_json(item: ItemRecord) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "category": item.category,
        "tags": item.tags,
        "gates": item.gates,
        "audiences": item.audiences,
        "valid_from": _iso(item.valid_from),
        "valid_until": _iso(item.valid_until),
        "priority": item.priority,
        "urgent": item.urgent,
        "sensitive": item.sensitive,
        "source": item.source,
        "updated": _iso(item.updated),
        "translations": {
            lang: {
                "title": t.title,
                "summary": t.summary,
                "keywords": t.keywords,
                "body_html": t.body_html,
                "details": t.details,
            }
            for lang, t in sorted(item.translations.items())
        },
        "media": [
            {"path": m.path, "sha256": m.sha256, "mime": m.mime, "size": m.size}
            for m in sorted(item.media.values(), key=lambda m: m.path)
        ],
    }


def structure_to_json(structure: Structure) -> dict[str, Any]:
    return {
        "site": asdict(structure.site),
        "categories": [asdict(c) for c in structure.categories],
        "gates": [asdict(g) for g in structure.gates],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# -- reading --------------------------------------------------------------------------------
class _Obj:
    """Typed access to one JSON object, naming the record in every error."""

    def __init__(self, data: Any, what: str, keys: set[str]) -> None:
        if not isinstance(data, dict):
            raise RecordError(f"{what} is not an object")
        unknown = sorted(set(data) - keys)
        if unknown:
            raise RecordError(f"{what} has an unknown field '{unknown[0][:40]}'")
        self.data, self.what = data, what

    def get(self, key: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
        value = self.data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise RecordError(f"{self.what}: field '{key}' is missing or of the wrong type")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise RecordError(f"{self.what}: field '{key}' is too long")
        return value

    def slug(self, key: str, *, optional: bool = False) -> Any:
        value = self.get(key, str, optional=optional)
        if value is not None and (len(value) > 64 or not _SLUG.match(value)):
            raise RecordError(f"{self.what}: field '{key}' is not a slug")
        return value

    def texts(self, key: str) -> list[str]:
        value = self.get(key, list)
        if not all(isinstance(v, str) and len(v) <= 1000 for v in value) or len(value) > 500:
            raise RecordError(f"{self.what}: field '{key}' must be a list of short texts")
        return value

    def date(self, key: str) -> dt.date | None:
        value = self.get(key, str, optional=True)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise RecordError(f"{self.what}: field '{key}' is not a date") from None

    def names(self, key: str) -> dict[str, str]:
        value = self.get(key, dict)
        out: dict[str, str] = {}
        for lang, name in value.items():
            if not isinstance(name, str) or len(name) > 500:
                raise RecordError(f"{self.what}: a name in '{key}' is not a short text")
            out[_lang(lang, self.what)] = name
        return out


def _lang(tag: Any, what: str) -> str:
    try:
        if not isinstance(tag, str):
            raise ValueError("not a text")
        return canonical_tag(tag)
    except ValueError:
        raise RecordError(f"{what}: '{str(tag)[:40]}' is not a language tag") from None


_ITEM_KEYS = {
    "id", "kind", "category", "tags", "gates", "audiences", "valid_from", "valid_until",
    "priority", "urgent", "sensitive", "source", "updated", "translations", "media",
}  # fmt: skip
_TRANSLATION_KEYS = {"title", "summary", "keywords", "body_html", "details"}


def item_from_json(data: Any) -> ItemRecord:
    what = "item"
    if isinstance(data, dict) and isinstance(data.get("id"), str):
        what = f"item '{data['id'][:64]}'"
    obj = _Obj(data, what, _ITEM_KEYS)
    kind = obj.get("kind", str)
    if kind not in KINDS:
        raise RecordError(f"{what}: kind '{kind[:40]}' is not one of {', '.join(KINDS)}")
    gates = obj.texts("gates")
    if not gates or any(g != ALL_GATES and not _SLUG.match(g) for g in gates):
        raise RecordError(f"{what}: 'gates' must list gate ids or '*'")
    audiences = obj.texts("audiences")
    if any(not _SLUG.match(a) for a in audiences):
        raise RecordError(f"{what}: an audience is not a slug")
    item = ItemRecord(
        id=obj.slug("id"),
        kind=kind,
        category=obj.slug("category"),
        tags=obj.texts("tags"),
        gates=gates,
        audiences=audiences,
        valid_from=obj.date("valid_from"),
        valid_until=obj.date("valid_until"),
        priority=obj.get("priority", int),
        urgent=obj.get("urgent", bool),
        sensitive=obj.get("sensitive", bool),
        source=obj.get("source", str),
        updated=obj.date("updated"),
        folder="",
    )
    for raw in obj.get("media", list):
        m = _Obj(raw, f"{what} media", {"path", "sha256", "mime", "size"})
        path, sha, mime = m.get("path", str), m.get("sha256", str), m.get("mime", str)
        if not _MEDIA_PATH.match(path) or ".." in path.split("/"):
            raise RecordError(f"{what}: media path '{path[:80]}' is not allowed")
        if not SHA256.match(sha) or mime not in MIMES:
            raise RecordError(f"{what}: media '{path}' has a bad hash or type")
        item.media[path] = MediaRecord(path, sha, mime, m.get("size", int), None)
    own_media = {m.sha256 for m in item.media.values()}
    translations = obj.get("translations", dict)
    if not translations:
        raise RecordError(f"{what} has no translation")
    for tag, raw in translations.items():
        lang = _lang(tag, what)
        t = _Obj(raw, f"{what} ({lang})", _TRANSLATION_KEYS)
        details = t.get("details", dict)
        for key, value in details.items():
            ok = isinstance(value, str) or (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            )
            if not ok or not _SLUG.match(str(key).replace("_", "-")):
                raise RecordError(f"{what} ({lang}): detail '{str(key)[:40]}' is malformed")
        title = t.get("title", str)
        if not title.strip():
            raise RecordError(f"{what} ({lang}): empty title")
        body_html, foreign = clean_body(t.get("body_html", str), own_media)
        if foreign:
            raise RecordError(
                f"{what} ({lang}): its text shows the image '{foreign[0][:80]}', which is not "
                "one of the item's own media files; the publisher must remove it"
            )
        item.translations[lang] = TranslationRecord(
            lang=lang,
            title=title,
            summary=t.get("summary", str),
            keywords=t.texts("keywords"),
            body_html=body_html,
            details=details,
        )
    return item


def structure_from_json(data: Any) -> Structure:
    obj = _Obj(data, "structure", {"site", "categories", "gates"})
    site = _Obj(obj.get("site", dict), "site", {"publisher", "default_language", "languages"})
    languages = tuple(_lang(t, "site") for t in site.get("languages", list))
    default = _lang(site.get("default_language", str), "site")
    if default not in languages:
        raise RecordError("site: the default language is not one of its languages")
    categories = []
    for raw in obj.get("categories", list):
        c = _Obj(raw, "category", {"id", "parent", "icon", "order", "names"})
        categories.append(
            CategoryRecord(
                c.slug("id"),
                c.slug("parent", optional=True),
                c.slug("icon"),
                c.get("order", int),
                c.names("names"),
            )
        )
    gates = []
    for raw in obj.get("gates", list):
        g = _Obj(raw, "gate", {"id", "type", "province", "country", "languages", "names"})
        gate_type = g.get("type", str)
        country = g.get("country", str, optional=True)
        if gate_type not in GATE_TYPES or (country and not re.match(r"^[A-Z]{2}$", country)):
            raise RecordError("gate: bad type or country")
        gates.append(
            GateRecord(
                g.slug("id"),
                gate_type,
                g.slug("province"),
                country,
                tuple(_lang(t, "gate") for t in g.get("languages", list)),
                g.names("names"),
            )
        )
    publisher = site.slug("publisher")
    return Structure(Site(publisher, default, languages), categories, gates)
