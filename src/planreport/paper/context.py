"""The context every block and cell reads while one plan is composed, and shared words.

`Context` makes each lookup once (the selected actions, recommendations by ref, themes,
wording, standings); the shared words (a status swatch, a recommendation's text, leads,
dates in words, groups) are used by cells (fields.py) and blocks alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from planreport.paper import layouts, wording
from planreport.paper.definitions import PaperSpec
from planreport.paper.layouts import Layout
from planreport.paper.model import Cell, Swatch
from planreport.plan import standing
from planreport.plan.model import (
    Action,
    DateField,
    Lead,
    Part,
    Person,
    Plan,
    Recommendation,
    StatusLevel,
    Theme,
    Update,
)
from planreport.plan.richtext import Para, Rich, Run, parse, plain


@dataclass
class Context:
    """What every block and cell needs while composing one plan; lookups made once."""

    plan: Plan
    people: dict[str, Person]
    spec: PaperSpec
    layout: Layout
    with_exceptions: bool = False  # the paper lists its exceptions (an `exceptions` block)

    @property
    def as_at(self) -> date:
        """The date the paper reports to."""
        return self.spec.as_at

    @cached_property
    def selected_ids(self) -> set[int]:
        """The ids of the selected actions, to test membership in constant time."""
        return {id(a) for a in self.selected}

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

    @cached_property
    def reports_progress(self) -> bool:
        """Whether the plan reports any progress at the as-at date: a status, update or step."""
        return any(
            s.done or s.status or self.updates(s.action) or any(m.done for m in s.action.milestones)
            for s in self.standings
        )

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
    text = "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())
    text = _DANGLING.sub("", _BEFORE_STOP.sub(r"\1", text)).strip(" ,;/–-\n")
    if lead.note and "{note}" not in shape:
        text += f" ({lead.note})"
    return text or person.name or person.initials or person.role or person.id


NOT_KNOWN = "Not known"  # a date the plan records as `unknown`: its source gives none


def date_words(field: DateField | None, review: DateField | None = None) -> str:
    """A due date in words; 'Ongoing (review by July 2020)' for ongoing; 'Not known'."""
    if field is None:
        return ""
    if field.unknown:
        return NOT_KNOWN
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
