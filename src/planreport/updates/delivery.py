"""Letters delivered: sent through the SMTP server, or written as .eml files to read first.

Each letter's outcome is kept (sent, written, or not sent and why), and `done` is called
after each one is accepted, so that a record of what went is saved before the next is
tried: a run stopped half-way sends nothing twice when run again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from planreport import output
from planreport.plan.config import Config
from planreport.problems import Location, Problem, Severity
from planreport.project import Project, UsageError, display
from planreport.updates import mailconfig, messages, rounds
from planreport.updates.mailer import CannotConnect, Mailer, NotSent
from planreport.updates.messages import Letter

MAIL_FOLDER = Path("build") / "mail"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class Outcome:
    """What happened to one lead's letter."""

    lead: str
    address: str
    error: str | None = None
    written: Path | None = None  # the .eml file of a dry run

    @property
    def ok(self) -> bool:
        """Whether it was sent (or, in a dry run, written)."""
        return self.error is None


@dataclass
class Delivery:
    """Where letters go: the server, or .eml files in a folder."""

    project: Project
    settings: mailconfig.MailSettings
    dry_run: bool
    folder: Path


def delivery(project: Project, config: Config, dry_run: bool, name: str) -> Delivery:
    """A delivery for a run; UsageError if the mail section cannot send (or write) letters."""
    settings = mailconfig.settings(config)
    missing = mailconfig.missing(config, dry_run)
    if missing:
        raise UsageError(missing)
    insecure = mailconfig.problems(config)
    if insecure and not dry_run:
        raise UsageError(f"{insecure[0].location}: {insecure[0].message}")
    return Delivery(project, settings, dry_run, project.root / MAIL_FOLDER / _UNSAFE.sub("-", name))


def deliver(
    where: Delivery, letters: list[tuple[str, Letter]], done: Callable[[Outcome], None]
) -> list[Outcome]:
    """Send (or write) each lead's letter; done(outcome) after each that went."""
    outcomes = []
    cannot: str | None = None
    with Mailer(where.settings) as mailer:
        for lead, letter in letters:
            outcome = Outcome(lead, letter.to_address)
            outcomes.append(outcome)
            if cannot:
                outcome.error = cannot
                continue
            try:
                message = messages.compose(where.settings, letter)
                if where.dry_run:
                    outcome.written = where.folder / f"{_UNSAFE.sub('-', lead)}.eml"
                    rounds.refuse_outside(where.project.root, outcome.written)
                    output.write_atomic(outcome.written, messages.as_bytes(message))
                else:
                    mailer.send(message)
            except (messages.BadAddress, NotSent) as exc:
                outcome.error = str(exc)
                continue
            except CannotConnect as exc:
                cannot = outcome.error = str(exc)
                continue
            done(outcome)
    return outcomes


def no_email(person_id: str, location: Location | None, name: str, what: str) -> Problem:
    """The located problem for a lead with no email address: what was not sent, what to do."""
    return Problem(
        location or Location("people.yaml"),
        Severity.ERROR,
        "no-email",
        f"{name} ('{person_id}') has no email address, so {what} was not sent. Add "
        f"'email:' under '{person_id}' in people.yaml and run the command again (nothing "
        "already sent goes twice), or send it yourself.",
    )


def outcome_line(outcome: Outcome) -> str:
    """One line saying what happened to a letter."""
    if outcome.written is not None:
        return f"wrote {display(outcome.written)}: to {outcome.address}"
    if outcome.ok:
        return f"sent to {outcome.address} ({outcome.lead})"
    return f"not sent to {outcome.address} ({outcome.lead}): {(outcome.error or '').rstrip('.')}."
