"""Example plan files: valid ones pass, each invalid one gives exactly the problems it names.

An invalid case states what it expects in comments at its top:
    # expect: error unknown-key 3:1
    # expect: error plan-key-in-part part.yaml:2:1   (a file inside a folder case)
    # as-at: 2020-06-01                             (for date-based warnings)

A case is a file, a folder plan (a folder with plan.yaml), or a whole project (a folder
with plans/, and templates/layouts/ for its own layouts), checked as its own project;
a project case's expectations are in its papers (plans/papers/*.yaml), with paths from
the case's folder.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from planreport.commands.check import check
from planreport.plan import rules as plan_rules
from planreport.problems import RULE_IDS
from planreport.project import Project, display
from tests.conftest import CASES, ROOT

AS_AT = date(2020, 1, 1)
# Folders of cases where each file is one case: its kind comes from the folder's name.
KIND_FOLDERS = ("papers", "layouts")
# Rules shown by CLI or build tests instead of an example file (they need a link, a pipe
# or a missing people.yaml that an example file in this repository cannot be).
TESTED_ELSEWHERE = {
    "file-unreadable",
    "file-too-large",
    "not-a-file",
    "outside-project",
    "no-people-registry",
    "column-too-narrow",  # tests/test_fit.py, with plans' words
    "unnamed-initials",  # tests/test_lead_names.py: a paper's leads and its layout together
    "unexplained-abbreviation",  # tests/test_abbreviations.py: a paper and its plans together
    "empty-leads-key",
    "reference-damaged",  # tests/test_build.py: a reference document is not a YAML case
    "reference-styles-missing",
    "missing-glyph",  # tests/test_fallback_font.py: a build warning, found while rendering
    "span-over-page",  # tests/test_pdf_spans.py: a build warning, after the layouts allowed
    "disk-full",  # tests/test_full_disk.py: a full disk and a read-only one, made for real
    "read-only",
    "cannot-write",
    "unknown-block",  # tests/test_writers.py: a planreport bug, not a YAML case
    "mail-insecure",  # tests/test_mail_config.py: planreport.yaml, not a plan case
    "no-email",  # tests/test_mail_send.py: reported when sending, not by check
    # tests/test_cover.py: a cover report's problems are in Markdown and its paper together
    "missing-cover-text",
    "text-outside-section",
    "unknown-section",
    "duplicate-section",
    "section-order",
    "missing-section",
    "empty-section",
    "recommendations-not-numbered",
    "background-papers-not-listed",
    "placeholder-not-alone",
    "placeholder-no-value",
    "unknown-report-template",
    "missing-header-field",
    "unknown-header-field",
    "contact-incomplete",
    "exempt-paragraph",
    "cover-over-page-limit",
    "cover-text-unused",
}
EXPECT = re.compile(r"^# expect: (error|warning) ([a-z0-9-]+) (?:(\S+):)?(\d+):(\d+)$", re.M)
AS_AT_LINE = re.compile(r"^# as-at: (\d{4}-\d{2}-\d{2})$", re.M)


def _cases(kind: str) -> list[Path]:
    """Case files and folder cases of one kind (each file in papers/ and layouts/ is one)."""
    found = []
    for path in sorted((CASES / kind).iterdir()):
        if path.is_dir() and path.name in KIND_FOLDERS:
            found += sorted(path.glob("*.yaml"))
        elif path.suffix == ".yaml" or path.is_dir():
            found.append(path)
    return found


def _check(paths: list[Path], as_at: date):
    """Check paths in this repository's project, or a project case as its own project."""
    case = paths[0]
    if _is_project(case):
        return check(Project(case), [case / "plans", case / "templates"], as_at)
    return check(Project(ROOT), paths, as_at)


def _is_project(case: Path) -> bool:
    """Whether a case is a whole project (a folder holding plans/)."""
    return (case / "plans").is_dir()


def _header(case: Path) -> str:
    """The text holding a case's expectations (plan.yaml for a folder case, papers for a project)."""
    if _is_project(case):
        papers = sorted((case / "plans" / "papers").glob("*.yaml"))
        return "\n".join(p.read_text(encoding="utf-8") for p in papers)
    main = case / "plan.yaml" if case.is_dir() else case
    return main.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case_has_no_errors(case: Path) -> None:
    result = _check([case], AS_AT)
    assert [p for p in result.problems if p.severity.value == "error"] == []
    if case.parent.name not in KIND_FOLDERS:
        assert len(result.plans) == 1


@pytest.mark.parametrize("case", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case_gives_expected_problems(case: Path) -> None:
    header = _header(case)
    expected = set()
    for severity, rule, file, line, col in EXPECT.findall(header):
        path = case / file if file else case
        expected.add((severity, rule, display(path), int(line), int(col)))
    if case.name == "empty-file.yaml":
        expected = {("error", "empty-file", display(case), 1, 1)}
    assert expected, f"{case.name} states no '# expect:' line"
    as_at = AS_AT_LINE.search(header)
    result = _check([case], date.fromisoformat(as_at.group(1)) if as_at else AS_AT)
    severities = {e[0] for e in expected}
    found = {
        (p.severity.value, p.rule, p.location.path, p.location.line, p.location.col)
        for p in result.problems
        if p.severity.value in severities
    }
    assert found == expected


def test_every_rule_has_an_invalid_case() -> None:
    rules = {m.group(2) for case in _cases("invalid") for m in EXPECT.finditer(_header(case))}
    rules.add("empty-file")
    missing = set(RULE_IDS) - TESTED_ELSEWHERE - rules
    assert not missing, f"no case for: {sorted(missing)}"
    assert rules <= set(RULE_IDS), f"cases name unknown rules: {sorted(rules - set(RULE_IDS))}"


def test_each_plan_check_registers_the_rule_ids_it_reports() -> None:
    """A check's own ids are registered by its @check, with what each catches."""
    import ast
    import inspect

    names = [c.function.__name__ for c in plan_rules.CHECKS]
    assert len(names) == len(set(names)) == 25
    shared = {"unknown-status", "unknown-custom-field"}
    for registered in plan_rules.CHECKS:
        tree = ast.parse(inspect.getsource(registered.function))
        used = {
            n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in RULE_IDS
        }
        assert used - shared == set(registered.rules), registered.function.__name__
        assert all(RULE_IDS[rule] for rule in registered.rules)
    flags = {c.function.__name__: (c.warns_only, c.whole_plan) for c in plan_rules.CHECKS}
    assert flags["updates_recent"] == (True, False)
    assert flags["themes_known"] == (False, True)
    assert flags["leads_known"] == (False, False)


def test_source_plans_have_no_errors() -> None:
    result = _check([ROOT / "plans"], AS_AT)
    assert [
        str(p.location) + " " + p.message for p in result.problems if p.severity.value == "error"
    ] == []
    assert sorted(p.id for p in result.plans) == [
        "derby-cyp-improvement-2011",
        "nottingham-city-iicsa-2019",
        "nottinghamshire-iicsa-2019",
        "stockton-ofsted-2013",
    ]


def test_checking_for_errors_only_finds_the_same_errors() -> None:
    """A build checks without the warning rules: it must stop on exactly what check does."""
    from planreport.commands.check import check_source

    project = Project(ROOT)
    plan_cases = [c for k in ("valid", "invalid") for c in _cases(k) if not _is_project(c)]
    sources = [s for s in project.plan_sources().values()]
    sources += [s for c in plan_cases for s in project.targets([c]).plans]
    errors_found = 0
    for source in sources:
        errors, only = (
            [
                p
                for p in check_source(project, source, AS_AT, warn).problems
                if p.severity == "error"
            ]
            for warn in (True, False)
        )
        assert only == errors, source
        errors_found += len(errors)
    assert len(sources) > 60 and errors_found > 40


def test_a_plan_recording_progress_as_milestones_is_not_said_to_lack_updates(
    tmp_path: Path,
) -> None:
    """stale-action as the paper counts: not for a plan whose progress is dated milestones."""
    plan = tmp_path / "milestones.yaml"
    milestones = (
        "title: Milestones\nactions:\n"
        '  - ref: "1"\n    text: Review the team.\n    due: 2020-06\n'
        "    milestones:\n"
        "      - {text: Scope agreed., due: 2019-06, completed: 2019-06}\n"
        "      - {text: Report made., due: 2020-06}\n"
    )
    plan.write_text(milestones, encoding="utf-8")
    found = check(Project(tmp_path), [plan], date(2026, 12, 7))
    assert [p.rule for p in found.problems if p.rule == "stale-action"] == []
    # the same plan with an update: it reports progress as updates, and this one is old
    plan.write_text(milestones + "    updates: [{date: 2019-06-01, text: Begun.}]\n")
    found = check(Project(tmp_path), [plan], date(2026, 12, 7))
    assert [p.rule for p in found.problems if p.rule == "stale-action"] == ["stale-action"]
