"""`planreport request`: one form per lead, listing the lead's open actions, for a paper or plan.

The plans are checked first (a plan with errors gets no forms). Each form is built as a
`Form` from the plan as it stands, then written as an Excel workbook or a Word document
into the output folder inside the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planreport import output
from planreport.commands import check
from planreport.ooxml.reference import ReferenceRefused
from planreport.plan import loading, richtext, standing
from planreport.plan.model import Action, DateField, Person, Plan, StatusLevel
from planreport.problems import Problem, nearest
from planreport.project import PlanSource, Project, UsageError, display
from planreport.updates import form as forms
from planreport.updates import formats
from planreport.updates.form import Choice, Form, Row

NO_STATUS = "No status yet"


@dataclass(frozen=True)
class Options:
    """What to make forms for, and where to put them."""

    out: Path
    plans: tuple[Path, ...] = ()
    paper: str | None = None
    lead: str | None = None
    format: str = formats.DEFAULT
    due: date | None = None
    made: date = field(default_factory=date.today)


@dataclass
class Scope:
    """The plans a round of forms covers, under one name."""

    name: str
    title: str
    plans: list[tuple[PlanSource, Plan]]
    themes: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()


@dataclass
class RequestResult:
    """What `request` made, or the errors that stopped it."""

    errors: list[Problem] = field(default_factory=list)
    written: list[tuple[Path, Form]] = field(default_factory=list)
    unled: int = 0
    people: dict[str, Person] = field(default_factory=dict)


def request(project: Project, options: Options) -> RequestResult:
    """Make and write the forms; nothing is written if a plan has errors."""
    if options.format not in formats.FORMATS:
        raise UsageError(
            f"there is no form format '{options.format}' ({', '.join(formats.FORMATS)})."
        )
    kind = formats.FORMATS[options.format]
    out = options.out
    if not project.inside(out):
        raise UsageError(
            f"{out} is outside the project ({project.root}); planreport writes only inside it."
        )
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file, not a folder; name a folder to write forms in.")
    result = RequestResult()
    scopes = _scopes(project, options, result.errors)
    if result.errors:
        return result
    people = {}
    for scope in scopes:
        for source, _plan in scope.plans:
            people |= loading.people_for(project, source)[1].value or {}
    result.people = people
    if options.lead and options.lead not in people:
        raise UsageError(f"no lead '{options.lead}' in people.yaml.{nearest(options.lead, people)}")
    if kind.uses_reference:
        try:
            project.load_reference()
        except ReferenceRefused as exc:
            result.errors.append(exc.problem)
            return result
    try:
        with output.private_temporaries(out):  # openpyxl writes each sheet to a temporary
            _write_forms(project, scopes, people, options, result)
    except OSError as exc:  # the output folder: read-only, full, not allowed
        raise UsageError(f"cannot write to {exc.filename or out}: {exc.strerror or exc}.") from None
    return result


def _write_forms(
    project: Project,
    scopes: list[Scope],
    people: dict[str, Person],
    options: Options,
    result: RequestResult,
) -> None:
    """Make each scope's forms and write them into the output folder, noting each in result."""
    kind = formats.FORMATS[options.format]
    for scope in scopes:
        made, unled = make_forms(project, scope, people, options.lead, options.made, options.due)
        result.unled += unled
        for one in made:
            target = options.out / f"{scope.name}-{one.lead}{kind.suffix}"
            output.write_atomic(target, kind.write(one, project))
            result.written.append((target, one))


def _scopes(project: Project, options: Options, errors: list[Problem]) -> list[Scope]:
    """The paper's plans as one scope, or each plan named (default: every plan) as its own."""
    if options.paper and options.plans:
        raise UsageError("name a paper (--paper) or plans, not both.")
    if options.paper:
        return [_paper_scope(project, options.paper, errors)]
    targets = project.targets(list(options.plans) or [project.plans_dir])
    scopes = []
    for source in targets.plans:
        checked = check.check_source(project, source, options.made)
        errors += [p for p in checked.problems if p.severity.value == "error"]
        if checked.value is not None:
            plan = checked.value
            scopes.append(Scope(source.id, plan.title or source.id, [(source, plan)]))
    return scopes


def _paper_scope(project: Project, paper: str, errors: list[Problem]) -> Scope:
    """The plans of a paper, with the paper's theme and recommendation filters."""
    paths = {p.stem: p for p in project.paper_files()}
    if paper not in paths:
        raise UsageError(
            f"there is no paper '{paper}' in {display(project.plans_dir / 'papers')}."
            f"{nearest(paper, paths)}"
        )
    checked = check.check_paper(project, paths[paper], warnings=False)
    errors += checked.errors
    spec = checked.spec
    sources = project.plan_sources()
    plans = [(sources[plan.id], plan) for plan in checked.plans]
    title = (spec.title if spec else None) or (plans[0][1].title if plans else None) or paper
    filters = spec.filters if spec else {}
    return Scope(
        paper,
        title,
        plans,
        tuple(filters.get("themes", ())),
        tuple(filters.get("recommendations", ())),
    )


def make_forms(
    project: Project,
    scope: Scope,
    people: dict[str, Person],
    only: str | None,
    made: date,
    due: date | None,
) -> tuple[list[Form], int]:
    """One form per lead with open actions in the scope; and how many open actions lack a lead."""
    rows: dict[str, list[Row]] = {}
    unled = 0
    for source, plan in scope.plans:
        choices = _choices(plan)
        for found in forms.located_actions(project, source, plan.actions):
            action = found.action
            if not _wanted(plan, action, scope):
                continue
            if not action.leads:
                unled += 1
            row = _row(plan, action, forms.fingerprint(found.raw), choices)
            for lead in dict.fromkeys(lead.person for lead in action.leads):
                if only is None or lead == only:
                    rows.setdefault(lead, []).append(row)
    made_forms = []
    order = sorted(rows, key=lambda lead: (_name(people, lead).lower(), lead))
    for lead in order:
        lead_rows = rows[lead]
        made_forms.append(
            Form(
                forms.form_id(scope.name, lead, made, lead_rows),
                scope.name,
                scope.title,
                lead,
                _name(people, lead),
                made,
                due,
                tuple(lead_rows),
            )
        )
    return made_forms, unled


def _name(people: dict[str, Person], lead: str) -> str:
    """A lead's name and role as forms show them."""
    person = people.get(lead)
    return person.display() if person else lead


def _wanted(plan: Plan, action: Action, scope: Scope) -> bool:
    """Whether an action belongs on a form: open, not withdrawn, within the scope's filters."""
    if action.withdrawn is not None or standing.done_at(plan, action):
        return False
    if scope.themes and action.theme not in scope.themes:
        return False
    return not scope.recommendations or bool(
        {ref for ref, _ in action.addresses} & set(scope.recommendations)
    )


def _choices(plan: Plan) -> tuple[Choice, ...]:
    """The plan's statuses as a form offers them."""
    return tuple(
        Choice(level.key, level.label, shown(level), level.meaning, level.done)
        for level in plan.status_scheme.levels
    )


def shown(level: StatusLevel) -> str:
    """A status as forms show it: 'Green (On track)', or the label alone."""
    meaning = level.meaning
    if meaning and meaning.strip().lower() != level.label.strip().lower():
        return f"{level.label} ({meaning})"
    return level.label


def _row(plan: Plan, action: Action, print_: str, choices: tuple[Choice, ...]) -> Row:
    """One action as a form row."""
    level = standing.status_at(plan, action)
    return Row(
        plan=plan.id,
        plan_title=plan.title or plan.id,
        key=action.key,
        ref=action.ref,
        name=action.name,
        text=_plain(action.text),
        due=due_words(action),
        status=shown(level) if level else NO_STATUS,
        last_update=_last_update(plan, action),
        fingerprint=print_,
        updates=len(action.updates),
        revisions=len(action.revisions),
        choices=choices,
    )


def _plain(text: str | None) -> str:
    """Plan text without Markdown, paragraphs on their own lines."""
    return richtext.parse(text).plain().strip() if text else ""


def _words(field_: DateField | None, review: DateField | None = None) -> str:
    """A date in words; 'Ongoing' with its next review date."""
    if field_ is None:
        return ""
    if field_.ongoing:
        when = _words(review) if review else ""
        return f"Ongoing (next review {when})" if when else "Ongoing"
    return field_.value.words() if field_.value else field_.text


def due_words(action: Action) -> str:
    """The due date in force, with the one it replaced and why; or the open milestones' dates."""
    if action.revisions:
        latest = action.revisions[-1]
        previous = action.revisions[-2].due if len(action.revisions) > 1 else action.due
        text = f"{_words(latest.due, action.current_review())}, revised from {_words(previous)}"
        return text + (f" ({_plain(latest.reason)})" if latest.reason else "")
    if action.due is not None:
        return _words(action.due, action.review)
    steps = [m for m in action.milestones if not m.done and m.due]
    if steps:
        return "Milestones: " + "; ".join(_words(m.due, m.review) for m in steps)
    return "No due date"


def _last_update(plan: Plan, action: Action) -> str:
    """The latest update: its date in words, its status and its text."""
    if not action.updates:
        return "None yet"
    dated = [u for u in action.updates if u.date.value]
    latest = max(dated, key=lambda u: u.date.value.last) if dated else action.updates[-1]
    when = latest.date.value.words() if latest.date.value else latest.date.text
    level = plan.status_scheme.get(latest.status)
    status = f" [{level.label}]" if level else ""
    text = _plain(latest.text)
    return f"{when}{status}: {text}" if text else f"{when}{status}"
