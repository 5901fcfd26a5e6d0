"""The kiosk on the screens it is installed on: a 1920×1080 wall screen, a 1366×768 desk screen
and a 1080×1920 standing totem. At each, a traveller walks every screen in Latin, Lao and Khmer:
nothing leaves the window, no control is smaller than a fingertip (64 px), no text smaller than
24 px, in the widgets and on the item page. Low reach keeps all of that true."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtWebEngineCore import QWebEngineScript

from kiosk.app.session import HOME
from ui.kiosk_window import KioskWindow

from .helpers.layout import MIN_TEXT, layout_faults
from .helpers.ui import open_item_by_tap, tap

pytestmark = pytest.mark.gui
SHAPES = [(1920, 1080), (1366, 768), (1080, 1920)]
SHAPE_IDS = ["1920x1080", "1366x768", "1080x1920"]

# The page as drawn: the smallest text, and whether anything is wider than the view.
PAGE_FACTS = """JSON.stringify({
  smallest: Math.min(...Array.from(document.body.querySelectorAll('*'))
    .filter(e => e.offsetParent !== null && Array.from(e.childNodes)
      .some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => parseFloat(getComputedStyle(e).fontSize))),
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth
})"""


def run_js(qtbot: Any, window: KioskWindow, script: str) -> Any:
    """Evaluate ``script`` beside the page (its own scripts stay off) and return its JSON."""
    with qtbot.waitCallback(timeout=5000) as callback:
        window.item_screen.view.page().runJavaScript(
            script, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback
        )
    return json.loads(callback.args[0])


def on_screen(qtbot: Any, window: KioskWindow, shape: tuple[int, int], where: str) -> None:
    qtbot.wait(150)  # new buttons and the re-laid-out window appear on the next turns
    faults = layout_faults(window, shape)
    assert faults == [], (where, faults)


def shaped(qtbot: Any, window: KioskWindow, shape: tuple[int, int]) -> None:
    window.resize(*shape)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == shape, timeout=3000)


@pytest.mark.parametrize("lang", ["en", "lo", "km"])
@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_every_screen_fits_the_screen(
    qtbot, window: KioskWindow, shape: tuple[int, int], lang: str
) -> None:
    shaped(qtbot, window, shape)
    on_screen(qtbot, window, shape, "start")
    tap(qtbot, window.start_screen.buttons[lang])
    on_screen(qtbot, window, shape, "home")
    tap(qtbot, window.home_screen.tiles["procedures"])
    tap(qtbot, window.category_screen.buttons["visa"])
    on_screen(qtbot, window, shape, "category")
    open_item_by_tap(qtbot, window, window.category_screen.buttons["evisa"])
    on_screen(qtbot, window, shape, "item")
    page = run_js(qtbot, window, PAGE_FACTS)
    assert page["smallest"] >= MIN_TEXT, page
    assert page["overflow"] <= 0, page
    tap(qtbot, window.home_button)
    tap(qtbot, window.home_screen.search)
    on_screen(qtbot, window, shape, "search")


@pytest.mark.parametrize("shape", SHAPES, ids=SHAPE_IDS)
def test_low_reach_keeps_everything_on_screen_and_a_way_back(
    qtbot, window: KioskWindow, shape: tuple[int, int]
) -> None:
    shaped(qtbot, window, shape)
    tap(qtbot, window.start_screen.buttons["lo"])
    tap(qtbot, window.reach_button)
    qtbot.waitUntil(lambda: window.bar.y() > window.height() // 2, timeout=3000)
    on_screen(qtbot, window, shape, "home")
    tap(qtbot, window.home_screen.tiles["procedures"])
    tap(qtbot, window.category_screen.buttons["visa"])
    on_screen(qtbot, window, shape, "category")
    open_item_by_tap(qtbot, window, window.category_screen.buttons["evisa"])
    on_screen(qtbot, window, shape, "item")
    tap(qtbot, window.home_button)
    tap(qtbot, window.home_screen.search)
    on_screen(qtbot, window, shape, "search")
    # The way back is on the screen: the same switch puts the bar at the top again.
    tap(qtbot, window.reach_button)
    qtbot.waitUntil(lambda: window.bar.y() < window.height() // 2, timeout=3000)
    on_screen(qtbot, window, shape, "search, low reach off")
    window.session.go(HOME)
    on_screen(qtbot, window, shape, "home, low reach off")


def test_tour_draws_the_screen_shape_it_is_given(qtbot, content, tmp_path) -> None:
    import datetime as dt

    from PySide6.QtGui import QImage

    from kiosk.cli import build_parser
    from kiosk.content.store import ContentStore
    from ui.tour import render_tour

    args = build_parser().parse_args(["tour", "--out", str(tmp_path), "--size", "1080x1920"])
    assert args.size == (1080, 1920)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["tour", "--out", str(tmp_path), "--size", "wide"])
    store = ContentStore(content)
    written: list[str] = []
    render_tour(store, tmp_path, ["lao-bao"], written.append, today=dt.date(2026, 12, 1),
                size=args.size)  # fmt: skip
    store.close()
    assert len(written) == 1 + 4 * 3
    for path in written:
        picture = QImage(path)
        assert (picture.width(), picture.height()) == (1080, 1920), path
