"""Stage 3: the typed plan model that rules, papers and reports all read.

The dataclasses only; `building` makes them from schema-valid documents, keeping each
date that cannot be read with its error for the date rules to report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planreport.plan import dates
from planreport.plan.dates import DateError, PlanDate
from planreport.plan.loader import Document, Path_
from planreport.problems import Location

PART_KEYS = ("themes", "recommendations", "actions", "notes", "glossary")
UNKNOWN = "unknown"  # a due, review or completion date the source does not give
UNKNOWN_ALLOWED = ("due", "review", "completed")
# A recommendation with any of these is tracked as one row: it is its own action.
DELIVERY_KEYS = ("leads", "revisions", "milestones", "updates", "status", "completed")


@dataclass(slots=True)  # not frozen, only because a plan makes thousands: never change one
class DateField:
    """A date as written, where, and its parsed span (None if ongoing or unreadable)."""

    text: str
    doc: Document
    path: Path_
    value: PlanDate | None = None
    error: DateError | None = None

    @property
    def location(self) -> Location:
        """Where the date was written (looked up only when a rule reports it)."""
        return self.doc.where(self.path)

    @property
    def ongoing(self) -> bool:
        """True for 'ongoing'."""
        return self.text.strip().lower() == dates.ONGOING

    @property
    def unknown(self) -> bool:
        """True for 'unknown': the source a plan was taken from gives no date."""
        return self.text.strip().lower() == UNKNOWN


@dataclass
class Person:
    """Someone plans name as a lead or accountable officer."""

    id: str
    location: Location
    name: str | None = None
    role: str | None = None
    organisation: str | None = None
    initials: str | None = None
    email: str | None = None

    def display(self) -> str:
        """Name and role, or whatever of them the registry has."""
        return ", ".join(p for p in (self.name or self.initials, self.role) if p) or self.id


@dataclass
class Lead:
    """A person named as lead on an action, with an optional role and note for it."""

    person: str
    location: Location
    role: str | None = None
    note: str | None = None
    organisation: str | None = None


@dataclass
class StatusLevel:
    """One level of a plan's status scheme."""

    key: str
    label: str
    location: Location | None = None
    meaning: str | None = None
    colour: str | None = None
    done: bool = False
    on_track: bool = False


DEFAULT_LEVELS = (
    StatusLevel("blue", "Blue", None, "Completed", "#0070C0", done=True),
    StatusLevel("green", "Green", None, "On track", "#00B050", on_track=True),
    StatusLevel("amber", "Amber", None, "Slippage", "#FFC000"),
    StatusLevel("red", "Red", None, "Major slippage", "#FF0000"),
)


@dataclass
class StatusScheme:
    """The statuses a plan uses, in order."""

    levels: list[StatusLevel]
    name: str | None = None
    default: bool = False

    def get(self, key: str | None) -> StatusLevel | None:
        """The level with this key, if any."""
        return next((level for level in self.levels if level.key == key), None)

    def key_for(self, written: str | None) -> str | None:
        """The key of the level written as its key or label in any case, else as written."""
        if written is None or self.get(written):
            return written
        folded = written.strip().casefold()
        for level in self.levels:
            if folded in (level.key.casefold(), level.label.casefold()):
                return level.key
        return written


@dataclass
class Theme:
    """A heading that groups actions or recommendations."""

    id: str
    title: str
    location: Location
    description: str | None = None
    custom: dict[str, tuple[str, Location]] = field(default_factory=dict)


@dataclass
class Part:
    """A lettered part of a recommendation, e.g. 5a."""

    ref: str
    text: str
    location: Location


@dataclass
class Recommendation:
    """A recommendation (or finding) the plan answers."""

    ref: str
    text: str
    location: Location
    kind: str = "recommendation"
    theme: str | None = None
    theme_location: Location | None = None
    priority: str | None = None
    timescale: str | None = None
    start: DateField | None = None
    due: DateField | None = None
    review: DateField | None = None
    accountable: list[Lead] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    custom: dict[str, tuple[str, Location]] = field(default_factory=dict)
    delivered_by_itself: bool = False  # tracked as one row: the plan has an action for it


@dataclass
class Period:
    """A reporting period the plan declares, e.g. a committee's quarter."""

    date: DateField
    label: str
    location: Location


@dataclass
class Revision:
    """A recorded change to a due date."""

    due: DateField
    location: Location
    review: DateField | None = None
    timescale: str | None = None
    reason: str | None = None
    agreed: DateField | None = None


@dataclass
class Milestone:
    """A dated step within an action."""

    text: str
    location: Location
    timescale: str | None = None
    start: DateField | None = None
    due: DateField | None = None
    review: DateField | None = None
    done: bool = False
    completed: DateField | None = None


@dataclass
class Update:
    """A dated progress update with the status at that date."""

    date: DateField
    location: Location
    text: str | None = None
    status: str | None = None
    status_location: Location | None = None


@dataclass
class Withdrawal:
    """An action taken out of the plan, or merged into another."""

    date: DateField
    reason: str
    location: Location
    merged_into: str | None = None


@dataclass
class Action:
    """An action the plan commits to."""

    ref: str
    text: str
    location: Location
    key: str = ""
    addresses: list[tuple[str, Location]] = field(default_factory=list)
    theme: str | None = None
    theme_location: Location | None = None
    leads: list[Lead] = field(default_factory=list)
    outputs: str | None = None
    outcome: str | None = None
    impact: str | None = None
    measures: str | None = None
    evidence: str | None = None
    timescale: str | None = None
    start: DateField | None = None
    due: DateField | None = None
    review: DateField | None = None
    revisions: list[Revision] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    status: str | None = None
    status_location: Location | None = None
    completed: DateField | None = None
    added: DateField | None = None
    withdrawn: Withdrawal | None = None
    custom: dict[str, tuple[str, Location]] = field(default_factory=dict)
    is_recommendation: bool = False  # the recommendation itself, tracked as one row

    @property
    def qualified_ref(self) -> str:
        """The ref that tells actions apart in lists: '5.2' where numbering restarts."""
        return self.key.replace("/", ".") if self.key else self.ref

    @property
    def name(self) -> str:
        """How messages and papers name this action: 'action 1.10'."""
        if "/" in self.key and self.key != self.ref:
            return f"recommendation {self.key.split('/')[0]}, action {self.ref}"
        return f"action {self.ref}"

    def current_due(self) -> DateField | None:
        """The due date in force: the latest revision's, else the original."""
        return self.revisions[-1].due if self.revisions else self.due

    def current_review(self) -> DateField | None:
        """The review date in force: the latest revision's if it has one."""
        for revision in reversed(self.revisions):
            if revision.review:
                return revision.review
        return self.review


@dataclass
class Note:
    """A numbered note (footnote)."""

    ref: str
    text: str
    location: Location


@dataclass
class GlossaryEntry:
    """An abbreviation or term and what it means."""

    term: str
    meaning: str
    location: Location


@dataclass
class Plan:
    """A whole action plan, from one file or a folder of files."""

    id: str
    location: Location
    files: list[str] = field(default_factory=list)
    title: str | None = None
    short_title: str | None = None
    organisations: list[str] = field(default_factory=list)
    responds_to: dict[str, Any] = field(default_factory=dict)
    introduction: str | None = None
    closing: str | None = None
    status_scheme: StatusScheme = field(
        default_factory=lambda: StatusScheme(list(DEFAULT_LEVELS), None, default=True)
    )
    action_numbering: str = "plan"
    stale_after_days: int = 90
    custom_fields: dict[str, tuple[str, Location]] = field(default_factory=dict)
    themes: list[Theme] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    partial: bool = False  # built from the readable part of files with schema errors
    date_fields: list[DateField] = field(default_factory=list)
    started: date | None = None  # the first date in the plan's history (see _started)
