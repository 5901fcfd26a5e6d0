"""The normative example (shared design folder) imports exactly as it is, and reads back whole."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore

from .conftest import EXAMPLE


def test_example_round_trip(store: ContentStore) -> None:
    report = import_source(store, load_source(EXAMPLE))
    assert sorted(report.added) == ["emergency-numbers", "evisa"]

    gates = {g.id: g for g in store.gates()}
    assert list(gates) == ["mong-cai", "noi-bai"]
    assert gates["mong-cai"].type == "road" and gates["mong-cai"].country == "CN"
    assert gates["mong-cai"].languages == ("vi", "zh", "en")
    assert gates["mong-cai"].name("zh") == "芒街国际口岸"
    assert gates["noi-bai"].country is None
    assert gates["noi-bai"].languages == ("vi", "en", "zh", "ko", "ja", "ru", "fr")

    categories = {c.id: c for c in store.categories("noi-bai", dt.date(2025, 7, 1))}
    assert categories["visa"].parent == "procedures"
    assert categories["procedures"].name("en") == "Entry and exit procedures"
    assert categories["procedures"].item_count == 1  # e-visa, through its sub-category
    assert categories["services"].icon == "help" and categories["services"].order == 6

    evisa = store.item("evisa", "noi-bai", dt.date(2025, 7, 1))
    assert evisa is not None
    assert (evisa.kind, evisa.category, evisa.priority) == ("procedure", "visa", 10)
    assert evisa.tags == ("visa", "online") and evisa.audiences == ("visitor",)
    assert evisa.valid_from == dt.date(2023, 8, 15) and evisa.valid_until is None
    assert evisa.updated == dt.date(2025, 6, 1)
    assert evisa.source == "Immigration Department, Ministry of Public Security"
    assert set(evisa.translations) == {"en", "vi"}
    vi = evisa.translations["vi"]
    assert vi.title == "Thị thực điện tử (e-visa)"
    assert vi.keywords == ("evisa", "visa điện tử")
    assert len(vi.details["steps"]) == 4
    assert vi.details["fee"] == "25 USD một lần, 50 USD nhiều lần"
    assert vi.details["documents"][0] == "Hộ chiếu còn hạn ít nhất 6 tháng"
    assert "<strong>tối đa 90 ngày</strong>" in vi.body_html

    svg = (EXAMPLE / "items/procedures/evisa/media/counter.svg").read_bytes()
    sha = hashlib.sha256(svg).hexdigest()
    assert f'src="kiosk://media/{sha}"' in evisa.translations["en"].body_html
    assert "media/counter.svg" not in evisa.translations["en"].body_html
    found = store.media(sha)
    assert found is not None and found[0].read_bytes() == svg and found[1] == "image/svg+xml"

    emergency = store.item("emergency-numbers", "mong-cai", dt.date(2025, 7, 1))
    assert emergency is not None and set(emergency.translations) == {"en", "zh"}
    assert "<td>113</td>" in emergency.translations["zh"].body_html
    assert emergency.translations["zh"].keywords == ("求助", "医院", "事故")


def test_zh_hans_files_are_the_same_language(example: Path, store: ContentStore) -> None:
    folder = example / "items/services/emergency-numbers"
    (folder / "zh.md").rename(folder / "zh-Hans.md")
    import_source(store, load_source(example))
    item = store.item("emergency-numbers", "noi-bai")
    assert item is not None and "zh" in item.translations


def test_decomposed_text_is_stored_composed(example: Path, store: ContentStore) -> None:
    import unicodedata

    vi = example / "items/procedures/evisa/vi.md"
    vi.write_text(unicodedata.normalize("NFD", vi.read_text(encoding="utf-8")), encoding="utf-8")
    import_source(store, load_source(example))
    item = store.item("evisa", "noi-bai")
    assert item is not None
    assert item.translations["vi"].title == "Thị thực điện tử (e-visa)"
    assert unicodedata.is_normalized("NFC", item.translations["vi"].body_html)
