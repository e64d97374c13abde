"""The imported plan as YAML a person wants to edit.

Keys in the order docs/plan-format.md documents them, the schema modeline first, short
lists on one line, long text wrapped, and comments where a person should look: each
action names the table and row it came from, and `# TODO:` says what the source does
not give. `todos` finds those lines again for the summary the command prints.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planreport.importers import draft
from planreport.importers.leads import Lead, NewPerson
from planreport.importers.yaml_text import WIDTH, Map, Quoted, Seq, comment_lines, flow_width, text

SCHEMA = ("schema", "plan.schema.json")
PEOPLE_SCHEMA = ("schema", "people.schema.json")
_QUOTE = re.compile(r"^\d{4}(?:-\d\d-\d\d)?$")
_ITEMS = {"recommendations": "recommendation", "actions": "action"}


@dataclass
class Todo:
    """Something left for a person, and where in the written file it is."""

    path: Path
    line: int
    what: str
    message: str


def _date(value: str) -> str:
    """A date as written: days and years quoted, so no YAML reader takes them for numbers."""
    return Quoted(value) if _QUOTE.match(value) else value


def _flow(items: list[Any]) -> Seq:
    """A short list written on one line."""
    seq = Seq(items)
    seq.flow = True
    return seq


def _small(**values: Any) -> Map:
    """A small mapping, on one line if it fits."""
    found = Map(values)
    found.flow = flow_width(found) + 8 <= WIDTH
    return found


def _remarks(item: draft.Remarks) -> list[str]:
    """The comment lines above an action or recommendation."""
    lines = [f"From {item.where}." if item.where else ""]
    lines += [f"Note: {note}" for note in item.notes]
    lines += [f"TODO: {todo}" for todo in item.todos]
    return comment_lines([line for line in lines if line])


def modeline(path: Path, root: Path, schema: tuple[str, str] = SCHEMA) -> str:
    """The first line telling editors where the schema is, relative to the file."""
    relative = os.path.relpath(root.joinpath(*schema), path.parent)
    return f"yaml-language-server: $schema={Path(relative).as_posix()}"


def top(plan: draft.Plan, include_parts: bool = True) -> Map:
    """The plan's main document: its own keys, then (for a single file) everything else."""
    doc = Map()
    doc["title"] = text(plan.title or "TODO", 2, "title")
    if not plan.title:
        doc.after["title"] = "TODO: the source gives no title; write the plan's title"
    if plan.closing:
        doc["closing"] = text(plan.closing, 2, "closing")
    if plan.scheme is not None:
        doc["status_scheme"] = _scheme(plan)
    if plan.per_recommendation:
        settings = Map(action_numbering="per-recommendation")
        settings.after["action_numbering"] = "refs start again under each recommendation"
        doc["settings"] = settings
    if plan.custom_fields:
        doc["custom_fields"] = Seq(
            [_small(key=key, label=label) for key, label in plan.custom_fields.items()]
        )
    if plan.themes:
        doc["themes"] = Seq(
            [Map(id=tid, title=text(title, 6, "title")) for tid, title in plan.themes.items()]
        )
    if include_parts:
        parts(doc, plan.recommendations, plan.actions)
    if plan.notes:
        doc["notes"] = Seq([Map(ref=Quoted(ref), text=text(t, 6)) for ref, t in plan.notes])
    if plan.glossary:
        doc["glossary"] = Seq(
            [_small(term=term, meaning=meaning) for term, meaning in plan.glossary]
        )
    return doc


def _scheme(plan: draft.Plan) -> Map:
    """The status scheme, one level a line as the example plans write them."""
    scheme = plan.scheme
    assert scheme is not None
    out = Map()
    if scheme.name:
        out["name"] = scheme.name
    levels = Seq()
    for level in scheme.levels:
        values: dict[str, Any] = {"key": level.key, "label": level.label}
        if level.meaning:
            values["meaning"] = level.meaning
        if level.colour:
            values["colour"] = Quoted(level.colour)
        if level.done:
            values["done"] = True
        if level.on_track:
            values["on_track"] = True
        levels.append(_small(**values))
    out["levels"] = levels
    return out


def parts(doc: Map, recs: list[draft.Recommendation], actions: list[draft.Action]) -> None:
    """Add recommendations and actions to a document, each with its comments."""
    if recs:
        seq = Seq([_recommendation(rec) for rec in recs])
        for i, rec in enumerate(recs):
            if rec.todos or rec.notes:
                seq.before[i] = _remarks(rec)
        doc["recommendations"] = seq
    if actions:
        seq = Seq([_action(action) for action in actions])
        for i, action in enumerate(actions):
            seq.before[i] = ([""] if i else []) + _remarks(action)
        doc["actions"] = seq


def _recommendation(rec: draft.Recommendation) -> Map:
    """One recommendation in the documented key order."""
    out = Map(ref=Quoted(rec.ref))
    if rec.kind != "recommendation":
        out["kind"] = rec.kind
    if rec.priority:
        out["priority"] = rec.priority
    if rec.text:
        out["text"] = text(rec.text, 6)
    if rec.parts:
        out["parts"] = Seq([Map(ref=Quoted(r), text=text(t, 10)) for r, t in rec.parts])
    for name in ("outcomes", "measures"):
        items = getattr(rec, name)
        if items:
            out[name] = Seq([text(item, 8, "") for item in items])
    if rec.accountable:
        out["accountable"] = _leads(rec.accountable)
    if rec.theme:
        out["theme"] = rec.theme
    _dates(out, rec, 6)
    return out


def _dates(out: Map, item: draft.Dates, column: int) -> None:
    """timescale, start, due and review, in that order."""
    if item.timescale:
        out["timescale"] = text(item.timescale, column, "timescale")
    for name in ("start", "due", "review"):
        value = getattr(item, name)
        if value:
            out[name] = _date(value)


def _leads(leads: list[Lead]) -> Seq:
    """Leads as ids on one line, or one a line with their role, note or organisation."""
    if all(not lead.role and not lead.note and not lead.organisation for lead in leads):
        return _flow([lead.person for lead in leads])
    seq = Seq()
    for lead in leads:
        if not lead.role and not lead.note and not lead.organisation:
            seq.append(lead.person)
            continue
        item = Map(person=lead.person)
        for key in ("role", "note", "organisation"):
            if getattr(lead, key):
                item[key] = getattr(lead, key)
        seq.append(item)
    return seq


def _action(action: draft.Action) -> Map:
    """One action in the documented key order."""
    out = Map(ref=Quoted(action.ref or "TODO"))
    out["text"] = text(action.text or "TODO", 6)
    if action.addresses:
        out["addresses"] = _flow([Quoted(ref) for ref in action.addresses])
    if action.theme:
        out["theme"] = action.theme
    if action.leads:
        out["leads"] = _leads(action.leads)
    for name, value in action.texts.items():
        out[name] = text(value, 6, name)
    _dates(out, action, 6)
    if action.revisions:
        seq = Seq()
        for revision in action.revisions:
            item = Map(due=_date(revision.due))
            if revision.timescale:
                item["timescale"] = revision.timescale
            if revision.reason:
                item["reason"] = text(revision.reason, 10, "reason")
            seq.append(item)
        out["revisions"] = seq
    if action.milestones:
        out["milestones"] = _milestones(action.milestones)
    if action.updates:
        out["updates"] = Seq([_update(update) for update in action.updates])
    if action.status:
        out["status"] = action.status
    if action.completed:
        out["completed"] = _date(action.completed)
    if action.custom:
        out["custom"] = Map({k: text(t, 8, k) for k, t in action.custom.items()})
    return out


def _milestones(milestones: list[draft.Milestone]) -> Seq:
    """An action's milestones, each with a to-do comment where its date is missing."""
    seq = Seq()
    for i, milestone in enumerate(milestones):
        item = Map(text=text(milestone.text or "TODO", 10))
        _dates(item, milestone, 10)
        if milestone.done:
            item["done"] = True
        if milestone.completed:
            item["completed"] = _date(milestone.completed)
        seq.append(item)
        todo = _milestone_todo(milestone)
        if todo:
            seq.before[i] = comment_lines([f"TODO: {todo}"])
    return seq


def _milestone_todo(milestone: draft.Milestone) -> str | None:
    """What a milestone lacks, if anything."""
    if milestone.done:
        return None
    if milestone.due == "ongoing" and not milestone.review:
        return "the source gives no review date for this ongoing step; add review:"
    if not milestone.due:
        return "the source gives no date for this step; add due:"
    return None


def _update(update: draft.Update) -> Map:
    """A dated update: on one line when short."""
    item = Map(date=_date(update.date))
    if update.text:
        item["text"] = text(update.text, 10)
    if update.status:
        item["status"] = update.status
    item.flow = "\n" not in (update.text or "") and flow_width(item) + 8 <= WIDTH
    return item


def todos(path: Path, written: str, names: dict[str, list[str]]) -> list[Todo]:
    """Every '# TODO' in a written file, with its line and the item it belongs to.

    names gives, for 'recommendations' and 'actions', how messages name each item in the
    order the file lists them ('recommendation 1, action 4' where numbering restarts).
    """
    found: list[Todo] = []
    lines = written.split("\n")
    pending: list[int] = []
    current, section = "the plan", ""
    seen = dict.fromkeys(_ITEMS, 0)
    for number, line in enumerate(lines, start=1):
        if re.match(r"^[a-z_]+:", line):
            section = line.split(":")[0]
        if (match := re.match(r'^\s*- ref: "(.*)"', line)) and section in _ITEMS:
            listed = names.get(section, [])
            index = seen[section]
            seen[section] += 1
            current = listed[index] if index < len(listed) else f"{_ITEMS[section]} {match[1]}"
            found += [Todo(path, n, current, _message(lines, n)) for n in pending]
            pending = []
        if "# TODO:" not in line:
            continue
        indent = len(line) - len(line.lstrip())
        if line.lstrip().startswith("#") and indent <= 2 and section in _ITEMS:
            pending.append(number)
        else:
            found.append(Todo(path, number, current, _message(lines, number)))
    return found


def _message(lines: list[str], number: int) -> str:
    """The to-do on a line, with its wrapped continuation lines joined."""
    out = lines[number - 1].split("TODO:", 1)[1].strip()
    for line in lines[number:]:
        stripped = line.strip()
        if not stripped.startswith("#   "):
            break
        out += " " + stripped[1:].strip()
    return out


def people_entries(new: list[NewPerson], indent: int) -> tuple[str, dict[str, Any]]:
    """New people as YAML lines to add under `people:`, and the values they hold."""
    from planreport.importers.yaml_text import dump

    doc = Map()
    for person in new:
        values = Map()
        for name in ("name", "role", "initials"):
            value = getattr(person, name)
            if value:
                values[name] = value
        doc[person.id] = values
    written = dump(doc, [])
    pad = " " * indent
    return "".join(f"{pad}{line}\n" for line in written.rstrip("\n").split("\n")), doc
