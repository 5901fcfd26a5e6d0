"""Text from content is shown as the characters it is, never as Qt rich text.

A signing key holder wrote titles and names that are markup: a red "OFFICIAL NOTICE" and a
local picture (a phishing QR code, or ``/dev/zero`` and a FIFO that hang the kiosk). Every
screen and panel is walked on that content; no label may read its text as markup, and the
traveller sees the angle brackets instead of the red words and the picture.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.app.session import Place, Screen

from .conftest import open_kiosk
from .feedkit import FeedLab
from .helpers.ui import (
    STAFF,
    admin_of,
    close_window,
    corner_taps,
    enter,
    open_item_by_tap,
    open_panel,
    tap,
)
from .hostile import markup_readers, picture_pixels, publish_hostile, write_picture

pytestmark = pytest.mark.gui


@pytest.fixture
def hostile(qtbot, tmp_path: Path):
    """(window, markup): the airport's kiosk on content whose names and titles are markup."""
    lab = FeedLab(tmp_path)
    lab.publish()
    assert lab.sync().last_outcome == "ok"
    text = publish_hostile(lab, write_picture(tmp_path / "qr.png"))
    gate = lab.store.gate("noi-bai")
    assert gate is not None
    window = open_kiosk(lab.store, gate, today=lambda: dt.date(2026, 12, 1))
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    yield window, text
    close_window(window)
    lab.close()


def test_every_screen_and_panel_shows_markup_as_plain_text(qtbot, hostile) -> None:
    window, text = hostile

    def plain_everywhere(where: str) -> None:
        assert markup_readers(window) == [], where

    start = window.start_screen
    plain_everywhere("start")
    assert start.gate_name.text() == text  # the angle brackets, not red words
    assert start.attract.text() == "★  " + text  # the promoted item comes first
    assert picture_pixels(window) == 0  # no picture on the start screen
    start.advance()  # the next promotion: a title of thousands of words
    qtbot.wait(100)  # laid out again
    assert (window.width(), window.height()) == (1920, 1080)  # the languages stay on screen
    assert all(window.rect().contains(b.geometry()) for b in start.buttons.values())
    attract = start.attract.text()
    assert attract.startswith("★  Visit the market") and attract.endswith("…")

    tap(qtbot, start.buttons["en"])
    plain_everywhere("home")
    home = window.home_screen
    banners = [home.banners.itemAt(i).widget() for i in range(home.banners.count())]
    assert any(text[:40] in banner.text() for banner in banners)  # the urgent notice

    tap(qtbot, window.home_screen.tiles["procedures"])
    tap(qtbot, window.category_screen.buttons["visa"])
    plain_everywhere("category")
    assert window.category_screen.title.text() == text
    assert window.crumbs.text().endswith(text)  # breadcrumbs: Home › … › the markup

    open_item_by_tap(qtbot, window, window.category_screen.buttons["evisa"])
    plain_everywhere("item")
    assert window.crumbs.text().count(text) == 2  # the category and the item's title
    assert picture_pixels(window.bar) == 0

    window.session.search_text = "OFFICIAL"
    with qtbot.waitSignal(
        window.search_screen.results_shown, timeout=10000, check_params_cb=lambda r: bool(r.hits)
    ):
        window.session.go(Place(Screen.SEARCH))
    plain_everywhere("search")

    admin_of(window).pins.set_pin("staff", STAFF)
    window.session.reset()
    corner_taps(qtbot, window, corner="left")
    plain_everywhere("PIN pad")
    enter(qtbot, window, STAFF)
    assert admin_of(window).assisted_on
    tap(qtbot, window.start_screen.buttons["en"])
    plain_everywhere("assisted mode")
    tap(qtbot, admin_of(window).assisted.leave_button)

    panel = open_panel(qtbot, window)
    plain_everywhere("maintenance panel")
    assert panel.fact_labels["gate"][1].text() == text
    assert picture_pixels(panel) == 0
    tap(qtbot, panel.usb_button)  # no stick: a message
    plain_everywhere("panel: USB import")
    tap(qtbot, panel.save_button)
    plain_everywhere("panel: settings saved")
    tap(qtbot, panel.staff_pin_button)
    plain_everywhere("panel: PIN change")
    assert window.stack.currentWidget() is admin_of(window).pad


def test_labels_of_the_interface_never_guess_rich_text(qtbot) -> None:
    """The one way the widgets make a label: plain text even for words that look like HTML."""
    from ui.text import PlainLabel

    label = PlainLabel(None, "<img src='/dev/zero'>")
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert label.text() == "<img src='/dev/zero'>"


SHOW_START_AND_HOME = """
import datetime as dt, sys
from pathlib import Path
from ui.app import prepare_environment
prepare_environment()
from PySide6.QtWidgets import QApplication
from ui.scheme import register_scheme
register_scheme()
app = QApplication(["kiosk"])
from kiosk.app.services import open_services
from kiosk.content.store import ContentStore
from ui.wiring import Kiosk
store = ContentStore(Path(sys.argv[1]))
services = open_services(store, today=lambda: dt.date(2026, 12, 1))
window = Kiosk(services, store.gate("noi-bai"), schedule_sync=False).window
window.resize(1920, 1080)
window.show()
window.grab()
window.session.choose_language("en")
window.grab()
print("drawn")
"""


def test_a_title_naming_a_fifo_does_not_freeze_the_kiosk(tmp_path: Path) -> None:
    """Rich text would open the FIFO to read the "picture" and wait for a writer forever."""
    import os
    import subprocess
    import sys

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    lab = FeedLab(tmp_path / "lab")
    try:
        lab.publish()
        assert lab.sync().last_outcome == "ok"
        publish_hostile(lab, fifo)
    finally:
        lab.close()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run(
            [sys.executable, "-c", SHOW_START_AND_HOME, str(lab.kiosk)],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("the kiosk froze on a title that names a FIFO")
    assert done.returncode == 0 and "drawn" in done.stdout, done.stderr[-2000:]
