"""Loading a project's YAML files: each read through the project, parsed, validated, once.

The project finds and opens files and keeps what is loaded; this module turns a file into
a checked document, a plan or a people registry. The paper side loads its definitions and
layouts through `value`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from planreport.files import FileRefused
from planreport.plan import building, loader, model, validate
from planreport.plan.model import Person, Plan
from planreport.problems import Location, Problems
from planreport.project import FOLDER_PLAN_FILE, Loaded, PlanSource, Project, display, key

T = TypeVar("T")


def document(project: Project, path: Path, schema: str) -> Loaded[loader.Document]:
    """A YAML file read, parsed and checked against a schema (once per file and schema)."""
    return project.cached(("document", key(path), schema), lambda: _document(project, path, schema))


def _document(project: Project, path: Path, schema: str) -> Loaded[loader.Document]:
    """A YAML file read, parsed and checked against a schema."""
    problems = Problems()
    doc = _parse(project, path, problems)
    if doc is not None and not doc.blocked:
        if doc.data is None and not problems:
            problems.error(
                Location(doc.path),
                "empty-file",
                f"this file is empty. Add the {schema}, or delete the file.",
            )
        doc.valid = validate.validate(doc, schema, problems)
    return Loaded(doc, list(problems), (path,))


def _parse(project: Project, path: Path, problems: Problems) -> loader.Document | None:
    """Read and parse one YAML file, reporting why not where it cannot be."""
    name = display(path)
    try:
        raw = project.read_bytes(path)
    except FileRefused as exc:
        problems.error(Location(name), exc.rule, exc.message)
        return None
    return loader.parse(raw, name, problems)


def value(
    project: Project,
    path: Path,
    schema: str,
    build: Callable[[loader.Document, Problems], T | None],
) -> Loaded[T]:
    """A document of a schema turned into a value by build, once per file."""
    return project.cached(
        ("value", key(path), schema), lambda: _value(project, path, schema, build)
    )


def _value(
    project: Project,
    path: Path,
    schema: str,
    build: Callable[[loader.Document, Problems], T | None],
) -> Loaded[T]:
    """A document of a schema turned into a value by build."""
    loaded = document(project, path, schema)
    problems = Problems()
    doc = loaded.value
    made = build(doc, problems) if doc is not None and doc.valid else None
    return Loaded(made, [*loaded.problems, *problems], loaded.files)


def load_plan(project: Project, source: PlanSource) -> Loaded[Plan]:
    """A plan loaded, validated and built into the model (once)."""
    return project.cached(("plan", key(source.main)), lambda: _load_plan(project, source))


def _load_plan(project: Project, source: PlanSource) -> Loaded[Plan]:
    """A plan loaded, validated and built into the model."""
    main = document(project, source.main, "plan")
    parts = [document(project, p, "plan") for p in source.parts]
    problems = [*main.problems, *(p for part in parts for p in part.problems)]
    extra = Problems()
    for part in parts:
        _no_plan_keys(part.value, extra)
    problems += extra
    docs = [main.value, *(part.value for part in parts)]
    plan = _build_what_can_be(source.id, docs, bool(extra))
    return Loaded(plan, problems, tuple(source.files))


def load_people(project: Project, path: Path) -> Loaded[dict[str, Person]]:
    """A people registry, loaded and validated (once)."""
    return project.cached(("people", key(path)), lambda: _load_people(project, path))


def _load_people(project: Project, path: Path) -> Loaded[dict[str, Person]]:
    """A people registry, loaded and validated."""
    loaded = document(project, path, "people")
    problems = Problems()
    people = building.build_people(loaded.value) if loaded.value and loaded.value.valid else None
    for person in (people or {}).values():
        _person_named(person, problems)
    return Loaded(people, [*loaded.problems, *problems], (path,))


def people_for(
    project: Project, source: PlanSource
) -> tuple[Path | None, Loaded[dict[str, Person]]]:
    """The people registry a plan's leads are looked up in, and its file."""
    path = project.people_file(source.main)
    if path is None:
        return None, Loaded({}, [], ())
    return path, load_people(project, path)


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
    plan = building.build_plan(plan_id, usable[0], usable[1:])
    plan.partial = keys_misplaced or not all(d.valid for d in docs)
    return plan


def _no_plan_keys(doc: loader.Document | None, problems: Problems) -> None:
    """A folder plan's part files hold only lists; plan-level keys belong in plan.yaml."""
    if doc is None or not isinstance(doc.data, dict):
        return
    for name in doc.data:
        if name not in model.PART_KEYS:
            problems.error(
                doc.key_where((name,)),
                "plan-key-in-part",
                f"'{name}' belongs in the folder's {FOLDER_PLAN_FILE}. This file may hold only: "
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
