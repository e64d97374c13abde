"""The update form: what it asks a lead, and the hidden data that lets it be applied safely.

A form lists a lead's open actions, each with a fingerprint of the action as the plan
held it when the form was made. The hidden data (the form's id, and for each row the
plan, the action's key and ref, its fingerprint and how many updates and revisions it
had) travels inside the workbook or document; each row of the form carries a token
naming its row of that data, so rows are matched however the form was saved.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from planreport import files
from planreport.plan import loading
from planreport.plan.dates import day_words
from planreport.plan.model import Action
from planreport.project import PlanSource, Project, UsageError

KIND = "planreport-update-form"
VERSION = 1
PREFIX = f"{KIND}-{VERSION}:"
FIELDS = ("status", "update", "new_due", "reason", "completed")
# The heading of each answer, on both kinds of form; readers find answers by them.
HEADINGS = {
    "status": "New status",
    "update": "Progress update",
    "new_due": "New due date",
    "reason": "Reason for the new date",
    "completed": "Date completed",
}
HINTS = {
    "status": "Choose from the list. Leave empty if you have nothing to report.",
    "update": "What has happened since the last update, in a few sentences.",
    "new_due": "Only if the action will miss its due date: e.g. 2027-03 (a month) or "
    "2027-03-31 (a day).",
    "reason": "Needed with a new due date: why the date has moved.",
    "completed": "Only if the action is complete: when, e.g. 2026-11-20.",
}
ROW_HEADING = "Form row (planreport)"
MAX_FORM_BYTES = 10 * 1024 * 1024
MAX_HIDDEN_BYTES = 8 * 1024 * 1024  # the most a form's hidden data may unpack to
KEY_ENV = "PLANREPORT_FORM_KEY"  # the secret forms are signed with; else KEY_FILE's
KEY_FILE = Path("planreport") / "form-key"  # in the user's config folder, made with mode 0600
KEY_LIMIT = 4096  # the most a key file may hold


class FormRefused(Exception):
    """A file that cannot be applied as a form; the message says why, in a user's words."""


@dataclass(frozen=True)
class Choice:
    """One status a form offers: its key, label, what the form shows, and meaning."""

    key: str
    label: str
    shown: str
    meaning: str | None
    done: bool


@dataclass(frozen=True)
class Row:
    """One action on a form: what the lead reads, and what is needed to apply the answer."""

    plan: str
    plan_title: str
    key: str
    ref: str
    name: str  # as messages name it: "action 1.10", "recommendation 5, action 1"
    text: str
    due: str
    status: str
    last_update: str
    fingerprint: str
    updates: int
    revisions: int
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class Form:
    """One lead's form for a paper or a plan."""

    id: str
    scope: str
    title: str
    lead: str
    lead_name: str
    made: date
    due: date | None
    rows: tuple[Row, ...]

    @cached_property
    def several_plans(self) -> bool:
        """Whether the rows come from more than one plan."""
        return len({row.plan for row in self.rows}) > 1

    def token(self, number: int) -> str:
        """The token naming row number (1-based) of this form."""
        return f"{self.id}-{number}"


@dataclass(frozen=True)
class HiddenRow:
    """What a returned form says about one of its rows."""

    plan: str
    key: str
    ref: str
    fingerprint: str
    updates: int
    revisions: int


@dataclass(frozen=True)
class Hidden:
    """A returned form's hidden data."""

    form: str
    scope: str
    lead: str
    made: date
    rows: tuple[HiddenRow, ...]


@dataclass
class RawRow:
    """One answered place in a returned form, as its reader found it."""

    where: str  # "row 7" (Excel) or "item 3" (Word)
    token: str | None
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # answers that could not be read


@dataclass
class RawForm:
    """What a reader found in a returned form."""

    hidden: str
    rows: list[RawRow]


@dataclass(frozen=True)
class Located:
    """A plan action with the file and YAML path where it is written, and its values."""

    action: Action
    file: Path
    path: tuple[str | int, ...]
    raw: dict[str, Any]


# --- fingerprints and actions -----------------------------------------------------------


def fingerprint(raw: dict[str, Any]) -> str:
    """A short digest of an action's values: any change to them changes it."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def located_actions(project: Project, source: PlanSource, actions: list[Action]) -> list[Located]:
    """Each of a loaded plan's actions with the file and path it is written at."""
    written: list[tuple[Path, tuple[str | int, ...], dict[str, Any]]] = []
    for path in source.files:
        doc = loading.document(project, path, "plan").value
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        written += [(path, ("actions", i), raw) for i, raw in enumerate(data.get("actions", []))]
    if len(written) != len(actions):  # a plan with errors, some actions left out of the model
        raise ValueError(f"plan {source.id} has errors; its actions cannot be matched to files")
    return [Located(a, *where) for a, where in zip(actions, written, strict=True)]


# --- hidden data ------------------------------------------------------------------------

NOT_OURS = (
    "this is not an update form made by planreport request (it has none of the hidden "
    "data planreport puts in its forms), so there is nothing to apply. Ask the lead to "
    "fill in the form they were sent."
)
DAMAGED = (
    "the hidden data in this form has been changed or damaged, so its answers cannot be "
    "matched to actions safely. Ask the lead to fill in the form they were sent, or copy "
    "their answers into a new form (planreport request)."
)
UNSIGNED = (
    "the hidden data in this form has been changed or damaged, or the form was made with "
    f"another form key (the {KEY_ENV} setting, or the key file in the config folder, "
    "~/.config/planreport/form-key), so nothing from it was applied. Apply it where it was "
    "made, or send the lead a new form."
)


def form_key() -> bytes:
    """The secret forms are signed with: $PLANREPORT_FORM_KEY, else the user's key file.

    The key file is made (mode 0600, 32 random bytes) the first time it is needed; it lives
    outside the plan repository, so a form's signature cannot be recomputed from the plans.
    """
    if value := os.environ.get(KEY_ENV, "").strip():
        return value.encode("utf-8")
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(Path.home(), ".config")
    path = Path(config) / KEY_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = files.read(path, (Path(os.path.realpath(path)).parent,), KEY_LIMIT).strip()
        else:
            key = secrets.token_hex(32).encode("ascii")
            with os.fdopen(handle, "wb") as stream:
                stream.write(key + b"\n")
    except files.FileRefused as refused:
        raise UsageError(f"the form key {path}: {refused.message}") from None
    except OSError as exc:
        raise UsageError(
            f"cannot read or make the form key {path} ({exc.strerror}). Set {KEY_ENV} to a "
            "secret instead (the same one wherever forms are made and applied)."
        ) from None
    if not key:
        raise UsageError(f"the form key {path} is empty. Delete it to make a new one.")
    return key


def sign(packed: bytes) -> str:
    """The HMAC-SHA-256 of hidden data under the form key (hex, 32 characters)."""
    return hmac.new(form_key(), packed, hashlib.sha256).hexdigest()[:32]


def seal(body: dict[str, Any]) -> str:
    """Hidden data as one line of text: compressed, encoded and signed."""
    packed = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    payload = base64.urlsafe_b64encode(zlib.compress(packed, 9)).decode("ascii")
    return f"{PREFIX}{payload}.{sign(packed)}"


def encode(form: Form) -> str:
    """The form's hidden data as one line of text, signed against change and damage."""
    return seal(
        {
            "kind": KIND,
            "version": VERSION,
            "form": form.id,
            "scope": form.scope,
            "lead": form.lead,
            "made": form.made.isoformat(),
            "rows": [
                [r.plan, r.key, r.ref, r.fingerprint, r.updates, r.revisions] for r in form.rows
            ],
        }
    )


def decode(text: str | None) -> Hidden:
    """A returned form's hidden data; FormRefused if missing, not ours, damaged or unsigned."""
    if not text:
        raise FormRefused(NOT_OURS)
    text = text.strip()
    if not text.startswith(PREFIX):
        if text.startswith(KIND):
            raise FormRefused(
                "this form was made by a different version of planreport, which this one "
                "cannot read. Make a new form with this version (planreport request)."
            )
        raise FormRefused(NOT_OURS)
    payload, _, check = text[len(PREFIX) :].rpartition(".")
    try:
        unpacker = zlib.decompressobj()
        packed = unpacker.decompress(
            base64.urlsafe_b64decode(payload.encode("ascii")), MAX_HIDDEN_BYTES
        )
    except (ValueError, zlib.error, binascii.Error, UnicodeError):
        raise FormRefused(DAMAGED) from None
    if unpacker.unconsumed_tail:
        raise FormRefused(
            f"the hidden data in this form unpacks to over {MAX_HIDDEN_BYTES // (1024 * 1024)} "
            "MiB; no form planreport made holds that much, so nothing from it was applied."
        )
    if not hmac.compare_digest(sign(packed), check):
        raise FormRefused(UNSIGNED)
    try:
        body = json.loads(packed)
    except (ValueError, UnicodeError):
        raise FormRefused(DAMAGED) from None
    if not isinstance(body, dict) or body.get("kind") != KIND:
        raise FormRefused(DAMAGED)
    try:
        rows = tuple(
            HiddenRow(str(p), str(k), str(r), str(f), int(u), int(v))
            for p, k, r, f, u, v in body["rows"]
        )
        return Hidden(
            str(body["form"]),
            str(body["scope"]),
            str(body["lead"]),
            date.fromisoformat(body["made"]),
            rows,
        )
    except (KeyError, TypeError, ValueError):
        raise FormRefused(DAMAGED) from None


def row_number(token: str | None, form_id: str) -> int | None:
    """The row number a token names on the form with this id, or None."""
    if not token:
        return None
    prefix, _, number = str(token).strip().rpartition("-")
    if prefix != form_id or not number.isdigit():
        return None
    return int(number)


def form_id(scope: str, lead: str, made: date, rows: list[Row]) -> str:
    """A form's id: the same plan, lead and day always give the same id."""
    parts = [scope, lead, made.isoformat(), *(f"{r.plan}/{r.key}/{r.fingerprint}" for r in rows)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:12]


# --- packages ---------------------------------------------------------------------------


def due_line(due: date | None) -> str:
    """The form's line about when to return it."""
    if due is None:
        return "Please return this form to the plan owner."
    return f"Please return this form by {day_words(due)}."
