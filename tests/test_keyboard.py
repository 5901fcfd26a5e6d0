"""On-screen keyboard logic: every layout is usable, and composition gives the right text."""

from __future__ import annotations

import unicodedata

import pytest

from kiosk.keyboard.hangul import backspace, type_jamo
from kiosk.keyboard.layouts import LAYOUTS, SHIFT, layout_for
from kiosk.keyboard.vietnamese import apply_tone

SCRIPTS = {
    "lo": "LAO",
    "km": "KHMER",
    "ko": "HANGUL",
    "ru": "CYRILLIC",
    "vi": "LATIN",
    "en": "LATIN",
    "fr": "LATIN",
    "zh": "LATIN",
}


def typed(lang: str, keys: list[str]) -> str:
    layout, text = layout_for(lang), ""
    for key in keys:
        text = layout.type(text, key)
    return text


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_every_layout_types_its_own_script(lang: str) -> None:
    layout = layout_for(lang)
    assert layout.lang == lang
    keys = [k for page in layout.pages for row in page for k in row if not k.startswith("{")]
    letters = [k for k in keys if unicodedata.category(k[0])[0] in "LM"]
    assert len(letters) >= 20
    own = [k for k in letters if unicodedata.name(k[0]).startswith(SCRIPTS[lang])]
    assert len(own) / len(letters) >= 0.9
    if len(layout.pages) > 1:
        assert all(SHIFT in page[-1] for page in layout.pages)


@pytest.mark.parametrize("lang", sorted(SCRIPTS))
def test_every_row_fits_a_portrait_screen_with_large_keys(lang: str) -> None:
    """13 keys of 64 px and their gaps fit the width a 1080-px portrait screen leaves."""
    assert max(len(row) for page in layout_for(lang).pages for row in page) <= 13


def test_every_layout_file_is_read() -> None:
    assert {p.stem for p in LAYOUTS.glob("*.toml")} == set(SCRIPTS)


def test_a_language_without_a_layout_gets_latin_letters() -> None:
    assert layout_for("tlh").lang == "en"


@pytest.mark.parametrize(
    ("jamo", "expected"),
    [
        ("ㅇㅕㄱㅝㄴ", "여권"),
        ("ㅊㅜㄹㅇㅣㅂㄱㅜㄱㅅㅣㅁㅅㅏ", "출입국심사"),
        ("ㅎㅏㄴㄱㅜㄱ", "한국"),
        ("ㄷㅏㄹㄱ", "닭"),
        ("ㄷㅏㄹㄱㅇㅣ", "닭이"),
        ("ㄷㅏㄹㄱㅏ", "달가"),
        ("ㅇㅘ", "와"),
        ("ㄱㅗㅏㄴ", "관"),
        ("ㅂㅏㅂㅅ", "밦"),
        ("ㄲㅗㅊ", "꽃"),
        ("ㅏ", "ㅏ"),
        ("ㅋㅋ", "ㅋㅋ"),
    ],
)
def test_korean_jamo_compose_into_syllables(jamo: str, expected: str) -> None:
    assert typed("ko", list(jamo)) == expected


def test_korean_backspace_undoes_one_jamo() -> None:
    steps, text = [], "여권"
    while text:
        text = backspace(text)
        steps.append(text)
    assert steps == ["여궈", "여구", "여ㄱ", "여", "ㅇ", ""]
    assert type_jamo("", "ㅇ") == "ㅇ"


@pytest.mark.parametrize(
    ("word", "tone", "expected"),
    [
        ("thu", "hook", "thủ"),
        ("tuc", "dot", "tục"),
        ("nhâp", "dot", "nhập"),
        ("canh", "hook", "cảnh"),
        ("hoa", "grave", "hòa"),
        ("thuy", "hook", "thủy"),
        ("ngươi", "grave", "người"),
        ("đươc", "dot", "được"),
        ("quôc", "acute", "quốc"),
        ("gia", "acute", "giá"),
        ("viêt", "dot", "việt"),
        ("khoe", "hook", "khỏe"),
        ("tiên", "grave", "tiền"),
        ("Viêt Nam", "grave", "Viêt Nàm"),
        ("hòa", "grave", "hoa"),
        ("hòa", "acute", "hóa"),
        ("123", "acute", "123"),
    ],
)
def test_vietnamese_tone_keys(word: str, tone: str, expected: str) -> None:
    assert apply_tone(word, tone) == expected


def test_vietnamese_typed_with_the_keys_of_its_layout() -> None:
    keys = [
        "t",
        "h",
        "u",
        "{tone:hook}",
        " ",
        "t",
        "u",
        "c",
        "{tone:dot}",
        " ",
        "n",
        "h",
        "â",
        "p",
        "{tone:dot}",
        " ",
        "c",
        "a",
        "n",
        "h",
        "{tone:hook}",
    ]
    assert typed("vi", keys) == "thủ tục nhập cảnh"
    assert layout_for("vi").label("{tone:tilde}") == "ã"
