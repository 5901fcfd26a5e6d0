"""Vietnamese tone marks from tone keys, placed on the vowel that carries them.

The placement follows the traditional rule used by the bundled content (hòa, thủy): a vowel
with its own mark (ă â ê ô ơ ư) takes the tone (ươ: on ơ); otherwise, of two vowels the first
unless a consonant follows; of three, the middle one. ``gi`` and ``qu`` count as consonants.
"""

from __future__ import annotations

import unicodedata

TONES = {"acute": "\u0301", "grave": "\u0300", "hook": "\u0309", "tilde": "\u0303", "dot": "\u0323"}
TONE_LABELS = {"acute": "á", "grave": "à", "hook": "ả", "tilde": "ã", "dot": "ạ"}
_VOWELS = set("aăâeêioôơuưy")
_MARKED = set("ăâêôơư")


def _strip_tone(char: str) -> str:
    decomposed = unicodedata.normalize("NFD", char)
    kept = "".join(c for c in decomposed if c not in TONES.values())
    return unicodedata.normalize("NFC", kept)


def _tone_position(word: str) -> int | None:
    letters = [_strip_tone(c).lower() for c in word]
    start = 0
    lowered = "".join(letters)
    if lowered.startswith("qu") or (
        lowered.startswith("gi") and len(lowered) > 2 and lowered[2] in _VOWELS
    ):
        start = 2
    vowels = [i for i in range(start, len(letters)) if letters[i] in _VOWELS]
    if not vowels and start:  # "gi" alone: the i is the vowel
        vowels = [i for i in range(len(letters)) if letters[i] in _VOWELS][-1:]
    if not vowels:
        return None
    marked = [i for i in vowels if letters[i] in _MARKED]
    if marked:
        return marked[-1] if "".join(letters[i] for i in vowels[:2]) == "ươ" else marked[0]
    if len(vowels) == 1:
        return vowels[0]
    ends_in_consonant = vowels[-1] < len(letters) - 1
    if len(vowels) >= 3:
        return vowels[1]
    return vowels[1] if ends_in_consonant else vowels[0]


def apply_tone(text: str, tone: str) -> str:
    """``text`` with ``tone`` on its last word (the same tone again removes it)."""
    end = len(text)
    start = end
    while start > 0 and text[start - 1].isalpha():
        start -= 1
    word = text[start:end]
    position = _tone_position(word)
    if position is None:
        return text
    char = word[position]
    bare = _strip_tone(char)
    mark = TONES[tone]
    same = unicodedata.normalize("NFD", char).find(mark) >= 0
    # Other letters of the word lose any tone: a syllable has one.
    cleaned = "".join(_strip_tone(c) for c in word)
    new_char = bare if same else unicodedata.normalize("NFC", bare + mark)
    return text[:start] + cleaned[:position] + new_char + cleaned[position + 1 :]
