"""What the operator must hear about a kiosk besides its freshness: whom it trusts for its
content, and whether its audit log was cut or rewritten. Shared by the fleet page and
``kiosk hub list``."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from sqlalchemy import Engine, delete, select, update

from kiosk.hub.db import audit_marks, heartbeats, kiosks

TRUST_WARNINGS = {
    "none": "trusts no root of trust: it syncs nothing and runs on its bundled content only; "
    "install your root on it with 'kiosk trust'",
    "demo": "trusts the public demo root: anyone can sign content it accepts; install your "
    "root on it with 'kiosk trust'",
}


def warnings_of(beat: Any) -> list[str]:
    """Warnings from a kiosk's last heartbeat row (None: no heartbeat yet)."""
    if beat is None:
        return []
    found = [TRUST_WARNINGS[beat.trust]] if beat.trust in TRUST_WARNINGS else []
    if beat.audit_alarm:
        found.append(beat.audit_alarm)
    return found


def kiosk_listing(engine: Engine) -> list[str]:
    """One line per registered kiosk: id, gate, last heartbeat, trust, then its warnings."""
    with engine.connect() as conn:
        registered = conn.execute(select(kiosks.c.id, kiosks.c.gate).order_by(kiosks.c.id)).all()
        beats = {r.kiosk_id: r for r in conn.execute(select(heartbeats))}
    lines = []
    for kiosk_id, gate in registered:
        beat = beats.get(kiosk_id)
        seen = beat.received_at if beat else "never"
        trust = (beat.trust if beat else None) or "-"
        lines.append(f"{kiosk_id}  gate {gate or '-'}  last heartbeat {seen}  trust {trust}")
        lines += [f"  ! {warning}" for warning in warnings_of(beat)]
    return lines


def register_again(engine: Engine, kiosk_id: str, gate: str) -> str | None:
    """A registered kiosk rebuilt or moved: a new token and gate, its audit history and alarm
    forgotten (its new chain starts again). Returns the token, or None if it is unknown."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        if not conn.execute(
            update(kiosks)
            .where(kiosks.c.id == kiosk_id)
            .values(token_sha256=hashlib.sha256(token.encode()).hexdigest(), gate=gate)
        ).rowcount:
            return None
        conn.execute(delete(audit_marks).where(audit_marks.c.kiosk_id == kiosk_id))
        conn.execute(
            update(heartbeats).where(heartbeats.c.kiosk_id == kiosk_id).values(audit_alarm=None)
        )
    return token
