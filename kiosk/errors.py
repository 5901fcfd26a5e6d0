"""What every command may raise and every way the program can end, named once.

A leaf: it imports nothing of the project, so the command line, its commands and the
application can all use it without importing each other.
"""

from __future__ import annotations

from enum import IntEnum


class UserError(Exception):
    """A problem the user can fix; shown as one sentence, without a traceback."""


class ExitCode(IntEnum):
    """The exit statuses of ``kiosk``. The numbers are also written in the Debian package: the
    service unit (``RestartPreventExitStatus``) and the session script compare them."""

    OK = 0  # done; for ``kiosk run``: an operator left the kiosk, the service stays stopped
    FAILURE = 1  # the command ran and found a problem (invalid source, failed sync, …)
    USAGE = 2  # a UserError or a command line argparse refused: nothing was done
    ALREADY_RUNNING = 69  # ``kiosk run``: another kiosk holds the data folder (EX_UNAVAILABLE)
    INTERNAL_ERROR = 70  # an unexpected exception (sysexits EX_SOFTWARE)
    RESTART = 75  # the kiosk asks its service manager to start it again (EX_TEMPFAIL)
    INTERRUPTED = 130  # Ctrl+C (128 + SIGINT, as shells report it)
