"""The locked-down web view that shows items (SPEC §7 content lockdown)."""

from __future__ import annotations

from PySide6.QtCore import QChildEvent, QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QNativeGestureEvent, QWheelEvent
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from ui.scheme import SCHEME

_OFF = (
    "JavascriptEnabled",
    "JavascriptCanOpenWindows",
    "JavascriptCanAccessClipboard",
    "JavascriptCanPaste",
    "LocalContentCanAccessRemoteUrls",
    "LocalContentCanAccessFileUrls",
    "PluginsEnabled",
    "PdfViewerEnabled",
    "NavigateOnDropEnabled",
    "FullScreenSupportEnabled",
    "DnsPrefetchEnabled",
    "HyperlinkAuditingEnabled",
    "LocalStorageEnabled",
    "ScreenCaptureEnabled",
    "AllowRunningInsecureContent",
    "WebGLEnabled",
    "ErrorPageEnabled",
    "AutoLoadIconsForPage",
    "TouchIconsEnabled",
    "AllowWindowActivationFromJavaScript",
)


class OnlyKioskScheme(QWebEngineUrlRequestInterceptor):
    """Blocks every request whose scheme is not ``kiosk:`` before it reaches the network."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme().encode() != SCHEME:
            self.blocked.append(url.toString())
            info.block(True)


class KioskPage(QWebEnginePage):
    """Navigates only to ``kiosk:`` pages and never opens windows, dialogs or file pickers."""

    item_link_activated = Signal(str)

    def acceptNavigationRequest(
        self,
        url: QUrl | str,
        nav_type: QWebEnginePage.NavigationType,
        is_main_frame: bool,
    ) -> bool:
        url = QUrl(url)
        if url.scheme().encode() != SCHEME:
            return False
        if nav_type == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            if url.host() == "item":
                # The window decides what opening another item means (history, analytics). It
                # loads a page into this very page: done from inside the engine's navigation
                # callback, that kills the engine and the whole kiosk with it. So the link is
                # followed from the event loop, once the engine has been answered.
                item_id = url.path().strip("/")
                QTimer.singleShot(0, self, lambda: self.item_link_activated.emit(item_id))
            return False
        return True

    # Qt's contract: returning no page refuses the window (the stubs say a page is required).
    def createWindow(self, _type: QWebEnginePage.WebWindowType) -> None:  # type: ignore[override]
        return None

    def javaScriptAlert(self, *_args: object) -> None:
        return None

    def javaScriptConfirm(self, *_args: object) -> bool:
        return False

    def javaScriptPrompt(self, *_args: object) -> tuple[bool, str]:
        return False, ""

    def chooseFiles(self, *_args: object) -> list[str]:
        return []


class KioskProfile(QWebEngineProfile):
    """An off-the-record profile (nothing on disk) that loads nothing but the kiosk scheme.

    The caller installs the scheme handler that serves its pages. Every page of the item view,
    the fresh one of each traveller included, uses this profile and so this interceptor.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Qt parenting does not keep the interceptor's Python side alive: without a reference
        # held here it is deleted at once and the profile silently stops filtering requests.
        self.interceptor = OnlyKioskScheme()
        self.setUrlRequestInterceptor(self.interceptor)
        self.downloadRequested.connect(lambda download: download.cancel())
        settings = self.settings()
        for name in _OFF:
            settings.setAttribute(getattr(QWebEngineSettings.WebAttribute, name), False)
        settings.setUnknownUrlSchemePolicy(
            QWebEngineSettings.UnknownUrlSchemePolicy.DisallowUnknownUrlSchemes
        )


def kiosk_profile(parent: QObject | None) -> KioskProfile:
    """A :class:`KioskProfile`; the caller installs the scheme handler that serves its pages."""
    return KioskProfile(parent)


_ZOOM_GESTURES = (
    Qt.NativeGestureType.ZoomNativeGesture,
    Qt.NativeGestureType.SmartZoomNativeGesture,
)


def _is_zoom(event: QEvent) -> bool:
    """Ctrl+wheel or a touchpad pinch: what would zoom the page in the engine."""
    if isinstance(event, QWheelEvent):
        return bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
    return isinstance(event, QNativeGestureEvent) and event.gestureType() in _ZOOM_GESTURES


class ItemWebView(QWebEngineView):
    """The item view. Its text size follows the A+ switch only: the engine's own zoom
    (Ctrl+wheel, pinch) would stay on for the next items and the next traveller, with no
    way back on screen, so it is refused, and every page starts unzoomed."""

    def __init__(self, profile: KioskProfile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile = profile
        self.setPage(KioskPage(profile, self))
        self.setContextMenuPolicy(self.contextMenuPolicy().NoContextMenu)
        self.setAcceptDrops(False)
        self.loadStarted.connect(lambda: self.setZoomFactor(1.0))

    def childEvent(self, event: QChildEvent) -> None:
        # The engine draws into a child widget made for each page: input reaches it first.
        child = event.child()
        if event.added() and isinstance(child, QWidget):
            child.installEventFilter(self)
        super().childEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if _is_zoom(event):
            return True
        return super().eventFilter(watched, event)

    def renew_page(self) -> KioskPage:
        """Swap in a fresh page and delete the old one, so its renderer process ends and the
        next traveller starts with a new one: whatever a renderer keeps across pages (caches,
        script heap) never piles up over weeks. The new renderer starts on the next load."""
        old = self.page()
        page = KioskPage(self._profile, self)
        self.setPage(page)
        old.deleteLater()
        return page

    def kiosk_page(self) -> KioskPage:
        page = self.page()
        assert isinstance(page, KioskPage)
        return page
