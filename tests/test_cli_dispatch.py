"""One table says which module runs each command; a command's module loads only when it runs."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import COMMANDS, build_parser, main
from kiosk.errors import ExitCode
from kiosk.paths import REPO_ROOT


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def test_every_command_of_the_parser_has_a_module_with_a_main() -> None:
    names = set()
    for name, sub in subcommands(build_parser()).items():
        if name == "bundle":  # export is a feed command, import a sync one
            names |= {f"bundle {action}" for action in subcommands(sub)}
        else:
            names.add(name)
    assert set(COMMANDS) == names
    for module in set(COMMANDS.values()):
        assert callable(importlib.import_module(module).main), module


def test_the_command_line_loads_only_the_command_it_runs(tmp_path: Path) -> None:
    probe = (
        "import json, sys\n"
        "import kiosk.cli\n"
        "def loaded():\n"
        "    return sorted(m for m in sys.modules if m.startswith(('kiosk.commands.', 'ui.')))\n"
        "at_start = loaded()\n"
        f"status = kiosk.cli.main(['sync', '--status', '--data-dir', {str(tmp_path)!r}])\n"
        "print(json.dumps([at_start, loaded(), status]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO_ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    at_start, after, status = json.loads(done.stdout.splitlines()[-1])
    assert at_start == []
    assert after == ["kiosk.commands.common", "kiosk.commands.sync"]
    assert status == ExitCode.OK


def test_a_refused_command_line_exits_with_the_usage_status(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as refused:
        main(["no-such-command"])
    assert refused.value.code == ExitCode.USAGE == 2  # argparse's status, named
    assert "invalid choice" in capsys.readouterr().err


def test_an_unexpected_failure_exits_with_the_internal_error_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(args: argparse.Namespace) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("kiosk.commands.sync.main", broken)
    assert main(["sync", "--status", "--data-dir", str(tmp_path)]) == ExitCode.INTERNAL_ERROR == 70
    assert "internal error (disk on fire)" in capsys.readouterr().err

    def interrupted(args: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr("kiosk.commands.sync.main", interrupted)
    assert main(["sync", "--status", "--data-dir", str(tmp_path)]) == ExitCode.INTERRUPTED == 130
