"""The one registry of language-dependent facts, looked up by BCP 47 tag."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError

# Spellings that mean the same written language as a shorter canonical tag.
_ALIASES = {"zh-hans": "zh", "zh-cn": "zh", "zh-hans-cn": "zh", "zh-sg": "zh"}
_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def canonical_tag(tag: str) -> str:
    """Lower-cased tag with aliases folded (`zh-Hans` → `zh`); raises ValueError if malformed."""
    lowered = tag.strip().replace("_", "-").lower()
    if not _TAG.match(lowered):
        raise ValueError(f"'{tag}' is not a BCP 47 language tag")
    lowered = _ALIASES.get(lowered, lowered)
    try:
        babel_locale(lowered)
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"'{tag}' is not a language known to CLDR") from exc
    return lowered


@cache
def babel_locale(tag: str) -> Locale:
    """The CLDR locale for a canonical tag (used for names, dates and numbers)."""
    return Locale.parse(tag, sep="-")


def endonym(tag: str) -> str:
    """The language's own name for itself, as a traveller recognises it (ລາວ, ខ្មែរ, 中文)."""
    name = babel_locale(tag).display_name or tag
    return name[:1].upper() + name[1:]


def is_rtl(tag: str) -> bool:
    return babel_locale(tag).text_direction == "rtl"
