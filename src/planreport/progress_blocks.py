"""The progress blocks: summary, changes since the last paper, and exceptions.

Each is built from the plan's dated history (`standing`) as at the paper's date; compose
adds them after the title of every paper whose layout does not place them itself.
"""

from __future__ import annotations

from . import dates, layouts, standing
from .columns import (
    Context,
    date_words,
    due,
    group_key,
    group_label,
    leads,
    status_cell,
    swatch_of,
)
from .model import Action, StatusLevel
from .paper import Bar, Block, Cell, Chart, Column, Heading, Row, Swatch, Table, Text
from .richtext import parse, plain


def progress_summary(ctx: Context, block: layouts.Block) -> list[Block]:
    """Counts by status overall and per group, as a table and a chart; what needs attention."""
    found = standing.assess(ctx.plan, ctx.as_at, ctx.spec.next_meeting)
    levels = ctx.plan.status_scheme.levels
    groups = _count_groups(ctx, found, block.group_by)
    share = 72 / (len(levels) + 2)
    columns = [Column("Group", 28), *(Column(level.label, share) for level in levels)]
    columns += [Column("No status", share), Column("Total", share)]
    rows = [_count_row(label, items, levels) for label, items in groups]
    if len(groups) > 1:
        rows.append(_count_row("All actions", found, levels))
    soon = (
        f"before the next meeting ({dates.day_words(ctx.spec.next_meeting)})"
        if ctx.spec.next_meeting
        else "in the next 30 days"
    )
    overdue, due_soon = sum(s.overdue for s in found), sum(s.due_soon for s in found)
    revised, stale = sum(s.revisions > 0 for s in found), sum(s.stale for s in found)
    attention = (
        f"As at {dates.day_words(ctx.as_at)}: {len(found)} actions. {overdue} overdue, "
        f"{due_soon} due {soon}, {revised} with a revised date, {stale} with no update in "
        f"the last {ctx.plan.stale_after_days} days."
    )
    bars = [Bar(label, _segments(items, levels)) for label, items in groups]
    description = (
        "Actions by status: "
        + "; ".join(
            f"{bar.label}: " + ", ".join(f"{n} {s.label}" for n, s in bar.segments) for bar in bars
        )
        + "."
    )
    title = block.title or ""
    return [
        Heading(2, title),
        Text(plain(attention)),
        Table(f"{title}: actions by status", columns, rows),
        Chart(f"{title}: actions by status", bars, description),
    ]


def _count_groups(
    ctx: Context, found: list[standing.Standing], group_by: str
) -> list[tuple[str, list[standing.Standing]]]:
    """Standings grouped by theme (or recommendation), in plan order."""
    if group_by == layouts.AUTO:
        actions = [s.action for s in found]
        group_by = "theme" if any(a.theme for a in actions) else "addresses"
        group_by = group_by if any(a.theme or a.addresses for a in actions) else "none"
    keyed: dict[str, list[standing.Standing]] = {}
    for item in found:
        keyed.setdefault(group_key(item.action, group_by), []).append(item)
    if group_by == "none":
        return [("All actions", found)]
    return [(group_label(ctx, group_by, k), v) for k, v in keyed.items()]


def _count_row(label: str, items: list[standing.Standing], levels: list[StatusLevel]) -> Row:
    """Counts of each status in a group."""
    counts = [sum(1 for s in items if s.status and s.status.key == lv.key) for lv in levels]
    none = sum(1 for s in items if s.status is None)
    cells = [Cell(plain(label), row_header=True)]
    cells += [Cell(plain(str(n))) for n in [*counts, none, len(items)]]
    return Row(cells)


def _segments(
    items: list[standing.Standing], levels: list[StatusLevel]
) -> list[tuple[int, Swatch]]:
    """A bar's counts by status, leaving out statuses with none."""
    segments = [
        (sum(1 for s in items if s.status and s.status.key == lv.key), swatch_of(lv))
        for lv in levels
    ]
    segments.append((sum(1 for s in items if s.status is None), Swatch("No status", "#BFBFBF")))
    return [(n, swatch) for n, swatch in segments if n]


def changes(ctx: Context, block: layouts.Block) -> list[Block]:
    """What changed since the previous paper, from the plan's dated history."""
    title = block.title or ""
    since = ctx.spec.previous_as_at
    if since is None:
        return [
            Heading(2, title),
            Text(plain("This is the first paper on this plan for this committee.")),
        ]
    found = standing.changes_between(ctx.plan, since, ctx.as_at)
    intro = f"Changes between {dates.day_words(since)} and {dates.day_words(ctx.as_at)}."
    if not found:
        return [Heading(2, title), Text(plain(intro + " Nothing has changed."))]
    rows: list[Row] = []

    def add(kind: str, action: Action, detail: str) -> None:
        """A row: the kind of change, the action and what changed."""
        cells = [Cell(plain(kind)), Cell(plain(action.ref), row_header=True)]
        rows.append(Row([*cells, Cell(plain(_one_line(action.text))), Cell(plain(detail))]))

    for action in found.new:
        add("New action", action, date_words(action.current_due(), action.current_review()))
    for action in found.completed:
        add("Completed", action, "")
    for action, before, after in found.status_changes:
        add("Status changed", action, f"{before.label} to {after.label}")
    for action, revision in found.revisions:
        index = action.revisions.index(revision)
        previous = action.revisions[index - 1].due if index else action.due
        reason = f": {_one_line(revision.reason)}" if revision.reason else ""
        detail = f"{date_words(revision.due)}, revised from {date_words(previous)}{reason}"
        add("Date revised", action, detail)
    for action in found.withdrawn:
        gone = action.withdrawn
        merged = f" Merged into {gone.merged_into}." if gone.merged_into else ""
        add("Removed", action, f"{_one_line(gone.reason)}{merged}")
    columns = [Column("Change", 14), Column("Ref", 7), Column("Action", 45), Column("Detail", 34)]
    return [Heading(2, title), Text(plain(intro)), Table(f"{title}: changes", columns, rows)]


def _one_line(text: str, limit: int = 200) -> str:
    """Plain text on one line, shortened if long."""
    flat = " ".join(parse(text).plain(notes=False).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def exceptions(ctx: Context, block: layouts.Block) -> list[Block]:
    """Overdue actions and those at the scheme's worst open status, with lead and dates."""
    levels = [lv for lv in ctx.plan.status_scheme.levels if not lv.done]
    worst = levels[-1].key if levels else None
    found = [
        s
        for s in standing.assess(ctx.plan, ctx.as_at, ctx.spec.next_meeting)
        if s.overdue or (s.status and s.status.key == worst and not s.done)
    ]
    title = block.title or ""
    if not found:
        return [
            Heading(2, title),
            Text(plain("No action is overdue or at the most serious status.")),
        ]
    columns = [
        Column("Ref", 7),
        Column("Action", 38),
        Column("Lead", 20),
        Column("Due", 23),
        Column("Status", 12),
    ]
    rows = [
        Row(
            [
                Cell(plain(s.action.ref), row_header=True),
                Cell(plain(_one_line(s.action.text))),
                Cell(leads(ctx, s.action.leads)),
                Cell(due(s.action)),
                status_cell(s.status),
            ]
        )
        for s in found
    ]
    return [Heading(2, title), Table(f"{title}: overdue and most serious actions", columns, rows)]
