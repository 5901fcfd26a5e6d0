"""The maintenance panel on the screens a kiosk is installed on: on a standing 1080×1920 totem
as on a wall screen, an operator reaches every row and reads every button whole, without
scrolling sideways."""

from __future__ import annotations

import pytest

from .helpers.layout import layout_faults
from .helpers.ui import open_panel

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("shape", [(1920, 1080), (1080, 1920)], ids=["1920x1080", "1080x1920"])
def test_the_panel_fits_the_screen_without_scrolling_sideways(qtbot, window, shape) -> None:  # type: ignore[no-untyped-def]
    window.resize(*shape)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == shape, timeout=3000)
    panel = open_panel(qtbot, window)
    qtbot.wait(150)  # the panel's rows are laid out on the next turns
    content, viewport = panel.scroller.widget(), panel.scroller.viewport()
    # What the rows need, not what they were given (a row that needs more is cut at the edge).
    needed = content.minimumSizeHint().width()
    assert needed <= viewport.width(), f"the panel needs {needed} px in {viewport.width()} px"
    kinds = ("wide in", "outside", "words are cut")
    assert [f for f in layout_faults(window, shape) if any(k in f for k in kinds)] == []
