"""The first window, driven as a user would: pick a language, a category, an item."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings

from kiosk.content.importer import import_source
from kiosk.content.source import load_source
from kiosk.content.store import ContentStore
from ui.main_window import MainWindow

from .conftest import EXAMPLE

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, store: ContentStore) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    import_source(store, load_source(EXAMPLE))
    gate = store.gate("mong-cai")
    assert gate is not None
    shown = MainWindow(store, gate)
    shown.resize(1280, 800)
    shown.show()
    yield shown
    # Pages must go before their profile, and both before the application ends.
    shown.close()
    shown.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [widget.item(row).text().strip() for row in range(widget.count())]


def _page_text(qtbot, window: MainWindow) -> str:  # type: ignore[no-untyped-def]
    with qtbot.waitCallback() as callback:
        window.view.page().toPlainText(callback)
    return callback.args[0]


def _open(qtbot, window: MainWindow, item_id: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(window.view.loadFinished, timeout=20000) as loaded:
        window.open_item(item_id)
    assert loaded.args == [True]


def test_categories_and_items_in_the_chosen_language(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.language == "vi"  # the gate's first language
    assert _texts(window.categories) == ["Thủ tục xuất nhập cảnh", "Thị thực", "Dịch vụ thiết yếu"]
    window.language_buttons["zh"].click()
    assert _texts(window.categories) == ["出入境手续", "签证", "基本服务"]
    assert window.gate_label.text() == "芒街国际口岸"
    assert window.select_category("services")
    assert _texts(window.items) == ["紧急电话"]


def test_opening_an_item_shows_it_in_the_item_view(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.language_buttons["en"].click()
    window.select_category("visa")
    assert _texts(window.items) == ["Electronic visa (e-visa)"]
    with qtbot.waitSignal(window.view.loadFinished, timeout=20000):
        window.items.itemClicked.emit(window.items.item(0))
    text = _page_text(qtbot, window)
    assert "Electronic visa (e-visa)" in text
    assert "Fill in the application" in text
    assert "Documents to bring" in text


def test_item_missing_in_the_language_says_so(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.language_buttons["zh"].click()
    window.select_category("visa")
    assert _texts(window.items) == ["Thị thực điện tử (e-visa) (Tiếng Việt)"]
    _open(qtbot, window, "evisa")
    assert "本页以Tiếng Việt显示" in _page_text(qtbot, window)


def test_media_of_the_item_is_served(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    served: list[tuple[str, int]] = []
    media = window._handler._media

    def recording(sha256: str):  # type: ignore[no-untyped-def]
        found = media(sha256)
        served.append((sha256, len(found[0]) if found else 0))
        return found

    window._handler._media = recording
    _open(qtbot, window, "evisa")
    qtbot.waitUntil(lambda: bool(served), timeout=10000)
    svg = (EXAMPLE / "items/procedures/evisa/media/counter.svg").read_bytes()
    assert served[0][1] == len(svg)


def test_hidden_items_are_not_served(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    html = window._handler._pages("no-such-item", ["en"])
    assert html is None


def test_navigation_outside_the_kiosk_scheme_is_refused(window: MainWindow) -> None:
    page = window.view.kiosk_page()
    for url in (
        "https://example.com/",
        "file:///etc/passwd",
        "data:text/html,hi",
        "javascript:alert(1)",
    ):
        assert not page.acceptNavigationRequest(
            QUrl(url), QWebEnginePage.NavigationType.NavigationTypeLinkClicked, True
        ), url
    assert page.createWindow(QWebEnginePage.WebWindowType.WebBrowserTab) is None


def test_scripts_and_local_files_are_off(window: MainWindow) -> None:
    settings = window.view.page().settings()
    for attribute in (
        "JavascriptEnabled",
        "LocalContentCanAccessFileUrls",
        "LocalContentCanAccessRemoteUrls",
        "PluginsEnabled",
    ):
        assert not settings.testAttribute(getattr(QWebEngineSettings.WebAttribute, attribute))


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A web server on loopback that records every request it gets."""
    seen: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            return

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()


def test_a_page_cannot_reach_the_network(qtbot, window: MainWindow, listener) -> None:  # type: ignore[no-untyped-def]
    base, seen = listener
    hostile = (
        f'<html><head><link rel="stylesheet" href="{base}/css">'
        f'<link rel="prefetch" href="{base}/prefetch"></head><body>'
        f'<img src="{base}/img"><iframe src="{base}/frame"></iframe>'
        f'<div style="background:url({base}/bg)">x</div>'
        f'<script src="{base}/js"></script></body></html>'
    )
    window._handler._pages = lambda _id, _langs: hostile  # content that escaped the importer
    _open(qtbot, window, "evisa")
    qtbot.wait(500)  # give any stray request time to arrive before asserting none did
    assert seen == []


def test_window_controls_have_accessible_names(window: MainWindow) -> None:
    for widget in (
        window.categories,
        window.items,
        window.view,
        window.gate_label,
        *window.language_buttons.values(),
    ):
        assert widget.accessibleName(), widget
    assert window.language_buttons["zh"].accessibleName() == "Hiển thị thông tin bằng 中文"


def test_store_files_stay_inside_the_data_dir(window: MainWindow, data_dir: Path) -> None:
    assert (data_dir / "content.db").is_file()
