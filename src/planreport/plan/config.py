"""The project's configuration, planreport.yaml: the council, and each command's settings.

Every key is optional and a project without the file has the defaults. The council is
typed here, for every stage that names it; each command's own section (`site`, `mail`) is
kept as its checked document, for that command to type, with every value's line and
column for its messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from planreport.plan import loader, loading
from planreport.problems import Location, Problems
from planreport.project import Loaded, Project


@dataclass(frozen=True)
class Council:
    """The council (or partnership) that publishes the plans."""

    name: str | None = None
    website: str | None = None


@dataclass
class Config:
    """planreport.yaml, checked: the council, and each section's values with their places."""

    council: Council = field(default_factory=Council)
    document: loader.Document | None = None

    def section(self, name: str) -> dict[str, Any]:
        """A section's values ({} when it is not given)."""
        data = self.document.data if self.document is not None else None
        value = data.get(name) if isinstance(data, dict) else None
        return value if isinstance(value, dict) else {}

    def where(self, *path: str | int) -> Location:
        """Where a value of the file is (the file itself when it has none)."""
        if self.document is None:
            return Location("planreport.yaml")
        return self.document.where(tuple(path))


def load(project: Project) -> Loaded[Config]:
    """The project's configuration: its file checked against the schema, or the defaults."""
    path = project.config_file()
    if path is None:
        return Loaded(Config(), [], ())
    return loading.value(project, path, "project", lambda doc, problems: _build(doc, problems))


def _build(doc: loader.Document, problems: Problems) -> Config:
    """The configuration from its schema-valid document."""
    data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
    council = data.get("council") or {}
    return Config(Council(council.get("name"), council.get("website")), doc)
