"""`planreport diff`: what a change does to the plans, in committee language.

The plan files at a git ref are read with `git cat-file` into a temporary folder inside
the project (build/.tmp-<pid>, removed at the end) and loaded with the same stages as
`check`; actions are matched by their ref and compared.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from planreport import escape, output
from planreport.plan import loading, standing
from planreport.plan.model import Action, DateField, Plan
from planreport.project import Project, display


class DiffError(Exception):
    """The comparison cannot be made (no git, unknown ref); the message says what to do."""


@dataclass(frozen=True)
class Change:
    """One change to one plan, worded for a committee."""

    plan: str
    subject: str  # e.g. "action 3.2"
    text: str


def _git(args: list[str], cwd: Path) -> str:
    """Run git and return its output, or raise DiffError with what went wrong."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, errors="surrogateescape"
        )
    except FileNotFoundError:
        raise DiffError(
            "git is not installed; planreport diff needs it to read earlier plans."
        ) from None
    if done.returncode != 0:
        raise DiffError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def default_ref(cwd: Path) -> str:
    """The merge base with main (or origin/main)."""
    for base in ("main", "origin/main", "master", "origin/master"):
        try:
            return _git(["merge-base", "HEAD", base], cwd).strip()
        except DiffError:
            continue
    raise DiffError(
        "cannot find where this branch left main. Name the commit to compare with "
        "(planreport diff REF); in a shallow clone, fetch more history first "
        "(git fetch --unshallow, or fetch-depth: 0 in actions/checkout)."
    )


def project_at(ref: str, project: Project, into: Path) -> Project:
    """The project's plans as they were at ref, written into a folder, as a project."""
    top = Path(_git(["rev-parse", "--show-toplevel"], project.root).strip()).resolve()
    inside = project.plans_dir.relative_to(top)
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except DiffError:
        raise DiffError(
            f"there is no commit '{ref}' in this repository. In a shallow clone, fetch more "
            "history first (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)."
        ) from None
    listed = _git(["ls-tree", "-r", "-z", ref, "--", inside.as_posix()], top)
    for entry in filter(None, listed.split("\0")):
        about, name = entry.split("\t", 1)  # "<mode> <type> <object>", then the path
        _mode, kind, blob = about.split()
        if kind == "blob":  # not a submodule's commit
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_blob(top, blob))
    (into / inside).mkdir(parents=True, exist_ok=True)
    return Project((into / inside).parent)


def _blob(top: Path, blob: str) -> bytes:
    """A file's bytes, by its object id."""
    done = subprocess.run(["git", "cat-file", "blob", blob], cwd=top, capture_output=True)
    if done.returncode != 0:
        raise DiffError(done.stderr.decode("utf-8", "replace").strip() or f"cannot read {blob}")
    return done.stdout


def load(project: Project) -> tuple[dict[str, Plan], dict[str, str]]:
    """The project's plans that load, by id; and for each that does not, its first error."""
    plans: dict[str, Plan] = {}
    broken: dict[str, str] = {}
    for plan_id, source in project.plan_sources().items():
        loaded = loading.load_plan(project, source)
        if loaded.value is not None:
            plans[plan_id] = loaded.value
        else:
            first = next((p for p in loaded.problems if p.severity.value == "error"), None)
            broken[plan_id] = f"{first.location}: {first.message}" if first else "unreadable"
    return plans, broken


def diff(project: Project, ref: str | None) -> tuple[str, list[Change]]:
    """The changes from the plans at ref (default: merge base with main) to the working tree."""
    try:
        _git(["rev-parse", "--show-toplevel"], project.root)
    except DiffError:
        raise DiffError(
            f"{display(project.plans_dir)} is not in a git repository; planreport diff compares "
            "plans with an earlier commit, so it needs the plans to be kept in git."
        ) from None
    ref = ref or default_ref(project.root)
    old, old_broken = _load_at(ref, project)
    new, new_broken = load(project)
    changes: list[Change] = []
    for plan_id in sorted(old.keys() | new.keys() | old_broken.keys() | new_broken.keys()):
        if plan_id in new_broken:
            changes.append(
                Change(
                    plan_id,
                    "plan",
                    "has errors, so what changed cannot be listed; run planreport check "
                    f"(first: {new_broken[plan_id]})",
                )
            )
        elif plan_id in old_broken and plan_id in new:
            changes.append(Change(plan_id, "plan", f"errors fixed (it had errors at {ref[:12]})"))
        elif plan_id not in old:
            changes.append(
                Change(plan_id, "plan", f"new plan with {len(new[plan_id].actions)} actions")
            )
        elif plan_id not in new:
            changes.append(Change(plan_id, "plan", "plan removed"))
        else:
            changes += compare(old[plan_id], new[plan_id])
    return ref, changes


def _load_at(ref: str, project: Project) -> tuple[dict[str, Plan], dict[str, str]]:
    """`load` for the plans at ref, read into the project's build/.tmp-<pid> for the while."""
    folder = project.root / "build"
    if not project.inside(folder):
        raise DiffError(
            f"{display(folder)} leads out of the project; planreport diff reads the earlier "
            "plans into it, and writes only inside the project. Remove the link."
        )
    try:
        with output.private_temporaries(folder) as private:
            return load(project_at(ref, project, private))
    except OSError as exc:
        raise DiffError(
            f"cannot write the earlier plans into {display(folder)}: {exc.strerror or exc}."
        ) from None


def compare(old: Plan, new: Plan) -> list[Change]:
    """What changed between two versions of one plan."""
    before = {a.key: a for a in old.actions}
    after = {a.key: a for a in new.actions}
    changes = []
    for key, action in after.items():
        if key not in before:
            changes.append(Change(new.id, action.name, "new action: " + _short(action.text)))
            continue
        changes += [
            Change(new.id, action.name, text)
            for text in _action_changes(old, before[key], new, action)
        ]
    for key, action in before.items():
        if key not in after:
            changes.append(Change(new.id, action.name, "removed: " + _short(action.text)))
    return changes


def _action_changes(old_plan: Plan, old: Action, new_plan: Plan, new: Action) -> list[str]:
    """Changes to one action, most important first."""
    out = []
    old_due, new_due = old.current_due(), new.current_due()
    if _when(old_due) != _when(new_due):
        text = f"due date moved from {_when(old_due)} to {_when(new_due)}"
        added = new.revisions[len(old.revisions) :]
        if added and added[-1].reason:
            text += f', reason "{" ".join(added[-1].reason.split())}"'
        out.append(text)
    old_status, new_status = _status(old_plan, old), _status(new_plan, new)
    if old_status != new_status:
        out.append(f"status {old_status or 'none'} to {new_status or 'none'}")
    added_updates = len(new.updates) - len(old.updates)
    if added_updates > 0:
        dates = ", ".join(
            u.date.value.words() if u.date.value else u.date.text
            for u in new.updates[-added_updates:]
        )
        out.append(
            f"update added ({dates})"
            if added_updates == 1
            else f"{added_updates} updates added ({dates})"
        )
    done = [
        m for m, was in zip(new.milestones, old.milestones, strict=False) if m.done and not was.done
    ]
    for milestone in done:
        out.append("milestone completed: " + _short(milestone.text))
    old_leads, new_leads = [x.person for x in old.leads], [x.person for x in new.leads]
    if old_leads != new_leads:
        was, now = ", ".join(old_leads) or "none", ", ".join(new_leads) or "none"
        out.append(f"leads changed from {was} to {now}")
    if " ".join(old.text.split()) != " ".join(new.text.split()):
        out.append("wording changed")
    return out


def _when(field: DateField | None) -> str:
    """A due date in words."""
    if field is None:
        return "no date"
    if field.ongoing:
        return "ongoing"
    return field.value.words() if field.value else field.text


def _status(plan: Plan, action: Action) -> str | None:
    """The label of the action's status as the plan is written."""
    level = standing.status_at(plan, action)
    return level.label if level else None


def _short(text: str, limit: int = 80) -> str:
    """Text on one line, cut to a length."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def as_text(ref: str, changes: list[Change]) -> str:
    """One line per change."""
    lines = (
        [f"Changes to the plans since {ref[:12]}:"]
        if changes
        else [f"No changes to the plans since {ref[:12]}."]
    )
    lines += [escape.terminal(f"{c.plan}: {c.subject}: {c.text}") for c in changes]
    return "\n".join(lines) + "\n"


def as_markdown(ref: str, changes: list[Change]) -> str:
    """A Markdown list, grouped by plan, for a pull-request comment or job summary."""
    if not changes:
        return f"## Plan changes\n\nNo changes to the plans since `{ref[:12]}`.\n"
    lines = ["## Plan changes", "", f"Compared with `{ref[:12]}`.", ""]
    current = None
    for change in changes:
        if change.plan != current:
            current = change.plan
            lines += ["", f"### {escape.markdown(current)}", ""]
        lines.append(f"- **{escape.markdown(change.subject)}**: {escape.markdown(change.text)}")
    return "\n".join(lines) + "\n"
