"""A USB stick is not trusted: the usage export writes only a new file on a real removable
mount, never through a link planted there; a stick crowded with bundles is listed in bounded
numbers without freezing the panel."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk import usb
from kiosk.i18n import translations

from .helpers.ui import ADMIN, actions, admin_of, corner_taps, enter, open_panel, shown, tap
from .usbkit import plug_stick

pytestmark = pytest.mark.gui
REFUSED = (
    "Nothing was written: {path} on the USB stick is a link or a special file, not a plain "
    "file or folder; use another stick."
)


def export_name() -> str:
    return f"kiosk-usage-{dt.date.today().isoformat()}.csv"


def reopen_with_the_admin_pin(qtbot, window) -> None:
    tap(qtbot, admin_of(window).panel.close_button)
    corner_taps(qtbot, window)
    enter(qtbot, window, ADMIN)
    assert window.stack.currentWidget() is admin_of(window).panel  # the pepper is intact


def test_export_refuses_a_planted_link(qtbot, window, monkeypatch, tmp_path) -> None:
    pepper = window.store.data_dir / "admin" / "pepper"
    panel = open_panel(qtbot, window)
    secret = pepper.read_bytes()
    stick = plug_stick(monkeypatch, tmp_path)
    (stick / export_name()).symlink_to(pepper)
    tap(qtbot, panel.export_button)
    assert panel.settings_message.text() == shown(window, REFUSED).format(
        path=stick / export_name()
    )
    assert pepper.read_bytes() == secret
    assert actions(window)[-1] == "usage-export-refused"
    reopen_with_the_admin_pin(qtbot, window)


def test_export_refuses_a_linked_stick(qtbot, window, monkeypatch, tmp_path) -> None:
    admin_folder = window.store.data_dir / "admin"
    panel = open_panel(qtbot, window)
    before = sorted(p.name for p in admin_folder.iterdir())
    stick = plug_stick(monkeypatch, tmp_path, make=False)
    stick.symlink_to(admin_folder, target_is_directory=True)
    tap(qtbot, panel.export_button)
    assert panel.settings_message.text() == shown(window, REFUSED).format(path=stick)
    assert sorted(p.name for p in admin_folder.iterdir()) == before
    assert "usage-exported" not in actions(window)
    reopen_with_the_admin_pin(qtbot, window)


def test_export_needs_a_removable_stick(qtbot, window, monkeypatch, tmp_path) -> None:
    panel = open_panel(qtbot, window)
    fixed = plug_stick(monkeypatch, tmp_path, removable=False)  # an internal disk under /media
    plain = tmp_path / "media" / "usb1"  # a folder, mounted nowhere
    plain.mkdir()
    tap(qtbot, panel.export_button)
    insert = shown(window, "Insert a USB stick to export the usage figures.")
    assert panel.settings_message.text() == insert
    assert list(fixed.iterdir()) == [] and list(plain.iterdir()) == []


def test_a_second_export_keeps_the_first(qtbot, window, monkeypatch, tmp_path) -> None:
    panel = open_panel(qtbot, window)
    stick = plug_stick(monkeypatch, tmp_path)
    (stick / export_name()).write_text("kept\n", encoding="utf-8")
    tap(qtbot, panel.export_button)
    second = stick / export_name().replace(".csv", "-2.csv")
    assert second.read_text(encoding="utf-8").startswith("period,metric")
    assert (stick / export_name()).read_text(encoding="utf-8") == "kept\n"
    assert actions(window)[-1] == "usage-exported"


def test_a_crowded_stick_never_freezes_the_panel(qtbot, window, monkeypatch, tmp_path) -> None:
    stick = plug_stick(monkeypatch, tmp_path)
    for n in range(20_000):
        os.close(os.open(stick / f"feed-{n:05}.bundle", os.O_CREAT | os.O_WRONLY, 0o644))
    newest = stick / "newest.bundle"
    newest.write_bytes(b"")
    future = time.time() + 3600
    os.utime(newest, (future, future))
    # Never offered: a link, a FIFO, a folder, a bundle in a sub-folder.
    (stick / "link.bundle").symlink_to(window.store.data_dir / "admin" / "pepper")
    os.mkfifo(stick / "fifo.bundle")
    (stick / "folder.bundle").mkdir()
    (stick / "deep").mkdir()
    (stick / "deep" / "deep.bundle").write_bytes(b"")
    os.utime(stick / "deep" / "deep.bundle", (future, future))
    panel = open_panel(qtbot, window)
    listed_on: list[str] = []
    real_listing = usb.list_bundles

    def listing(*args: object, **kwargs: object) -> usb.BundleList:
        listed_on.append(threading.current_thread().name)
        return real_listing(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(usb, "list_bundles", listing)
    gaps: list[float] = []
    last = [time.monotonic()]

    def beat() -> None:
        now = time.monotonic()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)
    timer.start()
    qtbot.wait(50)
    tap(qtbot, panel.usb_button)
    qtbot.waitUntil(lambda: panel.bundles.count() > 0, timeout=30000)
    qtbot.wait(50)
    timer.stop()
    # The stick is read off the UI thread (how long the UI thread may pause is a budget for a
    # quiet machine, so it is printed here; the listing's thread is the behaviour).
    print(f"longest event-loop gap while listing: {max(gaps) * 1000:.0f} ms")
    assert listed_on and threading.main_thread().name not in listed_on, listed_on
    shown_items = [panel.bundles.itemAt(i).widget() for i in range(panel.bundles.count())]
    buttons = [w for w in shown_items if isinstance(w, QPushButton)]
    assert len(buttons) == usb.MAX_LISTED == 50
    assert buttons[0].text() == "newest.bundle"
    assert all(b.text().startswith("feed-") for b in buttons[1:])
    (note,) = [w for w in shown_items if isinstance(w, QLabel)]
    more = translations(window.session.language).ngettext(
        "{count} more bundle file not shown: only the {listed} newest are listed.",
        "{count} more bundle files not shown: only the {listed} newest are listed.",
        19_951,
    )
    assert note.text() == more.format(count=19_951, listed=50)


def test_the_listing_skips_what_is_not_a_plain_bundle_file(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "content.bundle").write_bytes(b"x")
    (stick / "notes.txt").write_bytes(b"x")
    (stick / "link.bundle").symlink_to(stick / "content.bundle")
    os.mkfifo(stick / "fifo.bundle")
    (stick / "deep").mkdir()
    (stick / "deep" / "deep.bundle").write_bytes(b"x")
    found = usb.list_bundles([stick, tmp_path / "absent"])
    assert found == usb.BundleList([stick / "content.bundle"], 0)
