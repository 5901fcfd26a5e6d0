"""The suite's own rules, run on the project's pytest settings: a marker nobody declared is an
error, and a Qt warning fails the test during which it was written, except the few messages of
the headless test platform that the settings name."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

WARNS = """
from PySide6.QtCore import qWarning


def test_a_widget_writes_a_warning(qtbot):
    qWarning("QLayout: Attempting to add QLayout to QWidget, which already has a layout")


def test_the_offscreen_platform_writes_its_own(qtbot):
    qWarning("This plugin does not support propagateSizeHints()")
"""

MISSPELT = """
import pytest


@pytest.mark.gui_only
def test_marked():
    pass
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A fresh folder with the project's pytest settings."""
    pytester.makepyprojecttoml((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pytester


def test_a_qt_warning_fails_the_test(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_warns=WARNS)
    result = suite.runpytest_subprocess("test_warns.py", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*FAILED*test_a_widget_writes_a_warning*"])


def test_an_undeclared_marker_is_an_error(suite: pytest.Pytester) -> None:
    suite.makepyfile(test_misspelt=MISSPELT)
    result = suite.runpytest_subprocess("test_misspelt.py", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*'gui_only' not found in `markers` configuration option*"])
