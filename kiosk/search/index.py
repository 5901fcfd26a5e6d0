"""The search index: per-language FTS5 tables in the content database.

Per language ``<l>``:
- ``search_t_<l>``: title, keywords and title keys (pinyin, jamo, joined syllables), with
  prefix indexes, for as-you-type matching and bm25 ranking of small match sets;
- ``search_b_<l>``: summary and body, whole words only (no prefix index: bodies are long);
- ``search_g_<l>``: trigrams of the compact title, keywords and summary, for scripts written
  without spaces, so a partial word still matches whatever the segmenter made of it;
- ``search_v_<l>``: the vocabulary of ``search_t_<l>`` (typo correction).
``search_doc`` maps FTS row ids to (item, language). Everything is written in the caller's
transaction, so the index always matches the items it sits beside.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection

from kiosk.content.views import TranslationView
from kiosk.search.analysis import ANALYSER_VERSION, analyser_for

TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
_TAG = re.compile(r"<[^>]+>")
_SAFE = re.compile(r"[^a-z0-9]")


def table_suffix(lang: str) -> str:
    return _SAFE.sub("_", lang.lower())


def plain_text(body_html: str) -> str:
    return html.unescape(_TAG.sub(" ", body_html))


def ensure_tables(conn: Connection, lang: str) -> None:
    s = table_suffix(lang)
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS search_t_{s} USING fts5("
        f"title, keywords, alt, prefix='1 2 3', tokenize=\"{TOKENIZER}\")"
    )
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS search_b_{s} USING fts5("
        f'summary, body, detail=column, tokenize="{TOKENIZER}")'
    )
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS search_v_{s} USING fts5vocab(search_t_{s}, 'row')"
    )
    if analyser_for(lang).substring:
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS search_g_{s} USING fts5(text, tokenize='trigram')"
        )


def indexed_languages(conn: Connection) -> list[str]:
    return [
        row[0] for row in conn.exec_driver_sql("SELECT DISTINCT lang FROM search_doc ORDER BY lang")
    ]


def remove_items(conn: Connection, item_ids: Iterable[str]) -> None:
    ids = list(item_ids)
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    rows = conn.exec_driver_sql(
        f"SELECT docid, lang FROM search_doc WHERE item_id IN ({marks})", tuple(ids)
    ).all()
    by_lang: dict[str, list[int]] = {}
    for docid, lang in rows:
        by_lang.setdefault(lang, []).append(docid)
    for lang, docids in by_lang.items():
        s = table_suffix(lang)
        tables = [f"search_t_{s}", f"search_b_{s}"]
        if analyser_for(lang).substring:
            tables.append(f"search_g_{s}")
        for table in tables:
            conn.exec_driver_sql(
                f"DELETE FROM {table} WHERE rowid IN ({','.join('?' * len(docids))})", tuple(docids)
            )
    conn.exec_driver_sql(f"DELETE FROM search_doc WHERE item_id IN ({marks})", tuple(ids))


def add_items(conn: Connection, items: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
    """Index items given as (item id, {lang: translation}); call in priority order.

    A translation is anything with ``title``, ``summary``, ``keywords``, ``body_html`` and
    ``details`` (a source record or a stored row).
    """
    rows: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    ready: set[str] = set()
    for item_id, translations in items:
        for lang, t in translations.items():
            if lang not in ready:
                ensure_tables(conn, lang)
                ready.add(lang)
            docid = conn.exec_driver_sql(
                "INSERT INTO search_doc (item_id, lang) VALUES (?, ?)", (item_id, lang)
            ).lastrowid
            analyser = analyser_for(lang)
            title = analyser.words(t.title)
            keywords = [w for k in t.keywords for w in analyser.words(k)]
            keys = analyser.keys(title) + analyser.keys(keywords)
            details = " ".join(v if isinstance(v, str) else " ".join(v) for v in t.details.values())
            body = analyser.words(plain_text(t.body_html) + " " + details)
            by_table = rows.setdefault(lang, {"t": [], "b": [], "g": []})
            by_table["t"].append((docid, " ".join(title), " ".join(keywords), " ".join(keys)))
            by_table["b"].append((docid, " ".join(analyser.words(t.summary)), " ".join(body)))
            if analyser.substring:
                compact = " ".join(analyser.compact(x) for x in (t.title, *t.keywords, t.summary))
                by_table["g"].append((docid, compact))
    for lang, tables in rows.items():
        s = table_suffix(lang)
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.executemany(
            f"INSERT INTO search_t_{s} (rowid, title, keywords, alt) VALUES (?, ?, ?, ?)",
            tables["t"],
        )
        driver.executemany(
            f"INSERT INTO search_b_{s} (rowid, summary, body) VALUES (?, ?, ?)", tables["b"]
        )
        if tables["g"]:
            driver.executemany(f"INSERT INTO search_g_{s} (rowid, text) VALUES (?, ?)", tables["g"])


def drop_all(conn: Connection) -> None:
    names = [
        row[0]
        for row in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search\\_%\\_%' "
            "ESCAPE '\\' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
        )
    ]
    for name in sorted(names, key=lambda n: not n.startswith("search_v_")):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {name}")
    conn.exec_driver_sql("DELETE FROM search_doc")


def rebuild(conn: Connection) -> None:
    """Index every stored item again, most important first (row ids follow priority)."""
    drop_all(conn)
    order = [
        row[0] for row in conn.exec_driver_sql("SELECT id FROM item ORDER BY priority DESC, id")
    ]
    translations: dict[str, dict[str, TranslationView]] = {}
    for row in conn.exec_driver_sql(
        "SELECT item_id, lang, title, summary, keywords, body_html, details FROM translation"
    ):
        translations.setdefault(row[0], {})[row[1]] = TranslationView(
            row[1], row[2], row[3], tuple(json.loads(row[4])), row[5], json.loads(row[6])
        )
    add_items(conn, ((item_id, translations.get(item_id, {})) for item_id in order))
    set_version(conn)


def set_version(conn: Connection) -> None:
    conn.exec_driver_sql("DELETE FROM meta WHERE key = 'search_version'")
    conn.exec_driver_sql(
        "INSERT INTO meta (key, value) VALUES ('search_version', ?)", (str(ANALYSER_VERSION),)
    )


def is_current(conn: Connection) -> bool:
    row = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'search_version'").first()
    return row is not None and row[0] == str(ANALYSER_VERSION)
