"""Table cells: each column field registered once, with its cell and the texts it shows.

ACTION_FIELDS (action tables and recommendation sections) and RECOMMENDATION_FIELDS
(recommendation summaries) map each field to its entry: the function that makes its
cell, the texts `fit` measures (paper/measured.py), how it is written and one line for
the docs. scripts/compile_schemas.py generates from them the layout schema's field
list, compiled/fields.py (the names layouts.py resolves, loaded without this module)
and the field table in docs/papers.md; a test fails if any is stale.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from planreport.paper import layouts, measured
from planreport.paper.context import (
    Context,
    date_words,
    due,
    first_runs,
    leads,
    rec_text,
    status_cell,
)
from planreport.paper.layouts import ColumnSpec
from planreport.paper.model import Cell
from planreport.plan import dates, standing
from planreport.plan.model import Action, Milestone, Recommendation, Update
from planreport.plan.richtext import Bullets, Para, Rich, Run, parse, plain, prefixed

# --- action-table cells ---------------------------------------------------------------

ActionCell = Callable[[Context, Action, ColumnSpec], Cell]


def _ref(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The action's ref, with the column's prefix and suffix, as the row's header."""
    return Cell(plain(f"{column.prefix}{action.ref}{column.suffix}"), row_header=True)


def _text(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The action's text, optionally led by its ref."""
    return Cell(_action_text(action, column))


def _action_text(action: Action, column: ColumnSpec) -> Rich:
    """The action's text, led by the column's with_ref."""
    return prefixed(layouts.fill(column.with_ref, {"ref": action.ref}), parse(action.text))


def _dated(ctx: Context, updates: list[Update]) -> list[Para | Bullets]:
    """Each update's text, led by its date ('update_label' wording)."""
    blocks: list[Para | Bullets] = []
    for update in updates:
        label = ctx.say("update_label", date=update.date.value.words())
        blocks += prefixed(label, parse(update.text)).blocks
    return blocks


def _text_and_progress(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The action, then its latest update to the as-at date ("Actions / progress made")."""
    updates = [u for u in ctx.updates(action) if u.text][-1:]
    return Cell(Rich(_action_text(action, column).blocks + tuple(_dated(ctx, updates))))


def _text_and_updates(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The action, then every update to the as-at date, each led by its date."""
    updates = [u for u in ctx.updates(action) if u.text]
    return Cell(Rich(_action_text(action, column).blocks + tuple(_dated(ctx, updates))))


def _recommendation(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The recommendations the action addresses, numbered ones as 'Recommendation 1 - '."""
    blocks = []
    for ref, _ in action.addresses:
        rec = ctx.recommendations.get(ref)
        if rec is None and ref in ctx.parts:
            blocks += parse(ctx.parts[ref].text).blocks
            continue
        if rec is None:
            continue
        label = ctx.say("recommendation_label", ref=rec.ref) if rec.kind == "recommendation" else ""
        blocks += prefixed(label, rec_text(rec)).blocks
    return Cell(Rich(tuple(blocks)))


def _leads(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The action's leads."""
    return Cell(leads(ctx, action.leads))


def _attribute(name: str) -> ActionCell:
    """A cell showing one text attribute of the action."""
    return lambda ctx, action, column: Cell(parse(getattr(action, name)))


def _timescale(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The timescale as published, then any revised dates with the original and reason."""
    first = action.timescale or date_words(action.due, action.review)
    # A timescale written over several lines ("30 September 2014" / "31 March 2015")
    # keeps its lines.
    paras = [Para((Run(line.strip()),)) for line in (first or "").splitlines() if line.strip()]
    previous = action.due
    for revision in action.revisions:
        new = date_words(revision.due, revision.review)
        text = ctx.say("revised_from", new=new, old=date_words(previous))
        reason = f" ({revision.reason.rstrip('.')})" if revision.reason else ""
        paras.append(Para((Run(f"{text}{reason}", italic=True),)))
        previous = revision.due
    return Cell(Rich(tuple(paras)))


def _due(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The due date in force, with the original if it was revised."""
    return Cell(due(action, ctx.words["revised_from"]))


def _start(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The start date."""
    return Cell(plain(date_words(action.start)))


def _dates(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """Start and due date as a range."""
    start, end = date_words(action.start), due(action, ctx.words["revised_from"]).plain()
    return Cell(
        plain(ctx.say("date_range", start=start, end=end) if start and end else start or end)
    )


def _milestones(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """Each milestone with its timescale in bold."""
    paras = []
    for m in action.milestones:
        when = m.timescale or date_words(m.due, m.review)
        paras.append(Para((*first_runs(parse(m.text)), Run(" "), Run(when, bold=True))))
    return Cell(Rich(tuple(paras)))


def _milestone(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """Every milestone's text, one to a paragraph (a table gives each its own row)."""
    return Cell(Rich(tuple(b for m in action.milestones for b in parse(m.text).blocks)))


def _milestone_due(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """Every milestone's date, one to a paragraph (a table gives each its own row)."""
    return Cell(Rich(tuple(Para((Run(milestone_when(m)),)) for m in action.milestones)))


def milestone_when(milestone: Milestone) -> str:
    """A milestone's date as published, else in words."""
    return milestone.timescale or date_words(milestone.due, milestone.review)


def milestone_cells(ctx: Context, action: Action, column: ColumnSpec) -> list[Cell]:
    """A milestone column's cells: one per milestone, for a row each."""
    if column.kind == "milestone":
        return [Cell(parse(m.text)) for m in action.milestones]
    return [Cell(plain(milestone_when(m))) for m in action.milestones]


def _completed(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """When the action was completed, if it is done at the as-at date."""
    if not standing.done_at(ctx.plan, action, ctx.as_at):
        return Cell()
    when = standing.completed_on(ctx.plan, action, ctx.as_at)
    return Cell(plain(when.words() if when else ""))


def _progress(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The latest update's text as at the paper's date."""
    updates = [u for u in ctx.updates(action) if u.text]
    return Cell(parse(updates[-1].text) if updates else Rich())


def _updates(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """Every update to the as-at date, each led by its date."""
    return Cell(Rich(tuple(_dated(ctx, [u for u in ctx.updates(action) if u.text]))))


def _status(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The status in force at the paper's date."""
    return status_cell(ctx.status_at(action))


def _theme(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The action's theme."""
    return Cell(plain(ctx.themes.get(action.theme or "", "")))


def _custom(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The action's value of the plan's custom field."""
    return custom_cell(action.custom, column)


def custom_cell(values: dict[str, tuple[str, object]], column: ColumnSpec) -> Cell:
    """An item's value of the column's custom field, or an empty cell."""
    value = values.get(column.key or "")
    return Cell(parse(value[0]) if value else Rich())


def _rec_custom_of_action(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The custom field of the recommendations the action addresses, each value once."""
    values: dict[str, None] = {}
    for ref, _ in action.addresses:
        rec = ctx.recommendations.get(ctx.parent(ref))
        if rec is not None and column.key in rec.custom:
            values[rec.custom[column.key or ""][0]] = None
    return Cell(Rich(tuple(b for v in values for b in parse(v).blocks)))


def _theme_custom_of_action(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The custom field of the action's theme."""
    theme = ctx.theme_items.get(action.theme or "")
    return custom_cell(theme.custom, column) if theme else Cell()


def period_columns(ctx: Context, column: ColumnSpec) -> list[ColumnSpec]:
    """A status-by-period column as one column per reporting period the plan declares."""
    periods = ctx.plan.periods
    return [
        dataclasses.replace(
            column,
            heading=layouts.fill(column.heading, {"period": period.label}),
            subheading=layouts.fill(column.subheading, {"period": period.label}),
            width=column.width / len(periods),
            key=str(index),
            period=period.date.value,
        )
        for index, period in enumerate(periods)
    ]


def _status_by_period(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The status rated in one reporting period; 'Not rated' if none; empty if not over yet."""
    rating = standing.period_ratings(ctx.plan, action, ctx.as_at)[int(column.key or 0)]
    if rating is standing.NOT_YET:
        return Cell()
    if rating is None:
        return Cell(plain(ctx.say("not_rated")))
    return status_cell(rating)


def _status_at(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The status in force at the end of the column's period."""
    return status_cell(ctx.status_at(action, column.period.last if column.period else None))


def _update_at(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """The text of the latest update dated within the column's period (to the as-at date)."""
    period = column.period
    if period is None:
        return Cell()
    within = [
        u
        for u in ctx.updates(action)
        if u.text and period.first <= u.date.value.first <= period.last
    ]
    within.sort(key=lambda u: u.date.value.first)
    return Cell(parse(within[-1].text) if within else Rich())


KEY = "[A-Za-z0-9][A-Za-z0-9_-]*"  # the argument of custom:KEY, as the schema's pattern
PERIOD = "[0-9]{4}-[0-9]{2}(-[0-9]{2})?"  # the argument of status-at:YYYY-MM


@dataclass(frozen=True)
class ActionField:
    """A field an action table (and a recommendation section's table) can show."""

    cell: ActionCell  # makes its cell
    texts: measured.ActionTexts  # the texts fit measures
    doc: str  # what it shows, for the docs table (fields sharing a line share a row)
    argument: str | None = None  # KEY or PERIOD: written field:argument
    swatch: bool = False  # shows a status as a coloured cell (bold)


ACTION_FIELDS: dict[str, ActionField] = {
    "ref": ActionField(
        _ref,
        measured.ref,
        'the ref, with optional `prefix` and `suffix` (e.g. `suffix: "."`)',
    ),
    "text": ActionField(
        _text,
        measured.attribute("text"),
        'the action; `with_ref: "Action {ref} – "` puts the ref in front',
    ),
    "text-and-progress": ActionField(
        _text_and_progress,
        measured.text_and_updates,
        "the action, then its latest update to the as-at date, led by its date: one "
        '"Actions / progress made" column',
    ),
    "text-and-updates": ActionField(
        _text_and_updates,
        measured.text_and_updates,
        "the action, then every update to the as-at date, each led by its date",
    ),
    "recommendation": ActionField(
        _recommendation,
        measured.recommendation,
        'the recommendations it addresses ("Recommendation 1 - ..." for numbered ones)',
    ),
    "leads": ActionField(
        _leads,
        measured.leads,
        "the leads, as the layout's `leads:` says: `name-role` (default), `name` (with the "
        'organisation, "Tina Smith – East Midlands Strategic Commissioning Group") or '
        '`initials`; a lead\'s note follows in brackets; `lead_separator: " / "` at the top '
        'of the layout puts them on one line as "RB / KS / MG"; `lead_format` words each '
        "lead yourself (below)",
    ),
    **{
        name: ActionField(_attribute(name), measured.attribute(name), "those texts")
        for name in ("outputs", "outcome", "impact", "measures", "evidence")
    },
    "timescale": ActionField(
        _timescale,
        measured.action_dates,
        'the timescale as published, then each revision: "March 2014, revised from December '
        '2013 (reason)"',
    ),
    **{
        name: ActionField(
            cell,
            measured.action_dates,
            "the due date in force (with the original if revised), the start, or both as a range",
        )
        for name, cell in (("due", _due), ("start", _start), ("dates", _dates))
    },
    "milestones": ActionField(
        _milestones, measured.milestones, "each milestone with its timescale, in one cell"
    ),
    **{
        name: ActionField(
            cell,
            texts,
            '"Key milestones" and "Target date" as two columns: the action gets a row for '
            "each milestone, and its other cells span them",
        )
        for name, cell, texts in (
            ("milestone", _milestone, measured.milestone),
            ("milestone-due", _milestone_due, measured.milestone_due),
        )
    },
    "completed": ActionField(
        _completed,
        measured.completed,
        "when a completed action was completed (its `completed` date, else the update that "
        "marked it done)",
    ),
    "progress": ActionField(_progress, measured.updates, "the latest update to the as-at date"),
    "updates": ActionField(
        _updates, measured.updates, "every update to the as-at date, each with its date"
    ),
    "status": ActionField(
        _status, measured.statuses, "the status in force, as colour and word", swatch=True
    ),
    "status-by-period": ActionField(
        _status_by_period,
        measured.statuses,
        "a column for each of the plan's `reporting_periods` (plan-format.md, section 7), "
        'the rating given in that period, "Not rated" where there was none; '
        '`heading: "{period}"` names each by its label, and `width` is shared between them',
        swatch=True,
    ),
    "theme": ActionField(_theme, measured.theme, "the action's theme"),
    "custom": ActionField(
        _custom,
        measured.action_custom,
        "a plan's own column (its `custom_fields`)",
        KEY,
    ),
    **{
        name: ActionField(
            cell,
            texts,
            "that custom field of the recommendation the action addresses, or of the action's "
            "theme (e.g. a recommendation's scope: local, regional, national)",
            KEY,
        )
        for name, cell, texts in (
            ("recommendation-custom", _rec_custom_of_action, measured.recommendation_custom),
            ("theme-custom", _theme_custom_of_action, measured.theme_custom),
        )
    },
    "status-at": ActionField(
        _status_at,
        measured.statuses,
        "the status in force at the end of that month (or day): several side by side show a trend",
        PERIOD,
        swatch=True,
    ),
    "update-at": ActionField(
        _update_at,
        measured.updates,
        "the text of the latest update given in that month (or on that day), up to the "
        "paper's as-at date; empty if there was none",
        PERIOD,
    ),
}


def action_cell(ctx: Context, action: Action, column: ColumnSpec) -> Cell:
    """One cell of an action table."""
    return ACTION_FIELDS[column.kind].cell(ctx, action, column)


# --- recommendation-summary cells -------------------------------------------------

Anchors = dict[str, list[str]]
RecommendationCell = Callable[[Context, Recommendation, ColumnSpec, Anchors], Cell]


def _rec_ref(ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors) -> Cell:
    """The recommendation's ref, with the column's prefix and suffix, as the row's header."""
    return Cell(plain(f"{column.prefix}{rec.ref}{column.suffix}"), row_header=True)


def _rec_text(ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors) -> Cell:
    """The recommendation's text and parts, optionally led by its ref."""
    return Cell(prefixed(layouts.fill(column.with_ref, {"ref": rec.ref}), rec_text(rec)))


def _rec_priority(ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors) -> Cell:
    """The recommendation's priority."""
    return Cell(plain(rec.priority or ""))


def _rec_accountable(
    ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors
) -> Cell:
    """The officers accountable for the recommendation."""
    return Cell(leads(ctx, rec.accountable))


def _rec_timescale(ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors) -> Cell:
    """The recommendation's timescale as written, else its due date."""
    return Cell(plain(rec.timescale or (date_words(rec.due) if rec.due else "")))


def _rec_page(ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors) -> Cell:
    """References to the pages where the recommendation's actions are."""
    return Cell(pagerefs=tuple(anchors.get(rec.ref, [])))


def _rec_custom(ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors) -> Cell:
    """The recommendation's value of a custom field."""
    return custom_cell(rec.custom, column)


def _rec_theme_custom(
    ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors
) -> Cell:
    """The custom field of the recommendation's theme."""
    theme = ctx.theme_items.get(rec.theme or "")
    return custom_cell(theme.custom, column) if theme else Cell()


@dataclass(frozen=True)
class RecommendationField:
    """A field a recommendation summary can show."""

    cell: RecommendationCell
    texts: measured.RecommendationTexts
    argument: str | None = None  # KEY: written field:argument


RECOMMENDATION_FIELDS: dict[str, RecommendationField] = {
    "ref": RecommendationField(_rec_ref, measured.rec_ref),
    "text": RecommendationField(_rec_text, measured.rec_text),
    "priority": RecommendationField(_rec_priority, measured.rec_priority),
    "accountable": RecommendationField(_rec_accountable, measured.nothing),
    "timescale": RecommendationField(_rec_timescale, measured.rec_dates),
    "due": RecommendationField(_rec_timescale, measured.rec_dates),
    "page": RecommendationField(_rec_page, measured.nothing),
    "custom": RecommendationField(_rec_custom, measured.rec_custom, KEY),
    "theme-custom": RecommendationField(_rec_theme_custom, measured.nothing, KEY),
}


def recommendation_cell(
    ctx: Context, rec: Recommendation, column: ColumnSpec, anchors: Anchors
) -> Cell:
    """One cell of a recommendation summary."""
    return RECOMMENDATION_FIELDS[column.kind].cell(ctx, rec, column, anchors)


def month_of_latest_update(ctx: Context, actions: list[Action]) -> str:
    """'September 2013': the month of the latest update shown for these actions, or ''."""
    latest = max(
        (u.date.value.first for a in actions for u in ctx.updates(a) if u.date.value),
        default=None,
    )
    return dates.month_words(latest) if latest else ""
