"""Example plan files: valid ones pass, each invalid one gives exactly the problems it names.

An invalid case states what it expects in comments at its top:
    # expect: error unknown-key 3:1
    # expect: error plan-key-in-part part.yaml:2:1   (a file inside a folder case)
    # as-at: 2020-06-01                             (for date-based warnings)
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from planreport.check import check, display

from .conftest import CASES, ROOT

AS_AT = date(2020, 1, 1)
EXPECT = re.compile(r"^# expect: (error|warning) ([a-z0-9-]+) (?:(\S+):)?(\d+):(\d+)$", re.M)
AS_AT_LINE = re.compile(r"^# as-at: (\d{4}-\d{2}-\d{2})$", re.M)


def _cases(kind: str) -> list[Path]:
    """Case files and folder cases of one kind."""
    return sorted(p for p in (CASES / kind).iterdir() if p.suffix == ".yaml" or p.is_dir())


def _header(case: Path) -> str:
    """The text holding a case's expectations (plan.yaml for a folder case)."""
    main = case / "plan.yaml" if case.is_dir() else case
    return main.read_bytes().decode("utf-8", errors="replace")


@pytest.mark.parametrize("case", _cases("valid"), ids=lambda p: p.name)
def test_valid_case_has_no_errors(case: Path) -> None:
    result = check([case], AS_AT)
    assert [p for p in result.problems if p.severity.value == "error"] == []
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
    result = check([case], date.fromisoformat(as_at.group(1)) if as_at else AS_AT)
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
    required = {
        "yaml-syntax",
        "duplicate-key",
        "yaml-anchor",
        "yaml-alias",
        "yaml-merge-key",
        "yaml-tag",
        "yaml-too-deep",
        "yaml-multiple-documents",
        "bad-character",
        "not-utf8",
        "unknown-key",
        "wrong-type",
        "missing-key",
        "empty-value",
        "bad-ref",
        "not-allowed-value",
        "plan-title-missing",
        "undated-action",
        "date-format",
        "date-impossible",
        "date-range-reversed",
        "start-after-due",
        "revision-without-reason",
        "ongoing-without-review",
        "duplicate-ref",
        "unknown-recommendation",
        "unaddressed-recommendation",
        "unknown-lead",
        "unknown-status",
        "done-without-date",
        "unknown-theme",
        "unknown-note",
        "unknown-custom-field",
        "plan-key-in-part",
        "person-unnamed",
        "unknown-merge-target",
        "overdue-on-track",
        "review-overdue",
        "stale-action",
        "empty-file",
    }
    assert required <= rules, f"no case for: {sorted(required - rules)}"


def test_source_plans_have_no_errors() -> None:
    result = check([ROOT / "plans"], AS_AT)
    assert [
        str(p.location) + " " + p.message for p in result.problems if p.severity.value == "error"
    ] == []
    assert sorted(p.id for p in result.plans) == [
        "derby-cyp-improvement-2011",
        "nottingham-city-iicsa-2019",
        "nottinghamshire-iicsa-2019",
        "stockton-ofsted-2013",
    ]
