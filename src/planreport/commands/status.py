"""`planreport status`: what is overdue, due soon or stale, by lead officer.

Builds a small report model from the plans' standings, and writes it as a table for a
terminal, as JSON or as CSV. Reporters only build strings; the CLI prints them.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from planreport import escape
from planreport.plan import richtext, standing
from planreport.plan.dates import day_words
from planreport.plan.model import Person, Plan

NO_LEAD = "(no lead)"
NO_STATUS = "No status"


@dataclass
class Item:
    """One action needing attention, for one of its leads."""

    plan: str
    ref: str
    name: str
    text: str
    due: str
    due_words: str
    status: str
    flags: list[str]
    revisions: int
    slipped_days: int
    last_update: str


@dataclass
class LeadGroup:
    """A lead officer and their actions needing attention."""

    id: str
    name: str
    items: list[Item] = field(default_factory=list)


@dataclass
class PlanSummary:
    """Counts for one plan."""

    id: str
    title: str
    actions: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    stale: int
    slipped: int


@dataclass
class StatusReport:
    """The whole report."""

    as_at: date
    soon: date
    plans: list[PlanSummary]
    leads: list[LeadGroup]


def build_report(
    plans: list[Plan], people: dict[str, Person], as_at: date, within: int, lead: str | None
) -> StatusReport:
    """Assess every plan as at a date and group what needs attention by lead."""
    soon = as_at + timedelta(days=within)
    summaries: list[PlanSummary] = []
    groups: dict[str, LeadGroup] = {}
    for plan in plans:
        found = standing.assess(plan, as_at, soon)
        summaries.append(_summary(plan, found))
        for item_standing in found:
            flags = _flags(item_standing)
            if not flags:
                continue
            leads = [x.person for x in item_standing.action.leads] or [NO_LEAD]
            for person in leads:
                if lead and person != lead:
                    continue
                group = groups.setdefault(person, LeadGroup(person, _name(people, person)))
                group.items.append(_item(plan, item_standing, flags))
    ordered = sorted(groups.values(), key=lambda g: (g.id == NO_LEAD, g.name.lower()))
    return StatusReport(as_at, soon, summaries, ordered)


def _summary(plan: Plan, found: list[standing.Standing]) -> PlanSummary:
    """Counts by status and by kind of attention needed."""
    labels = Counter(s.status.label if s.status else NO_STATUS for s in found)
    order = [lv.label for lv in plan.status_scheme.levels] + [NO_STATUS]
    return PlanSummary(
        id=plan.id,
        title=plan.title or plan.id,
        actions=len(found),
        by_status={label: labels[label] for label in order if labels[label]},
        overdue=sum(s.overdue for s in found),
        due_soon=sum(s.due_soon for s in found),
        stale=sum(s.stale for s in found),
        slipped=sum(s.revisions > 0 for s in found),
    )


def _flags(found: standing.Standing) -> list[str]:
    """What needs attention: overdue, due soon, stale, review overdue, inconsistent."""
    flags = []
    if found.overdue:
        flags.append("overdue")
    if found.due_soon:
        flags.append("due soon")
    if found.review_overdue:
        flags.append("review overdue")
    if found.stale:
        flags.append("stale")
    if found.inconsistent:
        flags.append("marked on track")
    return flags


def _item(plan: Plan, found: standing.Standing, flags: list[str]) -> Item:
    """One row of the report."""
    action = found.action
    due = found.due
    if due is None:
        due_words = ""
    elif due.ongoing:
        due_words = "Ongoing"
    else:
        due_words = due.value.words() if due.value else due.text
    return Item(
        plan=plan.id,
        ref=action.qualified_ref,
        name=action.name,
        text=" ".join(richtext.parse(action.text).plain().split()),
        due=due.text if due else "",
        due_words=due_words,
        status=found.status.label if found.status else "",
        flags=flags,
        revisions=found.revisions,
        slipped_days=found.slipped_days,
        last_update=found.latest_update_as_written or "",
    )


def _name(people: dict[str, Person], person_id: str) -> str:
    """A lead's name for headings."""
    person = people.get(person_id)
    return person.display() if person else person_id


def left_out(plan_ids: list[str]) -> str:
    """The line saying which plans a status leaves out for their errors."""
    many = len(plan_ids) != 1
    return (
        f"Left out {'these plans' if many else 'this plan'}, which "
        f"{'have' if many else 'has'} errors: {', '.join(plan_ids)}. Fix "
        f"{'them' if many else 'it'} to see {'their' if many else 'its'} actions.\n"
    )


def as_text(report: StatusReport) -> str:
    """A table for the terminal."""
    lines = [f"Status as at {day_words(report.as_at)} (due soon: by {day_words(report.soon)})", ""]
    for plan in report.plans:
        counts = ", ".join(f"{label} {n}" for label, n in plan.by_status.items())
        lines.append(f"{plan.id}: {plan.actions} actions ({counts})")
        lines.append(
            f"  overdue {plan.overdue}, due soon {plan.due_soon}, stale {plan.stale}, "
            f"revised {plan.slipped}"
        )
    if not report.leads:
        lines += ["", "Nothing overdue, due soon or stale."]
    for group in report.leads:
        lines += ["", f"{group.name} [{group.id}]" if group.id != NO_LEAD else NO_LEAD]
        rows = [("Plan", "Action", "Due", "Status", "Needs", "Last update")]
        rows += [
            (i.plan, i.ref, i.due_words, i.status, ", ".join(i.flags), i.last_update or "none")
            for i in group.items
        ]
        widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
        for row in rows:
            lines.append(
                "  "
                + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
    return "\n".join(escape.terminal(line) for line in lines) + "\n"


def as_json(report: StatusReport) -> str:
    """The report as JSON for dashboards."""
    document = {
        "as_at": report.as_at.isoformat(),
        "due_soon_by": report.soon.isoformat(),
        "plans": [vars(p) for p in report.plans],
        "leads": [
            {"id": g.id, "name": g.name, "items": [vars(i) for i in g.items]} for g in report.leads
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def as_csv(report: StatusReport) -> str:
    """One row per lead and action needing attention."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "lead_id",
            "lead",
            "plan",
            "action",
            "due",
            "status",
            "needs",
            "revisions",
            "slipped_days",
            "last_update",
            "text",
        ]
    )
    for group in report.leads:
        for i in group.items:
            writer.writerow(
                _csv_row(
                    [
                        group.id,
                        group.name,
                        i.plan,
                        i.ref,
                        i.due,
                        i.status,
                        "; ".join(i.flags),
                        i.revisions,
                        i.slipped_days,
                        i.last_update,
                        i.text,
                    ]
                )
            )
    return out.getvalue()


def _csv_row(cells: list[object]) -> list[object]:
    """A CSV row whose text cells a spreadsheet shows as text, never runs as formulas."""
    return [escape.csv_cell(c) if isinstance(c, str) else c for c in cells]
