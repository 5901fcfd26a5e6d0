"""The command line contract of SPEC §5 for the content commands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.store import ContentStore

ROOT = Path(__file__).resolve().parent.parent


def test_check_reports_a_valid_source(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["content", "check", str(example)]) == 0
    out = capsys.readouterr().out
    assert "valid; 2 items, 4 translations, 1 media files, 2 gates, 3 categories" in out


def test_import_then_import_again(
    example: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["content", "import", str(example), "--data-dir", str(data_dir)]) == 0
    assert "revision 1: 2 added" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "content", "import", str(example)]) == 0
    assert "Nothing changed" in capsys.readouterr().out


def test_data_dir_from_the_environment(example: Path, data_dir: Path) -> None:
    env = {**os.environ, "KIOSK_DATA_DIR": str(data_dir)}
    done = subprocess.run(
        [sys.executable, "main.py", "content", "import", str(example)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    store = ContentStore(data_dir)
    assert store.revision() == 1
    store.close()


def test_missing_source_is_one_clear_sentence(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "main.py", "content", "check", str(tmp_path / "nowhere")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "source folder not found" in done.stderr and "Traceback" not in done.stderr


def test_unknown_gate_is_refused_before_any_window(
    example: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--data-dir", str(data_dir), "content", "import", str(example)])
    assert main(["--data-dir", str(data_dir), "run", "--gate", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert "gate 'nowhere' is not in the content" in err and "mong-cai, noi-bai" in err


def test_media_changed_during_import_is_refused_cleanly(
    example: Path,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from kiosk.commands import content
    from kiosk.content.source import load_source

    def load_then_edit(path: Path):
        loaded = load_source(path)
        svg = example / "items/procedures/evisa/media/counter.svg"
        svg.write_text(svg.read_text().replace("#2a5d8f", "#000000"))
        return loaded

    monkeypatch.setattr(content, "load_source", load_then_edit)
    assert main(["--data-dir", str(data_dir), "content", "import", str(example)]) == 2
    assert "changed while it was being imported" in capsys.readouterr().err
    store = ContentStore(data_dir)
    assert store.is_empty()
    store.close()


def test_search_stdin_json_answers_one_line_per_query(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--data-dir",
            str(data),
            "search",
            "--stdin",
            "--json",
            "--lang",
            "zh",
            "--gate",
            "noi-bai",
            "--limit",
            "3",
        ],
        cwd=ROOT,
        input='huzhao\n護照\n\n"NEAR(*\n',
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    import json

    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["query"] for line in lines] == ["huzhao", "護照", "", '"NEAR(*']
    for line in lines:
        assert set(line) == {"query", "lang", "took_ms", "results"} and line["lang"] == "zh"
        assert all(set(r) == {"id", "lang", "title", "score"} for r in line["results"])
    assert lines[0]["results"][0]["title"].startswith("护照")
    assert lines[1]["results"][0]["id"] == lines[0]["results"][0]["id"]
    assert lines[2]["results"] == []


def test_search_text_output_offers_a_correction(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--data-dir",
            str(tmp_path / "data"),
            "search",
            "custums",
            "--lang",
            "en",
            "--gate",
            "noi-bai",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "Did you mean: customs"
    assert "(customs-declaration," in done.stdout


def test_search_refuses_an_unknown_language(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--data-dir",
            str(tmp_path / "data"),
            "search",
            "x",
            "--lang",
            "tlh",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "language 'tlh' is not in the content" in done.stderr
