"""How feed files reach the kiosk: over HTTP, from a folder, or from a bundle file.

All three plug into python-tuf's ngclient as a ``FetcherInterface``; whatever they deliver is
verified against signed lengths and hashes before it is used, so a fetcher only moves bytes.
The HTTP fetcher resumes dropped downloads with Range requests (also across restarts, from
``.part`` files: feed files other than ``timestamp.json`` never change under their name),
caps the bandwidth, and gives up at an overall deadline.
"""

from __future__ import annotations

import hashlib
import tarfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO
from urllib.parse import unquote

import requests
import urllib3
from tuf.api.exceptions import (
    DownloadError,
    DownloadHTTPError,
    DownloadLengthMismatchError,
    SlowRetrievalError,
)
from tuf.ngclient import FetcherInterface

from kiosk.faults import crash_point
from kiosk.feed.names import TARGET_PATH
from kiosk.sync.failures import FailureCode
from kiosk.textsafe import shown

CHUNK = 64 * 1024


class HttpFetcher(FetcherInterface):
    def __init__(
        self,
        partial_dir: Path,
        *,
        deadline: float,
        bandwidth: int | None = None,
        timeout: tuple[float, float] = (10.0, 30.0),
        retries: int = 4,
        user_agent: str = "border-kiosk",
    ) -> None:
        self.partial_dir = partial_dir
        self.deadline = deadline  # time.monotonic() value after which every download fails
        self.bandwidth = bandwidth  # bytes per second, None for no cap
        self.timeout = timeout
        self.retries = retries
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent
        # Feed files are compressed already; a transfer encoding would also make byte
        # ranges refer to other bytes than the file's.
        self.session.headers["Accept-Encoding"] = "identity"
        self.received = 0  # bytes taken off the network in this cycle
        self._window_start = time.monotonic()
        self._window_bytes = 0

    def close(self) -> None:
        self.session.close()

    def part_file(self, url: str) -> Path | None:
        """Where a partial download is kept: only for packs and media, which never change
        under their name (metadata files are small and fetched whole)."""
        if "/targets/" not in url and "/blobs/" not in url:
            return None
        return self.partial_dir / (hashlib.sha256(url.encode()).hexdigest() + ".part")

    def discard(self, url: str) -> None:
        part = self.part_file(url)
        if part is not None:
            part.unlink(missing_ok=True)

    def _fetch(self, url: str) -> Iterator[bytes]:
        return self._download(url, self.part_file(url))

    def _download(self, url: str, part: Path | None) -> Iterator[bytes]:
        have = part.stat().st_size if part is not None and part.exists() else 0
        delivered = 0  # bytes already handed to the caller
        failures = 0
        while True:
            self._check_deadline(url)
            headers = {"Range": f"bytes={have}-"} if have else {}
            try:
                with self.session.get(
                    url, headers=headers, stream=True, timeout=self.timeout
                ) as reply:
                    if reply.status_code == 416 and part is not None and have:
                        # Nothing after what is saved: the part is the whole file (its hash
                        # is checked by the caller; a wrong one is discarded then).
                        yield from _read_from(part, delivered, have)
                        return
                    if reply.status_code not in (200, 206):
                        raise DownloadHTTPError(
                            f"{url} answered HTTP {reply.status_code}", reply.status_code
                        )
                    if reply.status_code == 200 and have:
                        have = 0  # the server ignored the range: the body starts at byte 0
                        _truncate(part)
                    # Bytes the caller has not seen yet come first from the saved part.
                    if part is not None and delivered < have:
                        yield from _read_from(part, delivered, have)
                        delivered = have
                    skip = delivered - have  # a 200 after a drop repeats what was delivered
                    with open(part, "ab") if part is not None else nullcontext() as sink:
                        # read1 returns what has arrived, so the deadline is checked even
                        # when a server trickles bytes.
                        while chunk := reply.raw.read1(CHUNK):
                            self._account(url, len(chunk))
                            if sink is not None:
                                sink.write(chunk)
                                sink.flush()
                            have += len(chunk)
                            if skip:
                                cut = min(skip, len(chunk))
                                chunk, skip = chunk[cut:], skip - cut
                                if not chunk:
                                    continue
                            delivered += len(chunk)
                            if sink is not None:
                                crash_point("sync:chunk")
                            yield chunk
                    return
            except (
                requests.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
                urllib3.exceptions.ProtocolError,
                urllib3.exceptions.ReadTimeoutError,
            ) as exc:
                failures += 1
                if failures > self.retries:
                    if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
                        raise SlowRetrievalError(
                            f"{url}: timed out, no data for {self.timeout[1]:.0f} s"
                        ) from None
                    raise DownloadError(f"{url}: connection failed ({_short(exc)})") from None
                time.sleep(min(2.0**failures * 0.25, 8.0))
                if part is None:
                    # Without a part file, a retry must not repeat bytes already delivered.
                    have = delivered
            except requests.Timeout:
                raise SlowRetrievalError(f"{url}: no data for {self.timeout[1]:.0f} s") from None

    def _account(self, url: str, size: int) -> None:
        self.received += size
        self._check_deadline(url)
        if self.bandwidth:
            self._window_bytes += size
            elapsed = time.monotonic() - self._window_start
            ahead = self._window_bytes / self.bandwidth - elapsed
            if ahead > 0:
                time.sleep(ahead)

    def _check_deadline(self, url: str) -> None:
        if time.monotonic() > self.deadline:
            raise SlowRetrievalError(f"{url}: the sync took longer than its time limit")


def _truncate(part: Path | None) -> None:
    if part is not None:
        part.unlink(missing_ok=True)


def _read_from(part: Path, start: int, end: int) -> Iterator[bytes]:
    with open(part, "rb") as handle:
        handle.seek(start)
        left = end - start
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                return
            left -= len(chunk)
            yield chunk


def _short(exc: Exception) -> str:
    return str(exc).split("\n", 1)[0][:160]


class DirectoryFetcher(FetcherInterface):
    """A feed in a local folder (a mounted share or an unpacked bundle): ``feed:///<rel>``."""

    PREFIX = "feed:///"

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.received = 0

    def _fetch(self, url: str) -> Iterator[bytes]:
        rel = unquote(url.removeprefix(self.PREFIX))
        path = (self.root / rel).resolve()
        if not url.startswith(self.PREFIX) or not path.is_relative_to(self.root):
            raise DownloadHTTPError(f"{url} is outside the feed folder", 403)
        if not path.is_file():
            raise DownloadHTTPError(f"{rel} is not in the feed folder {self.root}", 404)
        return self._read(path)

    def _read(self, path: Path) -> Iterator[bytes]:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                self.received += len(chunk)
                yield chunk

    def close(self) -> None:
        pass


class BundleFetcher(FetcherInterface):
    """Members of a bundle file (an uncompressed tar), read in place, never extracted.

    Only regular files whose names follow the feed layout are visible; links, devices and
    any name with ``..`` or an absolute path are refused when the bundle is opened. Sizes that
    headers declare are checked before anything they announce is read (see ``_BoundedTarInfo``
    and ``check_size``), and members are only ever streamed in chunks.
    """

    PREFIX = "feed:///"
    MAX_MEMBERS = 200_000

    def __init__(self, bundle: Path) -> None:
        self.path = Path(bundle)
        self.received = 0
        self.tar = tarfile.open(  # noqa: SIM115 - open while syncing
            self.path, mode="r:", tarinfo=_BoundedTarInfo
        )
        self.members: dict[str, tarfile.TarInfo] = {}
        size = self.path.stat().st_size
        try:
            for count, member in enumerate(self.tar, start=1):
                if count > self.MAX_MEMBERS:
                    raise BundleRefused(
                        f"{self.path} holds more than {self.MAX_MEMBERS} files",
                        FailureCode.BUNDLE_TOO_MANY,
                        limit=self.MAX_MEMBERS,
                    )
                check_member(member)
                check_size(member, size)
                self.members[member.name] = member
        except BaseException:
            self.tar.close()
            raise

    @contextmanager
    def download_file(self, url: str, max_length: int) -> Iterator[IO[bytes]]:
        # The signed length is known here: a member that declares more is refused unread.
        member = self.members.get(url.removeprefix(self.PREFIX))
        if member is not None and member.size > max_length:
            raise DownloadLengthMismatchError(
                f"bundle entry '{member.name}' declares {member.size} bytes, more than the "
                f"{max_length} its signed metadata allow"
            )
        with super().download_file(url, max_length) as handle:
            yield handle

    def _fetch(self, url: str) -> Iterator[bytes]:
        rel = url.removeprefix(self.PREFIX)
        member = self.members.get(rel)
        if not url.startswith(self.PREFIX) or member is None:
            raise DownloadHTTPError(f"{rel} is not in the bundle {self.path.name}", 404)
        handle = self.tar.extractfile(member)
        assert handle is not None
        return self._read(handle)

    def _read(self, handle: IO[bytes]) -> Iterator[bytes]:
        with handle:
            while chunk := handle.read(CHUNK):
                self.received += len(chunk)
                yield chunk

    def close(self) -> None:
        self.tar.close()


class BundleRefused(Exception):
    """A bundle file that is not one (or holds something it must not): an English message,
    and a code with its parameters for the panel."""

    def __init__(self, message: str, code: FailureCode, **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


# A feed's tar headers hold a name, a size and a time: a few hundred bytes. Packs are
# compressed and media files small, so no real member comes near the member cap.
MAX_HEADER_BYTES = 64 * 1024
MAX_MEMBER_BYTES = 512 * 1024 * 1024
_EXTENDED_HEADERS = (
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
)


class _BoundedTarInfo(tarfile.TarInfo):
    """tarfile reads an extended (pax or GNU) header whole, at whatever size it declares: a
    crafted 1 GB header costs 1 GB of memory. Refuse such a header before it is read."""

    def _proc_member(self, archive: tarfile.TarFile) -> tarfile.TarInfo:
        if self.type in _EXTENDED_HEADERS and self.size > MAX_HEADER_BYTES:
            raise BundleRefused(
                f"a header in the bundle declares {self.size} bytes, more than the "
                f"{MAX_HEADER_BYTES} a header may hold: the file is damaged or crafted, nothing "
                "was imported; export the bundle again",
                FailureCode.BUNDLE_DAMAGED,
                entry=shown(self.name, 120),
            )
        return super()._proc_member(archive)  # type: ignore[misc]


def check_size(member: tarfile.TarInfo, bundle_size: int) -> None:
    """A member no larger than any feed file is, and wholly inside the bundle file."""
    if member.size > MAX_MEMBER_BYTES or member.offset_data + member.size > bundle_size:
        limit = "a feed file may have" if member.size > MAX_MEMBER_BYTES else "the file holds"
        raise BundleRefused(
            f"bundle entry '{member.name[:120]}' declares {member.size} bytes, more than {limit}: "
            "the bundle is damaged or crafted, nothing was imported; export the bundle again",
            FailureCode.BUNDLE_DAMAGED,
            entry=shown(member.name, 120),
        )


def check_member(member: tarfile.TarInfo) -> None:
    name = member.name
    if not member.isfile():
        raise BundleRefused(
            f"bundle entry '{shown(name)}' is not a regular file",
            FailureCode.BUNDLE_FOREIGN,
            entry=shown(name),
        )
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or any(p in ("", ".", "..") for p in parts):
        raise BundleRefused(
            f"bundle entry '{shown(name)}' escapes its folder",
            FailureCode.BUNDLE_FOREIGN,
            entry=shown(name),
        )
    ok = (
        (len(parts) == 2 and parts[0] == "metadata" and parts[1].endswith(".json"))
        or (parts[0] == "targets" and len(parts) == 3 and TARGET_PATH.match("/".join(parts[1:])))
        or (len(parts) == 4 and parts[:2] == ["blobs", "sha256"])
        or name == "bundle.json"
    )
    if not ok:
        raise BundleRefused(
            f"bundle entry '{shown(name)}' is not part of a feed",
            FailureCode.BUNDLE_FOREIGN,
            entry=shown(name),
        )
