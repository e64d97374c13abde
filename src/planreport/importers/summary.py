"""What `planreport import` prints, as strings: what was read, how, and what is left."""

from __future__ import annotations

from datetime import date

from planreport.importers import mapping
from planreport.importers.run import MAP_FIELDS, Outcome, table_groups
from planreport.project import display


def read_lines(outcome: Outcome) -> list[str]:
    """What was found in the source and how each kind of table was read."""
    reading = outcome.reading
    tables = len(reading.maps)
    lines = [f"Read {outcome.source}: {tables} table{'s' * (tables != 1)}."]
    for tables_in, found in table_groups(reading):
        lines.append(f"{_names(tables_in)}: {found.kind}, columns read as:")
        if found.kind in (mapping.ACTIONS, mapping.RECOMMENDATIONS):
            lines += mapping.describe(found)
        else:
            lines[-1] = f"{_names(tables_in)}: {found.kind}."
    if reading.skipped:
        lines.append(f"Skipped, not plan tables: {', '.join(reading.skipped)}.")
    lines.append(
        "Correct a column with --map 'HEADING=FIELD' (or a --mapping file); fields: "
        f"{', '.join(MAP_FIELDS)}, custom:KEY."
    )
    scheme = outcome.plan.scheme
    if scheme is not None:
        levels = ", ".join(
            level.label + (" (done)" if level.done else "") for level in scheme.levels
        )
        lines.append(f"Statuses, from {scheme.how}: {levels}.")
    if reading.as_at is not None and outcome.plan.actions and _undated_used(outcome):
        lines.append(
            f"Progress with no date of its own is dated {reading.as_at.isoformat()} "
            f"({reading.as_at_from})."
        )
    return lines


def _undated_used(outcome: Outcome) -> bool:
    """Whether any update was dated by the as-at date."""
    day = outcome.reading.as_at.isoformat() if outcome.reading.as_at else ""
    return any(u.date == day for a in outcome.plan.actions for u in a.updates)


def _names(tables: list) -> str:
    """'table 3' or 'tables 5 to 28' for messages."""
    if len(tables) == 1:
        return tables[0].name[:1].upper() + tables[0].name[1:]
    numbers = [t.number for t in tables]
    kind = "Sheets" if tables[0].name.startswith("sheet") else "Tables"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{kind} {numbers[0]} to {numbers[-1]}"
    return f"{kind} {', '.join(str(n) for n in numbers)}"


def wrote_lines(outcome: Outcome) -> list[str]:
    """What was written."""
    plan = outcome.plan
    counts = [
        _count(len(plan.recommendations), "recommendation"),
        _count(len(plan.actions), "action"),
        _count(len(plan.themes), "theme"),
        _count(len(plan.notes), "note"),
    ]
    shown = ", ".join(c for c in counts if c)
    where = display(outcome.plan_path)
    parts = len(outcome.written) - (1 if outcome.people_path else 0)
    files = f" ({parts} files)" if parts > 1 else ""
    lines = [f"Wrote {where}{files}: {shown}."]
    if outcome.people_added and outcome.people_path is not None:
        people = ", ".join(
            f"{p.id} ({p.name or p.role or p.initials})" for p in outcome.people_added
        )
        lines.append(
            f"Added {_count(len(outcome.people_added), 'person', 'people')} to "
            f"{display(outcome.people_path)}: {people}."
        )
    return lines


def todo_lines(outcome: Outcome) -> list[str]:
    """What is left for a person to complete, each with its file and line; what was lost."""
    lost = outcome.plan.lost
    if not outcome.todos and not lost:
        return ["Nothing is left to complete: every action has what the plan format needs."]
    lines: list[str] = []
    if outcome.todos:
        lines.append(
            f"Left for you to complete ({len(outcome.todos)}), each marked '# TODO' in the file:"
        )
    for todo in outcome.todos:
        lines.append(f"  {display(todo.path)}:{todo.line}: {todo.what}: {todo.message}")
    if lost:
        lines += [""] if lines else []
        lines.append(f"Not imported, or read with a guess ({len(lost)}); check each in the source:")
        lines += [f"  {outcome.source}: {item}" for item in lost]
    return lines


def _count(n: int, one: str, many: str | None = None) -> str:
    """'3 actions', '1 action', '' for none."""
    if not n:
        return ""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def check_heading(outcome: Outcome, as_at: date) -> str:
    """The line before the check's report."""
    return f"planreport check {display(outcome.plan_path)} --as-at {as_at.isoformat()}:"
