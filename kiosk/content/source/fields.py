"""Typed reading of TOML tables, with one clear error per bad field."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from kiosk.content.source.errors import ErrorSink
from kiosk.content.source.tomlfile import Lines
from kiosk.languages import canonical_tag

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MISSING = object()


@dataclass
class Fields:
    """Reads the keys of one TOML table; errors point at the key's line in ``rel``."""

    data: dict[str, Any]
    rel: str
    lines: Lines
    sink: ErrorSink
    start: int = 1  # text line where this table begins
    end: int | None = None
    what: str = "file"

    def line(self, key: str) -> int:
        return self.lines.key(key, self.start, self.end)

    def error(self, key: str | None, message: str) -> None:
        line = self.line(key) if key else self.start + self.lines.offset
        self.sink.add(self.rel, line, message)

    def unknown_keys(self, allowed: set[str] | frozenset[str]) -> None:
        for key in self.data:
            if key not in allowed:
                self.error(
                    key,
                    f"unknown key '{key}' in {self.what}; allowed keys: "
                    + ", ".join(sorted(allowed)),
                )

    def _get(self, key: str, required: bool) -> Any:
        if key in self.data:
            return self.data[key]
        if required:
            self.error(None, f"missing required key '{key}' in {self.what}")
        return _MISSING

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self._get(key, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be a string, not {_type_name(value)}")
            return default
        if required and not value.strip():
            self.error(key, f"'{key}' must not be empty")
        return value.strip()

    def slug(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if not value:
            return None
        if not SLUG.match(value):
            self.error(
                key,
                f"'{key}' = \"{value}\" must be a slug: lower-case letters, digits "
                "and single hyphens",
            )
            return None
        return value

    def integer(self, key: str, *, default: int = 0) -> int:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, int) or isinstance(value, bool):
            self.error(key, f"'{key}' must be a whole number, not {_type_name(value)}")
            return default
        return value

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self._get(key, False)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not {_type_name(value)}")
            return default
        return value

    def date(self, key: str) -> dt.date | None:
        value = self._get(key, False)
        if value is _MISSING:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.error(key, f"'{key}' = {value!r} is not a date; write it as 2025-06-01")
        return None

    def text_list(self, key: str, *, required: bool = False) -> list[str]:
        value = self._get(key, required)
        if value is _MISSING:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(key, f"'{key}' must be a list of strings")
            return []
        return [v.strip() for v in value if v.strip()]

    def names(self, key: str, languages: tuple[str, ...]) -> dict[str, str]:
        """A table of translated names, ``{ vi = "…", en = "…" }``."""
        value = self._get(key, True)
        if value is _MISSING:
            return {}
        if not isinstance(value, dict) or not value:
            self.error(key, f"'{key}' must be a table of names by language, like {{ en = \"…\" }}")
            return {}
        names: dict[str, str] = {}
        for tag, name in value.items():
            lang = language(tag, languages)
            if lang is None:
                self.error(
                    key,
                    f"'{key}' has language '{tag}', which is not in site.toml "
                    "languages; add it there or remove the name",
                )
            elif not isinstance(name, str) or not name.strip():
                self.error(key, f"'{key}.{tag}' must be a non-empty string")
            else:
                names[lang] = name.strip()
        return names


def language(tag: str, known: tuple[str, ...]) -> str | None:
    """Canonical tag if it is one of the source's languages, else None."""
    try:
        lang = canonical_tag(tag)
    except ValueError:
        return None
    return lang if lang in known else None


def _type_name(value: Any) -> str:
    names = {
        str: "a string",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
        dt.date: "a date",
        dt.datetime: "a date-time",
    }
    return names.get(type(value), type(value).__name__)
