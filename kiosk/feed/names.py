"""Names in the feed: signing roles, channels, target paths. Checked on both sides.

python-tuf accepts any string as a target path and its ``*`` matches ``..`` and encoded
segments, so every path is held to a strict pattern here, at publish and at sync, and no local
file name is ever built from one.
"""

from __future__ import annotations

import re

from kiosk.content.model import NATIONAL  # noqa: F401 - the feed's name for that channel

PROVINCE_PREFIX = "province-"
TOP_ROLES = ("root", "targets", "snapshot", "timestamp")

_SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
CHANNEL = re.compile(rf"^(?:national|province-{_SLUG})$")
# <channel>/<file>: one folder level, no dot segments, no encoded characters.
TARGET_PATH = re.compile(rf"^(national|province-{_SLUG})/([a-z0-9][a-z0-9._-]{{0,120}})$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
MANIFEST = "channel.json"


class BadName(ValueError):
    """A role, channel or path that the feed does not allow."""


def channel_of(publisher: str) -> str:
    """The channel (and signing role) of a source's ``publisher``."""
    if not CHANNEL.match(publisher):
        raise BadName(
            f"publisher '{publisher}' is not a feed role; use 'national' or "
            f"'province-<code>' (for example province-quang-ninh)"
        )
    return publisher


def province_of(channel: str) -> str | None:
    return channel.removeprefix(PROVINCE_PREFIX) if channel.startswith(PROVINCE_PREFIX) else None


def target_path(channel: str, name: str) -> str:
    path = f"{channel}/{name}"
    check_target_path(path, channel)
    return path


def check_target_path(path: str, channel: str | None = None) -> str:
    """The path itself, if it is a well-formed target of ``channel`` (any channel if None)."""
    match = TARGET_PATH.match(path)
    if not match or ".." in path or (channel is not None and match.group(1) != channel):
        where = f" of channel '{channel}'" if channel else ""
        raise BadName(f"'{path[:200]}' is not an allowed feed path{where}")
    return path


def pack_name(revision_from: int, revision_to: int) -> str:
    if revision_from == 0:
        return f"snap-{revision_to:06d}.ndjson.gz"
    return f"delta-{revision_from:06d}-{revision_to:06d}.ndjson.gz"


def blob_path(sha256: str, encoding: str) -> str:
    """Where a media blob lives in the feed, relative to its root."""
    if not SHA256.match(sha256):
        raise BadName(f"'{sha256[:80]}' is not a sha256 hash")
    return f"blobs/sha256/{sha256[:2]}/{sha256}" + (".gz" if encoding == "gzip" else "")
