"""The texts each column field shows, as `fit` measures them (the words, not the layout).

One function per field, named in that field's entry in fields.py: a field without its
texts cannot be registered, so `column-too-narrow` knows every field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from planreport.paper.context import lead_as
from planreport.paper.layouts import ColumnSpec
from planreport.plan.model import Action, Person, Plan, Recommendation, Theme

Texts = list[str | None]


class Index(NamedTuple):
    """A plan's recommendations by ref and themes by id, and the people registry."""

    recommendations: dict[str, list[Recommendation]]
    themes: dict[str, list[Theme]]
    people: dict[str, Person]
    lead_format: str | None = None  # the layout's, as leads print with it


def index(plan: Plan, people: dict[str, Person], lead_format: str | None = None) -> Index:
    """The lookups the action fields' texts need, made once per plan."""
    return Index(_by(plan.recommendations, "ref"), _by(plan.themes, "id"), people, lead_format)


def _by(items: list[Any], key: str) -> dict[str, list[Any]]:
    """Items grouped by the value of one attribute, in plan order."""
    found: dict[str, list[Any]] = {}
    for item in items:
        found.setdefault(getattr(item, key), []).append(item)
    return found


ActionTexts = Callable[[ColumnSpec, Action, Plan, Index], Texts]
RecommendationTexts = Callable[[ColumnSpec, Recommendation], Texts]


def custom(values: dict[str, tuple[str, object]], column: ColumnSpec) -> Texts:
    """An item's value of the column's custom field, as a list of at most one text."""
    value = values.get(column.key or "")
    return [value[0]] if value else []


# --- action fields --------------------------------------------------------------------


def ref(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The ref as the column writes it."""
    return [f"{column.prefix}{action.ref}{column.suffix}"]


def attribute(name: str) -> ActionTexts:
    """The action's text attribute of this name."""

    def texts(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
        """The attribute, if it is a text."""
        value = getattr(action, name, None)
        return [value] if isinstance(value, str) else []

    return texts


def statuses(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The labels of every status the action was given."""
    used = {action.status, *(u.status for u in action.updates)}
    return [level.label for level in plan.status_scheme.levels if level.key in used]


def text_and_updates(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The action and its updates."""
    return [action.text, *(u.text for u in action.updates)]


def milestone(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """Each milestone's text."""
    return [m.text for m in action.milestones]


def milestone_due(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """Each milestone's timescale, else its date."""
    return [
        m.timescale or (m.due.value.words() if m.due and m.due.value else None)
        for m in action.milestones
    ]


def milestones(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """Each milestone's text and timescale."""
    return [t for m in action.milestones for t in (m.text, m.timescale)]


def completed(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The completion date."""
    return [action.completed.value.words()] if action.completed and action.completed.value else []


def leads(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """Every lead's name, role, initials, organisation and note, and as lead_format prints it."""
    texts: Texts = []
    for lead in action.leads:
        person = index.people.get(lead.person)
        if person is None:
            texts.append(lead.person)
            continue
        organisation = lead.organisation or person.organisation
        role = lead.role or person.role
        texts += [person.name, role, person.initials, organisation, lead.note and f"({lead.note})"]
        if index.lead_format:
            texts.append(lead_as(index.lead_format, lead, person, organisation))
    return texts


def action_dates(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The timescale and every date: due, start and revised."""
    when = [action.due, action.start, *(r.due for r in action.revisions)]
    return [action.timescale, *(d.value.words() for d in when if d and d.value)]


def updates(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """Every update's text."""
    return [u.text for u in action.updates]


def action_custom(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The action's custom field."""
    return custom(action.custom, column)


def _addressed(action: Action, index: Index) -> list[Recommendation]:
    """The recommendations the action addresses."""
    refs = dict.fromkeys(ref for ref, _ in action.addresses)
    return [r for ref in refs for r in index.recommendations.get(ref, [])]


def recommendation(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The text of each recommendation addressed."""
    return [r.text for r in _addressed(action, index)]


def recommendation_custom(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The custom field of each recommendation addressed."""
    return [t for r in _addressed(action, index) for t in custom(r.custom, column)]


def theme(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The title of the action's theme."""
    return [t.title for t in index.themes.get(action.theme or "", [])]


def theme_custom(column: ColumnSpec, action: Action, plan: Plan, index: Index) -> Texts:
    """The custom field of the action's theme."""
    return [t for th in index.themes.get(action.theme or "", []) for t in custom(th.custom, column)]


# --- recommendation-summary fields ----------------------------------------------------


def rec_ref(column: ColumnSpec, rec: Recommendation) -> Texts:
    """The ref as the column writes it."""
    return [f"{column.prefix}{rec.ref}{column.suffix}"]


def rec_text(column: ColumnSpec, rec: Recommendation) -> Texts:
    """The recommendation and its parts."""
    return [rec.text, *(p.text for p in rec.parts)]


def rec_priority(column: ColumnSpec, rec: Recommendation) -> Texts:
    """The priority."""
    return [rec.priority] if isinstance(rec.priority, str) else []


def rec_dates(column: ColumnSpec, rec: Recommendation) -> Texts:
    """The timescale and due date."""
    return [rec.timescale, rec.due.value.words() if rec.due and rec.due.value else None]


def rec_custom(column: ColumnSpec, rec: Recommendation) -> Texts:
    """The recommendation's custom field."""
    return custom(rec.custom, column)


def nothing(column: ColumnSpec, rec: Recommendation) -> Texts:
    """Nothing measured (accountable officers, page numbers, a theme's field)."""
    return []
