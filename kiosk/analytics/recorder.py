"""The one small event API the interface calls. What one traveller does stays in memory until
the session ends; then each distinct thing adds 1 to its cell, and the memory is dropped.
No session id, person id or exact time is ever written."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from kiosk.analytics.counters import Cell, Term, UsageCounters
from kiosk.analytics.scrub import scrubbed
from kiosk.storage import WRITE_ERRORS, first_line

log = logging.getLogger("kiosk.usage")
LENGTH_BUCKETS = ((30, "0-30s"), (120, "30s-2min"), (300, "2-5min"))


def length_bucket(seconds: float) -> str:
    return next((name for limit, name in LENGTH_BUCKETS if seconds < limit), "5min+")


@dataclass
class _Session:
    started: dt.datetime
    began: float
    cells: set[Cell] = field(default_factory=set)
    searches: dict[tuple[str, str], bool] = field(default_factory=dict)  # → found nothing
    scrubbed: set[str] = field(default_factory=set)


class Recorder(Protocol):
    """What the interface tells about a traveller's use of the kiosk."""

    @property
    def counters(self) -> UsageCounters | None: ...  # the figures, where there are any

    @property
    def in_session(self) -> bool: ...  # a traveller's session is being followed

    @property
    def last_failure(self) -> str | None: ...

    def session_started(self) -> None: ...
    def language_chosen(self, lang: str) -> None: ...
    def category_opened(self, category_id: str) -> None: ...
    def item_opened(self, item_id: str, lang: str) -> None: ...
    def qr_shown(self, item_id: str) -> None: ...
    def assisted_used(self) -> None: ...
    def keyboard_used(self, layout: str) -> None: ...
    def searched(self, lang: str, text: str, results: int) -> None: ...
    def session_ended(self) -> None: ...


class NullRecorder:
    """A recorder that counts nothing, for a tour of the screens: its walks through every
    screen are not travellers, and on a deployed kiosk they would reach the hub as usage."""

    counters: UsageCounters | None = None
    in_session = False
    last_failure: str | None = None

    def session_started(self) -> None:
        pass

    def language_chosen(self, lang: str) -> None:
        pass

    def category_opened(self, category_id: str) -> None:
        pass

    def item_opened(self, item_id: str, lang: str) -> None:
        pass

    def qr_shown(self, item_id: str) -> None:
        pass

    def assisted_used(self) -> None:
        pass

    def keyboard_used(self, layout: str) -> None:
        pass

    def searched(self, lang: str, text: str, results: int) -> None:
        pass

    def session_ended(self) -> None:
        pass


class UsageRecorder:
    def __init__(
        self,
        counters: UsageCounters,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.counters, self.clock, self.monotonic = counters, clock, monotonic
        self.current: _Session | None = None
        # Why the last session's figures could not be saved, until a later session's are:
        # the maintenance panel says figures are not being saved while it is set.
        self.last_failure: str | None = None

    @property
    def in_session(self) -> bool:
        return self.current is not None

    # -- events --------------------------------------------------------------------------------
    def session_started(self) -> None:
        if self.current is None:
            self.current = _Session(self.clock(), self.monotonic())

    def language_chosen(self, lang: str) -> None:
        self._cell("language", lang)

    def category_opened(self, category_id: str) -> None:
        self._cell("category", category_id)

    def item_opened(self, item_id: str, lang: str) -> None:
        self._cell("item", item_id, lang)

    def qr_shown(self, item_id: str) -> None:
        self._cell("qr", item_id)

    def assisted_used(self) -> None:
        self._cell("assisted")

    def keyboard_used(self, layout: str) -> None:
        self._cell("keyboard", layout)

    def searched(self, lang: str, text: str, results: int) -> None:
        if self.current is None:
            return
        term = scrubbed(text)
        if term is None:
            if text.strip():
                self.current.scrubbed.add(lang)
            return
        self.current.searches[(lang, term)] = results == 0

    def session_ended(self) -> None:
        """Count the session (if anything happened) and forget it."""
        session, self.current = self.current, None
        if session is None:
            return
        seconds = self.monotonic() - session.began
        daily = set(session.cells)
        daily.add(Cell("session_length", length_bucket(seconds)))
        terms = _final_terms(session.searches)
        for lang in {t.lang for t in terms}:
            outcomes = {t.found_nothing for t in terms if t.lang == lang}
            daily |= {Cell("search", lang, "zero" if nothing else "some") for nothing in outcomes}
        daily |= {Cell("search_scrubbed", lang) for lang in session.scrubbed}
        try:
            self.counters.add_session(session.started, [Cell("sessions")], daily, terms)
        except WRITE_ERRORS as exc:
            # A full disk or a read-only file system costs one session's figures, never the
            # traveller's screen; the log and the panel say why.
            self.last_failure = first_line(exc)
            log.warning("usage figures of a session not saved: %s", self.last_failure)
        else:
            self.last_failure = None

    def _cell(self, metric: str, dim1: str = "", dim2: str = "") -> None:
        if self.current is not None:
            self.current.cells.add(Cell(metric, dim1, dim2))


def _final_terms(searches: dict[tuple[str, str], bool]) -> set[Term]:
    """What was searched for, without the prefixes typed on the way ("v", "vi", "vis" …)."""
    kept = set()
    for (lang, term), nothing in searches.items():
        longer = any(
            other != term and other.startswith(term)
            for (other_lang, other) in searches
            if other_lang == lang
        )
        if not longer:
            kept.add(Term(lang, term, nothing))
    return kept
