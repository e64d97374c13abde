"""Reporters: turn a CheckResult into text, JSON, or GitHub annotations and a summary.

Reporters only build strings; the CLI decides where they go.
"""

from __future__ import annotations

import json

from planreport import escape
from planreport.commands.check import CheckResult
from planreport.problems import Problem


def _counts(result: CheckResult) -> str:
    """Count what was checked and found, e.g. 'Checked 4 plans in 5 files: 1 error.'."""
    errors, warnings = result.count("error"), result.count("warning")
    counts = (
        (len(result.plans), "plan"),
        (result.papers, "paper"),
        (result.layouts, "layout"),
        (result.rounds, "round record"),
    )
    kinds = [_many(n, kind) for n, kind in counts if n] or ["0 plans"]
    what = ", ".join(kinds[:-1]) + " and " + kinds[-1] if len(kinds) > 1 else kinds[0]
    return (
        f"Checked {what} in {_many(result.files, 'file')}: {_many(errors, 'error')}, "
        f"{_many(warnings, 'warning')}."
    )


def _many(count: int, noun: str) -> str:
    """'1 plan', '2 plans'."""
    return f"{count} {noun}{'s' * (count != 1)}"


def line(problem: Problem) -> str:
    """`path:line:col: severity: [rule] message`, safe to print on one line."""
    return escape.terminal(
        f"{problem.location}: {problem.severity.value}: [{problem.rule}] {problem.message}"
    )


def text(result: CheckResult) -> str:
    """One line per problem, then the counts."""
    lines = [line(p) for p in result.problems]
    lines.append(_counts(result))
    return "\n".join(lines) + "\n"


def as_json(result: CheckResult) -> str:
    """The result as a JSON document for other tools."""
    document = {
        "version": 1,
        "summary": {
            "plans": len(result.plans),
            "papers": result.papers,
            "layouts": result.layouts,
            "files": result.files,
            "errors": result.count("error"),
            "warnings": result.count("warning"),
        },
        "problems": [
            {
                "path": p.location.path,
                "line": p.location.line,
                "column": p.location.col,
                "severity": p.severity.value,
                "rule": p.rule,
                "message": p.message,
            }
            for p in result.problems
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def github(result: CheckResult) -> str:
    """GitHub Actions annotations, one workflow command per problem, then the counts."""
    lines = [_annotation(p) for p in result.problems]
    lines.append(_counts(result))
    return "\n".join(lines) + "\n"


def _annotation(problem: Problem) -> str:
    """`::error file=..,line=..,col=..,title=..::message`."""
    where = problem.location
    props = ",".join(
        f"{key}={escape.workflow_property(str(value))}"
        for key, value in (
            ("file", where.path),
            ("line", where.line),
            ("col", where.col),
            ("title", f"planreport [{problem.rule}]"),
        )
    )
    return f"::{problem.severity.value} {props}::{escape.workflow_data(problem.message)}"


def github_summary(result: CheckResult) -> str:
    """A Markdown job summary: the errors' table, then the warnings' folded away below."""
    lines = ["## planreport check", "", _counts(result), ""]
    errors = [p for p in result.problems if p.severity.value == "error"]
    warnings = [p for p in result.problems if p.severity.value != "error"]
    if errors:
        lines += ["### Errors", "", *_table(errors), ""]
    if warnings:
        heading = f"{_many(len(warnings), 'warning')} (they do not fail the check)"
        lines += ["<details>", f"<summary>{heading}</summary>", "", *_table(warnings), ""]
        lines += ["</details>", ""]
    return "\n".join(lines) + "\n"


def _table(problems: list[Problem]) -> list[str]:
    """The Markdown table rows of problems, with its header."""
    return [
        "| Where | Severity | Rule | What to do |",
        "| --- | --- | --- | --- |",
        *(
            f"| {escape.markdown(str(p.location))} | {p.severity.value} | `{p.rule}` | "
            f"{escape.markdown(p.message)} |"
            for p in problems
        ),
    ]
