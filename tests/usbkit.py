"""A USB stick as the kiosk finds one: a mount under the removable roots whose disk the
kernel marks removable, with the mount table and /sys/block replaced by files of the test."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk import usb


def plug_stick(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str = "usb0",
    *,
    make: bool = True,
    removable: bool = True,
) -> Path:
    """Mount ``media/NAME`` as a removable disk (``removable=False``: a fixed one); ``make=False``
    leaves the mount point for the test to plant (a link, say). Beside it, the system disk and
    an internal disk under /media."""
    media = tmp_path / "media"
    stick = media / name
    if make:
        stick.mkdir(parents=True, exist_ok=True)
    media.mkdir(parents=True, exist_ok=True)
    sys_block = tmp_path / "sys-block"
    for disk, flag in (("sda", "0"), ("sdz", "1" if removable else "0")):
        (sys_block / disk / f"{disk}1").mkdir(parents=True, exist_ok=True)
        (sys_block / disk / "removable").write_text(flag + "\n", encoding="ascii")
    table = tmp_path / "mounts"
    table.write_text(
        "/dev/sda1 / ext4 rw 0 0\n"
        "proc /proc proc rw 0 0\n"
        f"/dev/sda1 {media / 'internal'} ext4 rw 0 0\n"
        f"/dev/sdz1 {str(stick).replace(' ', chr(92) + '040')} vfat rw 0 0\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("KIOSK_REMOVABLE_ROOTS", str(media))
    monkeypatch.setattr(usb, "MOUNT_TABLE", table)
    monkeypatch.setattr(usb, "SYS_BLOCK", sys_block)
    return stick
