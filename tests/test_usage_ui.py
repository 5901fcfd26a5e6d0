"""The kiosk counts what travellers do, anonymously, and the panel shows and exports it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from kiosk.analytics.counters import DB_NAME
from kiosk.app.session import Place, Screen

from .helpers.ui import admin_of, open_panel, tap
from .usbkit import plug_stick

pytestmark = pytest.mark.gui


def cells(window) -> dict[tuple[str, str, str], int]:
    with closing(sqlite3.connect(window.store.data_dir / "usage" / DB_NAME)) as conn:
        rows = conn.execute("SELECT metric, dim1, dim2, sum(value) FROM counts GROUP BY 1, 2, 3")
        return {(m, a, b): v for m, a, b, v in rows}


def test_a_traveller_session_is_counted_once_it_ends(qtbot, kiosk, monkeypatch, tmp_path) -> None:
    _lab, window = kiosk
    tap(qtbot, window.start_screen.buttons["en"])
    window.session.go(Place(Screen.CATEGORY, "visa"))
    window.session.go(Place(Screen.ITEM, "evisa"))
    window.session.go(Place(Screen.SEARCH))
    with qtbot.waitSignal(window.search_screen.results_shown, timeout=10000):
        window.search_screen.field.setText("B1234567")  # a passport number: never kept
    with qtbot.waitSignal(window.search_screen.results_shown, timeout=10000):
        window.search_screen.field.setText("emergency")
    assert cells(window) == {}  # nothing is written while the traveller is there
    window.session.reset()
    counted = cells(window)
    assert counted[("sessions", "", "")] == 1
    assert counted[("language", "en", "")] == 1
    assert counted[("category", "visa", "")] == 1
    assert counted[("item", "evisa", "en")] == 1
    assert counted[("search", "en", "some")] == 1
    assert counted[("search_scrubbed", "en", "")] == 1
    with closing(sqlite3.connect(window.store.data_dir / "usage" / DB_NAME)) as conn:
        assert conn.execute("SELECT plaintext FROM terms").fetchall() == [(None,)]
    # The panel shows today's sessions and exports to a USB stick.
    panel = open_panel(qtbot, window)
    assert panel.chart.isVisible() and panel.chart.values[-1] == (dt.date.today(), 1)
    stick = plug_stick(monkeypatch, tmp_path)
    tap(qtbot, panel.export_button)
    exported = next(stick.glob("kiosk-usage-*.csv")).read_text(encoding="utf-8")
    assert ",sessions,,,1" in exported and "B1234567" not in exported
    assert admin_of(window).audit.entries()[-1].action == "usage-exported"
