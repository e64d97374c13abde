"""`planreport apply`: returned forms' answers written into the plans, or refused with a reason.

The stages, in order: read each form (its reader, then its hidden data); check each
answer against the action as the plan holds it now (changed, withdrawn or re-numbered
since the form was made, or already applied) and against the plan's rules (a status of
its scheme, readable dates, a reason with every new date, a done status with a completion
date); refuse actions answered on two forms; compute each file's new text with
`yaml_edit`; check the edited plan in memory; and only then write each file atomically.
A plan whose edit cannot be made or checked cleanly is left exactly as it was.
"""

from __future__ import annotations

import calendar
import contextlib
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planreport import files, output
from planreport.commands import check
from planreport.commands.check import CheckResult
from planreport.files import FileRefused
from planreport.plan import dates, loader, loading, model, rules, validate
from planreport.plan.dates import day_words
from planreport.plan.model import DateField, Plan, StatusLevel
from planreport.problems import Problem, Problems
from planreport.project import PlanSource, Project, display
from planreport.updates import form as forms
from planreport.updates import formats
from planreport.updates.form import FormRefused, Hidden, HiddenRow, Located, RawRow
from planreport.updates.request import shown
from planreport.updates.yaml_edit import EditError, Editor, clean_text

MAX_TEXT = 20_000  # the plan schema's longest text
# The order of an action's keys in the plan format; a new key goes after the latest
# key before it in this order that the action has.
KEY_ORDER = (
    "ref", "text", "addresses", "theme", "leads", "outputs", "outcome", "impact", "measures",
    "evidence", "timescale", "start", "due", "review", "revisions", "milestones", "updates",
    "status", "completed", "added", "withdrawn", "custom",
)  # fmt: skip
_UK_DAY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_IN_WORDS = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]+)\.?,?\s+(\d{4})")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9


@dataclass(frozen=True)
class Options:
    """The forms to apply, the date their updates are recorded at, and whether to write."""

    forms: tuple[Path, ...]
    day: date
    dry_run: bool = False


@dataclass(frozen=True)
class Finding:
    """Something about a form or one of its answers: why it was not applied, or a note."""

    where: str
    message: str
    severity: str = "error"  # "error": not applied; "note": nothing to do

    def __str__(self) -> str:
        """One line: 'forms/a.xlsx: row 9 (action 3.2): message'."""
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class Answer:
    """One answered row of a returned form."""

    form: str
    where: str
    form_id: str
    made: date
    lead: str  # whom the form was made for
    row: HiddenRow
    several: bool
    values: tuple[tuple[str, Any], ...]

    @property
    def name(self) -> str:
        """How messages name the action: 'action 3.2' (with its plan on a form of several)."""
        key, ref = self.row.key, self.row.ref
        name = (
            f"recommendation {key.split('/')[0]}, action {ref}" if key != ref else f"action {ref}"
        )
        return f"{self.row.plan} {name}" if self.several else name

    @property
    def label(self) -> str:
        """Where the answer is: 'forms/a.xlsx: row 9 (action 3.2)'."""
        return f"{self.form}: {self.where} ({self.name})"

    def get(self, field_: str) -> Any:
        """The raw value of one answer field."""
        return dict(self.values).get(field_)


@dataclass
class Intent:
    """What an answer adds to its action, checked and ready to write."""

    update: dict[str, str] | None = None
    status: str | None = None  # the action's own status, where it has one and it changes
    revision: dict[str, str] | None = None
    completed: str | None = None
    changes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Change:
    """One change made (or, in a dry run, to be made) to one action."""

    plan: str
    action: str
    file: Path
    what: str
    form: str = ""  # the form the answer came from, as messages name it

    def __str__(self) -> str:
        """'forms/a.xlsx: stockton-ofsted-2013: recommendation 1, action 7: update added'."""
        where = f"{self.form}: " if self.form else ""
        return f"{where}{self.plan}: {self.action}: {self.what}"


@dataclass
class ApplyResult:
    """Everything apply found and did."""

    findings: list[Finding] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    edits: dict[Path, tuple[str, str]] = field(default_factory=dict)  # file: (before, after)
    plan_errors: list[Problem] = field(default_factory=list)
    forms: int = 0
    refused: int = 0  # forms refused as a whole
    answers: int = 0  # answered rows
    applied: int = 0
    noted: int = 0  # answers already applied, or repeated on a copy of their form
    written: bool = False
    check: CheckResult | None = None
    write_failed: output.WriteFailed | None = None  # a full disk, say: the rest not written

    @property
    def failed(self) -> bool:
        """Whether any form or answer was refused, a file not written, or the plans have errors."""
        errors = self.check.count("error") if self.check else 0
        refused = any(f.severity == "error" for f in self.findings)
        return errors > 0 or refused or self.write_failed is not None


@dataclass
class Checked:
    """A plan as its edited files would be, checked in memory with check's own stages."""

    plan: Plan | None
    problems: list[Problem]
    files: tuple[Path, ...]

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the edit being written."""
        return [p for p in self.problems if p.severity.value == "error"]


@dataclass
class Pending:
    """One plan's checked edits, ready to write: its answers, files and changes."""

    source: PlanSource
    answers: list[Answer]
    edits: dict[Path, tuple[str, str]]  # file: (before, after)
    changes: list[Change]
    checked: Checked


LOCKS = Path("build")  # inside the project: one lock file per plan being applied


def apply(project: Project, options: Options) -> ApplyResult:
    """Apply every answer that checks; write each changed plan file atomically."""
    result = ApplyResult()
    answers = read_forms(options.forms, result)
    by_plan: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_plan[answer.row.plan].append(answer)
    locks = (
        contextlib.nullcontext()
        if options.dry_run or not by_plan
        else output.exclusive(project.root / LOCKS, list(by_plan))
    )
    try:
        if not options.dry_run:
            _recover(project, result)
        with locks:
            _apply_all(project, options, by_plan, result)
    except output.WriteFailed as exc:  # the plans not yet written stay as they were
        result.write_failed = exc
    return result


def _recover(project: Project, result: ApplyResult) -> None:
    """Finish any apply killed while writing a plan's files, under that plan's lock."""
    folder = project.root / LOCKS
    journals = folder.glob("*.apply-*.journal*") if folder.is_dir() else ()  # or temporaries
    names = {path.name.lstrip(".").removeprefix("apply-").partition(".")[0] for path in journals}
    for name in sorted(names):
        with output.exclusive(folder, [name]):
            done = output.recover(folder / f".apply-{name}.journal", project.root)
            if done:
                result.findings.append(
                    Finding(
                        ", ".join(display(path) for path in done),
                        "an earlier apply was stopped while writing this plan; its changes "
                        "have now been written in full.",
                        "note",
                    )
                )


def _apply_all(
    project: Project, options: Options, by_plan: dict[str, list[Answer]], result: ApplyResult
) -> None:
    """Check each plan's answers and write its files (under the plans' locks)."""
    checked: list[Checked] = []
    try:
        _apply_plans(project, options, by_plan, result, checked)
    finally:  # the plans written before any write failed are checked all the same
        if result.written:
            result.check = _as_check(checked)


def _apply_plans(
    project: Project,
    options: Options,
    by_plan: dict[str, list[Answer]],
    result: ApplyResult,
    checked: list[Checked],
) -> None:
    """Apply each plan's answers in turn, adding each plan written to checked."""
    sources = project.plan_sources()
    for plan_id, plan_answers in by_plan.items():
        source = sources.get(plan_id)
        for path in source.files if source and not options.dry_run else ():
            output.remove_stale(path)
        if source is None:
            _not_found(project, plan_id, plan_answers, result)
            continue
        pending = _apply_plan(project, source, plan_answers, options.day, result)
        if pending is None:
            continue
        if not options.dry_run:
            if not _unchanged(project, pending, result):
                continue
            journal = project.root / LOCKS / f".apply-{output.lock_name(plan_id)}.journal"
            output.write_all(
                {path: after.encode("utf-8") for path, (_b, after) in pending.edits.items()},
                journal,
            )
            result.written = True
        result.edits.update(pending.edits)
        result.changes += pending.changes
        result.applied += len(pending.answers)
        checked.append(pending.checked)


def _not_found(project: Project, plan_id: str, answers: list[Answer], result: ApplyResult) -> None:
    """Refuse the answers for a plan not in the project: gone, or in a folder left out."""
    result.plan_errors += [p for p in project.refused if p not in result.plan_errors]
    reason = (
        f"plan '{plan_id}' was not found, and planreport left out a folder of plans "
        "(listed above), so this answer was not applied. Fix that, then apply this form again."
        if project.refused
        else f"there is no plan '{plan_id}' in this project any more, so this answer was not "
        "applied. Was the plan renamed?"
    )
    for answer in answers:
        result.findings.append(Finding(answer.label, reason))


def _unchanged(project: Project, pending: Pending, result: ApplyResult) -> bool:
    """Whether the plan's files still hold the bytes read; else each answer is refused."""
    for path, (before, _after) in pending.edits.items():
        try:
            same = project.read_bytes(path) == before.encode("utf-8")
        except FileRefused:
            same = False
        if not same:
            for answer in pending.answers:
                result.findings.append(
                    Finding(
                        answer.label,
                        f"not applied: {display(path)} was changed by another program (or "
                        "another apply) while this one was running, so nothing was written to "
                        f"plan {pending.source.id}. Apply this form again.",
                    )
                )
            return False
    return True


# --- reading forms -----------------------------------------------------------------------


def read_forms(paths: tuple[Path, ...], result: ApplyResult) -> list[Answer]:
    """Every answer on the forms; refused forms and unusable rows become findings."""
    answers: list[Answer] = []
    seen: set[str] = set()
    for path in paths:
        name = display(path)
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        try:
            hidden, rows = read_form(path)
        except FormRefused as exc:
            result.findings.append(Finding(name, f"not applied: {exc}"))
            result.refused += 1
            continue
        result.forms += 1
        answers += _answers(name, hidden, rows, result)
    return answers


def read_form(path: Path) -> tuple[Hidden, list[RawRow]]:
    """A returned form's hidden data and rows; FormRefused saying why it cannot be used."""
    try:
        data = files.read(path, (path.resolve().parent,), forms.MAX_FORM_BYTES)
    except FileRefused as exc:
        if exc.rule == "file-too-large":
            raise FormRefused(
                f"this file is over {forms.MAX_FORM_BYTES // (1024 * 1024)} MiB; no update form "
                "is that large."
            ) from None
        raise FormRefused(exc.message) from None
    kind = formats.FORMATS.get(forms.package_kind(data) or "")
    if kind is None:
        raise FormRefused(formats.refused_kind())
    raw = kind.read(data)
    return forms.decode(raw.hidden), raw.rows


def _answers(name: str, hidden: Hidden, rows: list[RawRow], result: ApplyResult) -> list[Answer]:
    """The answered rows of one form, matched to its hidden data."""
    found = []
    several = len({r.plan for r in hidden.rows}) > 1
    for raw in rows:
        values = tuple((f, raw.values.get(f)) for f in forms.FIELDS)
        if not raw.problems and all(_text(v) == "" for _f, v in values):
            continue
        result.answers += 1
        number = forms.row_number(raw.token, hidden.form)
        if number is None or not 1 <= number <= len(hidden.rows):
            why = (
                "has answers but no hidden reference (was the row added by hand?)"
                if not raw.token
                else "belongs to another form (was it copied in?)"
            )
            result.findings.append(
                Finding(f"{name}: {raw.where}", f"{why}, so it was not applied.")
            )
            continue
        row = hidden.rows[number - 1]
        answer = Answer(
            name, raw.where, hidden.form, hidden.made, hidden.lead, row, several, values
        )
        if raw.problems:
            result.findings += [Finding(answer.label, f"not applied: {p}") for p in raw.problems]
            continue
        found.append(answer)
    return found


# --- one plan ----------------------------------------------------------------------------


def _apply_plan(
    project: Project, source: PlanSource, answers: list[Answer], day: date, result: ApplyResult
) -> Pending | None:
    """Check one plan's answers and compute its edits; None if no file would change."""
    plan = _usable_plan(project, source, answers, day, result)
    chosen = _chosen(project, source, plan, answers, day, result) if plan else []
    editors = _edited(project, chosen, result) if chosen else None
    if not editors:
        return None
    edited = {path: editor.document for path, editor in editors.items()}
    checked = _check_edited(project, source, edited, day)
    if checked.errors:
        for answer, _item, _intent in chosen:
            result.findings.append(
                Finding(
                    answer.label,
                    f"not applied: with the answers, plan {source.id} would not check cleanly "
                    f"({checked.errors[0].message}), so none of them were written.",
                )
            )
        return None
    edits = {path: (editor.original, editor.text_after) for path, editor in editors.items()}
    changes = [
        Change(source.id, item.action.name, item.file, what, answer.form)
        for answer, item, intent in chosen
        for what in intent.changes
    ]
    return Pending(source, [answer for answer, _i, _t in chosen], edits, changes, checked)


def _usable_plan(
    project: Project, source: PlanSource, answers: list[Answer], day: date, result: ApplyResult
) -> Plan | None:
    """The plan as it stands, if it checks without errors; else each answer is refused."""
    loaded = check.check_plan(project, source, day)
    errors = [p for p in loaded.problems if p.severity.value == "error"]
    if not errors and loaded.value is not None:
        return loaded.value
    result.plan_errors += errors
    for answer in answers:
        result.findings.append(
            Finding(
                answer.label,
                f"not applied: plan {source.id} has errors (listed above). Fix them, then "
                "apply this form again.",
            )
        )
    return None


def _chosen(
    project: Project,
    source: PlanSource,
    plan: Plan,
    answers: list[Answer],
    day: date,
    result: ApplyResult,
) -> list[tuple[Answer, Located, Intent]]:
    """The answers that can be applied, each with its action and what it adds."""
    located = {
        item.action.key: item for item in forms.located_actions(project, source, plan.actions)
    }
    ready: dict[str, list[tuple[Answer, Located, Intent]]] = defaultdict(list)
    for answer in answers:
        intent = _judge(answer, plan, located, day, result)
        if intent is not None:
            ready[answer.row.key].append((answer, located[answer.row.key], intent))
    return _one_per_action(ready, result)


def _edited(
    project: Project, chosen: list[tuple[Answer, Located, Intent]], result: ApplyResult
) -> dict[Path, Editor] | None:
    """An editor per file with every answer's edits made and verified; None if one fails."""
    editors: dict[Path, Editor] = {}
    try:
        for _answer, item, intent in chosen:
            editor = editors.get(item.file) or _editor(project, item.file)
            editors[item.file] = editor
            _edit(editor, item, intent)
        for editor in editors.values():
            editor.result()
    except EditError as exc:
        for answer, _item, _intent in chosen:
            result.findings.append(Finding(answer.label, f"not applied: {exc}"))
        return None
    return editors


def _editor(project: Project, path: Path) -> Editor:
    """An editor on a plan file's current text (whose values the project has loaded)."""
    text = project.read_bytes(path).decode("utf-8")
    loaded = loading.document(project, path, "plan").value
    return Editor(text, display(path), loaded.data if loaded is not None else None)


def _judge(
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


def _one_per_action(
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


# --- checking one answer -------------------------------------------------------------------


def _intent(answer: Answer, plan: Plan, item: Located, day: date) -> tuple[list[str], Intent]:
    """What the answer would add, and every problem that stops it being applied."""
    problems: list[str] = []
    intent = Intent()
    status_text = _text(answer.get("status"))
    text = clean_text(_text(answer.get("update")))
    reason = clean_text(_text(answer.get("reason")))
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
    if reason and new_due is None and not _text(answer.get("new_due")):
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
    text = " ".join(_text(value).split())
    if match := _UK_DAY.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        return f"{year}-{month:02d}-{day:02d}"
    if (match := _IN_WORDS.fullmatch(text)) and match.group(2).lower() in _MONTHS:
        month = _MONTHS[match.group(2).lower()]
        day_of = f"-{int(match.group(1)):02d}" if match.group(1) else ""
        return f"{match.group(3)}-{month:02d}{day_of}"
    return text


def _text(value: Any) -> str:
    """A cell's value as text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


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


# --- writing -----------------------------------------------------------------------------


def _edit(editor: Editor, item: Located, intent: Intent) -> None:
    """Record the answer's changes to its action in the file's editor."""
    path, raw = item.path, item.raw
    if intent.revision:
        _append(editor, path, raw, "revisions", intent.revision)
    if intent.update:
        _append(editor, path, raw, "updates", intent.update)
    if intent.status:
        editor.replace_scalar((*path, "status"), intent.status)
    if intent.completed:
        if "completed" in raw:
            editor.replace_scalar((*path, "completed"), intent.completed)
        else:
            editor.add_key(path, "completed", intent.completed, _anchor(raw, "completed"))


def _append(
    editor: Editor, path: tuple[str | int, ...], raw: dict[str, Any], key: str, item: dict[str, str]
) -> None:
    """Add item to the action's list under key, making the list if it has none."""
    if key in raw:
        editor.append_item((*path, key), item)
    else:
        editor.add_key(path, key, [item], _anchor(raw, key))


def _anchor(raw: dict[str, Any], key: str) -> str:
    """The key a new key goes after: the latest one before it in the plan format's order."""
    rank = KEY_ORDER.index(key)
    before = [k for k in raw if k in KEY_ORDER and KEY_ORDER.index(k) < rank]
    return max(before, key=KEY_ORDER.index) if before else list(raw)[-1]


def _check_edited(
    project: Project, source: PlanSource, edited: dict[Path, loader.Document | None], day: date
) -> Checked:
    """The plan with its edited files read back, put through check's stages in memory.

    These are the bytes `apply` writes, so this is the check it reports afterwards: the
    same loader, schema, model and rules `planreport check` runs, with the people
    registry's problems, as at the date of the updates.
    """
    problems = Problems()
    docs = []
    for path in source.files:
        doc = edited.get(path) or loading.document(project, path, "plan").value
        if path in edited and doc is not None:
            doc.valid = not doc.blocked and validate.validate(doc, "plan", problems)
        docs.append(doc)
    people_path, people = loading.people_for(project, source)
    files = (*source.files, *people.files)
    if problems or any(d is None or not d.valid for d in docs):
        return Checked(None, list(problems), files)
    plan = model.build_plan(source.id, docs[0], docs[1:])
    context = rules.Context(
        people.value if people_path else None, day, display(people_path) if people_path else None
    )
    rules.check_plan(plan, context, problems)
    return Checked(plan, [*problems, *people.problems], files)


def _as_check(checked: list[Checked]) -> CheckResult:
    """The checked plans as one check's result, as `planreport check` reports it."""
    problems = dict.fromkeys(p for one in checked for p in one.problems)
    files = {os.path.abspath(path) for one in checked for path in one.files}
    plans = [one.plan for one in checked if one.plan is not None]
    return CheckResult(sorted(problems, key=Problem.sort_key), plans, len(files))
