#!/usr/bin/env python3
"""List every private key found in files, folders or a tar archive; exit 1 if there is one.

    python3 find_private_keys.py PATH...          files and folders (recursively)
    python3 find_private_keys.py --tar FILE|-     every member of a tar archive

A private key is a PEM block whose label ends in PRIVATE KEY (PKCS#1, PKCS#8, EC, OpenSSH,
encrypted or not) with a body, a PGP private key block, or a key in securesystemslib's JSON
form with its private part. Code that merely names those labels is not a key. Standard
library only: it runs on the build machine and on the install test's host.
"""

from __future__ import annotations

import re
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

PATTERNS = [
    re.compile(rb"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----\s*[A-Za-z0-9+/=:,\-\s]{32,}-----END"),
    re.compile(rb"-----BEGIN PGP PRIVATE KEY BLOCK-----\s*[A-Za-z0-9+/=:,\-\s]{32,}-----END"),
    re.compile(rb'"private"\s*:\s*"[0-9a-fA-F]{32,}"'),
]


def holds_private_key(data: bytes) -> bool:
    return any(pattern.search(data) for pattern in PATTERNS)


def files(paths: list[str]) -> Iterator[tuple[str, bytes]]:
    for name in paths:
        root = Path(name)
        for path in [root] if root.is_file() else sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield str(path), path.read_bytes()


def members(source: str) -> Iterator[tuple[str, bytes]]:
    stream = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    with tarfile.open(fileobj=stream, mode="r|*") as archive:
        for member in archive:
            handle = archive.extractfile(member) if member.isfile() else None
            if handle is not None:
                yield member.name, handle.read()


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help") or (argv[0] == "--tar" and len(argv) != 2):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    found = members(argv[1]) if argv[0] == "--tar" else files(argv)
    keys = [name for name, data in found if holds_private_key(data)]
    for name in keys:
        print(f"private key: {name}")
    return 1 if keys else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
