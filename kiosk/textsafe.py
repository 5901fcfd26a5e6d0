"""Text that reaches a terminal shows control characters, it never obeys them.

File names, audit details, sync errors and titles come from sticks, feeds and the network; a
name holding ``ESC [2J`` would clear the operator's screen, ``ESC ]0;…BEL`` retitle the window,
and a bidi override (U+202E) make the rest of a line read backwards. Every such character is
shown as a visible ``\\uXXXX`` escape: readable, and also a valid escape inside a JSON string,
so the JSON lines of ``kiosk search --json`` stay valid JSON that decodes to the same text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

# C0 controls but tab and newline, DEL, C1 controls, bidi marks, embeddings, overrides and
# isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """``text`` with every terminal control and bidi control written as ``\\uXXXX``."""
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


class EscapingStream:
    """A text stream that escapes controls in whatever is written to it."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(escape_controls(text))
        return len(text)

    def writelines(self, lines: Iterator[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


@contextmanager
def escaped_output() -> Iterator[None]:
    """Standard output and error escape controls while the block runs (a command)."""
    saved = sys.stdout, sys.stderr
    if saved[0] is not None:  # None without a console: print() then writes nowhere
        sys.stdout = EscapingStream(saved[0])
    if saved[1] is not None:
        sys.stderr = EscapingStream(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
