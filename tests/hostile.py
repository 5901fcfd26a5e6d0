"""Signed content written by an attacker who holds a signing key: titles and names that are
Qt rich text (a fake red notice and a local image), for the tests of what the widgets show."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from .feedkit import FeedLab

PICTURE = QColor("#101010").rgb()  # the colour of write_picture's square


def markup(image: Path, words: str = "OFFICIAL NOTICE") -> str:
    """A title that Qt would draw as red bold words followed by the picture ``image`` (and
    whose ``&`` a button would take for a keyboard shortcut)."""
    return f"<b style='color:red'>{words}</b> &amp; <img src='{image}'>"


def write_picture(path: Path) -> Path:
    """A large dark square standing in for a phishing QR code (a real local image)."""
    from PySide6.QtGui import QImage

    picture = QImage(240, 240, QImage.Format.Format_RGB32)
    picture.fill(QColor("#101010"))
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.save(str(path))
    return path


def hostile_item(
    lab: FeedLab,
    item_id: str,
    title: str,
    *,
    kind: str = "tourism",
    urgent: bool = False,
    priority: int = 99,
) -> None:
    folder = lab.source / "items" / "hostile" / item_id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "item.toml").write_text(
        f'id = "{item_id}"\nkind = "{kind}"\ncategory = "services"\ngates = ["*"]\n'
        f"priority = {priority}\nurgent = {'true' if urgent else 'false'}\n"
        'source = "Somebody with a signing key"\n',
        encoding="utf-8",
    )
    (folder / "en.md").write_text(
        f'+++\ntitle = "{title}"\nsummary = "{title}"\n+++\nText.\n', encoding="utf-8"
    )


def publish_hostile(lab: FeedLab, image: Path) -> str:
    """Publish and sync the example with markup everywhere content reaches the widgets: the
    gate's names, a category's name, an item's title (also urgent), a promoted item (the start
    screen's attract loop), then a promoted item with a title of thousands of words. Returns
    the markup used."""
    text = markup(image)
    lab.set_title(text)
    lab.set_title(text, lang="vi")
    evisa = lab.source / "items" / "procedures" / "evisa" / "item.toml"
    evisa.write_text(
        evisa.read_text(encoding="utf-8").replace("urgent = false", "urgent = true"),
        encoding="utf-8",
    )
    hostile_item(lab, "hostile-promo", text)
    hostile_item(lab, "hostile-long", "Visit the market at the gate " * 300, priority=98)
    for name, old in (
        ("gates.toml", "Noi Bai International Airport"),
        ("gates.toml", "Cảng hàng không quốc tế Nội Bài"),
        ("categories.toml", '"Visas"'),
        ("categories.toml", '"Thị thực"'),
    ):
        path = lab.source / name
        new = f'"{text}"' if old.startswith('"') else text
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    lab.publish()
    status = lab.sync()
    assert status.last_outcome == "ok", status.last_error
    return text


def bundle_with_member(lab: FeedLab, out: Path, member_name: str) -> Path:
    """A real bundle of the lab's feed, with one more member named ``member_name`` (which a
    kiosk refuses: it is not part of a feed)."""
    import io
    import tarfile

    from kiosk.feed.bundle import export_bundle

    from .feedkit import now

    export_bundle(lab.feed, lab.keys, out, now())
    with tarfile.open(out, "a", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(member_name)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"junk"))
    return out


def markup_readers(window: QWidget) -> list[str]:
    """Widgets of the window that would not show their text as written: labels not held to
    plain text, tooltips (which Qt reads as rich text when they look like it), and buttons
    that take an ``&`` for the mark of a keyboard shortcut."""
    found = [
        f"label {label.objectName() or '-'}: {label.text()[:60]!r}"
        for label in window.findChildren(QLabel)
        if label.textFormat() != Qt.TextFormat.PlainText
    ]
    found += [
        f"tooltip of {type(widget).__name__}: {widget.toolTip()[:60]!r}"
        for widget in window.findChildren(QWidget)
        if widget.toolTip() and Qt.mightBeRichText(widget.toolTip())
    ]
    found += [
        f"button with a shortcut: {button.text()[:60]!r}"
        for button in window.findChildren(QAbstractButton)
        if not QKeySequence.mnemonic(button.text()).isEmpty()
    ]
    return found


def picture_pixels(widget: QWidget) -> int:
    """How many pixels of the attacker's picture the widget shows."""
    image = widget.grab().toImage()
    return sum(
        1
        for x in range(0, image.width(), 4)
        for y in range(0, image.height(), 4)
        if image.pixel(x, y) == PICTURE
    )
