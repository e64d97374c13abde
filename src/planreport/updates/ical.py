"""An iCalendar file per lead (for Outlook and every other calendar): their actions' dates.

Each date is an all-day event: an action's due date (the last day of a month or quarter
when the plan gives no day), its next review date, and the day the lead's update form is
to be returned. Each event's UID is made from the plan, the action and the kind of date,
so importing a newer file moves the event rather than adding a second one. Text is
escaped by the icalendar library.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from planreport.plan import richtext
from planreport.plan.dates import day_words
from planreport.plan.model import Plan
from planreport.plan.standing import Standing
from planreport.updates.messages import capital, one_line

PRODID = "-//planreport//update round//EN"
UID_DOMAIN = "planreport.invalid"


@dataclass(frozen=True)
class Dated:
    """One event: its stable key, day, title and what it says."""

    key: str
    day: date
    summary: str
    description: str


def action_dates(plan: Plan, found: Standing) -> list[Dated]:
    """An open action's due date in force and its next review date, as events."""
    action = found.action
    title = one_line(plan.title or plan.id, 500)
    what = f"{capital(action.name)} ({plan.id})"
    text = one_line(richtext.parse(action.text).plain(), 1000) if action.text else ""
    events = []
    due = found.due
    if due is not None and due.value is not None:
        events.append(
            Dated(
                f"{plan.id}/{action.key}/due",
                due.value.last,
                f"Due: {what}",
                f"{title}: due {due.value.words()}. {text}",
            )
        )
    review = action.current_review()
    if review is not None and review.value is not None:
        events.append(
            Dated(
                f"{plan.id}/{action.key}/review",
                review.value.last,
                f"Review due: {what}",
                f"{title}: due for review {review.value.words()}. {text}",
            )
        )
    return events


def return_date(round_name: str, title: str, day: date) -> Dated:
    """The day a lead's update form is to be returned, as an event."""
    return Dated(
        f"round/{round_name}/return",
        day,
        f"Return your update form ({round_name})",
        f"Send your filled-in update form on {one_line(title)} back by {day_words(day)}.",
    )


def calendar(lead_name: str, events: list[Dated], stamp: date) -> bytes:
    """The lead's calendar: each event all-day, with a stable UID."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Action plan dates: {one_line(lead_name, 120)}")
    for dated in sorted(events, key=lambda d: (d.day, d.key)):
        event = Event()
        event.add("uid", _uid(dated.key))
        event.add("dtstamp", datetime(stamp.year, stamp.month, stamp.day, tzinfo=UTC))
        event.add("dtstart", dated.day)
        event.add("dtend", dated.day + timedelta(days=1))
        event.add("summary", dated.summary)
        event.add("description", dated.description)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


def _uid(key: str) -> str:
    """A UID that is the same for the same plan, action and kind of date, every time."""
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"
