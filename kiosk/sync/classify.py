"""What an error met during a sync cycle means: its outcome (which drives the schedule), its
code and parameters (for the panel), and one English sentence (for the log and the CLI)."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy.exc import OperationalError
from tuf.api import exceptions as tuf_errors
from tuf.api.serialization import DeserializationError

from kiosk.content.importer import AuthorityError
from kiosk.feed.packs import PackError
from kiosk.sync import status as st
from kiosk.sync.failures import FailureCode, SyncFailure
from kiosk.sync.fetchers import BundleRefused
from kiosk.sync.plan import Rejected


def as_failure(exc: Exception, feed: str) -> SyncFailure | None:
    """The failure ``exc`` stands for, or None for an error the cycle does not expect."""
    if isinstance(exc, Rejected):
        return SyncFailure(st.REJECTED, str(exc), exc.code, exc.params)
    if isinstance(exc, (PackError, AuthorityError)):
        return SyncFailure(st.REJECTED, str(exc), FailureCode.REJECTED)
    if isinstance(exc, BundleRefused):
        return SyncFailure(
            st.REJECTED,
            f"{exc}: the bundle was refused and the content is kept; export a new one "
            "with 'kiosk bundle export' onto a clean stick",
            exc.code,
            {"file": Path(feed).name, **exc.params},
        )
    if isinstance(exc, DeserializationError):
        return SyncFailure(
            st.OFFLINE,
            f"the network returned something that is not feed metadata ({exc}); a captive "
            "portal or a wrong feed address?",
            FailureCode.NOT_METADATA,
        )
    if isinstance(exc, tuf_errors.ExpiredMetadataError):
        return SyncFailure(
            st.EXPIRED,
            f"the feed's signed metadata has expired ({exc}); check the clock, "
            "or ask the publisher to re-sign the feed",
            FailureCode.EXPIRED,
        )
    if isinstance(exc, tuf_errors.BadVersionNumberError):
        return SyncFailure(
            st.REJECTED,
            f"the feed's signed metadata go back in time or do not fit together ({exc}): "
            "a replayed or mixed feed, or an old bundle; the content is kept",
            FailureCode.REPLAYED,
        )
    if isinstance(exc, tuf_errors.RepositoryError):
        return SyncFailure(
            st.REJECTED, f"the feed failed verification: {exc}", FailureCode.UNVERIFIED
        )
    if isinstance(exc, tuf_errors.DownloadLengthMismatchError):
        return SyncFailure(
            st.REJECTED,
            f"the feed sent a file larger than allowed ({exc}); it was discarded",
            FailureCode.TOO_LARGE,
        )
    if isinstance(exc, tuf_errors.DownloadError):
        return SyncFailure(
            st.OFFLINE, f"could not download from the feed: {exc}", FailureCode.UNREACHABLE
        )
    if isinstance(exc, (OperationalError, sqlite3.OperationalError, OSError)):
        if disk_full(exc):
            return SyncFailure(
                st.DISK,
                "the disk is full; free some space, the old content is kept",
                FailureCode.DISK_FULL,
            )
        return SyncFailure(st.FAILED, f"sync failed: {exc}", FailureCode.FAILED)
    return None


def disk_full(exc: BaseException) -> bool:
    text = str(exc).lower()
    return (
        (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
        or "database or disk is full" in text
        or "no space left" in text
    )
