"""A real, throw-away PostgreSQL server for the hub's tests (the Debian ``postgresql``
package's binaries, a fresh cluster in a temporary folder, trust authentication on the
loopback interface only). PostgreSQL refuses to run as root, so as root it runs as the
``postgres`` user the package creates."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


def _binaries() -> str:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run 'bash packaging/dev.sh test'")
    return os.path.dirname(found[-1])


def free_port() -> int:
    """A loopback TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def postgresql() -> Iterator[str]:
    """Yields a SQLAlchemy URL of an empty database; the cluster is removed afterwards."""
    bin_dir = _binaries()
    folder = tempfile.mkdtemp(prefix="kiosk-pg-", dir="/tmp")
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(folder, "data"), free_port()
    run = lambda *args: subprocess.run(  # noqa: E731 - a local shorthand
        [*as_user, *args], check=True, capture_output=True, text=True, timeout=120
    )
    try:
        run(f"{bin_dir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
        run(
            f"{bin_dir}/pg_ctl", "-D", data, "-w", "-l", os.path.join(folder, "log"), "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        )  # fmt: skip
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_user, f"{bin_dir}/pg_ctl", "-D", data, "-m", "immediate", "stop"],
            capture_output=True, timeout=60,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)
