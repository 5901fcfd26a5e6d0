"""PINs, lockout, audit chain and settings, as an operator relies on them."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from argon2.exceptions import VerificationError

from kiosk.admin.audit import AuditLog
from kiosk.admin.db import DB_NAME, open_admin
from kiosk.admin.pins import PinRefused, PinStore, lockout_delay
from kiosk.admin.settings import SettingRefused, Settings, load_settings, save_settings


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def store(folder: Path, clock: Clock) -> PinStore:
    return PinStore(open_admin(folder), folder / "admin", clock)


def test_no_pin_is_built_in_and_pins_are_stored_only_as_argon2id(tmp_path: Path) -> None:
    pins = store(tmp_path, Clock())
    assert not pins.is_set("admin") and not pins.check("admin", "00000000").ok
    pins.set_pin("admin", "27182818")
    with closing(sqlite3.connect(tmp_path / "admin" / DB_NAME)) as conn:
        (stored,) = conn.execute("SELECT hash FROM pin WHERE role = 'admin'").fetchone()
    assert stored.startswith("$argon2id$") and "27182818" not in stored
    assert pins.check("admin", "27182818").ok
    assert (tmp_path / "admin" / "pepper").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("role", "pin", "why"),
    [
        ("admin", "1234", "at least 8 digits"),
        ("staff", "12a456", "at least 6 digits"),
        ("staff", "111111", "too easy"),
        ("admin", "12345678", "too easy"),
        ("admin", "27182818", "differ from the staff PIN"),
    ],
)
def test_weak_or_shared_pins_are_refused(tmp_path: Path, role: str, pin: str, why: str) -> None:
    pins = store(tmp_path, Clock())
    pins.set_pin("staff", "27182818")
    with pytest.raises(PinRefused, match=why):
        pins.set_pin(role, pin)


def test_lockout_grows_and_survives_a_restart(tmp_path: Path) -> None:
    clock = Clock()
    pins = store(tmp_path, clock)
    pins.set_pin("admin", "31415926")
    assert [pins.check("admin", "00000000").wait_seconds for _ in range(5)] == [0, 0, 0, 0, 30]
    # Locked: even the right PIN is not compared until the delay is over.
    assert pins.check("admin", "31415926") == pins.check("admin", "31415926")
    assert not pins.check("admin", "31415926").ok
    clock.advance(29)
    assert pins.check("admin", "31415926").wait_seconds == 1
    restarted = store(tmp_path, clock)  # a new process: the counter is on disk
    assert restarted.check("admin", "31415926").wait_seconds == 1
    clock.advance(1)
    wrong = restarted.check("admin", "00000000")
    assert wrong.failures == 6 and wrong.wait_seconds == 60
    clock.advance(60)
    assert restarted.check("admin", "31415926").ok
    assert restarted.check("admin", "00000000").wait_seconds == 0  # counting starts again


def test_lockout_delays_are_capped() -> None:
    assert [lockout_delay(n) for n in range(1, 12)] == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert lockout_delay(40) == 900  # a quarter of an hour at most, however many tries


def test_the_audit_chain_shows_where_it_was_tampered_with(tmp_path: Path) -> None:
    log = AuditLog(open_admin(tmp_path))
    for n in range(5):
        log.record("admin", "setting", f"idle_seconds={60 + n}")
    assert log.verify() is None and len(log.entries()) == 5
    with closing(sqlite3.connect(tmp_path / "admin" / DB_NAME)) as conn:
        conn.execute("UPDATE audit SET detail = 'idle_seconds=5' WHERE id = 3")
        conn.commit()
    assert log.verify() == 3
    with closing(sqlite3.connect(tmp_path / "admin" / DB_NAME)) as conn:
        conn.execute("UPDATE audit SET detail = 'idle_seconds=62' WHERE id = 3")
        conn.execute("DELETE FROM audit WHERE id = 2")
        conn.commit()
    assert log.verify() == 3


def test_settings_persist_and_refuse_silly_values(tmp_path: Path) -> None:
    engine = open_admin(tmp_path)
    assert load_settings(engine) == Settings()
    save_settings(engine, Settings(gate="mong-cai", languages=["zh", "vi"], idle_seconds=120))
    assert load_settings(open_admin(tmp_path)).languages == ["zh", "vi"]
    with pytest.raises(SettingRefused, match="between 20 and 600"):
        save_settings(engine, Settings(idle_seconds=5))
    assert load_settings(engine).idle_seconds == 120


def test_provisioning_and_audit_from_the_command_line(tmp_path: Path, capsys, monkeypatch) -> None:
    import io

    from kiosk.cli import main

    data = ["--data-dir", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO("1234\n"))
    assert main(["admin", "set-pin", "--role", "staff", "--stdin", *data]) == 2
    assert "at least 6 digits" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("24681357\n"))
    assert main(["admin", "set-pin", "--role", "admin", "--stdin", *data]) == 0
    printed = capsys.readouterr().out
    code = "".join(re.findall(r"\d{4} \d{4} \d{4}", printed)[0].split())
    pins = PinStore(open_admin(tmp_path), tmp_path / "admin")
    assert pins.use_recovery_code(code).ok  # printed once, kept only as a hash
    assert main(["admin", "audit", *data]) == 0
    out = capsys.readouterr().out
    assert "set-pin" in out and "audit chain intact" in out and "24681357" not in out
    assert "recovery-code-set" in out and code not in out
    with closing(sqlite3.connect(tmp_path / "admin" / DB_NAME)) as conn:
        conn.execute("UPDATE audit SET detail = 'staff'")
        conn.commit()
    assert main(["admin", "audit", *data]) == 1
    assert "altered at entry 1" in capsys.readouterr().err


def test_wrong_pins_during_a_lockout_do_not_extend_it(tmp_path: Path) -> None:
    clock = Clock()
    pins = store(tmp_path, clock)
    pins.set_pin("admin", "31415926")
    for _ in range(5):
        pins.check("admin", "00000000")
    clock.advance(5)
    # A passer-by keeps typing while the wait runs: refused, not compared, not counted.
    during = [pins.check("admin", "00000000") for _ in range(50)]
    assert all(c.locked and c.wait_seconds == 25 and c.failures == 5 for c in during)
    clock.advance(25)
    assert pins.check("admin", "31415926").ok


def test_a_passer_by_cannot_keep_staff_out_for_more_than_a_quarter_hour(tmp_path: Path) -> None:
    clock = Clock()
    pins = store(tmp_path, clock)
    pins.set_pin("admin", "31415926")
    waits = []
    for _ in range(40):  # a wrong PIN each time the wait ends, all day
        waits.append(pins.check("admin", "00000000").wait_seconds)
        clock.advance(waits[-1])
    assert max(waits) == 900 and waits[-1] == 900
    assert store(tmp_path, clock).check("admin", "00000000").wait_seconds == 900  # on disk


def test_the_recovery_code_clears_the_lockout_once_and_is_kept_only_as_a_hash(
    tmp_path: Path,
) -> None:
    from argon2 import PasswordHasher

    clock = Clock()
    pins = store(tmp_path, clock)
    pins.set_pin("admin", "31415926")
    pins.set_pin("staff", "27182818")
    code = pins.new_recovery_code()
    assert len(code) == 12 and code.isdigit()
    with closing(sqlite3.connect(tmp_path / "admin" / DB_NAME)) as conn:
        dump = "\n".join(conn.iterdump())
        (stored,) = conn.execute("SELECT hash FROM pin WHERE role = 'recovery'").fetchone()
    assert code not in dump and stored.startswith("$argon2id$")
    with pytest.raises(VerificationError):  # peppered: the database alone does not check it
        PasswordHasher().verify(stored, code)
    for role, pin in (("admin", "00000000"), ("staff", "000000")):
        for _ in range(7):
            pins.check(role, pin)
        assert pins.check(role, pin).locked
    # The code is throttled on its own counter, which survives a restart.
    assert [pins.use_recovery_code("111111111111").wait_seconds for _ in range(5)][-1] == 30
    restarted = store(tmp_path, clock)
    assert restarted.use_recovery_code(code).locked
    clock.advance(30)
    assert restarted.use_recovery_code(code).ok
    assert restarted.check("admin", "31415926").ok and restarted.check("staff", "27182818").ok
    assert not restarted.use_recovery_code(code).ok  # once only
    assert not store(tmp_path, clock).is_set("recovery")
