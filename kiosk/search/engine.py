"""Answering a query: bounded-cost paths over the index, merged into one ranked list.

Per keystroke, in order, each only while fewer results than asked for are found:
1. title, keywords and title keys, the last word as a prefix; ranked by bm25 when at most
   ``RANK_LIMIT`` items match (more means the query is still unspecific: priority order);
2. summary and body, whole words only;
3. substring (trigram) of titles and keywords for scripts written without spaces;
4. typo correction of words of 5+ letters (one edit; two from 9), with a "did you mean";
5. the other languages of the content, marked as such.
Only items valid today and shown at the gate are considered; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import Connection
from sqlalchemy.exc import OperationalError

from kiosk.content.index import indexed_languages, table_suffix
from kiosk.content.store import ContentStore
from kiosk.text.analysis import Analyser, analyser_for, jamo

RANK_LIMIT = 200
MAX_QUERY_CHARS = 200
MAX_TOKENS = 12
# Candidates of one FTS table that are visible today at the gate. Parameters: gate (for the
# gate-specific bonus), the FTS5 expression, today twice, gate.
_QUERY = (
    "SELECT d.item_id, {rank}, i.priority, "
    "EXISTS (SELECT 1 FROM item_gate g WHERE g.item_id = i.id AND g.gate_id = ?) "
    "FROM {table} JOIN search_doc d ON d.docid = {table}.rowid JOIN item i ON i.id = d.item_id "
    "WHERE {table} MATCH ? AND (i.valid_from IS NULL OR i.valid_from <= ?) "
    "AND (i.valid_until IS NULL OR i.valid_until >= ?) "
    "AND EXISTS (SELECT 1 FROM item_gate g WHERE g.item_id = i.id AND g.gate_id IN ('*', ?)) "
    "LIMIT {limit}"
)
# Base score of each path: a title match always outranks a body match, and so on.
TITLE, BODY, SUBSTRING, TYPO_PENALTY, OTHER_LANGUAGE = 3.0, 2.0, 1.5, 1.0, -3.0


@dataclass(frozen=True)
class Hit:
    item_id: str
    lang: str  # language of the title shown
    title: str
    score: float
    matched_lang: str  # language the query matched in
    path: str
    summary: str = ""  # in the language of the title
    category: str = ""
    icon: str = ""  # the pictogram its category declares

    @property
    def other_language(self) -> bool:
        return self.lang != self.matched_lang or self.path == "other-language"


@dataclass
class SearchResult:
    query: str
    lang: str
    hits: list[Hit] = field(default_factory=list)
    suggestion: str | None = None  # "did you mean", when a typo was corrected
    took_ms: float = 0.0


def quote(token: str) -> str:
    """One FTS5 string: whatever the traveller typed is data, never query syntax."""
    return '"' + token.replace('"', '""') + '"'


class SearchEngine:
    def __init__(self, store: ContentStore) -> None:
        self.store = store
        self._vocabulary: dict[tuple[str, int], dict[str, list[tuple[str, int]]]] = {}
        self._indexed: tuple[str | None, list[str]] | None = None

    def search(
        self, query: str, lang: str, gate_id: str, today: dt.date | None = None, limit: int = 10
    ) -> SearchResult:
        started = time.perf_counter()
        result = SearchResult(query, lang)
        text = query[:MAX_QUERY_CHARS]
        params = {"today": (today or dt.date.today()).isoformat(), "gate": gate_id}
        with self.store.engine.connect() as conn:
            languages = self._languages(conn)
            found: dict[str, tuple[float, str, str]] = {}  # item → (score, matched lang, path)
            if lang in languages:
                self._search_language(conn, text, lang, params, limit, found, result)
            if len(found) < limit:
                for other in [x for x in languages if x != lang]:
                    extra: dict[str, tuple[float, str, str]] = {}
                    self._paths(conn, text, other, params, limit, extra)
                    for item_id, (score, matched, _path) in extra.items():
                        if item_id not in found:
                            found[item_id] = (score + OTHER_LANGUAGE, matched, "other-language")
                    if len(found) >= limit:
                        break
            result.hits = self._hits(conn, found, lang, limit)
        result.took_ms = (time.perf_counter() - started) * 1000
        return result

    def _languages(self, conn: Connection) -> list[str]:
        """Indexed languages, looked up once per content revision (a scan is not free)."""
        revision = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'revision'").scalar()
        if self._indexed is None or self._indexed[0] != revision:
            self._indexed = (revision, indexed_languages(conn))
        return self._indexed[1]

    # -- paths -------------------------------------------------------------------------------
    def _search_language(
        self,
        conn: Connection,
        text: str,
        lang: str,
        params: dict[str, str],
        limit: int,
        found: dict[str, tuple[float, str, str]],
        result: SearchResult,
    ) -> None:
        self._paths(conn, text, lang, params, limit, found)
        analyser = analyser_for(lang)
        if len(found) >= 3 or not analyser.typo_tolerant:
            return
        corrected = self._correct(conn, analyser, analyser.words(text)[:MAX_TOKENS])
        if corrected is None:
            return
        before = len(found)
        fixed: dict[str, tuple[float, str, str]] = {}
        self._word_paths(conn, corrected, lang, params, limit, fixed, complete_last=True)
        for item_id, (score, matched, path) in fixed.items():
            if item_id not in found:
                found[item_id] = (score - TYPO_PENALTY, matched, "typo:" + path)
        if len(found) > before:
            result.suggestion = " ".join(corrected)

    def _paths(
        self,
        conn: Connection,
        text: str,
        lang: str,
        params: dict[str, str],
        limit: int,
        found: dict[str, tuple[float, str, str]],
    ) -> None:
        analyser = analyser_for(lang)
        tokens = analyser.words(text)[:MAX_TOKENS]
        complete_last = text[-1:].isspace()
        if tokens:
            self._word_paths(conn, tokens, lang, params, limit, found, complete_last)
        if len(found) < limit and analyser.substring:
            compact = analyser.compact(text)
            if len(compact) >= 3:
                for item_id, _rank, priority, local in self._run(
                    conn, f"search_g_{table_suffix(lang)}", quote(compact), params, "0"
                ):
                    found.setdefault(
                        item_id, (SUBSTRING + _bonus(priority, local), lang, "substring")
                    )

    def _word_paths(
        self,
        conn: Connection,
        tokens: list[str],
        lang: str,
        params: dict[str, str],
        limit: int,
        found: dict[str, tuple[float, str, str]],
        complete_last: bool,
    ) -> None:
        s = table_suffix(lang)
        analyser = analyser_for(lang)
        words = [quote(t) for t in tokens]
        if not complete_last:
            words[-1] += "*"
        expression = "{title keywords alt} : (" + " ".join(words) + ")"
        if lang == "ko" and not complete_last:
            # Korean input methods show half-built syllables (역 on the way to 여권).
            keys = [quote(jamo(t)) for t in tokens]
            keys[-1] += "*"
            expression += " OR {alt} : (" + " ".join(keys) + ")"
        rows = self._run(
            conn, f"search_t_{s}", expression, params, f"bm25(search_t_{s}, 10.0, 8.0, 5.0)"
        )
        for item_id, relevance, priority, local in _relevances(rows):
            found.setdefault(item_id, (TITLE + relevance + _bonus(priority, local), lang, "title"))
        if len(found) >= limit:
            return
        # Bodies have no prefix index: only whole words, or a last word long enough to be
        # selective (a short prefix over every body is what makes naive search slow).
        body = [quote(t) for t in (tokens if complete_last else tokens[:-1])]
        if not complete_last and len(tokens[-1]) >= 4 and not analyser.substring:
            body.append(quote(tokens[-1]) + "*")
        if not body:
            return
        rows = self._run(
            conn, f"search_b_{s}", " ".join(body), params, f"bm25(search_b_{s}, 4.0, 1.0)"
        )
        for item_id, relevance, priority, local in _relevances(rows):
            found.setdefault(item_id, (BODY + relevance + _bonus(priority, local), lang, "body"))

    def _run(
        self, conn: Connection, table: str, expression: str, params: dict[str, str], rank: str
    ) -> list[tuple[str, float, int, int]]:
        sql = _QUERY.format(rank=rank, table=table, limit=RANK_LIMIT + 1)
        values = (params["gate"], expression, params["today"], params["today"], params["gate"])
        try:
            return [
                (row[0], row[1], row[2], row[3]) for row in conn.exec_driver_sql(sql, values).all()
            ]
        except OperationalError:
            # An expression FTS5 still cannot parse after quoting is a query with no results.
            return []

    # -- typos -------------------------------------------------------------------------------
    def _correct(self, conn: Connection, analyser: Analyser, tokens: list[str]) -> list[str] | None:
        vocabulary = self._vocabulary_of(conn, analyser.lang)
        corrected, changed = [], False
        for token in tokens:
            # One edit for words of 5+ letters, two for words of 9+ (8 typed letters may be a
            # 9-letter word missing one).
            allowed = 2 if len(token) >= 8 else 1 if len(token) >= 5 else 0
            candidates = vocabulary.get(token[:1], [])
            if allowed == 0 or any(term == token for term, _ in candidates):
                corrected.append(token)
                continue
            terms = [term for term, _ in candidates if abs(len(term) - len(token)) <= allowed]
            matches = [
                match
                for match in process.extract(
                    token, terms, scorer=Levenshtein.distance, score_cutoff=allowed, limit=8
                )
                if match[1] <= 1 or min(len(match[0]), len(token)) >= 8
            ]
            if not matches:
                corrected.append(token)
                continue
            frequency = dict(candidates)
            best = min(matches, key=lambda m: (m[1], -frequency[m[0]]))[0]
            corrected.append(best)
            changed = True
        return corrected if changed else None

    def _vocabulary_of(self, conn: Connection, lang: str) -> dict[str, list[tuple[str, int]]]:
        revision = self.store.revision()
        key = (lang, revision)
        if key not in self._vocabulary:
            self._vocabulary = {k: v for k, v in self._vocabulary.items() if k[1] == revision}
            by_initial: dict[str, list[tuple[str, int]]] = {}
            for term, docs in conn.exec_driver_sql(
                f"SELECT term, doc FROM search_v_{table_suffix(lang)}"
            ).all():
                if len(term) >= 3:
                    by_initial.setdefault(term[:1], []).append((term, docs))
            self._vocabulary[key] = by_initial
        return self._vocabulary[key]

    # -- results -----------------------------------------------------------------------------
    def _hits(
        self, conn: Connection, found: dict[str, tuple[float, str, str]], lang: str, limit: int
    ) -> list[Hit]:
        best = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))[:limit]
        if not best:
            return []
        ids = [item_id for item_id, _ in best]
        titles: dict[str, dict[str, tuple[str, str]]] = {}
        kinds: dict[str, tuple[str, str]] = {}  # item → (category, its icon)
        for item_id, tlang, title, summary, category, icon in conn.exec_driver_sql(
            "SELECT t.item_id, t.lang, t.title, t.summary, i.category_id, c.icon "
            "FROM translation t JOIN item i ON i.id = t.item_id "
            "LEFT JOIN category c ON c.id = i.category_id "
            f"WHERE t.item_id IN ({','.join('?' * len(ids))})",
            tuple(ids),
        ).all():
            titles.setdefault(item_id, {})[tlang] = (title, summary or "")
            kinds[item_id] = (category, icon or "")
        hits = []
        for item_id, (score, matched, path) in best:
            names = titles.get(item_id, {})
            shown = lang if lang in names else matched if matched in names else next(iter(names))
            title, summary = names[shown]
            category, icon = kinds[item_id]
            hits.append(
                Hit(item_id, shown, title, round(score, 4), matched, path, summary, category, icon)
            )
        return hits


def _relevances(rows: list[tuple[str, float, int, int]]) -> list[tuple[str, float, int, int]]:
    """bm25 (negative, lower is better) as a share of the best match of the same path.

    More than ``RANK_LIMIT`` matches means the query is still unspecific: every match then
    counts the same and priority decides (the rows come in priority order already).
    """
    if len(rows) > RANK_LIMIT:
        return [(item_id, 0.0, priority, local) for item_id, _, priority, local in rows]
    best = max((-rank for _, rank, _, _ in rows), default=0.0)
    return [
        (item_id, (-rank / best) * 0.9 if best > 0 else 0.0, priority, local)
        for item_id, rank, priority, local in rows
    ]


def _bonus(priority: int, local: int) -> float:
    """Editorial priority and items specific to this gate rank higher among equals."""
    return max(min(priority, 100), 0) / 1000 + (0.05 if local else 0.0)
