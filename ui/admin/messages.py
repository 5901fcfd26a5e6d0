"""What the maintenance panel and the PIN pad say about the core's states and failures.

The core reports a code and its parameters (a sync failure, a storage or clock problem, a
refused PIN) and keeps its English sentence for the log and the command line; this module is
the one place where those codes become sentences in the interface language, so an operator
reading the panel in Vietnamese never meets an English core sentence in it.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.admin.pins import MIN_DIGITS, PinRefused, PinRule, Role
from kiosk.app.clock import ClockProblem
from kiosk.i18n import _, ngettext
from kiosk.storage import StorageKind, StorageProblem
from kiosk.sync.failures import FailureCode
from kiosk.sync.status import SyncOutcome, SyncStatus, SyncStep
from kiosk.sync.trust import NONE, trust_text
from kiosk.textsafe import shown


class LastSync(Protocol):
    """What the panel says about the last sync: a sync status, or a status snapshot's facts."""

    @property
    def last_attempt(self) -> str | None: ...
    @property
    def last_outcome(self) -> str | None: ...
    @property
    def last_error_code(self) -> str | None: ...
    @property
    def last_error_params(self) -> dict[str, str | int]: ...


def storage_text(problem: StorageProblem) -> str:
    """What the operator reads about a disk the kiosk cannot write: what, where, what to do."""
    if problem.kind == StorageKind.FULL:
        return _(
            "The data disk is full ({path}): usage figures, settings and content updates are "
            "not being saved. Free some space or ask a technician to enlarge the disk."
        ).format(path=problem.path)
    return _(
        "The data folder {path} is read-only: usage figures, settings and content updates are "
        "not being saved. Check the disk for errors (it may have been remounted read-only) and "
        "restart the kiosk."
    ).format(path=problem.path)


def clock_text(problem: ClockProblem | None, now: str) -> str:
    """The clock line of the panel: the time, and what is wrong with it."""
    if problem == ClockProblem.BEHIND:
        return _("{now}: behind the verified content, set the clock").format(now=now)
    if problem == ClockProblem.AHEAD:
        return _("{now}: far ahead of the verified content, check the clock").format(now=now)
    return now


def sync_outcome_text(outcome: SyncOutcome | str | None) -> str:
    """One or two words for how the last sync ended."""
    words = {
        # TRANSLATORS: how the last sync ended (a fact in the maintenance panel).
        SyncOutcome.OK: _("new content applied"),
        SyncOutcome.CURRENT: _("already up to date"),
        SyncOutcome.OFFLINE: _("feed not reachable"),
        SyncOutcome.EXPIRED: _("feed expired"),
        SyncOutcome.REJECTED: _("refused for safety"),
        SyncOutcome.CLOCK: _("clock wrong"),
        SyncOutcome.DISK: _("disk full"),
        SyncOutcome.BUSY: _("another sync was running"),
        SyncOutcome.FAILED: _("failed"),
        SyncOutcome.INTERRUPTED: _("interrupted"),
        SyncOutcome.UNTRUSTED: _("no root of trust"),
    }
    if outcome is None:
        return "-"
    try:
        return words[SyncOutcome(outcome)]
    except ValueError:  # written by a newer version: the schedule counts it as failed too
        return words[SyncOutcome.FAILED]


def sync_failure_text(code: str | None, params: dict[str, str | int]) -> str | None:
    """Why the last sync failed, in the interface language; None for a status written by an
    older version (no code: only the outcome is shown, never the English message)."""
    try:
        known = FailureCode(code) if code else None
    except ValueError:
        known = None
    if known is None:
        return None
    p = {k: shown(v) if isinstance(v, str) else v for k, v in params.items()}
    texts: dict[FailureCode, str] = {
        FailureCode.BUSY: _("Another sync is running; wait for it to finish."),
        # TRANSLATORS: {now} and {floor} are dates and times (UTC), e.g. 2026-12-01 08:30.
        FailureCode.CLOCK_BEHIND: _(
            "The clock says {now} UTC, earlier than {floor} when this kiosk already verified "
            "content. Set the clock, then sync again."
        ),
        FailureCode.NOT_METADATA: _(
            "The network answered with something that is not the feed: a Wi-Fi login page "
            "or a wrong feed address? Check the network, then sync again."
        ),
        FailureCode.EXPIRED: _(
            "The feed's signatures have expired. Check the clock, or ask the publisher to "
            "sign the feed again."
        ),
        FailureCode.REPLAYED: _(
            "The feed goes back in time or does not fit together (an old bundle, or a "
            "replayed feed) and was refused. The content on the kiosk is kept."
        ),
        FailureCode.UNVERIFIED: _(
            "The feed failed its signature check and was refused. The content on the kiosk "
            "is kept. Report it to the publisher."
        ),
        FailureCode.TOO_LARGE: _("The feed sent a file larger than allowed; it was discarded."),
        FailureCode.UNREACHABLE: _(
            "The feed could not be downloaded. Check the network; the kiosk tries again later."
        ),
        # TRANSLATORS: {need} and {free} are sizes in megabytes.
        FailureCode.DISK_FULL: _(
            "The disk is too full to sync: {need_mb} MB needed, {free_mb} MB free. Free some "
            "space; the content on the kiosk is kept."
        )
        if "need_mb" in p
        else _("The disk is too full to sync. Free some space; the content on the kiosk is kept."),
        FailureCode.FAILED: _(
            "The sync failed; the content on the kiosk is kept. The recent events below say more."
        ),
        # TRANSLATORS: {file} is the name of a file on a USB stick.
        FailureCode.NOT_BUNDLE: _(
            "{file} is not a readable bundle file. Export the bundle again onto a clean stick."
        ),
        # TRANSLATORS: {feed} is an address or a folder name, as set on the kiosk.
        FailureCode.UNKNOWN_FEED: _(
            "The feed {feed} is neither a web address, a folder nor a bundle file."
        ),
        FailureCode.REJECTED: _(
            "The feed carries content it may not carry and was refused. The content on the "
            "kiosk is kept. Report it to the publisher."
        ),
        # TRANSLATORS: {what} names a part of the feed (e.g. "national"); {version} and {seen}
        # are numbers.
        FailureCode.ROLLBACK: _(
            "The feed's {what} is version {version}, older than version {seen} this kiosk "
            "already has: an old bundle or a replayed feed, refused. The content on the kiosk "
            "is kept."
        ),
        FailureCode.TAMPERED: _(
            "The file {file} does not match its signature (damaged or altered on the way) and "
            "was discarded. The content on the kiosk is kept."
        ),
        FailureCode.BUNDLE_TOO_MANY: _(
            "The bundle file {file} holds too many files and was refused. The content on the "
            "kiosk is kept. Export the bundle again onto a clean stick."
        ),
        FailureCode.BUNDLE_DAMAGED: _(
            "The bundle file {file} is damaged or crafted and was refused. The content on the "
            "kiosk is kept. Export the bundle again onto a clean stick."
        ),
        # TRANSLATORS: {entry} is a name inside the bundle file.
        FailureCode.NO_ROOT: trust_text(NONE),
        FailureCode.BUNDLE_FOREIGN: _(
            "The bundle file {file} holds {entry}, which is not part of a feed, and was "
            "refused. The content on the kiosk is kept. Export the bundle again onto a clean "
            "stick."
        ),
    }
    try:
        return texts[known].format(**p)
    except (KeyError, IndexError, ValueError):  # a parameter missing: the outcome alone says it
        return None


def last_sync_text(status: LastSync) -> str:
    """The panel's "Last sync" fact: when, how it ended, and why in the operator's words."""
    if not status.last_attempt:
        return _("never")
    text = f"{status.last_attempt} — {sync_outcome_text(status.last_outcome)}"
    if status.last_outcome in (SyncOutcome.OK, SyncOutcome.CURRENT):
        return text
    reason = sync_failure_text(status.last_error_code, status.last_error_params)
    return text + (f": {reason}" if reason else "")


def sync_result_text(status: SyncStatus) -> str:
    """What the panel says when a sync it started has ended."""
    if status.last_outcome in (SyncOutcome.OK, SyncOutcome.CURRENT):
        return _("Sync finished: content revision {revision}.").format(
            revision=status.content_revision
        )
    reason = sync_failure_text(status.last_error_code, status.last_error_params) or ""
    return _("Sync failed ({outcome}): {error}").format(
        outcome=sync_outcome_text(status.last_outcome), error=reason
    )


def progress_text(status: SyncStatus) -> str:
    """What a running sync is doing."""
    p = status.step_params
    try:
        step = SyncStep(status.step)
    except ValueError:  # a status of an older version: no step yet
        return _("Syncing…")
    try:
        if step == SyncStep.MEDIA:
            return ngettext(
                # TRANSLATORS: the plural form follows {total}, the number of media files.
                "Media file {number} of {total}…",
                "Media file {number} of {total}…",
                int(p["total"]),
            ).format(number=p["number"], total=p["total"])
        texts = {
            SyncStep.STARTING: _("Syncing…"),
            SyncStep.VERIFYING: _("Checking the feed's signatures…"),
            # TRANSLATORS: {channel} is the name of a part of the feed, e.g. "national".
            SyncStep.READING: _("Reading the {channel} channel…"),
            # TRANSLATORS: {file} is the name of a file of the feed.
            SyncStep.DOWNLOADING: _("Downloading {file}…"),
            SyncStep.APPLYING: _("Applying the new content…"),
        }
        return texts[step].format(**{k: shown(str(v)) for k, v in p.items()})
    except (KeyError, ValueError):
        return _("Syncing…")


def pin_refusal_text(exc: PinRefused) -> str:
    """Why a new PIN was refused."""
    if exc.code == PinRule.SHORT:
        role = Role(str(exc.params.get("role", Role.ADMIN)))
        digits = int(exc.params.get("digits", MIN_DIGITS[role]))
        return ngettext(
            "The PIN was not changed: it needs at least {digits} digit.",
            "The PIN was not changed: it needs at least {digits} digits.",
            digits,
        ).format(digits=digits)
    if exc.code == PinRule.SAME:
        return _("The PIN was not changed: the admin and staff PINs must differ.")
    return _("The PIN was not changed: it is too easy to guess.")


def wait_text(seconds: int, *, code: bool = False) -> str:
    """The PIN pad's lockout: how long until the next attempt is compared."""
    if code:
        return ngettext(
            "Too many wrong codes. Try again in {seconds} second.",
            "Too many wrong codes. Try again in {seconds} seconds.",
            seconds,
        ).format(seconds=seconds)
    return ngettext(
        "Too many wrong PINs. Try again in {seconds} second.",
        "Too many wrong PINs. Try again in {seconds} seconds.",
        seconds,
    ).format(seconds=seconds)


def change_wait_text(seconds: int) -> str:
    """A PIN change refused while the lockout runs."""
    return ngettext(
        "The PIN was not changed: too many wrong PINs. Try again in {seconds} second.",
        "The PIN was not changed: too many wrong PINs. Try again in {seconds} seconds.",
        seconds,
    ).format(seconds=seconds)


def revision_age_text(revision: str, days: int) -> str:
    """The content revision and how old it is."""
    return ngettext("{revision}, {days} day old", "{revision}, {days} days old", days).format(
        revision=revision, days=days
    )


def more_bundles_text(more: int, listed: int) -> str:
    """Bundle files on the stick beyond those offered."""
    return ngettext(
        # TRANSLATORS: {listed} is the number of bundle files listed above (always several).
        "{count} more bundle file not shown: only the {listed} newest are listed.",
        "{count} more bundle files not shown: only the {listed} newest are listed.",
        more,
    ).format(count=more, listed=listed)


def setting_refused_text() -> str:
    """A setting outside its range (the panel's steppers keep to the ranges; the log says
    which value)."""
    return _("The settings were not saved: a value is outside its allowed range.")


def unwritten_text(*, pin: bool) -> str:
    """A write the disk refused for a reason it did not name (its words go to the log)."""
    if pin:
        return _(
            "The PIN was not changed: the disk refused the write. The recent events below say more."
        )
    return _(
        "The settings were not saved: the disk refused the write. The recent events below say more."
    )
