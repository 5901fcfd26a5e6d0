"""The authoring source format (SPEC §3.2): a folder of TOML and Markdown files."""

from kiosk.content.source.errors import SourceError, SourceInvalid
from kiosk.content.source.loader import load_source
from kiosk.content.source.records import Source

__all__ = ["Source", "SourceError", "SourceInvalid", "load_source"]
