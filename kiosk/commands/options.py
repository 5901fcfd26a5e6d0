"""``kiosk admin options``: every setting and environment variable, from :mod:`kiosk.options`."""

from __future__ import annotations

from kiosk.errors import ExitCode
from kiosk.i18n import _
from kiosk.options import OPTIONS, Who, markdown_table

WHO = {
    Who.OPERATOR: lambda: _("operator, in the maintenance panel"),
    Who.INSTALLER: lambda: _("installer, in the environment"),
    Who.DEVELOPER: lambda: _("developer, in the code"),
    Who.TEST: lambda: _("tests only"),
}


def print_options(*, markdown: bool = False) -> int:
    if markdown:
        print(markdown_table())
        return ExitCode.OK
    for option in OPTIONS:
        print(f"{option.name}  {option.env or '—'}  ({option.kind})")
        print("    " + _("default: {default}; changed by the {who}").format(
            default=option.shown_default(), who=WHO[option.who]()))  # fmt: skip
        print("    " + _(option.description))
    return ExitCode.OK
