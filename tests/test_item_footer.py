"""The footer of an item page names its source in the page's language."""

from __future__ import annotations

import pytest

from ui.kiosk_window import KioskWindow

from .helpers.page import elements
from .helpers.ui import open_item, shown

pytestmark = pytest.mark.gui

SOURCES = {
    "zh": "公安部出入境管理局",
    "lo": "ກົມຄຸ້ມຄອງຄົນເຂົ້າ-ອອກເມືອງ, ກະຊວງປ້ອງກັນຄວາມສະຫງົບ",
    "km": "នាយកដ្ឋានអន្តោប្រវេសន៍ ក្រសួងសន្តិសុខសាធារណៈ",
    "vi": "Cục Quản lý xuất nhập cảnh, Bộ Công an",
}


@pytest.mark.parametrize("lang", sorted(SOURCES))
def test_the_source_is_named_in_the_page_language(qtbot, window: KioskWindow, lang: str) -> None:
    open_item(qtbot, window, "evisa", lang)
    (footer,) = elements(qtbot, window, "footer", "e.textContent")
    assert f"{shown(window, 'Source')}: {SOURCES[lang]} · " in footer
    assert "Ministry of Public Security" not in footer


def test_a_source_without_its_translation_is_the_publisher_name_left_untranslated(
    window: KioskWindow,
) -> None:
    """A translation that does not name its source in its language: the footer gives the name
    as the publisher wrote it, marked so that nothing passes it off as translated."""
    from dataclasses import replace

    from kiosk.content.page import item_page

    item = window.store.item("evisa", "noi-bai", window.today())
    assert item is not None
    zh = item.translations["zh"]
    details = {k: v for k, v in zh.details.items() if k != "source"}
    page = item_page(replace(item, translations={"zh": replace(zh, details=details)}), ["zh"])
    footer = page[page.index("<footer>") :]
    assert '<span translate="no">Immigration Department, Ministry of Public Security</span>' in (
        footer
    )
