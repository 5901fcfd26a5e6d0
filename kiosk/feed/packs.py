"""Packs: gzip NDJSON files holding one channel's records from one revision to another.

Line 1 is a header ``{"format": "kiosk-pack/1", "channel", "from", "to", "records",
"uncompressed"}``; every other line is one record: ``{"op": "upsert", "item": {...}}``,
``{"op": "delete", "id": "..."}`` or (national channel only) ``{"op": "structure", ...}``.
A snapshot pack (``from`` 0) holds the whole channel. Reading never trusts the sizes it is
told: decompression stops at a cap, lines and nesting are bounded, duplicate keys and NaN are
refused, so a hostile pack costs bounded memory and ends in one clear sentence.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kiosk.content.source.records import ItemRecord, Structure
from kiosk.feed.records import (
    RecordError,
    item_from_json,
    item_to_json,
    structure_from_json,
    structure_to_json,
)

FORMAT = "kiosk-pack/1"
MAX_UNCOMPRESSED = 2_000_000_000  # a 50,000-item snapshot in six languages is ~0.6 GB
MAX_RATIO = 100  # text compresses 4-10×; 100× is a bomb
MAX_LINE = 4_000_000


class PackError(ValueError):
    """A pack that cannot be used; the message says which and why."""


@dataclass
class Pack:
    channel: str
    revision_from: int
    revision_to: int
    structure: Structure | None = None
    upserts: list[ItemRecord] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    # How each media blob is stored in the feed: sha256 -> (encoding, stored length).
    blobs: dict[str, tuple[str, int]] = field(default_factory=dict)


def write_pack(pack: Pack) -> bytes:
    lines: list[bytes] = []
    if pack.structure is not None:
        lines.append(_line({"op": "structure", "structure": structure_to_json(pack.structure)}))
    lines += [
        _line(
            {
                "op": "upsert",
                "item": item_to_json(i),
                "blobs": [
                    {"sha256": sha, "encoding": pack.blobs[sha][0], "length": pack.blobs[sha][1]}
                    for sha in sorted({m.sha256 for m in i.media.values()})
                ],
            }
        )
        for i in pack.upserts
    ]
    lines += [_line({"op": "delete", "id": i}) for i in sorted(pack.deletes)]
    header = {
        "format": FORMAT,
        "channel": pack.channel,
        "from": pack.revision_from,
        "to": pack.revision_to,
        "records": len(lines),
    }
    body = b"".join(lines)
    header_line = _line({**header, "uncompressed": len(body)})  # the size after the header
    return gzip.compress(header_line + body, compresslevel=6, mtime=0)


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def read_pack(
    data: bytes, *, name: str, channel: str, revision_from: int, revision_to: int
) -> Pack:
    """Parse and check a verified pack. ``name`` is used in every error message."""
    pack = Pack(channel, revision_from, revision_to)
    first = next(_lines(data, name), (1, b""))[1]
    header = _json(first, name, 1)
    expected = {
        "format": FORMAT,
        "channel": channel,
        "from": revision_from,
        "to": revision_to,
    }
    if not isinstance(header, dict) or any(header.get(k) != v for k, v in expected.items()):
        raise PackError(f"{name}: its header does not match the channel manifest")
    declared = header.get("uncompressed")
    records = header.get("records")
    if not isinstance(declared, int) or not isinstance(records, int):
        raise PackError(f"{name}: its header lacks sizes")
    count = 0
    lines = _lines(data, name, limit=len(first) + 1 + declared)
    next(lines)
    seen: set[str] = set()
    for number, raw in lines:
        count += 1
        record = _json(raw, name, number)
        try:
            _add(pack, record, seen)
        except RecordError as exc:
            raise PackError(f"{name}, line {number}: {exc}") from None
    if count != records:
        raise PackError(f"{name}: {count} records where the header says {records}")
    return pack


def _add(pack: Pack, record: Any, seen: set[str]) -> None:
    if not isinstance(record, dict) or not isinstance(record.get("op"), str):
        raise RecordError("a record has no 'op'")
    op = record["op"]
    if op == "structure" and set(record) == {"op", "structure"}:
        if pack.structure is not None:
            raise RecordError("a second structure record")
        pack.structure = structure_from_json(record["structure"])
        return
    if op == "upsert" and set(record) == {"op", "item", "blobs"}:
        item = item_from_json(record["item"])
        key = item.id
        pack.upserts.append(item)
        _add_blobs(pack, item, record["blobs"])
    elif op == "delete" and set(record) == {"op", "id"} and isinstance(record["id"], str):
        key = record["id"][:64]
        pack.deletes.append(key)
    else:
        raise RecordError(f"unknown record '{op[:20]}'")
    if key in seen:
        raise RecordError(f"item '{key}' appears twice")
    seen.add(key)


def _add_blobs(pack: Pack, item: ItemRecord, blobs: Any) -> None:
    needed = {m.sha256: m.size for m in item.media.values()}
    if not isinstance(blobs, list) or len(blobs) != len(needed):
        raise RecordError(f"item '{item.id}': its blob list does not match its media")
    for blob in blobs:
        if not isinstance(blob, dict) or set(blob) != {"sha256", "encoding", "length"}:
            raise RecordError(f"item '{item.id}': a malformed blob entry")
        sha, encoding, length = blob["sha256"], blob["encoding"], blob["length"]
        if sha not in needed or encoding not in ("gzip", "identity"):
            raise RecordError(f"item '{item.id}': a blob entry for unknown media")
        if not isinstance(length, int) or isinstance(length, bool) or not 0 < length <= 10**8:
            raise RecordError(f"item '{item.id}': a blob entry with a bad length")
        if encoding == "identity" and length != needed[sha]:
            raise RecordError(f"item '{item.id}': a blob length differs from its media size")
        pack.blobs[sha] = (encoding, length)


def _lines(data: bytes, name: str, limit: int | None = None) -> Iterator[tuple[int, bytes]]:
    """Decompressed lines, numbered from 1, never more than the caps allow."""
    cap = min(MAX_UNCOMPRESSED, MAX_RATIO * max(len(data), 1000))
    if limit is not None:
        if limit > cap:
            raise PackError(
                f"{name}: it claims {limit} bytes unpacked, more than the {cap} allowed for "
                "its size (a compression bomb?)"
            )
        cap = limit
    inflater = zlib.decompressobj(wbits=31)
    pending = b""
    total = 0
    number = 0
    view = memoryview(data)
    position = 0
    while True:
        if inflater.unconsumed_tail:
            chunk = inflater.decompress(inflater.unconsumed_tail, 1 << 20)
        elif position < len(view):
            try:
                chunk = inflater.decompress(view[position : position + (1 << 16)], 1 << 20)
            except zlib.error as exc:
                raise PackError(f"{name}: it is not valid gzip ({exc})") from None
            position += 1 << 16
        else:
            break
        total += len(chunk)
        if total > cap:
            raise PackError(f"{name}: it unpacks to more than {cap} bytes (a compression bomb?)")
        pending += chunk
        *complete, pending = pending.split(b"\n")
        for line in complete:
            number += 1
            yield number, line
        if len(pending) > MAX_LINE:
            raise PackError(f"{name}, line {number + 1}: longer than {MAX_LINE} bytes")
    if not inflater.eof or inflater.unused_data:
        raise PackError(f"{name}: the gzip stream is truncated or has trailing data")
    if pending:
        raise PackError(f"{name}: the last line is not terminated")
    if limit is not None and total != limit:
        raise PackError(f"{name}: {total} bytes unpacked where the header says {limit}")


def _json(raw: bytes, name: str, number: int) -> Any:
    if len(raw) > MAX_LINE:
        raise PackError(f"{name}, line {number}: longer than {MAX_LINE} bytes")
    try:
        text = raw.decode("utf-8")
        return json.loads(text, object_pairs_hook=no_duplicate_keys, parse_constant=_no_constant)
    except RecursionError:
        raise PackError(f"{name}, line {number}: JSON nested too deeply") from None
    except ValueError as exc:
        raise PackError(f"{name}, line {number}: not valid JSON ({str(exc)[:120]})") from None


def no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("a key appears twice in one object")
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")
