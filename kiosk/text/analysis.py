"""Language analysers: the same code turns stored text and typed queries into index terms.

Each analyser gives, for one text, the words of the word index, extra keys for titles (pinyin
for Chinese, jamo for Korean, joined syllables for Vietnamese), and a compact form for the
substring index of scripts written without spaces. They are found by BCP 47 tag in
:func:`analyser_for`; a tag without its own analyser gets the Latin one.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise

import icu

from kiosk.text.segment import words

# Bump when analysis changes: a stored index made by another version is rebuilt.
ANALYSER_VERSION = 3

# Invisible characters vanish; control characters become spaces (one translate pass).
_CLEAN = {
    **dict.fromkeys(range(0x20), " "),
    **dict.fromkeys(range(0x7F, 0xA0), " "),
    **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\u00ad\ufeff\u200e\u200f")),
}
_WORD = re.compile(r"\w+")


def _squeeze(text: str) -> str:
    """Text without spaces, punctuation and symbols; marks stay (they belong to letters)."""
    return "".join(c for c in text if unicodedata.category(c)[0] in "LMN")


def _latin_fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        char = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c)
        )
        if base != char:
            table[code] = base.lower()
    # Letters that have no decomposition but that travellers type without their mark.
    table.update(
        {
            ord("đ"): "d",
            ord("Đ"): "d",
            ord("ø"): "o",
            ord("Ø"): "o",
            ord("ł"): "l",
            ord("Ł"): "l",
            ord("ß"): "ss",
            ord("æ"): "ae",
            ord("œ"): "oe",
            ord("ё"): "е",
            ord("Ё"): "е",
        }
    )
    return table


_FOLD = _latin_fold_table()


_UNCLEAN = re.compile("[\x00-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\u00ad\ufeff\u200e\u200f]")


def clean(text: str) -> str:
    """Drop invisible and control characters and compose what is decomposed."""
    if _UNCLEAN.search(text):
        text = text.translate(_CLEAN)
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower case without diacritics (Vietnamese đ → d, Russian ё → е)."""
    text = clean(text).lower()
    return text if text.isascii() else text.translate(_FOLD)


@dataclass(frozen=True)
class Analyser:
    """Words, title keys and compact text for one language."""

    lang: str
    substring: bool = False  # unspaced scripts get a substring (trigram) index
    typo_tolerant: bool = True  # alphabetic scripts, where edit distance means something

    def normalise(self, text: str) -> str:
        return fold(text)

    def words(self, text: str) -> list[str]:
        return _WORD.findall(self.normalise(text))

    def keys(self, tokens: list[str]) -> list[str]:
        """Extra title keys: joined neighbours, so "e visa" and "evisa" meet."""
        return [a + b for a, b in pairwise(tokens)]

    def compact(self, text: str) -> str:
        return _squeeze(self.normalise(text)) if self.substring else ""


class VietnameseAnalyser(Analyser):
    def keys(self, tokens: list[str]) -> list[str]:
        pairs = [a + b for a, b in pairwise(tokens)]
        triples = [a + b + c for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)]
        return pairs + triples  # "vietnam", "hochiminh"


_LAO_AM = re.compile("([\u0ec8-\u0ecb]?)\u0ecd([\u0ec8-\u0ecb]?)\u0eb2")


class SegmentingAnalyser(Analyser):
    """Scripts without spaces: ICU dictionary words plus a substring index."""

    def normalise(self, text: str) -> str:
        return clean(text).lower()

    def words(self, text: str) -> list[str]:
        return [w for w in words(self.lang, self.normalise(text)) if w.strip()]

    def keys(self, tokens: list[str]) -> list[str]:
        return []


class LaoAnalyser(SegmentingAnalyser):
    def normalise(self, text: str) -> str:
        # Spelling variants a keyboard may produce: ຫນ/ຫມ for ໜ/ໝ, ໍ+າ for ຳ, tone mark order.
        text = clean(text).replace("\u0eab\u0e99", "\u0edc").replace("\u0eab\u0ea1", "\u0edd")
        return _LAO_AM.sub(lambda m: m.group(1) + m.group(2) + "\u0eb3", text)


_local = threading.local()


def _to_simplified(text: str) -> str:
    converter = getattr(_local, "t2s", None)
    if converter is None:
        converter = _local.t2s = icu.Transliterator.createInstance("Traditional-Simplified")
    return converter.transliterate(text)


@lru_cache(maxsize=65536)
def _simplified_word(word: str) -> str:
    return _to_simplified(word) if _HAN.search(word) else word


_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class ChineseAnalyser(SegmentingAnalyser):
    def normalise(self, text: str) -> str:
        return unicodedata.normalize("NFKC", clean(text)).lower()

    def words(self, text: str) -> list[str]:
        text = self.normalise(text)
        if len(text) <= 200:
            # Queries, titles, keywords: in Simplified before segmenting, so that Traditional
            # input is cut into the same words as the Simplified text it should find.
            text = _to_simplified(text) if _HAN.search(text) else text
            return [w for w in words("zh", text) if w.strip()]
        # Long text (bodies, Simplified already): per word, cached; whole texts never repeat.
        return [_simplified_word(w) for w in words("zh", text) if w.strip()]

    def compact(self, text: str) -> str:
        return _squeeze("".join(self.words(text)))

    def keys(self, tokens: list[str]) -> list[str]:
        """Pinyin without tones for every word: whole, by syllable, initials, and pairs."""
        keys: list[str] = []
        run: list[str] = []  # pinyin of the Han words just before this one
        for token in tokens:
            if not _HAN.search(token):
                run = []
                continue
            joined, syllables, initials = _pinyin(token)
            keys.append(joined)
            keys.extend(syllables)
            keys.append(initials)
            # Words typed together in pinyin: 下龙湾 may be 下|龙|湾 to the segmenter.
            run = [*run[-2:], joined]
            keys.extend("".join(run[i:]) for i in range(len(run) - 1))
        return keys


@lru_cache(maxsize=65536)
def _pinyin(word: str) -> tuple[str, tuple[str, ...], str]:
    """(joined pinyin, syllables, initials) of a word; words repeat, pinyin is slow."""
    # Imported here: its dictionaries take a third of a second to load, which the kiosk's
    # start screen should not wait for.
    from pypinyin import Style, lazy_pinyin

    syllables = tuple(lazy_pinyin(word, errors="ignore"))
    initials = "".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore"))
    return "".join(syllables), syllables, initials


def toneless_pinyin(word: str) -> str:
    """A word's pinyin without tones or spaces, ü written v as pinyin keyboards type it
    (边境 → bianjing, 旅游 → lvyou)."""
    return _pinyin(word)[0]


def _hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


class JapaneseAnalyser(SegmentingAnalyser):
    def normalise(self, text: str) -> str:
        return _hiragana(unicodedata.normalize("NFKC", clean(text)).lower())


_CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNGSEONG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONGSEONG = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]


def jamo(text: str, initials_only: bool = False) -> str:
    """Hangul syllables spelt out in compatibility jamo (역 → ㅇㅕㄱ), or their initials."""
    out = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            initial, rest = divmod(code, 588)
            medial, final = divmod(rest, 28)
            out.append(
                _CHOSEONG[initial]
                if initials_only
                else _CHOSEONG[initial] + _JUNGSEONG[medial] + _JONGSEONG[final]
            )
        else:
            out.append(char)
    return "".join(out)


class KoreanAnalyser(Analyser):
    def normalise(self, text: str) -> str:
        # Not NFKC: it turns the letters of a half-typed syllable (ㅇㄱ) into conjoining jamo.
        return clean(text).lower()

    def keys(self, tokens: list[str]) -> list[str]:
        keys = [jamo(t) for t in tokens] + [jamo(t, initials_only=True) for t in tokens]
        keys += [a + b for a, b in pairwise(tokens)]  # 출입국 심사 → 출입국심사
        return keys

    def compact(self, text: str) -> str:
        return _squeeze(self.normalise(text))


@cache
def analyser_for(lang: str) -> Analyser:
    """The analyser of a language (by canonical BCP 47 tag)."""
    base = lang.split("-")[0]
    if base == "vi":
        return VietnameseAnalyser("vi")
    if base == "zh":
        return ChineseAnalyser("zh", substring=True, typo_tolerant=False)
    if base == "ja":
        return JapaneseAnalyser("ja", substring=True, typo_tolerant=False)
    if base == "lo":
        return LaoAnalyser("lo", substring=True, typo_tolerant=False)
    if base in ("km", "th", "my"):
        return SegmentingAnalyser(base, substring=True, typo_tolerant=False)
    if base == "ko":
        return KoreanAnalyser("ko", substring=True, typo_tolerant=False)
    return Analyser(base)
