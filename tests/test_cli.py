"""The `planreport check` command, run through the installed entry point."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import CASES, ROOT, run_planreport

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
    assert result.stdout.splitlines()[-1].startswith(
        "Checked 4 plans, 5 papers and 5 layouts in 36 files: 0 errors,"
    )


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
        "summary": {"plans": 1, "papers": 0, "layouts": 0, "files": 2, "errors": 1, "warnings": 1},
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
    assert "| tests/cases/invalid/unknown-lead.yaml:7:13 | error | `unknown-lead` |" in text
    errors, warnings = text.split("<details>")  # errors first, warnings folded away after
    assert "`unknown-lead`" in errors and "`stale-action`" not in errors
    assert warnings.startswith("\n<summary>1 warning (they do not fail the check)</summary>")
    assert "| tests/cases/invalid/unknown-lead.yaml:5:5 | warning | `stale-action` |" in warnings


def test_github_escaping() -> None:
    from planreport.commands.check import CheckResult
    from planreport.commands.report import github
    from planreport.problems import Location, Problem, Severity

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


def test_outside_a_project_every_command_says_so(tmp_path: Path) -> None:
    for command in ("check", "status", "build", "diff"):
        result = run_planreport(command, cwd=tmp_path, env=_env())
        assert result.returncode == 2, command
        assert result.stderr == (
            f"planreport {command}: there is no plans/ folder here, so this is not a plan "
            "repository. Run planreport in the folder that holds plans/, or name it with "
            "--project DIR.\n"
        )
        assert result.stdout == ""


def test_a_path_outside_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "plan.yaml"
    outside.write_text("title: Outside\n")
    result = run_planreport("check", str(outside), env=_env(), cwd=ROOT)
    assert result.returncode == 2
    assert result.stderr == (
        f"planreport check: {outside} is outside the project ({ROOT}); planreport reads only "
        "files inside the project. Run it in the repository that holds this file.\n"
    )


def _project(tmp_path: Path) -> Path:
    """A project holding one valid plan and its people."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "people.yaml").write_text("people:\n  ann: {name: Ann}\n")
    (tmp_path / "plans" / "ok.yaml").write_text(
        "title: OK\nactions:\n  - {ref: '1', text: First., due: 2020-03, leads: [ann]}\n"
    )
    return tmp_path


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    project = _project(tmp_path)
    big = project / "plans" / "big.yaml"
    big.write_text("title: Big\nintroduction: " + "x" * (5 * 1024 * 1024) + "\n")
    result = run_planreport("check", *AS_AT, env=_env(), cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "plans/big.yaml:1:1: error: [file-too-large] this file is 5120 KiB; the most a plan "
        "file may be is 5 MiB. Split the plan into a folder of smaller files.\n"
    )


def test_links_out_of_the_project_pipes_and_folders_are_refused(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    project = _project(tmp_path / "project")
    secret = tmp_path / "secret.yaml"
    secret.write_text("title: Secret\nactions: []\n")
    (project / "plans" / "linked.yaml").symlink_to(secret)
    os.mkfifo(project / "plans" / "pipe.yaml")
    (project / "plans" / "folder.yaml").mkdir()
    (project / "plans" / "folder.yaml" / "plan.yaml").symlink_to(secret)
    result = run_planreport("check", *AS_AT, env=_env(), cwd=project)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert lines == [
        f"plans/folder.yaml/plan.yaml:1:1: error: [outside-project] this is a link to {secret}, "
        "which is outside the project; planreport reads only files inside it. Put the file "
        "itself here instead of a link.",
        f"plans/linked.yaml:1:1: error: [outside-project] this is a link to {secret}, which is "
        "outside the project; planreport reads only files inside it. Put the file itself here "
        "instead of a link.",
        "plans/pipe.yaml:1:1: error: [not-a-file] this is not an ordinary file (it is a folder, "
        "device or pipe); planreport reads only ordinary files. Replace it with a file or "
        "remove it.",
    ]
    assert "Secret" not in result.stdout


def test_no_people_registry_is_an_error(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "plans" / "people.yaml").unlink()
    result = run_planreport("check", *AS_AT, env=_env(), cwd=project)
    assert result.returncode == 1
    assert (
        "plans/ok.yaml:3:52: error: [no-people-registry] this plan names leads but there is no "
        "people.yaml beside it or in a folder above it. Create people.yaml listing each person "
        "once (see docs/plan-format.md).\n"
    ) in result.stdout


def test_an_unreadable_file_is_reported(tmp_path: Path) -> None:
    project = _project(tmp_path)
    (project / "plans" / "ok.yaml").chmod(0)
    if os.access(project / "plans" / "ok.yaml", os.R_OK):  # root reads anything
        (project / "plans" / "ok.yaml").chmod(0o644)
        (project / "plans" / "ok.yaml").unlink()
        (project / "plans" / "ok.yaml").symlink_to(project / "plans" / "missing.yaml")
    result = run_planreport("check", *AS_AT, env=_env(), cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith("plans/ok.yaml:1:1: error: [file-unreadable] cannot read")


def test_one_file_of_a_folder_plan_checks_the_whole_plan() -> None:
    result = run_planreport(
        "check", "plans/stockton-ofsted-2013/recommendation-05.yaml", *AS_AT, env=_env()
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("Checked 1 plan in 16 files: 0 errors,")
    assert "plan-title-missing" not in result.stdout
