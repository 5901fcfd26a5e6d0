"""Text from sticks, feeds and the network cannot drive the operator's terminal."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from kiosk.cli import main

# Clear the screen, retitle the window (ended by BEL), a C1 control, then read backwards.
HOSTILE = "evil\x1b[2J\x1b]0;pwned\x07\x85name\u202etxt.exe"
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shows_escaped(text: str) -> None:
    assert not RAW_CONTROLS.search(text), repr(text)
    assert "evil\\u001b[2J\\u001b]0;pwned\\u0007\\u0085name\\u202etxt.exe" in text, text


def test_audit_details_are_printed_with_controls_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.admin.audit import AuditLog
    from kiosk.admin.db import open_admin

    engine = open_admin(tmp_path)
    AuditLog(engine).record("admin", "import-bundle", f"refused {HOSTILE}")
    engine.dispose()
    assert main(["admin", "audit", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    shows_escaped(out)
    assert "audit chain intact" in out  # escaping is for the screen only: the log is intact


def test_sync_status_is_printed_with_controls_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kiosk.sync import status as st

    st.save_status(
        tmp_path,
        st.SyncStatus(last_outcome=st.REJECTED, last_error=f"bundle entry '{HOSTILE}' refused"),
    )
    assert main(["sync", "--status", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    shows_escaped(out)
    assert "last outcome: rejected" in out


def test_errors_naming_a_file_are_printed_with_controls_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / f"{HOSTILE}.bundle"
    assert main(["bundle", "import", str(missing), "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    shows_escaped(err)
    assert "is not a file" in err


def test_search_json_stays_valid_json_of_the_same_text(
    content: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{HOSTILE}\npassport\n"))
    argv = ["search", "--stdin", "--json", "--lang", "en", "--data-dir", str(content)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert not RAW_CONTROLS.search(out), repr(out)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["query"] for line in lines] == [HOSTILE, "passport"]
    assert lines[1]["results"]


def test_newlines_and_tabs_are_kept() -> None:
    from kiosk.textsafe import escape_controls

    assert escape_controls("a\tb\nc\rd") == "a\tb\nc\\u000dd"


def test_names_kept_for_the_panel_escape_every_control_the_terminal_does() -> None:
    from kiosk.textsafe import CONTROLS, escape_controls, shown

    controls = [chr(c) for c in range(0x110000) if CONTROLS.fullmatch(chr(c))]
    assert {"\x1b", "\x07", "\x85", "\u202e", "\u2066", "\u061c"} <= set(controls)
    for char in controls:
        kept = shown(f"a{char}b")
        assert not CONTROLS.search(kept) and kept.startswith("a\\") and kept.endswith("b"), kept
        if char not in "\t\n":
            assert escape_controls(char) == f"\\u{ord(char):04x}"
    # The panel's form is one line: what the terminal keeps for its layout, a name may not.
    assert shown("a\tb\nc\u2028d") == "a\\tb\\nc\\u2028d"
    assert escape_controls("a\u2028b") == "a\u2028b"
