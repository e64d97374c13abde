"""The record of an update round: which form went to whom and when, which came back.

One YAML file per round in `rounds/` (`<paper or plan>-<day the forms were made>.yaml`),
written whole and atomically by `request`, `request --send`, `remind` and `apply`, and
read back like any other project file: a record someone damaged is a located error.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import yaml

from planreport import output
from planreport.files import FileRefused
from planreport.plan import loader, validate
from planreport.plan.dates import day_words
from planreport.problems import Location, Problem, Problems, Severity
from planreport.project import ROUNDS_FOLDER, Project, UsageError, display

LOCKS = Path("build")  # inside the project: a lock per round record, as apply has per plan
COUNTS = ("actions", "applied", "not_applied")  # whole numbers, which YAML files hold as text
HEADER = (
    "# The record of one update round, kept by planreport (docs/updates.md): which form\n"
    "# went to whom and when, which came back. `planreport round` shows it.\n"
)


class RoundRefused(Exception):
    """A round record that cannot be read; its problems say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


@dataclass
class Entry:
    """One lead's form in a round."""

    lead: str
    id: str
    file: str
    name: str | None = None
    email: str | None = None
    actions: int = 0
    sent: str | None = None
    reminded: list[str] = field(default_factory=list)
    returned: str | None = None
    applied: int | None = None
    not_applied: int | None = None

    @property
    def outstanding(self) -> bool:
        """Sent (or made) and not yet returned."""
        return self.returned is None


@dataclass
class Round:
    """One round: the forms made for a paper or plan on one day."""

    path: Path
    name: str
    made: date
    title: str | None = None
    return_by: date | None = None
    forms: list[Entry] = field(default_factory=list)

    def entry(self, lead: str) -> Entry | None:
        """The lead's form in this round, if any."""
        return next((e for e in self.forms if e.lead == lead), None)

    def by_id(self, form_id: str) -> Entry | None:
        """The form with this id, if it is in this round."""
        return next((e for e in self.forms if e.id == form_id), None)


def now() -> str:
    """The time now as the record writes it: '2013-10-18 09:30 UTC'."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def path_for(project: Project, name: str, made: date) -> Path:
    """Where the round for name made on that day is recorded."""
    return project.root / ROUNDS_FOLDER / f"{name}-{made.isoformat()}.yaml"


def open_round(project: Project, name: str, made: date) -> Round:
    """The round recorded for name on that day, or a new one."""
    path = path_for(project, name, made)
    return load(project, path) if path.exists() else Round(path, name, made)


def every(project: Project) -> list[Round]:
    """Every round recorded in the project, oldest first."""
    folder = project.root / ROUNDS_FOLDER
    paths = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return sorted((load(project, path) for path in paths), key=lambda r: (r.made, r.name))


def load(project: Project, path: Path) -> Round:
    """A round record read and checked; RoundRefused with its located problems."""
    problems = Problems()
    name = display(path)
    try:
        raw = project.read_bytes(path)
    except FileRefused as exc:
        raise RoundRefused(
            [Problem(Location(name), Severity.ERROR, exc.rule, exc.message)]
        ) from None
    doc = loader.parse(raw, name, problems)
    if not problems and not doc.blocked:
        if doc.data is None:
            problems.error(Location(name), "empty-file", "this round record is empty. Delete it.")
        else:
            validate.validate(doc, "round", problems)
    if problems:
        raise RoundRefused(list(problems))
    return _typed(path, doc.data)


def _typed(path: Path, data: dict[str, Any]) -> Round:
    """A round from its schema-valid record."""
    ret = data.get("return_by")
    forms = [
        Entry(**{k: int(v) if k in COUNTS else v for k, v in item.items()})
        for item in data["forms"]
    ]
    return Round(
        path,
        data["round"],
        date.fromisoformat(data["made"]),
        data.get("title"),
        date.fromisoformat(ret) if ret else None,
        forms,
    )


def save(round_: Round) -> None:
    """Write the record whole, atomically."""
    data: dict[str, Any] = {"round": round_.name}
    if round_.title:
        data["title"] = round_.title
    data["made"] = round_.made.isoformat()
    if round_.return_by:
        data["return_by"] = round_.return_by.isoformat()
    data["forms"] = [_plain(entry) for entry in round_.forms]
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    refuse_outside(round_.path.parent.parent, round_.path)
    with _held(round_.path):
        output.write_atomic(round_.path, (HEADER + text).encode("utf-8"))


def refuse_outside(root: Path, path: Path) -> None:
    """UsageError if path, with every link followed, is not inside the project at root."""
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        raise UsageError(
            f"{display(path)} leads outside the project (a link?); planreport writes only "
            "inside it. Replace the link with a folder."
        )


@contextlib.contextmanager
def _held(path: Path) -> Iterator[None]:
    """Hold the record's lock (one writer at a time), its killed writes' temporaries removed."""
    with output.exclusive(path.parent.parent / LOCKS, [f"round-{path.stem}"]):
        output.remove_stale(path)
        yield


def tidy(project: Project) -> None:
    """Remove the temporaries of round records whose write was killed."""
    folder = project.root / ROUNDS_FOLDER
    stale = folder.glob(".*.yaml.*.tmp") if folder.is_dir() else ()
    for target in {folder / p.name[1:].rsplit(".", 2)[0] for p in stale}:
        with _held(target):
            pass


def _plain(entry: Entry) -> dict[str, Any]:
    """An entry as the record writes it: only the keys that have a value."""
    return {k: v for k, v in asdict(entry).items() if v is not None and v != []}


def as_text(round_: Round, others: list[Round]) -> str:
    """The round for the terminal: each form, whether it went and came back; then counts."""
    title = round_.title or round_.name
    by = f", to be returned by {day_words(round_.return_by)}" if round_.return_by else ""
    lines = [f"{title}: forms made {day_words(round_.made)}{by} ({display(round_.path)})", ""]
    for entry in round_.forms:
        lines.append(f"  {entry.name or entry.lead} ({entry.lead}): {_state(entry)}")
    back = sum(not e.outstanding for e in round_.forms)
    sent = sum(e.sent is not None for e in round_.forms)
    lines += [
        "",
        f"{_count(len(round_.forms), 'form')}: {sent} sent, {back} returned, "
        f"{len(round_.forms) - back} outstanding.",
    ]
    if others:
        lines.append("Other rounds: " + ", ".join(r.path.stem for r in others) + ".")
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    """'1 form', '2 forms'."""
    return f"{number} {noun}{'s' * (number != 1)}"


def _state(entry: Entry) -> str:
    """Where one form is: returned (with what it changed), or outstanding since when."""
    if entry.returned:
        left = f", {entry.not_applied} not applied" if entry.not_applied else ""
        day = day_words(date.fromisoformat(entry.returned))
        return f"returned, applied {day} ({_count(entry.applied or 0, 'change')}{left})"
    sent = f"sent {entry.sent}" if entry.sent else "not sent by email"
    reminded = f", reminded {_count(len(entry.reminded), 'time')}" if entry.reminded else ""
    return f"outstanding ({sent}{reminded})"
