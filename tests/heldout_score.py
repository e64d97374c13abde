"""Scoring an import of a held-out file against its truth, field by field.

Each expected action is found among the imported ones by its words; then its
recommendation number, theme, leads (who, and their agency where the file names one),
status and due date are compared with the truth. Imported actions matching none are
extras; a date the import gives finer than the file wrote it (or where it wrote none) is
invented. `score` imports one file into a fresh repository; `table` prints the figures.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from planreport import cli
from planreport.plan import loading, standing
from planreport.plan.model import Action, Person, Plan
from planreport.project import Project
from tests.heldout_files import Expected

FIELDS = ("recommendation", "theme", "leads", "status", "due")


@dataclass
class Score:
    """One file's import against its truth."""

    style: str
    expected: int = 0
    found: int = 0
    extra: list[str] = field(default_factory=list)
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    wrong: list[str] = field(default_factory=list)  # 'field: action: expected ... read ...'
    invented: list[str] = field(default_factory=list)
    exit_code: int = 0
    report: str = ""

    @property
    def clean(self) -> bool:
        """Whether the import said nothing was left to complete or lost."""
        return "Nothing is left to complete" in self.report


def words(text: str | None) -> str:
    """Text as words to compare: Markdown escapes, quote styles, case and spacing ignored."""
    text = (text or "").replace("\\", "").replace("’", "'").replace("*", "")
    return " ".join(text.split()).casefold()


def _number(ref: str) -> str:
    """A recommendation's number without an 'R' or 'Rec' before it."""
    return re.sub(r"^(?:rec(?:ommendation)?\.?\s*|r)(?=\d)", "", ref.strip(), flags=re.I)


def imported(root: Path, source: Path) -> tuple[int, str, Plan | None, dict[str, Person]]:
    """planreport import of source into a fresh repository at root: status, report, plan, people."""
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "plans" / "people.yaml").write_text("people: {}\n", encoding="utf-8")
    before, out = Path.cwd(), io.StringIO()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = cli.main(["import", str(source), "--id", "heldout", "--as-at", "2024-01-31"])
    finally:
        os.chdir(before)
    project = Project.open(root)
    sources = project.plan_sources()
    if "heldout" not in sources:
        return code, out.getvalue(), None, {}
    plan = loading.load_plan(project, sources["heldout"]).value
    people = loading.load_people(project, root / "plans" / "people.yaml").value or {}
    return code, out.getvalue(), plan, people


def score(style: str, source: Path, truth: list[Expected], root: Path) -> Score:
    """Import source and score it against truth."""
    code, report, plan, people = imported(root, source)
    result = Score(style, len(truth), exit_code=code, report=report)
    if plan is None:
        result.wrong.append(f"nothing imported: {report.strip()[-300:]}")
        return result
    by_words: dict[str, list[Action]] = {}
    for action in plan.actions:
        by_words.setdefault(words(action.text), []).append(action)
    for expected in truth:
        candidates = by_words.get(words(expected.text))
        if not candidates:
            result.wrong.append(f"not found: {expected.text}")
            continue
        result.found += 1
        _compare(result, plan, people, candidates.pop(0), expected)
    result.extra = [f"{a.ref}: {a.text[:60]}" for rest in by_words.values() for a in rest]
    return result


def _compare(
    result: Score, plan: Plan, people: dict[str, Person], action: Action, expected: Expected
) -> None:
    """Compare one imported action's fields with the truth."""
    themes = {theme.id: theme.title for theme in plan.themes}
    read = {
        "recommendation": [_number(ref) for ref, _where in action.addresses],
        "theme": words(themes.get(action.theme or "", "")),
        "leads": sorted(_leads(action, people)),
        "status": _status(plan, action),
        "due": _due(action),
    }
    want = {
        "recommendation": [expected.recommendation],
        "theme": words(expected.theme),
        "leads": sorted(_expected_leads(expected, read["leads"])),
        "status": expected.status,
        "due": expected.due,
    }
    for name in FIELDS:
        if read[name] == want[name]:
            result.right[name] += 1
        else:
            result.wrong.append(
                f"{name}: {expected.text[:40]}: expected {want[name]!r}, read {read[name]!r}"
            )
    if _invented(expected.due, read["due"]):
        result.invented.append(f"{expected.text[:40]}: {expected.due!r} read as {read['due']!r}")


def _identities(person: Person | None, role: str | None) -> set[str]:
    """The ways a lead may be named: name, post and initials (dots left out)."""
    found = {role or ""}
    if person is not None:
        found |= {person.name or "", person.role or "", (person.initials or "").replace(".", "")}
        found.add("".join(word[:1] for word in (person.name or "").split()))  # as matched
    return {words(f) for f in found if f}


def _leads(action: Action, people: dict[str, Person]) -> list[tuple[str, ...]]:
    """Each imported lead as the set of its identities, with its agency."""
    out = []
    for lead in action.leads:
        person = people.get(lead.person)
        agency = lead.organisation or (person.organisation if person else None)
        out.append((*sorted(_identities(person, lead.role)), f"agency={words(agency)}"))
    return out


def _expected_leads(expected: Expected, read: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The expected leads, each shown as the imported lead that has its identity (if any)."""
    out, left = [], list(read)
    for identity, agency in expected.leads:
        match = next((lead for lead in left if words(identity) in lead), None)
        if match is not None and (agency is None or match[-1] == f"agency={words(agency)}"):
            left.remove(match)
            out.append(match)
        else:
            out.append((words(identity), f"agency={words(agency)}"))
    return out


def _status(plan: Plan, action: Action) -> str | None:
    """The status read, as a colour: Blue for any status meaning complete."""
    level = standing.status_at(plan, action)
    if level is None:
        return None
    if level.done:
        return "Blue"
    for colour in ("Red", "Amber", "Green", "Blue"):
        if colour.lower() in f"{level.label} {level.key}".lower():
            return colour
    return level.label


def _due(action: Action) -> str | None:
    """The due date as written in the imported plan; None when unknown or absent."""
    text = action.due.text if action.due is not None else None
    return None if text in (None, "unknown") else str(text)


def _invented(expected: str | None, read: str | None) -> bool:
    """Whether the import gives a date the file does not: any where it gives none, or finer."""
    if read is None or read == expected:
        return False
    if expected is None or expected == "ongoing":
        return read != "ongoing"
    return read.count("-") > expected.count("-")


def table(scores: list[Score]) -> str:
    """The per-style, per-field accuracy table, with totals."""
    head = ["style", "actions", "found", "extra", *FIELDS, "invented", "clean"]
    lines = [" | ".join(head), " | ".join("---" for _ in head)]
    for s in scores:
        cells = [s.style, str(s.expected), str(s.found), str(len(s.extra))]
        cells += [f"{s.right[name]}/{s.expected}" for name in FIELDS]
        lines.append(" | ".join([*cells, str(len(s.invented)), "yes" if s.clean else "no"]))
    total = sum(s.expected for s in scores)
    percent = [f"{100 * sum(s.right[n] for s in scores) / max(total, 1):.1f}%" for n in FIELDS]
    found = sum(s.found for s in scores)
    extra = sum(len(s.extra) for s in scores)
    invented = sum(len(s.invented) for s in scores)
    lines.append(
        " | ".join(["all", str(total), str(found), str(extra), *percent, str(invented), ""])
    )
    return "\n".join(f"| {line} |" for line in lines)
