"""Shared fixtures. Qt runs offscreen; the kiosk: scheme is registered before any QApplication."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ui.app import prepare_environment

prepare_environment()

FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = FIXTURES / "source-example"


def pytest_configure(config: pytest.Config) -> None:
    from ui.scheme import register_scheme

    register_scheme()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the normative source example that a test may change."""
    target = tmp_path / "source"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path):  # type: ignore[no-untyped-def]
    from kiosk.content.store import ContentStore

    opened = ContentStore(data_dir)
    yield opened
    opened.close()


def open_kiosk(store, gate, **options):  # type: ignore[no-untyped-def]
    """The kiosk application as ``kiosk run`` builds it, on the services of ``store``'s data
    folder, without a sync schedule (tests start syncs): its window. ``options``: ``today``
    (the content clock), and those of ``ui.wiring.Kiosk``."""
    from kiosk.app.services import open_services
    from ui.wiring import Kiosk

    services = open_services(store, today=options.pop("today", None))
    return Kiosk(services, gate, schedule_sync=False, **options).window


Edit = Callable[[str, Callable[[str], str]], None]


@pytest.fixture
def edit(example: Path) -> Edit:
    """Change one file of the example source: ``edit("site.toml", lambda text: …)``."""

    def apply(rel: str, change: Callable[[str], str]) -> None:
        path = example / rel
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return apply


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the bundled content (made once per test module)."""
    from kiosk.content.bundled import ensure_content
    from kiosk.content.store import ContentStore

    folder = tmp_path_factory.mktemp("kiosk")
    store = ContentStore(folder)
    ensure_content(store)
    store.close()
    return folder


@pytest.fixture
def window(qtbot, content: Path):  # type: ignore[no-untyped-def]
    """The traveller application on the bundled content, at the airport, on 1 December 2026."""
    import datetime as dt

    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.content.store import ContentStore

    store = ContentStore(content)
    gate = store.gate("noi-bai")
    assert gate is not None
    shown = open_kiosk(store, gate, idle_seconds=60, today=lambda: dt.date(2026, 12, 1))
    shown.resize(1920, 1080)
    shown.show()
    yield shown
    # Pages must go before their profile, and both before the application ends.
    shown.close()
    shown.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()


@pytest.fixture
def kiosk(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A kiosk window on content synced from a local signed feed (at the airport), with the
    publisher beside it: (FeedLab, KioskWindow)."""
    import datetime as dt

    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.sync import status as st

    from .feedkit import FeedLab

    lab = FeedLab(tmp_path)
    lab.publish()
    assert lab.sync().last_outcome == st.OK
    gate = lab.store.gate("noi-bai")
    assert gate is not None
    window = open_kiosk(lab.store, gate, today=lambda: dt.date(2026, 12, 1))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield lab, window
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    lab.close()
