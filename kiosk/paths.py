"""Where the kiosk keeps its data, and where the bundled default content lives."""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path

import platformdirs

from kiosk.options import from_environment

APP_NAME = "border-kiosk"
REPO_ROOT = Path(__file__).resolve().parent.parent


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: the explicit one, else $KIOSK_DATA_DIR, else the platform's."""
    chosen = explicit or from_environment("data_dir") or platformdirs.user_data_dir(APP_NAME)
    path = Path(chosen).expanduser()
    # A read-only or full disk: whoever writes there meets it and says so (the kiosk starts).
    with suppress(OSError):
        path.mkdir(parents=True, exist_ok=True)
    return path


def bundled_content_dir() -> Path:
    """The authoring source shipped with the application (imported on first run)."""
    return REPO_ROOT / "data" / "content"


def catalogs_dir() -> Path:
    """Gettext catalogs of the user interface."""
    return REPO_ROOT / "i18n"
