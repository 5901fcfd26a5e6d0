"""The item view shows only what the store serves, and nothing in a page can reach out."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings

from kiosk.app.session import Place, Screen
from kiosk.content.resolve import Refusal, Reply
from ui.kiosk_window import KioskWindow

from .helpers.ui import assert_stays, open_item

pytestmark = pytest.mark.gui


def test_media_of_the_item_is_served(qtbot, window: KioskWindow) -> None:
    served: list[tuple[str, int]] = []
    resolver = window.item_screen.handler.resolver
    media = resolver.media

    def recording(sha256: str):
        found = media(sha256)
        served.append((sha256, len(found[0]) if found else 0))
        return found

    resolver.media = recording
    open_item(qtbot, window, "evisa")
    qtbot.waitUntil(lambda: bool(served), timeout=10000)
    assert served[0][1] > 100


def test_items_not_shown_at_this_gate_are_not_served(window: KioskWindow) -> None:
    resolver = window.item_screen.handler.resolver
    for item_id in (
        "no-such-item",
        "border-pass-china",  # Mong Cai only
        "notice-expired-lane-works",
    ):
        assert resolver.resolve("GET", f"kiosk://item/{item_id}?lang=en") is Refusal.NOT_FOUND
    assert isinstance(resolver.resolve("GET", "kiosk://item/evisa?lang=en"), Reply)


def test_navigation_outside_the_kiosk_scheme_is_refused(window: KioskWindow) -> None:
    page = window.item_screen.view.kiosk_page()
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


def test_scripts_and_local_files_are_off(window: KioskWindow) -> None:
    settings = window.item_screen.view.page().settings()
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


# What the page asked for is refused by its Content-Security-Policy, and the engine says so on
# the console: those refusals are what this test wants to see happen.
@pytest.mark.qt_log_ignore(r"^Refused to (load|frame|fetch) .* Content Security Policy directive")
def test_a_page_cannot_reach_the_network(qtbot, window: KioskWindow, listener) -> None:
    base, seen = listener
    hostile = (
        f'<html><head><link rel="stylesheet" href="{base}/css">'
        f'<link rel="prefetch" href="{base}/prefetch"></head><body>'
        f'<img src="{base}/img"><iframe src="{base}/frame"></iframe>'
        f'<div style="background:url({base}/bg)">x</div>'
        f'<a href="{base}/link">link</a><a href="file:///etc/passwd">file</a>'
        f'<script src="{base}/js"></script></body></html>'
    )
    window.item_screen.handler.resolver.pages = lambda *_args: hostile  # escaped the importer
    open_item(qtbot, window, "evisa")
    assert_stays(qtbot, lambda: seen, [], wait=500)  # time for a stray request to arrive


def test_take_it_with_you_code_holds_the_item(qtbot, window: KioskWindow) -> None:
    served: list[bytes] = []
    resolver = window.item_screen.handler.resolver
    qr = resolver.qr
    assert qr is not None

    def recording(item_id: str, wanted: list[str]):
        code = qr(item_id, wanted)
        served.append(code or b"")
        return code

    resolver.qr = recording
    open_item(qtbot, window, "evisa")
    qtbot.waitUntil(lambda: bool(served), timeout=10000)
    assert served[0].startswith(b"<?xml") and b"<svg" in served[0]


def test_takeaway_text_is_the_item_in_the_reader_language(window: KioskWindow) -> None:
    import datetime as dt

    from kiosk.content.takeaway import MAX_BYTES, takeaway_text

    item = window.store.item("evisa", "noi-bai", dt.date(2026, 12, 1))
    assert item is not None
    text = takeaway_text(item, ["ko", "en"])
    assert text.startswith(item.translations["ko"].title)
    assert "1. " in text and text.rstrip().endswith("https://evisa.gov.vn")
    assert len(text.encode("utf-8")) <= MAX_BYTES


def test_nothing_can_be_dragged_in_or_out(window: KioskWindow) -> None:
    view = window.item_screen.view
    assert not view.acceptDrops()
    settings = view.page().settings()
    assert not settings.testAttribute(QWebEngineSettings.WebAttribute.NavigateOnDropEnabled)
    page = item_page_html(window, "evisa")
    assert "user-select: none" in page  # no text to select, so none to drag out


def item_page_html(window: KioskWindow, item_id: str) -> str:
    reply = window.item_screen.handler.resolver.resolve("GET", f"kiosk://item/{item_id}?lang=en")
    assert isinstance(reply, Reply)
    return reply.body.decode("utf-8")


def test_the_next_traveller_gets_a_fresh_page_that_still_follows_item_links(
    qtbot, window: KioskWindow
) -> None:
    open_item(qtbot, window, "evisa")
    open_item(qtbot, window, "visa-exemption")
    before = window.item_screen.view.kiosk_page()
    assert before.history().canGoBack()
    window.session.idle_timeout()
    page = window.item_screen.view.kiosk_page()
    # A new page: nothing of the last traveller to go back to, and its renderer is let go.
    assert page is not before and not page.history().canGoBack()
    with qtbot.waitSignal(window.item_screen.view.loadFinished, timeout=20000):
        window.session.choose_language("en")
        link = QWebEnginePage.NavigationType.NavigationTypeLinkClicked
        page.acceptNavigationRequest(QUrl("kiosk://item/evisa"), link, True)
    assert window.session.place == Place(Screen.ITEM, "evisa")


def test_the_request_interceptor_alone_keeps_pages_off_the_network(
    qtbot, window: KioskWindow, listener, monkeypatch
) -> None:
    import dataclasses
    import gc

    from ui.scheme import KioskSchemeHandler

    base, seen = listener
    reply = KioskSchemeHandler._reply

    def reply_without_csp(job, answer: Reply) -> None:
        """The scheme handler's reply minus its Content-Security-Policy header."""
        kept = tuple(h for h in answer.headers if h[0] != "Content-Security-Policy")
        reply(job, dataclasses.replace(answer, headers=kept))

    # No CSP, neither in the reply nor in the page: only the interceptor stands in the way.
    monkeypatch.setattr(KioskSchemeHandler, "_reply", staticmethod(reply_without_csp))
    hostile = (
        f'<html><head><link rel="stylesheet" href="{base}/css"></head><body>'
        f'<img src="{base}/img"><div style="background:url({base}/bg)">x</div>'
        f'<iframe src="{base}/frame"></iframe></body></html>'
    )
    window.item_screen.handler.resolver.pages = lambda *_args: hostile
    for _traveller in range(2):
        gc.collect()
        open_item(qtbot, window, "evisa")
        assert_stays(qtbot, lambda: seen, [], wait=500)  # time for a stray request to arrive
        blocked = window.item_screen.profile.interceptor.blocked
        assert f"{base}/img" in blocked and f"{base}/css" in blocked
        blocked.clear()
        window.session.idle_timeout()  # the next traveller's fresh page uses the same guard
