"""Driving the kiosk window as a traveller or an operator would: taps, PINs, the panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.app.session import Place, Screen
from kiosk.i18n import gettext_for

if TYPE_CHECKING:  # the window's module loads the web engine: only where a test makes one
    from ui.kiosk_window import KioskWindow

def kiosk_of(window: KioskWindow) -> Any:
    """The kiosk a window belongs to (``ui.wiring.Kiosk``): its staff access (``.admin``),
    usage recorder (``.services.usage``), sync service (``.sync``) and session."""
    from ui.wiring import Kiosk

    found = window.findChild(Kiosk)
    assert found is not None
    return found


def admin_of(window: KioskWindow) -> Any:
    """The staff access (``ui.admin.controller.AdminController``) of a kiosk window."""
    return kiosk_of(window).admin


# The PINs the tests set: an administrator's and a staff member's.
ADMIN, STAFF = "27182818", "314159"


def tap(qtbot: Any, button: QAbstractButton) -> None:
    """A finger on ``button``, once it is on screen and can be pressed."""
    qtbot.waitUntil(button.isVisible, timeout=3000)  # new buttons are shown on the next event
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def page_text(qtbot: Any, window: KioskWindow) -> str:
    """The text of the item page the traveller sees."""
    with qtbot.waitCallback() as callback:
        window.item_screen.view.page().toPlainText(callback)
    return str(callback.args[0])


def open_item_by_tap(qtbot: Any, window: KioskWindow, button: QAbstractButton) -> str:
    """Tap a button that opens an item; the text of the page it opened."""
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000) as loaded:
        tap(qtbot, button)
    assert loaded.args == [True]
    assert window.stack.currentWidget() is window.item_screen
    return page_text(qtbot, window)


def open_item(qtbot: Any, window: KioskWindow, item_id: str, lang: str = "en") -> None:
    """Go straight to an item (in ``lang``) and wait until its page has loaded."""
    window.session.choose_language(lang)
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000) as loaded:
        window.session.go(Place(Screen.ITEM, item_id))
    assert loaded.args == [True]


def close_window(window: QWidget) -> None:
    """Close a window and delete it now: pages must go before their profile, and both
    before the application ends."""
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def assert_stays(
    qtbot: Any, state: Callable[[], object], expected: object, *, wait: int = 500
) -> None:
    """``state()`` still equals ``expected`` after ``wait`` ms of events: something that must
    not happen (a stray request, a screen change) had the time to happen and did not."""
    assert state() == expected
    qtbot.wait(wait)
    assert state() == expected


class Clock:
    """The controller's clock: 0.1 s passes at every reading, more when a test pauses."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        self.t += 0.1
        return self.t


def corner_taps(
    qtbot: Any, window: KioskWindow, corner: str = "right", count: int = 5, *, pause: bool = True
) -> None:
    """Taps as a finger makes them, through the window like real input; an operator first
    pauses (``pause``), a traveller does not."""
    if not isinstance(admin_of(window).clock, Clock):
        admin_of(window).clock = Clock()
    if pause:
        admin_of(window).clock.t += 5
    x = window.width() - 20 if corner == "right" else 20
    for _ in range(count):
        QTest.mouseClick(
            window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
            QPoint(x, 20),
        )  # fmt: skip


def enter(qtbot: Any, window: KioskWindow, pin: str) -> None:
    """Type ``pin`` on the PIN pad and press OK."""
    pad = admin_of(window).pad
    for digit in pin:
        tap(qtbot, pad.keys[digit])
    tap(qtbot, pad.ok_button)


enter_pin = enter


def shown(window: KioskWindow, message: str) -> str:
    """``message`` as the screen shows it, in the interface language of the moment."""
    return gettext_for(window.session.language)(message)


def actions(window: KioskWindow) -> list[str]:
    """The actions of the audit log, oldest first."""
    return [e.action for e in admin_of(window).audit.entries()]


def open_panel(qtbot: Any, window: KioskWindow) -> Any:
    """The maintenance panel, opened by the corner gesture and the admin PIN."""
    if not admin_of(window).pins.is_set("admin"):
        admin_of(window).pins.set_pin("admin", ADMIN)
    corner_taps(qtbot, window)
    enter(qtbot, window, ADMIN)
    panel = admin_of(window).panel
    assert panel is not None and window.stack.currentWidget() is panel
    wait_for_facts(qtbot, panel)
    return panel


def wait_for_facts(qtbot: Any, panel: Any) -> None:
    """The panel gathers its slow facts off the UI thread: wait until they are shown."""
    qtbot.waitUntil(lambda: not panel.status_pending, timeout=10000)
