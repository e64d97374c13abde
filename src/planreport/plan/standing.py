"""Where each action stands as at a date: status, overdue, due soon, slipped, stale.

One implementation for the check warnings, the papers and the status command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from planreport.plan.dates import PlanDate
from planreport.plan.model import Action, DateField, Plan, Revision, StatusLevel, Update
from planreport.problems import Location


def updates_to(action: Action, day: date) -> list[Update]:
    """The action's updates dated on or before day."""
    return [u for u in action.updates if u.date.value and u.date.value.first <= day]


def status_written(action: Action, day: date | None = None) -> tuple[str | None, Location | None]:
    """The status in force on day, as written, and where; (None, None) if there is none.

    This is the one definition of an action's status; day None means "as the plan is
    written now". The plan format says `status` is the action's current status and each
    update gives "the status at that date", so:

    1. If no update dated after day gives a status (always so when day is None), the plan
       has not moved on since day: the action's own `status` is in force, else the status
       of the latest update (the last one written) dated on or before day.
    2. If an update dated after day gives a status, `status` describes a later time: the
       status in force is the latest update's dated on or before day, or none if no
       update before then gave one.

    An update counts as dated on or before day from the first day its date covers, so an
    update dated 2013-09 is in force from 1 September 2013. With day None every update
    counts, even one whose date cannot be read.
    """
    given = [u for u in action.updates if u.status]
    if day is None:
        known, later = given, False
    else:
        known = [u for u in given if u.date.value and u.date.value.first <= day]
        later = any(u.date.value and u.date.value.first > day for u in given)
    if action.status and not later:
        return action.status, action.status_location
    if known:
        return known[-1].status, known[-1].status_location
    return None, None


def status_at(plan: Plan, action: Action, day: date | None = None) -> StatusLevel | None:
    """The status level in force on day (None: as written now); see status_written."""
    key, _where = status_written(action, day)
    return plan.status_scheme.get(key)


def done_at(plan: Plan, action: Action, day: date | None = None) -> bool:
    """Whether the action is done on day (None: as written now): the one definition.

    An action with a status written anywhere (its own or an update's) is done when the
    status in force on day is a done level of the plan's scheme (none in force, or a key
    the scheme lacks, is not done). An action with no status at all is done when it has
    milestones and every one is marked done.
    """
    return _done(action, status_at(plan, action, day))


def _done(action: Action, level: StatusLevel | None) -> bool:
    """Whether the action is done with this status level in force (see done_at)."""
    if level is not None:
        return level.done
    if action.status or any(u.status for u in action.updates):
        return False
    return bool(action.milestones) and all(m.done for m in action.milestones)


@dataclass(frozen=True)
class Standing:
    """One action's position as at a date."""

    action: Action
    status: StatusLevel | None
    done: bool
    due: DateField | None
    overdue: bool
    due_soon: bool
    revisions: int
    slipped_days: int
    latest_update: date | None
    latest_update_as_written: str | None
    stale: bool
    review_overdue: bool

    @property
    def inconsistent(self) -> bool:
        """Overdue but still marked on track."""
        return self.overdue and bool(self.status and self.status.on_track)


def stand(plan: Plan, action: Action, day: date, soon: date | None = None) -> Standing:
    """Where action stands on day; due soon means due on or before soon (default 30 days).

    A date given as a month, quarter or year is due soon once the month it ends in is
    that near, and overdue only after its last day: "due January 2020" is due soon on 31
    December 2019.
    """
    soon = soon or day + timedelta(days=30)
    level = status_at(plan, action, day)
    done = _done(action, level)
    due = action.current_due()
    last = due.value.last if due and due.value else None
    # from the first day of the month it ends in: "January 2020" from 1 January, a quarter
    # or year from its last month's first day
    first = max(due.value.first, last.replace(day=1)) if due and due.value and last else None
    dated = sorted(updates_to(action, day), key=lambda u: u.date.value.last)
    latest = dated[-1].date.value.last if dated else None
    cutoff = day - timedelta(days=plan.stale_after_days)
    review = action.current_review()
    return Standing(
        action=action,
        status=level,
        done=done,
        due=due,
        overdue=not done and last is not None and last < day,
        due_soon=not done
        and last is not None
        and first is not None
        and day <= last
        and first <= soon,
        revisions=len(action.revisions),
        slipped_days=_slip(action),
        latest_update=latest,
        latest_update_as_written=dated[-1].date.text if dated else None,
        stale=not done and _waiting_since(plan, action, latest) < cutoff,
        review_overdue=(
            not done
            and bool(due and due.ongoing and review and review.value)
            and review.value.last < day
        ),
    )


NOT_YET = StatusLevel("", "")  # a reporting period not over at the as-at date, not rated yet


def completed_on(plan: Plan, action: Action, day: date) -> PlanDate | None:
    """When a done action was completed: its `completed` date, else the update that made it done.

    The update is the first of the last run of dated updates (to day) whose status is a
    done level; None when neither says.
    """
    if action.completed and action.completed.value:
        return action.completed.value
    since = None
    for update in sorted(_rated(action, day), key=lambda u: u.date.value.first):
        level = plan.status_scheme.get(update.status)
        since = (since or update.date.value) if level and level.done else None
    return since


def period_ratings(plan: Plan, action: Action, day: date) -> list[StatusLevel | None]:
    """The status rated in each reporting period the plan declares, as at day.

    Periods are in date order (the plan sorts them). A period runs from the day after the
    previous period ends (the first, from the beginning; it has begun on its own first
    day) to its own last day; its rating is the latest update with a status dated
    in it, up to day. An action done by an earlier period's end stays done in later
    periods with no rating. A period over by day with no rating is None ("Not rated"); one
    not over yet with no rating, or one that begins after day, is NOT_YET (left empty).
    """
    rated = sorted(_rated(action, day), key=lambda u: u.date.value.first)
    out: list[StatusLevel | None] = []
    begins = date.min
    done: StatusLevel | None = None
    for period in plan.periods:
        span = period.date.value
        if span is None or (span.first if begins == date.min else begins) > day:
            out.append(NOT_YET)
            continue
        within = [u for u in rated if begins <= u.date.value.first <= span.last]
        level = plan.status_scheme.get(within[-1].status) if within else None
        out.append(level or done or (None if span.last <= day else NOT_YET))
        if level is not None:
            done = level if level.done else None
        begins = span.last + timedelta(days=1)
    return out


def _rated(action: Action, day: date) -> list[Update]:
    """The action's updates with a status and a readable date on or before day."""
    return [u for u in updates_to(action, day) if u.status]


def _waiting_since(plan: Plan, action: Action, latest: date | None) -> date:
    """Since when an action has waited for an update: its latest, else its start.

    With no update, the action's addition or start, else the plan's first date, so that an
    as-at date before the plan began finds nothing stale; with none of those, always.
    """
    if latest:
        return latest
    for when in (action.added, action.start):
        if when and when.value:
            return when.value.first
    return plan.started or date.min


def _slip(action: Action) -> int:
    """Days between the original due date and the one in force (0 if not revised)."""
    first, now = action.due, action.current_due()
    if not action.revisions or not (first and first.value and now and now.value):
        return 0
    return max(0, (now.value.last - first.value.last).days)


def withdrawn_by(action: Action, day: date) -> bool:
    """Whether the action had been withdrawn (removed or merged) by day."""
    gone = action.withdrawn
    return bool(gone and gone.date.value and gone.date.value.first <= day)


def current(plan: Plan, day: date) -> list[Action]:
    """The actions in the plan on day: already added, not yet withdrawn."""
    return [a for a in plan.actions if not withdrawn_by(a, day) and not _added_after(a, day)]


def _added_after(action: Action, day: date) -> bool:
    """Whether the action was added to the plan after day."""
    added = action.added
    return bool(added and added.value and added.value.first > day)


def assess(plan: Plan, day: date, soon: date | None = None) -> list[Standing]:
    """The standing on day of every action still in the plan, in plan order."""
    return [stand(plan, action, day, soon) for action in current(plan, day)]


@dataclass
class Changes:
    """What changed in a plan between two dates (after since, up to and including until)."""

    since: date
    until: date
    new: list[Action]
    completed: list[Action]
    status_changes: list[tuple[Action, StatusLevel, StatusLevel]]
    revisions: list[tuple[Action, Revision]]
    withdrawn: list[Action]
    # Progress reported in the period by an action whose status did not change: the latest
    # such update of each (a completion or a status change already says what happened).
    progress: list[tuple[Action, Update]] = field(default_factory=list)

    def __bool__(self) -> bool:
        """True if anything changed."""
        return bool(
            self.new
            or self.completed
            or self.status_changes
            or self.revisions
            or self.withdrawn
            or self.progress
        )


def changes_between(plan: Plan, since: date, until: date) -> Changes:
    """The plan's changes between two dates, from its own dated history."""

    def within(when: DateField | None) -> bool:
        return bool(when and when.value and since < when.value.first <= until)

    new, completed, moved, revised, gone, progress = [], [], [], [], [], []
    for action in plan.actions:
        if action.withdrawn and within(action.withdrawn.date):
            gone.append(action)
            continue
        if withdrawn_by(action, until):
            continue
        if within(action.added):
            new.append(action)
            continue
        if done_at(plan, action, until) and not done_at(plan, action, since):
            completed.append(action)
        before, after = status_at(plan, action, since), status_at(plan, action, until)
        changed = bool(before and after and before.key != after.key)
        if changed and not after.done:
            moved.append((action, before, after))
        revised += [(action, r) for r in action.revisions if within(r.agreed)]
        reported = [u for u in action.updates if u.text and within(u.date)]
        if reported and not changed and action not in completed:
            progress.append((action, reported[-1]))
    return Changes(since, until, new, completed, moved, revised, gone, progress)
