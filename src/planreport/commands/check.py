"""`planreport check`: every file of a project checked as what it is, every problem found.

Plans are loaded, validated, built into the model and put through the rules; people
registries, paper definitions and layouts are checked too. A paper is checked with
everything it is built from, so `build` renders exactly the papers `check` accepts.
Never imports the rendering libraries, so checking stays fast.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planreport.ooxml.reference import ReferenceRefused
from planreport.paper import abbreviations, cover, definitions, fit, layouts, report_templates
from planreport.paper.compose import compose
from planreport.paper.context import Context
from planreport.paper.layouts import Layout
from planreport.plan import config, loading, rules
from planreport.plan.model import Person, Plan
from planreport.problems import Problem, Problems, nearest
from planreport.project import Loaded, PlanSource, Project, UsageError, display
from planreport.updates import mailconfig, rounds


@dataclass
class CheckResult:
    """Everything a check found, ready for a reporter."""

    problems: list[Problem]
    plans: list[Plan]
    files: int
    people: dict[str, Person] = field(default_factory=dict)
    papers: int = 0
    layouts: int = 0
    broken: list[str] = field(default_factory=list)  # ids of plans with errors
    rounds: int = 0  # update rounds' records

    def count(self, severity: str) -> int:
        """How many problems have this severity."""
        return sum(1 for p in self.problems if p.severity.value == severity)


@dataclass
class CheckedPaper:
    """A paper definition with everything it is built from, and the problems of all of it."""

    path: Path
    spec: definitions.PaperSpec | None
    layout: Layout | None
    plans: list[Plan]
    people: dict[str, Person]
    problems: list[Problem]
    files: tuple[Path, ...]
    cover: cover.CoverSource | None = None

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the paper being built."""
        return [p for p in self.problems if p.severity.value == "error"]


def check(
    project: Project, paths: list[Path], as_at: date, plans_only: bool = False
) -> CheckResult:
    """Check every file under paths (default: the whole project); collect every problem."""
    named = paths or project.everything()
    targets = project.targets(named)
    if plans_only:
        targets.papers, targets.layouts, targets.report_templates = [], [], []
        targets.rounds = []
    if not (
        targets.plans
        or targets.people
        or targets.papers
        or targets.layouts
        or targets.configs
        or targets.report_templates
        or targets.rounds
        or project.refused
    ):
        what = "plans" if plans_only else "plans, papers or layouts"
        shown = ", ".join(display(p) for p in named)
        raise UsageError(
            f"there are no {what} in {shown}, so there is nothing to check. Check the path."
        )
    found: dict[Problem, None] = {}
    files: set[Path] = set()
    plans: list[Plan] = []
    people: dict[str, Person] = {}
    broken: list[str] = []

    def take(problems: list[Problem], paths: tuple[Path, ...]) -> None:
        found.update(dict.fromkeys(problems))
        files.update(Path(os.path.abspath(p)) for p in paths)

    for path in targets.people:
        registry = loading.load_people(project, path)
        take(registry.problems, registry.files)
    if targets.configs:
        settings = config.load(project)
        take(settings.problems, settings.files)
        if settings.value is not None:
            take(mailconfig.problems(settings.value), ())
    for source in targets.plans:
        checked = check_source(project, source, as_at)
        take(checked.problems, checked.files)
        if any(p.severity.value == "error" for p in checked.problems):
            broken.append(source.id)
        if checked.value is not None:
            plans.append(checked.value)
            people |= loading.people_for(project, source)[1].value or {}
    for path in targets.papers:
        paper = check_paper(project, path)
        take(paper.problems, paper.files)
    for path in targets.layouts:
        layout = layouts.load(project, path)
        fitting = Problems()
        if layout.value is not None:
            fit.narrow_columns(layout.value, [], {}, fitting, _metrics(project, layout.value))
        take([*layout.problems, *fitting], layout.files)
    for path in targets.report_templates:
        template = report_templates.load(project, path)
        take(template.problems, template.files)
    for path in targets.rounds:
        take(_round_problems(project, path), (path,))
    if not plans_only and (not paths or targets.papers):
        found.update(dict.fromkeys(_reference(project)))
    found.update(project.refused)
    problems = sorted(found, key=Problem.sort_key)
    return CheckResult(
        problems,
        plans,
        len(files),
        people,
        len(targets.papers),
        len(targets.layouts),
        broken,
        len(targets.rounds),
    )


def _round_problems(project: Project, path: Path) -> list[Problem]:
    """An update round's record checked as `request` and `apply` read it."""
    try:
        rounds.load(project, path)
    except rounds.RoundRefused as refused:
        return refused.problems
    return []


def _reference(project: Project) -> list[Problem]:
    """The Word reference document's problems: unusable (an error), lacking styles (a warning)."""
    try:
        return project.load_reference().warnings()
    except ReferenceRefused as exc:
        return [exc.problem]


def check_source(
    project: Project, source: PlanSource, as_at: date, warnings: bool = True
) -> Loaded[Plan]:
    """A plan loaded and put through the rules, with its people registry's problems.

    warnings False: errors only, for a caller that would discard the warnings.
    """
    loaded = loading.load_plan(project, source)
    people_path, people = loading.people_for(project, source)
    problems = Problems()
    if loaded.value is not None:
        context = rules.RuleContext(
            people.value if people_path else None,
            as_at,
            display(people_path) if people_path else None,
        )
        rules.check_plan(loaded.value, context, problems, warnings)
    return Loaded(
        loaded.value,
        [*loaded.problems, *people.problems, *problems],
        (*loaded.files, *people.files),
    )


def check_paper(project: Project, path: Path, warnings: bool = True) -> CheckedPaper:
    """A paper definition, its layout, its plans and their people, checked together.

    The plans' own warnings are `check`'s to report (from check_source); the paper's are
    its columns' fit. warnings False leaves those out too: building a paper needs only
    to know that nothing stops it.
    """
    loaded = definitions.load(project, path)
    spec = loaded.value
    problems = Problems()
    problems += loaded.problems
    files = list(loaded.files)
    if spec is None:
        return CheckedPaper(path, None, None, [], {}, list(problems), tuple(files))
    layout = _layout(project, spec, problems, files)
    sources = project.plan_sources()
    plans: list[Plan] = []
    people: dict[str, Person] = {}
    if definitions.known_plans(spec, sources, display(project.plans_dir), problems):
        for plan_id in spec.plans:
            checked = check_source(project, sources[plan_id], spec.as_at, warnings=False)
            problems += [p for p in checked.problems if p.severity.value == "error"]
            files += checked.files
            if checked.value is not None:
                plans.append(checked.value)
                people |= loading.people_for(project, sources[plan_id])[1].value or {}
    for plan in plans:
        _paper_statuses(spec, plan, problems)
        if layout is not None:
            layouts.check_against_plan(layout, plan, spec.location, problems)
    if layout is not None and warnings:
        fit.narrow_columns(layout, plans, people, problems, _metrics(project, layout))
        _unnamed_leads(spec, layout, plans, people, problems)
    source = cover.check(project, spec, plans, problems)
    if layout is not None and warnings:
        _unexplained(spec, layout, (plans, people), source, problems)
    if spec.cover is not None:
        files.append(spec.cover.text)
    if source is not None:
        files.append(source.template.path)
    return CheckedPaper(path, spec, layout, plans, people, list(problems), tuple(files), source)


def _unnamed_leads(
    spec: definitions.PaperSpec,
    layout: Layout,
    plans: list[Plan],
    people: dict[str, Person],
    problems: Problems,
) -> None:
    """Warn of leads the paper prints as initials that nothing names, and a key left out."""
    leads = _paper_leads(spec, layout, plans, people)
    keys = [b for b in layout.blocks if b.type == "leads-key"]
    for key in keys:
        if not any(p.initials and (p.name or p.role) for p in leads):
            problems.warning(
                key.location or layout.location or spec.location,
                "empty-leads-key",
                "the leads-key block is left out of this paper: no lead of its actions has "
                "initials with a name or role in people.yaml. Add their names there, or "
                "remove the block.",
            )
    shown = any(c.field == "leads" for b in layout.blocks for c in b.columns)
    unnamed = [p.initials for p in leads if _initials_only(layout, p)]
    if shown and unnamed:
        problems.warning(
            spec.location,
            "unnamed-initials",
            f"the paper prints leads as initials that it names nowhere: {', '.join(unnamed)}. "
            "A reader cannot tell who they are: add each one's name (and role) in "
            "people.yaml"
            + ("." if keys else ", and a leads-key block to the layout to list them."),
        )


def _unexplained(
    spec: definitions.PaperSpec,
    layout: Layout,
    sources: tuple[list[Plan], dict[str, Person]],
    cover_source: cover.CoverSource | None,
    problems: Problems,
) -> None:
    """Warn of abbreviations the paper would print (cover report too) that nothing explains."""
    plans, people = sources
    if (
        not plans
        or any(p.partial for p in plans)
        or any(p.severity.value == "error" for p in problems)
    ):
        return
    paper = compose(spec, plans, people, layout, cover_source)
    key = any(b.type == "leads-key" for b in layout.blocks)
    # a lead's initials are explained by the leads key, or reported as unnamed-initials
    listed = {
        p.initials
        for p in _paper_leads(spec, layout, plans, people)
        if p.initials and ((key and (p.name or p.role)) or _initials_only(layout, p))
    }
    words = abbreviations.unexplained(paper, plans, listed)
    if words:
        glossary = any(b.type == "glossary" for b in layout.blocks)
        problems.warning(
            spec.location,
            "unexplained-abbreviation",
            f"the paper uses abbreviations that nothing in it explains: "
            f"{abbreviations.listed(words)}. A reader may not know them: add each to the "
            "plan's glossary (its term and meaning), or write it out"
            + ("." if glossary else ", and add a glossary block to the layout."),
        )


def _paper_leads(
    spec: definitions.PaperSpec, layout: Layout, plans: list[Plan], people: dict[str, Person]
) -> list[Person]:
    """The leads of the actions the paper selects, in order of first appearance."""
    selected = [a for p in plans for a in Context(p, people, spec, layout).selected]
    ids = dict.fromkeys(lead.person for a in selected for lead in a.leads)
    return [people[i] for i in ids if i in people]


def _initials_only(layout: Layout, person: Person) -> bool:
    """Whether the paper prints this person's initials with no name or role to explain them."""
    if not person.initials or person.name or person.role:
        return False
    return "{initials}" in layout.lead_format if layout.lead_format else True


def _metrics(project: Project, layout: Layout) -> fit.Metrics:
    """The advance widths of the font the layout's papers are set in."""
    from planreport.paper.model import DEFAULT_FONT
    from planreport.writers import font_dirs, font_metrics

    dirs = font_dirs(project.template_dirs())
    return font_metrics.metrics(layout.font or DEFAULT_FONT, dirs)


def _layout(
    project: Project, spec: definitions.PaperSpec, problems: Problems, files: list[Path]
) -> Layout | None:
    """The paper's layout, loaded and checked; None after reporting why not."""
    path = project.layout_file(spec.layout)
    if path is None:
        names = project.layout_names()
        problems.error(
            spec.layout_location or spec.location,
            "unknown-layout",
            f"there is no layout '{spec.layout}'.{nearest(spec.layout, names)} "
            f"Layouts: {', '.join(names)}.",
        )
        return None
    loaded = layouts.load(project, path)
    problems += loaded.problems
    files += loaded.files
    return loaded.value


def _paper_statuses(spec: definitions.PaperSpec, plan: Plan, problems: Problems) -> None:
    """A paper's status filter names statuses its plans use."""
    keys = [level.key for level in plan.status_scheme.levels]
    for status in spec.filters.get("statuses", []):
        if status not in keys:
            problems.error(
                spec.filter_location or spec.location,
                "unknown-status",
                f"the filter names status '{status}', which plan {plan.id} does not have "
                f"({', '.join(keys)}).{nearest(status, keys)}",
            )
