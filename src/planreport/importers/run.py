"""`planreport import`: the stages in order, and the one place an import writes.

Read the source (through files.read: a regular file, at most 50 MiB), find its tables
and what each column means, assemble the plan, write it as YAML with any new people,
and say what is left to complete. Everything is worked out before anything is written;
files are written atomically, only inside the project's plans/ folder, and an existing
plan is replaced only with --force.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from planreport import files, output
from planreport.files import FileRefused
from planreport.importers import draft, hidden, mapping, people_out, yaml_out, yaml_text
from planreport.importers import vocabulary as v
from planreport.importers.assemble import MAX_ROWS, Assembler, Reading, Settings
from planreport.importers.errors import ImportFailed
from planreport.importers.grid import Table, strip_control
from planreport.importers.leads import NewPerson, People, slug
from planreport.importers.mapping import Overrides, TableMap
from planreport.importers.reading import read_source
from planreport.plan import loader, loading, model
from planreport.problems import Problems
from planreport.project import FOLDER_PLAN_FILE, PEOPLE_FILE, Project, display

MAX_SOURCE_BYTES = 50 * 1024 * 1024
MAX_MAPPING_BYTES = 64 * 1024
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
MAP_FIELDS = tuple(f for f in v.FIELDS if f not in (v.PRIORITY,))


@dataclass
class Options:
    """What the user asked for."""

    source: Path
    plan_id: str | None = None
    folder: bool = False
    force: bool = False
    as_at: date | None = None
    mappings: list[str] = field(default_factory=list)
    mapping_file: Path | None = None
    statuses: str | None = None
    title: str | None = None
    hidden: str = hidden.READ  # read what the source hides as if shown, or skip it


@dataclass
class Outcome:
    """What an import did: what it read, what it wrote, and what is left to do."""

    source: str
    plan_id: str
    plan_path: Path
    reading: Reading
    written: list[Path]
    people_path: Path | None
    people_added: list[NewPerson]
    todos: list[yaml_out.Todo]

    @property
    def plan(self) -> draft.Plan:
        """The plan as imported."""
        return self.reading.plan

    def check_as_at(self) -> date:
        """The date to check the plan as at: --as-at, the source's own, its latest progress."""
        if self.reading.as_at is not None:
            return self.reading.as_at
        from planreport.plan.dates import DateError, parse

        latest = []
        for action in self.plan.actions:
            for update in action.updates:
                try:
                    latest.append(parse(update.date).last)
                except DateError:
                    continue
        return max(latest) if latest else date.today()


def import_plan(project: Project, options: Options) -> Outcome:
    """Import a Word, Excel or CSV plan into the project; ImportFailed if it cannot be."""
    name = display(options.source)
    data = _read(options.source, name, MAX_SOURCE_BYTES)
    overrides = _overrides(options)
    plan_id = options.plan_id or slug(options.source.stem)[:60].strip("-") or "imported-plan"
    if not _ID.match(plan_id):
        raise ImportFailed(
            f"'{plan_id}' cannot be a plan id: use lower-case letters, digits and hyphens, "
            "e.g. --id derby-improvement-2011."
        )
    target = _target(project, plan_id, options)
    people_path = project.people_file(target) or project.plans_dir / PEOPLE_FILE
    registry = _registry(project, people_path)
    people = People(registry, plan_id.split("-")[0])
    keep = options.hidden == hidden.READ
    source = read_source(name, options.source.suffix, data, MAX_ROWS, keep)
    settings = Settings(options.as_at, options.statuses, options.title)
    reading = Assembler(source, people, overrides, settings).run()
    _used(overrides, reading)
    if not reading.plan.actions:
        raise ImportFailed(_no_plan_table(name, reading))
    _plan_title(reading.plan, options.source)
    made = _plan_texts(project, reading, target, options, options.source.name)
    new_people = list(people.new.values())
    if new_people:
        made[people_path] = people_out.people_text(
            project, people_path, new_people, options.source.name
        )
    for path, (text, expected) in made.items():
        read_back(path, text, expected)
        _inside(project, path)
    _stale_parts(target, made, options)
    output.write_all({path: text.encode("utf-8") for path, (text, _expected) in made.items()})
    written = list(made)
    names = _names(reading.plan)
    todos = [
        todo
        for path, (text, _expected) in made.items()
        if path != people_path
        for todo in yaml_out.todos(path, text, names.get(Path(path.name), names[None]))
    ]
    return Outcome(
        name,
        plan_id,
        target,
        reading,
        written,
        people_path if new_people else None,
        new_people,
        todos,
    )


def _names(plan: draft.Plan) -> dict[Path | None, dict[str, list[str]]]:
    """How messages name each recommendation and action, in the order they are written."""
    parent = {ref: rec.ref for rec in plan.recommendations for ref, _text in rec.parts}

    def action_name(action: draft.Action) -> str:
        first = action.addresses[0] if action.addresses else None
        if plan.per_recommendation and first:
            return f"recommendation {parent.get(first, first)}, action {action.ref}"
        return f"action {action.ref}"

    def rec_name(rec: draft.Recommendation) -> str:
        return f"{'finding' if rec.kind == 'finding' else 'recommendation'} {rec.ref}"

    names: dict[Path | None, dict[str, list[str]]] = {
        None: {
            "recommendations": [rec_name(r) for r in plan.recommendations],
            "actions": [action_name(a) for a in plan.actions],
        }
    }
    for file_name, recs, actions in _split(plan):
        names[Path(file_name)] = {
            "recommendations": [rec_name(r) for r in recs],
            "actions": [action_name(a) for a in actions],
        }
    return names


def _read(path: Path, name: str, limit: int) -> bytes:
    """A file's bytes through files.read (a regular file, within the size limit)."""
    if not path.exists():
        raise ImportFailed(f"{name}: no such file.")
    if path.is_dir():
        raise ImportFailed(f"{name} is a folder; name the Word, Excel or CSV file to import.")
    try:
        return files.read(path, (path.resolve().parent,), limit)
    except FileRefused as exc:
        if exc.rule == "file-too-large":
            raise ImportFailed(
                f"{name}: this file is over {limit // (1024 * 1024)} MiB, far larger than any "
                "plan; it is not imported. Save the plan's tables on their own, then import that."
            ) from None
        raise ImportFailed(f"{name}: {exc.message}") from None


def _overrides(options: Options) -> Overrides:
    """The column mappings given with --map and --mapping."""
    given: dict[str, str] = {}
    if options.mapping_file is not None:
        given |= _mapping_file(options.mapping_file)
    for item in options.mappings:
        heading, sep, field_name = item.rpartition("=")
        if not sep or not heading.strip():
            raise ImportFailed(
                f"--map '{item}' is not HEADING=FIELD, e.g. --map 'Lead officer(s)=leads'."
            )
        given[heading.strip()] = field_name.strip()
    overrides = Overrides()
    for heading, field_name in given.items():
        base = field_name.split(":", 1)[0]
        if base not in MAP_FIELDS:
            raise ImportFailed(
                f"'{field_name}' (for the column '{heading}') is not a field planreport "
                f"knows. Fields: {', '.join(MAP_FIELDS)}; custom:KEY for a custom field."
            )
        key = heading if heading.isdigit() else v.fold(heading)
        overrides.by_heading[key] = field_name
        overrides.written[key] = heading
    return overrides


def _mapping_file(path: Path) -> dict[str, str]:
    """A mapping file: `columns: {heading: field}` (and optionally nothing else)."""
    import yaml

    name = display(path)
    raw = _read(path, name, MAX_MAPPING_BYTES)
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{name}: this mapping file is not readable YAML ({exc}).") from None
    columns = data.get("columns") if isinstance(data, dict) else None
    if not isinstance(columns, dict) or not all(
        isinstance(k, str | int) and isinstance(val, str) for k, val in columns.items()
    ):
        raise ImportFailed(
            f"{name}: a mapping file holds 'columns:' with one 'Heading: field' line per "
            "column, e.g. 'columns: {Lead officer(s): leads, Page: ignore}'."
        )
    return {str(k): val for k, val in columns.items()}


def _used(overrides: Overrides, reading: Reading) -> None:
    """Every --map must name a column some table has."""
    unused = [key for key in overrides.by_heading if key not in overrides.used]
    if not unused:
        return
    headings = sorted(
        {c.heading for _table, found in reading.maps for c in found.columns if c.heading}
    )
    raise ImportFailed(
        f"--map names a column no table has: "
        f"{', '.join(repr(overrides.written.get(u, u)) for u in unused)}. "
        f"Columns found: {', '.join(repr(h) for h in headings) or 'none'}."
    )


def _target(project: Project, plan_id: str, options: Options) -> Path:
    """Where the plan goes, refusing to replace one without --force."""
    single = project.plans_dir / f"{plan_id}.yaml"
    folder = project.plans_dir / plan_id
    wanted, other = (folder, single) if options.folder else (single, folder)
    if other.exists() or other.is_symlink():
        raise ImportFailed(
            f"plan '{plan_id}' already exists as {display(other)}; choose another id with "
            f"--id, or remove {display(other)} first."
        )
    if (wanted.exists() or wanted.is_symlink()) and not options.force:
        raise ImportFailed(
            f"plan '{plan_id}' already exists ({display(wanted)}); nothing was written. Choose "
            "another id with --id, or replace it with --force."
        )
    if wanted.is_symlink():
        raise ImportFailed(f"{display(wanted)} is a link; planreport will not write through it.")
    return wanted


def _registry(project: Project, path: Path) -> dict[str, model.Person]:
    """The people registry leads are matched against (empty if there is none yet)."""
    if not path.exists():
        return {}
    loaded = loading.load_people(project, path)
    errors = [p for p in loaded.problems if p.severity.value == "error"]
    if errors or loaded.value is None:
        first = errors[0] if errors else None
        where = f"{first.location}: {first.message}" if first else display(path)
        raise ImportFailed(
            f"{display(path)} has errors, so leads cannot be matched to it; fix it first "
            f"(planreport check {display(path)}). First: {where}"
        )
    return loaded.value


def _no_plan_table(name: str, reading: Reading) -> str:
    """The message for a source with no table that looks like a plan."""
    if not reading.maps:
        return (
            f"{name}: there is no table here, so no plan to import. planreport imports a "
            "plan kept as a table (in Word, Excel, CSV or PDF) with a heading row."
        )
    described = []
    for table, _found in reading.maps[:5]:
        headings = [t for t in (table.rows[0].texts() if table.rows else []) if t][:6]
        shown = ", ".join(f"'{h[:30]}'" for h in headings) or "no headings"
        described.append(f"{table.name} ({shown})")
    more = f" and {len(reading.maps) - 5} more" if len(reading.maps) > 5 else ""
    return (
        f"{name}: no table here looks like an action plan: a plan table has a heading row "
        "with an action column ('Action', 'What we will do', 'Actions required', ...). "
        f"Tables found: {'; '.join(described)}{more}. If one of them is the plan, say which "
        "column holds the actions, e.g. --map 'Task=text'."
    )


def _plan_title(plan: draft.Plan, source: Path) -> None:
    """A title from the file's name when the document gives none."""
    if plan.title:
        return
    words = " ".join(re.sub(r"[_-]+", " ", strip_control(source.stem)).split())
    if words:
        plan.title = words[:1].upper() + words[1:]
        plan.title_from = "the file's name"


def _header(plan: draft.Plan, reading: Reading, name: str, path: Path, root: Path) -> list[str]:
    """The comment at the top of the plan: where it came from and how it was read."""
    lines = [f"Imported by planreport from {name} on {date.today().isoformat()}."]
    if plan.title_from:
        lines.append(f"The title is {plan.title_from}.")
    if reading.as_at is not None and any(
        u.date == reading.as_at.isoformat() for a in plan.actions for u in a.updates
    ):
        lines.append(
            f"Undated progress is dated {reading.as_at.isoformat()} ({reading.as_at_from})."
        )
    if plan.scheme is not None:
        lines.append(f"Statuses: {plan.scheme.how}.")
    lines += [f"{remark[:1].upper()}{remark[1:]}." for remark in plan.remarks]
    lines.append(
        "Each action says which table and row it came from; every '# TODO' marks something "
        "the source does not give, for you to complete."
    )
    return [yaml_out.modeline(path, root), "", *yaml_text.comment_lines(lines)]


def _plan_texts(
    project: Project, reading: Reading, target: Path, options: Options, name: str
) -> dict[Path, tuple[str, Any]]:
    """The YAML text of each file of the plan, with the values it must read back as."""
    plan = reading.plan
    root = project.root
    if not options.folder:
        doc = yaml_out.top(plan)
        header = _header(plan, reading, name, target, root)
        return {target: (yaml_text.dump(doc, header), yaml_text.plain(doc))}
    main = target / FOLDER_PLAN_FILE
    doc = yaml_out.top(plan, include_parts=False)
    texts = {
        main: (yaml_text.dump(doc, _header(plan, reading, name, main, root)), yaml_text.plain(doc))
    }
    for file_name, recs, actions in _split(plan):
        path = target / file_name
        part = yaml_text.Map()
        yaml_out.parts(part, recs, actions)
        texts[path] = (yaml_text.dump(part, [yaml_out.modeline(path, root)]), yaml_text.plain(part))
    return texts


def _split(
    plan: draft.Plan,
) -> list[tuple[str, list[draft.Recommendation], list[draft.Action]]]:
    """A folder plan's part files: one per recommendation, else one for the actions."""
    if not plan.recommendations:
        return [("actions.yaml", [], plan.actions)]
    parent = {ref: rec.ref for rec in plan.recommendations for ref, _text in rec.parts}
    by_rec: dict[str, list[draft.Action]] = {rec.ref: [] for rec in plan.recommendations}
    loose: list[draft.Action] = []
    for action in plan.actions:
        first = action.addresses[0] if action.addresses else None
        owner = parent.get(first, first) if first else None
        by_rec.get(owner or "", loose).append(action)
    width = max(2, len(str(len(plan.recommendations))))
    out = []
    for n, rec in enumerate(plan.recommendations, start=1):
        out.append((f"recommendation-{n:0{width}d}.yaml", [rec], by_rec[rec.ref]))
    if loose:
        out.append(("actions.yaml", [], loose))
    return out


def read_back(path: Path, text: str, expected: Any) -> None:
    """What is about to be written must read back as exactly what was meant (else a bug)."""
    problems = Problems()
    doc = loader.parse(text.encode("utf-8"), display(path), problems)
    same = expected is None or doc.data == expected
    if problems or doc.data is None or not same:
        first = problems[0].message if problems else "it reads back differently"
        raise ImportFailed(
            f"planreport made YAML for {display(path)} that it cannot read back ({first}); "
            "nothing was written. This is a bug in planreport; please report it."
        )


def _stale_parts(target: Path, texts: dict[Path, Any], options: Options) -> None:
    """--force on a folder plan: refuse if it holds part files this import would not replace."""
    if not options.folder or not target.is_dir():
        return
    others = sorted(
        p.name
        for p in target.iterdir()
        if p.suffix in (".yaml", ".yml") and p not in texts and p.name != PEOPLE_FILE
    )
    if others:
        raise ImportFailed(
            f"{display(target)} holds files this import would not replace ({', '.join(others)}), "
            "and they would stay part of the plan; move them away first. Nothing was written."
        )


def _inside(project: Project, path: Path) -> None:
    """Refuse to write anywhere but inside the project's plans folder, or through a link."""
    root = Path(os.path.realpath(project.root))
    plans = Path(os.path.realpath(project.plans_dir))
    real = Path(os.path.realpath(path.parent))
    if not plans.is_relative_to(root) or not real.is_relative_to(plans):
        raise ImportFailed(
            f"{display(path)} is outside the project's plans folder (plans/ or a folder in it "
            f"is a link to {real}); nothing was written."
        )
    for step in (path, *path.parents):
        if step == project.plans_dir.parent:
            break
        if step.is_symlink():
            raise ImportFailed(
                f"{display(step)} is a link; planreport will not write through it or replace "
                "it, so nothing was written. Put the file itself there instead of a link."
            )


def table_groups(reading: Reading) -> list[tuple[list[Table], TableMap]]:
    """Consecutive tables read the same way, grouped for the printed mapping."""
    groups: list[tuple[list[Table], TableMap]] = []
    for table, found in reading.maps:
        if found.kind == mapping.OTHER:
            continue
        if groups and (
            found.continued
            or (groups[-1][1].signature == found.signature and groups[-1][1].kind == found.kind)
        ):
            groups[-1][0].append(table)
        else:
            groups.append(([table], found))
    return groups
