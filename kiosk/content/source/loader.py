"""Read and validate an authoring source folder (SPEC §3.2) into records.

Every problem is collected as ``file:line: message``; a source with any problem raises
:class:`SourceInvalid` and yields nothing, so an import is all or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kiosk.content.source.errors import ErrorSink, SourceError, SourceInvalid
from kiosk.content.source.fields import SLUG, Fields, language
from kiosk.content.source.markdown import render_body
from kiosk.content.source.media import inspect_media, resolve_reference
from kiosk.content.source.records import (
    ALL_GATES,
    GATE_TYPES,
    KINDS,
    CategoryRecord,
    GateRecord,
    ItemRecord,
    Site,
    Source,
    TranslationRecord,
)
from kiosk.content.source.tomlfile import Lines, parse_toml, read_text
from kiosk.languages import babel_locale, canonical_tag

SITE_KEYS = frozenset({"publisher", "default_language", "languages"})
CATEGORY_KEYS = frozenset({"id", "parent", "icon", "order", "name"})
GATE_KEYS = frozenset({"id", "type", "province", "country", "languages", "name"})
ITEM_KEYS = frozenset(
    {
        "id",
        "kind",
        "category",
        "tags",
        "gates",
        "audiences",
        "valid_from",
        "valid_until",
        "priority",
        "urgent",
        "sensitive",
        "source",
        "updated",
    }
)
# "source": the issuing agency's name in this language (item.toml's "source" is its name as
# the publisher writes it); a page shows it in the page's language.
FRONT_KEYS = frozenset({"title", "summary", "keywords", "source"})
PROCEDURE_LISTS = ("steps", "documents", "applicants", "channels", "forms", "conditions")
PROCEDURE_TEXTS = ("fee", "duration", "agency", "legal_basis", "hours", "code", "result")
PROCEDURE_KEYS = frozenset(PROCEDURE_LISTS + PROCEDURE_TEXTS)
NATIONAL_PUBLISHER = "national"


def load_source(root: Path) -> Source:
    """Validate the source at ``root`` and return its records, or raise SourceInvalid."""
    root = Path(root)
    sink = ErrorSink(root)
    if not root.is_dir():
        raise SourceInvalid(
            [
                SourceError(
                    str(root),
                    1,
                    "source folder not found; give the path of a folder that holds site.toml",
                )
            ]
        )
    site = _load_site(root, sink)
    if site is None:
        raise SourceInvalid(sink.errors)
    categories = _load_categories(root, site, sink)
    gates = _load_gates(root, site, sink)
    items = _load_items(root, site, {c.id for c in categories}, {g.id for g in gates}, sink)
    if sink.errors:
        raise SourceInvalid(sink.errors)
    return Source(site, categories, gates, items)


def _read_table_file(root: Path, rel: str, sink: ErrorSink) -> tuple[dict[str, Any], Lines] | None:
    path = root / rel
    if not path.is_file():
        sink.add(
            rel,
            1,
            f"{rel} is missing; every source has site.toml, categories.toml and "
            "gates.toml at its top",
        )
        return None
    text = read_text(path, rel, sink)
    if text is None:
        return None
    data = parse_toml(text, rel, sink)
    return None if data is None else (data, Lines(text))


def _load_site(root: Path, sink: ErrorSink) -> Site | None:
    loaded = _read_table_file(root, "site.toml", sink)
    if loaded is None:
        return None
    data, lines = loaded
    before = len(sink.errors)
    fields = Fields(data, "site.toml", lines, sink, what="site.toml")
    fields.unknown_keys(SITE_KEYS)
    publisher = fields.slug("publisher", required=True)
    languages: list[str] = []
    for tag in fields.text_list("languages", required=True):
        try:
            lang = canonical_tag(tag)
        except ValueError as exc:
            fields.error("languages", f"{exc}; use tags like vi, en, zh, lo, km")
            continue
        if lang in languages:
            fields.error("languages", f"language '{tag}' is listed twice")
        languages.append(lang)
    if not languages and "languages" in data:
        fields.error("languages", "'languages' must list at least one language")
    default = fields.text("default_language", required=True)
    default_lang = language(default, tuple(languages)) if default else None
    if default and default_lang is None:
        fields.error("default_language", f"default_language '{default}' is not one of 'languages'")
    if len(sink.errors) > before or publisher is None or default_lang is None:
        return None
    return Site(publisher, default_lang, tuple(languages))


def _entries(
    data: dict[str, Any], name: str, rel: str, lines: Lines, sink: ErrorSink
) -> list[tuple[dict[str, Any], int, int | None]]:
    """The ``[[name]]`` tables of a file, each with its first and last text line."""
    for key in data:
        if key != name:
            sink.add(
                rel, lines.key(key), f"unknown key '{key}'; {rel} holds only [[{name}]] tables"
            )
    entries = data.get(name, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        sink.add(rel, lines.key(name), f"'{name}' must be written as [[{name}]] tables")
        return []
    if not entries:
        sink.add(rel, 1, f"{rel} defines no [[{name}]]; add at least one")
        return []
    starts = lines.tables(name)
    if len(starts) != len(entries):  # written inline: fall back to whole-file lookups
        starts = [1] * len(entries)
    bounds = [*starts[1:], lines.last + 1]
    return [
        (entry, start, end - 1) for entry, start, end in zip(entries, starts, bounds, strict=True)
    ]


def _load_categories(root: Path, site: Site, sink: ErrorSink) -> list[CategoryRecord]:
    rel = "categories.toml"
    loaded = _read_table_file(root, rel, sink)
    if loaded is None:
        return []
    data, lines = loaded
    records: list[CategoryRecord] = []
    seen: dict[str, int] = {}
    parents: list[tuple[CategoryRecord, Fields]] = []
    for entry, start, end in _entries(data, "category", rel, lines, sink):
        fields = Fields(entry, rel, lines, sink, start, end, what="[[category]]")
        fields.unknown_keys(CATEGORY_KEYS)
        cid = fields.slug("id", required=True)
        parent = fields.slug("parent")
        record = CategoryRecord(
            cid or "",
            parent,
            fields.text("icon", default="folder"),
            fields.integer("order"),
            fields.names("name", site.languages),
        )
        if cid is None:
            continue
        if cid in seen:
            fields.error("id", f"duplicate category id '{cid}' (first defined at line {seen[cid]})")
            continue
        seen[cid] = fields.line("id")
        records.append(record)
        parents.append((record, fields))
    ids = {r.id: r for r in records}
    for record, fields in parents:
        if record.parent is None:
            continue
        if record.parent not in ids:
            fields.error("parent", f"parent '{record.parent}' is not a category defined in {rel}")
            continue
        chain, current = {record.id}, ids.get(record.parent)
        while current is not None and current.parent:
            if current.id in chain:
                fields.error(
                    "parent",
                    f"category '{record.id}' is its own ancestor; break the cycle of parents",
                )
                break
            chain.add(current.id)
            current = ids.get(current.parent)
    return records


def _load_gates(root: Path, site: Site, sink: ErrorSink) -> list[GateRecord]:
    rel = "gates.toml"
    loaded = _read_table_file(root, rel, sink)
    if loaded is None:
        return []
    data, lines = loaded
    territories = babel_locale("en").territories
    records: list[GateRecord] = []
    seen: set[str] = set()
    for entry, start, end in _entries(data, "gate", rel, lines, sink):
        fields = Fields(entry, rel, lines, sink, start, end, what="[[gate]]")
        fields.unknown_keys(GATE_KEYS)
        gid = fields.slug("id", required=True)
        gate_type = fields.text("type", required=True)
        if gate_type and gate_type not in GATE_TYPES:
            fields.error(
                "type", f"unknown gate type '{gate_type}'; use one of " + ", ".join(GATE_TYPES)
            )
        province = fields.slug("province", required=True)
        country = fields.text("country") or None
        if country and (len(country) != 2 or country not in territories):
            fields.error(
                "country",
                f"country '{country}' is not an ISO 3166 two-letter code (like CN, LA, KH)",
            )
        languages: list[str] = []
        for tag in fields.text_list("languages", required=True):
            lang = language(tag, site.languages)
            if lang is None:
                fields.error("languages", f"gate language '{tag}' is not in site.toml languages")
            elif lang not in languages:
                languages.append(lang)
        if "languages" in entry and not languages:
            fields.error("languages", "a gate must offer at least one language")
        names = fields.names("name", site.languages)
        if gid is None:
            continue
        if gid in seen:
            fields.error("id", f"duplicate gate id '{gid}'")
            continue
        seen.add(gid)
        records.append(GateRecord(gid, gate_type, province or "", country, tuple(languages), names))
    return records


def _load_items(
    root: Path, site: Site, categories: set[str], gates: set[str], sink: ErrorSink
) -> list[ItemRecord]:
    items_dir = root / "items"
    if not items_dir.is_dir():
        sink.add("items", 1, "items/ folder is missing; put each item in a folder under items/")
        return []
    item_files = sorted(items_dir.rglob("item.toml"))
    item_dirs = {p.parent for p in item_files}
    items: list[ItemRecord] = []
    first_use: dict[str, str] = {}
    links: list[tuple[str, int, str]] = []
    for item_file in item_files:
        rel = item_file.relative_to(root).as_posix()
        if any(parent in item_dirs for parent in item_file.parent.parents):
            sink.add(rel, 1, "an item folder may not be inside another item's folder; move it")
            continue
        item = _load_item(root, item_file.parent, site, categories, gates, sink, links)
        if item is None:
            continue
        if item.id in first_use:
            sink.add(
                rel,
                Lines(read_text(item_file, rel, sink) or "").key("id"),
                f"duplicate id '{item.id}' (also used by {first_use[item.id]}); ids must be unique",
            )
            continue
        first_use[item.id] = rel
        items.append(item)
    for rel, line, target in links:
        if target not in first_use:
            sink.add(rel, line, f"link to unknown item '{target}'; check the id after item:")
    return items


def _load_item(
    root: Path,
    folder: Path,
    site: Site,
    categories: set[str],
    gates: set[str],
    sink: ErrorSink,
    links: list[tuple[str, int, str]],
) -> ItemRecord | None:
    rel = (folder / "item.toml").relative_to(root).as_posix()
    text = read_text(folder / "item.toml", rel, sink)
    data = None if text is None else parse_toml(text, rel, sink)
    if data is None or text is None:
        return None
    before = len(sink.errors)
    fields = Fields(data, rel, Lines(text), sink, what="item.toml")
    fields.unknown_keys(ITEM_KEYS)
    item_id = fields.slug("id", required=True)
    kind = fields.text("kind", required=True)
    if kind and kind not in KINDS:
        fields.error("kind", f"unknown kind '{kind}'; use one of " + ", ".join(KINDS))
    category = fields.text("category", required=True)
    if category and category not in categories:
        fields.error(
            "category",
            f"unknown category '{category}'; categories.toml defines "
            + ", ".join(sorted(categories)),
        )
    item_gates = fields.text_list("gates", required=True)
    for gate in item_gates:
        if gate != ALL_GATES and gate not in gates:
            fields.error("gates", f"unknown gate '{gate}'; use \"*\" or ids from gates.toml")
    if "gates" in data and not item_gates:
        fields.error("gates", "'gates' is empty; use [\"*\"] for every gate")
    audiences = fields.text_list("audiences")
    for audience in audiences:
        if not SLUG.match(audience):
            fields.error("audiences", f"audience '{audience}' must be a slug like visitor")
    tags = fields.text_list("tags")
    valid_from, valid_until = fields.date("valid_from"), fields.date("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        fields.error(
            "valid_until",
            f"valid_until {valid_until} is before valid_from "
            f"{valid_from}; the item would never be shown",
        )
    sensitive = fields.boolean("sensitive")
    if sensitive and site.publisher != NATIONAL_PUBLISHER:
        fields.error(
            "sensitive",
            f"sensitive items need national approval; publisher "
            f"'{site.publisher}' may not publish them",
        )
    item = ItemRecord(
        id=item_id or "",
        kind=kind,
        category=category,
        tags=tags,
        gates=item_gates,
        audiences=audiences,
        valid_from=valid_from,
        valid_until=valid_until,
        priority=fields.integer("priority"),
        urgent=fields.boolean("urgent"),
        sensitive=sensitive,
        source=fields.text("source"),
        updated=fields.date("updated"),
        folder=folder.relative_to(root).as_posix(),
    )
    _load_translations(root, folder, item, site, sink, links)
    if not item.translations and len(sink.errors) == before:
        sink.add(rel, 1, "item has no translation; add at least one <lang>.md file")
    return item if len(sink.errors) == before else None


def _load_translations(
    root: Path,
    folder: Path,
    item: ItemRecord,
    site: Site,
    sink: ErrorSink,
    links: list[tuple[str, int, str]],
) -> None:
    def media_sha(reference: str) -> tuple[str, str]:
        ref = resolve_reference(folder, reference)
        if ref.path not in item.media:
            item.media[ref.path] = inspect_media(ref)
        return item.media[ref.path].sha256, ref.path

    for entry in sorted(folder.iterdir()):
        rel = entry.relative_to(root).as_posix()
        if entry.name.startswith(".") or entry.name == "item.toml":
            continue
        if entry.is_dir():
            if entry.name != "media" and not (entry / "item.toml").exists():
                sink.add(
                    rel,
                    1,
                    f"unexpected folder '{entry.name}'; an item folder holds "
                    "item.toml, <lang>.md files and media/",
                )
            continue
        if entry.suffix != ".md":
            sink.add(
                rel,
                1,
                f"unexpected file '{entry.name}'; an item folder holds item.toml, "
                "<lang>.md files and media/",
            )
            continue
        lang = _file_language(entry.stem, rel, site, sink)
        if lang is None:
            continue
        if lang in item.translations:
            sink.add(rel, 1, f"a second file for language '{lang}'; keep one")
            continue
        translation = _load_translation(entry, rel, lang, item, sink, media_sha, links)
        if translation is not None:
            item.translations[lang] = translation


def _file_language(stem: str, rel: str, site: Site, sink: ErrorSink) -> str | None:
    try:
        lang = canonical_tag(stem)
    except ValueError:
        sink.add(rel, 1, f"'{stem}.md' is not named after a language tag; name it like en.md")
        return None
    if lang not in site.languages:
        sink.add(
            rel,
            1,
            f"language '{stem}' is not in site.toml languages ("
            + ", ".join(site.languages)
            + "); add it there or remove the file",
        )
        return None
    return lang


def _load_translation(
    path: Path,
    rel: str,
    lang: str,
    item: ItemRecord,
    sink: ErrorSink,
    media_sha: Any,
    links: list[tuple[str, int, str]],
) -> TranslationRecord | None:
    text = read_text(path, rel, sink)
    if text is None:
        return None
    lines = text.splitlines()
    if not lines or lines[0].strip() != "+++":
        sink.add(rel, 1, "must start with a line '+++' that opens the TOML front matter")
        return None
    close = next((n for n in range(1, len(lines)) if lines[n].strip() == "+++"), None)
    if close is None:
        sink.add(rel, len(lines), "front matter is not closed; add a line '+++' after it")
        return None
    front_text = "\n".join(lines[1:close])
    front = parse_toml(front_text, rel, sink, offset=1)
    if front is None:
        return None
    before = len(sink.errors)
    fields = Fields(front, rel, Lines(front_text, offset=1), sink, what="front matter")
    if item.kind == "procedure" or item.kind not in KINDS:
        # An unknown kind is reported once, in item.toml; its fields are not judged by it.
        fields.unknown_keys(FRONT_KEYS | PROCEDURE_KEYS)
    else:
        for key in front:
            if key in PROCEDURE_KEYS:
                fields.error(
                    key, f"'{key}' is only for items of kind procedure (this item is '{item.kind}')"
                )
        fields.unknown_keys(FRONT_KEYS | PROCEDURE_KEYS)
    title = fields.text("title", required=True)
    details: dict[str, Any] = {}
    for key in PROCEDURE_LISTS:
        if key in front:
            details[key] = fields.text_list(key)
    for key in PROCEDURE_TEXTS:
        if key in front:
            details[key] = fields.text(key)
    if "source" in front:
        details["source"] = fields.text("source")
    body = "\n".join(lines[close + 1 :])
    rendered, problems = render_body(body, close + 2, media_sha)
    for problem in problems:
        sink.add(rel, problem.line, problem.message)
    links.extend((rel, line, target) for line, target in rendered.item_links)
    if len(sink.errors) > before:
        return None
    return TranslationRecord(
        lang, title, fields.text("summary"), fields.text_list("keywords"), rendered.html, details
    )
