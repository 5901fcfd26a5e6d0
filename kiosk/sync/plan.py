"""From verified packs to one change per channel: the delta chain, authority, folding."""

from __future__ import annotations

from typing import Any

from kiosk.content.importer import ChannelChange
from kiosk.content.source.records import ALL_GATES, ItemRecord
from kiosk.feed.names import MANIFEST, NATIONAL, check_target_path, province_of
from kiosk.feed.packs import Pack
from kiosk.feed.publish import MANIFEST_FORMAT
from kiosk.sync.failures import FailureCode, Params


class Rejected(Exception):
    """Content that is signed but must not be applied; the message says what and why (in
    English, for the log), ``code`` and ``params`` say it for the panel."""

    def __init__(
        self, message: str, code: FailureCode = FailureCode.REJECTED, params: Params | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.params: Params = dict(params or {})


def check_manifest(data: Any, channel: str) -> dict[str, Any]:
    """The manifest's fields, checked: every path it names lies inside its channel."""
    name = f"{channel}/{MANIFEST}"
    try:
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ValueError("unknown format")
        if data.get("channel") != channel:
            raise ValueError(f"it names channel '{str(data.get('channel'))[:40]}'")
        revision = data["revision"]
        snapshot = data["snapshot"]
        if not isinstance(revision, int) or isinstance(revision, bool) or revision < 1:
            raise ValueError("bad revision")
        check_target_path(snapshot["path"], channel)
        if snapshot["revision"] != revision:
            raise ValueError("its snapshot is of another revision")
        deltas = data["deltas"]
        if not isinstance(deltas, list) or len(deltas) > 1000:
            raise ValueError("bad delta list")
        for delta in deltas:
            check_target_path(delta["path"], channel)
            if not all(isinstance(delta[k], int) for k in ("from", "to")):
                raise ValueError("bad delta")
    except (KeyError, TypeError, ValueError) as exc:
        raise Rejected(f"{name} is malformed ({exc})") from None
    return data


def delta_chain(manifest: dict[str, Any], local: int) -> list[dict[str, Any]] | None:
    """The deltas leading from ``local`` to the manifest's revision, or None if broken."""
    by_from = {d["from"]: d for d in manifest["deltas"] if d["to"] == d["from"] + 1}
    chain = []
    current = local
    while current < manifest["revision"]:
        step = by_from.get(current)
        if step is None:
            return None
        chain.append(step)
        current = step["to"]
    return chain


def check_authority(
    pack: Pack,
    gate_provinces: dict[str, str],
    categories: set[str],
    owners: dict[str, str],
) -> None:
    """What TUF cannot check: which records a channel may carry (its files are authorised
    by path; its records are authorised here). A province may only touch its own items,
    shown at its own gates, never sensitive; gates and categories come from the national
    channel alone."""
    channel = pack.channel
    province = province_of(channel)
    where = f"{channel} revision {pack.revision_to} rejected"
    if province is not None and pack.structure is not None:
        raise Rejected(f"{where}: only the national channel may define gates and categories")
    for item in pack.upserts:
        _check_item(item, channel, province, gate_provinces, categories, where)
    for item_id in [i.id for i in pack.upserts] + pack.deletes:
        owner = owners.get(item_id, channel)
        if owner != channel:
            raise Rejected(f"{where}: item '{item_id}' belongs to channel '{owner}'")


def _check_item(
    item: ItemRecord,
    channel: str,
    province: str | None,
    gate_provinces: dict[str, str],
    categories: set[str],
    where: str,
) -> None:
    if item.category not in categories:
        raise Rejected(f"{where}: item '{item.id}' is in unknown category '{item.category}'")
    if province is None:
        return
    if item.sensitive:
        raise Rejected(
            f"{where}: item '{item.id}' is sensitive and only the national role may sign it"
        )
    for gate in item.gates:
        if gate == ALL_GATES or gate_provinces.get(gate) != province:
            raise Rejected(
                f"{where}: item '{item.id}' is shown at gate '{gate}', outside province "
                f"'{province}'"
            )


def fold(channel: str, packs: list[Pack]) -> ChannelChange:
    """One change equal to applying ``packs`` in order (a snapshot, or consecutive deltas)."""
    if packs and packs[0].revision_from == 0:
        (snapshot,) = packs
        return ChannelChange(channel, snapshot.upserts, structure=snapshot.structure)
    upserts: dict[str, ItemRecord] = {}
    deletes: set[str] = set()
    structure = None
    for pack in packs:
        structure = pack.structure or structure
        for item in pack.upserts:
            upserts[item.id] = item
            deletes.discard(item.id)
        for item_id in pack.deletes:
            upserts.pop(item_id, None)
            deletes.add(item_id)
    return ChannelChange(
        channel, list(upserts.values()), sorted(deletes), replace=False, structure=structure
    )


def subscribed_channels(gate_provinces: dict[str, str], gate: str | None) -> list[str]:
    """National first, then the province of this kiosk's gate (or of every known gate)."""
    provinces = sorted({p for g, p in gate_provinces.items() if gate is None or g == gate})
    return [NATIONAL, *(f"province-{p}" for p in provinces)]
