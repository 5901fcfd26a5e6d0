"""Operators: the people who read the fleet page, with HTTP Basic credentials.

``kiosk hub add-operator NAME`` generates the password (32 random bytes) and prints it once;
the hub keeps only its SHA-256. A generated secret cannot be guessed, so a slow password hash
would add nothing but a way for anonymous clients to make the hub burn CPU.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlalchemy import Engine, insert, select

from kiosk.hub.db import operators

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
REALM = "kiosk hub"
basic = HTTPBasic(realm=REALM, auto_error=False)


def add_operator(engine: Engine, name: str) -> str:
    """Register an operator; returns the password (shown once, stored only as a hash)."""
    if not NAME.match(name):
        raise ValueError(name)
    secret = secrets.token_urlsafe(32)
    created = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    with engine.begin() as conn:
        conn.execute(
            insert(operators).values(name=name, secret_sha256=_sha(secret), created_at=created)
        )
    return secret


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def operator_of(
    request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)]
) -> str:
    """The operator whose name and password the request carries (401 otherwise)."""
    engine: Engine = request.app.state.engine
    stored = None
    if credentials is not None:
        with engine.connect() as conn:
            stored = conn.execute(
                select(operators.c.secret_sha256).where(operators.c.name == credentials.username)
            ).scalar()
    # Compared even without an operator of that name: the answer takes as long either way.
    given = _sha(credentials.password if credentials is not None else "")
    matches = hmac.compare_digest(given, str(stored or "0" * 64))
    if stored is None or not matches or credentials is None:
        raise HTTPException(
            401,
            "operator credentials needed: create them on the hub with "
            "'kiosk hub add-operator NAME'",
            headers={"WWW-Authenticate": f'Basic realm="{REALM}"'},
        )
    return credentials.username


OperatorOf = Annotated[str, Depends(operator_of)]
