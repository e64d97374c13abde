"""Stage 4: rules JSON Schema cannot express, applied to the typed plan model.

Each rule has an id, a severity and a location, and says what to do in plain English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date

from planreport.plan import standing
from planreport.plan.dates import day_words
from planreport.plan.model import Action, DateField, Lead, Period, Person, Plan
from planreport.problems import Location, Problems, nearest

_NOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass(frozen=True)
class Context:
    """What rules need besides the plan: the people registry and the as-at date."""

    people: dict[str, Person] | None
    as_at: date
    people_path: str | None = None
    standings: tuple[standing.Standing, ...] = ()


def check_plan(plan: Plan, ctx: Context, problems: Problems, warnings: bool = True) -> None:
    """Apply every rule to one plan (to a partial plan, those that need no other part).

    warnings False: only the rules that can find errors (a build needs no more).
    """
    if warnings:
        ctx = replace(ctx, standings=tuple(standing.assess(plan, ctx.as_at)))
    for rule in RULES:
        if plan.partial and rule in WHOLE_PLAN_RULES:
            continue
        if warnings or rule not in WARNING_RULES:
            rule(plan, ctx, problems)


def _line(location: Location, other: Location) -> str:
    """'line 12' in the same file, or 'path line 12' in another."""
    if location.path == other.path:
        return f"line {other.line}"
    return f"{other.path} line {other.line}"


def plan_has_title(plan: Plan, ctx: Context, problems: Problems) -> None:
    """A plan needs a title."""
    if not plan.title:
        problems.error(
            plan.location,
            "plan-title-missing",
            "this plan has no title. Add a line at the top: 'title: ...' with the plan's "
            "published title.",
        )


def recommendations_have_text(plan: Plan, ctx: Context, problems: Problems) -> None:
    """A recommendation has its text, or lettered parts that carry it."""
    for rec in plan.recommendations:
        if not rec.text and not rec.parts:
            problems.error(
                rec.location,
                "recommendation-text-missing",
                f"recommendation {rec.ref} has no text. Add 'text:' with the recommendation as "
                "written, or 'parts:' if it is in lettered parts.",
            )


def dates_readable(plan: Plan, ctx: Context, problems: Problems) -> None:
    """Every date can be read and is a real date."""
    for found in plan.date_fields:
        if found.error:
            problems.error(found.location, found.error.rule, found.error.message)


def _dates_of(
    plan: Plan,
) -> Iterator[tuple[str, Location, DateField | None, DateField | None, DateField | None]]:
    """(what, where, start, due, review) for everything in the plan that has a due date."""
    for rec in plan.recommendations:
        yield f"recommendation {rec.ref}", rec.location, rec.start, rec.due, rec.review
    for action in plan.actions:
        yield action.name, action.location, action.start, action.due, action.review
        for revision in action.revisions:
            yield (
                f"{action.name}'s revised date",
                revision.location,
                action.start,
                revision.due,
                revision.review,
            )
        for i, milestone in enumerate(action.milestones, 1):
            yield (
                f"{action.name}, milestone {i}",
                milestone.location,
                milestone.start,
                milestone.due,
                milestone.review,
            )


def dates_unknown(plan: Plan, ctx: Context, problems: Problems) -> None:
    """Warn about each date recorded as 'unknown': the source gave none; find it."""
    for found in plan.date_fields:
        if found.unknown and found.error is None:  # where 'unknown' is not allowed: an error
            problems.warning(
                found.location,
                "date-unknown",
                f"this date is recorded as '{found.text}': the plan it was taken from gives "
                "none. Find the date and write it here; until then the committee cannot hold "
                "anyone to it.",
            )


def ongoing_needs_review(plan: Plan, ctx: Context, problems: Problems) -> None:
    """'ongoing' is allowed only with a next review date."""
    for what, _where, _start, due, review in _dates_of(plan):
        if due and due.ongoing and not review:
            problems.error(
                due.location,
                "ongoing-without-review",
                f"{what} is 'ongoing' but has no review date, so the committee cannot hold "
                "anyone to it. Add 'review:' with the date it will next be reviewed, "
                "e.g. review: 2020-07.",
            )


def start_before_due(plan: Plan, ctx: Context, problems: Problems) -> None:
    """A start date cannot be after the due date."""
    for what, _where, start, due, _review in _dates_of(plan):
        if start and start.value and due and due.value and start.value.first > due.value.last:
            problems.error(
                start.location,
                "start-after-due",
                f"{what} starts ({start.value.words()}) after it is due "
                f"({due.value.words()}). Correct one of the two dates.",
            )


def revisions_have_reasons(plan: Plan, ctx: Context, problems: Problems) -> None:
    """A revised due date needs a reason."""
    for action in plan.actions:
        for revision in action.revisions:
            if not revision.reason:
                problems.error(
                    revision.location,
                    "revision-without-reason",
                    f"{action.name}'s due date was revised to '{revision.due.text}' without a "
                    "reason. Add 'reason:' saying why the date moved; the committee will ask.",
                )


def actions_dated(plan: Plan, ctx: Context, problems: Problems) -> None:
    """Every open action has a due date, or is ongoing with a review date, or dated milestones."""
    for action in plan.actions:
        if standing.done_at(plan, action) or _dated(action) or action.withdrawn:
            continue
        written = f" (published as '{action.timescale}')" if action.timescale else ""
        problems.error(
            action.location,
            "undated-action",
            f"{action.name} has no due date{written}. Add 'due:' with the date it will be "
            "done, e.g. due: 2013-12; or, for continuous work or a date not yet fixed, "
            "'due: ongoing' with a 'review:' date.",
        )


def _dated(action: Action) -> bool:
    """Whether the action (or each of its open milestones) has a due date."""
    if action.current_due():
        return True
    open_steps = [m for m in action.milestones if not m.done]
    return bool(action.milestones) and all(m.due for m in open_steps)


def merges_known(plan: Plan, ctx: Context, problems: Problems) -> None:
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


def withdrawn_after_added(plan: Plan, ctx: Context, problems: Problems) -> None:
    """An action cannot be withdrawn before it was added to the plan."""
    for action in plan.actions:
        gone = action.withdrawn.date if action.withdrawn else None
        added = action.added
        if gone and gone.value and added and added.value and gone.value.last < added.value.first:
            problems.error(
                gone.location,
                "withdrawn-before-added",
                f"{action.name} was withdrawn ({gone.value.words()}) before it was added "
                f"({added.value.words()}). Correct one of the two dates.",
            )


def updates_not_ahead(plan: Plan, ctx: Context, problems: Problems) -> None:
    """Warn about an update dated after the as-at date: usually a mistyped year or month."""
    for action in plan.actions:
        for update in action.updates:
            when = update.date.value if update.date else None
            if when and when.first > ctx.as_at:
                problems.warning(
                    update.date.location,
                    "update-after-as-at",
                    f"{action.name} has an update dated {when.words()}, after "
                    f"{day_words(ctx.as_at)}, the date this check is as at. Papers as at "
                    "earlier dates leave it out; if the date is mistyped, correct it.",
                )


def refs_unique(plan: Plan, ctx: Context, problems: Problems) -> None:
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
                    f"{noun} {shown} is used twice: here and at {_line(where, seen[ref])}. "
                    "Give each its own reference as published.",
                )
            else:
                seen[ref] = where


def recommendations_addressed(plan: Plan, ctx: Context, problems: Problems) -> None:
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


def leads_known(plan: Plan, ctx: Context, problems: Problems) -> None:
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


def themes_known(plan: Plan, ctx: Context, problems: Problems) -> None:
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


def statuses_known(plan: Plan, ctx: Context, problems: Problems) -> None:
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


def done_has_date(plan: Plan, ctx: Context, problems: Problems) -> None:
    """An action marked done says when it was completed."""
    for action in plan.actions:
        status, where = standing.status_written(action)
        if status is None or action.completed or not standing.done_at(plan, action):
            continue
        reported = any(
            plan.status_scheme.get(u.status) and plan.status_scheme.get(u.status).done
            for u in action.updates
        )
        if not reported:
            problems.error(
                where or action.location,
                "done-without-date",
                f"{action.name} is marked '{status}' (done) but does not say when. Add "
                "'completed:' with the date it was completed, or a dated update reporting it.",
            )


def completed_is_done(plan: Plan, ctx: Context, problems: Problems) -> None:
    """An action with a completion date has a done status: papers show the status."""
    done = [lv for lv in plan.status_scheme.levels if lv.done]
    if not done:
        return  # a scheme with no done level cannot say so
    for action in plan.actions:
        when = action.completed
        if not when or not when.value or standing.done_at(plan, action):
            continue
        status, _ = standing.status_written(action)
        level = plan.status_scheme.get(status)
        if status is not None and level is None:
            continue  # an unknown status: reported as such
        now = f"its status is '{level.label}', not a done status" if level else "it has no status"
        problems.warning(
            when.location,
            "completed-but-open",
            f"{action.name} was completed {when.value.words()}, but {now}, so papers show it "
            f"as still open. Set its status (or add a dated update) to '{done[0].key}' "
            f"({done[0].label}); or, if it is not complete, remove 'completed:'.",
        )


def notes_known(plan: Plan, ctx: Context, problems: Problems) -> None:
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


def custom_fields_known(plan: Plan, ctx: Context, problems: Problems) -> None:
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


def overdue_on_track(plan: Plan, ctx: Context, problems: Problems) -> None:
    """Warn when an open action is past its due date but still marked on track."""
    for found in ctx.standings:
        if found.inconsistent:
            action, level = found.action, found.status
            where = standing.status_written(action, ctx.as_at)[1] or action.location
            problems.warning(
                where,
                "overdue-on-track",
                f"{action.name} was due {found.due.value.words()} but is still marked "
                f"'{level.label}' ({level.meaning or 'on track'}) as at {day_words(ctx.as_at)}. "
                "Update its status, or record a revised date with a reason.",
            )


def ongoing_review_due(plan: Plan, ctx: Context, problems: Problems) -> None:
    """Warn when an ongoing action's review date has passed."""
    for found in ctx.standings:
        if found.review_overdue:
            review = found.action.current_review()
            problems.warning(
                review.location,
                "review-overdue",
                f"{found.action.name} is ongoing and was due for review by "
                f"{review.value.words()}. Review it, add an update, and set the next review date.",
            )


def updates_recent(plan: Plan, ctx: Context, problems: Problems) -> None:
    """Warn when an open action has had no progress update for too long."""
    for found in ctx.standings:
        unreadable = any(u.date and u.date.error for u in found.action.updates)
        if found.stale and not unreadable:  # an unreadable update date is reported already
            latest = found.latest_update
            since = f"since {day_words(latest)}" if latest else "at all"
            problems.warning(
                found.action.location,
                "stale-action",
                f"{found.action.name} has had no progress update {since}; the plan expects one "
                f"within {plan.stale_after_days} days of {day_words(ctx.as_at)}. Add an update "
                "with today's position.",
            )


def periods_distinct(plan: Plan, ctx: Context, problems: Problems) -> None:
    """No two reporting periods end on the same day (one would never be rated)."""
    ends: dict[date, Period] = {}
    for period in plan.periods:
        span = period.date.value
        if span is None:
            continue
        first = ends.setdefault(span.last, period)
        if first is not period:
            problems.error(
                period.location,
                "duplicate-period",
                f"the reporting period '{period.label}' ends on {day_words(span.last)}, "
                f"as '{first.label}' does ({_line(period.location, first.location)}): a "
                "rating can count for only one of them. Remove one, or give each its own "
                "date.",
            )


RULES: list[Callable[[Plan, Context, Problems], None]] = [
    plan_has_title,
    periods_distinct,
    dates_unknown,
    recommendations_have_text,
    dates_readable,
    ongoing_needs_review,
    start_before_due,
    revisions_have_reasons,
    merges_known,
    withdrawn_after_added,
    actions_dated,
    refs_unique,
    recommendations_addressed,
    leads_known,
    themes_known,
    statuses_known,
    done_has_date,
    completed_is_done,
    notes_known,
    custom_fields_known,
    overdue_on_track,
    ongoing_review_due,
    updates_recent,
    updates_not_ahead,
]

# Rules that only ever warn (all that need where each action stands at the as-at date).
WARNING_RULES = (
    dates_unknown,
    completed_is_done,
    overdue_on_track,
    ongoing_review_due,
    updates_recent,
    updates_not_ahead,
)

# Rules that look across the plan (does anything address this, is that ref declared, is
# there a title): on a plan with parts cut out for schema errors (a misspelt 'titel:', an
# action with a wrong type) they would report what was cut.
WHOLE_PLAN_RULES = (
    plan_has_title,
    recommendations_addressed,
    merges_known,
    notes_known,
    themes_known,
)
