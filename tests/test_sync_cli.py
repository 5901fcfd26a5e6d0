"""The operator's commands: keys, publish, trust, sync, bundle export and import."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.store import ContentStore
from kiosk.paths import REPO_ROOT, bundled_content_dir
from kiosk.sync import status as st
from kiosk.sync.schedule import BACKOFF_CAP, PERIOD, next_delay

from .conftest import EXAMPLE

pytestmark = pytest.mark.slow


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_feed_round_trip_from_a_checkout(capsys, tmp_path: Path) -> None:
    demo_keys = REPO_ROOT / "demo" / "keys"
    feed, kiosk = tmp_path / "feed", tmp_path / "kiosk"
    code, out, _ = run(capsys, "publish", str(bundled_content_dir()), "--feed", str(feed),
                       "--keys", str(demo_keys))  # fmt: skip
    assert code == 0 and "national revision 1 published" in out
    # The README's demo: the demo root is trusted only when asked for, and said to be public.
    code, out, err = run(capsys, "trust", str(demo_keys / "root.json"), "--data-dir", str(kiosk))
    assert code == 0 and "version 1" in out and "public demo root" in err
    code, out, err = run(capsys, "sync", "--once", "--feed", str(feed), "--data-dir", str(kiosk))
    assert code == 0, err
    assert "last outcome: ok" in out and "channels: national r1" in out
    assert "the public demo root" in out
    code, out, _ = run(capsys, "sync", "--status", "--data-dir", str(kiosk))
    assert "last outcome: ok" in out


def test_keys_publish_trust_sync_and_bundles(capsys, tmp_path: Path) -> None:
    keys, feed, kiosk, source = (tmp_path / n for n in ("keys", "feed", "kiosk", "source"))
    shutil.copytree(EXAMPLE, source)
    code, out, _ = run(capsys, "keys", "init", str(keys), "--province", "quang-ninh")
    assert code == 0 and (keys / "root.json").is_file() and "province-quang-ninh" in out
    code, _, err = run(capsys, "keys", "init", str(keys))
    assert code == 2 and "already exists" in err
    assert run(capsys, "publish", str(source), "--feed", str(feed), "--keys", str(keys))[0] == 0
    code, out, _ = run(capsys, "trust", str(keys / "root.json"), "--data-dir", str(kiosk))
    assert code == 0 and "version 1" in out
    bundle = tmp_path / "usb" / "feed.bundle"
    code, out, _ = run(capsys, "bundle", "export", "--feed", str(feed), "--keys", str(keys),
                       "--out", str(bundle))  # fmt: skip
    assert code == 0 and bundle.is_file() and "national r1" in out
    # A kiosk with no network takes the bundle, verified like a sync.
    code, out, err = run(capsys, "bundle", "import", str(bundle), "--data-dir", str(kiosk))
    assert code == 0, err
    assert "channels: national r1" in out
    # Newer content online, then the old bundle again: refused as a rollback.
    md = source / "items" / "procedures" / "evisa" / "en.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Electronic visa", "E-visa"))
    assert run(capsys, "publish", str(source), "--feed", str(feed), "--keys", str(keys))[0] == 0
    code, out, _ = run(capsys, "sync", "--once", "--feed", str(feed), "--data-dir", str(kiosk))
    assert code == 0 and "channels: national r2" in out
    code, _, err = run(capsys, "bundle", "import", str(bundle), "--data-dir", str(kiosk))
    assert code == 1 and "go back in time" in err
    assert json.loads((kiosk / "sync" / "status.json").read_text())["revisions"] == {"national": 2}


def test_clear_sentences_for_operator_mistakes(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "publish", str(EXAMPLE), "--feed", str(tmp_path / "f"),
                       "--keys", str(tmp_path / "nokeys"))  # fmt: skip
    assert code == 2 and "run 'kiosk keys init" in err and "Traceback" not in err
    code, _, err = run(capsys, "trust", str(EXAMPLE / "site.toml"), "--data-dir", str(tmp_path))
    assert code == 2 and "is not a TUF root metadata file" in err
    code, _, err = run(capsys, "bundle", "import", str(tmp_path / "nothing.bundle"),
                       "--data-dir", str(tmp_path / "k"))  # fmt: skip
    assert code == 2 and "is not a file" in err
    junk = tmp_path / "junk.bundle"
    junk.write_bytes(b"not a tar file at all" * 100)
    demo_root = REPO_ROOT / "demo" / "keys" / "root.json"
    assert run(capsys, "trust", str(demo_root), "--data-dir", str(tmp_path / "k"))[0] == 0
    code, _, err = run(capsys, "bundle", "import", str(junk), "--data-dir", str(tmp_path / "k"))
    assert code == 1 and "is not a readable bundle file" in err
    code, _, err = run(capsys, "sync", "--once", "--data-dir", str(tmp_path / "fresh"))
    assert code == 2 and "pass --feed" in err


def test_schedule_spreads_kiosks_and_backs_off() -> None:
    import random

    rng = random.Random(3)
    periodic = [next_delay(st.OK, 0, rng) for _ in range(200)]
    assert min(periodic) >= PERIOD * 0.9 and max(periodic) <= PERIOD * 1.1
    assert max(periodic) - min(periodic) > PERIOD * 0.1  # jitter: not all at the same second
    first = [next_delay(st.OFFLINE, 1, rng) for _ in range(200)]
    later = [next_delay(st.OFFLINE, 6, rng) for _ in range(200)]
    assert max(first) <= 60 and max(later) > 600  # exponential growth of the ceiling
    assert max(next_delay(st.OFFLINE, 40, rng) for _ in range(200)) <= BACKOFF_CAP
    assert next_delay(st.REJECTED, 1, rng) == PERIOD  # no retry storm on a bad feed


def time_floor_of(data_dir: Path) -> str | None:
    store = ContentStore(data_dir)
    try:
        return store.meta().get("sync:time_floor")
    finally:
        store.close()


def test_a_damaged_database_comes_back_on_the_bundled_content_then_resyncs(
    capsys, tmp_path: Path
) -> None:
    keys, feed, kiosk, source = (tmp_path / n for n in ("keys", "feed", "kiosk", "source"))
    shutil.copytree(EXAMPLE, source)
    md = source / "items" / "procedures" / "evisa" / "en.md"
    md.write_text(md.read_text(encoding="utf-8").replace("Electronic visa", "Feed-only e-visa"))
    assert run(capsys, "keys", "init", str(keys))[0] == 0
    assert run(capsys, "publish", str(source), "--feed", str(feed), "--keys", str(keys))[0] == 0
    assert run(capsys, "trust", str(keys / "root.json"), "--data-dir", str(kiosk))[0] == 0
    sync = ("sync", "--once", "--feed", str(feed), "--data-dir", str(kiosk))
    assert run(capsys, *sync)[0] == 0

    def titles() -> list[str]:
        code, out, _ = run(capsys, "search", "visa", "--lang", "en", "--json",
                           "--data-dir", str(kiosk))  # fmt: skip
        assert code == 0
        return [hit["title"] for hit in json.loads(out)["results"]]

    assert "Feed-only e-visa (e-visa)" in titles()
    floor = time_floor_of(kiosk)
    assert floor  # the publisher's signed issue time: a clock earlier than this is wrong
    (kiosk / "content.db").write_bytes(b"\0garbage" * 4096)
    code, out, err = run(capsys, "search", "visa", "--lang", "en", "--json",
                         "--data-dir", str(kiosk))  # fmt: skip
    assert code == 0 and "moved to" in err and "Traceback" not in err
    back = [hit["title"] for hit in json.loads(out)["results"]]
    assert back and not any("Feed-only" in title for title in back)  # the bundled default
    assert time_floor_of(kiosk) == floor  # a wrong clock still cannot bring back expired notices
    code, out, err = run(capsys, *sync)
    assert code == 0, err
    assert "channels: national r1" in out
    assert "Feed-only e-visa (e-visa)" in titles()  # the feed's content is back
