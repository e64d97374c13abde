"""Report templates (templates/report-templates/*.yaml): a council's cover report skeleton.

A template names the header table's rows, the report's sections in order (each a `## `
heading in the officer's text, some with `### ` subsections), which are required, and
house rules such as a page limit. planreport ships `default`, the skeleton English
councils' templates share; a council's own template in its project replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planreport.plan import loader, loading
from planreport.problems import Location, Problems, nearest, register
from planreport.project import REPORT_TEMPLATES_FOLDER, Loaded, Project

DEFAULT = "default"
# Header fields filled from the paper itself, not from its cover's `header:`.
FROM_PAPER = ("committee", "meeting", "title", "contact", "publication")
register("duplicate-section", "a section written twice (or a template listing one twice)")
RECOMMENDATIONS, BACKGROUND_PAPERS, TEXT = "recommendations", "background-papers", "text"


@dataclass(frozen=True)
class HeaderField:
    """One row of the cover report's header table."""

    field: str
    label: str
    required: bool = True


@dataclass(frozen=True)
class Section:
    """A section of the report: its heading, whether required, its kind and subsections."""

    heading: str
    required: bool = True
    kind: str = TEXT
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class ReportTemplate:
    """A council's report template, typed."""

    name: str
    header: tuple[HeaderField, ...]
    sections: tuple[Section, ...]
    page_limit: int | None = None
    path: Path = field(default=Path(), compare=False)


def from_document(doc: loader.Document, path: Path, problems: Problems) -> ReportTemplate | None:
    """The typed template of a schema-valid document; None after reporting a repeated heading."""
    data = doc.data
    sections = tuple(_section(raw) for raw in data["sections"])
    before = len(problems)
    _unique(doc, ("sections",), [s.heading for s in sections], problems)
    for i, section in enumerate(sections):
        heads = [s.heading for s in section.subsections]
        _unique(doc, ("sections", i, "subsections"), heads, problems)
    _unique(doc, ("header",), [h["field"] for h in data["header"]], problems, "field")
    if len(problems) > before:
        return None
    header = tuple(
        HeaderField(h["field"], h["label"], h.get("required", True)) for h in data["header"]
    )
    return ReportTemplate(path.stem, header, sections, _limit(data), path)


def _limit(data: dict) -> int | None:
    """The page limit, if the template sets one."""
    return int(data["page_limit"]) if "page_limit" in data else None


def _section(raw: dict) -> Section:
    """A section (or subsection) as written in the template."""
    subsections = tuple(_section(s) for s in raw.get("subsections", ()))
    return Section(raw["heading"], raw.get("required", True), raw.get("kind", TEXT), subsections)


def _unique(
    doc: loader.Document,
    where: tuple,
    names: list[str],
    problems: Problems,
    key: str = "heading",
) -> None:
    """Report each heading (or field) written twice in one list."""
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name.casefold() in seen:
            problems.error(
                doc.where((*where, i, key)),
                "duplicate-section",
                f"'{name}' is in this list twice. Remove or rename one of them.",
            )
        seen.add(name.casefold())


def load(project: Project, path: Path) -> Loaded[ReportTemplate]:
    """A report template, loaded, validated and typed (once)."""
    return loading.value(
        project, path, "report_template", lambda doc, problems: from_document(doc, path, problems)
    )


def find(
    project: Project, name: str, where: Location, problems: Problems
) -> Loaded[ReportTemplate] | None:
    """The report template a paper names; None after reporting that there is none."""
    path = project.layout_file(name, REPORT_TEMPLATES_FOLDER)
    if path is None:
        names = project.layout_names(REPORT_TEMPLATES_FOLDER)
        problems.error(
            where,
            "unknown-report-template",
            f"there is no report template '{name}'.{nearest(name, names)} "
            f"Report templates: {', '.join(names)}.",
        )
        return None
    return load(project, path)
