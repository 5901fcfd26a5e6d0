"""``kiosk run`` as the service starts it, on data folders that refuse writes, next to another
kiosk, and on a bare X server: the traveller's screens come up, or an out-of-service slate,
never an exit that leaves the screen black.

The disks are real where this machine allows it: a read-only data folder is a read-only bind
mount in a private mount namespace of the kiosk's process (``unshare -m``; a folder without
write permission does not stop root), a full one a small tmpfs filled to the last block. Both
need root and the right to mount (CI has them). Where mounting is impossible the same refusals
are injected at ``os.open`` in the kiosk's process, as tests/helpers/faults.py does in-process:
the kiosk's own write probe meets them, SQLite does not (said where it is used).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from kiosk.errors import ExitCode
from kiosk.paths import REPO_ROOT

from .helpers.ui import ADMIN

pytestmark = pytest.mark.slow

# The kiosk's process with its data folder bind-mounted read-only in a mount namespace of its
# own: the folder stays writable for the test, which prepares and inspects it.
READ_ONLY_MOUNT = (
    'mount --make-rprivate / && mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" '
    '&& exec "$@"'
)
# Without the right to mount: the kiosk's process refuses writes to the folder at os.open.
REFUSING_PROCESS = """
import errno, os, sys
from pathlib import Path
folder, code = Path(sys.argv[1]).resolve(), getattr(errno, sys.argv[2])
real_open = os.open
def guarded(path, flags, *args, **kwargs):
    writing = flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
    if writing and Path(path).resolve().is_relative_to(folder):
        raise OSError(code, os.strerror(code), str(path))
    return real_open(path, flags, *args, **kwargs)
os.open = guarded
from kiosk.cli import main
sys.exit(main(sys.argv[3:]))
"""


@cache
def can_mount() -> bool:
    """Root with the right to make mount namespaces and mount in them (CI)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = "mount --make-rprivate / && mount -t tmpfs -o size=64k tmpfs /mnt"
    done = subprocess.run(["unshare", "-m", "sh", "-c", probe], capture_output=True)
    return done.returncode == 0


def kiosk_command(folder: Path, *, refuse: str | None = None) -> list[str]:
    """``kiosk run`` on ``folder``; ``refuse``: "EROFS" to run it on a read-only folder."""
    run = ["run", "--data-dir", str(folder)]
    if refuse is None:
        return [sys.executable, "-m", "kiosk.cli", *run]
    if can_mount():
        return ["unshare", "-m", "sh", "-c", READ_ONLY_MOUNT, str(folder),
                sys.executable, "-m", "kiosk.cli", *run]  # fmt: skip
    return [sys.executable, "-c", REFUSING_PROCESS, str(folder), refuse, *run]


class ServiceManager:
    """The service manager's side of sd_notify: a datagram socket the kiosk reports to."""

    def __init__(self, folder: Path) -> None:
        self.address = str(folder / "notify")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.address)

    def start(self, command: list[str], **env: str) -> subprocess.Popen[bytes]:
        environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **env}
        environment["NOTIFY_SOCKET"] = self.address
        for name in ("WATCHDOG_USEC", "WATCHDOG_PID", "KIOSK_DATA_DIR"):
            environment.pop(name, None)
        return subprocess.Popen(
            command, env=environment, cwd=REPO_ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip

    def ready(self, kiosk: subprocess.Popen[bytes], timeout: float = 120) -> str:
        """The STATUS the kiosk sent with READY=1; fails at once if it exits first."""
        self.socket.settimeout(0.5)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                message = self.socket.recv(4096).decode()
            except TimeoutError:
                if kiosk.poll() is not None:
                    _, err = kiosk.communicate()
                    pytest.fail(f"kiosk exited {kiosk.returncode} before it was ready: {err!r}")
                continue
            if message.startswith("READY=1"):
                return dict(line.split("=", 1) for line in message.splitlines())["STATUS"]
        pytest.fail("the kiosk did not report ready")

    def stop(self, kiosk: subprocess.Popen[bytes]) -> tuple[int, str]:
        """SIGTERM, as systemd stops it: its exit status and what it said on stderr."""
        kiosk.send_signal(signal.SIGTERM)
        _, err = kiosk.communicate(timeout=30)
        return kiosk.returncode, err.decode("utf-8", "replace")

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def manager(tmp_path: Path) -> Iterator[ServiceManager]:
    made = ServiceManager(tmp_path)
    yield made
    made.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kiosk's data folder after its first start: the bundled content, an admin PIN."""
    folder = tmp_path_factory.mktemp("seeded")
    kiosk = [sys.executable, "-m", "kiosk.cli"]
    subprocess.run([*kiosk, "content", "import", "data/content", "--data-dir", str(folder)],
                   cwd=REPO_ROOT, check=True, capture_output=True)  # fmt: skip
    subprocess.run([*kiosk, "admin", "set-pin", "--role", "admin", "--stdin", "--data-dir",
                    str(folder)], input=f"{ADMIN}\n".encode(), cwd=REPO_ROOT, check=True,
                   capture_output=True)  # fmt: skip
    return folder


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file of ``folder`` and a hash of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """An empty folder on a small file system with no free block left (a real tmpfs when this
    machine can mount; else the kiosk's process refuses writes at os.open with ENOSPC)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = os.geteuid() == 0 and can_mount()
    if mounted:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)],
                       check=True)  # fmt: skip
    try:
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Take every free block of ``folder``'s file system."""
    with (folder / "filler").open("wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    assert shutil.disk_usage(folder).free < 65536


def full_kiosk_command(folder: Path) -> list[str]:
    if can_mount():
        fill(folder)
        return kiosk_command(folder)
    return [sys.executable, "-c", REFUSING_PROCESS, str(folder), "ENOSPC",
            "run", "--data-dir", str(folder)]  # fmt: skip


# -- T2: a read-only or full data folder --------------------------------------------------------
def test_on_a_read_only_data_folder_the_traveller_screens_come_up_and_nothing_is_written(
    manager: ServiceManager, seeded: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(seeded, folder)
    before = fingerprint(folder)
    kiosk = manager.start(kiosk_command(folder, refuse="EROFS"))
    try:
        status = manager.ready(kiosk)
        assert status == f"showing the start screen; the data folder {folder} is read-only: " \
            "nothing new can be saved"  # fmt: skip
        code, err = manager.stop(kiosk)
    finally:
        kiosk.kill()
    assert code == ExitCode.OK and "internal error" not in err
    # The log went to stderr (the journal), as JSON lines that name the problem.
    assert '"level": "error"' in err and "is read-only: nothing new can be saved" in err
    assert fingerprint(folder) == before  # nothing moved aside, nothing written


def test_on_a_full_disk_at_restart_the_kiosk_shows_its_content_and_keeps_its_database(
    manager: ServiceManager, seeded: Path, full_disk: Path
) -> None:
    shutil.copytree(seeded, full_disk, dirs_exist_ok=True)
    content = hashlib.sha256((full_disk / "content.db").read_bytes()).hexdigest()
    kiosk = manager.start(full_kiosk_command(full_disk))
    try:
        status = manager.ready(kiosk)
        assert status == f"showing the start screen; the data disk is full ({full_disk}): " \
            "nothing new can be saved"  # fmt: skip
        code, err = manager.stop(kiosk)
    finally:
        kiosk.kill()
    assert code == ExitCode.OK and "internal error" not in err
    # The healthy database stays where it is: a refused write is not damage.
    assert not (full_disk / "damaged").exists()
    assert hashlib.sha256((full_disk / "content.db").read_bytes()).hexdigest() == content


def test_with_no_content_and_a_read_only_folder_the_kiosk_shows_out_of_service(
    manager: ServiceManager, tmp_path: Path
) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    kiosk = manager.start(kiosk_command(folder, refuse="EROFS"), KIOSK_GATE="mong-cai")
    try:
        status = manager.ready(kiosk)  # up, so the service manager does not restart it in a loop
        assert status == f"out of service: the data folder {folder} is read-only: nothing new " \
            "can be saved"  # fmt: skip
        code, err = manager.stop(kiosk)
    finally:
        kiosk.kill()
    assert code == ExitCode.OK and "there is no content in it" in err
    assert list(folder.iterdir()) == []


def test_a_first_start_on_a_full_disk_shows_out_of_service(
    manager: ServiceManager, full_disk: Path
) -> None:
    kiosk = manager.start(full_kiosk_command(full_disk))
    try:
        status = manager.ready(kiosk)
        assert status == f"out of service: the data disk is full ({full_disk}): nothing new " \
            "can be saved"  # fmt: skip
        code, _err = manager.stop(kiosk)
    finally:
        kiosk.kill()
    assert code == ExitCode.OK


# -- T16: one kiosk per data folder ---------------------------------------------------------
def test_a_second_kiosk_on_the_same_data_folder_says_so_and_exits(
    manager: ServiceManager, seeded: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(seeded, folder)
    first = manager.start(kiosk_command(folder))
    try:
        manager.ready(first)
        second = subprocess.run(
            kiosk_command(folder), cwd=REPO_ROOT, capture_output=True, text=True, timeout=60,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )  # fmt: skip
        assert second.returncode == ExitCode.ALREADY_RUNNING
        assert second.stderr == (
            f"kiosk: the kiosk is already running on the data folder {folder} (process "
            f"{first.pid}); stop it first (systemctl stop border-kiosk) or give this one "
            "another --data-dir\n"
        )
        assert first.poll() is None  # the first one carries on
        code, _err = manager.stop(first)
    finally:
        first.kill()
    assert code == ExitCode.OK


# -- T17: full screen without a window manager -------------------------------------------------
@pytest.fixture
def bare_x_server() -> Iterator[str]:
    """A virtual X server of 1366×768 with no window manager: its DISPLAY."""
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
        pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    with os.fdopen(read) as pipe:
        display = f":{pipe.readline().strip()}"
    try:
        yield display
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_on_a_bare_x_server_the_kiosk_fills_the_screen(
    manager: ServiceManager, seeded: Path, tmp_path: Path, bare_x_server: str
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(seeded, folder)
    kiosk = manager.start(kiosk_command(folder), QT_QPA_PLATFORM="xcb", DISPLAY=bare_x_server)
    try:
        manager.ready(kiosk)
        tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True,
                              env={**os.environ, "DISPLAY": bare_x_server}, check=True).stdout
        windows = [line for line in tree.splitlines() if '"border-kiosk")' in line]
        assert len(windows) == 1, tree  # the kiosk's one top-level window
        assert "1366x768+0+0" in windows[0]
        manager.stop(kiosk)
    finally:
        kiosk.kill()
