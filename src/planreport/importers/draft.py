"""The plan an import builds, before it is written: plan fields plus where each came from.

Every action and recommendation remembers the table and row it was read from, and
carries the remarks a person should see: `todos` for what the source lacks and must
be completed, `notes` for what was read in a way worth checking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planreport.importers.leads import Lead
from planreport.importers.statuses import Raw, Scheme


@dataclass
class Remarks:
    """Where something was read from, what is left to do and what to check."""

    where: str = ""
    todos: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Dates:
    """A timescale as words and as plan dates."""

    timescale: str | None = None
    start: str | None = None
    due: str | None = None
    review: str | None = None


@dataclass
class Milestone(Dates):
    """A dated step of an action."""

    text: str = ""
    done: bool = False
    completed: str | None = None


@dataclass
class Revision:
    """A revised due date and its reason."""

    due: str
    timescale: str | None = None
    reason: str | None = None


@dataclass
class Update:
    """Dated progress: its text and the status shown with it (as found, then as a key)."""

    date: str
    text: str | None = None
    raw: Raw | None = None
    status: str | None = None


@dataclass
class Action(Dates, Remarks):
    """An action being imported."""

    ref: str | None = None
    text: str = ""
    addresses: list[str] = field(default_factory=list)
    theme: str | None = None
    leads: list[Lead] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # outputs, outcome, impact, ...
    revisions: list[Revision] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    raw: Raw | None = None  # a status with no dated update to carry it
    status: str | None = None
    completed: str | None = None
    table_kind: tuple[str, ...] = ()  # the headings of the table it was read from
    custom: dict[str, str] = field(default_factory=dict)

    def richness(self) -> int:
        """How much the source said about this action (to keep the fuller of two copies)."""
        filled = [self.timescale, self.due, self.start, self.theme, self.raw, self.status]
        return (
            sum(1 for value in filled if value)
            + len(self.leads)
            + len(self.texts)
            + len(self.milestones)
            + 2 * len(self.updates)
            + len(self.addresses)
            + len(self.custom)
        )


@dataclass
class Recommendation(Dates, Remarks):
    """A recommendation (or a finding) being imported."""

    ref: str = ""
    kind: str = "recommendation"
    text: str = ""
    priority: str | None = None
    parts: list[tuple[str, str]] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    accountable: list[Lead] = field(default_factory=list)
    theme: str | None = None


@dataclass
class Plan:
    """Everything an import read, ready to be written as plan YAML."""

    title: str | None = None
    title_from: str = ""
    closing: str | None = None
    scheme: Scheme | None = None
    per_recommendation: bool = False
    custom_fields: dict[str, str] = field(default_factory=dict)  # key -> label
    themes: dict[str, str] = field(default_factory=dict)  # id -> title
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    glossary: list[tuple[str, str]] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)  # about the plan as a whole
    lost: list[str] = field(default_factory=list)  # what was not read, or read with a guess
