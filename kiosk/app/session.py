"""One traveller's session: language, place in the screens, search text; reset when idle.

Uses QtCore only (a timer and signals), so it runs in tests without widgets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.content.views import GateView

DEFAULT_IDLE_SECONDS = 90
# When the idle time runs out on a traveller's screen, "Need more time?" is asked this long
# before the screen starts over: someone reading a long page keeps it with one tap.
GRACE_SECONDS = 12


class Screen(Enum):
    """The traveller's screens."""

    START = "start"
    HOME = "home"
    CATEGORY = "category"
    ITEM = "item"
    SEARCH = "search"
    NOTICES = "notices"


@dataclass(frozen=True)
class Place:
    """Where the traveller is: a screen and what it shows (a category or item id, a query)."""

    screen: Screen
    target: str = ""


START = Place(Screen.START)
HOME = Place(Screen.HOME)


class Session(QObject):
    """Navigation history and choices of the traveller at the screen now."""

    language_changed = Signal(str)
    place_changed = Signal(object)  # Place
    reset_done = Signal()
    timed_out = Signal()  # the idle countdown ran out (emitted before the reset)
    more_time_offered = Signal(int)  # idle: seconds left to say "continue" before the reset
    more_time_closed = Signal()  # someone touched the screen (or it reset): the offer is over

    def __init__(
        self,
        gate: GateView,
        idle_seconds: int = DEFAULT_IDLE_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.gate = gate
        self.language = gate.languages[0] if gate.languages else "en"
        self.history: list[Place] = [START]
        self.search_text = ""
        # Staff access is on (PIN pad, panel, assisted mode): the countdown runs on every
        # screen, the start screen included, so what staff left open closes by itself.
        self.staff_access = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(idle_seconds * 1000)
        self._idle.timeout.connect(self._idle_elapsed)
        self.grace_seconds = GRACE_SECONDS
        self._grace = QTimer(self)
        self._grace.setSingleShot(True)
        self._grace.timeout.connect(self.idle_timeout)

    @property
    def place(self) -> Place:
        return self.history[-1]

    @property
    def idle_seconds(self) -> int:
        """How long the screen may stay untouched before it starts over."""
        return self._idle.interval() // 1000

    @property
    def counting_down(self) -> bool:
        """Whether the idle countdown runs (on the start screen it waits for a traveller)."""
        return self._idle.isActive()

    @property
    def offering_more_time(self) -> bool:
        """Whether "Need more time?" is asked now (the last seconds before the reset)."""
        return self._grace.isActive()

    def _idle_elapsed(self) -> None:
        """The idle time ran out: a traveller is asked first; staff's screens just close."""
        if self.staff_access or self.grace_seconds <= 0:
            self.idle_timeout()
            return
        self._grace.start(self.grace_seconds * 1000)
        self.more_time_offered.emit(self.grace_seconds)

    def idle_timeout(self) -> None:
        """Time is up: back to the start screen for the next traveller."""
        self.timed_out.emit()
        self.reset()

    def set_idle_seconds(self, seconds: int) -> None:
        self._idle.setInterval(seconds * 1000)

    def touched(self) -> None:
        """Someone did something: the idle countdown starts again (on the start screen only
        while staff access is on)."""
        if self._grace.isActive():
            self._grace.stop()
            self.more_time_closed.emit()
        if self.place != START or self.staff_access:
            self._idle.start()

    def choose_language(self, lang: str) -> None:
        self.language = lang
        self.language_changed.emit(lang)
        if self.place == START:
            self.go(HOME)

    def go(self, place: Place) -> None:
        if place == HOME:
            self.history = [START, HOME]
        elif place != self.place:
            self.history.append(place)
        self.touched()
        self.place_changed.emit(self.place)

    def back(self) -> None:
        if len(self.history) > 2:
            self.history.pop()
        self.touched()
        self.place_changed.emit(self.place)

    def wanted_languages(self) -> list[str]:
        return list(dict.fromkeys([self.language, *self.gate.languages]))

    def reset(self) -> None:
        """Back to the start screen; language, search text and history forgotten."""
        self._idle.stop()
        self._grace.stop()
        self.more_time_closed.emit()  # also when its countdown ran out
        self.language = self.gate.languages[0] if self.gate.languages else "en"
        self.history = [START]
        self.search_text = ""
        self.reset_done.emit()
        self.language_changed.emit(self.language)
        self.place_changed.emit(self.place)
