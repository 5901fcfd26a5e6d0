"""The hub token is read from its file by the upload process alone: the kiosk's user
interface process and the page processes QtWebEngine starts never carry it in their
environment (a page process that is taken over must not find the kiosk's credential there)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from kiosk.cli import main
from kiosk.hub.db import open_hub_db
from kiosk.hub.service import add_kiosk
from kiosk.paths import REPO_ROOT

from .helpers.hub import LiveHub, kiosk_counters
from .pgserver import free_port

SECRET = "hub-token-0f3a9c51e2"

PAGE = """
from ui.app import prepare_environment
prepare_environment()  # what 'kiosk run' does first
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from PySide6.QtWebEngineWidgets import QWebEngineView
app = QApplication([])
view = QWebEngineView()
view.loadFinished.connect(lambda ok: QTimer.singleShot(300, app.quit))
view.setHtml("<p>a page</p>")
view.show()
QTimer.singleShot(60000, app.quit)
app.exec()
"""


@pytest.mark.gui
def test_page_processes_never_inherit_the_hub_token(tmp_path: Path) -> None:
    """Given the token in the environment (as /etc/default/border-kiosk used to give it), the
    kiosk drops it before any page process starts, and says where the token belongs."""
    from PySide6.QtCore import QLibraryInfo

    real = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibraryExecutablesPath))
    spy = tmp_path / "page-process"
    spy.write_text(
        f'#!/bin/sh\nenv > "{tmp_path}/env.$$"\nexec "{real / "QtWebEngineProcess"}" "$@"\n'
    )
    spy.chmod(0o755)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_HUB_TOKEN": SECRET,
        "QTWEBENGINEPROCESS_PATH": str(spy),
    }
    done = subprocess.run(
        [sys.executable, "-c", PAGE], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    dumps = sorted(tmp_path.glob("env.*"))
    assert dumps, "no page process started"  # the check below looked at real processes
    for dump in dumps:
        assert SECRET not in dump.read_text(), dump.name
    assert "KIOSK_HUB_TOKEN was set in the kiosk's environment" in done.stderr
    assert "/etc/border-kiosk/hub-token" in done.stderr


@pytest.mark.gui
def test_only_the_upload_process_reads_the_token(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app.sync_service import SyncService
    from kiosk.hub.db import heartbeats

    engine = open_hub_db(f"sqlite:///{tmp_path / 'hub.db'}")
    token = add_kiosk(engine, "noi-bai-1")
    token_file = tmp_path / "hub-token"
    token_file.write_text(token + "\n")
    token_file.chmod(0o640)
    kiosk_counters(tmp_path / "kiosk", sessions=3).close()
    port = free_port()
    with LiveHub(engine, port):
        service = SyncService(
            tmp_path / "kiosk", None, None, schedule=False,
            hub=(f"http://127.0.0.1:{port}", "noi-bai-1", str(token_file)),
        )  # fmt: skip
        with qtbot.waitSignal(service.upload_finished, timeout=60000):
            assert service.upload_now()
            assert service.uploader is not None
            child = service.uploader.processEnvironment()
            assert not child.contains("KIOSK_HUB_TOKEN")
            assert child.value("KIOSK_HUB_TOKEN_FILE") == str(token_file)
            assert not [e for e in child.toStringList() if token in e]
    with engine.connect() as conn:
        beat = conn.execute(select(heartbeats.c.kiosk_id)).scalars().all()
    assert beat == ["noi-bai-1"]  # the upload process read the token from the file
    assert not [k for k, v in os.environ.items() if token in v]  # the kiosk's own process
    engine.dispose()


def test_the_upload_command_says_what_is_wrong_with_the_token_file(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("KIOSK_HUB_TOKEN", raising=False)
    upload = ["analytics", "upload", "--hub", "http://127.0.0.1:9", "--kiosk-id", "k-1"]
    upload += ["--data-dir", str(tmp_path)]
    empty = tmp_path / "hub-token"
    empty.write_text("\n")
    monkeypatch.setenv("KIOSK_HUB_TOKEN_FILE", str(empty))
    assert main(upload) == 2
    err = capsys.readouterr().err
    assert f"cannot read the hub token from {empty} (it is empty)" in err
    assert "'kiosk hub add-kiosk'" in err and "Traceback" not in err
    monkeypatch.setenv("KIOSK_HUB_TOKEN_FILE", str(tmp_path / "absent"))
    assert main(upload) == 2
    assert "No such file or directory" in capsys.readouterr().err
