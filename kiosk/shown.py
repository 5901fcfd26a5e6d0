"""Names and messages that come from outside (a bundle's member names, a file name on a USB
stick, a feed's error), made fit to be kept and shown: one line, control and invisible
characters written as escapes, and a bounded length.

The maintenance panel shows them again at every opening, the CLI prints them, the log keeps
them: a name of 100,000 characters, a terminal escape or a fake line break must not reach any
of them as such. (The widgets also show them as plain text, never as markup.)
"""

from __future__ import annotations

NAME_LIMIT = 120  # a file or member name
MESSAGE_LIMIT = 600  # a whole error message, which may quote a name or two
ELLIPSIS = "…"


def escaped(text: str) -> str:
    """``text`` with every character that is not printable (control, format, separators
    other than the space: line breaks, bidirectional overrides) written as a Python escape."""
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


def shown(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` escaped and cut to at most ``limit`` characters, an ellipsis marking a cut."""
    text = escaped(text)
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS
