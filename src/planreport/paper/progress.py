"""The progress blocks: summary and changes since the last paper (exceptions: `exceptions`).

Each is built from the plan's dated history (`standing`) as at the paper's date; compose
adds them after the paper's front matter (title, introduction, status key) of every
paper whose layout does not place them itself.

What they say agrees with the rest of the paper: counts are by the plan's own status
levels, groups are named as a reader knows them (a theme's title, "Recommendation 1:
Ensure that all children….", its first sentence whole), "no recent update" counts open
actions only and a completed milestone counts as an update.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from planreport.paper import fit, layouts
from planreport.paper.context import (
    Context,
    date_words,
    group_key,
    part_label,
    swatch_of,
)
from planreport.paper.model import (
    Bar,
    Block,
    Cell,
    Chart,
    Column,
    Heading,
    Row,
    Swatch,
    Table,
    Text,
)
from planreport.plan import dates, standing
from planreport.plan.model import Action
from planreport.plan.richtext import Rich, parse, plain, without_notes

NO_STATUS = "No status"
COMPLETED, OPEN = "Completed", "Open"
# Where a sentence ends: ., ! or ? then a space and a capital, digit or opening quote.
# not after a single letter: a part's "a." or "e.g." ends no sentence
SENTENCE_END = re.compile(r"(?<!\b[a-z]\.)(?<=[.!?])\s+(?=[A-Z0-9(\"'‘“])")
# The heading over a summary's groups, by what they are grouped by.
GROUP_HEADINGS = {
    "theme": "Theme",
    "recommendation": "Recommendation",
    "addresses": "Recommendation",
    "none": "Actions",
}


# --- summary -------------------------------------------------------------------------


class _Counter:
    """The columns a summary counts by, and each standing's column."""

    def __init__(self, ctx: Context, found: list[standing.Standing]) -> None:
        scheme = ctx.plan.status_scheme
        used = {s.status.key for s in found if s.status}
        self.by_done = not used  # no action has a status: count completed and open
        if self.by_done:
            done = sum(1 for s in found if s.done)
            self.swatches = [Swatch(COMPLETED, "#0070C0")] if done else []
            if done < len(found) or not found:
                self.swatches.append(Swatch(OPEN, "#FFFFFF"))
        else:
            # the plan's own scheme shows every level; planreport's default only those used
            levels = [lv for lv in scheme.levels if not scheme.default or lv.key in used]
            self.swatches = [swatch_of(lv) for lv in levels]
            self.keys = [lv.key for lv in levels]
            if any(s.status is None for s in found):
                # a scheme with done levels only (Stockton's "Completed"): the rest are open
                label = OPEN if all(lv.done for lv in scheme.levels) else NO_STATUS
                self.swatches.append(Swatch(label, "#FFFFFF"))
                self.keys.append("")

    def counts(self, items: list[standing.Standing]) -> list[int]:
        """How many of items fall in each column."""
        if self.by_done:
            done = sum(1 for s in items if s.done)
            counts = {COMPLETED: done, OPEN: len(items) - done}
            return [counts[s.label] for s in self.swatches]
        keyed: dict[str, int] = {}
        for s in items:
            key = s.status.key if s.status else ""
            keyed[key] = keyed.get(key, 0) + 1
        return [keyed.get(key, 0) for key in self.keys]


def progress_summary(ctx: Context, block: layouts.Block) -> list[Block]:
    """What needs attention, then actions by status per group, as a table (and a chart).

    A plan that reports no progress yet gets one sentence saying so instead: a table
    whose Open column equals its Total, and a chart of empty bars, would tell nothing.
    """
    found = ctx.standings
    title = block.title or ""
    if not ctx.reports_progress:
        return [Heading(2, title), Text(plain(_no_progress(len(found))))]
    counter = _Counter(ctx, found)
    kind, groups = _count_groups(ctx, found, block.group_by)
    counted = [*(s.label for s in counter.swatches), "Total"]
    share = _count_width(ctx, counted)
    heading = _group_heading(ctx, kind, found)
    columns = [Column(heading, 100 - share * len(counted))]
    columns += [Column(label, share) for label in counted]
    rows = [_count_row(label, counter.counts(items), len(items)) for label, items in groups]
    if len(groups) > 1:
        rows.append(_count_row("All actions", counter.counts(found), len(found)))
    # the table gives each group's counts; the chart (if the layout asks), right under it,
    # the whole plan's as one bar (a bar per group printed the same counts again)
    bar = _bar("All actions", counter.counts(found), counter.swatches)
    description = "All actions: " + ", ".join(f"{n} {s.label}" for n, s in bar.segments) + "."
    out: list[Block] = [
        Heading(2, title),
        Text(plain(_attention(ctx, found)), "intro"),
        Table(f"{title}: actions by status", columns, rows, whole=True),  # read as a whole
    ]
    if block.chart and len(bar.segments) > 1:  # one colour shows nothing the table does not
        # its caption, printed above it: a chart never opens a page with nothing to name it
        out.append(Chart("All actions by status", [bar], description, GROUP_HEADINGS["none"]))
    return out


def _no_progress(count: int) -> str:
    """The one sentence for a plan that reports no progress yet."""
    if not count:
        return "The plan has no actions yet."
    many = "its one action is open" if count == 1 else f"all {count} actions are open"
    return f"The plan reports no progress yet: {many}."


def _count_width(ctx: Context, headings: list[str]) -> float:
    """A count column's share of the table (per cent): as narrow as its widest heading allows.

    The groups' labels take the rest, so a recommendation's sentence takes fewer lines.
    """
    room = fit.PAGE_MM[ctx.layout.orientation] - fit.MARGINS_MM
    size = ctx.layout.table_type_size or fit.TYPE_PT
    widest = max(fit.text_mm(h, bold=True, size=size) for h in headings)
    return max(6.0, math.ceil((widest + fit.CELL_PADDING_MM + 1) / room * 200) / 2)


def _group_heading(ctx: Context, kind: str, found: list[standing.Standing]) -> str:
    """The groups' column heading: "Finding" when the groups are findings, not recommendations."""
    if kind not in ("recommendation", "addresses"):
        return GROUP_HEADINGS[kind]
    refs = {ctx.parent(r) for s in found for r in group_key(s.action, kind).split(",") if r}
    kinds = {ctx.recommendations[r].kind for r in refs if r in ctx.recommendations}
    if kinds == {"finding"}:
        return "Finding"
    return "Recommendation or finding" if "finding" in kinds else GROUP_HEADINGS[kind]


def _bar(label: str, counts: list[int], swatches: list[Swatch]) -> Bar:
    """A chart's bar: the counts of a group, leaving out statuses with none."""
    return Bar(label, [(n, s) for n, s in zip(counts, swatches, strict=True) if n])


def _attention(ctx: Context, found: list[standing.Standing]) -> str:
    """One sentence: how many actions, how many done, and of the open ones what needs attention."""
    open_ = [s for s in found if not s.done]
    done = len(found) - len(open_)
    soon = (
        f"before the next meeting ({dates.day_words(ctx.spec.next_meeting)})"
        if ctx.spec.next_meeting
        else "in the next 30 days"
    )
    head = f"As at {dates.day_words(ctx.as_at)}: {_n(len(found), 'action')}, {done} completed"
    if not open_:
        return f"{head}, none open."
    parts = [
        f"{sum(s.overdue for s in open_)} overdue",
        f"{sum(s.due_soon for s in open_)} due {soon}",
        f"{sum(s.revisions > 0 for s in open_)} with a revised date",
    ]
    if reports_updates(ctx):
        days = ctx.plan.stale_after_days
        since = ctx.as_at - timedelta(days=days)
        quiet = sum(
            1 for s in open_ if s.stale and not _milestone_since(s.action, since, ctx.as_at)
        )
        parts.append(f"{quiet} with no progress update in the last {days} days")
    return f"{head}, {len(open_)} open. Of the open actions: {_and(parts)}."


def reports_updates(ctx: Context) -> bool:
    """Whether the plan reports progress as dated updates (not as milestones, not none yet)."""
    return any(ctx.updates(s.action) for s in ctx.standings)


def _milestone_since(action: Action, since: date, until: date) -> bool:
    """Whether a milestone of the action was completed in the period (progress, too)."""
    for m in action.milestones:
        when = m.completed or m.due
        if m.done and when and when.value and since < when.value.last and when.value.first <= until:
            return True
    return False


def _n(count: int, noun: str) -> str:
    """'1 action', '3 actions'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


count_words = _n  # for the exceptions


def _count_groups(
    ctx: Context, found: list[standing.Standing], group_by: str
) -> tuple[str, list[tuple[str, list[standing.Standing]]]]:
    """Standings grouped by theme (or recommendation), in plan order, with readable labels.

    Returned with what they are grouped by (`auto` resolved), which names the groups' column.
    """
    if group_by == layouts.AUTO:
        actions = [s.action for s in found]
        group_by = "theme" if any(a.theme for a in actions) else "addresses"
        group_by = group_by if any(a.theme or a.addresses for a in actions) else "none"
    if group_by == "none":
        return group_by, [("All actions", found)]
    keyed: dict[str, list[standing.Standing]] = {}
    for item in found:
        key = group_key(item.action, group_by)
        if group_by == "addresses":
            key = ",".join(dict.fromkeys(ctx.parent(r) for r in key.split(",") if r))
        keyed.setdefault(key, []).append(item)
    return group_by, [(group_words(ctx, group_by, k, short=True), v) for k, v in keyed.items()]


def group_words(ctx: Context, group_by: str, key: str, short: bool = False) -> str:
    """A group's label as a reader knows it: a theme's title, or the recommendations'.

    One recommendation: "Recommendation 1: Ensure that all children…" ("Recommendation
    1" if short: a summary's rows, whose texts the plan after them prints whole); a
    finding (a recommendation of another kind, with no number): the first words of its
    text; several: "Recommendations 1, 4 and 13".
    """
    if group_by == "theme":
        return ctx.themes.get(key, key or "Other actions")
    refs = list(dict.fromkeys(ctx.parent(r) for r in key.split(",") if r))
    if not refs:
        return "Other actions"
    if len(refs) > 1:
        numbered = [r for r in refs if _numbered(ctx, r)]
        if len(numbered) == len(refs):
            return "Recommendations " + _and(refs)
        return "; ".join(group_words(ctx, group_by, r, short) for r in refs)
    rec = ctx.recommendations.get(refs[0])
    if rec is None or (short and rec.kind == "recommendation"):
        return f"Recommendation {refs[0]}"
    lettered = (f"{part_label(rec, part)}. {part.text}" for part in rec.parts if part.text)
    texts = [rec.text, *lettered]  # "a. Improve …; and b. Ensure …", as the plan prints it
    words = first_sentence(" ".join(parse(t).plain(notes=False) for t in texts if t))
    if rec.kind == "recommendation":
        return f"Recommendation {rec.ref}: {words}" if words else f"Recommendation {rec.ref}"
    return words or rec.ref


def _numbered(ctx: Context, ref: str) -> bool:
    """Whether a ref is a numbered recommendation (not a finding)."""
    rec = ctx.recommendations.get(ref)
    return rec is None or rec.kind == "recommendation"


def _and(items: list[str]) -> str:
    """'1, 4 and 13'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


and_words = _and  # for the cover report's facts


def first_sentence(text: str) -> str:
    """text's first sentence, whole (a label's cell wraps; a sentence is never cut)."""
    flat = " ".join(text.split())
    return SENTENCE_END.split(flat, maxsplit=1)[0].rstrip(":")


def _count_row(label: str, counts: list[int], total: int) -> Row:
    """A group's counts by status, and its total."""
    cells = [Cell(plain(label), row_header=True)]
    cells += [Cell(plain(str(n))) for n in [*counts, total]]
    return Row(cells)


# --- changes -------------------------------------------------------------------------


def changes(ctx: Context, block: layouts.Block) -> list[Block]:
    """What changed since the previous paper, from the plan's dated history.

    Nothing at all when the repository holds no earlier paper on the plan: that is no
    proof that this paper is the first, so it says neither.
    """
    title = block.title or ""
    since = ctx.spec.previous_as_at
    if since is None:
        return []
    found = standing.changes_between(ctx.plan, since, ctx.as_at)
    intro = f"Changes between {dates.day_words(since)} and {dates.day_words(ctx.as_at)}."
    if not found:
        return [Heading(2, title), Text(plain(intro + " Nothing has changed."))]
    rows: list[Row] = []

    def add(kind: str, action: Action, detail: str) -> None:
        """A row: the kind of change, the action and what changed."""
        cells = [Cell(plain(kind)), Cell(plain(qualified_ref(ctx, action)), row_header=True)]
        rows.append(Row([*cells, Cell(quoted(action.text)), Cell(plain(detail))]))

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
        dated = ctx.say("revised_from", new=date_words(revision.due), old=date_words(previous))
        detail = f"{dated}{reason}"
        add("Date revised", action, detail)
    for action in found.withdrawn:
        gone = action.withdrawn
        merged = f" Merged into {gone.merged_into}." if gone.merged_into else ""
        add("Removed", action, f"{_one_line(gone.reason)}{merged}")
    for action, update in found.progress:
        when = update.date.value.words() if update.date.value else update.date.text
        add("Progress reported", action, f"{when}: {_one_line(update.text or '', 160)}")
    columns = [Column("Change", 14), Column("Ref", 9), Column("Action", 43), Column("Detail", 34)]
    return [
        Heading(2, title),
        Text(plain(intro), "intro"),
        Table(f"{title}: changes", columns, rows),
    ]


def _one_line(text: str, limit: int = 200) -> str:
    """Plain text on one line, shortened if long."""
    flat = " ".join(parse(text).plain(notes=False).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


one_line = _one_line  # for the cover report's facts


def quoted(text: str | None) -> Rich:
    """An action's text as a table of exceptions or changes quotes it: whole, its lists kept.

    Without note markers: the notes they point to are printed with the plan, which may be
    a file of its own.
    """
    return without_notes(parse(text))


def qualified_ref(ctx: Context, action: Action) -> str:
    """The action's ref as a reader can find it: with its recommendation where refs restart.

    "3.2" as written when refs are numbered through the plan; "Recommendation 5,
    action 2" when each recommendation numbers its actions from 1.
    """
    if ctx.plan.action_numbering != "per-recommendation" or not action.addresses:
        return action.ref
    return f"Recommendation {ctx.parent(action.addresses[0][0])}, action {action.ref}"
