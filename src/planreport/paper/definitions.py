"""Paper definitions (plans/papers/*.yaml) and layouts (templates/layouts/*.yaml).

Both are YAML read by the same loader as plans, so every mistake is reported with its
file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from planreport.paper import layouts
from planreport.plan import dates, loader, loading
from planreport.problems import Location, Problems, nearest
from planreport.project import Loaded, Project

COVER_SUFFIX = ".cover.md"  # the cover report's text, beside the paper definition
COVER_FILE = "-cover"  # the cover report's own file (<paper>-cover.pdf), when built apart


@dataclass
class CoverSpec:
    """A paper's cover report: its template, header fields and where its text is."""

    text: Path  # plans/papers/<paper>.cover.md
    location: Location  # the `cover:` key
    template: str = "default"
    template_location: Location | None = None
    header: dict[str, str] = field(default_factory=dict)
    header_locations: dict[str, Location] = field(default_factory=dict)
    contact: dict[str, str] = field(default_factory=dict)
    exempt: bool = False  # not for publication
    exempt_paragraph: str | None = None  # the paragraph of Schedule 12A that applies
    separate: bool = False  # the cover report and the appendix as separate files


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
    formats: tuple[str, ...] | None = None  # None: every format planreport writes
    language: str = "en-GB"
    next_meeting: date | None = None
    previous_as_at: date | None = None
    plan_locations: list[Location] = field(default_factory=list)
    layout_location: Location | None = None
    filter_location: Location | None = None
    wording: dict[str, str] = field(default_factory=dict)  # phrases reworded, over the layout's
    cover: CoverSpec | None = None


def from_document(doc: loader.Document, path: Path, problems: Problems) -> PaperSpec | None:
    """The paper definition in a schema-valid document; None after reporting bad dates."""
    data = doc.data
    as_at = _day(data["as_at"], doc.where(("as_at",)), problems)
    optional = {
        key: _day(data[key], doc.where((key,)), problems) if key in data else None
        for key in ("meeting", "next_meeting", "previous_as_at")
    }
    before = len(problems)
    words = layouts.check_wording(doc, problems)
    if as_at is None or any(key in data and optional[key] is None for key in optional):
        return None
    if len(problems) > before:
        return None
    return PaperSpec(
        id=path.stem,
        path=path,
        location=Location(doc.path),
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
        formats=tuple(data["formats"]) if "formats" in data else None,
        language=data.get("language", "en-GB"),
        plan_locations=[doc.where(("plans", i)) for i in range(len(data["plans"]))],
        layout_location=doc.where(("layout",)),
        filter_location=doc.where(("filters", "statuses")),
        wording=words,
        cover=_cover(doc, path) if "cover" in data else None,
    )


def _cover(doc: loader.Document, path: Path) -> CoverSpec:
    """The paper's `cover:` settings, with where each was written."""
    data = doc.data["cover"]
    header = dict(data.get("header", {}))
    return CoverSpec(
        text=path.with_name(path.stem + COVER_SUFFIX),
        location=doc.key_where(("cover",)),
        template=data.get("template", "default"),
        template_location=doc.where(("cover", "template")) if "template" in data else None,
        header=header,
        header_locations={k: doc.key_where(("cover", "header", k)) for k in header},
        contact=dict(data.get("contact", {})),
        exempt=data.get("exempt", False),
        exempt_paragraph=data.get("exempt_paragraph"),
        separate=data.get("separate", False),
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


def load(project: Project, path: Path) -> Loaded[PaperSpec]:
    """A paper definition, loaded and validated (once)."""
    return loading.value(
        project, path, "paper", lambda doc, problems: from_document(doc, path, problems)
    )
