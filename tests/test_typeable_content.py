"""Every word of the bundled content can be typed on the keyboards its reader is offered.

A word is typed as the on-screen keyboard types it: key by key through ``Layout.type`` (which
composes Korean syllables and puts Vietnamese tones), a key of the shifted page after a shift,
the page going back after one key as the widget's does (``Layout.page_after``). Chinese words
are typed as pinyin and then chosen among the candidates the content's vocabulary offers.

Which keyboards: the reader's own layout, and the layouts every gate that offers the reader's
language offers beside it (the globe key lists them): a Vietnamese place name or an English
word such as "e-visa" inside a Khmer text is typed on the Vietnamese or English layout. The
words are the runs of letters, marks and digits of one script; punctuation and symbols, which
search ignores, are not typed. In English, a loanword's accented letter (pâté) is typed bare:
search folds the accents of Latin letters, so "pate" finds it; the other languages get no such
allowance (Vietnamese tones and Khmer signs are typed as written).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache

import pytest

from kiosk.content.source import Source, load_source
from kiosk.keyboard.hangul import SPLIT_FINALS, SPLIT_MEDIALS, decompose
from kiosk.keyboard.layouts import SHIFT, TONE_PREFIX, Layout, layout_for
from kiosk.keyboard.pinyin import Vocabulary, build_vocabulary, translation_texts
from kiosk.keyboard.vietnamese import TONES
from kiosk.paths import bundled_content_dir
from kiosk.text.analysis import analyser_for, fold, toneless_pinyin

_TONE_NAMES = {mark: name for name, mark in TONES.items()}
# A Hanja gloss after its Hangul word, as in 국가(國歌): read, not typed (the Hangul is typed).
_HANJA_GLOSS = re.compile(r"(?<=[\uac00-\ud7a3])\([\u3400-\u9fff]+\)")
FOLDED = {"en"}  # languages whose readers type Latin letters without accents


@cache
def source() -> Source:
    return load_source(bundled_content_dir())


def texts_by_language() -> dict[str, list[tuple[str, str]]]:
    """(item id, text) of every title, summary, keyword, body and detail, per language."""
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in source().items:
        for lang, translation in item.translations.items():
            found[lang] += [(item.id, text) for text in translation_texts(translation)]
    return found


def offered_layouts(lang: str) -> list[str]:
    """The reader's layout first, then those offered beside it at every gate offering it."""
    offering = [set(g.languages) for g in source().gates if lang in g.languages]
    assert offering, f"no gate offers {lang}"
    return [lang, *sorted(set.intersection(*offering) - {lang})]


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    if unicodedata.category(char)[0] == "M" and name.startswith("COMBINING"):
        return ""  # belongs to the letter before it
    return name.split()[0] if name else ""


def words(text: str) -> list[str]:
    """Runs of letters, marks and digits of one script, in lower case."""
    found: list[str] = []
    current, script = "", ""
    for char in unicodedata.normalize("NFC", text.lower()):
        if unicodedata.category(char)[0] not in "LMN":
            current, script = _flush(found, current), ""
            continue
        own = _script(char) or script
        if own != script:
            current, script = _flush(found, current), own
        current += char
    _flush(found, current)
    return found


def _flush(found: list[str], current: str) -> str:
    if current:
        found.append(current)
    return ""


# -- how the keyboard types -------------------------------------------------------------------
def on_page(layout: Layout) -> dict[str, int]:
    """Each key's output and the first page it is on."""
    pages: dict[str, int] = {}
    for number, page in enumerate(layout.pages):
        for row in page:
            for key in row:
                pages.setdefault(key, number)
    return pages


def press(layout: Layout, keys: list[str]) -> str:
    """The field's text after tapping ``keys``, each one on the page the keyboard shows."""
    pages, page, text = on_page(layout), 0, ""
    shown = {number: {k for row in p for k in row} for number, p in enumerate(layout.pages)}
    for key in keys:
        assert key in shown[page], (key, page)
        assert key in pages
        if key != SHIFT:
            text = layout.type(text, key)
        page = layout.page_after(page, key)
    return text


def with_shifts(layout: Layout, keys: list[str]) -> list[str] | None:
    """``keys`` with the shifts that bring up the page of each one; None if one is missing."""
    pages = on_page(layout)
    out: list[str] = []
    for key in keys:
        if key not in pages:
            return None
        out += [SHIFT] * pages[key] + [key]
    return out


def split_into_keys(layout: Layout, word: str) -> list[str] | None:
    """``word`` cut into key outputs (a Khmer key may give two characters: ុំ, ោះ)."""
    outputs = {k for k in on_page(layout) if not k.startswith("{")}
    longest = max(map(len, outputs))
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(word) + 1):
        for size in range(1, min(longest, end) + 1):
            piece = word[end - size : end]
            if end - size in best and piece in outputs:
                best[end] = [*best[end - size], piece]
                break
    return best.get(len(word))


def plan(layout: Layout, word: str) -> list[str] | None:
    """The keys a traveller taps to type ``word`` on ``layout`` (None: it cannot be)."""
    if layout.composer == "vietnamese":
        decomposed = unicodedata.normalize("NFD", word)
        tones = [_TONE_NAMES[c] for c in decomposed if c in _TONE_NAMES]
        bare = unicodedata.normalize(
            "NFC", "".join(c for c in decomposed if c not in TONES.values())
        )
        keys = split_into_keys(layout, bare) if len(tones) <= 1 else None
        return (
            None
            if keys is None
            else with_shifts(layout, keys + [f"{TONE_PREFIX}{t}}}" for t in tones])
        )
    if layout.composer == "hangul":
        jamo: list[str] = []
        for char in word:
            parts = decompose(char)
            if parts is None:
                jamo.append(char)
                continue
            initial, medial, final = parts
            jamo += [initial, *SPLIT_MEDIALS.get(medial, (medial,))]
            jamo += list(SPLIT_FINALS.get(final, (final,) if final else ()))
        return with_shifts(layout, jamo)
    keys = split_into_keys(layout, word)
    return None if keys is None else with_shifts(layout, keys)


def typeable_on(lang: str, word: str) -> str | None:
    """The layout ``word`` can be typed on, of those offered to a reader of ``lang``."""
    for offered in offered_layouts(lang):
        layout = layout_for(offered)
        keys = plan(layout, word)
        if keys is not None and press(layout, keys) == word:
            return offered
    return None


@cache
def content_vocabulary() -> Vocabulary:
    return build_vocabulary(text for _, text in texts_by_language()["zh"])


def chosen_by_pinyin(run: str) -> str:
    """A run of Han characters typed word by word: pinyin on the pinyin layout, then the word
    tapped among the candidates (it replaces the pinyin typed, and a space ends it); the
    characters typed, without those spaces."""
    layout, vocabulary, text = layout_for("zh"), content_vocabulary(), ""
    for word in analyser_for("zh").words(run):
        keys = with_shifts(layout, list(toneless_pinyin(word)))
        assert keys is not None, word
        typed = text + press(layout, keys)
        start, offered = vocabulary.candidates_at_end(typed)
        if word not in offered:
            break
        text = f"{typed[:start]}{word} "  # as OnScreenKeyboard.choose_word puts it
    return text.replace(" ", "")


# -- the tests --------------------------------------------------------------------------------
def untypeable(lang: str) -> dict[str, set[str]]:
    """Words of ``lang``'s content that no offered layout types, and the items they are in."""
    missing: dict[str, set[str]] = defaultdict(set)
    checked: dict[str, bool] = {}
    for item_id, text in texts_by_language()[lang]:
        if lang == "ko":
            text = _HANJA_GLOSS.sub(" ", text)
        for word in words(text):
            if word not in checked:
                if lang == "zh" and _script(word[0]) == "CJK":
                    checked[word] = chosen_by_pinyin(word) == word
                else:
                    checked[word] = typeable_on(lang, word) is not None or (
                        lang in FOLDED and typeable_on(lang, fold(word)) is not None
                    )
            if not checked[word]:
                missing[word].add(item_id)
    return missing


LANGUAGES = ["vi", "en", "zh", "lo", "km", "ko", "ru"]


def test_every_content_language_is_checked() -> None:
    assert set(texts_by_language()) == set(LANGUAGES)
    assert offered_layouts("km") == ["km", "en", "vi"]  # Mộc Bài and Nội Bài


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_word_of_the_content_can_be_typed(lang: str) -> None:
    missing = untypeable(lang)
    shown = sorted(missing.items(), key=lambda kv: -len(kv[1]))[:15]
    assert not missing, f"{len(missing)} {lang} words cannot be typed: " + "; ".join(
        f"{word!r} ({', '.join(sorted(items)[:3])})" for word, items in shown
    )


def test_every_khmer_title_is_typed_on_the_khmer_layout() -> None:
    """The Khmer of a title on the Khmer keyboard itself, never by way of another layout."""
    khmer = layout_for("km")
    for item in source().items:
        for word in words(item.translations["km"].title):
            if _script(word[0]) == "KHMER":
                keys = plan(khmer, word)
                assert keys is not None and press(khmer, keys) == word, (item.id, word)


@pytest.mark.parametrize(
    ("word", "keys"),
    [
        ("ប័ណ្ណ", ["ប", SHIFT, "័", SHIFT, "ណ", "្", SHIFT, "ណ"]),  # border pass
        ("ព័ត៌មាន", [SHIFT, "ព", SHIFT, "័", "ត", SHIFT, "៌", "ម", "ា", "ន"]),  # information
        ("ឱ្យ", [SHIFT, "ឱ", "្", "យ"]),
        ("ឯកសារ", [SHIFT, "ឯ", "ក", "ស", "ា", "រ"]),
        ("ផ្សេងៗ", ["ផ", "្", "ស", "េ", "ង", SHIFT, "ៗ"]),
    ],
)
def test_khmer_words_that_need_the_shifted_signs(word: str, keys: list[str]) -> None:
    assert press(layout_for("km"), keys) == word


def test_the_check_sees_what_a_layout_cannot_type() -> None:
    assert typeable_on("en", "visa") == "en"
    assert typeable_on("en", "móng") == "vi"  # a Vietnamese name, on the Vietnamese layout
    assert typeable_on("km", "e") == "en"
    assert typeable_on("vi", "ប័ណ្ណ") is None
    assert typeable_on("en", "pâté") is None and fold("pâté") == "pate"
    assert typeable_on("ko", "여권") == "ko" and typeable_on("ko", "닭이") == "ko"
    assert typeable_on("ru", "ёлка") == "ru"
    assert words("E-visa (Ministry)") == ["e", "visa", "ministry"]
    assert words("90 ថ្ងៃ") == ["90", "ថ្ងៃ"]
    assert chosen_by_pinyin("边境口岸") == "边境口岸"
