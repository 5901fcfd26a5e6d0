"""Every setting the kiosk reads, declared once: its type, default, description, environment
variable, who may change it, and what values it takes.

An operator changes the panel's settings (kept in the admin database), an installer sets the
environment (``/etc/default/border-kiosk``), a developer changes the code. A value is checked
by the same rule wherever it comes from: saved from the panel (refused with a sentence), loaded
from the database or read from the environment (one sentence in the log, and the default
applies), so a value saved by an older version or typed by hand never stops the kiosk.

This is a leaf module (it imports nothing of the kiosk): ``kiosk.paths`` reads the data folder
through it, and everything else reads through ``kiosk.paths``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

log = logging.getLogger("kiosk.options")

MIN_IDLE, MAX_IDLE = 20, 600
MIN_STAFF_IDLE, MAX_STAFF_IDLE = 120, 3600
MIN_SEARCH_K = 3
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
_GATE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class SettingRefused(ValueError):
    """A value the setting cannot take; the message says what it may be."""


class Who(Enum):
    """Who may change a setting, and where."""

    OPERATOR = "operator"  # the maintenance panel; kept in the admin database
    INSTALLER = "installer"  # the environment (/etc/default/border-kiosk, the service unit)
    DEVELOPER = "developer"  # a constant of the code
    TEST = "test only"  # a hook the tests set; never set it on a kiosk


@dataclass(frozen=True)
class Option:
    name: str
    kind: str  # how the value is written, for people: "int", "text", "URL or folder" …
    default: Any
    description: str  # in English, as the command line that prints it speaks
    who: Who
    env: str | None = None  # the environment variable, if the environment may set it
    stored: bool = False  # kept in the admin database (the panel's settings)
    check: Callable[[Any], Any] = field(default=lambda value: value, repr=False)
    secret: bool = False  # never printed

    def validate(self, value: Any) -> Any:
        """The value as the kiosk uses it; SettingRefused says why it cannot be."""
        return self.check(value)

    def shown_default(self) -> str:
        if isinstance(self.default, bool):
            return "1" if self.default else "unset"
        if self.default is None or self.default == [] or self.default == "":
            return "—"
        if isinstance(self.default, list | tuple):
            return os.pathsep.join(str(v) for v in self.default)
        return str(self.default)


# -- checks -------------------------------------------------------------------------------------
def _seconds(low: int, high: int, what: str) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise SettingRefused(f"{what} must be between {low} and {high} seconds")
        return value

    return check


def _search_k(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < MIN_SEARCH_K:
        raise SettingRefused(
            f"search terms need at least {MIN_SEARCH_K} different sessions (search_k)"
        )
    return value


def _optional_text(
    what: str, pattern: re.Pattern[str] | None = None, hint: str = ""
) -> Callable[[Any], Any]:
    def check(value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or _CONTROL.search(value) or len(value) > 2048:
            raise SettingRefused(f"{what} must be one line of text")
        if pattern is not None and not pattern.match(value):
            raise SettingRefused(f"{what} '{value}' is not {hint}")
        return value

    return check


def _languages(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingRefused("the offered languages must be a list of language tags")
    wrong = [v for v in value if not _LANGUAGE_TAG.match(v)]
    if wrong:
        raise SettingRefused(f"'{wrong[0]}' is not a language tag (such as vi, zh or en)")
    return list(value)


def _feed(value: Any) -> str | None:
    text = _optional_text("the feed")(value)
    if text and "://" in text and not text.startswith(("https://", "http://")):
        raise SettingRefused(
            f"the feed {text} is neither an http(s):// address nor a folder or bundle file"
        )
    return text


def _address(value: Any) -> str | None:
    text = _optional_text("the hub address")(value)
    if text and not re.match(r"^https?://[^/\s]+", text):
        raise SettingRefused(f"the hub address {text} is not an https:// address")
    return text


def _flag(value: Any) -> bool:
    if value in (True, "1"):
        return True
    if value in (False, None, "", "0"):
        return False
    raise SettingRefused("set it to 1 (on) or leave it unset (off)")


def _folders(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(os.pathsep)
    folders = tuple(v for v in value if v)
    if not all(os.path.isabs(v) for v in folders):
        raise SettingRefused(f"give absolute folders separated by '{os.pathsep}'")
    return folders


# -- the registry -------------------------------------------------------------------------------
OPTIONS: tuple[Option, ...] = (
    # The panel's settings (admin database), in the order of Settings' fields.
    Option(
        "gate",
        "gate id",
        None,
        ("The gate profile shown. The panel's choice wins; without one, 'kiosk run --gate', "
            "else KIOSK_GATE, else the content's first gate."),
        Who.OPERATOR,
        env="KIOSK_GATE",
        stored=True,
        check=_optional_text("the gate", _GATE_ID, "a gate id (letters, digits, '-')"),
    ),
    Option(
        "languages",
        "language tags",
        [],
        "The languages offered on the start screen; empty: every language of the gate.",
        Who.OPERATOR,
        stored=True,
        check=_languages,
    ),
    Option(
        "idle_seconds",
        f"seconds, {MIN_IDLE}–{MAX_IDLE}",
        90,
        "Inactivity after which a traveller's session ends.",
        Who.OPERATOR,
        stored=True,
        check=_seconds(MIN_IDLE, MAX_IDLE, "the idle timeout"),
    ),
    Option(
        "staff_idle_seconds",
        f"seconds, {MIN_STAFF_IDLE}–{MAX_STAFF_IDLE}",
        900,
        "Inactivity after which assisted mode or the maintenance panel closes.",
        Who.OPERATOR,
        stored=True,
        check=_seconds(MIN_STAFF_IDLE, MAX_STAFF_IDLE, "the staff timeout"),
    ),
    Option(
        "feed",
        "URL, folder or bundle",
        None,
        ("Where content updates come from. 'kiosk sync --feed' wins, then KIOSK_FEED, then the "
            "stored setting, then the feed the last sync used."),
        Who.INSTALLER,
        env="KIOSK_FEED",
        stored=True,
        check=_feed,
    ),
    Option(
        "search_k",
        f"sessions, at least {MIN_SEARCH_K}",
        5,
        "Different sessions that must type a search term before it may leave the kiosk.",
        Who.DEVELOPER,
        stored=True,
        check=_search_k,
    ),
    # The environment only.
    Option(
        "data_dir",
        "folder",
        None,
        ("The data folder (content, admin database, logs); '--data-dir' wins; default: the "
            "platform's user data folder (/var/lib/border-kiosk when installed)."),
        Who.INSTALLER,
        env="KIOSK_DATA_DIR",
        check=_optional_text("the data folder"),
    ),
    Option(
        "hub",
        "https URL",
        None,
        ("The hub that receives the usage figures; with KIOSK_ID and KIOSK_HUB_TOKEN_FILE, the "
            "kiosk uploads after each sync."),
        Who.INSTALLER,
        env="KIOSK_HUB",
        check=_address,
    ),
    Option(
        "kiosk_id",
        "kiosk id",
        None,
        "This kiosk's id at the hub ('kiosk hub add-kiosk').",
        Who.INSTALLER,
        env="KIOSK_ID",
        check=_optional_text("the kiosk id"),
    ),
    Option(
        "hub_token",
        "secret",
        None,
        ("This kiosk's token at the hub, for 'kiosk analytics upload' run by hand ('--token' "
            "wins); the kiosk application drops it from its environment and uses "
            "KIOSK_HUB_TOKEN_FILE."),
        Who.INSTALLER,
        env="KIOSK_HUB_TOKEN",
        check=_optional_text("the hub token"),
        secret=True,
    ),
    Option(
        "hub_token_file",
        "file",
        None,
        ("The file holding this kiosk's token at the hub (root:kiosk, 0640; "
            "/etc/border-kiosk/hub-token when installed), read by the upload process only."),
        Who.INSTALLER,
        env="KIOSK_HUB_TOKEN_FILE",
        check=_optional_text("the hub token file"),
    ),
    Option(
        "trust_root",
        "file",
        None,
        ("The feed's root of trust placed by the installer (/etc/border-kiosk/root.json when "
            "installed), used while 'kiosk trust' has installed none."),
        Who.INSTALLER,
        env="KIOSK_TRUST_ROOT",
        check=_optional_text("the root of trust file"),
    ),
    Option(
        "hub_ca",
        "PEM file",
        None,
        ("Certificates to trust for the hub's TLS, when its authority is not the system's; "
            "'--hub-ca' wins."),
        Who.INSTALLER,
        env="KIOSK_HUB_CA",
        check=_optional_text("the hub certificate file"),
    ),
    Option(
        "gpu",
        "1 or unset",
        False,
        "1: draw pages with the GPU (more memory); unset: in software.",
        Who.INSTALLER,
        env="KIOSK_GPU",
        check=_flag,
    ),
    Option(
        "removable_roots",
        "folders",
        ("/media", "/run/media", "/mnt"),
        "Where USB sticks are mounted, separated by ':'.",
        Who.INSTALLER,
        env="KIOSK_REMOVABLE_ROOTS",
        check=_folders,
    ),
    # Constants of the code, listed so that nobody looks for a switch that does not exist.
    Option(
        "sync_period_seconds",
        "seconds",
        5 * 3600 + 47 * 60,
        "Time between two syncs (± 10 %); after a failure, backoff from 60 s to 6 h.",
        Who.DEVELOPER,
    ),
    # Hooks the tests set, read by the code a kiosk runs.
    Option(
        "crash_at",
        "crash point",
        None,
        "Kills the process at a named step of a critical write, as a power cut would.",
        Who.TEST,
        env="KIOSK_CRASH_AT",
    ),
    Option(
        "command",
        "program",
        "/usr/bin/kiosk",
        "The program the kiosk session script starts (packaging tests).",
        Who.TEST,
        env="KIOSK_COMMAND",
    ),
)
BY_NAME = {option.name: option for option in OPTIONS}
STORED = {option.name: option for option in OPTIONS if option.stored}


def option(name: str) -> Option:
    return BY_NAME[name]


def from_environment(name: str) -> Any:
    """The option's value from its environment variable, checked; None when it is unset or
    refused (refused: one sentence in the log, and the caller's default applies)."""
    entry = BY_NAME[name]
    assert entry.env is not None, f"{name} is not read from the environment"
    raw = os.environ.get(entry.env)
    if raw is None or raw == "":
        return None
    try:
        return entry.validate(raw)
    except SettingRefused as exc:
        shown = "(hidden)" if entry.secret else repr(raw[:80])
        log.error(
            "The environment variable %s=%s is not used: %s; the default applies until it is "
            "corrected in /etc/default/border-kiosk.",
            entry.env, shown, exc,
        )  # fmt: skip
        return None


def markdown_table() -> str:
    """The README's table of settings, from this registry."""
    lines = [
        "| setting | environment | type | default | who changes it | what |",
        "|---|---|---|---|---|---|",
    ]
    for entry in OPTIONS:
        env = f"`{entry.env}`" if entry.env else "—"
        who = entry.who.value
        if entry.stored:
            who += " (panel)" if entry.who is Who.OPERATOR else "; kept in the admin database"
        lines.append(
            f"| `{entry.name}` | {env} | {entry.kind} | {entry.shown_default()} | {who} "
            f"| {entry.description} |"
        )
    return "\n".join(lines)
