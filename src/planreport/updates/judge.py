"""Judging each answer against its action as the plan holds it now, and the plan's rules.

An answer is refused if its action changed, was withdrawn or re-numbered since the form
was made, is answered differently on two forms, or if the answer breaks a rule: a status
of the plan's scheme, readable dates, a reason with every new date, a done status with a
completion date. An answer that passes becomes an Intent: what it adds to its action.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planreport.plan import dates
from planreport.plan.dates import day_words
from planreport.plan.model import DateField, Plan, StatusLevel
from planreport.updates import form as forms
from planreport.updates.answers import Answer, ApplyResult, Finding, cell_text
from planreport.updates.form import HiddenRow, Located
from planreport.updates.request import shown
from planreport.updates.yaml_edit import clean_text

MAX_TEXT = 20_000  # the plan schema's longest text
_UK_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_IN_WORDS = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(\d{4})")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9


@dataclass
class Intent:
    """What an answer adds to its action, checked and ready to write."""

    update: dict[str, str] | None = None
    status: str | None = None  # the action's own status, where it has one and it changes
    revision: dict[str, str] | None = None
    completed: str | None = None
    changes: list[str] = field(default_factory=list)


def judge(
    answer: Answer, plan: Plan, located: dict[str, Located], day: date, result: ApplyResult
) -> Intent | None:
    """The answer's intent if it can be applied; otherwise a finding saying why not."""
    item = located.get(answer.row.key)
    if item is None:
        result.findings.append(Finding(answer.label, _missing(answer, located)))
        return None
    leads = [lead.person for lead in item.action.leads]
    if answer.lead not in leads:
        result.findings.append(
            Finding(
                answer.label,
                f"not applied: this form was made for '{answer.lead}', who is not a lead of "
                f"this action (its leads: {', '.join(leads) or 'none'}). Only the form of one "
                "of its leads can answer for it.",
            )
        )
        return None
    if item.action.withdrawn is not None:
        gone = item.action.withdrawn
        when = gone.date.value.words() if gone.date and gone.date.value else "recently"
        result.findings.append(
            Finding(
                answer.label,
                f"this action was withdrawn from the plan ({when}) after the form was made, so "
                "the answer was not applied.",
            )
        )
        return None
    problems, intent = _intent(answer, plan, item, day)
    if forms.fingerprint(item.raw) != answer.row.fingerprint:
        if not problems and _already(item.raw, answer.row, intent):
            result.findings.append(Finding(answer.label, "already applied; nothing added.", "note"))
            result.noted += 1
        else:
            result.findings.append(
                Finding(
                    answer.label,
                    f"this action has changed in the plan since the form was made on "
                    f"{day_words(answer.made)}, so the answer was not applied (nothing was "
                    "overwritten). Compare the answer with the plan and copy in what is still "
                    "true, or send a new form.",
                )
            )
        return None
    problems += _moved(item, intent)
    if problems:
        result.findings += [Finding(answer.label, p) for p in problems]
        return None
    return intent


def _moved(item: Located, intent: Intent) -> list[str]:
    """A problem if a new due date is the one already in force."""
    current = item.action.current_due()
    if intent.revision is None or current is None or current.value is None:
        return []
    new = dates.parse(intent.revision["due"])
    return [f"New due date: {new.words()} is already the due date."] * (
        new.last == current.value.last
    )


def _missing(answer: Answer, located: dict[str, Located]) -> str:
    """Why an answer's action cannot be found: re-numbered (and where to), or removed."""
    for item in located.values():
        if forms.fingerprint({**item.raw, "ref": answer.row.ref}) == answer.row.fingerprint:
            return (
                f"this action has been re-numbered since the form was made; it is now "
                f"{item.action.name}. The answer was not applied: copy it in by hand, or send "
                "a new form."
            )
    return (
        "this action is no longer in the plan (it was re-numbered or removed after the form "
        "was made), so the answer was not applied."
    )


def one_per_action(
    ready: dict[str, list[tuple[Answer, Located, Intent]]], result: ApplyResult
) -> list[tuple[Answer, Located, Intent]]:
    """One answer per action; an action answered differently on two forms gets neither."""
    chosen = []
    for group in ready.values():
        distinct = {(a.form_id, a.values) for a, _item, _intent in group}
        if len(distinct) == 1:
            chosen.append(group[0])
            for answer, _item, _intent in group[1:]:
                result.noted += 1
                result.findings.append(
                    Finding(
                        answer.label,
                        "the same answer is on another copy of this form; it was applied once.",
                        "note",
                    )
                )
            continue
        for answer, _item, _intent in group:
            others = ", ".join(f"{a.form}: {a.where}" for a, _i, _t in group if a is not answer)
            result.findings.append(
                Finding(
                    answer.label,
                    f"this action is also answered on {others}; neither answer was applied. "
                    "Apply the form whose answer should stand on its own, then copy anything "
                    "else in by hand.",
                )
            )
    return chosen


def _intent(answer: Answer, plan: Plan, item: Located, day: date) -> tuple[list[str], Intent]:
    """What the answer would add, and every problem that stops it being applied."""
    problems: list[str] = []
    intent = Intent()
    status_text = cell_text(answer.get("status"))
    text = clean_text(cell_text(answer.get("update")))
    reason = clean_text(cell_text(answer.get("reason")))
    level = _level(plan, status_text) if status_text else None
    if status_text and level is None:
        choices = "; ".join(shown(lv) for lv in plan.status_scheme.levels)
        problems.append(
            f"New status: '{status_text}' is not a status of this plan{_invisible(status_text)}. "
            f"Choose one of: {choices}."
        )
    new_due = _date(answer.get("new_due"), "New due date", problems)
    completed = _date(answer.get("completed"), "Date completed", problems)
    if len(text) > MAX_TEXT or len(reason) > MAX_TEXT:
        problems.append(f"the text is over {MAX_TEXT:,} characters; shorten it.")
    if new_due is not None and not reason:
        problems.append(
            "New due date: a new due date needs a reason. Give it under 'Reason for the new date'."
        )
    if reason and new_due is None and not cell_text(answer.get("new_due")):
        problems.append(
            "Reason for the new date: a reason is given but no new due date. Give the new date, "
            "or put the reason in the progress update."
        )
    if completed is not None:
        level = _done_level(plan, level, status_text, problems)
        finished = dates.parse(completed)
        if finished.first > day:
            problems.append(
                f"Date completed: {finished.words()} is after {day_words(day)}, the date of this "
                "update; a completion date cannot be in the future."
            )
        if new_due is not None:
            problems.append(
                "New due date: a completed action needs no new due date; leave it empty."
            )
    if problems:
        return problems, intent
    _fill(intent, plan, item, day, level, text, new_due, reason, completed)
    return [], intent


def _fill(
    intent: Intent,
    plan: Plan,
    item: Located,
    day: date,
    level: StatusLevel | None,
    text: str,
    new_due: str | None,
    reason: str,
    completed: str | None,
) -> None:
    """Set what the answer adds, and describe each change in words."""
    from planreport.plan import standing

    stamp = day.isoformat()
    if text or level:
        intent.update = {"date": stamp}
        if text:
            intent.update["text"] = text
        if level:
            intent.update["status"] = level.key
        before = standing.status_at(plan, item.action)
        what = f"update added ({day_words(day)})"
        if level and before and before.key != level.key:
            what += f", status {before.label} to {level.label}"
        elif level:
            what += f", status {level.label}"
        intent.changes.append(what)
        own = item.raw.get("status")
        if level and own is not None and own != level.key:
            intent.status = level.key
    if new_due is not None:
        intent.revision = {"due": new_due, "reason": reason, "agreed": stamp}
        old = item.action.current_due()
        was = "no date" if old is None else _words(old)
        flat = " ".join(reason.split())
        intent.changes.append(
            f'due date moved from {was} to {dates.parse(new_due).words()}, reason "{flat}"'
        )
    if completed is not None:
        intent.completed = completed
        intent.changes.append(f"completed {dates.parse(completed).words()}")


def _invisible(text: str) -> str:
    """A note naming the invisible characters in text ('U+200B'), or nothing if it has none."""
    hidden = [
        f"U+{ord(c):04X}"
        for c in dict.fromkeys(text)
        if unicodedata.category(c) in ("Cf", "Cc", "Co", "Cn", "Zl", "Zp")
        or (unicodedata.category(c) == "Zs" and c != " ")
    ]
    if not hidden:
        return ""
    return (
        f" (it holds {'an invisible character' if len(hidden) == 1 else 'invisible characters'}"
        f", {', '.join(hidden)}, that look like nothing; type it again or choose from the list)"
    )


def _words(when: DateField) -> str:
    """A date in words, as the change lines give it ('Ongoing' for an ongoing action)."""
    if when.ongoing:
        return "Ongoing"
    return when.value.words() if when.value else when.text


def _level(plan: Plan, wanted: str) -> StatusLevel | None:
    """The status a form's answer names: by key, label or as forms show it, in any case."""
    wanted = " ".join(wanted.split()).casefold()
    for level in plan.status_scheme.levels:
        if wanted in (level.key.casefold(), level.label.casefold(), shown(level).casefold()):
            return level
    return None


def _done_level(
    plan: Plan, level: StatusLevel | None, given: str, problems: list[str]
) -> StatusLevel | None:
    """The done status a completion date goes with; a problem if the answer gives another."""
    done = [lv for lv in plan.status_scheme.levels if lv.done]
    if (level is not None and level.done) or (level is None and given):
        return level  # a done status, or an unknown one (already reported)
    if level is None and not given and len(done) == 1:
        return done[0]
    names = " or ".join(shown(lv) for lv in done) or "none in this plan's scheme"
    problems.append(
        f"Date completed: a completion date needs the status that means complete ({names})"
        + (f"; the status given is {shown(level)}." if level else ".")
    )
    return level


def _date(value: Any, what: str, problems: list[str]) -> str | None:
    """An answer's date as a plan date ('2027-03'), or None after noting why it cannot be."""
    text = answer_date(value)
    if not text:
        return None
    try:
        dates.parse(text)
    except dates.DateError as exc:
        problems.append(f"{what}: {exc.message}")
        return None
    return text


def answer_date(value: Any) -> str:
    """A date as typed on a form, as a plan writes it: 31/03/2027 and 'March 2027' too."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = " ".join(cell_text(value).split())
    if match := _UK_DAY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        return f"{year}-{month:02d}-{day:02d}"
    if (match := _IN_WORDS.fullmatch(text)) and match.group(2).lower() in _MONTHS:
        month = _MONTHS[match.group(2).lower()]
        day_of = f"-{int(match.group(1)):02d}" if match.group(1) else ""
        return f"{match.group(3)}-{month:02d}{day_of}"
    return text


def _already(raw: dict[str, Any], row: HiddenRow, intent: Intent) -> bool:
    """Whether everything the answer adds is already in the action, added since the form."""
    if not (intent.update or intent.revision or intent.completed):
        return False
    added = raw.get("updates", [])[row.updates :]
    revised = raw.get("revisions", [])[row.revisions :]
    if intent.update and not any(
        _same(u.get("text"), intent.update.get("text"))
        and u.get("status") == intent.update.get("status")
        for u in added
    ):
        return False
    if intent.revision and not any(
        r.get("due") == intent.revision["due"] and _same(r.get("reason"), intent.revision["reason"])
        for r in revised
    ):
        return False
    return not intent.completed or raw.get("completed") == intent.completed


def _same(one: str | None, other: str | None) -> bool:
    """Whether two texts are the same, however their lines were wrapped."""
    return " ".join((one or "").split()) == " ".join((other or "").split())
