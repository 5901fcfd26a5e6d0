"""Gettext for every user-visible string, with catalogs per language under ``i18n/``.

``_`` (and ``ngettext`` for sentences with a count) translates in the current interface
language; ``N_`` only marks a module-level string for extraction, to be translated where it is
shown. Catalogs are read from compiled ``.mo`` files when present and compiled in memory from
the ``.po`` files otherwise, so a fresh checkout speaks every language without a build step.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.paths import catalogs_dir

DOMAIN = "messages"
_current: list[gettext.NullTranslations] = [gettext.NullTranslations()]


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of one language; English source strings where a catalog has no entry."""
    folder = catalogs_dir() / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if po.is_file():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang.replace("-", "_"))
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def set_language(lang: str) -> None:
    """Switch the interface language used by ``_``."""
    _current[0] = translations(lang)


def _(message: str) -> str:
    return _current[0].gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a sentence for ``count`` in the current interface language (the catalog's
    Plural-Forms choose it: one form in Vietnamese or Chinese, three in Russian)."""
    return _current[0].ngettext(singular, plural, count)


def N_(message: str) -> str:
    return message


def gettext_for(lang: str) -> Callable[[str], str]:
    """A gettext function bound to one language (for pages rendered in the reader's language)."""
    return translations(lang).gettext
