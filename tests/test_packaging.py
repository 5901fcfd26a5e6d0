"""The kiosk session script and the service unit of the Debian package, as systemd sees them.

The install itself (a clean Debian root, the real cage and systemd) is checked by
``packaging/debian/test-install.sh``; these run everywhere, in seconds.
"""

from __future__ import annotations

import configparser
import datetime as dt
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from kiosk.errors import ExitCode
from kiosk.paths import REPO_ROOT

DEBIAN = REPO_ROOT / "packaging" / "debian"


def run_session(tmp_path: Path, app: str, **extra: str) -> tuple[int, str]:
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
        **extra,
    }
    done = subprocess.run([DEBIAN / "kiosk-session"], env=env, capture_output=True, timeout=30)
    return done.returncode, (tmp_path / "env").read_text()


def unit_directives() -> dict[str, list[str]]:
    """The unit's [Service] settings, every value of each (systemd adds repeated ones up)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in (DEBIAN / "border-kiosk.service").read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


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


def test_the_package_carries_no_private_key() -> None:
    """The application part of the .deb is what app-archive.sh packs (build.sh unpacks it):
    the demo feed's private keys were in it, so anybody could sign for an installed kiosk."""
    build = (DEBIAN / "build.sh").read_text()
    assert 'sh "$here/app-archive.sh" HEAD | tar -x' in build and "git archive" not in build
    packed = subprocess.run(
        ["sh", DEBIAN / "app-archive.sh"], capture_output=True, check=True, timeout=120
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(packed)) as archive:
        names = archive.getnames()
    assert {"kiosk/cli.py", "data/content/site.toml", "i18n/messages.pot"} <= set(names)
    assert not [n for n in names if n.startswith("demo/") or n.endswith((".pem", ".key"))]
    found = subprocess.run(
        [sys.executable, DEBIAN / "find_private_keys.py", "--tar", "-"],
        input=packed, capture_output=True, timeout=120,
    )  # fmt: skip
    assert found.returncode == 0, found.stdout.decode()
    # The same paths in the working tree: a key dropped there is caught before a commit.
    paths = subprocess.run(
        ["sh", DEBIAN / "app-archive.sh", "--paths"], capture_output=True, text=True, check=True
    ).stdout.split()
    found = subprocess.run(
        [sys.executable, DEBIAN / "find_private_keys.py", *paths],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert found.returncode == 0, found.stdout


def test_the_key_finder_finds_private_keys_and_nothing_else(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

    from kiosk.feed.keys import KeyRing, init_keys

    keys = tmp_path / "keys"
    init_keys(keys, provinces=[], now=dt.datetime.now(dt.UTC))  # ed25519, PKCS#8
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    plain = serialization.NoEncryption()
    pem, ssh = serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH
    (tmp_path / "rsa.txt").write_bytes(
        rsa_key.private_bytes(pem, serialization.PrivateFormat.TraditionalOpenSSL, plain)
    )
    (tmp_path / "ec_ssh").write_bytes(ec_key.private_bytes(pem, ssh, plain))
    (tmp_path / "locked.pem").write_bytes(
        rsa_key.private_bytes(
            pem,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    (tmp_path / "sslib.json").write_text(
        '{"keytype": "ed25519", "keyval": {"public": "ab", "private": "%s"}}' % ("9f" * 32)
    )
    # Not keys: public keys, a root of trust, and code that names the labels.
    (tmp_path / "public.pem").write_bytes(
        rsa_key.public_key().public_bytes(pem, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    (tmp_path / "ssh.py").write_text('_START = b"-----BEGIN OPENSSH PRIVATE KEY-----"\n')
    archive = tmp_path / "all.tar"
    with tarfile.open(archive, "w") as tar:
        tar.add(tmp_path, arcname="x", filter=lambda m: None if m.name == "x/all.tar" else m)
    found = subprocess.run(
        [sys.executable, DEBIAN / "find_private_keys.py", "--tar", archive],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert found.returncode == 1
    expected = {f"x/keys/{role}.pem" for role in KeyRing(keys).roles()}
    expected |= {"x/rsa.txt", "x/ec_ssh", "x/locked.pem", "x/sslib.json"}
    assert set(found.stdout.replace("private key: ", "").split()) == expected


def test_the_service_runs_with_what_the_kiosk_needs_and_nothing_more() -> None:
    """systemd-analyze security rated the unit 8.2 ("EXPOSED"), with no memory limit. Checked
    directive by directive (anywhere), and by systemd-analyze itself where it is installed
    (packaging/dev.sh installs it)."""
    unit = unit_directives()

    def one(key: str) -> str:
        assert key in unit, f"the unit lacks {key}="
        return unit[key][-1]

    assert one("MemoryMax").endswith(("M", "G")) and one("TasksMax").isdigit()
    assert one("CapabilityBoundingSet") == "" and one("NoNewPrivileges") == "yes"
    assert one("ProtectSystem") == "strict" and one("ProtectHome") == "yes"
    for key in ("PrivateTmp", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
                "ProtectControlGroups", "ProtectClock", "ProtectHostname", "RestrictRealtime",
                "RestrictSUIDSGID", "LockPersonality", "PrivateMounts"):  # fmt: skip
        assert one(key) == "yes", key
    assert one("UMask") == "0027" and one("SystemCallArchitectures") == "native"
    assert set(one("RestrictAddressFamilies").split()) == {"AF_UNIX", "AF_INET", "AF_INET6",
                                                          "AF_NETLINK"}  # fmt: skip
    assert one("SystemCallFilter").split()[0] == "@system-service"
    assert one("SystemCallErrorNumber") == "EPERM"  # a call left out fails; it does not kill
    # Chromium's sandbox makes user, pid and net namespaces; nothing else is allowed.
    assert set(one("RestrictNamespaces").split()) == {"user", "pid", "net"}
    # cage needs the display and input devices (PrivateDevices would hide them): only those.
    assert one("DevicePolicy") == "closed"
    allowed = {v.split()[0] for v in unit["DeviceAllow"]}
    assert allowed == {"char-drm", "char-input", "/dev/tty0", "/dev/tty1"}
    # The session's files live in the service's runtime directory (ProtectHome hides /run/user).
    assert one("RuntimeDirectory") == "border-kiosk"
    # No secret in the unit or in what it reads into every process's environment.
    assert not [v for v in unit.get("Environment", []) if "TOKEN=" in v]
    default = (DEBIAN / "default").read_text()
    assert not [ln for ln in default.splitlines() if "KIOSK_HUB_TOKEN=" in ln]
    wrapper = (DEBIAN / "kiosk").read_text()
    assert 'KIOSK_HUB_TOKEN_FILE="${KIOSK_HUB_TOKEN_FILE:-/etc/border-kiosk/hub-token}"' in wrapper
    assert 'KIOSK_TRUST_ROOT="${KIOSK_TRUST_ROOT:-/etc/border-kiosk/root.json}"' in wrapper
    postinst = (DEBIAN / "postinst").read_text()
    assert "install -o root -g kiosk -m 0640 /dev/null /etc/border-kiosk/hub-token" in postinst
    assert "chmod 0640 /etc/border-kiosk/hub-token" in postinst
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        return  # the directives above are the check where systemd is not installed
    rated = subprocess.run(
        [analyze, "security", "--offline=yes", "--no-pager", DEBIAN / "border-kiosk.service"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    level = re.search(r"exposure level for border-kiosk\.service: ([0-9.]+)", rated.stdout)
    assert level is not None, rated.stdout[-2000:] + rated.stderr[-2000:]
    assert float(level.group(1)) <= 4.0, rated.stdout


def test_the_session_lives_in_the_services_runtime_directory(tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir()
    code, env = run_session(tmp_path, "exit 75", RUNTIME_DIRECTORY=str(runtime))
    assert code == 75  # the status file was found where the session wrote it
    assert f"XDG_RUNTIME_DIR={runtime}\n" in env  # cage's socket goes there
