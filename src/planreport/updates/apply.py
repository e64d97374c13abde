"""`planreport apply`: returned forms' answers written into the plans, or refused with a reason.

The stages, in order: read each form (its reader, then its hidden data); check each
answer against the action as the plan holds it now (changed, withdrawn or re-numbered
since the form was made, or already applied) and against the plan's rules (a status of
its scheme, readable dates, a reason with every new date, a done status with a completion
date); refuse actions answered on two forms; compute each file's new text with
`yaml_edit`; check the edited plan in memory; and only then write each file atomically.
A plan whose edit cannot be made or checked cleanly is left exactly as it was.

Forms are read in `answers`, each answer judged in `judge`; this module runs the stages
and makes and checks the edits.
"""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from planreport import output
from planreport.commands import check
from planreport.commands.check import CheckResult
from planreport.files import FileRefused
from planreport.plan import building, loader, loading, rules, validate
from planreport.plan.model import Plan
from planreport.problems import Problem, Problems
from planreport.project import PlanSource, Project, display
from planreport.updates import form as forms
from planreport.updates import rounds
from planreport.updates.answers import Answer, ApplyResult, Change, Finding, read_forms
from planreport.updates.form import Located
from planreport.updates.judge import Intent, judge, one_per_action
from planreport.updates.yaml_edit import EditError, Editor

# The order of an action's keys in the plan format; a new key goes after the latest
# key before it in this order that the action has.
KEY_ORDER = (
    "ref", "text", "addresses", "theme", "leads", "outputs", "outcome", "impact", "measures",
    "evidence", "timescale", "start", "due", "review", "revisions", "milestones", "updates",
    "status", "completed", "added", "withdrawn", "custom",
)  # fmt: skip


@dataclass(frozen=True)
class Options:
    """The forms to apply, the date their updates are recorded at, and whether to write."""

    forms: tuple[Path, ...]
    day: date
    dry_run: bool = False


@dataclass
class Checked:
    """A plan as its edited files would be, checked in memory with check's own stages."""

    plan: Plan | None
    problems: list[Problem]
    files: tuple[Path, ...]

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the edit being written."""
        return [p for p in self.problems if p.severity.value == "error"]


@dataclass
class Pending:
    """One plan's checked edits, ready to write: its answers, files and changes."""

    source: PlanSource
    answers: list[Answer]
    edits: dict[Path, tuple[str, str]]  # file: (before, after)
    changes: list[Change]
    checked: Checked


LOCKS = Path("build")  # inside the project: one lock file per plan being applied


def apply(project: Project, options: Options) -> ApplyResult:
    """Apply every answer that checks; write each changed plan file atomically."""
    result = ApplyResult()
    answers = read_forms(options.forms, result)
    by_plan: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_plan[answer.row.plan].append(answer)
    locks = (
        contextlib.nullcontext()
        if options.dry_run or not by_plan
        else output.exclusive(project.root / LOCKS, list(by_plan))
    )
    try:
        if not options.dry_run:
            _recover(project, result)
        with locks:
            _apply_all(project, options, by_plan, result)
    except output.WriteFailed as exc:  # the plans not yet written stay as they were
        result.write_failed = exc
    return result


def _recover(project: Project, result: ApplyResult) -> None:
    """Finish any apply killed while writing a plan's files, under that plan's lock."""
    folder = project.root / LOCKS
    journals = folder.glob("*.apply-*.journal*") if folder.is_dir() else ()  # or temporaries
    names = {path.name.lstrip(".").removeprefix("apply-").partition(".")[0] for path in journals}
    for name in sorted(names):
        with output.exclusive(folder, [name]):
            done = output.recover(folder / f".apply-{name}.journal", project.root)
            if done:
                result.findings.append(
                    Finding(
                        ", ".join(display(path) for path in done),
                        "an earlier apply was stopped while writing this plan; its changes "
                        "have now been written in full.",
                        "note",
                    )
                )


def _apply_all(
    project: Project, options: Options, by_plan: dict[str, list[Answer]], result: ApplyResult
) -> None:
    """Check each plan's answers and write its files (under the plans' locks)."""
    checked: list[Checked] = []
    try:
        _apply_plans(project, options, by_plan, result, checked)
    finally:  # the plans written before any write failed are checked all the same
        if result.written:
            result.check = _as_check(checked)


def _apply_plans(
    project: Project,
    options: Options,
    by_plan: dict[str, list[Answer]],
    result: ApplyResult,
    checked: list[Checked],
) -> None:
    """Apply each plan's answers in turn, adding each plan written to checked."""
    sources = project.plan_sources()
    for plan_id, plan_answers in by_plan.items():
        source = sources.get(plan_id)
        for path in source.files if source and not options.dry_run else ():
            output.remove_stale(path)
        if source is None:
            _not_found(project, plan_id, plan_answers, result)
            continue
        pending = _apply_plan(project, source, plan_answers, options.day, result)
        if pending is None:
            continue
        if not options.dry_run:
            if not _unchanged(project, pending, result):
                continue
            journal = project.root / LOCKS / f".apply-{output.lock_name(plan_id)}.journal"
            output.write_all(
                {path: after.encode("utf-8") for path, (_b, after) in pending.edits.items()},
                journal,
            )
            result.written = True
        result.edits.update(pending.edits)
        result.changes += pending.changes
        result.applied += len(pending.answers)
        checked.append(pending.checked)


def _not_found(project: Project, plan_id: str, answers: list[Answer], result: ApplyResult) -> None:
    """Refuse the answers for a plan not in the project: gone, or in a folder left out."""
    result.plan_errors += [p for p in project.refused if p not in result.plan_errors]
    reason = (
        f"plan '{plan_id}' was not found, and planreport left out a folder of plans "
        "(listed above), so this answer was not applied. Fix that, then apply this form again."
        if project.refused
        else f"there is no plan '{plan_id}' in this project any more, so this answer was not "
        "applied. Was the plan renamed?"
    )
    for answer in answers:
        result.findings.append(Finding(answer.label, reason))


def _unchanged(project: Project, pending: Pending, result: ApplyResult) -> bool:
    """Whether the plan's files still hold the bytes read; else each answer is refused."""
    for path, (before, _after) in pending.edits.items():
        try:
            same = project.read_bytes(path) == before.encode("utf-8")
        except FileRefused:
            same = False
        if not same:
            for answer in pending.answers:
                result.findings.append(
                    Finding(
                        answer.label,
                        f"not applied: {display(path)} was changed by another program (or "
                        "another apply) while this one was running, so nothing was written to "
                        f"plan {pending.source.id}. Apply this form again.",
                    )
                )
            return False
    return True


# --- one plan ----------------------------------------------------------------------------


def _apply_plan(
    project: Project, source: PlanSource, answers: list[Answer], day: date, result: ApplyResult
) -> Pending | None:
    """Check one plan's answers and compute its edits; None if no file would change."""
    plan = _usable_plan(project, source, answers, day, result)
    chosen = _chosen(project, source, plan, answers, day, result) if plan else []
    editors = _edited(project, chosen, result) if chosen else None
    if not editors:
        return None
    edited = {path: editor.document for path, editor in editors.items()}
    checked = _check_edited(project, source, edited, day)
    if checked.errors:
        for answer, _item, _intent in chosen:
            result.findings.append(
                Finding(
                    answer.label,
                    f"not applied: with the answers, plan {source.id} would not check cleanly "
                    f"({checked.errors[0].message}), so none of them were written.",
                )
            )
        return None
    edits = {path: (editor.original, editor.text_after) for path, editor in editors.items()}
    changes = [
        Change(source.id, item.action.name, item.file, what, answer.form)
        for answer, item, intent in chosen
        for what in intent.changes
    ]
    return Pending(source, [answer for answer, _i, _t in chosen], edits, changes, checked)


def _usable_plan(
    project: Project, source: PlanSource, answers: list[Answer], day: date, result: ApplyResult
) -> Plan | None:
    """The plan as it stands, if it checks without errors; else each answer is refused."""
    loaded = check.check_source(project, source, day)
    errors = [p for p in loaded.problems if p.severity.value == "error"]
    if not errors and loaded.value is not None:
        return loaded.value
    result.plan_errors += errors
    for answer in answers:
        result.findings.append(
            Finding(
                answer.label,
                f"not applied: plan {source.id} has errors (listed above). Fix them, then "
                "apply this form again.",
            )
        )
    return None


def _chosen(
    project: Project,
    source: PlanSource,
    plan: Plan,
    answers: list[Answer],
    day: date,
    result: ApplyResult,
) -> list[tuple[Answer, Located, Intent]]:
    """The answers that can be applied, each with its action and what it adds."""
    located = {
        item.action.key: item for item in forms.located_actions(project, source, plan.actions)
    }
    ready: dict[str, list[tuple[Answer, Located, Intent]]] = defaultdict(list)
    for answer in answers:
        intent = judge(answer, plan, located, day, result)
        if intent is not None:
            ready[answer.row.key].append((answer, located[answer.row.key], intent))
    return one_per_action(ready, result)


def _edited(
    project: Project, chosen: list[tuple[Answer, Located, Intent]], result: ApplyResult
) -> dict[Path, Editor] | None:
    """An editor per file with every answer's edits made and verified; None if one fails."""
    editors: dict[Path, Editor] = {}
    try:
        for _answer, item, intent in chosen:
            editor = editors.get(item.file) or _editor(project, item.file)
            editors[item.file] = editor
            _edit(editor, item, intent)
        for editor in editors.values():
            editor.result()
    except EditError as exc:
        for answer, _item, _intent in chosen:
            result.findings.append(Finding(answer.label, f"not applied: {exc}"))
        return None
    return editors


def _editor(project: Project, path: Path) -> Editor:
    """An editor on a plan file's current text (whose values the project has loaded)."""
    text = project.read_bytes(path).decode("utf-8")
    loaded = loading.document(project, path, "plan").value
    return Editor(text, display(path), loaded.data if loaded is not None else None)


# --- writing -----------------------------------------------------------------------------


def _edit(editor: Editor, item: Located, intent: Intent) -> None:
    """Record the answer's changes to its action in the file's editor."""
    path, raw = item.path, item.raw
    if intent.revision:
        _append(editor, path, raw, "revisions", intent.revision)
    if intent.update:
        _append(editor, path, raw, "updates", intent.update)
    if intent.status:
        editor.replace_scalar((*path, "status"), intent.status)
    if intent.completed:
        if "completed" in raw:
            editor.replace_scalar((*path, "completed"), intent.completed)
        else:
            editor.add_key(path, "completed", intent.completed, _anchor(raw, "completed"))


def _append(
    editor: Editor, path: tuple[str | int, ...], raw: dict[str, Any], key: str, item: dict[str, str]
) -> None:
    """Add item to the action's list under key, making the list if it has none."""
    if key in raw:
        editor.append_item((*path, key), item)
    else:
        editor.add_key(path, key, [item], _anchor(raw, key))


def _anchor(raw: dict[str, Any], key: str) -> str:
    """The key a new key goes after: the latest one before it in the plan format's order."""
    rank = KEY_ORDER.index(key)
    before = [k for k in raw if k in KEY_ORDER and KEY_ORDER.index(k) < rank]
    return max(before, key=KEY_ORDER.index) if before else list(raw)[-1]


def _check_edited(
    project: Project, source: PlanSource, edited: dict[Path, loader.Document | None], day: date
) -> Checked:
    """The plan with its edited files read back, put through check's stages in memory.

    These are the bytes `apply` writes, so this is the check it reports afterwards: the
    same loader, schema, model and rules `planreport check` runs, with the people
    registry's problems, as at the date of the updates.
    """
    problems = Problems()
    docs = []
    for path in source.files:
        doc = edited.get(path) or loading.document(project, path, "plan").value
        if path in edited and doc is not None:
            doc.valid = not doc.blocked and validate.validate(doc, "plan", problems)
        docs.append(doc)
    people_path, people = loading.people_for(project, source)
    files = (*source.files, *people.files)
    if problems or any(d is None or not d.valid for d in docs):
        return Checked(None, list(problems), files)
    plan = building.build_plan(source.id, docs[0], docs[1:])
    context = rules.RuleContext(
        people.value if people_path else None, day, display(people_path) if people_path else None
    )
    rules.check_plan(plan, context, problems)
    return Checked(plan, [*problems, *people.problems], files)


def _as_check(checked: list[Checked]) -> CheckResult:
    """The checked plans as one check's result, as `planreport check` reports it."""
    problems = dict.fromkeys(p for one in checked for p in one.problems)
    files = {os.path.abspath(path) for one in checked for path in one.files}
    plans = [one.plan for one in checked if one.plan is not None]
    return CheckResult(sorted(problems, key=Problem.sort_key), plans, len(files))


def mark_returned(project: Project, result: ApplyResult, day: date) -> list[Path]:
    """Mark each form apply read as returned in its round (by its paper, day and lead)."""
    rounds.tidy(project)
    if result.write_failed is not None:
        return []  # not all was written: the next apply marks the forms
    by_round: dict[Path, list[tuple[str, str]]] = {}
    for name, hidden in result.returned.items():
        path = rounds.path_for(project, hidden.scope, hidden.made)
        by_round.setdefault(path, []).append((name, hidden.lead))
    changed = []
    for path, returned in by_round.items():
        if not path.is_file():
            continue  # a form made before rounds were recorded, or its record deleted
        round_ = rounds.load(project, path)
        entries = [(name, round_.entry(lead)) for name, lead in returned]
        for name, entry in entries:
            if entry is not None:
                _returned(entry, name, result, day)
        if any(entry is not None for _name, entry in entries):
            rounds.save(round_)
            changed.append(round_.path)
    return changed


def _returned(entry: rounds.Entry, name: str, result: ApplyResult, day: date) -> None:
    """Mark one entry returned on day, with what its form changed and what was refused."""
    entry.returned = day.isoformat()
    entry.applied = sum(1 for change in result.changes if change.form == name)
    entry.not_applied = sum(
        1
        for f in result.findings
        if f.severity == "error" and (f.where == name or f.where.startswith(f"{name}: "))
    )
