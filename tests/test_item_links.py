"""Links in an item's body: another item opens from a "See also" button, Back returns; the
address of a web link is printed with its own code."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEngineScript

from kiosk.app.session import Place, Screen
from ui.kiosk_window import KioskWindow

from .helpers.ui import open_item, page_text, tap

pytestmark = pytest.mark.gui


def element_centre(qtbot, window: KioskWindow, selector: str) -> QPoint:
    """Where ``selector``'s first element is on the view, scrolled into sight. The page runs no
    script of its own: this one runs in the application's world, as a test's eyes."""
    script = (
        f"(function(){{var e=document.querySelector({json.dumps(selector)});"
        "if(!e)return null;e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
        "return JSON.stringify([r.left+r.width/2,r.top+r.height/2]);})()"
    )
    page = window.item_screen.view.page()
    with qtbot.waitCallback(timeout=10000) as callback:
        page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback)
    assert callback.args[0], f"no {selector} on the page"
    x, y = json.loads(callback.args[0])
    zoom = window.item_screen.view.zoomFactor()
    return QPoint(round(x * zoom), round(y * zoom))


def tap_in_page(qtbot, window: KioskWindow, selector: str) -> None:
    """A finger on an element of the item page, through the view like real input."""
    point = element_centre(qtbot, window, selector)
    qtbot.wait(200)  # let the scroll settle before the finger comes down
    target = window.item_screen.view.focusProxy()
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


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
