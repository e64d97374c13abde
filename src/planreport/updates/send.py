"""`planreport request --send`: each lead's form emailed to them, and the round recorded.

The forms `request` wrote go into the round's record (`rounds.py`) whether or not they
are sent. With --send, each lead whose form has not already gone is sent it, with a plain
message saying what to do, by when and how to return it; the record is saved after each
message the server takes, so a rerun sends nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planreport.plan import config
from planreport.plan.dates import day_words
from planreport.plan.model import Person
from planreport.problems import Problem
from planreport.project import Project, UsageError, display
from planreport.updates import delivery, formats, rounds
from planreport.updates.delivery import Outcome
from planreport.updates.form import Form
from planreport.updates.messages import Attachment, Letter, capital
from planreport.updates.request import Options, RequestResult

OFFICE_TYPES = {
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


def ready(project: Project, dry_run: bool) -> None:
    """UsageError if planreport.yaml cannot send (or, for a dry run, write) the messages."""
    delivery.delivery(project, settings_of(project), dry_run, "")


def settings_of(project: Project) -> config.Config:
    """The project's configuration; UsageError naming its errors if it has any."""
    loaded = config.load(project)
    errors = [p for p in loaded.problems if p.severity.value == "error"]
    if errors or loaded.value is None:
        shown = "; ".join(f"{p.location}: {p.message}" for p in errors[:3])
        raise UsageError(f"planreport.yaml has errors, so nothing was emailed: {shown}")
    return loaded.value


@dataclass
class SendResult:
    """What was recorded and sent: the round, each letter's outcome, leads not written to."""

    recorded: list[rounds.Round] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already: list[tuple[str, str]] = field(default_factory=list)  # (lead, when sent)

    @property
    def failed(self) -> bool:
        """Whether any lead was not sent their form."""
        return bool(self.problems) or any(not o.ok for o in self.outcomes)


def recorded_in(found: list[rounds.Round]) -> str:
    """'the round is recorded in rounds/x.yaml' (or the rounds, in each)."""
    paths = ", ".join(display(r.path) for r in found)
    return f"the round{'s are' if len(found) > 1 else ' is'} recorded in {paths}"


def summary(result: SendResult, dry_run: bool) -> list[str]:
    """What happened to each lead's form, then the counts and where the round is recorded."""
    lines = [f"already sent to {lead} on {when}; not sent again" for lead, when in result.already]
    lines += [delivery.outcome_line(outcome) for outcome in result.outcomes]
    went = sum(o.ok for o in result.outcomes)
    verb = "Wrote" if dry_run else "Sent"
    lines.append(
        f"{verb} {went} of {len(result.outcomes) + len(result.problems)} form"
        f"{'s' * (len(result.outcomes) + len(result.problems) != 1)}"
        + (f" ({len(result.already)} sent before)" if result.already else "")
        + f"; {recorded_in(result.recorded)}."
    )
    if dry_run:
        lines.append(
            "This was a dry run: nothing was emailed. Read the .eml files, then use --send."
        )
    return lines


def record_and_send(
    project: Project, made: RequestResult, options: Options, send: bool, dry_run: bool
) -> SendResult | None:
    """Record the forms in their rounds (one per paper or plan); with send, email each not sent."""
    if not made.written:
        return None
    settings = settings_of(project)
    result = SendResult()
    by_scope: dict[str, list[tuple[Path, Form]]] = {}
    for path, form in made.written:
        by_scope.setdefault(form.scope, []).append((path, form))
    for written in by_scope.values():
        round_ = rounds.open_round(project, written[0][1].scope, options.made)
        round_.title, round_.return_by = written[0][1].title, options.due or round_.return_by
        for path, form in written:
            _record(round_, path, form, made.people.get(form.lead))
        rounds.save(round_)
        result.recorded.append(round_)
        if send:
            _send(project, settings, round_, written, made.people, dry_run, result)
    return result


def _send(
    project: Project,
    settings: config.Config,
    round_: rounds.Round,
    written: list[tuple[Path, Form]],
    people: dict[str, Person],
    dry_run: bool,
    result: SendResult,
) -> None:
    """Email each lead of one round their form, unless it has gone; note what happened."""
    where = delivery.delivery(project, settings, dry_run, round_.path.stem)
    letters = []
    for path, form in written:
        entry = round_.entry(form.lead)
        person = people.get(form.lead)
        if entry is not None and entry.sent:
            result.already.append((form.lead, entry.sent))
        elif person is None or not person.email:
            where_ = person.location if person else None
            what = f"their form ({display(path)})"
            result.problems.append(delivery.no_email(form.lead, where_, form.lead_name, what))
        else:
            letters.append((form.lead, form_letter(project, settings, form, path, person.email)))

    def sent(outcome: Outcome) -> None:
        entry = round_.entry(outcome.lead)
        if entry is not None and not dry_run:
            entry.sent = rounds.now()
            rounds.save(round_)

    result.outcomes += delivery.deliver(where, letters, sent)


def _record(round_: rounds.Round, path: Path, form: Form, person: Person | None) -> None:
    """The form in the round: a new entry, or the lead's entry if no form has gone yet."""
    entry = round_.entry(form.lead)
    if entry is not None and entry.sent:
        return  # the lead has this round's form; a new round (another --date) sends anew
    if entry is None:
        entry = rounds.Entry(form.lead, form.id, _relative(round_, path))
        round_.forms.append(entry)
    entry.id = form.id
    entry.name = form.lead_name
    entry.email = person.email if person else None
    entry.actions = len(form.rows)
    entry.file = _relative(round_, path)


def _relative(round_: rounds.Round, path: Path) -> str:
    """A form's path from the project's folder, as the record keeps it."""
    root = round_.path.parent.parent
    return path.resolve().relative_to(root.resolve()).as_posix()


def form_letter(
    project: Project, settings: config.Config, form: Form, path: Path, email: str
) -> Letter:
    """The message sending a lead their form: what to do, by when, how to return it."""
    kind = next(f for f in formats.FORMATS.values() if f.suffix == path.suffix)
    count = len(form.rows)
    actions = f"{count} action{'s' * (count != 1)}"
    by = f" by {day_words(form.due)}" if form.due else ""
    who = sender(settings)
    letter = Letter(
        form.lead_name,
        email,
        f"Update needed{by}: {form.title}",
    )
    letter.say(
        f"Dear {form.lead_name},",
        f"{who} is asking for progress on the {actions} you lead in {form.title}. "
        f"Please fill in the attached form and send it back{by}.",
    )
    letter.steps(
        [
            f"Open the attached {kind.noun} ({path.name}) in {kind.short} or LibreOffice.",
            "For each action, fill in the shaded answer cells: a progress update and a "
            "new status, and a new due date with its reason or the date completed if "
            "either applies. Leave an action blank if there is nothing new.",
            "Save the form under the same name, as a " + kind.suffix + " file, and reply "
            "to this email with it attached. Please do not copy the answers into another "
            "file: your answers are read straight from this form.",
        ]
    )
    letter.say("Your actions on the form:")
    letter.points([f"{capital(row.name)}: due {row.due}" for row in form.rows])
    letter.say(f"Thank you.\n{who}")
    data = project.read_bytes(path)
    letter.attachments.append(Attachment(path.name, data, *OFFICE_TYPES[kind.suffix]))
    return letter


def sender(settings: config.Config) -> str:
    """Who the messages are from, in words: the from name, else the council."""
    mail = settings.section("mail")
    return mail.get("from_name") or settings.council.name or "The plan's owner"
