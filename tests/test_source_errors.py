"""Broken sources: each is rejected with a `file:line: message` and nothing is imported."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.content.store import ContentStore

EVISA = "items/procedures/evisa"
EMERGENCY = "items/services/emergency-numbers"


@dataclass
class Broken:
    name: str
    rel: str
    change: Callable[[str], str]
    where: str  # "file:line" the error must point at
    message: str  # a fragment of the message


def replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, f"fixture no longer contains {old!r}"
        return text.replace(old, new, 1)

    return change


def append(extra: str) -> Callable[[str], str]:
    return lambda text: text + extra


CASES = [
    Broken(
        "bad TOML",
        f"{EVISA}/item.toml",
        replace("priority = 10", "priority = = 10"),
        f"{EVISA}/item.toml:10",
        "invalid TOML",
    ),
    Broken(
        "missing title",
        f"{EVISA}/en.md",
        replace('title = "Electronic visa (e-visa)"\n', ""),
        f"{EVISA}/en.md:2",
        "missing required key 'title'",
    ),
    Broken(
        "unknown kind",
        f"{EVISA}/item.toml",
        replace('"procedure"', '"recipe"'),
        f"{EVISA}/item.toml:3",
        "unknown kind 'recipe'",
    ),
    Broken(
        "unknown category",
        f"{EVISA}/item.toml",
        replace('category = "visa"', 'category = "weather"'),
        f"{EVISA}/item.toml:4",
        "unknown category 'weather'",
    ),
    Broken(
        "duplicate id",
        f"{EMERGENCY}/item.toml",
        replace('id = "emergency-numbers"', 'id = "evisa"'),
        f"{EMERGENCY}/item.toml:1",
        "duplicate id 'evisa' (also used by items/procedures/evisa/item.toml)",
    ),
    Broken(
        "bad date",
        f"{EVISA}/item.toml",
        replace("2023-08-15", '"soon"'),
        f"{EVISA}/item.toml:8",
        "'valid_from' = 'soon' is not a date",
    ),
    Broken(
        "impossible date",
        f"{EVISA}/item.toml",
        replace("2023-08-15", "2023-02-30"),
        f"{EVISA}/item.toml:8",
        "invalid TOML",
    ),
    Broken(
        "valid_until before valid_from",
        f"{EVISA}/item.toml",
        replace("# valid_until = 2030-12-31", "valid_until = 2020-01-01"),
        f"{EVISA}/item.toml:9",
        "valid_until 2020-01-01 is before valid_from 2023-08-15",
    ),
    Broken(
        "language not in site.toml",
        f"{EVISA}/th.md",
        lambda _: "+++\ntitle = 'x'\n+++\n",
        f"{EVISA}/th.md:1",
        "language 'th' is not in site.toml languages",
    ),
    Broken(
        "file not named after a language",
        f"{EVISA}/english.md",
        lambda _: "+++\ntitle = 'x'\n+++\n",
        f"{EVISA}/english.md:1",
        "not named after a language tag",
    ),
    Broken(
        "script in Markdown",
        f"{EVISA}/en.md",
        append("\n<script>alert(1)</script>\n"),
        f"{EVISA}/en.md:23",
        "<script> is not allowed",
    ),
    Broken(
        "event handler in raw HTML",
        f"{EVISA}/en.md",
        append('\n<p onclick="steal()">x</p>\n'),
        f"{EVISA}/en.md:23",
        "event handler 'onclick'",
    ),
    Broken(
        "iframe in Markdown",
        f"{EVISA}/en.md",
        append('\n<iframe src="https://example.com"></iframe>\n'),
        f"{EVISA}/en.md:23",
        "<iframe> is not allowed",
    ),
    Broken(
        "javascript link",
        f"{EVISA}/en.md",
        append("\n[pay here](javascript:alert(1))\n"),
        f"{EVISA}/en.md:23",
        "a 'javascript:' link is not allowed",
    ),
    Broken(
        "path escaping the item folder",
        f"{EVISA}/en.md",
        replace("media/counter.svg", "../../services/emergency-numbers/en.md"),
        f"{EVISA}/en.md:21",
        "escapes the item folder",
    ),
    Broken(
        "remote image",
        f"{EVISA}/en.md",
        replace("media/counter.svg", "https://example.com/counter.png"),
        f"{EVISA}/en.md:21",
        "loads from outside",
    ),
    Broken(
        "image outside media/",
        f"{EVISA}/en.md",
        replace("media/counter.svg", "vi.md"),
        f"{EVISA}/en.md:21",
        "is not in this item's media/ folder",
    ),
    Broken(
        "unknown gate",
        f"{EVISA}/item.toml",
        replace('gates = ["*"]', 'gates = ["da-nang"]'),
        f"{EVISA}/item.toml:6",
        "unknown gate 'da-nang'",
    ),
    Broken(
        "misspelt key",
        f"{EVISA}/item.toml",
        replace("priority = 10", "priorty = 10"),
        f"{EVISA}/item.toml:10",
        "unknown key 'priorty'",
    ),
    Broken(
        "wrong type",
        f"{EVISA}/item.toml",
        replace("priority = 10", 'priority = "high"'),
        f"{EVISA}/item.toml:10",
        "'priority' must be a whole number",
    ),
    Broken(
        "id that is not a slug",
        f"{EVISA}/item.toml",
        replace('id = "evisa"', 'id = "E Visa"'),
        f"{EVISA}/item.toml:2",
        "must be a slug",
    ),
    Broken(
        "front matter not opened",
        f"{EMERGENCY}/zh.md",
        lambda text: text.split("\n", 1)[1],
        f"{EMERGENCY}/zh.md:1",
        "must start with a line '+++'",
    ),
    Broken(
        "front matter not closed",
        f"{EMERGENCY}/zh.md",
        lambda text: "+++\n" + text[4:].replace("+++\n", "", 1),
        f"{EMERGENCY}/zh.md:",
        "front matter is not closed",
    ),
    Broken(
        "procedure field on a contact",
        f"{EMERGENCY}/en.md",
        replace("keywords = ", 'steps = ["call"]\nkeywords = '),
        f"{EMERGENCY}/en.md:4",
        "'steps' is only for items of kind procedure",
    ),
    Broken(
        "unknown parent category",
        "categories.toml",
        replace('parent = "procedures"', 'parent = "parents"'),
        "categories.toml:9",
        "parent 'parents' is not a category",
    ),
    Broken(
        "gate language not in site.toml",
        "gates.toml",
        replace('languages = ["vi", "zh", "en"]', 'languages = ["vi", "zh", "th"]'),
        "gates.toml:6",
        "gate language 'th' is not in site.toml",
    ),
    Broken(
        "unknown gate type",
        "gates.toml",
        replace('type = "road"', 'type = "river"'),
        "gates.toml:3",
        "unknown gate type 'river'",
    ),
    Broken(
        "bad country code",
        "gates.toml",
        replace('country = "CN"', 'country = "China"'),
        "gates.toml:5",
        "not an ISO 3166 two-letter code",
    ),
    Broken(
        "no gates",
        "gates.toml",
        lambda _: "# to be written\n",
        "gates.toml:1",
        "gates.toml defines no [[gate]]",
    ),
    Broken(
        "default language not offered",
        "site.toml",
        replace('default_language = "vi"', 'default_language = "th"'),
        "site.toml:3",
        "default_language 'th' is not one of 'languages'",
    ),
    Broken(
        "script in an SVG",
        f"{EVISA}/media/counter.svg",
        replace("</svg>", "<script>alert(1)</script></svg>"),
        f"{EVISA}/en.md:21",
        "contains <script>",
    ),
    Broken(
        "unexpected file",
        f"{EVISA}/notes.txt",
        lambda _: "todo",
        f"{EVISA}/notes.txt:1",
        "unexpected file 'notes.txt'",
    ),
    Broken(
        "link to an unknown item",
        f"{EVISA}/en.md",
        append("\nSee [this](item:nowhere).\n"),
        f"{EVISA}/en.md:23",
        "link to unknown item 'nowhere'",
    ),
]


BY_NAME = {case.name: case for case in CASES}


def _apply(source: Path, case: Broken) -> None:
    path = source / case.rel
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(case.change(text), encoding="utf-8")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_source_is_reported_and_nothing_imported(
    case: Broken, example: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _apply(example, case)

    assert main(["content", "check", str(example)]) == 1
    errors = capsys.readouterr().err.splitlines()
    wanted = f"{example}/{case.where}"
    assert any(line.startswith(wanted) and case.message in line for line in errors), errors

    assert main(["--data-dir", str(data_dir), "content", "import", str(example)]) == 1
    store = ContentStore(data_dir)
    assert store.is_empty()
    assert store.gates() == []
    store.close()


def test_every_error_of_a_source_is_listed(example: Path, capsys: pytest.CaptureFixture[str]):
    for name in (
        "unknown kind",
        "unknown category",
        "language not in site.toml",
        "gate language not in site.toml",
    ):
        case = BY_NAME[name]
        _apply(example, case)
    assert main(["content", "check", str(example)]) == 1
    err = capsys.readouterr().err
    listed = [line for line in err.splitlines() if re.match(r"^.+:\d+: ", line)]
    assert len(listed) == 4, err
    assert "4 error(s)" in err and "nothing was imported" in err


def test_bad_import_keeps_the_previous_content(example: Path, data_dir: Path) -> None:
    assert main(["--data-dir", str(data_dir), "content", "import", str(example)]) == 0
    _apply(example, BY_NAME["unknown kind"])
    (example / EVISA / "en.md").write_text("+++\ntitle = 'Changed'\n+++\n", encoding="utf-8")
    assert main(["--data-dir", str(data_dir), "content", "import", str(example)]) == 1
    store = ContentStore(data_dir)
    evisa = store.item("evisa", "noi-bai")
    assert evisa is not None and evisa.kind == "procedure"
    assert evisa.translations["en"].title == "Electronic visa (e-visa)"
    assert store.revision() == 1
    store.close()


def test_errors_need_no_traceback(example: Path) -> None:
    _apply(example, BY_NAME["bad TOML"])
    done = subprocess.run(
        [sys.executable, "main.py", "content", "check", str(example)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{example}/{EVISA}/item.toml:10: invalid TOML" in done.stderr
