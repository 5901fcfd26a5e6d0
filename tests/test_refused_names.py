"""A refused bundle member whose name is markup, a terminal escape or very long: the reason is
kept and shown again at every opening of the panel, as plain, escaped, bounded text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.sync import status as st
from kiosk.textsafe import MESSAGE_LIMIT, NAME_LIMIT

from .feedkit import FeedLab
from .helpers.ui import admin_of, open_panel, tap, wait_for_facts
from .hostile import bundle_with_member, markup_readers, picture_pixels, write_picture
from .usbkit import plug_stick


def hostile_name(picture: Path) -> str:
    """Markup that loads a local picture, a terminal escape (clears the screen, retitles the
    terminal), and a tail of thousands of characters."""
    return f"<img src='{picture}' width='900'>\x1b[2J\x1b]0;owned\x07" + "A" * 5000


def refused_name(error: str) -> str:
    found = re.search(r"bundle entry '(.*)' is not part of a feed", error)
    assert found, error
    return found.group(1)


def test_a_refused_member_name_is_kept_escaped_and_bounded(qtbot, tmp_path: Path) -> None:
    lab = FeedLab(tmp_path)
    try:
        lab.publish()
        assert lab.sync().last_outcome == st.OK
        before = lab.state()
        lab.set_title("Never imported")
        lab.publish()
        name = hostile_name(write_picture(tmp_path / "qr.png"))
        bundle = bundle_with_member(lab, tmp_path / "stick" / "content.bundle", name)
        status = lab.sync(feed=bundle)
        assert status.last_outcome == st.REJECTED
        assert lab.state() == before  # nothing imported, nothing lost
        kept = st.load_status(lab.kiosk).last_error or ""
        shown_name = refused_name(kept)
        assert shown_name.startswith(name[:40])  # the operator can tell which member
        assert shown_name.endswith("…") and len(shown_name) <= NAME_LIMIT
        assert len(kept) <= MESSAGE_LIMIT
        assert "\x1b" not in kept and "\x07" not in kept
        assert "\\x1b[2J" in kept  # written out, not obeyed
        assert "the bundle was refused and the content is kept" in kept  # what to do next
        assert not any("\x1b" in line for line in st.load_status(lab.kiosk).describe())
    finally:
        lab.close()


@pytest.mark.gui
def test_the_panel_shows_a_refused_member_name_as_plain_text_at_every_opening(
    qtbot, kiosk, tmp_path: Path, monkeypatch
) -> None:
    lab, window = kiosk
    before = lab.state()
    lab.set_title("Never imported")
    lab.publish()
    name = hostile_name(write_picture(tmp_path / "qr.png"))
    stick = plug_stick(monkeypatch, tmp_path)
    bundle_with_member(lab, stick / "content.bundle", name)
    panel = open_panel(qtbot, window)
    tap(qtbot, panel.usb_button)
    qtbot.waitUntil(lambda: panel.bundles.count() > 0)  # listed off the UI thread
    bundle_button = panel.bundles.itemAt(0).widget()
    with qtbot.waitSignal(
        admin_of(window).audit_written,
        timeout=60000,
        check_params_cb=lambda a: a == "sync-finished",
    ):
        tap(qtbot, bundle_button)
    assert lab.state() == before

    def shown_plainly() -> None:
        wait_for_facts(qtbot, panel)  # gathered again off the UI thread after the sync
        assert markup_readers(window) == []
        last_sync = panel.fact_labels["last-sync"][1].text()
        assert "<img src='" in last_sync and "\x1b" not in last_sync
        # The panel says it in its own words, quoting the kept (escaped, bounded) name.
        entry = str(st.load_status(lab.kiosk).last_error_params["entry"])
        assert entry.startswith("<img src='") and len(entry) <= NAME_LIMIT
        assert entry in last_sync
        assert picture_pixels(panel) == 0  # the picture is never drawn

    shown_plainly()
    assert "<img src='" in panel.progress.text()  # what the import said, as written
    tap(qtbot, panel.close_button)
    panel = open_panel(qtbot, window)  # the reason is read again from the kept status
    shown_plainly()
