"""What a typed search may become in the usage figures: normalised text, or nothing.

Travellers type passport, visa, phone and plate numbers, e-mail addresses and names into
search boxes. A term is dropped (and only counted as "scrubbed") when it holds a run of five
or more digits (spaces, dots and dashes between them do not break the run, so phone, ID,
passport and plate numbers are caught while a year like "visa 2026" stays), an e-mail shape,
a machine-readable-zone fragment (``<<``), a letter followed by seven digits (a passport
number), or more than five words.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 40
MAX_TOKENS = 5
_SPACES = re.compile(r"\s+")
_DIGIT_RUN = re.compile(r"\d(?:[\s.\-/]*\d){4,}")
_EMAIL = re.compile(r"\S+@\S+")
_PASSPORT = re.compile(r"(?<![^\W\d_])[^\W\d_]\s*\d{7}(?!\d)")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff]")


def normalise(text: str) -> str:
    """NFKC, case folded, invisible characters removed, spaces collapsed, trimmed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _INVISIBLE.sub("", folded)
    return _SPACES.sub(" ", folded).strip()


def looks_personal(text: str) -> bool:
    """True when ``text`` (normalised or not) may identify someone and must never be kept."""
    plain = unicodedata.normalize("NFKC", text)
    # Digits of any script count as digits: ٣٤٥٦٧ is a number as much as 34567.
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in plain)
    return bool(
        _DIGIT_RUN.search(digits)
        or _EMAIL.search(plain)
        or "<<" in plain
        or _PASSPORT.search(digits)
    )


def scrubbed(text: str) -> str | None:
    """The term to count, or None if nothing of it may be kept."""
    term = normalise(text)
    if not term or looks_personal(term) or len(term.split(" ")) > MAX_TOKENS:
        return None
    return term[:MAX_CHARS].rstrip()
