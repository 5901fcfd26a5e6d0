"""Why a sync cycle failed, as a code with parameters.

The English message of a failure goes to the log and the command line; the code and its
parameters are kept in the status file beside it, so the maintenance panel says the same thing
in the operator's language (``ui.admin.messages``) instead of showing an English sentence.
"""

from __future__ import annotations

from enum import StrEnum

from kiosk.sync.status import SyncOutcome

Params = dict[str, str | int]


class FailureCode(StrEnum):
    """Kept in status.json (``last_error_code``): the values must not change."""

    BUSY = "busy"  # another sync is running
    CLOCK_BEHIND = "clock-behind"  # now, floor: the clock is before verified content
    NOT_METADATA = "not-metadata"  # a captive portal or a wrong address answered
    EXPIRED = "expired"  # the feed's signed metadata have expired
    REPLAYED = "replayed"  # metadata going back in time or not fitting together
    UNVERIFIED = "unverified"  # signatures or metadata failed verification
    TOO_LARGE = "too-large"  # a file larger than its signed length
    UNREACHABLE = "unreachable"  # the download failed (network)
    DISK_FULL = "disk-full"  # need_mb, free_mb when known
    FAILED = "failed"  # anything else
    NOT_BUNDLE = "not-bundle"  # file: not a readable bundle file
    UNKNOWN_FEED = "unknown-feed"  # feed: neither an address, a folder nor a bundle
    REJECTED = "rejected"  # signed content that failed a check of what it may carry
    ROLLBACK = "rollback"  # what, version, seen: older than what the kiosk already has
    TAMPERED = "tampered"  # file: does not match its signed hash or length
    BUNDLE_TOO_MANY = "bundle-too-many-files"  # limit
    BUNDLE_DAMAGED = "bundle-damaged"  # entry: a header or entry larger than possible
    BUNDLE_FOREIGN = "bundle-foreign-entry"  # entry: a link, an escaping or unknown name
    NO_ROOT = "no-root-of-trust"  # no root of trust installed (or it cannot be read)


class SyncFailure(Exception):
    """A cycle that ends without applying anything: its outcome (which drives the schedule),
    its code and parameters (for interfaces), and an English message (for the log)."""

    def __init__(
        self,
        outcome: SyncOutcome,
        message: str,
        code: FailureCode = FailureCode.FAILED,
        params: Params | None = None,
    ) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.code = code
        self.params: Params = dict(params or {})
