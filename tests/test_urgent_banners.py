"""A provincial key cannot flood its gates' home screens with urgent banners.

A province may flag notices urgent for its own gates, at most ``PROVINCIAL_URGENT`` of them
reach the banners; the national channel's always do, first; and whatever the count and length
of the notices, the banner area keeps the categories on the screen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractScrollArea, QPushButton, QWidget

from kiosk.app.session import Place, Screen
from kiosk.content.store import PROVINCIAL_URGENT
from kiosk.sync import status as st
from ui.screens.home import SHOWN_BANNERS

from .conftest import open_kiosk
from .feedkit import FeedLab
from .helpers.ui import close_window, tap

DAY = dt.date(2026, 12, 1)
FLOOD = 25
NATIONAL_TITLE = "Border closed on 2 December from 22:00"


def flood_title(n: int) -> str:
    return f"URGENT {n}: " + "go to the counter at the back and scan this code " * 8


def publish_national_notice(lab: FeedLab) -> None:
    lab.set_title(NATIONAL_TITLE)
    item = lab.source / "items" / "procedures" / "evisa" / "item.toml"
    text = item.read_text(encoding="utf-8").replace("urgent = false", "urgent = true")
    item.write_text(text, encoding="utf-8")
    lab.publish()
    assert lab.sync().last_outcome == st.OK


def publish_flood(lab: FeedLab, count: int = FLOOD) -> list[str]:
    """``count`` urgent notices, of the highest priority, signed by Quang Ninh's key for its
    gate Mong Cai; returns their ids."""
    ids = [f"flood-{n}" for n in range(count)]
    fields = {"gates": ["mong-cai"], "urgent": True, "priority": 100, "kind": "notice"}
    folder = lab.province_source(item={"id": ids[0], **fields})
    for n, item_id in enumerate(ids):
        item = folder / "items" / item_id
        item.mkdir(exist_ok=True)
        (item / "item.toml").write_text(
            f'id = "{item_id}"\nkind = "notice"\ncategory = "services"\ngates = ["mong-cai"]\n'
            'urgent = true\npriority = 100\nsource = "Province"\n',
            encoding="utf-8",
        )
        (item / "en.md").write_text(
            f'+++\ntitle = "{flood_title(n)}"\n+++\nScan the code.\n', encoding="utf-8"
        )
    lab.publish(folder)
    status = lab.sync()
    assert status.last_outcome == st.OK, status.last_error
    return ids


@pytest.fixture
def flooded(tmp_path: Path):
    lab = FeedLab(tmp_path)
    lab.publish()
    assert lab.sync().last_outcome == st.OK
    publish_national_notice(lab)
    ids = publish_flood(lab)
    yield lab, ids
    lab.close()


def test_a_province_gets_a_few_urgent_notices_and_the_nation_all(flooded) -> None:
    lab, ids = flooded
    assert set(ids) <= set(lab.titles())  # every notice is kept, and listed in its category
    notices = lab.store.urgent_notices("mong-cai", DAY)
    assert notices[0].id == "evisa"  # the national notice first, whatever the priorities
    provincial = [n.id for n in notices[1:]]
    assert len(provincial) == PROVINCIAL_URGENT and set(provincial) <= set(ids)
    services = {i.id for i in lab.store.items("mong-cai", DAY, category="services")}
    assert set(ids) <= services
    # Another gate sees only the national notice.
    assert [n.id for n in lab.store.urgent_notices("noi-bai", DAY)] == ["evisa"]


def on_screen(widget: QWidget, window: QWidget) -> bool:
    """The whole widget is drawn inside the window, at its full height (not squeezed), and not
    scrolled out of view."""
    rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
    if not window.rect().contains(rect) or widget.height() < widget.minimumSizeHint().height():
        return False
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            port = parent.viewport()
            seen = QRect(port.mapTo(window, port.rect().topLeft()), port.size())
            if not seen.contains(rect):
                return False
        parent = parent.parentWidget()
    return True


@pytest.mark.gui
@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_urgent_banners_keep_the_categories_on_screen(qtbot, flooded, size) -> None:
    lab, _ids = flooded
    gate = lab.store.gate("mong-cai")
    assert gate is not None
    window = open_kiosk(lab.store, gate, today=lambda: DAY)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    try:
        tap(qtbot, window.start_screen.buttons["en"])
        home = window.home_screen
        qtbot.waitUntil(lambda: all(t.isVisible() for t in home.tiles.values()), timeout=3000)
        assert (window.width(), window.height()) == size  # the window did not grow
        assert home.tiles
        for category, tile in home.tiles.items():
            assert on_screen(tile, window), category  # type: ignore[arg-type]
        banners = [w for w in home.findChildren(QPushButton) if w.objectName() == "banner"]
        shown = [b for b in banners if b.isVisible()]
        assert len(shown) <= SHOWN_BANNERS + 1  # the banners and "All urgent notices"
        assert NATIONAL_TITLE in shown[0].text()  # the national notice still shows
        for banner in shown:
            assert on_screen(banner, window) and banner.accessibleName()
        more = home.more_notices
        assert more is not None and more in shown
        assert more.accessibleName() == more.text().removeprefix("⚠  ")
        tap(qtbot, more)
        listed = window.notices_screen.buttons
        assert list(listed) == [n.id for n in lab.store.urgent_notices("mong-cai", DAY)]
        assert len(listed) == 1 + PROVINCIAL_URGENT
        assert window.crumbs.text().endswith("Urgent notices")
        with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
            tap(qtbot, listed["evisa"])
        assert window.session.place == Place(Screen.ITEM, "evisa")
    finally:
        assert window.item_screen  # made now, not by its timer once the window is gone
        close_window(window)
