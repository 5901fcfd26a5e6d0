"""The hidden gesture that opens the PIN pad: five taps in a top corner within three seconds.
It is only a door, the PIN is the lock; it must simply never open by accident.

A tap is a press and release close together in place and time: a drag (scrolling) or a long
press is not one, a tap on a control or anywhere else starts the count again, and the first
tap must follow a quiet moment, so a traveller hammering a button never opens it. Pure logic,
fed by the window's event filter, so it is tested without widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TAPS = 5
WINDOW_SECONDS = 3.0
CORNER = 90  # px: the corner square, small enough not to hold a control's centre
MAX_MOVE = 12  # px between press and release
MAX_PRESS = 0.6  # s between press and release
QUIET = 2.0  # s without any input before the first tap: hammering a button never becomes one


@dataclass
class CornerTaps:
    width: int
    height: int
    corner: str = "right"  # top-right or top-left
    _taps: list[float] = field(default_factory=list)
    _press: tuple[float, float, float] | None = None
    _last_input: float = float("-inf")
    _input_before: float = float("-inf")

    def resize(self, width: int, height: int) -> None:
        self.width, self.height = width, height

    def press(self, x: float, y: float, t: float) -> None:
        self._press = (x, y, t)
        self._input_before, self._last_input = self._last_input, t

    def release(self, x: float, y: float, t: float, *, on_control: bool = False) -> bool:
        """True when this release completes the gesture. A tap on a control (a button, a
        field) is the traveller using it, never part of the gesture."""
        press, self._press = self._press, None
        if press is None or on_control:
            self._taps.clear()
            return False
        px, py, pt = press
        is_tap = abs(x - px) <= MAX_MOVE and abs(y - py) <= MAX_MOVE and t - pt <= MAX_PRESS
        in_x = px >= self.width - CORNER if self.corner == "right" else px <= CORNER
        in_corner = in_x and py <= CORNER
        if not (is_tap and in_corner):
            self._taps.clear()
            return False
        self._taps = [s for s in self._taps if t - s <= WINDOW_SECONDS]
        if not self._taps and pt - self._input_before < QUIET:
            return False  # a first tap right after other input: someone is busy, not asking
        self._taps.append(t)
        if len(self._taps) >= TAPS:
            self._taps.clear()
            return True
        return False
