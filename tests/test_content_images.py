"""An item's text shows only the item's own media: never a QR code the kiosk would draw on
demand, never another item's media, whether it comes from a source, a feed or the page."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.source import load_source
from kiosk.content.source.records import ItemRecord
from kiosk.feed.packs import Pack, read_pack, write_pack
from kiosk.sync import status as st

from .conftest import Edit
from .feedkit import FeedLab
from .helpers.ui import assert_stays

QR_IMAGE = '<img src="kiosk://qr/evisa?lang=en" alt="scan me">'


def test_content_check_reports_a_qr_image_with_its_file_and_line(
    example: Path, edit: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    edit("items/procedures/evisa/en.md", lambda text: text + f"\nScan this: {QR_IMAGE}\n")
    lines = (example / "items/procedures/evisa/en.md").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "kiosk://qr" in text)
    assert main(["content", "check", str(example)]) == 1
    err = capsys.readouterr().err
    assert (
        f"items/procedures/evisa/en.md:{line}: image 'kiosk://qr/evisa?lang=en' is not allowed"
        in err
    ), err


def test_content_check_reports_another_items_media_address(
    example: Path, edit: Edit, capsys: pytest.CaptureFixture[str]
) -> None:
    evisa = next(i for i in load_source(example).items if i.id == "evisa")
    sha = next(iter(evisa.media.values())).sha256
    edit(
        "items/services/emergency-numbers/en.md",
        lambda text: text + f'\n<img src="kiosk://media/{sha}">\n',
    )
    assert main(["content", "check", str(example)]) == 1
    assert f"image 'kiosk://media/{sha}' is not allowed" in capsys.readouterr().err


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[FeedLab]:
    made = FeedLab(tmp_path)
    made.publish()
    assert made.sync().last_outcome == st.OK
    yield made
    made.close()


def _feed_blobs(lab: FeedLab) -> dict[str, tuple[str, int]]:
    """How the feed stores the media blobs it holds, from its current snapshot."""
    manifest = lab.manifest()
    path = manifest["snapshot"]["path"]
    current = read_pack(
        lab.repository().target_bytes("national", path) or b"",
        name=path,
        channel="national",
        revision_from=0,
        revision_to=manifest["revision"],
    )
    return current.blobs


def _pack(lab: FeedLab, items: list[ItemRecord], blobs: dict[str, tuple[str, int]]) -> bytes:
    """A national snapshot of ``items`` for the channel's next revision."""
    revision = lab.manifest()["revision"] + 1
    return write_pack(Pack("national", 0, revision, None, items, [], blobs))


def _with_body(item: ItemRecord, lang: str, extra: str) -> ItemRecord:
    translation = item.translations[lang]
    changed = dataclasses.replace(translation, body_html=translation.body_html + extra)
    return dataclasses.replace(item, translations={**item.translations, lang: changed})


def test_a_feed_record_showing_a_qr_image_is_refused_and_nothing_is_applied(
    lab: FeedLab,
) -> None:
    items = {i.id: i for i in load_source(lab.source).items}
    evisa_media = next(iter(items["evisa"].media.values())).sha256
    renamed = dataclasses.replace(
        items["evisa"],
        translations={
            **items["evisa"].translations,
            "en": dataclasses.replace(items["evisa"].translations["en"], title="Renamed"),
        },
    )
    blobs = _feed_blobs(lab)
    for extra in (QR_IMAGE, f'<img src="kiosk://media/{evisa_media}">'):
        hostile = _with_body(items["emergency-numbers"], "en", extra)
        before = lab.state()
        lab.publish_pack(_pack(lab, [renamed, hostile], blobs))
        status = lab.sync()
        assert status.last_outcome == st.REJECTED, status.last_error
        assert "item 'emergency-numbers' (en): its text shows the image 'kiosk://" in (
            status.last_error or ""
        )
        assert "not one of the item's own media files" in (status.last_error or "")
        assert lab.state() == before  # the good record of the same pack is not applied either
        assert lab.titles()["evisa"] != "Renamed"


def test_a_feed_record_showing_its_own_media_is_applied(lab: FeedLab) -> None:
    evisa = next(i for i in load_source(lab.source).items if i.id == "evisa")
    sha = next(iter(evisa.media.values())).sha256
    own_image = _with_body(evisa, "en", f'<img src="kiosk://media/{sha}">')
    lab.publish_pack(_pack(lab, [own_image], _feed_blobs(lab)))
    assert lab.sync().last_outcome == st.OK
    item = lab.store.item("evisa", "noi-bai")
    assert item is not None
    assert item.translations["en"].body_html.endswith(f'<img src="kiosk://media/{sha}">')


@pytest.mark.gui
def test_a_page_cannot_load_another_items_media_or_code(qtbot, window) -> None:
    from kiosk.app.session import Place, Screen

    with window.store.engine.connect() as conn:
        sha = conn.exec_driver_sql(
            "SELECT sha256 FROM media WHERE item_id = 'evisa' LIMIT 1"
        ).scalar()
    screen = window.item_screen
    resolver = screen.handler.resolver
    asked: list[str] = []
    media, qr, pages = resolver.media, resolver.qr, resolver.pages
    assert qr is not None

    def recording_media(sha256: str):
        asked.append(sha256)
        return media(sha256)

    def recording_qr(item_id: str, wanted: list[str]) -> bytes | None:
        asked.append(f"qr:{item_id}")
        return qr(item_id, wanted)

    served: list[str] = []

    def with_evisa_images(item_id: str, wanted: list[str]) -> str:
        html = pages(item_id, wanted)
        assert html is not None
        extra = f'<img src="kiosk://media/{sha}"><img src="kiosk://qr/evisa?lang=en">'
        served.append(
            html.replace('<figure class="takeaway">', extra + '<figure class="takeaway">')
        )
        return served[-1]

    resolver.media, resolver.qr, resolver.pages = recording_media, recording_qr, with_evisa_images
    window.session.choose_language("en")
    with qtbot.waitSignal(screen.view.loadFinished, timeout=20000):
        window.session.go(Place(Screen.ITEM, "visa-exemption"))
    qtbot.waitUntil(lambda: "qr:visa-exemption" in asked, timeout=10000)  # its own code
    assert f'<img src="kiosk://media/{sha}">' in served[-1]
    # The other item's file and code are never even looked up.
    assert_stays(qtbot, lambda: sha in asked or "qr:evisa" in asked, False, wait=300)
