"""The project: a council's plan repository, and the one place that finds, opens and loads it.

A project is a folder holding `plans/` (plans, `people.yaml`, `papers/`) and optionally
`templates/` (`layouts/`, the HTML template and stylesheet, the Word reference document).
Every file planreport reads is read here, and only if it is a regular file inside the
project or inside planreport's own packaged templates.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

from planreport import files
from planreport.ooxml import reference
from planreport.problems import Location, Problem, Problems

PLANS_FOLDER = "plans"
TEMPLATES_FOLDER = "templates"
PAPERS_FOLDER = "papers"
LAYOUTS_FOLDER = "layouts"
REPORT_TEMPLATES_FOLDER = "report-templates"
ROUNDS_FOLDER = "rounds"  # the update rounds' records, at the project's root
PEOPLE_FILE = "people.yaml"
FOLDER_PLAN_FILE = "plan.yaml"
CONFIG_FILE = "planreport.yaml"
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
    CONFIG = "config"
    REPORT_TEMPLATE = "report_template"
    ROUND = "round"


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
    configs: list[Path] = field(default_factory=list)
    report_templates: list[Path] = field(default_factory=list)
    rounds: list[Path] = field(default_factory=list)


_TARGETS = {
    Kind.PEOPLE: "people",
    Kind.PAPER: "papers",
    Kind.LAYOUT: "layouts",
    Kind.REPORT_TEMPLATE: "report_templates",
    Kind.CONFIG: "configs",
    Kind.ROUND: "rounds",
}


def packaged_templates() -> Path:
    """planreport's own templates folder (HTML template, stylesheet, layouts, reference)."""
    return files.packaged("templates")


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
        self._loaded: dict[tuple[Any, ...], Loaded[Any]] = {}
        self._sources: dict[str, PlanSource] | None = None
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

        A folder that cannot be listed, or a link to a folder outside the project (and
        outside planreport's own templates), is noted in self.refused and not entered.
        """
        real = Path(os.path.realpath(folder))
        if not any(real.is_relative_to(trusted) for trusted in self._trusted):
            self._refuse(folder, "outside-project", _OUTSIDE.format(Path(os.path.realpath(folder))))
            return
        try:
            children = sorted(folder.iterdir(), key=_natural)
        except FileNotFoundError:  # a folder the project does not have (templates/layouts)
            return
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
        parent = Path(os.path.realpath(path.parent))
        if path.name == CONFIG_FILE and parent == self.root:
            return Kind.CONFIG
        if parent == self.root / ROUNDS_FOLDER:
            return Kind.ROUND
        if self._folder_plan_of(path) is None:
            if path.parent.name == PAPERS_FOLDER:
                return Kind.PAPER
            if path.parent.name == LAYOUTS_FOLDER:
                return Kind.LAYOUT
            if path.parent.name == REPORT_TEMPLATES_FOLDER:
                return Kind.REPORT_TEMPLATE
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
        plans = {key(source.main): source for source in found.plans}
        found.plans = list(plans.values())
        for name in _TARGETS.values():
            unique = {key(p): p for p in getattr(found, name)}
            setattr(found, name, list(unique.values()))
        return found

    def everything(self) -> list[Path]:
        """The folders (and the configuration file) a check of the whole project covers.

        The plans, the templates, planreport.yaml and the update rounds' records.
        """
        config = self.config_file()
        return [
            self.plans_dir,
            *([self.templates_dir] if _is_dir(self.templates_dir) else []),
            *([config] if config is not None else []),
            *([rounds] if _is_dir(rounds := self.root / ROUNDS_FOLDER) else []),
        ]

    def config_file(self) -> Path | None:
        """The project's configuration file, planreport.yaml, if it has one."""
        path = self.root / CONFIG_FILE
        return path if _is_file(path) else None

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
            getattr(found, _TARGETS[kind]).append(path)

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

    def layout_file(self, name: str, kind: str = LAYOUTS_FOLDER) -> Path | None:
        """The layout (or report template) called name: the project's, else planreport's."""
        for folder in (self.templates_dir / kind, packaged_templates() / kind):
            for suffix in YAML_SUFFIXES:
                candidate = folder / f"{name}{suffix}"
                if _is_file(candidate):
                    return candidate
        return None

    def layout_names(self, kind: str = LAYOUTS_FOLDER) -> list[str]:
        """Every layout (or report template) a paper can name."""
        folders = (self.templates_dir / kind, packaged_templates() / kind)
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

    # --- loaded things, once each ---------------------------------------------------

    def cached(self, key: tuple[Any, ...], make: Callable[[], Loaded[T]]) -> Loaded[T]:
        """What make loads, made once per key (a file's identity and what it is read as)."""
        if key not in self._loaded:
            self._loaded[key] = make()
        return self._loaded[key]


_OUTSIDE = (
    "this is a link to {}, which is outside the project; planreport reads only files inside "
    "it. Put the folder itself here instead of a link."
)


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


def key(path: Path) -> Path:
    """A file's identity for caches: its absolute path, links not followed."""
    return Path(os.path.abspath(path))


def _natural(path: Path) -> list[Any]:
    """Sort key putting rec-2.yaml before rec-10.yaml."""
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", str(path))]
