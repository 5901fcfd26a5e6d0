"""``kiosk admin options``: every setting and environment variable, from :mod:`kiosk.options`."""

from __future__ import annotations

from kiosk.errors import ExitCode
from kiosk.options import OPTIONS, Who, markdown_table

WHO = {
    Who.OPERATOR: "operator, in the maintenance panel",
    Who.INSTALLER: "installer, in the environment",
    Who.DEVELOPER: "developer, in the code",
    Who.TEST: "tests only",
}


def print_options(*, markdown: bool = False) -> int:
    if markdown:
        print(markdown_table())
        return ExitCode.OK
    for option in OPTIONS:
        print(f"{option.name}  {option.env or '—'}  ({option.kind})")
        print(f"    default: {option.shown_default()}; changed by the {WHO[option.who]}")
        print("    " + option.description)
    return ExitCode.OK
