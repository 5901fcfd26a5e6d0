"""The ``kiosk:`` URL scheme in the web engine: the only place the item view gets anything from.

What each address gets is decided by :class:`kiosk.content.resolve.KioskResolver`, without Qt;
this handler passes it the request and turns its answer into the engine's reply or failure.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QObject
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from kiosk.content.resolve import (
    ItemMedia,
    KioskResolver,
    MediaSource,
    PageSource,
    QrSource,
    Refusal,
    Reply,
)

SCHEME = b"kiosk"

_FAILURES = {
    Refusal.INVALID: QWebEngineUrlRequestJob.Error.UrlInvalid,
    Refusal.NOT_FOUND: QWebEngineUrlRequestJob.Error.UrlNotFound,
    Refusal.DENIED: QWebEngineUrlRequestJob.Error.RequestDenied,
}


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
        parent: QObject | None = None,
        qr: QrSource | None = None,
        item_media: ItemMedia | None = None,
    ) -> None:
        super().__init__(parent)
        self.resolver = KioskResolver(pages, media, qr, item_media)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        method = bytes(job.requestMethod().data()).decode("ascii", "replace")
        url = bytes(job.requestUrl().toEncoded().data()).decode("ascii", "replace")
        answer = self.resolver.resolve(method, url)
        if isinstance(answer, Refusal):
            job.fail(_FAILURES[answer])
        else:
            self._reply(job, answer)

    @staticmethod
    def _reply(job: QWebEngineUrlRequestJob, reply: Reply) -> None:
        # A multimap: each header maps to a list of values.
        # (The stubs declare one value per header; Qt's multimap takes a list.)
        job.setAdditionalResponseHeaders(
            {QByteArray(name.encode("ascii")): [QByteArray(value.encode("ascii"))]  # type: ignore[misc]
             for name, value in reply.headers}
        )  # fmt: skip
        buffer = QBuffer(parent=job)
        buffer.setData(QByteArray(reply.body))
        buffer.open(QBuffer.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(reply.mime.encode("ascii")), buffer)
