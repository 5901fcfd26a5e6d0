"""Staff and admin PINs: argon2id hashes with a device pepper, a lockout that survives
restarts, and a one-time recovery code.

A PIN has few possible values, so the defence is online throttling: after five wrong PINs in
a row each further attempt must wait longer (30 s, doubling, at most 15 minutes), counted in the
admin database so a restart does not reset it. Entries typed while the wait runs are refused
without being compared and without lengthening it, and the cap is short, so a passer-by cannot
keep staff out for hours; the recovery code (printed once when the admin PIN is provisioned,
stored only as a peppered hash, throttled the same way on its own counter) clears the lockout.
The pepper (a random secret in a file only the kiosk user can read) means a copied database
alone is not enough to search the PINs offline. No PIN is built in: ``kiosk admin set-pin``
provisions them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum, auto
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select

from kiosk.admin.db import attempts, pins
from kiosk.storage import WRITE_ERRORS, first_line


class Role(StrEnum):
    """Who holds a PIN; the value is stored in the PIN table and written in the audit log."""

    ADMIN = "admin"
    STAFF = "staff"


class PinPurpose(Enum):
    """What a PIN pad asks for."""

    OPEN = auto()  # the panel (admin) or assisted mode (staff)
    RECOVERY = auto()  # the one-time recovery code
    CURRENT = auto()  # the current PIN, before a change
    NEW_PIN = auto()  # the new PIN
    REPEAT = auto()  # the new PIN again


class PinRule(StrEnum):
    """The rule a new PIN broke (``PinRefused.code``)."""

    ROLE = "role"  # role: not admin or staff
    SHORT = "short"  # role, digits: fewer digits than the role needs
    EASY = "easy"  # all one digit, or a run
    SAME = "same"  # role, other: the same as the other role's PIN


ROLES = (Role.ADMIN, Role.STAFF)
MIN_DIGITS = {Role.ADMIN: 8, Role.STAFF: 6}
FREE_ATTEMPTS = 5
FIRST_DELAY = 30
MAX_DELAY = 900
RECOVERY = "recovery"  # the recovery code's row in the PIN and attempt tables
RECOVERY_DIGITS = 12
log = logging.getLogger("kiosk.admin")


class PinRefused(ValueError):
    """A new PIN that does not meet the rules; the message says which, ``code`` names the rule
    and ``params`` its figures, for interfaces that say it in their own words."""

    def __init__(self, message: str, code: PinRule, **params: str | int) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Check:
    ok: bool
    wait_seconds: int = 0  # how long until the next attempt is compared
    failures: int = 0
    locked: bool = False  # refused without comparing: the lockout was running


def lockout_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive wrong PINs."""
    if failures < FREE_ATTEMPTS:
        return 0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - FREE_ATTEMPTS))


class PinStore:
    def __init__(
        self,
        engine: Engine,
        folder: Path | None,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        *,
        pepper: bytes | None = None,
    ) -> None:
        """``folder`` holds the pepper file (made on first use); without a folder, ``pepper``
        is the secret, held in memory only (a tour of the screens writes nothing)."""
        self.engine, self.clock = engine, clock
        self.hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
        if pepper is None:
            if folder is None:
                raise ValueError("a PIN store needs a folder for its pepper, or the pepper")
            pepper = _pepper(folder / "pepper")
        self.pepper = pepper
        # Lockout counters the disk would not take (full, read-only): newer than the database's,
        # so they count instead until a write succeeds; the lockout holds while the kiosk runs.
        self._unsaved: dict[str, tuple[int, str | None]] = {}
        self._recovery_spent = False  # used while the disk refused to record it

    def is_set(self, role: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(pins.c.role).where(pins.c.role == role)).first() is not None

    def set_pin(self, role: str, pin: str) -> None:
        if role not in ROLES:
            raise PinRefused(f"unknown role '{role}'; use admin or staff", PinRule.ROLE, role=role)
        role = Role(role)
        digits = MIN_DIGITS[role]
        if not pin.isdigit() or not pin.isascii() or len(pin) < digits:
            raise PinRefused(
                f"the {role} PIN must be at least {digits} digits",
                PinRule.SHORT,
                role=role,
                digits=digits,
            )
        if len(set(pin)) == 1 or pin in "01234567890123456789" or pin in "98765432109876543210":
            raise PinRefused(
                "the PIN is too easy to guess (all one digit or a run); choose another",
                PinRule.EASY,
            )
        other = Role.STAFF if role == Role.ADMIN else Role.ADMIN
        if self._matches(other, pin):
            raise PinRefused(
                f"the {role} PIN must differ from the {other} PIN",
                PinRule.SAME,
                role=role,
                other=other,
            )
        hashed = self.hasher.hash(self._peppered(pin))
        with self.engine.execution_options(immediate=True).begin() as conn:
            conn.execute(delete(pins).where(pins.c.role == role))
            conn.execute(
                insert(pins).values(role=role, hash=hashed, changed_at=self.clock().isoformat())
            )
            conn.execute(delete(attempts).where(attempts.c.role == role))
        self._unsaved.pop(role, None)

    def check(self, role: str, pin: str, *, or_role: str | None = None) -> Check:
        """Compare ``pin`` with the PIN of ``role`` (or of ``or_role``), throttled on the
        counter of ``role``. While a wait runs nothing is compared and nothing is counted."""
        now = self.clock()
        with self.engine.connect() as conn:
            row = conn.execute(select(attempts).where(attempts.c.role == role)).first()
        failures, locked_until = (row.failures, row.locked_until) if row else (0, None)
        failures, locked_until = self._unsaved.get(role, (failures, locked_until))
        if locked_until:
            left = (dt.datetime.fromisoformat(locked_until) - now).total_seconds()
            if left > 0:
                return Check(False, int(left + 0.999), failures, locked=True)
        if self._matches(role, pin) or (or_role is not None and self._matches(or_role, pin)):
            self._save_attempts(role, 0, None)
            return Check(True)
        failures += 1
        delay = lockout_delay(failures)
        until = (now + dt.timedelta(seconds=delay)).isoformat() if delay else None
        self._save_attempts(role, failures, until)
        return Check(False, delay, failures)

    def new_recovery_code(self) -> str:
        """A fresh one-time recovery code, replacing any earlier one; only its hash is kept."""
        code = "".join(secrets.choice("0123456789") for _ in range(RECOVERY_DIGITS))
        hashed = self.hasher.hash(self._peppered(code))
        with self.engine.execution_options(immediate=True).begin() as conn:
            conn.execute(delete(pins).where(pins.c.role == RECOVERY))
            conn.execute(
                insert(pins).values(role=RECOVERY, hash=hashed, changed_at=self.clock().isoformat())
            )
            conn.execute(delete(attempts).where(attempts.c.role == RECOVERY))
        self._unsaved.pop(RECOVERY, None)
        self._recovery_spent = False
        return code

    def use_recovery_code(self, code: str) -> Check:
        """The recovery code, throttled on its own counter: right, it is used up and the PIN
        lockouts are cleared."""
        if self._recovery_spent:
            return Check(False)
        check = self.check(RECOVERY, code)
        if not check.ok:
            return check
        try:
            with self.engine.execution_options(immediate=True).begin() as conn:
                conn.execute(delete(pins).where(pins.c.role == RECOVERY))
                conn.execute(delete(attempts).where(attempts.c.role.in_(ROLES)))
        except WRITE_ERRORS as exc:  # used up and cleared for as long as the kiosk runs
            log.warning("recovery code use not saved: %s", first_line(exc))
            self._recovery_spent = True
            self._unsaved.update({role: (0, None) for role in ROLES})
        else:
            for role in ROLES:
                self._unsaved.pop(role, None)
        return check

    def _save_attempts(self, role: str, failures: int, until: str | None) -> None:
        """The lockout counter, on disk if it takes it, else in memory: a right PIN must still
        open the panel on a full or read-only disk (which the panel then names), and wrong
        ones must still be throttled."""
        try:
            with self.engine.execution_options(immediate=True).begin() as conn:
                conn.execute(delete(attempts).where(attempts.c.role == role))
                if failures:
                    conn.execute(
                        insert(attempts).values(role=role, failures=failures, locked_until=until)
                    )
        except WRITE_ERRORS as exc:
            log.warning("PIN attempts of %s not saved: %s", role, first_line(exc))
            self._unsaved[role] = (failures, until)
        else:
            self._unsaved.pop(role, None)

    def _matches(self, role: str, pin: str) -> bool:
        with self.engine.connect() as conn:
            stored = conn.execute(select(pins.c.hash).where(pins.c.role == role)).scalar()
        if stored is None:
            return False
        try:
            return self.hasher.verify(stored, self._peppered(pin))
        except (VerificationError, InvalidHashError):
            return False

    def _peppered(self, pin: str) -> bytes:
        return hmac.new(self.pepper, pin.encode("ascii", "replace"), hashlib.sha256).digest()


def _pepper(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(secrets.token_bytes(32))
        handle.flush()
        os.fsync(handle.fileno())
    return path.read_bytes()
