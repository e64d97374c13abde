"""An action's whole dated history, in date order: what the plan records and when.

Each update (with the status it gave, and whether that changed the status), each revised
due date with its reason, each milestone completed, the action's addition, completion and
withdrawal. Dates that cannot be read are left to `check` to report; what has none is
shown beside the history, not in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planreport.plan import richtext, standing
from planreport.plan.model import Action, DateField, Plan, StatusLevel

# The kinds of event, as the pages and feeds name them.
KINDS = {
    "added": "Added to the plan",
    "update": "Progress update",
    "revised": "Due date revised",
    "milestone": "Milestone completed",
    "completed": "Completed",
    "withdrawn": "Withdrawn",
    "merged": "Merged into another action",
}


Add = Callable[..., None]  # records one event: (date, kind, title, text, status)


@dataclass(frozen=True)
class Event:
    """One dated thing in an action's history."""

    day: date  # the first day its date covers, for order
    when: str  # its date in words, as written
    written: str  # its date as the plan writes it
    kind: str  # a key of KINDS
    title: str
    text: richtext.Rich
    status: StatusLevel | None = None
    number: int = 0  # its place in the action's history, for anchors and feed ids


def words(field: DateField | None) -> str:
    """A plan date in words ('September 2013'), as written if it cannot be read, else ''."""
    if field is None:
        return ""
    if field.value is not None:
        return field.value.words()
    return "Not known" if field.unknown else field.text.strip().capitalize()


def events(plan: Plan, action: Action, as_at: date) -> list[Event]:
    """The action's dated history up to as_at, oldest first, numbered."""
    found: list[tuple[date, int, str, str, str, str, richtext.Rich, StatusLevel | None]] = []

    def add(
        when: DateField | None,
        kind: str,
        title: str,
        text: str | None = None,
        status: StatusLevel | None = None,
    ) -> None:
        if when is not None and when.value is not None and when.value.first <= as_at:
            rich = richtext.parse(text) if text else richtext.Rich()
            found.append(
                (when.value.first, len(found), words(when), when.text, kind, title, rich, status)
            )

    add(action.added, "added", KINDS["added"])
    _updates(plan, action, add)
    for revision in action.revisions:
        reason = revision.reason or ""
        add(revision.agreed, "revised", f"Due date revised to {words(revision.due)}", reason)
    for milestone in action.milestones:
        if milestone.done:
            add(milestone.completed, "milestone", KINDS["milestone"], milestone.text)
    _completion(plan, action, as_at, add)
    if action.withdrawn:
        gone = action.withdrawn
        kind = "merged" if gone.merged_into else "withdrawn"
        title = f"Merged into action {gone.merged_into}" if gone.merged_into else KINDS[kind]
        add(gone.date, kind, title, gone.reason)
    found.sort(key=lambda e: (e[0], e[1]))
    return [Event(*e[:1], *e[2:], number=n) for n, e in enumerate(found, 1)]


def _updates(plan: Plan, action: Action, add: Add) -> None:
    """Each update, saying when it changed the status."""
    before: StatusLevel | None = None
    dated = [u for u in action.updates if u.date.value is not None]
    for update in sorted(dated, key=lambda u: u.date.value.first):
        level = plan.status_scheme.get(update.status) if update.status else None
        title = KINDS["update"]
        if level and before and level.key != before.key:
            title = f"Status changed from {before.label} to {level.label}"
        elif level and before is None:
            title = f"Rated {level.label}"
        add(update.date, "update", title, update.text, level)
        before = level or before


def _completion(plan: Plan, action: Action, as_at: date, add: Add) -> None:
    """The action's completion, when the plan says it is done and when."""
    if not standing.done_at(plan, action, as_at):
        return
    if action.completed is not None and action.completed.value is not None:
        add(action.completed, "completed", KINDS["completed"])
