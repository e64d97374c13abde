"""Problems found in plan files: one located, plain-English finding each."""

from __future__ import annotations

import difflib
from collections.abc import Collection
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


# Suggest only among this many choices: each suggestion compares the word with every
# choice, so suggesting among a plan's own refs made a plan of unknown refs quadratic.
NEAREST_MAX_CHOICES = 300


def nearest(word: str, choices: Collection[object]) -> str:
    """' Did you mean 'x'?' for the closest of choices, or '' (also if there are too many)."""
    if len(choices) > NEAREST_MAX_CHOICES:
        return ""
    near = difflib.get_close_matches(word, [str(c) for c in choices], n=1, cutoff=0.6)
    return f" Did you mean '{near[0]}'?" if near else ""


# Every rule a problem can be reported under, with what it catches: those reported in
# more than one place are declared here; each plan rule's own ids are registered by its
# check (plan/rules.py, `@check`). The case tests require an example file (or a CLI
# test) for each; docs/plan-format.md explains them.
RULE_IDS: dict[str, str] = {
    # reading files
    "file-unreadable": "a file that cannot be read (permissions, a broken link)",
    "file-too-large": "a file over the size limit",
    "not-a-file": "a folder, device or pipe where a file should be",
    "outside-project": "a link to a file outside the project",
    "not-utf8": "a file not saved as UTF-8",
    "empty-file": "a file with nothing in it",
    # YAML
    "yaml-syntax": "YAML that cannot be read",
    "duplicate-key": "the same key twice in one place",
    "yaml-anchor": "an anchor (&name)",
    "yaml-alias": "an alias (*name)",
    "yaml-merge-key": "a merge key (<<)",
    "yaml-tag": "a tag (!name)",
    "yaml-too-deep": "values nested too deep",
    "yaml-complex-key": "a list or mapping used as a key",
    "yaml-multiple-documents": "more than one YAML document in a file",
    "bad-character": "a control character Word and PDF cannot hold",
    # the schema
    "unknown-key": "a key planreport does not know",
    "wrong-type": "a value of the wrong kind",
    "missing-key": "a required key left out",
    "empty-value": "a key with no value",
    "too-long": "a value over its length limit",
    "not-allowed-value": "a value not among those allowed",
    "bad-ref": "a reference planreport cannot use",
    "bad-id": "an id that is not lower-case letters, digits and hyphens",
    "bad-colour": "a colour not written as #RRGGBB",
    "bad-value": "a value of the wrong shape",
    "plan-key-in-part": "a plan-level key in a folder plan's part file",
    # dates
    "date-format": "a date in no form planreport can read",
    "date-impossible": "a date that does not exist",
    "date-range-reversed": "a range that ends before it starts",
    "date-not-a-day": "a paper date that is not a single day",
    # people; and rules both plans (plan/rules.py) and papers report
    "person-unnamed": "a person with no name, role or initials",
    "unknown-status": "a status not in the plan's scheme",
    "unknown-custom-field": "a custom field not declared",
    # papers and layouts
    "unknown-plan": "a paper naming a plan the project lacks",
    "unknown-layout": "a paper naming a layout that does not exist",
    "layout-too-wide": "columns adding up to more than the page",
    "column-too-narrow": "a column narrower than a word it shows",
    "unnamed-initials": "a paper printing leads' initials that nothing names",
    "empty-leads-key": "a leads-key block left out because no lead has a name or role",
    "unexplained-abbreviation": "a paper that prints abbreviations no glossary or text explains",
    "small-type": "a layout's table type below 9 pt, smaller than published papers are read at",
    "unknown-column-field": "a column showing something its table cannot",
    "unknown-placeholder": "a {placeholder} a layout string cannot use",
    "no-reporting-periods": "a column by reporting period for a plan with no periods",
    # the Word reference document
    "reference-damaged": "a Word reference document that cannot be opened",
    "reference-styles-missing": "a Word reference document lacking styles papers use",
    # build warnings
    "missing-glyph": "a character neither the paper's font nor the fallback can draw",
    "span-over-page": "a table row or spanning cell still crossing a page after the PDF cuts",
    # writing files (build, import, request, apply)
    "disk-full": "a file not written because the disk is full (or the quota used up)",
    "read-only": "a file not written because its folder is read-only",
    "cannot-write": "a file the system would not let planreport write",
    "unknown-block": "a paper block of a kind a writer cannot write (a planreport bug)",
    # email (request --send, remind)
    "mail-insecure": "email set to go unencrypted to a server on another computer",
    "no-email": "a lead to be emailed who has no email address in people.yaml",
}


class Problems(list):
    """A list of problems with helpers to add them."""

    def error(self, location: Location, rule: str, message: str) -> None:
        """Add an error."""
        self.append(Problem(location, Severity.ERROR, _known(rule), message))

    def warning(self, location: Location, rule: str, message: str) -> None:
        """Add a warning."""
        self.append(Problem(location, Severity.WARNING, _known(rule), message))


def register(rule: str, description: str) -> None:
    """Register a rule id with what it catches; each id once (a planreport bug otherwise)."""
    if rule in RULE_IDS:
        raise ValueError(f"rule '{rule}' is registered twice")
    RULE_IDS[rule] = description


def _known(rule: str) -> str:
    """The rule id, which must be registered in RULE_IDS (a planreport bug otherwise)."""
    if rule not in RULE_IDS:
        raise ValueError(f"rule '{rule}' is not registered in problems.RULE_IDS")
    return rule
