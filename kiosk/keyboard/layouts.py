"""Keyboard layouts, read from ``data/keyboards/<lang>.toml``, and what each key does."""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kiosk.keyboard import hangul, vietnamese
from kiosk.paths import REPO_ROOT

LAYOUTS = REPO_ROOT / "data" / "keyboards"
SHIFT = "{shift}"
TONE_PREFIX = "{tone:"


@dataclass(frozen=True)
class Layout:
    lang: str
    name: str  # shown on the language key, in the layout's own language
    composer: str  # plain | hangul | vietnamese
    pages: tuple[tuple[tuple[str, ...], ...], ...]
    candidates: str = ""  # "pinyin": words of the content offered for the letters typed

    def label(self, key: str) -> str:
        if key.startswith(TONE_PREFIX):
            return vietnamese.TONE_LABELS[key[len(TONE_PREFIX) : -1]]
        if key == SHIFT:
            return "⇧"
        # A lone vowel sign or mark is shown on a dotted circle, as printed keyboards do.
        return "◌" + key if unicodedata.category(key[0]) in ("Mn", "Mc") else key

    def type(self, text: str, key: str) -> str:
        """``text`` after pressing ``key`` (not the page or editing keys)."""
        if key.startswith(TONE_PREFIX):
            return vietnamese.apply_tone(text, key[len(TONE_PREFIX) : -1])
        if self.composer == "hangul" and len(key) == 1:
            return hangul.type_jamo(text, key)
        return text + key

    def backspace(self, text: str) -> str:
        return hangul.backspace(text) if self.composer == "hangul" else text[:-1]

    def page_after(self, page: int, key: str) -> int:
        """The page shown once ``key`` is pressed on ``page``: shift moves to the next page,
        any other key back to the first, as a phone's shift key does (one shifted key)."""
        return (page + 1) % len(self.pages) if key == SHIFT else 0


@cache
def layout_for(lang: str, folder: Path = LAYOUTS) -> Layout:
    """The layout of a language; English (Latin letters) where a language has none."""
    path = folder / f"{lang}.toml"
    if not path.is_file():
        path = folder / "en.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    composer = data.get("composer", "plain")
    if composer not in ("plain", "hangul", "vietnamese"):
        raise ValueError(f"{path}: unknown composer '{composer}'")
    candidates = data.get("candidates", "")
    if candidates not in ("", "pinyin"):
        raise ValueError(f"{path}: unknown candidates '{candidates}'")
    pages = tuple(tuple(tuple(row.split()) for row in page) for page in data["pages"])
    return Layout(path.stem, data["name"], composer, pages, candidates)
