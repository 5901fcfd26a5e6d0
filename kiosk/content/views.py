"""Read-only views of stored content handed to the UI and the command line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


def pick_language(available: Iterable[str], wanted: Iterable[str]) -> str | None:
    """The first wanted language that is available, else any available one (stable order)."""
    have = list(available)
    for lang in wanted:
        if lang in have:
            return lang
    return sorted(have)[0] if have else None


def _name(names: Mapping[str, str], wanted: Iterable[str], fallback: str) -> str:
    lang = pick_language(names, wanted)
    return names[lang] if lang else fallback


@dataclass(frozen=True)
class GateView:
    id: str
    type: str
    province: str
    country: str | None
    languages: tuple[str, ...]
    names: Mapping[str, str]

    def name(self, *wanted: str) -> str:
        return _name(self.names, (*wanted, *self.languages), self.id)


@dataclass(frozen=True)
class CategoryView:
    id: str
    parent: str | None
    icon: str
    order: int
    names: Mapping[str, str]
    item_count: int  # visible items in this category and below

    def name(self, *wanted: str) -> str:
        return _name(self.names, wanted, self.id)


@dataclass(frozen=True)
class TranslationView:
    lang: str
    title: str
    summary: str
    keywords: tuple[str, ...]
    body_html: str
    details: Mapping[str, Any]


@dataclass(frozen=True)
class ItemSummary:
    id: str
    kind: str
    category: str
    priority: int
    urgent: bool
    titles: Mapping[str, str]

    def title(self, *wanted: str) -> tuple[str, str]:
        """(language, title) in the first wanted language the item has."""
        lang = pick_language(self.titles, wanted) or ""
        return lang, self.titles.get(lang, self.id)


@dataclass(frozen=True)
class ItemView:
    id: str
    kind: str
    category: str
    tags: tuple[str, ...]
    gates: tuple[str, ...]
    audiences: tuple[str, ...]
    valid_from: dt.date | None
    valid_until: dt.date | None
    priority: int
    urgent: bool
    sensitive: bool
    source: str
    updated: dt.date | None
    translations: Mapping[str, TranslationView] = field(default_factory=dict)

    def translation(self, *wanted: str) -> TranslationView:
        """The translation in the first wanted language, else a stable fallback."""
        lang = pick_language(self.translations, wanted)
        assert lang is not None, "stored items always have a translation"
        return self.translations[lang]
