"""Links in an item's body: another item opens from a "See also" button, Back returns; the
address of a web link is printed with its own code."""

from __future__ import annotations

import pytest

from kiosk.app.session import Place, Screen
from ui.kiosk_window import KioskWindow

from .helpers.page import decoded_codes, elements, screenshot, scroll_to, tap_in_page
from .helpers.ui import open_item, page_text, tap

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("lang", ["lo", "zh"])
def test_a_see_also_button_opens_the_linked_item_and_back_returns(
    qtbot, window: KioskWindow, lang: str
) -> None:
    open_item(qtbot, window, "evisa", lang)
    exemption = window.store.item("visa-exemption", "noi-bai", window.today())
    evisa = window.store.item("evisa", "noi-bai", window.today())
    assert exemption is not None and evisa is not None
    # The tapped link's own navigation is refused (a load that fails); the item's page follows:
    # wait for what the traveller sees, not for one load signal among several.
    tap_in_page(qtbot, window, 'a[href^="kiosk://item/visa-exemption"]')
    qtbot.waitUntil(
        lambda: window.session.place == Place(Screen.ITEM, "visa-exemption"), timeout=20000
    )
    qtbot.waitUntil(
        lambda: exemption.translations[lang].title in page_text(qtbot, window), timeout=20000
    )
    tap(qtbot, window.back_button)
    qtbot.waitUntil(lambda: window.session.place == Place(Screen.ITEM, "evisa"), timeout=20000)
    qtbot.waitUntil(
        lambda: evisa.translations[lang].title in page_text(qtbot, window), timeout=20000
    )


@pytest.mark.parametrize("lang", ["lo", "km"])
def test_a_web_link_shows_its_address_and_a_code_for_it(
    qtbot, window: KioskWindow, lang: str
) -> None:
    """The kiosk cannot open a web link: the traveller reads the address beside it, or scans
    a code of its own that a phone reads off the screen."""
    open_item(qtbot, window, "evisa", lang)
    printed = elements(
        qtbot, window, "a[data-external-url]",
        "[e.textContent, e.nextElementSibling ? e.nextElementSibling.textContent : '']",
    )  # fmt: skip
    assert printed and all(address == "evisa.gov.vn" for _text, address in printed)
    scroll_to(qtbot, window, "section.links figure")
    # The engine paints the page a moment after it scrolls: look until the code is read.
    qtbot.waitUntil(
        lambda: "https://evisa.gov.vn" in decoded_codes(screenshot(window)), timeout=10000
    )


def test_see_also_buttons_are_large_and_lists_have_plain_bullets(
    qtbot, window: KioskWindow
) -> None:
    open_item(qtbot, window, "evisa", "zh")
    (size,) = elements(
        qtbot, window, 'a[href^="kiosk://item/"]',
        "[e.getBoundingClientRect().width, e.getBoundingClientRect().height]",
    )  # fmt: skip
    assert min(size) >= 64  # a finger's target, as every control of the kiosk
    marks = elements(
        qtbot, window, "ul.checklist li",
        "[getComputedStyle(e, '::before').content, getComputedStyle(e).listStyleType]",
    )  # fmt: skip
    assert marks and all("\u2610" not in before and style == "disc" for before, style in marks)
