"""The project: a council's plan repository, and the one place that finds, opens and loads it.

A project is a folder holding `plans/` (plans, `people.yaml`, `papers/`) and optionally
`templates/` (`layouts/`, the HTML template and stylesheet, the Word reference document).
Every file planreport reads is read here, and only if it is a regular file inside the
project or inside planreport's own packaged templates.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from planreport import files, reference
from planreport.files import FileRefused
from planreport.paper import definitions as papers
from planreport.paper import layouts
from planreport.paper.definitions import PaperSpec
from planreport.paper.layouts import Layout
from planreport.plan import loader, model, validate
from planreport.plan.model import Person, Plan
from planreport.problems import Location, Problem, Problems

PLANS_FOLDER = "plans"
TEMPLATES_FOLDER = "templates"
PAPERS_FOLDER = "papers"
LAYOUTS_FOLDER = "layouts"
PEOPLE_FILE = "people.yaml"
FOLDER_PLAN_FILE = "plan.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
T = TypeVar("T")


class UsageError(Exception):
    """A command given something it cannot work on (not a problem in a file)."""


class Kind(StrEnum):
    """What a file in a project is, from where it lives."""

    PLAN = "plan"
    PEOPLE = "people"
    PAPER = "paper"
    LAYOUT = "layout"


@dataclass
class PlanSource:
    """Where one plan lives: a single file, or a folder's plan.yaml and its part files."""

    id: str
    main: Path
    parts: list[Path] = field(default_factory=list)

    @property
    def files(self) -> list[Path]:
        """Every file of the plan."""
        return [self.main, *self.parts]


@dataclass
class Loaded(Generic[T]):
    """Something loaded from files: its value (None if unusable), problems and files."""

    value: T | None
    problems: list[Problem]
    files: tuple[Path, ...]


@dataclass
class Targets:
    """What a check covers, sorted by kind."""

    plans: list[PlanSource] = field(default_factory=list)
    people: list[Path] = field(default_factory=list)
    papers: list[Path] = field(default_factory=list)
    layouts: list[Path] = field(default_factory=list)


def packaged_templates() -> Path:
    """planreport's own templates folder (HTML template, stylesheet, layouts, reference)."""
    return Path(str(resources.files("planreport").joinpath("templates")))


def display(path: Path) -> str:
    """A path as shown in messages: relative to the working folder when inside it.

    A file name that is not UTF-8 shows its undecodable bytes as U+FFFD, so that every
    report (text, JSON, GitHub) can print it.
    """
    resolved = Path(os.path.abspath(path))
    try:
        shown = resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = os.fspath(path)
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class Project:
    """A plan repository: finds its files, reads them safely and loads each thing once."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.plans_dir = self.root / PLANS_FOLDER
        self.templates_dir = self.root / TEMPLATES_FOLDER
        self._trusted = (self.root, packaged_templates().resolve())
        self._plans: dict[Path, Loaded[Plan]] = {}
        self._people: dict[Path, Loaded[dict[str, Person]]] = {}
        self._documents: dict[tuple[Path, str], Loaded[loader.Document]] = {}
        self._sources: dict[str, PlanSource] | None = None
        self._values: dict[tuple[Path, str], Loaded[Any]] = {}
        self.refused: dict[Problem, None] = {}  # folders not entered: unreadable, or links out

    @classmethod
    def open(cls, root: Path | None = None) -> Project:
        """The project in root (default: the working folder); UsageError if it is not one."""
        folder = root if root is not None else Path.cwd()
        if not folder.is_dir():
            raise UsageError(f"{folder}: no such folder.")
        if not (folder / PLANS_FOLDER).is_dir():
            where = "here" if root is None else f"in {folder}"
            raise UsageError(
                f"there is no {PLANS_FOLDER}/ folder {where}, so this is not a plan repository. "
                "Run planreport in the folder that holds plans/, or name it with --project DIR."
            )
        return cls(folder)

    # --- files -------------------------------------------------------------------

    def inside(self, path: Path) -> bool:
        """Whether path, with every link followed, is inside the project."""
        return Path(os.path.realpath(path)).is_relative_to(self.root)

    def target(self, path: Path) -> Path:
        """A path named on the command line; UsageError if missing or outside the project."""
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder.")
        if not self.inside(path):
            raise UsageError(
                f"{path} is outside the project ({self.root}); planreport reads only "
                "files inside the project. Run it in the repository that holds this file."
            )
        return path

    def read_bytes(self, path: Path, limit: int = files.MAX_BYTES) -> bytes:
        """A regular file's bytes, if it is inside the project or planreport; else FileRefused."""
        return files.read(path, self._trusted, limit)

    def _walk(self, folder: Path) -> Iterator[Path]:
        """Files and folders directly in folder, in natural order, hidden ones left out.

        A folder that cannot be listed, or a link to a folder outside the project, is
        noted in self.refused and not entered.
        """
        if not self.inside(folder):
            self._refuse(folder, "outside-project", _OUTSIDE.format(Path(os.path.realpath(folder))))
            return
        try:
            children = sorted(folder.iterdir(), key=_natural)
        except OSError as exc:
            self._refuse(folder, "file-unreadable", f"cannot read this folder: {exc.strerror}.")
            return
        for child in children:
            if not child.name.startswith("."):
                yield child

    def _refuse(self, path: Path, rule: str, message: str) -> None:
        """Note a folder planreport would not enter, for check to report."""
        problems = Problems()
        problems.error(Location(display(path)), rule, message)
        self.refused.update(dict.fromkeys(problems))

    def _yaml_files(self, folder: Path) -> list[Path]:
        """The YAML files directly in folder."""
        return [p for p in self._walk(folder) if p.suffix in YAML_SUFFIXES and not _is_dir(p)]

    # --- what lives where ------------------------------------------------------------

    def kind(self, path: Path) -> Kind:
        """What a YAML file is, from where it lives."""
        if path.name == PEOPLE_FILE:
            return Kind.PEOPLE
        if self._folder_plan_of(path) is None:
            if path.parent.name == PAPERS_FOLDER:
                return Kind.PAPER
            if path.parent.name == LAYOUTS_FOLDER:
                return Kind.LAYOUT
        return Kind.PLAN

    def _folder_plan_of(self, path: Path) -> Path | None:
        """The folder plan a file belongs to: the nearest folder above it with a plan.yaml."""
        folder = path.parent
        while self.inside(folder) and folder != folder.parent:
            real = Path(os.path.realpath(folder))
            if real in (self.root, self.plans_dir):
                return None
            if _is_file(folder / FOLDER_PLAN_FILE):
                return folder
            folder = folder.parent
        return None

    def _is_folder_plan(self, folder: Path) -> bool:
        """Whether a folder is a folder plan (a plan.yaml in it; never plans/ itself)."""
        real = Path(os.path.realpath(folder))
        return real not in (self.root, self.plans_dir) and _is_file(folder / FOLDER_PLAN_FILE)

    def targets(self, paths: Iterable[Path]) -> Targets:
        """Sort the files and folders named by paths (default: the whole project) by kind."""
        found = Targets()
        for path in paths:
            self._add(self.target(path), found)
        plans = {_key(source.main): source for source in found.plans}
        found.plans = list(plans.values())
        for name in ("people", "papers", "layouts"):
            unique = {_key(p): p for p in getattr(found, name)}
            setattr(found, name, list(unique.values()))
        return found

    def everything(self) -> list[Path]:
        """The folders a check of the whole project covers."""
        return [self.plans_dir] + ([self.templates_dir] if _is_dir(self.templates_dir) else [])

    def _add(self, path: Path, found: Targets) -> None:
        """Add what path holds to found."""
        if _is_dir(path):
            self._add_folder(path, found)
            return
        folder = self._folder_plan_of(path)
        kind = self.kind(path)
        if folder is not None and kind is Kind.PLAN:
            found.plans.append(self._folder_source(folder))
        elif kind is Kind.PLAN:
            found.plans.append(PlanSource(path.stem, path))
        else:
            getattr(
                found, {"people": "people", "paper": "papers", "layout": "layouts"}[kind]
            ).append(path)

    def _add_folder(self, folder: Path, found: Targets) -> None:
        """Add a folder's plans, people, papers and layouts."""
        if self._is_folder_plan(folder):
            found.plans.append(self._folder_source(folder))
            return
        for child in self._walk(folder):
            if _is_dir(child):
                self._add_folder(child, found)
            elif child.suffix in YAML_SUFFIXES:
                self._add(child, found)

    def _folder_source(self, folder: Path) -> PlanSource:
        """A plan kept as a folder: plan.yaml plus every other YAML file below it."""
        parts: list[Path] = []
        pending = [folder]
        while pending:
            current = pending.pop()
            for child in self._walk(current):
                if _is_dir(child):
                    pending.append(child)
                elif child.suffix in YAML_SUFFIXES and child.name not in (
                    FOLDER_PLAN_FILE,
                    PEOPLE_FILE,
                ):
                    parts.append(child)
        return PlanSource(folder.name, folder / FOLDER_PLAN_FILE, sorted(parts, key=_natural))

    def plan_sources(self) -> dict[str, PlanSource]:
        """Every plan in plans/, by id (papers name plans by these ids)."""
        if self._sources is None:
            found = Targets()
            self._add_folder(self.plans_dir, found)
            self._sources = {source.id: source for source in found.plans}
        return self._sources

    def paper_files(self) -> list[Path]:
        """The paper definitions in plans/papers/."""
        return self._yaml_files(self.plans_dir / PAPERS_FOLDER)

    def layout_file(self, name: str) -> Path | None:
        """The layout called name: the project's templates/layouts/, else planreport's."""
        for folder in (self.templates_dir / LAYOUTS_FOLDER, packaged_templates() / LAYOUTS_FOLDER):
            for suffix in YAML_SUFFIXES:
                candidate = folder / f"{name}{suffix}"
                if _is_file(candidate):
                    return candidate
        return None

    def layout_names(self) -> list[str]:
        """Every layout a paper can name."""
        folders = (self.templates_dir / LAYOUTS_FOLDER, packaged_templates() / LAYOUTS_FOLDER)
        return sorted({p.stem for folder in folders for p in self._yaml_files(folder)})

    def template_dirs(self) -> tuple[Path, ...]:
        """Where templates are looked for: the project's templates/ first, then planreport's."""
        own = (self.templates_dir,) if _is_dir(self.templates_dir) else ()
        return (*own, packaged_templates())

    def reference_document(self) -> Path:
        """The Word reference document: templates/reference.docx (or .dotx), else planreport's."""
        for name in ("reference.docx", "reference.dotx"):
            if _is_file(self.templates_dir / name):
                return self.templates_dir / name
        return packaged_templates() / "reference.docx"

    def load_reference(self) -> reference.Reference:
        """The Word reference document, lacking no style; ReferenceRefused if it is unusable."""
        path = self.reference_document()
        own = packaged_templates() / "reference.docx"
        return reference.load(path, self._trusted, own, display(path))

    def people_file(self, near: Path) -> Path | None:
        """The people.yaml for a file: in its folder or one above it, up to the project root."""
        folder = near.parent
        while self.inside(folder):
            if _is_file(folder / PEOPLE_FILE):
                return folder / PEOPLE_FILE
            if Path(os.path.realpath(folder)) == self.root or folder == folder.parent:
                return None
            folder = folder.parent
        return None

    # --- loading -------------------------------------------------------------------

    def document(self, path: Path, schema: str) -> Loaded[loader.Document]:
        """A YAML file read, parsed and checked against a schema (once per file and schema)."""
        key = (_key(path), schema)
        if key not in self._documents:
            problems = Problems()
            doc = self._parse(path, problems)
            if doc is not None and not doc.blocked:
                if doc.data is None and not problems:
                    problems.error(
                        Location(doc.path),
                        "empty-file",
                        f"this file is empty. Add the {schema}, or delete the file.",
                    )
                doc.valid = validate.validate(doc, schema, problems)
            self._documents[key] = Loaded(doc, list(problems), (path,))
        return self._documents[key]

    def _parse(self, path: Path, problems: Problems) -> loader.Document | None:
        """Read and parse one YAML file, reporting why not where it cannot be."""
        name = display(path)
        try:
            raw = self.read_bytes(path)
        except FileRefused as exc:
            problems.error(Location(name), exc.rule, exc.message)
            return None
        return loader.parse(raw, name, problems)

    def load_plan(self, source: PlanSource) -> Loaded[Plan]:
        """A plan loaded, validated and built into the model (once)."""
        key = _key(source.main)
        if key not in self._plans:
            main = self.document(source.main, "plan")
            parts = [self.document(p, "plan") for p in source.parts]
            problems = [*main.problems, *(p for part in parts for p in part.problems)]
            extra = Problems()
            for part in parts:
                _no_plan_keys(part.value, extra)
            problems += extra
            docs = [main.value, *(part.value for part in parts)]
            plan = _build_what_can_be(source.id, docs, bool(extra))
            self._plans[key] = Loaded(plan, problems, tuple(source.files))
        return self._plans[key]

    def load_people(self, path: Path) -> Loaded[dict[str, Person]]:
        """A people registry, loaded and validated (once)."""
        key = _key(path)
        if key not in self._people:
            loaded = self.document(path, "people")
            problems = Problems()
            people = (
                model.build_people(loaded.value) if loaded.value and loaded.value.valid else None
            )
            for person in (people or {}).values():
                _person_named(person, problems)
            self._people[key] = Loaded(people, [*loaded.problems, *problems], (path,))
        return self._people[key]

    def load_paper(self, path: Path) -> Loaded[PaperSpec]:
        """A paper definition, loaded and validated (once)."""
        return self._cached(
            path, "paper", lambda doc, problems: papers.from_document(doc, path, problems)
        )

    def load_layout(self, path: Path) -> Loaded[Layout]:
        """A layout, loaded, validated and typed (once)."""
        return self._cached(path, "layout", layouts.from_document)

    def _cached(
        self, path: Path, schema: str, build: Callable[[loader.Document, Problems], T | None]
    ) -> Loaded[T]:
        """A document of a schema turned into a value by build, once per file."""
        key = (_key(path), f"{schema}:value")
        if key not in self._values:
            loaded = self.document(path, schema)
            problems = Problems()
            doc = loaded.value
            value = build(doc, problems) if doc is not None and doc.valid else None
            self._values[key] = Loaded(value, [*loaded.problems, *problems], loaded.files)
        return self._values[key]

    def people_for(self, source: PlanSource) -> tuple[Path | None, Loaded[dict[str, Person]]]:
        """The people registry a plan's leads are looked up in, and its file."""
        path = self.people_file(source.main)
        if path is None:
            return None, Loaded({}, [], ())
        return path, self.load_people(path)


_OUTSIDE = (
    "this is a link to {}, which is outside the project; planreport reads only files inside "
    "it. Put the folder itself here instead of a link."
)


def _build_what_can_be(
    plan_id: str, docs: list[loader.Document | None], keys_misplaced: bool
) -> Plan | None:
    """The plan built from its files, leaving out the parts with schema errors.

    Unknown keys and list items (an action, a recommendation) with errors are cut, so that
    every other part is still checked in the same run; the plan is then marked partial.
    None if a file cannot be read, or an error is where nothing can be cut.
    """
    if any(d is None or d.data is None or d.blocked for d in docs):
        return None
    if any(not d.valid and d.cuts is None for d in docs) or not isinstance(docs[0].data, dict):
        return None
    usable = [
        d if d.valid else dataclasses.replace(d, data=validate.cut(d), valid=True) for d in docs
    ]
    if keys_misplaced:
        usable[1:] = [
            dataclasses.replace(d, data={k: v for k, v in d.data.items() if k in model.PART_KEYS})
            for d in usable[1:]
        ]
    plan = model.build_plan(plan_id, usable[0], usable[1:])
    plan.partial = keys_misplaced or not all(d.valid for d in docs)
    return plan


def _is_file(path: Path) -> bool:
    """Whether path is a file; False if the system will not say (a folder without rights)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    """Whether path is a folder; False if the system will not say."""
    try:
        return path.is_dir()
    except OSError:
        return False


def _key(path: Path) -> Path:
    """A file's identity for caches: its absolute path, links not followed."""
    return Path(os.path.abspath(path))


def _natural(path: Path) -> list[Any]:
    """Sort key putting rec-2.yaml before rec-10.yaml."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", str(path))]


def _no_plan_keys(doc: loader.Document | None, problems: Problems) -> None:
    """A folder plan's part files hold only lists; plan-level keys belong in plan.yaml."""
    if doc is None or not isinstance(doc.data, dict):
        return
    for key in doc.data:
        if key not in model.PART_KEYS:
            problems.error(
                doc.key_where((key,)),
                "plan-key-in-part",
                f"'{key}' belongs in the folder's {FOLDER_PLAN_FILE}. This file may hold only: "
                f"{', '.join(model.PART_KEYS)}.",
            )


def _person_named(person: Person, problems: Problems) -> None:
    """A person needs a name, a role or initials for papers to show."""
    if not (person.name or person.role or person.initials):
        problems.error(
            person.location,
            "person-unnamed",
            f"'{person.id}' has no name, role or initials, so papers cannot show who leads. "
            "Add at least one of them.",
        )
