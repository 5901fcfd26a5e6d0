"""The HTML page of one item, as the locked-down item view shows it.

The Markdown body was rendered and sanitised at import; here it is only wrapped with the title,
the structured procedure fields and the footer, with every other value escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from urllib.parse import urlencode

from babel.dates import format_date

from kiosk.content.links import link_codes, with_addresses
from kiosk.content.takeaway import LARGE_MODULE_PX, MODULE_PX
from kiosk.content.views import ItemView, TranslationView
from kiosk.i18n import N_, gettext_for
from kiosk.languages import babel_locale, endonym

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; img-src kiosk:; style-src 'unsafe-inline'; font-src kiosk:; "
    "base-uri 'none'; form-action 'none'"
)

STEPS = N_("Steps")
TAKE_AWAY = N_("Take it with you: scan this code with your phone")
SOURCE = N_("Source")
LAST_UPDATED = N_("Last updated")
WEB_ADDRESSES = N_("Web addresses: scan a code to open it on your phone")
FALLBACK_NOTE = N_("This page is shown in {language} because it is not available in your language.")

# Structured procedure fields in the order a traveller needs them.
_LIST_FIELDS = (
    ("documents", N_("Documents to bring")),
    ("conditions", N_("Conditions")),
    ("applicants", N_("Who can apply")),
    ("channels", N_("How to apply")),
    ("forms", N_("Forms")),
)
_TEXT_FIELDS = (
    ("fee", N_("Fee")),
    ("duration", N_("Processing time")),
    ("agency", N_("Agency")),
    ("hours", N_("Opening hours")),
    ("result", N_("Result")),
    ("code", N_("Procedure code")),
    ("legal_basis", N_("Legal basis")),
)

_STYLE = """
:root { color-scheme: light; touch-action: pan-x pan-y; }
html { font-size: 26px; }
body, article { --script: 1; font-size: calc(1rem * var(--script) * var(--size)); }
body { --size: 1; }
body { margin: 0; padding: 1.2rem 1.6rem 3rem; color: #14202b; background: #fff;
  font-family: "Noto Sans", "Noto Sans Lao", "Noto Sans Lao UI", "Noto Sans Khmer",
  "Noto Sans Khmer UI", "Noto Sans CJK SC", "Noto Sans CJK KR", "DejaVu Sans", sans-serif;
  line-height: 1.55; -webkit-user-select: none; user-select: none; }
.lang-lo, .lang-km { --script: 1.18; line-height: 1.8; }
body.lang-ko { word-break: keep-all; }
h1 { font-size: 1.7em; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: 1.2em; margin: 1.4rem 0 .5rem; color: #1d4e7a; }
.summary { font-size: 1.1em; color: #33475b; margin: 0 0 1rem; }
.fallback { background: #fff4d6; border-left: .3rem solid #d99a00; padding: .5rem .8rem; }
ol.steps { list-style: none; counter-reset: step; padding: 0; }
ol.steps li { counter-increment: step; position: relative; padding: .5em .6em .5em 3em;
  margin: .4rem 0; background: #f2f6fa; border-radius: .4rem; }
ol.steps li::before { content: counter(step); position: absolute; left: .6em; top: .45em;
  width: 1.7em; height: 1.7em; border-radius: 50%; background: #1d4e7a; color: #fff;
  text-align: center; font-weight: bold; line-height: 1.7em; }
ul.checklist { list-style: disc; padding: 0 0 0 1.6rem; }
ul.checklist li { padding: .3rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: bold; color: #33475b; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: .8rem 0; }
th, td { border: 1px solid #b8c4d0; padding: .35rem .7rem; text-align: left; }
th { background: #eaf0f6; }
img { max-width: 100%; height: auto; }
/* A web link cannot be opened here: it does not look tappable, its address is printed. */
a[data-external-url] { color: inherit; text-decoration: none; }
.address { color: #1d4e7a; font-weight: bold; overflow-wrap: anywhere; }
/* A link to another item is a large button. */
a[href^="kiosk://item/"] { display: inline-block; min-height: 3.2rem; box-sizing: border-box;
  padding: .7rem 1.2rem; margin: .3rem 0; border-radius: .5rem; background: #1d4e7a;
  color: #fff; font-weight: bold; text-decoration: none; line-height: 1.4; }
a[href^="kiosk://item/"]::after { content: "  \\203A"; }
section.links figure { display: flex; align-items: center; gap: 1rem; margin: .8rem 0; }
section.links svg { flex: none; }
footer { margin-top: 2rem; font-size: .95em; color: #54677a; }
figure.takeaway { margin: 2rem 0 0; display: flex; align-items: center; gap: 1rem; }
/* The code at its own size: a whole number of pixels a module, never scaled by the text. */
figure.takeaway img { width: auto; height: auto; max-width: none; image-rendering: pixelated; }
body.large { --size: 1.3; }
div.columns { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
div.columns article + article { border-left: 2px solid #b8c4d0; padding-left: 2rem; }
body.contrast { background: #000; color: #fff; }
body.contrast h2, body.contrast .summary, body.contrast footer, body.contrast dl.facts dt
  { color: #ffff00; }
body.contrast ol.steps li { background: #222; }
body.contrast ol.steps li::before { background: #ffff00; color: #000; }
body.contrast th { background: #333; }
body.contrast .fallback { background: #333; color: #fff; }
body.contrast .address { color: #ffff00; }
body.contrast a[href^="kiosk://item/"] { background: #ffff00; color: #000; }
"""
# Larger text, larger code: by an exact factor that keeps its modules whole.
_STYLE += f"body.large figure.takeaway img {{ zoom: {LARGE_MODULE_PX / MODULE_PX:g}; }}\n"


def item_page(
    item: ItemView, wanted: list[str], *, large: bool = False, contrast: bool = False
) -> str:
    """The full HTML document of ``item`` in the first wanted language it has.

    ``large`` makes the text bigger, ``contrast`` shows it light on black.
    """
    lang, parts = _article(item, wanted)
    return _document(item, lang, parts, wanted, large=large, contrast=contrast)


def bilingual_page(
    item: ItemView,
    staff: list[str],
    traveller: list[str],
    *,
    large: bool = False,
    contrast: bool = False,
) -> str:
    """The same item twice, side by side: the desk officer's language and the traveller's
    (assisted mode), so both can point at the same step."""
    columns = []
    for wanted in (staff, traveller):
        lang, parts = _article(item, wanted)
        columns.append(f'<article lang="{escape(lang)}" class="lang-{escape(lang)}">')
        columns.extend(parts)
        columns.append("</article>")
    lang = item.translation(*traveller).lang
    return _document(
        item, lang, ['<div class="columns">', *columns, "</div>"], traveller,
        large=large, contrast=contrast,
    )  # fmt: skip


def _article(item: ItemView, wanted: list[str]) -> tuple[str, list[str]]:
    translation = item.translation(*wanted)
    lang = translation.lang
    _ = gettext_for(lang)
    parts = [f"<h1>{escape(translation.title)}</h1>"]
    if wanted and lang != wanted[0]:
        note = gettext_for(wanted[0])(FALLBACK_NOTE)
        parts.insert(
            0,
            f'<p class="fallback" lang="{escape(wanted[0])}">'
            f"{escape(note.format(language=endonym(lang)))}</p>",
        )
    if translation.summary:
        parts.append(f'<p class="summary">{escape(translation.summary)}</p>')
    parts.extend(_procedure(translation, _))
    body, links = with_addresses(translation.body_html)
    parts.append(body)
    parts.append(link_codes(links, _(WEB_ADDRESSES)))
    parts.append(_footer(item, translation, _))
    return lang, parts


def _document(
    item: ItemView,
    lang: str,
    parts: list[str],
    wanted: list[str],
    *,
    large: bool,
    contrast: bool,
) -> str:
    _ = gettext_for(lang)
    caption = escape(_(TAKE_AWAY))
    query = urlencode({"lang": ",".join(wanted)})
    takeaway = (
        f'<figure class="takeaway"><img src="kiosk://qr/{escape(item.id)}?{query}" '
        f'alt="{caption}"><figcaption>{caption}</figcaption></figure>'
    )
    options = (" large" if large else "") + (" contrast" if contrast else "")
    title = item.translation(*wanted).title
    return (
        f'<!DOCTYPE html><html lang="{escape(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f'<body class="lang-{escape(lang)} kind-{escape(item.kind)}{options}">'
        + "".join(parts)
        + takeaway
        + "</body></html>"
    )


def _procedure(translation: TranslationView, gettext: Callable[[str], str]) -> list[str]:
    details = translation.details
    parts: list[str] = []
    if details.get("steps"):
        items = "".join(f"<li>{escape(step)}</li>" for step in details["steps"])
        parts.append(f'<h2>{escape(gettext(STEPS))}</h2><ol class="steps">{items}</ol>')
    for key, label in _LIST_FIELDS:
        if details.get(key):
            items = "".join(f"<li>{escape(v)}</li>" for v in details[key])
            parts.append(f'<h2>{escape(gettext(label))}</h2><ul class="checklist">{items}</ul>')
    facts = [(label, details[key]) for key, label in _TEXT_FIELDS if details.get(key)]
    if facts:
        rows = "".join(
            f"<dt>{escape(gettext(label))}</dt><dd>{escape(value)}</dd>" for label, value in facts
        )
        parts.append(f'<dl class="facts">{rows}</dl>')
    return parts


def _footer(item: ItemView, translation: TranslationView, gettext: Callable[[str], str]) -> str:
    bits = []
    # The agency's name in the page's language when the translation gives it; else its name
    # as the publisher wrote it, marked as not translated (a reader's tools leave it alone).
    translated = str(translation.details.get("source") or "")
    if translated:
        bits.append(f"{escape(gettext(SOURCE))}: {escape(translated)}")
    elif item.source:
        bits.append(f'{escape(gettext(SOURCE))}: <span translate="no">{escape(item.source)}</span>')
    if item.updated:
        when = format_date(item.updated, format="long", locale=babel_locale(translation.lang))
        bits.append(f"{escape(gettext(LAST_UPDATED))}: {escape(when)}")
    return f"<footer>{' · '.join(bits)}</footer>" if bits else ""
