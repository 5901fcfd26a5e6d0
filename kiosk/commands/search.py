"""``kiosk search``: query the local store as the kiosk does (SPEC §5)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from kiosk.app.clock import content_today
from kiosk.commands.common import chosen_gate, open_ready_store
from kiosk.content.store import ContentStore
from kiosk.errors import ExitCode, UserError
from kiosk.search.engine import SearchEngine, SearchResult


def main(args: argparse.Namespace) -> int:
    store = open_ready_store(args)
    try:
        gate, lang = _scope(store, args.gate, args.lang)
        engine = SearchEngine(store)
        if args.stdin:
            if not args.json:
                raise UserError("--stdin answers one JSON object per line; add --json")
            for line in sys.stdin:
                query = line.rstrip("\r\n")
                result = engine.search(query, lang, gate, content_today(store), args.limit)
                print(json.dumps(_as_json(result), ensure_ascii=False), flush=True)
            return ExitCode.OK
        if args.query is None:
            raise UserError("give a query, or --stdin --json to read one query per line")
        # The kiosk's content clock, so a kiosk whose clock is behind finds what it shows.
        result = engine.search(args.query, lang, gate, content_today(store), args.limit)
        if args.json:
            print(json.dumps(_as_json(result), ensure_ascii=False))
        else:
            _print(result)
        return ExitCode.OK
    finally:
        store.close()


def _scope(store: ContentStore, gate_id: str | None, lang: str | None) -> tuple[str, str]:
    gate = chosen_gate(store, gate_id)
    languages = store.languages()
    chosen = lang or (gate.languages[0] if gate.languages else store.default_language())
    if chosen not in languages:
        raise UserError(
            (
                "language '{lang}' is not in the content (it has {known}); pass one "
                "of them with --lang"
            ).format(lang=lang, known=", ".join(languages))
        )
    return gate.id, chosen


def _as_json(result: SearchResult) -> dict[str, Any]:
    return {
        "query": result.query,
        "lang": result.lang,
        "took_ms": round(result.took_ms, 3),
        "results": [
            {"id": h.item_id, "lang": h.lang, "title": h.title, "score": h.score}
            for h in result.hits
        ],
    }


def _print(result: SearchResult) -> None:
    if result.suggestion:
        print(f"Did you mean: {result.suggestion}")
    if not result.hits:
        print("No results.")
    for number, hit in enumerate(result.hits, start=1):
        marker = f" [{hit.lang}]" if hit.lang != result.lang else ""
        print(f"{number:2}. {hit.title}{marker}  ({hit.item_id}, {hit.score:.3f})")
