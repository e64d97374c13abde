"""`planreport remind`: the leads whose form is outstanding, or whose actions fall due.

Without --before: each lead in the round (the latest, or the one named) whose form has not
come back is sent it again with the return date; one already reminded today is not.
With --before N: each lead is sent the actions they lead that are overdue, due, or due
for review in the next N days (as `planreport status` finds them), with a calendar file
of all their actions' dates; every lead's calendar is also written to build/calendars/.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from planreport import output
from planreport.commands import check
from planreport.files import FileRefused
from planreport.plan import config, standing
from planreport.plan.dates import day_words
from planreport.plan.model import Person, Plan
from planreport.problems import Location, Problem, Severity, nearest
from planreport.project import Project, UsageError, display
from planreport.updates import delivery, ical, rounds, send
from planreport.updates.delivery import Outcome
from planreport.updates.messages import Attachment, Letter, capital, one_line

CALENDARS = Path("build") / "calendars"


@dataclass
class RemindResult:
    """Who was reminded, who was not and why, and the calendars written."""

    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    calendars: list[Path] = field(default_factory=list)
    recorded: list[rounds.Round] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """Whether anyone due a reminder was not sent one."""
        errors = [p for p in self.problems if p.severity == Severity.ERROR]
        return bool(errors) or any(not o.ok for o in self.outcomes)


def chosen_round(project: Project, name: str | None) -> rounds.Round:
    """The round named (by its file's name), or the latest; UsageError if there is none."""
    return chosen_rounds(project, name)[-1]


def chosen_rounds(project: Project, name: str | None) -> list[rounds.Round]:
    """The round named, or those made on the latest day; UsageError if there is none."""
    found = rounds.every(project)
    if not found:
        raise UsageError(
            "there is no update round yet (rounds/ is empty). Make the forms first: "
            "planreport request --send."
        )
    if name is None:
        return [r for r in found if r.made == found[-1].made]
    named = {r.path.stem: r for r in found}
    if name not in named:
        raise UsageError(f"there is no round '{name}' in rounds/.{nearest(name, named)}")
    return [named[name]]


def outstanding(project: Project, name: str | None, today: date, dry_run: bool) -> RemindResult:
    """Send each lead whose form is outstanding their form again, with the return date."""
    settings = send.settings_of(project)
    result = RemindResult()
    people = _people(project)
    for round_ in chosen_rounds(project, name):
        result.recorded.append(round_)
        _chase_round(project, settings, round_, people, today, dry_run, result)
    return result


def _chase_round(
    project: Project,
    settings: config.Config,
    round_: rounds.Round,
    people: dict[str, Person],
    today: date,
    dry_run: bool,
    result: RemindResult,
) -> None:
    """Remind each lead of one round whose form has not come back (not twice in a day)."""
    where = delivery.delivery(project, settings, dry_run, f"reminders-{round_.path.stem}")
    letters = []
    stamp = rounds.now()[:10]  # the day the record says reminders went: the real one
    for entry in (e for e in round_.forms if e.outstanding):
        person = people.get(entry.lead)
        if any(when.startswith(stamp) for when in entry.reminded):
            result.skipped.append(f"{entry.lead} was reminded today already; not reminded again")
        elif person is None or not person.email:
            where_ = person.location if person else None
            name = entry.name or entry.lead
            result.problems.append(delivery.no_email(entry.lead, where_, name, "their reminder"))
        else:
            try:
                letter = _chase(project, settings, round_, entry, person.email, today)
            except FileRefused as exc:
                result.problems.append(_unreadable(round_, entry, exc))
                continue
            letters.append((entry.lead, letter))

    def sent(outcome: Outcome) -> None:
        entry = round_.entry(outcome.lead)
        if entry is not None and not dry_run:
            entry.reminded.append(rounds.now())
            rounds.save(round_)

    result.outcomes += delivery.deliver(where, letters, sent)


def _unreadable(round_: rounds.Round, entry: rounds.Entry, exc: FileRefused) -> Problem:
    """The problem for a form that cannot be attached to its reminder, and what to do."""
    return Problem(
        Location(entry.file),
        Severity.ERROR,
        exc.rule,
        f"the form made for {entry.lead} cannot be read ({exc.message}), so no reminder was "
        f"sent. Make it again with planreport request --lead {entry.lead} --date "
        f"{round_.made.isoformat()} (the same round), then run planreport remind again.",
    )


def _chase(
    project: Project,
    settings: config.Config,
    round_: rounds.Round,
    entry: rounds.Entry,
    email: str,
    today: date,
) -> Letter:
    """The reminder to a lead whose form has not come back: the form again, and its date."""
    title = round_.title or round_.name
    by = round_.return_by
    late = by is not None and by < today
    when = (
        f" It was due back on {day_words(by)}."
        if late
        else f" Please send it back by {day_words(by)}."
        if by
        else ""
    )
    name = entry.name or entry.lead
    subject = f"Reminder: your update form{f' due {day_words(by)}' if by else ''}: {title}"
    letter = Letter(name, email, subject)
    letter.say(
        f"Dear {name},",
        f"Your update form on {title} has not come back yet.{when} It is attached again.",
        "Fill in the shaded answer cells for each action, save the form under the same name "
        "and reply to this email with it attached. If you have sent it in the last day or "
        "two, thank you: please ignore this reminder.",
        f"Thank you.\n{send.sender(settings)}",
    )
    path = project.root / entry.file
    data = project.read_bytes(path)
    kind = send.OFFICE_TYPES.get(path.suffix, ("application", "octet-stream"))
    letter.attachments.append(Attachment(path.name, data, *kind))
    return letter


def _people(project: Project) -> dict[str, Person]:
    """Everyone in the project's people registries, as they are now."""
    from planreport.plan import loading

    people: dict[str, Person] = {}
    for source in project.plan_sources().values():
        people |= loading.people_for(project, source)[1].value or {}
    return people


def dates(project: Project, before: int, today: date, dry_run: bool) -> RemindResult:
    """Email each lead their actions overdue or due in the next days; write every calendar."""
    settings = send.settings_of(project)
    where = delivery.delivery(project, settings, dry_run, "dates")
    where.folder = where.folder / today.isoformat()
    checked = check.check(project, [project.plans_dir], today, plans_only=True)
    result = RemindResult()
    result.problems = [p for p in checked.problems if p.severity == Severity.ERROR]
    if result.problems:
        return result
    soon = today + timedelta(days=before)
    due, events = _by_lead(checked.plans, today, soon)
    for lead, dated in _return_dates(project).items():
        events.setdefault(lead, []).extend(dated)
    calendars = {}
    for lead, dated in sorted(events.items()):
        person = checked.people.get(lead)
        target = project.root / CALENDARS / f"{lead}.ics"
        rounds.refuse_outside(project.root, target)
        calendars[lead] = ical.calendar(person.display() if person else lead, dated, today)
        output.write_atomic(target, calendars[lead])
        result.calendars.append(target)
    letters = []
    for lead, lines in sorted(due.items()):
        person = checked.people.get(lead)
        name = person.display() if person else lead
        if person is None or not person.email:
            where_ = person.location if person else None
            result.problems.append(delivery.no_email(lead, where_, name, "their reminder of dates"))
            continue
        letter = _dates_letter(settings, name, person.email, lines, today, soon)
        calendar = calendars[lead]  # the lead has a line, so an action with a date
        letter.attachments.append(Attachment("action-dates.ics", calendar, "text", "calendar"))
        letters.append((lead, letter))
    result.outcomes = delivery.deliver(where, letters, lambda _outcome: None)
    return result


def _return_dates(project: Project) -> dict[str, list[ical.Dated]]:
    """For each lead with a form outstanding in a round with a return date: that date."""
    found: dict[str, list[ical.Dated]] = {}
    for round_ in rounds.every(project):
        if round_.return_by is None:
            continue
        for entry in round_.forms:
            if entry.outstanding:
                event = ical.return_date(
                    round_.path.stem, round_.title or round_.name, round_.return_by
                )
                found.setdefault(entry.lead, []).append(event)
    return found


def _by_lead(
    plans: list[Plan], today: date, soon: date
) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[ical.Dated]]]:
    """For each lead: the lines to remind them of, and every event of their calendar."""
    due: dict[str, list[tuple[str, str]]] = {}
    events: dict[str, list[ical.Dated]] = {}
    for plan in plans:
        for found in standing.assess(plan, today, soon):
            if found.done:
                continue
            line = _reason(plan, found, today, soon)
            dated = ical.action_dates(plan, found)
            for lead in dict.fromkeys(x.person for x in found.action.leads):
                if line:
                    due.setdefault(lead, []).append((plan.title or plan.id, line))
                if dated:
                    events.setdefault(lead, []).extend(dated)
    return due, events


def _reason(plan: Plan, found: standing.Standing, today: date, soon: date) -> str | None:
    """Why an action is in a lead's reminder (overdue, due, review due), or None."""
    action = found.action
    what = capital(action.name)
    due = found.due.value if found.due is not None else None
    if found.overdue and due is not None:
        return f"{what}: overdue, was due {due.words()}"
    if found.due_soon and due is not None:
        return f"{what}: due {due.words()}"
    review = action.current_review()
    if found.review_overdue and review is not None and review.value is not None:
        return f"{what}: review overdue, was due {review.value.words()}"
    if review is not None and review.value is not None and today <= review.value.last <= soon:
        return f"{what}: due for review {review.value.words()}"
    return None


def _dates_letter(
    settings: config.Config,
    name: str,
    email: str,
    lines: list[tuple[str, str]],
    today: date,
    soon: date,
) -> Letter:
    """The reminder of a lead's actions overdue or due by soon."""
    count = len(lines)
    letter = Letter(
        name,
        email,
        f"{count} action{'s' * (count != 1)} you lead overdue or due by {day_words(soon)}",
    )
    letter.say(
        f"Dear {name},",
        f"As at {day_words(today)}, these actions you lead are overdue, or due (or due for "
        f"review) by {day_words(soon)}:",
    )
    for title in dict.fromkeys(title for title, _line in lines):
        letter.say(f"{one_line(title)}:")
        letter.points([line for plan, line in lines if plan == title])
    letter.say(
        "If an action's date will move, or it is complete, tell the plan's owner by replying "
        "to this email; your next update form will ask for it too.",
        "The attached calendar file (action-dates.ics) puts the due and review dates of all "
        "your actions in Outlook or any other calendar as all-day events: open it and "
        "accept. Opening a newer one updates the same events.",
        f"Thank you.\n{send.sender(settings)}",
    )
    return letter


def summary(result: RemindResult, dry_run: bool) -> list[str]:
    """What remind did: each calendar written, each letter, then the counts."""
    lines = [f"wrote {display(path)}" for path in result.calendars]
    lines += result.skipped
    lines += [delivery.outcome_line(outcome) for outcome in result.outcomes]
    went = sum(o.ok for o in result.outcomes)
    due = len(result.outcomes) + sum(p.rule == "no-email" for p in result.problems)
    verb = "Wrote" if dry_run else "Sent"
    lines.append(f"{verb} {went} of {due} reminder{'s' * (due != 1)}.")
    if result.recorded:
        recorded = send.recorded_in(result.recorded)
        lines.append(f"{recorded[0].upper()}{recorded[1:]}.")
    if dry_run:
        lines.append("This was a dry run: nothing was emailed.")
    return lines
