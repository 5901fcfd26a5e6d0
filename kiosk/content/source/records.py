"""What a valid source turns into: plain records, ready for the store."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

KINDS = (
    "procedure",
    "regulation",
    "notice",
    "tourism",
    "investment",
    "culture",
    "service",
    "contact",
)
GATE_TYPES = ("road", "rail", "sea", "air")
ALL_GATES = "*"


@dataclass(frozen=True)
class Site:
    publisher: str
    default_language: str
    languages: tuple[str, ...]


@dataclass(frozen=True)
class CategoryRecord:
    id: str
    parent: str | None
    icon: str
    order: int
    names: dict[str, str]


@dataclass(frozen=True)
class GateRecord:
    id: str
    type: str
    province: str
    country: str | None
    languages: tuple[str, ...]
    names: dict[str, str]


@dataclass(frozen=True)
class MediaRecord:
    path: str  # relative to the item folder, e.g. "media/counter.svg"
    sha256: str
    mime: str
    size: int
    file: Path | None  # the source file; None when the blob came from a feed


@dataclass
class TranslationRecord:
    lang: str
    title: str
    summary: str
    keywords: list[str]
    body_html: str
    details: dict[str, Any]


@dataclass
class ItemRecord:
    id: str
    kind: str
    category: str
    tags: list[str]
    gates: list[str]
    audiences: list[str]
    valid_from: dt.date | None
    valid_until: dt.date | None
    priority: int
    urgent: bool
    sensitive: bool
    source: str
    updated: dt.date | None
    folder: str
    translations: dict[str, TranslationRecord] = field(default_factory=dict)
    media: dict[str, MediaRecord] = field(default_factory=dict)

    def digest(self) -> str:
        """Hash of everything that reaches the store: equal digests mean nothing changed."""
        # Built by hand rather than with dataclasses.asdict: that deep copy dominated the cost
        # of importing tens of thousands of items.
        payload = {
            "fields": [
                self.id,
                self.kind,
                self.category,
                self.tags,
                self.gates,
                self.audiences,
                self.valid_from,
                self.valid_until,
                self.priority,
                self.urgent,
                self.sensitive,
                self.source,
                self.updated,
            ],
            "translations": {
                lang: [t.title, t.summary, t.keywords, t.body_html, t.details]
                for lang, t in self.translations.items()
            },
            "media": sorted((m.path, m.sha256, m.mime) for m in self.media.values()),
        }
        blob = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Structure:
    """Site, categories and gates: everything of a source but its items."""

    site: Site
    categories: list[CategoryRecord]
    gates: list[GateRecord]

    def digest(self) -> str:
        payload = [
            asdict(self.site),
            [asdict(c) for c in self.categories],
            [asdict(g) for g in self.gates],
        ]
        blob = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class Source:
    site: Site
    categories: list[CategoryRecord]
    gates: list[GateRecord]
    items: list[ItemRecord]

    @property
    def structure(self) -> Structure:
        return Structure(self.site, self.categories, self.gates)

    def structure_digest(self) -> str:
        """Hash of site, categories and gates (everything but the items)."""
        return self.structure.digest()
