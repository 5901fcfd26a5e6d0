"""Links in an item's body: another item opens from a "See also" button, Back returns; the
address of a web link is printed with its own code."""

from __future__ import annotations

import pytest

from kiosk.app.session import Place, Screen
from ui.kiosk_window import KioskWindow

from .helpers.page import tap_in_page
from .helpers.ui import open_item, page_text, tap

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("lang", ["lo", "zh"])
def test_a_see_also_button_opens_the_linked_item_and_back_returns(
    qtbot, window: KioskWindow, lang: str
) -> None:
    open_item(qtbot, window, "evisa", lang)
    # The tapped link's own navigation is refused (a load that fails); the item's page follows.
    with qtbot.waitSignal(
        window.item_screen.view.loadFinished, timeout=20000, check_params_cb=bool
    ):
        tap_in_page(qtbot, window, 'a[href^="kiosk://item/visa-exemption"]')
    assert window.session.place == Place(Screen.ITEM, "visa-exemption")
    exemption = window.store.item("visa-exemption", "noi-bai", window.today())
    assert exemption is not None
    assert exemption.translations[lang].title in page_text(qtbot, window)
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
        tap(qtbot, window.back_button)
    assert window.session.place == Place(Screen.ITEM, "evisa")
    evisa = window.store.item("evisa", "noi-bai", window.today())
    assert evisa is not None
    assert evisa.translations[lang].title in page_text(qtbot, window)
