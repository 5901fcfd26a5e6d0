"""Text from outside (a bundle's member names, a file name on a USB stick, a feed's error, an
audit detail, a title) shows its control characters, it never obeys them.

A name holding ``ESC [2J`` would clear the operator's screen, ``ESC ]0;…BEL`` retitle the
window, a bidi override (U+202E) make the rest of a line read backwards, a line break fake a
second entry. Two forms, sharing one definition of those controls:

- :func:`shown`, for names kept and shown again (the maintenance panel, the sync status, the
  log): one line, every character that is not printable written as a Python escape, and a
  bounded length, so a name of 100,000 characters cannot fill the panel. (The widgets also
  show them as plain text, never as markup.)
- :func:`escape_controls` and :func:`escaped_output`, for everything the command line prints:
  the controls written as ``\\uXXXX``, tabs and line breaks kept for the layout. A ``\\uXXXX``
  escape is also valid inside a JSON string, so the JSON lines of ``kiosk search --json`` stay
  valid JSON that decodes to the same text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

NAME_LIMIT = 120  # a file or member name
MESSAGE_LIMIT = 600  # a whole error message, which may quote a name or two
ELLIPSIS = "…"

# The controls: C0 controls, DEL, C1 controls, and the bidi marks, embeddings, overrides and
# isolates. None of them is printable; both forms below escape every one of them.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_LAYOUT = "\t\n"  # controls the command line's own output is laid out with


def escaped(text: str) -> str:
    """``text`` as one line: every control, and every other character that is not printable
    (line and paragraph separators, other invisible format characters), written as a Python
    escape."""
    return "".join(
        char
        if char.isprintable() and not CONTROLS.match(char)
        else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def shown(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` escaped and cut to at most ``limit`` characters, an ellipsis marking a cut."""
    text = escaped(text)
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def _terminal_escape(match: re.Match[str]) -> str:
    char = match.group()
    return char if char in _LAYOUT else f"\\u{ord(char):04x}"


def escape_controls(text: str) -> str:
    """``text`` with every control but tab and line feed written as ``\\uXXXX``."""
    return CONTROLS.sub(_terminal_escape, text)


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
