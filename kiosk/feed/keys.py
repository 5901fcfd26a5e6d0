"""Signing keys of a feed: one ed25519 key per role, kept as PEM files in a keys folder.

``KEYS/<role>.pem`` holds a private key (mode 0600); ``KEYS/root.json`` is the newest signed
root and ``KEYS/<N>.root.json`` every earlier one (a kiosk walks the chain to learn new keys).
The demo thresholds are 1: a ministry deployment gives root and the national role more keys.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.signer import CryptoSigner, SSlibKey
from tuf.api.metadata import Metadata, Root
from tuf.api.serialization.json import JSONSerializer

from kiosk.durable import write_file
from kiosk.feed.names import TOP_ROLES, BadName, channel_of

ROOT_LIFETIME = dt.timedelta(days=730)


class KeyProblem(Exception):
    """A key that is missing, unreadable, or already there."""


class KeyRing:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def key_file(self, role: str) -> Path:
        if role not in TOP_ROLES:
            try:
                channel_of(role)
            except BadName as exc:
                raise KeyProblem(str(exc)) from None
        return self.folder / f"{role}.pem"

    def has(self, role: str) -> bool:
        return self.key_file(role).is_file()

    def roles(self) -> list[str]:
        """Every role with a key here, top-level roles first."""
        names = sorted(p.name.removesuffix(".pem") for p in self.folder.glob("*.pem"))
        return [r for r in TOP_ROLES if r in names] + [r for r in names if r not in TOP_ROLES]

    def create(self, role: str, *, replace: bool = False) -> SSlibKey:
        path = self.key_file(role)
        if path.exists() and not replace:
            raise KeyProblem(f"a key for role '{role}' already exists in {self.folder}")
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        return SSlibKey.from_crypto(private.public_key())

    def signer(self, role: str) -> CryptoSigner:
        path = self.key_file(role)
        try:
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except FileNotFoundError:
            raise KeyProblem(
                f"no key for role '{role}' in {self.folder}; create it with "
                f"'kiosk keys init' or 'kiosk keys add'"
            ) from None
        except ValueError as exc:
            raise KeyProblem(f"{path} is not a readable private key ({exc})") from None
        return CryptoSigner(private)

    def public(self, role: str) -> SSlibKey:
        return self.signer(role).public_key

    # -- root ------------------------------------------------------------------------------
    def root_file(self) -> Path:
        return self.folder / "root.json"

    def root(self) -> Metadata[Root]:
        try:
            return Metadata[Root].from_bytes(self.root_file().read_bytes())
        except FileNotFoundError:
            raise KeyProblem(
                f"{self.root_file()} is missing; run 'kiosk keys init {self.folder}' first"
            ) from None

    def root_chain(self) -> list[bytes]:
        """Every root version, oldest first (the files a feed must carry)."""
        current = self.root()
        chain = [
            (self.folder / f"{v}.root.json").read_bytes() for v in range(1, current.signed.version)
        ]
        return [*chain, self.root_file().read_bytes()]

    def write_root(self, root: Metadata[Root]) -> None:
        data = root.to_bytes(JSONSerializer(compact=False))
        write_file(self.folder / f"{root.signed.version}.root.json", data)
        write_file(self.root_file(), data)


def init_keys(folder: Path, *, provinces: list[str], now: dt.datetime) -> KeyRing:
    """Create a key per role and the first signed root (version 1)."""
    ring = KeyRing(folder)
    if ring.root_file().exists():
        raise KeyProblem(f"{ring.root_file()} already exists; keys are made once per feed")
    root = Root(expires=now + ROOT_LIFETIME, consistent_snapshot=True)
    for role in TOP_ROLES:
        root.add_key(ring.create(role), role)
    for role in ["national", *(f"province-{code}" for code in provinces)]:
        ring.create(role)
    metadata = Metadata(root)
    metadata.sign(ring.signer("root"))
    ring.write_root(metadata)
    return ring


def rotate_key(ring: KeyRing, role: str, *, now: dt.datetime) -> int:
    """Replace a role's key. A top-level role gets a new root version signed by the old and
    the new root keys; a delegated role is re-delegated at the next publish. Returns the root
    version now in force."""
    current = ring.root()
    if role not in TOP_ROLES:
        ring.create(role, replace=True)
        return current.signed.version
    old_signer = ring.signer("root")
    root = current.signed
    for keyid in list(root.roles[role].keyids):
        root.revoke_key(keyid, role)
    root.add_key(ring.create(role, replace=True), role)
    root.version += 1
    root.expires = now + ROOT_LIFETIME
    metadata = Metadata(root)
    metadata.sign(ring.signer("root"))
    if role == "root":
        metadata.sign(old_signer, append=True)  # the old keys vouch for the new ones
    ring.write_root(metadata)
    return root.version
