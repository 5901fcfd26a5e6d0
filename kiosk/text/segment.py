"""Dictionary word segmentation for scripts written without spaces (ICU BreakIterator)."""

from __future__ import annotations

import threading

import icu

# ICU's rule status for "a word that is only punctuation or spaces" is below 100.
_WORD_STATUS = 100
_local = threading.local()


def _iterator(lang: str) -> icu.BreakIterator:
    """One iterator per language and thread: creating one costs ~10 µs, using one is cheap."""
    cache: dict[str, icu.BreakIterator] = getattr(_local, "iterators", None) or {}
    _local.iterators = cache
    if lang not in cache:
        cache[lang] = icu.BreakIterator.createWordInstance(icu.Locale(lang))
    return cache[lang]


def words(lang: str, text: str) -> list[str]:
    """Words of ``text`` by ICU's dictionary for ``lang``; spaces and punctuation dropped."""
    if not text:
        return []
    iterator = _iterator(lang)
    if max(text) > "\uffff":
        # ICU counts UTF-16 units; go through a UnicodeString so astral characters stay whole.
        ustring = icu.UnicodeString(text)
        iterator.setText(ustring)
        out, start = [], 0
        for end in iterator:
            if iterator.getRuleStatus() >= _WORD_STATUS:
                out.append(str(ustring[start:end]))
            start = end
        return out
    iterator.setText(text)
    out, start = [], 0
    for end in iterator:
        if iterator.getRuleStatus() >= _WORD_STATUS:
            out.append(text[start:end])
        start = end
    return out
