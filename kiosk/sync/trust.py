"""The root of trust a kiosk verifies feeds against.

The application ships the demo feed's ``root.json`` (read-only, in ``data/trust``); an operator
installs their own with ``kiosk trust``. The cache of metadata learnt from a feed is never used
as the anchor: every sync starts again from this file (python-tuf's ``bootstrap``).
"""

from __future__ import annotations

import shutil
from enum import StrEnum
from pathlib import Path

from tuf.api.exceptions import UnsignedMetadataError
from tuf.api.metadata import Metadata, Root

from kiosk.durable import write_file
from kiosk.paths import bundled_trust_root


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


def trusted_root_bytes(data_dir: Path) -> tuple[bytes, str]:
    """The root to bootstrap from, and where it came from ("installed" or "demo")."""
    path = installed_root(data_dir)
    if path.is_file():
        return path.read_bytes(), "installed"
    return bundled_trust_root().read_bytes(), "demo"


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
