"""The search index: per-language FTS5 tables in the content database.

Per language ``<l>``:
- ``search_t_<l>``: title, keywords and title keys (pinyin, jamo, joined syllables), with
  prefix indexes, for as-you-type matching and bm25 ranking of small match sets;
- ``search_b_<l>``: summary and body, whole words only (no prefix index: bodies are long);
- ``search_g_<l>``: trigrams of the compact title and keywords, for scripts written
  without spaces, so a partial word still matches whatever the segmenter made of it;
- ``search_v_<l>``: the vocabulary of ``search_t_<l>`` (typo correction).
``search_doc`` maps FTS row ids to (item, language). Everything is written in the caller's
transaction, so the index always matches the items it sits beside: the content store owns the
index (the importer writes it with the items), and ``kiosk.search`` only reads it.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from sqlalchemy import Connection

from kiosk.content.views import TranslationView
from kiosk.text.analysis import ANALYSER_VERSION, analyser_for

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
    # Bodies and trigrams are contentless (content=''): storing their analysed text again
    # would double the database. Rows are deleted with FTS5's 'delete' command, from the
    # analysis of the stored translation (see remove_items).
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS search_b_{s} USING fts5("
        f"summary, body, content='', detail=column, tokenize=\"{TOKENIZER}\")"
    )
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS search_v_{s} USING fts5vocab(search_t_{s}, 'row')"
    )
    if analyser_for(lang).substring:
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS search_g_{s} USING fts5("
            f"text, content='', tokenize='trigram')"
        )


def indexed_languages(conn: Connection) -> list[str]:
    return [
        row[0] for row in conn.exec_driver_sql("SELECT DISTINCT lang FROM search_doc ORDER BY lang")
    ]


def remove_items(conn: Connection, item_ids: Iterable[str]) -> None:
    """Take items out of the index; call before their stored translations change or go."""
    ids = list(item_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        _remove(
            conn,
            conn.exec_driver_sql(
                f"{_STORED_DOCS} WHERE d.item_id IN ({marks})", tuple(chunk)
            ).all(),
        )


def remove_docs(conn: Connection, docs: Iterable[tuple[str, str]]) -> None:
    """Take single translations, given as (item id, language), out of the index."""
    wanted = set(docs)
    by_item = sorted({item_id for item_id, _lang in wanted})
    for start in range(0, len(by_item), 500):
        chunk = by_item[start : start + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.exec_driver_sql(
            f"{_STORED_DOCS} WHERE d.item_id IN ({marks})", tuple(chunk)
        ).all()
        _remove(conn, [r for r in rows if (r[0], r[2]) in wanted])


# A stored translation with its index row id; the analysis of its text says what to delete.
_STORED_DOCS = (
    "SELECT d.item_id, d.docid, d.lang, t.title, t.summary, t.keywords, t.body_html, t.details "
    "FROM search_doc d JOIN translation t ON t.item_id = d.item_id AND t.lang = d.lang"
)


def _remove(conn: Connection, rows: Sequence[Any]) -> None:
    """Delete index rows. Contentless tables forget their text, so the rows to delete are
    analysed again from the stored translations (the analyser is the same one that indexed
    them: an index made by another version is rebuilt, never patched)."""
    if not rows:
        return
    driver = conn.connection.driver_connection
    assert driver is not None
    for _item_id, docid, lang, title, summary, keywords, body_html, details in rows:
        s = table_suffix(lang)
        _t_row, (summary_text, body), compact = analyse(
            (lang, title, summary, tuple(json.loads(keywords)), body_html, json.loads(details))
        )
        driver.execute(f"DELETE FROM search_t_{s} WHERE rowid = ?", (docid,))
        driver.execute(
            f"INSERT INTO search_b_{s} (search_b_{s}, rowid, summary, body) "
            "VALUES ('delete', ?, ?, ?)",
            (docid, summary_text, body),
        )
        if compact is not None:
            driver.execute(
                f"INSERT INTO search_g_{s} (search_g_{s}, rowid, text) VALUES ('delete', ?, ?)",
                (docid, compact),
            )
    driver.executemany("DELETE FROM search_doc WHERE docid = ?", [(r[1],) for r in rows])


# (lang, title, summary, keywords, body_html, details): what analysis needs of a translation.
Doc = tuple[str, str, str, tuple[str, ...], str, dict[str, Any]]
# Analysed rows: (title, keywords, keys), (summary, body), compact text or None.
Analysed = tuple[tuple[str, str, str], tuple[str, str], str | None]

# Below this many translations the analysis runs in this process; above, on every core.
PARALLEL_FROM = 5000


def analyse(doc: Doc) -> Analysed:
    """Index text of one translation (pure: runs in worker processes for large batches)."""
    lang, title_text, summary, keyword_texts, body_html, details = doc
    analyser = analyser_for(lang)
    title = analyser.words(title_text)
    keywords = [w for k in keyword_texts for w in analyser.words(k)]
    keys = analyser.keys(title) + analyser.keys(keywords)
    extra = " ".join(v if isinstance(v, str) else " ".join(v) for v in details.values())
    body = analyser.words(plain_text(body_html) + " " + extra)
    compact = None
    if analyser.substring:
        compact = " ".join(analyser.compact(x) for x in (title_text, *keyword_texts))
    return (
        (" ".join(title), " ".join(keywords), " ".join(keys)),
        (" ".join(analyser.words(summary)), " ".join(body)),
        compact,
    )


def _analyse_chunk(docs: list[Doc]) -> list[Analysed]:
    return [analyse(doc) for doc in docs]


def _analysed(docs: list[Doc]) -> Iterator[Analysed]:
    if len(docs) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        yield from map(analyse, docs)
        return
    # Spawned workers (not forked): the caller may be a Qt process with threads of its own.
    chunks = [docs[i : i + 1000] for i in range(0, len(docs), 1000)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=context) as pool:
        for analysed in pool.map(_analyse_chunk, chunks):
            yield from analysed


def add_items(conn: Connection, items: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
    """Index items given as (item id, {lang: translation}); call in priority order.

    A translation is anything with ``title``, ``summary``, ``keywords``, ``body_html`` and
    ``details`` (a source record or a stored row).
    """
    docs: list[tuple[int, str, str]] = []
    texts: list[Doc] = []
    docid = conn.exec_driver_sql("SELECT coalesce(max(docid), 0) FROM search_doc").scalar() or 0
    for item_id, translations in items:
        for lang, t in translations.items():
            docid += 1
            docs.append((docid, item_id, lang))
            texts.append(
                (lang, t.title, t.summary, tuple(t.keywords), t.body_html, dict(t.details))
            )
    for lang in {lang for _docid, _item_id, lang in docs}:
        ensure_tables(conn, lang)
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.executemany("INSERT INTO search_doc (docid, item_id, lang) VALUES (?, ?, ?)", docs)
    rows: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    pending = 0
    for (docid, _item_id, lang), (t_row, b_row, compact) in zip(
        docs, _analysed(texts), strict=True
    ):
        by_table = rows.setdefault(lang, {"t": [], "b": [], "g": []})
        by_table["t"].append((docid, *t_row))
        by_table["b"].append((docid, *b_row))
        if compact is not None:
            by_table["g"].append((docid, compact))
        pending += 1
        if pending == 2000:  # write while the workers analyse the next documents
            _write(driver, rows)
            rows, pending = {}, 0
    _write(driver, rows)


def _write(driver: Any, rows: dict[str, dict[str, list[tuple[Any, ...]]]]) -> None:
    for lang, tables in rows.items():
        s = table_suffix(lang)
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
