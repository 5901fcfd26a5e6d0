"""Composition of Korean jamo into syllables, as a dubeolsik input method does it.

Typing works on the end of the text: ㅇ ㅕ ㄱ ㅝ ㄴ gives 역 then 여궈 then 여권.
"""

from __future__ import annotations

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
COMPOUND_MEDIALS = {
    ("ㅗ", "ㅏ"): "ㅘ",
    ("ㅗ", "ㅐ"): "ㅙ",
    ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ",
    ("ㅜ", "ㅔ"): "ㅞ",
    ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}
COMPOUND_FINALS = {
    ("ㄱ", "ㅅ"): "ㄳ",
    ("ㄴ", "ㅈ"): "ㄵ",
    ("ㄴ", "ㅎ"): "ㄶ",
    ("ㄹ", "ㄱ"): "ㄺ",
    ("ㄹ", "ㅁ"): "ㄻ",
    ("ㄹ", "ㅂ"): "ㄼ",
    ("ㄹ", "ㅅ"): "ㄽ",
    ("ㄹ", "ㅌ"): "ㄾ",
    ("ㄹ", "ㅍ"): "ㄿ",
    ("ㄹ", "ㅎ"): "ㅀ",
    ("ㅂ", "ㅅ"): "ㅄ",
}
SPLIT_FINALS = {v: k for k, v in COMPOUND_FINALS.items()}
SPLIT_MEDIALS = {v: k for k, v in COMPOUND_MEDIALS.items()}


def compose(initial: str, medial: str, final: str = "") -> str:
    code = 0xAC00 + (INITIALS.index(initial) * 21 + MEDIALS.index(medial)) * 28
    return chr(code + FINALS.index(final))


def decompose(char: str) -> tuple[str, str, str] | None:
    code = ord(char) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return INITIALS[code // 588], MEDIALS[code % 588 // 28], FINALS[code % 28]


def type_jamo(text: str, jamo: str) -> str:
    """``text`` after typing one jamo at its end."""
    last = text[-1:]
    parts = decompose(last) if last else None
    if jamo in MEDIALS:
        if parts and not parts[2]:
            merged = COMPOUND_MEDIALS.get((parts[1], jamo))
            if merged:
                return text[:-1] + compose(parts[0], merged)
        if parts and parts[2]:
            # The final consonant moves to the new syllable: 역 + ㅝ → 여궈.
            keep, move = SPLIT_FINALS.get(parts[2], ("", parts[2]))
            if move in INITIALS:
                return text[:-1] + compose(parts[0], parts[1], keep) + compose(move, jamo)
        if last and last in INITIALS:
            return text[:-1] + compose(last, jamo)
        return text + jamo
    if parts and not parts[2] and jamo in FINALS:
        return text[:-1] + compose(parts[0], parts[1], jamo)
    if parts and parts[2]:
        merged = COMPOUND_FINALS.get((parts[2], jamo))
        if merged:
            return text[:-1] + compose(parts[0], parts[1], merged)
    return text + jamo


def backspace(text: str) -> str:
    """Undo the last jamo rather than the whole syllable (여권 → 여궈 → 여구 → 여ㄱ)."""
    parts = decompose(text[-1:]) if text else None
    if parts is None:
        return text[:-1]
    initial, medial, final = parts
    if final:
        shorter = SPLIT_FINALS.get(final, ("", ""))[0]
        return text[:-1] + compose(initial, medial, shorter)
    if medial in SPLIT_MEDIALS:
        return text[:-1] + compose(initial, SPLIT_MEDIALS[medial][0])
    return text[:-1] + initial
