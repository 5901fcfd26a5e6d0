"""TOML parsing that keeps line numbers for error messages."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from typing import Any

from kiosk.content.source.errors import ErrorSink

MAX_TEXT_BYTES = 1_000_000
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_TOML_EOF = re.compile(r"\(at end of document\)")


@dataclass(frozen=True)
class Lines:
    """Finds the line of a key in TOML text; ``offset`` is the file line of the text's line 1."""

    text: str
    offset: int = 0

    def _lines(self) -> list[str]:
        return self.text.splitlines()

    def key(self, key: str, start: int = 1, end: int | None = None) -> int:
        """File line of ``key = …`` between text lines ``start`` and ``end``, else ``start``."""
        pattern = re.compile(rf"^\s*(?:{re.escape(key)}|\"{re.escape(key)}\")\s*=")
        lines = self._lines()
        stop = len(lines) if end is None else min(end, len(lines))
        for number in range(start, stop + 1):
            if pattern.match(lines[number - 1]):
                return number + self.offset
        return start + self.offset

    def tables(self, name: str) -> list[int]:
        """Text lines of each ``[[name]]`` header, in order."""
        pattern = re.compile(rf"^\s*\[\[\s*{re.escape(name)}\s*\]\]")
        return [n for n, line in enumerate(self._lines(), start=1) if pattern.match(line)]

    @property
    def last(self) -> int:
        return max(len(self._lines()), 1)


def parse_toml(text: str, rel: str, sink: ErrorSink, offset: int = 0) -> dict[str, Any] | None:
    """Parse TOML text; on failure record one error at the line TOML names and return None."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        if found:
            line = int(found.group(1))
        elif _TOML_EOF.search(message):
            line = max(len(text.splitlines()), 1)
        else:
            line = 1
        reason = _TOML_EOF.sub("", _TOML_POSITION.sub("", message)).strip()
        sink.add(rel, line + offset, f"invalid TOML: {reason}; fix the syntax")
        return None


def read_text(path: Any, rel: str, sink: ErrorSink) -> str | None:
    """Read a UTF-8 text file of reasonable size, recording why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            sink.add(rel, 1, f"file is {size} bytes; text files are limited to {MAX_TEXT_BYTES}")
            return None
        # One spelling per word: decomposed input (common from some keyboards and file
        # systems) is composed, so search and fonts see the same code points everywhere.
        return unicodedata.normalize("NFC", path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        sink.add(rel, 1, f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8")
    except OSError as exc:
        sink.add(rel, 1, f"cannot be read: {exc.strerror}")
    return None
