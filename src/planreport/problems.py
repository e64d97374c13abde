"""Problems found in plan files: one located, plain-English finding each."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Severity(StrEnum):
    """How serious a problem is: errors fail a check, warnings fail only with --strict."""

    ERROR = "error"
    WARNING = "warning"


class Location(NamedTuple):
    """A place in a file: 1-based line and column (a tuple, so cheap to make and to sort)."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        """Render as path:line:col."""
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Problem:
    """One finding: where, how serious, which rule and what to do."""

    location: Location
    severity: Severity
    rule: str
    message: str

    def sort_key(self) -> tuple:
        """Order problems by file, then position, then rule."""
        return (self.location, self.rule, self.message)


def nearest(word: str, choices: object) -> str:
    """' Did you mean 'x'?' for the closest of choices, or ''."""
    near = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)  # type: ignore[attr-defined]
    return f" Did you mean '{near[0]}'?" if near else ""


class Problems(list):
    """A list of problems with helpers to add them."""

    def error(self, location: Location, rule: str, message: str) -> None:
        """Add an error."""
        self.append(Problem(location, Severity.ERROR, rule, message))

    def warning(self, location: Location, rule: str, message: str) -> None:
        """Add a warning."""
        self.append(Problem(location, Severity.WARNING, rule, message))
