"""The ``kiosk:`` URL scheme: the only place the item view gets anything from.

``kiosk://item/<id>?lang=<tag>`` serves an item page (visible items of the current gate only),
``kiosk://media/<sha256>`` a media file of the item whose page was served last, ``kiosk://qr/<id>``
the "take it with you" code of that item (only the page template asks for it). Everything else
fails: a page cannot show another item's media, nor have the kiosk draw a QR code of its choice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QUrlQuery
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from kiosk.content.page import CONTENT_SECURITY_POLICY

SCHEME = b"kiosk"

# (item id, wanted languages) → HTML, or None when the item is not visible here.
PageSource = Callable[[str, list[str]], str | None]
# (item id, wanted languages) → SVG of the item's QR code, or None.
QrSource = Callable[[str, list[str]], bytes | None]
# sha256 → (bytes, mime type), or None.
MediaSource = Callable[[str], tuple[bytes, str] | None]
# item id → sha256 hashes of the media files the item declares.
ItemMedia = Callable[[str], set[str]]


def register_scheme() -> None:
    """Declare the scheme; Qt requires this before the QApplication exists."""
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme)
    QWebEngineUrlScheme.registerScheme(scheme)


class KioskSchemeHandler(QWebEngineUrlSchemeHandler):
    def __init__(
        self,
        pages: PageSource,
        media: MediaSource,
        parent: object = None,
        qr: QrSource | None = None,
        item_media: ItemMedia | None = None,
    ) -> None:
        super().__init__(parent)
        self._pages = pages
        self._media = media
        self._qr = qr
        self._item_media = item_media
        # The item whose page was served last: the view shows one page at a time, and that
        # page's images and code are requested right after it.
        self._page_item: str | None = None

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        host, path = url.host(), url.path().strip("/")
        if job.requestMethod() != b"GET" or "/" in path or not path:
            job.fail(QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        if host == "item":
            wanted = [v for v in QUrlQuery(url).queryItemValue("lang").split(",") if v]
            html = self._pages(path, wanted)
            if html is None:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                return
            self._page_item = path
            self._reply(job, b"text/html;charset=utf-8", html.encode("utf-8"))
        elif host == "qr":
            if path != self._page_item:
                job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
                return
            wanted = [v for v in QUrlQuery(url).queryItemValue("lang").split(",") if v]
            code = self._qr(path, wanted) if self._qr else None
            if code is None:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                return
            self._reply(job, b"image/svg+xml", code)
        elif host == "media":
            if not self._of_page_item(path):
                job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
                return
            found = self._media(path)
            if found is None:
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                return
            data, mime = found
            self._reply(job, mime.encode("ascii"), data)
        else:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)

    def _of_page_item(self, sha256: str) -> bool:
        if self._page_item is None or self._item_media is None:
            return False
        return sha256 in self._item_media(self._page_item)

    @staticmethod
    def _reply(job: QWebEngineUrlRequestJob, mime: bytes, data: bytes) -> None:
        # A multimap: each header maps to a list of values.
        job.setAdditionalResponseHeaders(
            {
                QByteArray(b"Content-Security-Policy"): [
                    QByteArray(CONTENT_SECURITY_POLICY.encode("ascii"))
                ],
                QByteArray(b"X-Content-Type-Options"): [QByteArray(b"nosniff")],
            }
        )
        buffer = QBuffer(parent=job)
        buffer.setData(QByteArray(data))
        buffer.open(QBuffer.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime), buffer)
