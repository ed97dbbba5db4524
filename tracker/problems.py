"""Problems are data: every check yields `Problem`s, collected in a `Report`.

The library raises `TrackerError` subclasses carrying problems and never prints; the CLI
turns them into messages and exit codes (1 invalid data, 2 usage).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    code: str  # stable kebab-case identifier, e.g. "unknown-actor"
    message: str
    severity: str = "error"  # "error", "warning" (fails --strict) or "notice" (never fails)
    file: str | None = None
    line: int | None = None  # 1-based
    col: int | None = None  # 1-based
    field: str | None = None  # e.g. "events[41].date"

    def format(self) -> str:
        """`file:line:col: field: message [code]`, in the style of a compiler."""
        where = ":".join(str(p) for p in (self.file, self.line, self.col) if p is not None)
        parts = [p for p in (where, self.field) if p]
        prefix = ": ".join(parts)
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return (
            f"{prefix}: {tag}{self.message} [{self.code}]"
            if prefix
            else (f"{tag}{self.message} [{self.code}]")
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Report:
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "notice"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def passes(self, strict: bool = False) -> bool:
        return self.ok and not (strict and self.warnings)

    def flatten(self) -> list[tuple[str, int | None, str | None]]:
        """(code, line, field) triples: compact enough for tests to assert on."""
        return [(p.code, p.line, p.field) for p in self.problems]

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=lambda p: (p.file or "", p.line or 0, p.col or 0, p.code))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "notices": len(self.notices),
            "problems": [p.to_dict() for p in self.sorted()],
        }


class TrackerError(Exception):
    """Base of every error the library raises on purpose; carries problems."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class DataError(TrackerError):
    """The dataset (or an input file) is invalid: exit code 1."""


class UsageError(TrackerError):
    """The command was called wrongly (bad option value, missing file): exit code 2."""

    exit_code = 2


class NotFoundError(UsageError):
    """A named thing (event id, actor) does not exist."""
