"""Pinyin word candidates: the Chinese words of the content, found by the pinyin typed.

The vocabulary is every word of the stored Chinese titles, summaries, keywords and bodies, cut
by the same ICU segmenter the search index uses (so a chosen word is a word the search knows),
with its toneless pinyin (pypinyin) and how often the content uses it. Typed letters match the
beginning of a word's pinyin, with or without spaces between syllables; the most frequent
words come first. Building it takes a second or two: callers do it off the UI thread, once per
content revision.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.content.index import plain_text
from kiosk.content.store import ContentStore
from kiosk.text.analysis import analyser_for, toneless_pinyin

_HAN_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# The pinyin being typed at the end of a field: letters, maybe split by spaces or apostrophes.
_TRAILING_PINYIN = re.compile(r"[a-zü]+(?:[ ']+[a-zü]+)*[ ']*$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[ ']+")


def normalise(typed: str) -> str:
    """Typed pinyin as the vocabulary keys it: lower case, no spaces or apostrophes, ü as v."""
    return _SEPARATORS.sub("", typed.lower()).replace("ü", "v")


@dataclass(frozen=True)
class Vocabulary:
    revision: int  # the content revision it was built from
    keys: tuple[str, ...]  # toneless pinyin, sorted
    words: tuple[str, ...]  # the word of each key
    ranks: tuple[int, ...]  # each entry's place when ordered by frequency (0: most frequent)

    def __len__(self) -> int:
        return len(self.words)

    def candidates(self, typed: str, limit: int | None = None) -> list[str]:
        """Words whose pinyin begins with ``typed``, the most frequent first."""
        prefix = normalise(typed)
        if not prefix:
            return []
        start = bisect_left(self.keys, prefix)
        end = bisect_left(self.keys, prefix + "{", start)  # "{" sorts just after "z"
        found = sorted(range(start, end), key=self.ranks.__getitem__)
        return [self.words[i] for i in found[:limit]]

    def candidates_at_end(self, text: str) -> tuple[int, list[str]]:
        """Where the pinyin at the end of ``text`` begins, and the words it may be: the whole
        run of letters first, else its last syllable groups (``xianggang bianj`` offers 边境
        when no word reads xianggangbianj). ``(len(text), [])`` when nothing matches."""
        match = _TRAILING_PINYIN.search(text)
        if match is None:
            return len(text), []
        starts = [match.start()] + [
            m.end() for m in _SEPARATORS.finditer(text, match.start()) if m.end() < len(text)
        ]
        for start in starts:
            words = self.candidates(text[start:])
            if words:
                return start, words
        return len(text), []


EMPTY = Vocabulary(0, (), (), ())


def build_vocabulary(texts: Iterable[str], revision: int = 0) -> Vocabulary:
    """The vocabulary of Chinese ``texts``."""
    analyser = analyser_for("zh")
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w for w in analyser.words(text) if _HAN_WORD.fullmatch(w))
    entries = sorted((toneless_pinyin(word), word) for word in counts)
    entries = [(key, word) for key, word in entries if key]
    by_frequency = sorted(
        range(len(entries)), key=lambda i: (-counts[entries[i][1]], len(entries[i][0]), entries[i])
    )
    ranks = [0] * len(entries)
    for rank, index in enumerate(by_frequency):
        ranks[index] = rank
    return Vocabulary(
        revision,
        tuple(key for key, _ in entries),
        tuple(word for _, word in entries),
        tuple(ranks),
    )


class Translation(Protocol):
    """A stored translation or a source's record: what a traveller reads of it."""

    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def keywords(self) -> Sequence[str]: ...
    @property
    def body_html(self) -> str: ...
    @property
    def details(self) -> Mapping[str, Any]: ...


def translation_texts(translation: Translation) -> list[str]:
    """The texts of a translation a traveller reads: title, summary, keywords, body, details."""
    details = [
        value if isinstance(value, str) else " ".join(map(str, value))
        for value in translation.details.values()
    ]
    return [
        translation.title,
        translation.summary,
        *translation.keywords,
        plain_text(translation.body_html),
        *details,
    ]


def vocabulary_of(store: ContentStore, lang: str = "zh") -> Vocabulary:
    """The vocabulary of the store's Chinese content, at its current revision."""
    revision = store.revision()
    texts = [text for t in store.translations_in(lang) for text in translation_texts(t)]
    return build_vocabulary(texts, revision)
