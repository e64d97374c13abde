"""Paper definitions (plans/papers/*.yaml) and layouts (templates/layouts/*.yaml).

Both are YAML read by the same loader as plans, so every mistake is reported with its
file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from . import dates, loader, validate
from .problems import Location, Problems, nearest

PAPERS_FOLDER = "papers"
LAYOUTS_FOLDER = "layouts"
FORMATS = ("pdf", "docx", "html")


@dataclass
class PaperSpec:
    """A validated paper definition."""

    id: str
    path: Path
    location: Location
    plans: list[str]
    as_at: date
    layout: str
    title: str | None = None
    subtitle: str | None = None
    committee: str | None = None
    meeting: date | None = None
    appendix: str | None = None
    author: dict[str, str] = field(default_factory=dict)
    filters: dict[str, Any] = field(default_factory=dict)
    formats: tuple[str, ...] = FORMATS
    language: str = "en-GB"
    next_meeting: date | None = None
    previous_as_at: date | None = None
    plan_locations: list[Location] = field(default_factory=list)
    layout_location: Location | None = None


def paper_files(plans_folder: Path) -> list[Path]:
    """The paper definitions in a plans folder's papers/ folder."""
    folder = plans_folder / PAPERS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def load_paper(path: Path, problems: Problems, display: str) -> PaperSpec | None:
    """Load and validate one paper definition; None if it has errors."""
    doc = loader.load(path, problems, display)
    if doc.blocked or not validate.validate(doc, "paper", problems):
        return None
    data = doc.data
    as_at = _day(data["as_at"], doc.where(("as_at",)), problems)
    optional = {
        key: _day(data[key], doc.where((key,)), problems) if key in data else None
        for key in ("meeting", "next_meeting", "previous_as_at")
    }
    if as_at is None or any(key in data and optional[key] is None for key in optional):
        return None
    return PaperSpec(
        id=path.stem,
        path=path,
        location=Location(display),
        plans=list(data["plans"]),
        as_at=as_at,
        layout=data["layout"],
        title=data.get("title"),
        subtitle=data.get("subtitle"),
        committee=data.get("committee"),
        meeting=optional["meeting"],
        next_meeting=optional["next_meeting"],
        previous_as_at=optional["previous_as_at"],
        appendix=data.get("appendix"),
        author=dict(data.get("author", {})),
        filters=dict(data.get("filters", {})),
        formats=tuple(data.get("formats", FORMATS)),
        language=data.get("language", "en-GB"),
        plan_locations=[doc.where(("plans", i)) for i in range(len(data["plans"]))],
        layout_location=doc.where(("layout",)),
    )


def with_previous(spec: PaperSpec, others: list[PaperSpec]) -> PaperSpec:
    """The spec, with previous_as_at found from earlier papers to the same committee."""
    if spec.previous_as_at is not None:
        return spec
    earlier = [
        o.as_at
        for o in others
        if o.committee == spec.committee
        and set(o.plans) == set(spec.plans)
        and o.as_at < spec.as_at
    ]
    if earlier:
        spec.previous_as_at = max(earlier)
    return spec


def _day(text: str, where: Location, problems: Problems) -> date | None:
    """A paper's as-at or meeting date, which must be a single day."""
    try:
        value = dates.parse(text)
    except dates.DateError as exc:
        problems.error(where, exc.rule, exc.message)
        return None
    if value.precision != "day":
        problems.error(
            where,
            "date-not-a-day",
            f"'{text}' is not a single day; a paper's dates are days, e.g. 2013-09-18.",
        )
        return None
    return value.first


def layout_path(name: str, templates: Path | None) -> Path | None:
    """The layout file called name: the project's templates/layouts/, else planreport's."""
    if templates is not None:
        for suffix in (".yaml", ".yml"):
            candidate = templates / LAYOUTS_FOLDER / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    packaged = resources.files("planreport").joinpath(f"templates/{LAYOUTS_FOLDER}/{name}.yaml")
    return Path(str(packaged)) if packaged.is_file() else None


def layout_names(templates: Path | None) -> list[str]:
    """Every layout a paper can name."""
    names = {p.stem for p in _packaged_layouts()}
    if templates is not None and (templates / LAYOUTS_FOLDER).is_dir():
        names |= {p.stem for p in (templates / LAYOUTS_FOLDER).glob("*.y*ml")}
    return sorted(names)


def _packaged_layouts() -> list[Path]:
    """planreport's own layouts."""
    folder = Path(str(resources.files("planreport").joinpath(f"templates/{LAYOUTS_FOLDER}")))
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def find_layout(spec: PaperSpec, templates: Path | None, problems: Problems) -> Path | None:
    """The file of the paper's layout, or None after reporting that there is none."""
    path = layout_path(spec.layout, templates)
    if path is None:
        names = layout_names(templates)
        problems.error(
            spec.layout_location or spec.location,
            "unknown-layout",
            f"there is no layout '{spec.layout}'.{nearest(spec.layout, names)} "
            f"Layouts: {', '.join(names)}.",
        )
    return path


def known_plans(spec: PaperSpec, plans: Iterable[str], folder: str, problems: Problems) -> bool:
    """Whether every plan the paper names exists; report each that does not."""
    plans = set(plans)
    ok = True
    for plan_id, where in zip(spec.plans, spec.plan_locations, strict=True):
        if plan_id not in plans:
            problems.error(
                where,
                "unknown-plan",
                f"there is no plan '{plan_id}' in {folder}.{nearest(plan_id, plans)}",
            )
            ok = False
    return ok


def load_layout(path: Path, problems: Problems, display: str) -> dict[str, Any] | None:
    """Load and validate a layout; None if it has errors."""
    doc = loader.load(path, problems, display)
    if doc.blocked or not validate.validate(doc, "layout", problems):
        return None
    total_ok = True
    for i, block in enumerate(doc.data["blocks"]):
        for column in block.get("columns", []):
            column["width"] = float(column["width"])
        widths = sum(c["width"] for c in block.get("columns", []))
        if widths > 100.5:
            problems.error(
                doc.where(("blocks", i, "columns")),
                "layout-too-wide",
                f"the columns of block {i + 1} add up to {widths:g}% of the page width; make "
                "them add up to 100 or less.",
            )
            total_ok = False
    return doc.data if total_ok else None
