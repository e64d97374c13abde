"""The `planreport check` command, run through the installed entry point."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .conftest import CASES, ROOT, run_planreport

CASE = "tests/cases/invalid/unknown-lead.yaml"
AS_AT = ["--as-at", "2020-01-01"]


def _env(**extra: str) -> dict[str, str]:
    """The environment without GitHub's variables, plus extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update(extra)
    return env


def test_clean_plans_exit_zero() -> None:
    result = run_planreport("check", *AS_AT, env=_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("Checked 4 plans in 29 files: 0 errors,")


def test_text_output_is_located_and_exits_one() -> None:
    result = run_planreport("check", CASE, *AS_AT, env=_env())
    assert result.returncode == 1
    assert result.stdout == (
        "tests/cases/invalid/unknown-lead.yaml:5:5: warning: [stale-action] action 1 has had no "
        "progress update at all; the plan expects one within 90 days of 1 January 2020. Add an "
        "update with today's position.\n"
        "tests/cases/invalid/unknown-lead.yaml:7:13: error: [unknown-lead] 'nina-martn' is not "
        "in tests/cases/people.yaml. Did you mean 'nina-martin'? Add them there, or correct the "
        "id.\n"
        "Checked 1 plan in 2 files: 1 error, 1 warning.\n"
    )


def test_json_output_exact() -> None:
    result = run_planreport("check", CASE, "--format", "json", *AS_AT, env=_env())
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "version": 1,
        "summary": {"plans": 1, "files": 2, "errors": 1, "warnings": 1},
        "problems": [
            {
                "path": "tests/cases/invalid/unknown-lead.yaml",
                "line": 5,
                "column": 5,
                "severity": "warning",
                "rule": "stale-action",
                "message": "action 1 has had no progress update at all; the plan expects one "
                "within 90 days of 1 January 2020. Add an update with today's position.",
            },
            {
                "path": "tests/cases/invalid/unknown-lead.yaml",
                "line": 7,
                "column": 13,
                "severity": "error",
                "rule": "unknown-lead",
                "message": "'nina-martn' is not in tests/cases/people.yaml. Did you mean "
                "'nina-martin'? Add them there, or correct the id.",
            },
        ],
    }


def test_github_annotations_and_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = _env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary))
    result = run_planreport("check", CASE, *AS_AT, env=env)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::warning file=tests/cases/invalid/unknown-lead.yaml,line=5,col=5,"
        "title=planreport [stale-action]::action 1 has had no progress update at all; the plan "
        "expects one within 90 days of 1 January 2020. Add an update with today's position.",
        "::error file=tests/cases/invalid/unknown-lead.yaml,line=7,col=13,"
        "title=planreport [unknown-lead]::'nina-martn' is not in tests/cases/people.yaml. Did "
        "you mean 'nina-martin'? Add them there, or correct the id.",
        "Checked 1 plan in 2 files: 1 error, 1 warning.",
    ]
    text = summary.read_text()
    assert text.startswith(
        "## planreport check\n\nChecked 1 plan in 2 files: 1 error, 1 warning.\n"
    )
    assert "| `tests/cases/invalid/unknown-lead.yaml:7:13` | error | `unknown-lead` |" in text


def test_github_escaping() -> None:
    from planreport.check import CheckResult
    from planreport.problems import Location, Problem, Severity
    from planreport.report import github

    problem = Problem(Location("a,b:c.yaml", 2, 3), Severity.ERROR, "r", "50% done\nnext line\r")
    out = github(CheckResult([problem], [], 1)).splitlines()[0]
    expected = "::error file=a%2Cb%3Ac.yaml,line=2,col=3,title=planreport [r]::"
    assert out == expected + "50%25 done%0Anext line%0D"


def test_strict_fails_on_warnings() -> None:
    case = "tests/cases/invalid/stale-action.yaml"
    assert run_planreport("check", case, "--as-at", "2020-09-01", env=_env()).returncode == 0
    assert (
        run_planreport("check", case, "--as-at", "2020-09-01", "--strict", env=_env()).returncode
        == 1
    )


def test_usage_errors_exit_two() -> None:
    missing = run_planreport("check", "no-such-folder", env=_env())
    assert missing.returncode == 2
    assert missing.stderr == "planreport check: no-such-folder: no such file or folder.\n"
    bad_date = run_planreport("check", "--as-at", "18/09/2013", env=_env())
    assert bad_date.returncode == 2
    assert "'18/09/2013' is not a date; write it as YYYY-MM-DD" in bad_date.stderr


def test_every_invalid_case_reports_without_traceback() -> None:
    result = run_planreport("check", str(CASES / "invalid"), *AS_AT, env=_env())
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr == ""


def test_default_path_is_plans_folder(tmp_path: Path) -> None:
    result = run_planreport("check", *AS_AT, cwd=tmp_path, env=_env())
    assert result.returncode == 2
    assert result.stderr == "planreport check: plans: no such file or folder.\n"


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("title: Big\nintroduction: " + "x" * (5 * 1024 * 1024) + "\n")
    result = run_planreport("check", str(big), env=_env(), cwd=ROOT)
    assert result.returncode == 1
    assert "[file-too-large]" in result.stdout


def test_one_file_of_a_folder_plan_checks_the_whole_plan() -> None:
    result = run_planreport(
        "check", "plans/stockton-ofsted-2013/recommendation-05.yaml", *AS_AT, env=_env()
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("Checked 1 plan in 16 files: 0 errors,")
    assert "plan-title-missing" not in result.stdout
