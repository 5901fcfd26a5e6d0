"""A kiosk trusts no root until one is installed. The demo feed's keys are public (they are in
the repository), so content signed with them must not reach a kiosk that was never told to
trust them; without a root a kiosk does not sync, keeps its content and says so."""

from __future__ import annotations

import argparse
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tuf.api.metadata import Metadata, Root

from kiosk.admin.settings import save_settings
from kiosk.cli import main
from kiosk.commands.usage import _heartbeat
from kiosk.content.store import ContentStore
from kiosk.feed.bundle import export_bundle
from kiosk.feed.keys import KeyRing, init_keys, rotate_key
from kiosk.hub.schema import Heartbeat
from kiosk.logs import log_file
from kiosk.paths import REPO_ROOT
from kiosk.sync import status as st
from kiosk.sync.trust import DEMO_KEY_IDS, install_root, trust_state

from .conftest import EXAMPLE
from .feedkit import now
from .feedserver import StaticServer
from .helpers.ui import admin_of

pytestmark = pytest.mark.slow
DEMO_KEYS = REPO_ROOT / "demo" / "keys"
FORGED = "OFFICIAL NOTICE: pay the new entry fee here"
NO_ROOT = "no root of trust is installed, so this kiosk does not sync"


def run(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def forged(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """What anyone with the public repository can make: a feed and a USB bundle signed with
    the demo keys, whose e-visa title is an attacker's."""
    folder = tmp_path_factory.mktemp("attacker")
    keys, source, feed = folder / "keys", folder / "source", folder / "feed"
    shutil.copytree(DEMO_KEYS, keys)
    shutil.copytree(EXAMPLE, source)
    page = source / "items" / "procedures" / "evisa" / "en.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    lines[1] = f'title = "{FORGED}"'
    page.write_text("\n".join(lines), encoding="utf-8")
    assert main(["publish", str(source), "--feed", str(feed), "--keys", str(keys)]) == 0
    bundle = folder / "usb" / "content.bundle"
    export_bundle(feed, keys, bundle, now())
    return feed, bundle


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kiosk as installed: the bundled content, no root of trust."""
    folder = tmp_path_factory.mktemp("fresh")
    assert main(["search", "visa", "--data-dir", str(folder)]) == 0
    return folder


@pytest.fixture
def kiosk(fresh: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kiosk"
    shutil.copytree(fresh, copy)
    return copy


def content_of(kiosk: Path) -> tuple[str, list[str]]:
    """What a traveller could notice: the content revision and every English title."""
    store = ContentStore(kiosk)
    try:
        with store.engine.connect() as conn:
            titles = conn.exec_driver_sql(
                "SELECT title FROM translation WHERE lang = 'en' ORDER BY item_id"
            ).scalars()
            return store.meta().get("revision", "0"), list(titles)
    finally:
        store.close()


def test_content_signed_with_the_public_demo_keys_is_refused_by_a_fresh_kiosk(
    capsys, kiosk: Path, forged: tuple[Path, Path]
) -> None:  # type: ignore[no-untyped-def]
    feed, bundle = forged
    before = content_of(kiosk)
    assert before[1] and FORGED not in before[1]
    data = ("--data-dir", str(kiosk))
    with StaticServer(feed) as server:
        for attempt in (
            ("bundle", "import", str(bundle)),
            ("sync", "--once", "--feed", str(feed)),
            ("sync", "--once", "--feed", server.url),
        ):
            code, _, err = run(capsys, *attempt, *data)
            assert code == 1 and NO_ROOT in err, attempt
            assert err.count("\n") == 1 and "Traceback" not in err  # one sentence
            assert content_of(kiosk) == before, attempt
        assert server.requests.snapshot() == []  # not even the feed's metadata was asked for
    status = json.loads((kiosk / "sync" / "status.json").read_text())
    assert status["last_outcome"] == st.UNTRUSTED and status["trust"] == "none"
    code, out, _ = run(capsys, "sync", "--status", *data)
    assert code == 0 and "trust: none installed; sync is off" in out
    # Each refused attempt is in the kiosk's log, with the sentence the operator acts on.
    logged = [json.loads(line) for line in log_file(kiosk).read_text().splitlines()]
    refusals = [e for e in logged if NO_ROOT in e["message"]]
    assert len(refusals) == 3 and all(e["level"] == "warning" for e in refusals)


def test_installing_a_root_turns_sync_on(capsys, kiosk: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    keys, feed = tmp_path / "keys", tmp_path / "feed"
    init_keys(keys, provinces=[], now=now())
    assert run(capsys, "publish", str(EXAMPLE), "--feed", str(feed), "--keys", str(keys))[0] == 0
    data = ("--data-dir", str(kiosk))
    assert run(capsys, "sync", "--once", "--feed", str(feed), *data)[0] == 1
    code, out, err = run(capsys, "trust", str(keys / "root.json"), *data)
    assert code == 0 and "root of trust installed" in out and "demo" not in err
    code, out, err = run(capsys, "sync", "--once", "--feed", str(feed), *data)
    assert code == 0, err
    assert "last outcome: ok" in out and "channels: national r1" in out
    code, out, _ = run(capsys, "sync", "--status", *data)
    assert "trust: installed" in out and "sync is off" not in out


def test_trusting_the_demo_root_is_possible_and_said_everywhere(
    capsys, kiosk: Path, forged: tuple[Path, Path]
) -> None:  # type: ignore[no-untyped-def]
    _feed, bundle = forged
    data = ("--data-dir", str(kiosk))
    code, _, err = run(capsys, "trust", str(DEMO_KEYS / "root.json"), *data)
    assert code == 0 and "public demo root" in err
    code, _out, err = run(capsys, "bundle", "import", str(bundle), *data)
    assert code == 0, err
    assert FORGED in content_of(kiosk)[1]  # what trusting the demo root means
    assert "the public demo root" in run(capsys, "sync", "--status", *data)[1]
    logged = log_file(kiosk).read_text()
    assert "this kiosk trusts the public demo root" in logged


def test_trust_state(kiosk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_TRUST_ROOT", raising=False)
    assert trust_state(kiosk) == "none"
    install_root(kiosk, DEMO_KEYS / "root.json")
    assert trust_state(kiosk) == "demo"
    # A root that still names one demo key (another role's key rotated) is the demo's too.
    ring_dir = tmp_path / "demo-rotated"
    shutil.copytree(DEMO_KEYS, ring_dir)
    rotate_key(KeyRing(ring_dir), "timestamp", now=now())
    install_root(kiosk, ring_dir / "root.json")
    assert trust_state(kiosk) == "demo"
    own = tmp_path / "own"
    init_keys(own, provinces=[], now=now())
    install_root(kiosk, own / "root.json")
    assert trust_state(kiosk) == "installed"
    # A damaged installed root trusts nothing, and sync says so.
    (kiosk / "trust" / "root.json").write_text("{}")
    assert trust_state(kiosk) == "none"
    # The installer's root ($KIOSK_TRUST_ROOT, /etc/border-kiosk/root.json in the package)
    # counts when 'kiosk trust' installed none.
    (kiosk / "trust" / "root.json").unlink()
    monkeypatch.setenv("KIOSK_TRUST_ROOT", str(own / "root.json"))
    assert trust_state(kiosk) == "installed"
    monkeypatch.setenv("KIOSK_TRUST_ROOT", str(tmp_path / "absent.json"))
    assert trust_state(kiosk) == "none"


def test_a_damaged_root_refuses_sync_with_a_sentence(capsys, kiosk: Path, forged) -> None:  # type: ignore[no-untyped-def]
    feed, _bundle = forged
    (kiosk / "trust").mkdir()
    (kiosk / "trust" / "root.json").write_text("{}")
    code, _, err = run(capsys, "sync", "--once", "--feed", str(feed), "--data-dir", str(kiosk))
    assert code == 1 and "is not a TUF root metadata file" in err and "install" in err


def test_the_demo_key_ids_are_those_of_the_demo_feed() -> None:
    found: set[str] = set()
    for path in DEMO_KEYS.glob("*root.json"):
        found |= set(Metadata[Root].from_file(str(path)).signed.keys)
    assert found == DEMO_KEY_IDS


def test_the_heartbeat_carries_the_trust_state(kiosk: Path) -> None:
    beat = _heartbeat("noi-bai-1", kiosk, st.load_status(kiosk))
    assert beat["trust"] == "none"
    Heartbeat.model_validate(beat)  # the hub takes it
    install_root(kiosk, DEMO_KEYS / "root.json")
    assert _heartbeat("noi-bai-1", kiosk, st.load_status(kiosk))["trust"] == "demo"


def test_the_kiosk_says_at_start_that_sync_is_off(
    kiosk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.commands import run as run_command

    started: list[Path] = []
    fake_ui = argparse.Namespace(
        run_kiosk=lambda store, gate, windowed, **_: started.append(store.data_dir) or 0
    )
    monkeypatch.setattr(run_command.importlib, "import_module", lambda name: fake_ui)
    args = argparse.Namespace(data_dir=str(kiosk), gate=None, windowed=True)
    assert run_command.main(args) == 0 and started == [kiosk]
    logged = [json.loads(line) for line in log_file(kiosk).read_text().splitlines()]
    assert [e["level"] for e in logged if NO_ROOT in e["message"]] == ["warning"]


@pytest.fixture
def untrusted_window(qtbot, kiosk: Path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    import datetime as dt

    from PySide6.QtCore import QCoreApplication, QEvent

    from .conftest import open_kiosk

    store = ContentStore(kiosk)
    gate = store.gate("noi-bai")
    assert gate is not None
    window = open_kiosk(store, gate, today=lambda: dt.date(2026, 12, 1))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()


@pytest.mark.gui
def test_the_panel_shows_that_sync_is_off_and_why(
    qtbot, untrusted_window, forged: tuple[Path, Path], kiosk: Path
) -> None:  # type: ignore[no-untyped-def]
    from .helpers.ui import open_panel, shown, tap

    window = untrusted_window
    feed, _bundle = forged
    before = content_of(kiosk)
    panel = open_panel(qtbot, window)
    none_text = shown(
        window,
        "none installed: sync is off and the kiosk shows the content it has; install the "
        "feed's root with 'kiosk trust ROOT_JSON'",
    )
    assert panel.fact_labels["trust"][1].text() == none_text
    assert panel.fact_labels["trust"][1].accessibleName().endswith(none_text)
    admin = admin_of(window)
    admin.settings.feed = str(feed)
    save_settings(admin.engine, admin.settings)  # the sync resolves it from there
    with qtbot.waitSignal(
        admin.audit_written, timeout=60000, check_params_cb=lambda a: a == "sync-finished"
    ):
        tap(qtbot, panel.sync_button)
    qtbot.waitUntil(lambda: not panel.status_pending)  # the facts gathered again after a sync
    # In the panel's language, from the failure's code: not the log's English sentence.
    assert none_text in panel.progress.text() and NO_ROOT not in panel.progress.text()
    assert none_text in panel.fact_labels["last-sync"][1].text()
    assert content_of(kiosk) == before
    install_root(kiosk, DEMO_KEYS / "root.json")
    panel.refresh_status()
    qtbot.waitUntil(lambda: not panel.status_pending)  # gathered off the UI thread
    assert panel.fact_labels["trust"][1].text() == shown(
        window,
        "the public demo root: anybody can sign content this kiosk accepts; install your "
        "feed's root with 'kiosk trust ROOT_JSON'",
    )
