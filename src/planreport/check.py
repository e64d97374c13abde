"""`planreport check`: find plans, load, validate, build the model and apply the rules.

Never imports the rendering libraries, so checking stays fast.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import loader, model, rules, validate
from .model import Person, Plan
from .problems import Location, Problem, Problems, nearest

PEOPLE_FILE = "people.yaml"
PAPERS_FOLDER = "papers"  # paper definitions, checked by papers.py, not plans
FOLDER_PLAN_FILE = "plan.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A command given something it cannot work on (not a problem in a plan)."""


@dataclass
class PlanSource:
    """Where one plan lives: a single file, or a folder's plan.yaml and its part files."""

    id: str
    main: Path
    parts: list[Path] = field(default_factory=list)


@dataclass
class CheckResult:
    """Everything a check found, ready for a reporter."""

    problems: list[Problem]
    plans: list[Plan]
    files: int

    def count(self, severity: str) -> int:
        """How many problems have this severity."""
        return sum(1 for p in self.problems if p.severity.value == severity)


def check(paths: list[Path], as_at: date) -> CheckResult:
    """Check every plan under paths; collect all problems in all files."""
    problems = Problems()
    sources, people_files = discover(paths)
    registries = _Registries(problems)
    for path in people_files:
        registries.get(path)
    plans = []
    for source in sources:
        plan = load_plan(source, problems)
        if plan is None:
            continue
        people_path = find_people(source.main.parent)
        people = registries.get(people_path) if people_path else None
        context = rules.Context(people, as_at, display(people_path) if people_path else None)
        rules.check_plan(plan, context, problems)
        plans.append(plan)
    files = sum(1 + len(s.parts) for s in sources) + len(registries.loaded)
    files += _check_papers(paths, {p.id: p for p in plans}, {s.id for s in sources}, problems)
    return CheckResult(sorted(problems, key=Problem.sort_key), plans, files)


def _check_papers(
    paths: list[Path], plans: dict[str, Plan], known: set[str], problems: Problems
) -> int:
    """Check the paper definitions in each plans folder and the layouts they use."""
    from . import papers

    count = 0
    layouts_seen: set[Path] = set()
    for folder in (p for p in paths if p.is_dir()):
        templates = folder.resolve().parent / "templates"
        for path in papers.paper_files(folder):
            count += 1
            spec = papers.load_paper(path, problems, display(path))
            if spec is None:
                continue
            papers.known_plans(spec, known, display(folder), problems)
            layout = papers.find_layout(spec, templates, problems)
            if layout is not None and layout.resolve() not in layouts_seen:
                layouts_seen.add(layout.resolve())
                count += 1
                papers.load_layout(layout, problems, display(layout))
            _paper_statuses(spec, plans, problems)
    return count


def _paper_statuses(spec: object, plans: dict[str, Plan], problems: Problems) -> None:
    """A paper's status filter names statuses its plans use."""
    wanted = spec.filters.get("statuses", [])
    for plan_id in spec.plans:
        plan = plans.get(plan_id)
        if plan is None:
            continue
        keys = [level.key for level in plan.status_scheme.levels]
        for status in wanted:
            if status not in keys:
                problems.error(
                    spec.location,
                    "unknown-status",
                    f"the filter names status '{status}', which plan {plan_id} does not have "
                    f"({', '.join(keys)}).{nearest(status, keys)}",
                )


def discover(paths: list[Path]) -> tuple[list[PlanSource], list[Path]]:
    """The plans and people registries named by paths (files or folders)."""
    sources: list[PlanSource] = []
    people: list[Path] = []
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder.")
        _discover(path, sources, people)
    unique = {source.main.resolve(): source for source in sources}
    return list(unique.values()), list({p.resolve(): p for p in people}.values())


def _discover(path: Path, sources: list[PlanSource], people: list[Path]) -> None:
    """Add what path holds to sources and people."""
    if path.is_file():
        folder = _enclosing_folder_plan(path)
        if path.name == PEOPLE_FILE:
            people.append(path)
        elif folder:
            sources.append(_folder_plan(folder))
        else:
            sources.append(PlanSource(path.stem, path))
        return
    if (path / FOLDER_PLAN_FILE).is_file():
        sources.append(_folder_plan(path))
        return
    for child in sorted(path.iterdir(), key=_natural):
        if child.name.startswith(".") or (child.is_dir() and child.name == PAPERS_FOLDER):
            continue
        if child.is_dir() or child.suffix in YAML_SUFFIXES:
            _discover(child, sources, people)


def _enclosing_folder_plan(path: Path) -> Path | None:
    """The folder plan a file belongs to: the nearest folder above it with a plan.yaml."""
    for folder in path.resolve().parents:
        if (folder / FOLDER_PLAN_FILE).is_file():
            return path.parent if folder == path.resolve().parent else folder
    return None


def _folder_plan(folder: Path) -> PlanSource:
    """A plan kept as a folder: plan.yaml plus every other YAML file below it."""
    parts = [
        p
        for p in folder.rglob("*")
        if p.suffix in YAML_SUFFIXES
        and p.name not in (FOLDER_PLAN_FILE, PEOPLE_FILE)
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    ]
    return PlanSource(folder.name, folder / FOLDER_PLAN_FILE, sorted(parts, key=_natural))


def _natural(path: Path) -> list[object]:
    """Sort key putting rec-2.yaml before rec-10.yaml."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", str(path))]


def find_people(folder: Path) -> Path | None:
    """The people.yaml in folder or the nearest folder above it."""
    for candidate in [folder, *folder.resolve().parents]:
        if (candidate / PEOPLE_FILE).is_file():
            return candidate / PEOPLE_FILE
    return None


def display(path: Path) -> str:
    """A path as shown in messages: relative to the working folder when inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return os.fspath(path)


def load_plan(source: PlanSource, problems: Problems) -> Plan | None:
    """Load, validate and build one plan; None if it cannot be read far enough to check."""
    main = _load(source.main, "plan", problems)
    parts = [_load(p, "plan", problems) for p in source.parts]
    for doc in parts:
        _no_plan_keys(doc, problems)
    usable = [d for d in (main, *parts) if d.data is not None and d.valid]
    if len(usable) != 1 + len(parts):
        return None
    return model.build_plan(source.id, main, parts)


def _load(path: Path, schema: str, problems: Problems) -> loader.Document:
    """Load one file and validate it against the named schema."""
    doc = loader.load(path, problems, display(path))
    if doc.blocked:
        return doc
    if doc.data is None:
        if not any(p.location.path == doc.path for p in problems):
            problems.error(
                Location(doc.path),
                "empty-file",
                "this file is empty. Add the plan, or delete the file.",
            )
        return doc
    doc.valid = validate.validate(doc, schema, problems)
    return doc


def _no_plan_keys(doc: loader.Document, problems: Problems) -> None:
    """A folder plan's part files hold only lists; plan-level keys belong in plan.yaml."""
    if not isinstance(doc.data, dict):
        return
    for key in doc.data:
        if key not in model.PART_KEYS:
            problems.error(
                doc.key_where((key,)),
                "plan-key-in-part",
                f"'{key}' belongs in the folder's {FOLDER_PLAN_FILE}. This file may hold only: "
                f"{', '.join(model.PART_KEYS)}.",
            )
            doc.valid = False


class _Registries:
    """People registries, each loaded and validated once."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.loaded: dict[Path, dict[str, Person] | None] = {}

    def get(self, path: Path) -> dict[str, Person] | None:
        """The registry in path, or None if it has errors (already reported)."""
        key = path.resolve()
        if key not in self.loaded:
            doc = _load(path, "people", self.problems)
            people = model.build_people(doc) if doc.valid else None
            if people is not None:
                for person in people.values():
                    _person_named(person, self.problems)
            self.loaded[key] = people
        return self.loaded[key]


def _person_named(person: Person, problems: Problems) -> None:
    """A person needs a name, a role or initials for papers to show."""
    if not (person.name or person.role or person.initials):
        problems.error(
            person.location,
            "person-unnamed",
            f"'{person.id}' has no name, role or initials, so papers cannot show who leads. "
            "Add at least one of them.",
        )
