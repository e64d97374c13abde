"""Plan checks about what a plan names: its title, refs, recommendations, leads, themes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from planreport.plan.checks import RuleContext, check, line_of
from planreport.plan.model import Lead, Plan
from planreport.problems import Location, Problems, nearest

_NOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")


@check({"plan-title-missing": "a plan with no title"}, whole_plan=True)
def plan_has_title(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """A plan needs a title."""
    if not plan.title:
        problems.error(
            plan.location,
            "plan-title-missing",
            "this plan has no title. Add a line at the top: 'title: ...' with the plan's "
            "published title.",
        )


@check({"recommendation-text-missing": "a recommendation with no text"})
def recommendations_have_text(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """A recommendation has its text, or lettered parts that carry it."""
    for rec in plan.recommendations:
        if not rec.text and not rec.parts:
            problems.error(
                rec.location,
                "recommendation-text-missing",
                f"recommendation {rec.ref} has no text. Add 'text:' with the recommendation as "
                "written, or 'parts:' if it is in lettered parts.",
            )


@check(
    {
        "unknown-merge-target": "an action merged into one the plan lacks",
        "merge-cycle": "actions merged into each other in a circle",
    },
    whole_plan=True,
)
def merges_known(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """An action merged into another names another action the plan has, with no circle."""
    refs = {a.ref for a in plan.actions}
    into = {a.ref: a.withdrawn.merged_into for a in plan.actions if a.withdrawn}
    circles = _merge_circles(into)
    for action in plan.actions:
        target = action.withdrawn.merged_into if action.withdrawn else None
        if not target:
            continue
        if target not in refs:
            problems.error(
                action.withdrawn.location,
                "unknown-merge-target",
                f"{action.name} was merged into action '{target}', which this plan does not "
                f"have.{nearest(target, refs)} Correct 'merged_into'.",
            )
        elif action.ref in circles:
            loop, at = circles[action.ref]
            chain = " into ".join([*loop[at:], *loop[:at], action.ref])
            problems.error(
                action.withdrawn.location,
                "merge-cycle",
                f"{action.name} is merged into itself ({chain}), so its work is nowhere. Name "
                "the action that carries the work on in 'merged_into'.",
            )


def _merge_circles(into: dict[str, str | None]) -> dict[str, tuple[list[str], int]]:
    """Each ref on a circle of merges, with its circle and its place on it.

    Each chain is followed once (a plan of actions each merged into the next was cubic).
    """
    circles: dict[str, tuple[list[str], int]] = {}
    done: set[str] = set()
    for start in into:
        path: list[str] = []
        seen: dict[str, int] = {}
        current: str | None = start
        while current and current not in done and current not in seen:
            seen[current] = len(path)
            path.append(current)
            current = into.get(current)
        if current in seen:
            loop = path[seen[current] :]
            circles.update((ref, (loop, i)) for i, ref in enumerate(loop))
        done.update(path)
    return circles


@check({"duplicate-ref": "the same ref or id twice"})
def refs_unique(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Refs and ids are unique where papers and rules look them up."""
    rec_refs = [(r.ref, r.location) for r in plan.recommendations]
    rec_refs += [(p.ref, p.location) for r in plan.recommendations for p in r.parts]
    groups = {
        "recommendation": rec_refs,
        "action": [(a.key, a.location) for a in plan.actions],
        "note": [(n.ref, n.location) for n in plan.notes],
        "theme": [(t.id, t.location) for t in plan.themes],
        "status": [(lv.key, lv.location or plan.location) for lv in plan.status_scheme.levels],
        "custom field": [(k, loc) for k, (_label, loc) in plan.custom_fields.items()],
    }
    for noun, items in groups.items():
        seen: dict[str, Location] = {}
        for ref, where in items:
            if ref in seen:
                shown = ref.replace("/", ", action ") if noun == "action" else ref
                problems.error(
                    where,
                    "duplicate-ref",
                    f"{noun} {shown} is used twice: here and at {line_of(where, seen[ref])}. "
                    "Give each its own reference as published.",
                )
            else:
                seen[ref] = where


@check(
    {
        "action-addresses-nothing": "an action that names no recommendation",
        "unaddressed-recommendation": "a recommendation no action addresses",
        "unknown-recommendation": "an action addressing a recommendation the plan lacks",
    },
    whole_plan=True,
)
def recommendations_addressed(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Actions address known recommendations, and every recommendation is addressed."""
    known = {r.ref for r in plan.recommendations} | {
        p.ref for r in plan.recommendations for p in r.parts
    }
    used: set[str] = set()
    for action in plan.actions:
        for ref, where in action.addresses:
            used.add(ref)
            if ref not in known:
                problems.error(
                    where,
                    "unknown-recommendation",
                    f"{action.name} addresses recommendation '{ref}', which this plan does not "
                    f"have.{nearest(ref, known)} Add the recommendation under "
                    "'recommendations:' or correct the reference.",
                )
        if plan.recommendations and not action.addresses:
            problems.warning(
                action.location,
                "action-addresses-nothing",
                f"{action.name} does not say which recommendation it addresses. Add "
                "'addresses:' with the recommendation's ref.",
            )
    for rec in plan.recommendations:
        if rec.ref not in used and not any(p.ref in used for p in rec.parts):
            problems.error(
                rec.location,
                "unaddressed-recommendation",
                f"no action addresses recommendation {rec.ref}. Add an action with "
                f"'addresses: [\"{rec.ref}\"]', or correct the reference on the action that does.",
            )


@check(
    {
        "no-people-registry": "leads named with no people.yaml",
        "unknown-lead": "a lead not in people.yaml",
    }
)
def leads_known(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Every lead and accountable officer is in the people registry."""
    leads: list[Lead] = [lead for a in plan.actions for lead in a.leads]
    leads += [lead for r in plan.recommendations for lead in r.accountable]
    if not leads:
        return
    if ctx.people is None and ctx.people_path:
        return  # the registry itself has errors, reported against people.yaml
    if ctx.people is None:
        problems.error(
            leads[0].location,
            "no-people-registry",
            "this plan names leads but there is no people.yaml beside it or in a folder above "
            "it. Create people.yaml listing each person once (see docs/plan-format.md).",
        )
        return
    for lead in leads:
        if lead.person not in ctx.people:
            problems.error(
                lead.location,
                "unknown-lead",
                f"'{lead.person}' is not in {ctx.people_path or 'people.yaml'}."
                f"{nearest(lead.person, ctx.people)} Add them there, or correct the id.",
            )


@check({"unknown-theme": "a theme not declared"}, whole_plan=True)
def themes_known(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Themes named by actions and recommendations are declared."""
    known = {t.id for t in plan.themes}
    names = [name for t in plan.themes for name in (t.id, t.title)]
    listed = "; ".join(f"{t.id} ({t.title})" for t in plan.themes) or "none"
    for item in [*plan.actions, *plan.recommendations]:
        if item.theme and item.theme not in known:
            problems.error(
                item.theme_location or item.location,
                "unknown-theme",
                f"theme '{item.theme}' is not listed under 'themes:' (themes: {listed})."
                f"{nearest(item.theme, names)} Add it there with its title, or correct the "
                "theme's id or title here.",
            )


# also reports unknown-status, which papers report too (problems.RULE_IDS)
@check()
def statuses_known(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Statuses come from the plan's status scheme."""
    levels = plan.status_scheme.levels
    keys = [lv.key for lv in levels]
    shown = ", ".join(f"{lv.key} ({lv.label})" if lv.label != lv.key else lv.key for lv in levels)
    scheme = (
        "the default status scheme" if plan.status_scheme.default else "this plan's status scheme"
    )
    for action in plan.actions:
        found = [(action.status, action.status_location)] + [
            (u.status, u.status_location) for u in action.updates
        ]
        for status, where in found:
            if status and status not in keys:
                near = nearest(status, [*keys, *(lv.label for lv in levels)])
                problems.error(
                    where or action.location,
                    "unknown-status",
                    f"'{status}' is not a status in {scheme}: {shown}. Write one of these, by "
                    f"its key or as printed.{near}",
                )


@check({"unknown-note": "a note marker with no note"}, whole_plan=True)
def notes_known(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Note markers like [^1] refer to notes the plan has, in every text papers show."""
    known = {n.ref for n in plan.notes}
    for text, where in _texts(plan):
        for ref in _NOTE_MARK.findall(text or ""):
            if ref not in known:
                problems.error(
                    where,
                    "unknown-note",
                    f"the text refers to note [^{ref}] but the plan has no note '{ref}'. Add it "
                    "under 'notes:' or correct the marker.",
                )


def _texts(plan: Plan) -> Iterator[tuple[str | None, Location]]:
    """Every text of the plan that papers show, with where it was written."""
    yield plan.introduction, plan.location
    yield plan.closing, plan.location
    for theme in plan.themes:
        yield theme.description, theme.location
    for rec in plan.recommendations:
        yield rec.text, rec.location
        yield from ((t, rec.location) for t in [*rec.outcomes, *rec.measures])
        yield from ((p.text, p.location) for p in rec.parts)
    for action in plan.actions:
        fields = (action.text, action.outputs, action.outcome, action.impact, action.measures)
        yield from ((t, action.location) for t in (*fields, action.evidence))
        yield from ((value, where) for value, where in action.custom.values())
        yield from ((m.text, m.location) for m in action.milestones)
        yield from ((r.reason, r.location) for r in action.revisions)
        yield from ((u.text, u.location) for u in action.updates)
        if action.withdrawn:
            yield action.withdrawn.reason, action.withdrawn.location
    for note in plan.notes:
        yield note.text, note.location
    for entry in plan.glossary:
        yield entry.meaning, entry.location


# also reports unknown-custom-field, which papers report too (problems.RULE_IDS)
@check()
def custom_fields_known(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Custom values use keys the plan declares under custom_fields."""
    for action in plan.actions:
        for key, (_value, where) in action.custom.items():
            if key not in plan.custom_fields:
                problems.error(
                    where,
                    "unknown-custom-field",
                    f"'{key}' is not one of this plan's custom_fields."
                    f"{nearest(key, plan.custom_fields)} "
                    "Declare it under 'custom_fields:' with a label, or correct the key.",
                )
