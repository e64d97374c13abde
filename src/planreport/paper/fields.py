"""Table cells: one dispatcher table for action tables, one for recommendation summaries.

Each column of a layout has a kind (layouts.ACTION_KINDS or layouts.RECOMMENDATION_KINDS);
the tables here map each kind to the function that makes its cell. Also the context
every block and cell reads while one plan is composed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from planreport.paper import layouts, wording
from planreport.paper.definitions import PaperSpec
from planreport.paper.layouts import Column, Layout
from planreport.paper.model import Cell, Swatch
from planreport.plan import dates, standing
from planreport.plan.model import (
    Action,
    DateField,
    Lead,
    Milestone,
    Part,
    Person,
    Plan,
    Recommendation,
    StatusLevel,
    Theme,
    Update,
)
from planreport.plan.richtext import Bullets, Para, Rich, Run, parse, plain, prefixed


@dataclass
class Context:
    """What every block and cell needs while composing one plan; lookups made once."""

    plan: Plan
    people: dict[str, Person]
    spec: PaperSpec
    layout: Layout

    @property
    def as_at(self) -> date:
        """The date the paper reports to."""
        return self.spec.as_at

    @cached_property
    def selected(self) -> list[Action]:
        """The plan's actions that pass the paper's filters."""
        filters = self.spec.filters
        chosen = []
        for action in standing.current(self.plan, self.as_at):
            status = self.status_at(action)
            if filters.get("open_only") and standing.done_at(self.plan, action, self.as_at):
                continue
            if filters.get("statuses") and (
                status is None or status.key not in filters["statuses"]
            ):
                continue
            if filters.get("themes") and action.theme not in filters["themes"]:
                continue
            wanted = filters.get("recommendations")
            if wanted and not {ref for ref, _ in action.addresses} & set(wanted):
                continue
            chosen.append(action)
        return chosen

    @cached_property
    def recommendations(self) -> dict[str, Recommendation]:
        """The plan's recommendations by ref."""
        return {r.ref: r for r in self.plan.recommendations}

    @cached_property
    def parts(self) -> dict[str, Part]:
        """Every lettered part of every recommendation, by ref."""
        return {p.ref: p for r in self.plan.recommendations for p in r.parts}

    @cached_property
    def parents(self) -> dict[str, str]:
        """For each lettered part, the first recommendation it belongs to."""
        found: dict[str, str] = {}
        for rec in self.plan.recommendations:
            for part in rec.parts:
                found.setdefault(part.ref, rec.ref)
        return found

    @cached_property
    def theme_items(self) -> dict[str, Theme]:
        """Each theme by id (the first, if an id is repeated)."""
        found: dict[str, Theme] = {}
        for theme in self.plan.themes:
            found.setdefault(theme.id, theme)
        return found

    @cached_property
    def themes(self) -> dict[str, str]:
        """Each theme's title by id (the first, if an id is repeated)."""
        return {key: theme.title for key, theme in self.theme_items.items()}

    @cached_property
    def words(self) -> dict[str, str | None]:
        """planreport's phrases: the defaults, reworded by the layout, then by the paper."""
        return wording.phrases(self.layout.wording, self.spec.wording)

    def say(self, key: str, **values: str) -> str:
        """A phrase (wording.PHRASES) filled with its values."""
        return layouts.fill(self.words[key] or "", values)

    @cached_property
    def standings(self) -> list[standing.Standing]:
        """Where each action stands at the as-at date (due soon: before the next meeting)."""
        return standing.assess(self.plan, self.as_at, self.spec.next_meeting)

    def parent(self, ref: str) -> str:
        """The recommendation a part belongs to (or ref itself)."""
        return self.parents.get(ref, ref)

    def updates(self, action: Action) -> list[Update]:
        """The action's updates dated on or before the as-at date."""
        return standing.updates_to(action, self.as_at)

    def status_at(self, action: Action, day: date | None = None) -> StatusLevel | None:
        """The status level in force at day (default the as-at date), or None."""
        return standing.status_at(self.plan, action, day or self.as_at)


# --- shared words -------------------------------------------------------------------


def swatch_of(level: StatusLevel) -> Swatch:
    """A status level as colour and word."""
    return Swatch(level.label, level.colour, level.meaning)


def status_cell(level: StatusLevel | None) -> Cell:
    """A cell showing a status, or an empty one."""
    return Cell(status=swatch_of(level) if level else None)


def rec_text(rec: Recommendation) -> Rich:
    """A recommendation's text with its lettered parts ("a. ...", as a plan prints them)."""
    text = parse(rec.text)
    parts = [Para((Run(f"{part_label(rec, p)}. "), *first_runs(parse(p.text)))) for p in rec.parts]
    return Rich(text.blocks + tuple(parts))


def part_label(rec: Recommendation, part: Part) -> str:
    """A part's letter within its recommendation ('a' for part 5a of 5), else its ref."""
    rest = part.ref[len(rec.ref) :] if part.ref.startswith(rec.ref) else ""
    return rest if rest.isalpha() else part.ref


def first_runs(rich: Rich) -> tuple[Run, ...]:
    """The runs of the first paragraph of rich text."""
    for block in rich.blocks:
        if isinstance(block, Para):
            return block.runs
    return ()


def leads(ctx: Context, people: list[Lead]) -> Rich:
    """Leads as the layout chooses: name and role, name, or initials.

    A name is followed by the person's organisation where the registry gives one and it
    is not the plan's own ("Tina Smith – East Midlands Strategic Commissioning Group"),
    and every style keeps
    the note the plan gives a lead ("(independent)"). With the layout's lead_separator
    the leads share one line ("RB / KS / MG"); otherwise initials share a line with
    spaces and names stand one to a line.
    """
    style, shape = ctx.layout.leads, ctx.layout.lead_format
    paras = []
    for lead in people:
        person = ctx.people.get(lead.person)
        if person is None:
            paras.append(lead.person)
            continue
        organisation = lead.organisation or person.organisation
        if shape:
            paras.append(lead_as(shape, lead, person, organisation))
            continue
        if organisation in ctx.plan.organisations:
            organisation = None  # the plan's own: "Corporate Director", as the plan prints it
        if style == "initials":
            text = person.initials or person.name or person.role or person.id
        elif style == "name":
            text = person.name or person.role or person.initials or person.id
            if organisation and person.name:
                text += f" – {organisation}"
        else:
            role = lead.role or person.role
            bits = [person.name or person.initials, role, organisation]
            text = ", ".join(b for b in bits if b) or person.id
        if lead.note:
            text += f" ({lead.note})"
        paras.append(text)
    separator = ctx.layout.lead_separator
    if separator is not None or style == "initials":
        return plain((" " if separator is None else separator).join(paras))
    return Rich(tuple(Para((Run(p),)) for p in paras))


_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
_BEFORE_STOP = re.compile(r"\s+([.,;:!?])")  # "Smith ." -> "Smith."
_DANGLING = re.compile(r"\s*[–/-]\s*(?=[.,;:!?]|$)")  # "CCG – ." -> "CCG."


def lead_as(shape: str, lead: Lead, person: Person, organisation: str | None) -> str:
    """A lead in the layout's lead_format; a placeholder with nothing to show is left out.

    "({initials}) {organisation}" gives "(MS) CYC"; with no organisation, "(MS)". Brackets
    left empty go with it, and a note the format does not place follows in brackets.
    """
    values = {
        "name": person.name or "",
        "initials": person.initials or "",
        "role": lead.role or person.role or "",
        "organisation": organisation or "",
        "note": lead.note or "",
    }
    text = _EMPTY_BRACKETS.sub("", layouts.fill(shape, values))
    text = " ".join(text.split())
    text = _DANGLING.sub("", _BEFORE_STOP.sub(r"\1", text)).strip(" ,;/–-")
    if lead.note and "{note}" not in shape:
        text += f" ({lead.note})"
    return text or person.name or person.initials or person.role or person.id


def date_words(field: DateField | None, review: DateField | None = None) -> str:
    """A due date in words; 'Ongoing (review by July 2020)' for ongoing."""
    if field is None:
        return ""
    if field.ongoing:
        return "Ongoing" + (
            f" (review by {review.value.words()})" if review and review.value else ""
        )
    return field.value.words() if field.value else field.text


def due(action: Action, revised: str | None = None) -> Rich:
    """The due date in force, with the original if it was revised ('revised_from' wording)."""
    text = date_words(action.current_due(), action.current_review())
    if action.revisions and action.due:
        template = revised or wording.PHRASES["revised_from"].default or ""
        text = layouts.fill(template, {"new": text, "old": date_words(action.due)})
    return plain(text)


def group_key(action: Action, group_by: str) -> str:
    """The group an action belongs to."""
    if group_by == "theme":
        return action.theme or ""
    if group_by == "recommendation":
        return action.addresses[0][0] if action.addresses else ""
    if group_by == "addresses":
        return ",".join(ref for ref, _ in action.addresses)
    return ""


def group_label(ctx: Context, group_by: str, key: str) -> str:
    """Words for a group: a theme's title or the recommendations addressed."""
    if group_by == "theme":
        return ctx.themes.get(key, key or ctx.say("other_actions"))
    refs = [r for r in key.split(",") if r]
    if not refs:
        return ctx.say("other_actions")
    if len(refs) == 1:
        return ctx.say("recommendation_group", ref=refs[0])
    return ctx.say("recommendations_group", refs=", ".join(refs))


# --- action-table cells ---------------------------------------------------------------

ActionCell = Callable[[Context, Action, Column], Cell]


def _ref(ctx: Context, action: Action, column: Column) -> Cell:
    """The action's ref, with the column's prefix and suffix, as the row's header."""
    return Cell(plain(f"{column.prefix}{action.ref}{column.suffix}"), row_header=True)


def _text(ctx: Context, action: Action, column: Column) -> Cell:
    """The action's text, optionally led by its ref."""
    return Cell(_action_text(action, column))


def _action_text(action: Action, column: Column) -> Rich:
    """The action's text, led by the column's with_ref."""
    return prefixed(layouts.fill(column.with_ref, {"ref": action.ref}), parse(action.text))


def _dated(ctx: Context, updates: list[Update]) -> list[Para | Bullets]:
    """Each update's text, led by its date ('update_label' wording)."""
    blocks: list[Para | Bullets] = []
    for update in updates:
        label = ctx.say("update_label", date=update.date.value.words())
        blocks += prefixed(label, parse(update.text)).blocks
    return blocks


def _text_and_progress(ctx: Context, action: Action, column: Column) -> Cell:
    """The action, then its latest update to the as-at date ("Actions / progress made")."""
    updates = [u for u in ctx.updates(action) if u.text][-1:]
    return Cell(Rich(_action_text(action, column).blocks + tuple(_dated(ctx, updates))))


def _text_and_updates(ctx: Context, action: Action, column: Column) -> Cell:
    """The action, then every update to the as-at date, each led by its date."""
    updates = [u for u in ctx.updates(action) if u.text]
    return Cell(Rich(_action_text(action, column).blocks + tuple(_dated(ctx, updates))))


def _recommendation(ctx: Context, action: Action, column: Column) -> Cell:
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


def _leads(ctx: Context, action: Action, column: Column) -> Cell:
    """The action's leads."""
    return Cell(leads(ctx, action.leads))


def _attribute(name: str) -> ActionCell:
    """A cell showing one text attribute of the action."""
    return lambda ctx, action, column: Cell(parse(getattr(action, name)))


def _timescale(ctx: Context, action: Action, column: Column) -> Cell:
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


def _due(ctx: Context, action: Action, column: Column) -> Cell:
    """The due date in force, with the original if it was revised."""
    return Cell(due(action, ctx.words["revised_from"]))


def _start(ctx: Context, action: Action, column: Column) -> Cell:
    """The start date."""
    return Cell(plain(date_words(action.start)))


def _dates(ctx: Context, action: Action, column: Column) -> Cell:
    """Start and due date as a range."""
    start, end = date_words(action.start), due(action, ctx.words["revised_from"]).plain()
    return Cell(
        plain(ctx.say("date_range", start=start, end=end) if start and end else start or end)
    )


def _milestones(ctx: Context, action: Action, column: Column) -> Cell:
    """Each milestone with its timescale in bold."""
    paras = []
    for m in action.milestones:
        when = m.timescale or date_words(m.due, m.review)
        paras.append(Para((*first_runs(parse(m.text)), Run(" "), Run(when, bold=True))))
    return Cell(Rich(tuple(paras)))


def _milestone(ctx: Context, action: Action, column: Column) -> Cell:
    """Every milestone's text, one to a paragraph (a table gives each its own row)."""
    return Cell(Rich(tuple(b for m in action.milestones for b in parse(m.text).blocks)))


def _milestone_due(ctx: Context, action: Action, column: Column) -> Cell:
    """Every milestone's date, one to a paragraph (a table gives each its own row)."""
    return Cell(Rich(tuple(Para((Run(milestone_when(m)),)) for m in action.milestones)))


def milestone_when(milestone: Milestone) -> str:
    """A milestone's date as published, else in words."""
    return milestone.timescale or date_words(milestone.due, milestone.review)


def milestone_cells(ctx: Context, action: Action, column: Column) -> list[Cell]:
    """A milestone column's cells: one per milestone, for a row each."""
    if column.kind == "milestone":
        return [Cell(parse(m.text)) for m in action.milestones]
    return [Cell(plain(milestone_when(m))) for m in action.milestones]


def _completed(ctx: Context, action: Action, column: Column) -> Cell:
    """When the action was completed, if it is done at the as-at date."""
    if not standing.done_at(ctx.plan, action, ctx.as_at):
        return Cell()
    when = standing.completed_on(ctx.plan, action, ctx.as_at)
    return Cell(plain(when.words() if when else ""))


def _progress(ctx: Context, action: Action, column: Column) -> Cell:
    """The latest update's text as at the paper's date."""
    updates = [u for u in ctx.updates(action) if u.text]
    return Cell(parse(updates[-1].text) if updates else Rich())


def _updates(ctx: Context, action: Action, column: Column) -> Cell:
    """Every update to the as-at date, each led by its date."""
    return Cell(Rich(tuple(_dated(ctx, [u for u in ctx.updates(action) if u.text]))))


def _status(ctx: Context, action: Action, column: Column) -> Cell:
    """The status in force at the paper's date."""
    return status_cell(ctx.status_at(action))


def _theme(ctx: Context, action: Action, column: Column) -> Cell:
    """The action's theme."""
    return Cell(plain(ctx.themes.get(action.theme or "", "")))


def _custom(ctx: Context, action: Action, column: Column) -> Cell:
    """The action's value of the plan's custom field."""
    return custom_cell(action.custom, column)


def custom_cell(values: dict[str, tuple[str, object]], column: Column) -> Cell:
    """An item's value of the column's custom field, or an empty cell."""
    value = values.get(column.key or "")
    return Cell(parse(value[0]) if value else Rich())


def _rec_custom_of_action(ctx: Context, action: Action, column: Column) -> Cell:
    """The custom field of the recommendations the action addresses, each value once."""
    values: dict[str, None] = {}
    for ref, _ in action.addresses:
        rec = ctx.recommendations.get(ctx.parent(ref))
        if rec is not None and column.key in rec.custom:
            values[rec.custom[column.key or ""][0]] = None
    return Cell(Rich(tuple(b for v in values for b in parse(v).blocks)))


def _theme_custom_of_action(ctx: Context, action: Action, column: Column) -> Cell:
    """The custom field of the action's theme."""
    theme = ctx.theme_items.get(action.theme or "")
    return custom_cell(theme.custom, column) if theme else Cell()


def period_columns(ctx: Context, column: Column) -> list[Column]:
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


def _status_by_period(ctx: Context, action: Action, column: Column) -> Cell:
    """The status rated in one reporting period; 'Not rated' if none; empty if not over yet."""
    rating = standing.period_ratings(ctx.plan, action, ctx.as_at)[int(column.key or 0)]
    if rating is standing.NOT_YET:
        return Cell()
    if rating is None:
        return Cell(plain(ctx.say("not_rated")))
    return status_cell(rating)


def _status_at(ctx: Context, action: Action, column: Column) -> Cell:
    """The status in force at the end of the column's period."""
    return status_cell(ctx.status_at(action, column.period.last if column.period else None))


def _update_at(ctx: Context, action: Action, column: Column) -> Cell:
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


ACTION_CELLS: dict[str, ActionCell] = {
    "ref": _ref,
    "text": _text,
    "text-and-progress": _text_and_progress,
    "text-and-updates": _text_and_updates,
    "recommendation": _recommendation,
    "leads": _leads,
    "outputs": _attribute("outputs"),
    "outcome": _attribute("outcome"),
    "impact": _attribute("impact"),
    "measures": _attribute("measures"),
    "evidence": _attribute("evidence"),
    "timescale": _timescale,
    "due": _due,
    "start": _start,
    "dates": _dates,
    "milestones": _milestones,
    "milestone": _milestone,
    "milestone-due": _milestone_due,
    "completed": _completed,
    "progress": _progress,
    "updates": _updates,
    "status": _status,
    "status-by-period": _status_by_period,
    "theme": _theme,
    layouts.CUSTOM: _custom,
    layouts.REC_CUSTOM: _rec_custom_of_action,
    layouts.THEME_CUSTOM: _theme_custom_of_action,
    layouts.STATUS_AT: _status_at,
    layouts.UPDATE_AT: _update_at,
}


def action_cell(ctx: Context, action: Action, column: Column) -> Cell:
    """One cell of an action table."""
    return ACTION_CELLS[column.kind](ctx, action, column)


# --- recommendation-summary cells -------------------------------------------------

Anchors = dict[str, list[str]]
RecommendationCell = Callable[[Context, Recommendation, Column, Anchors], Cell]


def _rec_ref(ctx: Context, rec: Recommendation, column: Column, anchors: Anchors) -> Cell:
    """The recommendation's ref, with the column's prefix and suffix, as the row's header."""
    return Cell(plain(f"{column.prefix}{rec.ref}{column.suffix}"), row_header=True)


def _rec_text(ctx: Context, rec: Recommendation, column: Column, anchors: Anchors) -> Cell:
    """The recommendation's text and parts, optionally led by its ref."""
    return Cell(prefixed(layouts.fill(column.with_ref, {"ref": rec.ref}), rec_text(rec)))


def _rec_priority(ctx: Context, rec: Recommendation, column: Column, anchors: Anchors) -> Cell:
    """The recommendation's priority."""
    return Cell(plain(rec.priority or ""))


def _rec_accountable(ctx: Context, rec: Recommendation, column: Column, anchors: Anchors) -> Cell:
    """The officers accountable for the recommendation."""
    return Cell(leads(ctx, rec.accountable))


def _rec_timescale(ctx: Context, rec: Recommendation, column: Column, anchors: Anchors) -> Cell:
    """The recommendation's timescale as written, else its due date."""
    return Cell(plain(rec.timescale or (date_words(rec.due) if rec.due else "")))


def _rec_page(ctx: Context, rec: Recommendation, column: Column, anchors: Anchors) -> Cell:
    """References to the pages where the recommendation's actions are."""
    return Cell(pagerefs=tuple(anchors.get(rec.ref, [])))


def _rec_custom(ctx: Context, rec: Recommendation, column: Column, anchors: Anchors) -> Cell:
    """The recommendation's value of a custom field."""
    return custom_cell(rec.custom, column)


def _rec_theme_custom(ctx: Context, rec: Recommendation, column: Column, anchors: Anchors) -> Cell:
    """The custom field of the recommendation's theme."""
    theme = ctx.theme_items.get(rec.theme or "")
    return custom_cell(theme.custom, column) if theme else Cell()


RECOMMENDATION_CELLS: dict[str, RecommendationCell] = {
    "ref": _rec_ref,
    "text": _rec_text,
    "priority": _rec_priority,
    "accountable": _rec_accountable,
    "timescale": _rec_timescale,
    "due": _rec_timescale,
    "page": _rec_page,
    layouts.CUSTOM: _rec_custom,
    layouts.THEME_CUSTOM: _rec_theme_custom,
}


def recommendation_cell(
    ctx: Context, rec: Recommendation, column: Column, anchors: Anchors
) -> Cell:
    """One cell of a recommendation summary."""
    return RECOMMENDATION_CELLS[column.kind](ctx, rec, column, anchors)


def month_of_latest_update(ctx: Context, actions: list[Action]) -> str:
    """'September 2013': the month of the latest update shown for these actions, or ''."""
    latest = max(
        (u.date.value.first for a in actions for u in ctx.updates(a) if u.date.value),
        default=None,
    )
    return dates.month_words(latest) if latest else ""
