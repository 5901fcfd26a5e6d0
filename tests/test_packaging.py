"""The kiosk session script and the service unit of the Debian package, as systemd sees them.

The install itself (a clean Debian root, the real cage and systemd) is checked by
``packaging/debian/test-install.sh``; these run everywhere, in seconds.
"""

from __future__ import annotations

import configparser
import os
import subprocess
from pathlib import Path

import pytest

from kiosk.errors import ExitCode
from kiosk.paths import REPO_ROOT

DEBIAN = REPO_ROOT / "packaging" / "debian"


def run_session(tmp_path: Path, app: str) -> tuple[int, str]:
    """kiosk-session with a stand-in cage (which, like cage 0.1.4, always exits 0) and a
    stand-in kiosk command; returns the session's exit status and the app's environment."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    cage = bin_dir / "cage"
    cage.write_text('#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done\nshift\n"$@"\nexit 0\n')
    kiosk = bin_dir / "kiosk"
    kiosk.write_text(f'#!/bin/sh\nenv > "{tmp_path}/env"\n{app}\n')
    for script in (cage, kiosk):
        script.chmod(0o755)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "XDG_RUNTIME_DIR": str(tmp_path),
        "KIOSK_COMMAND": str(kiosk),
        "WATCHDOG_PID": "1",  # the service's main process: the session script, not the app
        "WATCHDOG_USEC": "30000000",
    }
    done = subprocess.run([DEBIAN / "kiosk-session"], env=env, capture_output=True, timeout=30)
    return done.returncode, (tmp_path / "env").read_text()


@pytest.mark.parametrize(
    ("app", "status"),
    [
        (f"exit {ExitCode.OK:d}", ExitCode.OK),  # an operator left: the service stays stopped
        (f"exit {ExitCode.RESTART:d}", ExitCode.RESTART),  # restart from the panel
        ("kill -SEGV $$", 139),  # a crash
    ],
)
def test_the_session_ends_with_the_applications_status_though_cage_says_0(
    tmp_path: Path, app: str, status: int
) -> None:
    code, env = run_session(tmp_path, app)
    assert code == status
    # The watchdog pings come from the application, not from the process systemd started.
    assert "WATCHDOG_USEC=30000000" in env and "WATCHDOG_PID" not in env
    assert "QT_QPA_PLATFORM=wayland" in env


def test_the_service_restarts_on_crash_and_restart_but_not_when_left() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(DEBIAN / "border-kiosk.service")
    service = unit["Service"]
    assert service["Type"] == "notify" and service["NotifyAccess"] == "all"
    assert service["Restart"] == "always" and int(service["WatchdogSec"]) > 0
    prevented = service["RestartPreventExitStatus"].split()
    assert prevented == [str(int(ExitCode.OK))] and str(int(ExitCode.RESTART)) not in prevented
    assert service["User"] == "kiosk" and service["ExecStart"].endswith("kiosk-session")
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def test_the_package_depends_on_fonts_for_every_script_it_offers() -> None:
    control = (DEBIAN / "control.in").read_text()
    depends = {d.strip() for d in control.split("Depends:", 1)[1].splitlines()[0].split(",")}
    # Latin and Vietnamese, Cyrillic, Lao and Khmer (Noto core); Chinese, Japanese, Korean (CJK).
    assert {"fonts-noto-core", "fonts-noto-cjk", "cage", "libpam-systemd"} <= depends
    assert os.access(DEBIAN / "build.sh", os.X_OK) and os.access(DEBIAN / "kiosk-session", os.X_OK)
