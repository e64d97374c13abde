"""Reading returned forms: each form's answered rows, matched to the hidden data it carries.

What `apply` finds and does is kept in an ApplyResult: a Finding for each form or answer
refused (or noted), a Change for each change to an action.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planreport import files, ooxml, output
from planreport.commands.check import CheckResult
from planreport.files import FileRefused
from planreport.problems import Problem
from planreport.project import display
from planreport.updates import form as forms
from planreport.updates import formats
from planreport.updates.form import FormRefused, Hidden, HiddenRow, RawRow


@dataclass(frozen=True)
class Finding:
    """Something about a form or one of its answers: why it was not applied, or a note."""

    where: str
    message: str
    severity: str = "error"  # "error": not applied; "note": nothing to do

    def __str__(self) -> str:
        """One line: 'forms/a.xlsx: row 9 (action 3.2): message'."""
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Answer:
    """One answered row of a returned form."""

    form: str
    where: str
    form_id: str
    made: date
    lead: str  # whom the form was made for
    row: HiddenRow
    several: bool
    values: tuple[tuple[str, Any], ...]

    @property
    def name(self) -> str:
        """How messages name the action: 'action 3.2' (with its plan on a form of several)."""
        key, ref = self.row.key, self.row.ref
        name = (
            f"recommendation {key.split('/')[0]}, action {ref}" if key != ref else f"action {ref}"
        )
        return f"{self.row.plan} {name}" if self.several else name

    @property
    def label(self) -> str:
        """Where the answer is: 'forms/a.xlsx: row 9 (action 3.2)'."""
        return f"{self.form}: {self.where} ({self.name})"

    def get(self, field_: str) -> Any:
        """The raw value of one answer field."""
        return dict(self.values).get(field_)


@dataclass(frozen=True)
class Change:
    """One change made (or, in a dry run, to be made) to one action."""

    plan: str
    action: str
    file: Path
    what: str
    form: str = ""  # the form the answer came from, as messages name it

    def __str__(self) -> str:
        """'forms/a.xlsx: stockton-ofsted-2013: recommendation 1, action 7: update added'."""
        where = f"{self.form}: " if self.form else ""
        return f"{where}{self.plan}: {self.action}: {self.what}"


@dataclass
class ApplyResult:
    """Everything apply found and did."""

    findings: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    edits: dict[Path, tuple[str, str]] = field(default_factory=dict)  # file: (before, after)
    plan_errors: list[Problem] = field(default_factory=list)
    forms: int = 0
    refused: int = 0  # forms refused as a whole
    answers: int = 0  # answered rows
    applied: int = 0
    noted: int = 0  # answers already applied, or repeated on a copy of their form
    returned: dict[str, Hidden] = field(default_factory=dict)  # each form read, by its name
    written: bool = False
    check: CheckResult | None = None
    write_failed: output.WriteFailed | None = None  # a full disk, say: the rest not written

    @property
    def failed(self) -> bool:
        """Whether any form or answer was refused, a file not written, or the plans have errors."""
        errors = self.check.count("error") if self.check else 0
        refused = any(f.severity == "error" for f in self.findings)
        return errors > 0 or refused or self.write_failed is not None


def read_forms(paths: tuple[Path, ...], result: ApplyResult) -> list[Answer]:
    """Every answer on the forms; refused forms and unusable rows become findings."""
    answers: list[Answer] = []
    seen: set[str] = set()
    for path in paths:
        name = display(path)
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        try:
            hidden, rows = read_form(path)
        except FormRefused as exc:
            result.findings.append(Finding(name, f"not applied: {exc}"))
            result.refused += 1
            continue
        result.forms += 1
        result.returned[name] = hidden
        answers += _answers(name, hidden, rows, result)
    return answers


def read_form(path: Path) -> tuple[Hidden, list[RawRow]]:
    """A returned form's hidden data and rows; FormRefused saying why it cannot be used."""
    try:
        data = files.read(path, (path.resolve().parent,), forms.MAX_FORM_BYTES)
    except FileRefused as exc:
        if exc.rule == "file-too-large":
            raise FormRefused(
                f"this file is over {forms.MAX_FORM_BYTES // (1024 * 1024)} MiB; no update form "
                "is that large."
            ) from None
        raise FormRefused(exc.message) from None
    kind = formats.FORMATS.get(ooxml.kind(data) or "")
    if kind is None:
        raise FormRefused(formats.refused_kind())
    raw = kind.read(data)
    return forms.decode(raw.hidden), raw.rows


def _answers(name: str, hidden: Hidden, rows: list[RawRow], result: ApplyResult) -> list[Answer]:
    """The answered rows of one form, matched to its hidden data."""
    found = []
    several = len({r.plan for r in hidden.rows}) > 1
    for raw in rows:
        values = tuple((f, raw.values.get(f)) for f in forms.FIELDS)
        if not raw.problems and all(cell_text(v) == "" for _f, v in values):
            continue
        result.answers += 1
        number = forms.row_number(raw.token, hidden.form)
        if number is None or not 1 <= number <= len(hidden.rows):
            why = (
                "has answers but no hidden reference (was the row added by hand?)"
                if not raw.token
                else "belongs to another form (was it copied in?)"
            )
            result.findings.append(
                Finding(f"{name}: {raw.where}", f"{why}, so it was not applied.")
            )
            continue
        row = hidden.rows[number - 1]
        answer = Answer(
            name, raw.where, hidden.form, hidden.made, hidden.lead, row, several, values
        )
        if raw.problems:
            result.findings += [Finding(answer.label, f"not applied: {p}") for p in raw.problems]
            continue
        found.append(answer)
    return found


def cell_text(value: Any) -> str:
    """A cell's value as text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
