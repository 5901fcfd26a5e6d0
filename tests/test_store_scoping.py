"""Validity windows, gate scope and audiences are applied by the store's own queries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore


def _item(
    folder: Path,
    item_id: str,
    *,
    gates: str = '["*"]',
    extra: str = "",
    category: str = "services",
    audiences: str = '["visitor"]',
) -> None:
    target = folder / "items" / item_id
    target.mkdir(parents=True)
    (target / "item.toml").write_text(
        f'id = "{item_id}"\nkind = "notice"\ncategory = "{category}"\ngates = {gates}\n'
        f"audiences = {audiences}\n{extra}\n",
        encoding="utf-8",
    )
    (target / "en.md").write_text(
        f'+++\ntitle = "Title of {item_id}"\n+++\nBody.\n', encoding="utf-8"
    )


@pytest.fixture
def scoped(example: Path, store: ContentStore) -> ContentStore:
    _item(example, "expired", extra="valid_from = 2024-01-01\nvalid_until = 2024-12-31")
    _item(example, "future", extra="valid_from = 2030-01-01")
    _item(example, "window", extra="valid_from = 2025-03-01\nvalid_until = 2025-03-31")
    _item(example, "mong-cai-only", gates='["mong-cai"]')
    _item(example, "residents-only", audiences='["resident"]')
    _item(example, "urgent-now", extra="urgent = true\nvalid_until = 2025-12-31")
    _item(example, "urgent-old", extra="urgent = true\nvalid_until = 2024-12-31")
    import_source(store, load_source(example))
    return store


TODAY = dt.date(2025, 6, 15)


def ids(summaries: list) -> set[str]:
    return {s.id for s in summaries}


def test_expired_and_future_items_never_reach_a_caller(scoped: ContentStore) -> None:
    visible = ids(scoped.items("noi-bai", TODAY))
    assert "expired" not in visible and "future" not in visible
    assert scoped.item("expired", "noi-bai", TODAY) is None
    assert scoped.item("future", "noi-bai", TODAY) is None
    assert scoped.item("future", "noi-bai", dt.date(2030, 1, 1)) is not None


def test_validity_bounds_are_inclusive(scoped: ContentStore) -> None:
    for day, shown in [
        ((2025, 2, 28), False),
        ((2025, 3, 1), True),
        ((2025, 3, 31), True),
        ((2025, 4, 1), False),
    ]:
        assert (scoped.item("window", "noi-bai", dt.date(*day)) is not None) is shown, day


def test_items_of_another_gate_are_hidden(scoped: ContentStore) -> None:
    assert "mong-cai-only" in ids(scoped.items("mong-cai", TODAY))
    assert "mong-cai-only" not in ids(scoped.items("noi-bai", TODAY))
    assert scoped.item("mong-cai-only", "noi-bai", TODAY) is None
    assert scoped.item("mong-cai-only", "mong-cai", TODAY) is not None


def test_audience_filter(scoped: ContentStore) -> None:
    residents = ids(scoped.items("mong-cai", TODAY, audience="resident"))
    assert residents == {"residents-only", "emergency-numbers"}  # the latter: visitor+resident
    assert "residents-only" in ids(scoped.items("mong-cai", TODAY))


def test_category_counts_ignore_hidden_items(scoped: ContentStore) -> None:
    counts = {c.id: c.item_count for c in scoped.categories("noi-bai", TODAY)}
    # emergency-numbers, residents-only, urgent-now (the March window is over in June)
    assert counts["services"] == 3
    assert {c.id: c.item_count for c in scoped.categories("mong-cai", TODAY)}["services"] == 4


def test_categories_without_visible_items_are_not_offered(
    example: Path, store: ContentStore
) -> None:
    _item(example, "only-future", category="visa", extra="valid_from = 2030-01-01")
    (example / "items/procedures/evisa/item.toml").write_text(
        (example / "items/procedures/evisa/item.toml")
        .read_text()
        .replace('gates = ["*"]', 'gates = ["mong-cai"]'),
        encoding="utf-8",
    )
    import_source(store, load_source(example))
    offered = {c.id for c in store.categories("noi-bai", TODAY)}
    assert offered == {"services"}


def test_urgent_banner_holds_only_current_urgent_notices(scoped: ContentStore) -> None:
    assert ids(scoped.urgent_notices("noi-bai", TODAY)) == {"urgent-now"}
    assert ids(scoped.urgent_notices("noi-bai", dt.date(2026, 1, 1))) == set()


def test_items_in_a_category_include_sub_categories(scoped: ContentStore) -> None:
    assert ids(scoped.items("noi-bai", TODAY, category="procedures")) == {"evisa"}
    assert ids(scoped.items("noi-bai", TODAY, category="visa")) == {"evisa"}


def test_higher_priority_first(scoped: ContentStore) -> None:
    order = [s.id for s in scoped.items("mong-cai", TODAY)]
    assert order.index("emergency-numbers") < order.index("evisa")  # priority 20 over 10
