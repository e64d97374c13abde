"""Plan checks about dates: readable, dated, in order, not overdue or stale, done when said."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from planreport.plan import standing
from planreport.plan.checks import RuleContext, check, line_of
from planreport.plan.dates import day_words
from planreport.plan.model import Action, DateField, Period, Plan
from planreport.problems import Location, Problems


# reports the date rules (date-format, date-impossible, ...), which papers report too
@check()
def dates_readable(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"date-unknown": "a date recorded as unknown: the source gives none"}, warns_only=True)
def dates_unknown(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"ongoing-without-review": "an ongoing date with no review date"})
def ongoing_needs_review(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"start-after-due": "a start after the due date"})
def start_before_due(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """A start date cannot be after the due date."""
    for what, _where, start, due, _review in _dates_of(plan):
        if start and start.value and due and due.value and start.value.first > due.value.last:
            problems.error(
                start.location,
                "start-after-due",
                f"{what} starts ({start.value.words()}) after it is due "
                f"({due.value.words()}). Correct one of the two dates.",
            )


@check({"revision-without-reason": "a revised date with no reason"})
def revisions_have_reasons(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"undated-action": "an open action with no due date"})
def actions_dated(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"withdrawn-before-added": "an action withdrawn before it was added"})
def withdrawn_after_added(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"update-after-as-at": "an update dated after the as-at date"}, warns_only=True)
def updates_not_ahead(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"done-without-date": "a done action with no completion date"})
def done_has_date(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check(
    {"completed-but-open": "an action with a completion date whose status is still open"},
    warns_only=True,
)
def completed_is_done(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


# An update that opens by saying the action is done: "Completed – all sites have been
# upgraded", "Complete.", "Achieved:"; not "Complete by December" (a plan, not a report).
SAYS_DONE = re.compile(r"\s*(?:completed?|achieved|done)\s*(?:[.,:;!–—-]|$)", re.IGNORECASE)


@check(
    {"said-done-but-open": "an update saying the action is completed while it is rated open"},
    warns_only=True,
)
def said_done_is_done(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Warn when the latest update says the action is completed but its status is open."""
    for found in ctx.standings:
        updates = standing.updates_to(found.action, ctx.as_at)
        latest = updates[-1] if updates else None
        if found.done or latest is None or not SAYS_DONE.match(latest.text or ""):
            continue
        rated = f"rated '{found.status.label}'" if found.status else "given no status"
        problems.warning(
            latest.location,
            "said-done-but-open",
            f"{found.action.name}'s latest update says it is completed, but it is {rated}, "
            "so papers show it as open (and as overdue once its date passes). Give it a "
            "done status and the date it was completed; or, if it is not complete, say so.",
        )


@check({"overdue-on-track": "an overdue action still marked on track"}, warns_only=True)
def overdue_on_track(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"review-overdue": "an ongoing action past its review date"}, warns_only=True)
def ongoing_review_due(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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


@check({"stale-action": "an open action with no recent update"}, warns_only=True)
def updates_recent(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
    """Warn when an open action has had no progress update for too long.

    Not in a plan that records its progress as dated milestones, with no updates: its
    actions are not waiting for updates it never gives.
    """
    actions = plan.actions
    if any(a.milestones for a in actions) and not any(a.updates for a in actions):
        return
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


@check({"duplicate-period": "two reporting periods ending on the same day"})
def periods_distinct(plan: Plan, ctx: RuleContext, problems: Problems) -> None:
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
                f"as '{first.label}' does ({line_of(period.location, first.location)}): a "
                "rating can count for only one of them. Remove one, or give each its own "
                "date.",
            )
