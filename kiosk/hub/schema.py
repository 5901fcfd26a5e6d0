"""What kiosks may send, field by field. Anything else (an unknown field, a text where a number
belongs, an oversized list, a cell below the threshold) is refused, so a faulty or hostile
kiosk cannot make the hub store free text or small cells."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

METRICS = Literal[
    "sessions", "session_length", "language", "category", "item", "search", "search_scrubbed",
    "qr", "assisted", "keyboard",
]  # fmt: skip
Period = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}(-\d{2}(T\d{2})?)?$")]
Slug = Annotated[str, StringConstraints(max_length=80, pattern=r"^[A-Za-z0-9_.:+-]*$")]
KioskId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
MAX_ROWS = 50_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CountRow(Strict):
    period: Period
    metric: METRICS
    dim1: Slug = ""
    dim2: Slug = ""
    value: Count


class SuppressedRow(Strict):
    period: Period
    metric: METRICS
    value: Count


class TermRow(Strict):
    month: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]
    lang: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")]
    term: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    sessions: Count
    zero: Count


class Batch(Strict):
    schema_version: Literal[1]
    kiosk_id: KioskId
    batch_id: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
    k: Annotated[int, Field(ge=3, le=100)]
    counts: Annotated[list[CountRow], Field(max_length=MAX_ROWS)]
    suppressed: Annotated[list[SuppressedRow], Field(max_length=MAX_ROWS)]
    terms: Annotated[list[TermRow], Field(max_length=5_000)]


class Heartbeat(Strict):
    schema_version: Literal[1]
    kiosk_id: KioskId
    version: Annotated[str, StringConstraints(max_length=32)]
    gate: Annotated[str, StringConstraints(max_length=64)]
    revisions: dict[Annotated[str, StringConstraints(max_length=64)], int]
    content_revision: int
    last_sync: Annotated[str, StringConstraints(max_length=40)] | None
    last_outcome: Annotated[str, StringConstraints(max_length=32)] | None
    disk_free: Count | int
    audit_head: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    trust: Literal["installed", "demo", "none"] | None = None
