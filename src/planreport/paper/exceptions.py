"""The exceptions block: every open action the paper selects that needs the committee.

An exception is overdue, has had its due date revised twice or more, or is rated not on
track; each says why, worded only from what the plan's data supports (a plan that rates
nothing is not said to have nothing "rated other than on track"; an overdue action whose
own update says it is complete says so).
"""

from __future__ import annotations

from planreport.paper import layouts
from planreport.paper.context import Context, date_words, due, leads, status_cell
from planreport.paper.model import Block, Cell, Column, Heading, Row, Table, Text
from planreport.paper.progress import (
    and_words,
    count_words,
    qualified_ref,
    quoted,
    reports_updates,
)
from planreport.plan import date_rules, dates, standing
from planreport.plan.richtext import Para, Rich, Run, plain

TIMES = {2: "twice", 3: "three times", 4: "four times", 5: "five times"}


def rates(ctx: Context) -> bool:
    """Whether the plan rates its actions (any action has a status given)."""
    return any(s.status for s in ctx.standings)


def no_exception(ctx: Context) -> str:
    """The sentence for no exceptions, naming only the criteria the plan's data supports."""
    if not rates(ctx):  # nothing is rated: the rating criterion says nothing of this plan
        return "No open action is overdue or has had its due date revised twice or more."
    return (
        "No open action is overdue, has had its due date revised twice or more, "
        "or is rated other than on track."
    )


def exception_reasons(ctx: Context, item: standing.Standing, serious: set[str]) -> list[str]:
    """Why an action is an exception, as clauses of one sentence; empty if it is not one.

    Overdue (by how long, and still rated on track if it is), a due date revised twice
    or more, or an open status in serious (_serious): Amber and Red in a RAG scheme
    (the scheme's most serious open level, if no level is marked on track).
    """
    if item.done:
        return []
    reasons = []
    status = item.status
    if item.overdue and item.due and item.due.value:
        late = (ctx.as_at - item.due.value.last).days
        weeks = late // 7
        by = count_words(weeks, "week") if weeks else count_words(late, "day")
        if _says_done(ctx, item):  # the honest headline: its own update says it is done
            rated = f"it is rated {status.label}" if status else "it has no status"
            also = "" if status and status.key in serious else f", but {rated}"
            still = f"; its latest update says it is complete{also}"
        else:
            still = f", still rated {status.label}" if status and status.on_track else ""
        reasons.append(f"overdue by {by} (due {date_words(item.due)}){still}")
    if item.revisions >= 2:
        times = TIMES.get(item.revisions, f"{item.revisions} times")
        reasons.append(f"due date revised {times}")
    if status is not None and status.key in serious:
        meaning = f" ({status.meaning})" if status.meaning else ""
        reasons.append(f"rated {status.label}{meaning}")
    return reasons


def _says_done(ctx: Context, item: standing.Standing) -> bool:
    """Whether the action's latest update says it is complete (check's said-done-but-open)."""
    updates = ctx.updates(item.action)
    return bool(updates) and bool(date_rules.SAYS_DONE.match(updates[-1].text or ""))


def _serious(ctx: Context) -> set[str]:
    """The open status levels that make an action an exception."""
    levels = [lv for lv in ctx.plan.status_scheme.levels if not lv.done]
    if any(lv.on_track for lv in levels):
        return {lv.key for lv in levels if not lv.on_track}
    return {levels[-1].key} if levels else set()


def exceptions(ctx: Context, block: layouts.Block) -> list[Block]:
    """Every open action the paper selects that is an exception, and why.

    An exception is overdue, revised twice or more, or not on track; the paper's filters
    apply, so an exception report holds only what its filters say.
    """
    found = exception_list(ctx)
    title = block.title or ""
    if not found:
        return [Heading(2, title), Text(plain(no_exception(ctx)))]
    columns, rows = _exception_table(ctx, found)
    kinds = (
        "overdue, repeatedly revised or not on track"
        if rates(ctx)
        else "overdue or repeatedly revised"
    )
    caption = f"{title}: open actions that are {kinds}"
    intro = _exceptions_intro(ctx, found)
    return [Heading(2, title), Text(plain(intro), "intro"), Table(caption, columns, rows)]


def _exceptions_intro(ctx: Context, found: list[tuple[standing.Standing, list[str]]]) -> str:
    """One sentence: how many exceptions, and why; the action's ref when there is one.

    "As at 5 December 2011, one open action is an exception: 19.1." (the table under it
    says why). In a paper that filters its actions, it speaks of the actions the paper
    covers, not the whole plan ("The one open action this paper covers is an exception:
    19.1." when there are no others).
    """
    one = len(found) == 1
    covered = sum(1 for s in ctx.standings if not s.done and id(s.action) in ctx.selected_ids)
    if ctx.spec.filters and covered == len(found):  # every action it covers: no others implied
        head = (
            "The one open action this paper covers is"
            if one
            else (f"All {len(found)} open actions this paper covers are")
        )
    elif ctx.spec.filters:
        head = "Of the open actions this paper covers, " + (
            "one is" if one else f"{len(found)} are"
        )
    else:
        many = f"{len(found)} open actions are"
        head = f"As at {dates.day_words(ctx.as_at)}, " + ("one open action is" if one else many)
    if one:  # the table under it says why
        return f"{head} an exception: {qualified_ref(ctx, found[0][0].action)}."
    kinds = [
        (sum(s.overdue for s, _ in found), "overdue"),
        (sum(s.revisions >= 2 for s, _ in found), "with a due date revised twice or more"),
        (sum(any(r.startswith("rated ") for r in why) for _, why in found), "rated not on track"),
    ]
    some = " (some for more than one reason)" if sum(n for n, _ in kinds) > len(found) else ""
    return f"{head} exceptions: {and_words([f'{n} {words}' for n, words in kinds if n])}{some}."


def exception_list(ctx: Context) -> list[tuple[standing.Standing, list[str]]]:
    """The exceptions among the actions the paper selects, each with why."""
    serious = _serious(ctx)
    chosen = [s for s in ctx.standings if id(s.action) in ctx.selected_ids]
    return [(s, why) for s in chosen if (why := exception_reasons(ctx, s, serious))]


def _exception_table(
    ctx: Context, found: list[tuple[standing.Standing, list[str]]]
) -> tuple[list[Column], list[Row]]:
    """The exceptions' columns and rows; no Status column when no exception has a status.

    Where the plan reports dated updates, each row gives the latest one under why it is
    listed: the lead officer's own account of it.
    """
    wide = ctx.plan.action_numbering == "per-recommendation"  # "Recommendation 5, action 2"
    rated = any(s.status for s, _ in found)
    updated = reports_updates(ctx)
    status_width = 12 if wide else 11  # the Action column's, if there is no Status column
    shift = (6 if wide else 8) if updated else 0  # the Action column's room for the update
    columns = [
        Column("Ref", 18 if wide else 8),  # "Recommendation" whole on a portrait page too
        Column("Action", (24 if wide else 30) - shift + (0 if rated else status_width)),
        Column("Why it is here", (21 if wide else 23) + shift),
        Column("Lead", 12 if wide else 15),
        Column("Due", 13),
    ]
    if rated:
        columns.append(Column("Status", status_width))
    rows = []
    for s, reasons in found:
        cells = [
            Cell(plain(qualified_ref(ctx, s.action)), row_header=True),
            Cell(quoted(s.action.text)),
            Cell(_why(ctx, s, reasons, updated)),
            Cell(leads(ctx, s.action.leads)),
            Cell(due(s.action, ctx.words["revised_from"])),
        ]
        if rated:
            cells.append(status_cell(s.status) if s.status else Cell(plain("No status given")))
        rows.append(Row(cells))
    return columns, rows


def _why(ctx: Context, item: standing.Standing, reasons: list[str], updated: bool) -> Rich:
    """Why an exception is listed, as a sentence; then, if asked, its latest update, dated."""
    why = "; ".join(reasons)
    first = Para((Run(why[0].upper() + why[1:] + "."),))
    if not updated:
        return Rich((first,))
    latest = ctx.updates(item.action)
    if not latest:
        return Rich((first, Para((Run("No update given.", italic=True),))))
    last = latest[-1]
    when = last.date.value.words() if last.date and last.date.value else "undated"
    label = Run(f"Latest update, {when}: ", italic=True)
    text = quoted(last.text).blocks or (Para(()),)
    if isinstance(text[0], Para):
        return Rich((first, Para((label, *text[0].runs)), *text[1:]))
    return Rich((first, Para((label,)), *text))
