"""Looking at and touching what is inside the item page, as a traveller's eyes and finger do.

The page runs no script of its own; these helpers' scripts run in the application's world, and
only to find where something is on the screen.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEngineScript

if TYPE_CHECKING:  # the window's module loads the web engine: only where a test makes one
    from ui.kiosk_window import KioskWindow


def run_script(qtbot: Any, window: KioskWindow, script: str) -> Any:
    """The value of ``script`` (JSON-encoded by it) in the item page."""
    page = window.item_screen.view.page()
    with qtbot.waitCallback(timeout=10000) as callback:
        page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, callback)
    value = callback.args[0]
    return None if value is None else json.loads(value)


def scroll_to(qtbot: Any, window: KioskWindow, selector: str) -> QPoint:
    """Bring the first element matching ``selector`` into sight; its centre on the view."""
    found = run_script(
        qtbot, window,
        f"(function(){{var e=document.querySelector({json.dumps(selector)});"
        "if(!e)return null;e.scrollIntoView({block:'center'});var r=e.getBoundingClientRect();"
        "return JSON.stringify([r.left+r.width/2,r.top+r.height/2]);})()",
    )  # fmt: skip
    assert found, f"no {selector} on the page"
    qtbot.wait(300)  # the scroll reaches the screen
    zoom = window.item_screen.view.zoomFactor()
    return QPoint(round(found[0] * zoom), round(found[1] * zoom))


def elements(qtbot: Any, window: KioskWindow, selector: str, what: str) -> list[Any]:
    """``what`` (a JavaScript expression of ``e``) for every element matching ``selector``."""
    result = run_script(
        qtbot, window,
        f"JSON.stringify(Array.from(document.querySelectorAll({json.dumps(selector)}))"
        f".map(function(e){{return {what};}}))",
    )  # fmt: skip
    assert isinstance(result, list)
    return result


def tap_in_page(qtbot: Any, window: KioskWindow, selector: str) -> None:
    """A finger on an element of the item page, through the view like real input."""
    point = scroll_to(qtbot, window, selector)
    target = window.item_screen.view.focusProxy()
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)


def screenshot(window: KioskWindow) -> QImage:
    """What the item view shows now, pixel for pixel."""
    return window.item_screen.view.grab().toImage()


def decoded_codes(image: QImage) -> set[str]:
    """The texts of the QR codes a real decoder (zxing-cpp) reads in ``image`` at half its
    resolution: a phone's camera about 40 cm from the glass sees each screen pixel about
    that size."""
    import zxingcpp

    half = image.scaled(
        image.width() // 2, image.height() // 2,
        Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.SmoothTransformation,
    ).convertToFormat(QImage.Format.Format_Grayscale8)  # fmt: skip
    luminance = bytes(half.constBits())  # the decoder reads it in place: keep it alive
    pixels = zxingcpp.ImageView(
        luminance, half.width(), half.height(), zxingcpp.ImageFormat.Lum, half.bytesPerLine()
    )
    found = zxingcpp.read_barcodes(pixels, formats=zxingcpp.BarcodeFormat.QRCode)
    return {code.text for code in found}
