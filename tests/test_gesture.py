"""The hidden corner gesture opens only on purpose."""

from __future__ import annotations

import random

from kiosk.app.gesture import CornerTaps


def tap(g: CornerTaps, x: float, y: float, t: float, *, move: float = 0, hold: float = 0.1) -> bool:
    g.press(x, y, t)
    return g.release(x + move, y + move, t + hold)


def test_five_quick_corner_taps_open_it() -> None:
    g = CornerTaps(1920, 1080)
    assert [tap(g, 1900, 20, t * 0.4) for t in range(5)] == [False] * 4 + [True]
    # and the count starts again afterwards
    assert not tap(g, 1900, 20, 3.0)


def test_the_first_tap_must_follow_a_quiet_moment() -> None:
    g = CornerTaps(1920, 1080)
    tap(g, 960, 540, 10.0)  # a traveller's tap elsewhere
    assert not any(tap(g, 1900, 20, 10.5 + t * 0.3) for t in range(12))  # straight after
    assert [tap(g, 1900, 20, 20.0 + t * 0.3) for t in range(5)][-1]  # after a pause


def test_taps_on_a_control_in_the_corner_do_not_count() -> None:
    g = CornerTaps(1920, 1080)
    for t in range(8):  # an impatient traveller hammering the language button
        g.press(1900, 20, t * 0.3)
        assert not g.release(1900, 20, t * 0.3 + 0.1, on_control=True)


def test_the_left_corner_is_a_gesture_of_its_own() -> None:
    left, right = CornerTaps(1920, 1080, corner="left"), CornerTaps(1920, 1080)
    results = [(tap(left, 20, 20, t * 0.4), tap(right, 20, 20, t * 0.4 + 0.2)) for t in range(5)]
    assert results[-1] == (True, False)


def test_slow_taps_drags_long_presses_and_other_places_do_not() -> None:
    g = CornerTaps(1920, 1080)
    assert not any(tap(g, 1900, 20, t * 0.9) for t in range(5))  # 3.6 s: too slow
    g = CornerTaps(1920, 1080)
    assert not any(tap(g, 1900, 20, t * 0.3, move=40) for t in range(8))  # scrolling
    g = CornerTaps(1920, 1080)
    assert not any(tap(g, 1900, 20, t * 0.3, hold=1.0) for t in range(8))  # long presses
    g = CornerTaps(1920, 1080)
    taps = [tap(g, 1900, 20, 0.1 * t) for t in range(4)]
    taps.append(tap(g, 960, 540, 0.5))  # a traveller's tap in between resets the count
    taps.append(tap(g, 1900, 20, 0.6))
    assert not any(taps)


def test_a_day_of_random_traveller_taps_never_opens_it() -> None:
    rng = random.Random(11)
    g = CornerTaps(1920, 1080)
    t = 0.0
    for _ in range(50_000):
        t += rng.uniform(0.15, 3.0)
        x, y = rng.uniform(0, 1920), rng.uniform(0, 1080)
        assert not tap(g, x, y, t, move=rng.choice([0, 0, 3, 30]), hold=rng.uniform(0.05, 0.4))
