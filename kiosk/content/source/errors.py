"""Errors found in an authoring source, each pinned to a file and a line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class SourceError:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class SourceInvalid(Exception):
    """A source that breaks the contract; nothing of it may be imported."""

    def __init__(self, errors: list[SourceError]) -> None:
        self.errors = sorted(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class ErrorSink:
    """Collects errors; paths are shown as the source folder as given, joined with the file."""

    root: Path
    errors: list[SourceError] = field(default_factory=list)

    def add(self, rel: str, line: int, message: str) -> None:
        self.errors.append(SourceError(str(self.root / rel), max(line, 1), message))
