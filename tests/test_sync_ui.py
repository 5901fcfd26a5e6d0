"""A sync beside the live kiosk: it runs in its own process and the screen a traveller is on
shows the new content in place."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.app.session import HOME, Place, Screen
from kiosk.app.sync_service import SyncService
from kiosk.sync import status as st
from ui.kiosk_window import KioskWindow

from .feedkit import FeedLab
from .helpers.ui import kiosk_of, page_text

pytestmark = pytest.mark.gui


@pytest.fixture
def live(kiosk) -> Iterator[tuple[FeedLab, KioskWindow, SyncService]]:
    """The kiosk of conftest with its sync service (no schedule: tests start it)."""
    lab, window = kiosk
    service = kiosk_of(window).sync
    assert (service.feed, service.gate) == (str(lab.feed), "noi-bai")
    yield lab, window, service
    service.stop()


def test_the_open_item_shows_the_new_text_after_a_background_sync(qtbot, live) -> None:
    lab, window, service = live
    window.session.choose_language("en")
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
        window.session.go(Place(Screen.ITEM, "evisa"))
    assert "Electronic visa (e-visa)" in page_text(qtbot, window)
    lab.set_title("E-visa: apply 3 days ahead")
    lab.publish()
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=60000):
        assert service.sync_now()
        assert service.running
    # The traveller stayed where they were.
    assert window.session.place == Place(Screen.ITEM, "evisa")
    assert "E-visa: apply 3 days ahead" in page_text(qtbot, window)
    assert "E-visa: apply 3 days ahead" in window.crumbs.text()
    assert not service.running
    assert st.load_status(lab.kiosk).last_outcome == st.OK


def test_an_item_withdrawn_by_a_sync_leads_back_home(qtbot, live) -> None:
    import shutil

    lab, window, service = live
    window.session.choose_language("en")
    window.session.go(Place(Screen.ITEM, "emergency-numbers"))
    shutil.rmtree(lab.source / "items" / "services" / "emergency-numbers")
    lab.publish()
    with qtbot.waitSignal(service.finished, timeout=60000):
        service.sync_now()
    qtbot.waitUntil(lambda: window.session.place == HOME, timeout=5000)
    assert window.stack.currentWidget() is window.home_screen


def test_a_rejected_sync_leaves_the_screen_alone(qtbot, live) -> None:
    lab, window, service = live
    window.session.choose_language("en")
    window.session.go(HOME)
    changed: list[int] = []
    service.content_changed.connect(changed.append)
    with qtbot.waitSignal(service.finished, timeout=60000) as done:
        service.sync_now(str(lab.root / "no-such-bundle"))
    assert done.args[0].last_outcome == st.FAILED
    assert changed == [] and window.session.place == HOME
