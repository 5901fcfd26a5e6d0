"""The kiosk restarts itself once a night, from the start screen, after most of a day."""

from __future__ import annotations

import datetime as dt

from kiosk.app.nightly import NightlyRestart


def test_a_restart_comes_in_the_small_hours_only_when_nobody_is_there(qtbot) -> None:
    now = [dt.datetime(2026, 11, 24, 9, 0)]
    idle = [True]
    nightly = NightlyRestart(lambda: idle[0], clock=lambda: now[0])
    fired: list[bool] = []
    nightly.due.connect(lambda: fired.append(True))
    now[0] = dt.datetime(2026, 11, 25, 2, 59)  # 18 h up, not yet the hour
    nightly.check()
    now[0] = dt.datetime(2026, 11, 25, 3, 5)  # the hour, but only 18 h up
    nightly.check()
    assert fired == []
    now[0] = dt.datetime(2026, 11, 26, 3, 5)  # a day later: due, but a traveller is there
    idle[0] = False
    nightly.check()
    assert fired == []
    idle[0] = True
    nightly.check()
    nightly.check()  # once only
    assert fired == [True]
