"""Whatever an author writes, the loader answers with records or with located errors."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.content.source import SourceInvalid, load_source

from .conftest import EXAMPLE

TOMLISH = st.text(
    alphabet=st.sampled_from(list("abcdeikmnoprstuvy_=[]{}\"',.:-+#*0123456789 \n")), max_size=300
)


def _check(rel: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "source"
        shutil.copytree(EXAMPLE, source)
        (source / rel).write_text(text, encoding="utf-8")
        try:
            load_source(source)
        except SourceInvalid as exc:
            assert exc.errors
            for error in exc.errors:
                assert error.path.startswith(str(source)) and error.line >= 1 and error.message
                assert str(error).count(":") >= 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TOMLISH)
def test_any_item_toml_is_loaded_or_reported(text: str) -> None:
    _check("items/procedures/evisa/item.toml", text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TOMLISH)
def test_any_front_matter_is_loaded_or_reported(text: str) -> None:
    _check("items/procedures/evisa/en.md", "+++\n" + text + "\n+++\nBody\n")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TOMLISH)
def test_any_gates_file_is_loaded_or_reported(text: str) -> None:
    _check("gates.toml", text)
