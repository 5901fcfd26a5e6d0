"""The root of trust a kiosk verifies feeds against.

A kiosk trusts no root until one is installed: by an operator with ``kiosk trust ROOT_JSON``
(kept in ``DATA_DIR/trust/root.json``), or by the installer as the file named by
``$KIOSK_TRUST_ROOT`` (the Debian package: ``/etc/border-kiosk/root.json``), used when
``kiosk trust`` installed none. Without a root the kiosk does not sync and shows the content it
has. The cache of metadata learnt from a feed is never used as the anchor: every sync starts
again from the installed file (python-tuf's ``bootstrap``).
"""

from __future__ import annotations

import logging
import shutil
from enum import StrEnum
from pathlib import Path
from typing import Literal

from tuf.api.exceptions import UnsignedMetadataError
from tuf.api.metadata import Metadata, Root

from kiosk.durable import write_file
from kiosk.i18n import _
from kiosk.options import from_environment

TrustState = Literal["installed", "demo", "none"]
INSTALLED: TrustState = "installed"  # a root installed by the operator or the installer
DEMO: TrustState = "demo"  # the public demo feed's root: anyone can sign for it
NONE: TrustState = "none"  # no root: sync is off

# Every key of the demo feed's root (demo/keys in a checkout, whose private keys are public).
# A root that names any of them can be signed for by anybody. The package does not carry the
# demo root, so its key ids are kept here; the test suite checks them against demo/keys.
DEMO_KEY_IDS = frozenset(
    {
        "27dcc27ae4f4a79bf27fec43f16be804e44d44117c0b51de925e38a83f6e021a",
        "51be1d8b8d7ba2b8ef0f52357cc2919f6a050d67332fc896d73f9a6208df237d",
        "93a7705caa674352d10207ef8378007679c64c7c20572968ddfcf305be01699d",
        "c5a25e4d7a03a463a3936d4a34118267633225507c35147f4efdac2ec8f4191b",
    }
)

NO_ROOT_SENTENCE = (
    "no root of trust is installed, so this kiosk does not sync and keeps showing the content "
    "it has; install the feed's root with 'kiosk trust ROOT_JSON'"
)
DEMO_ROOT_SENTENCE = (
    "this kiosk trusts the public demo root, so anybody can sign content it accepts; install "
    "your feed's root with 'kiosk trust ROOT_JSON' before deployment"
)

log = logging.getLogger("kiosk.sync")


class TrustCode(StrEnum):
    UNREADABLE = "unreadable"  # path, reason: the file cannot be read
    UNSIGNED = "unsigned"  # path: not signed by its own root keys
    NOT_ROOT = "not-root"  # path: not a TUF root metadata file


class TrustProblem(Exception):
    """A root of trust that cannot be installed: an English message, and a code with its
    parameters for interfaces that say it in their own words."""

    def __init__(self, message: str, code: TrustCode, **params: str) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def installed_root(data_dir: Path) -> Path:
    return data_dir / "trust" / "root.json"


def installer_root() -> Path | None:
    """The root the installer placed, if this installation names one."""
    named = from_environment("trust_root")
    return Path(named) if named else None


def trusted_root_file(data_dir: Path) -> Path | None:
    """The root to bootstrap from: installed with ``kiosk trust``, else the installer's."""
    for path in (installed_root(data_dir), installer_root()):
        if path is not None and path.is_file():
            return path
    return None


def trusted_root_bytes(data_dir: Path) -> tuple[bytes, TrustState] | None:
    """The root to bootstrap from and its state, or None when no root is installed."""
    path = trusted_root_file(data_dir)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TrustProblem(
            f"cannot read the root of trust {path} ({exc.strerror})",
            TrustCode.UNREADABLE,
            path=str(path),
            reason=str(exc.strerror),
        ) from None
    return data, _state_of(check_root(data, str(path)))


def trust_state(data_dir: Path) -> TrustState:
    """The state of trust: "installed", "demo" (a root naming a demo key) or "none"."""
    try:
        found = trusted_root_bytes(data_dir)
    except TrustProblem:
        return NONE
    return NONE if found is None else found[1]


def log_trust_state(data_dir: Path) -> TrustState:
    """One sentence in the log when the kiosk does not sync or trusts the demo root."""
    state = trust_state(data_dir)
    if state != INSTALLED:
        log.warning(NO_ROOT_SENTENCE if state == NONE else DEMO_ROOT_SENTENCE)
    return state


def trust_text(state: TrustState) -> str:
    """The state in one sentence for the maintenance panel, in the panel's language."""
    if state == NONE:
        return _(
            "none installed: sync is off and the kiosk shows the content it has; install the "
            "feed's root with 'kiosk trust ROOT_JSON'"
        )
    if state == DEMO:
        return _(
            "the public demo root: anybody can sign content this kiosk accepts; install your "
            "feed's root with 'kiosk trust ROOT_JSON'"
        )
    return _("installed")


def _state_of(root: Metadata[Root]) -> TrustState:
    return DEMO if DEMO_KEY_IDS & set(root.signed.keys) else INSTALLED


def check_root(data: bytes, where: str) -> Metadata[Root]:
    try:
        root = Metadata[Root].from_bytes(data)
        root.signed.verify_delegate("root", root.signed_bytes, root.signatures)
    except UnsignedMetadataError as exc:
        raise TrustProblem(
            f"{where} is not signed by its own root keys ({exc})", TrustCode.UNSIGNED, path=where
        ) from None
    except Exception as exc:
        raise TrustProblem(
            f"{where} is not a TUF root metadata file ({exc})", TrustCode.NOT_ROOT, path=where
        ) from None
    return root


def install_root(data_dir: Path, source: Path) -> Metadata[Root]:
    """Make ``source`` the kiosk's root of trust. The metadata cached from the previous feed
    and its version floors are forgotten (they belong to the old root); content stays."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise TrustProblem(
            f"cannot read {source} ({exc.strerror})",
            TrustCode.UNREADABLE,
            path=str(source),
            reason=exc.strerror or "",
        ) from None
    root = check_root(data, str(source))
    write_file(installed_root(data_dir), data)
    shutil.rmtree(data_dir / "sync" / "tuf", ignore_errors=True)
    return root


def is_demo_root(root: Metadata[Root]) -> bool:
    return _state_of(root) == DEMO
