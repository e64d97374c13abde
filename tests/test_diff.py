"""`planreport diff` against a temporary git repository with real commits."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CASES, run_planreport


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A council repository: the example project committed on main, then a branch."""
    root = tmp_path / "council"
    shutil.copytree(CASES / "project", root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "clerk@example.org")
    _git(root, "config", "user.name", "Clerk")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "Plan as agreed")
    _git(root, "checkout", "-q", "-b", "update")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_changes_are_described_in_committee_language(repo: Path) -> None:
    plan = repo / "plans" / "sample.yaml"
    _edit(
        plan,
        "      - {date: 2011-11-20, text: Started., status: green}",
        "      - {date: 2011-11-20, text: Started., status: green}\n"
        "      - {date: 2012-01-10, text: Supplier delayed., status: amber}\n"
        "    revisions:\n"
        "      - {due: 2012-04, reason: The supplier delivered late.}",
    )
    _edit(
        plan,
        '  - ref: "2.2"',
        '  - ref: "2.3"\n    addresses: ["2"]\n    text: Train every manager.\n'
        "    leads: [smcl]\n    due: 2012-06\n"
        '  - ref: "2.2"',
    )
    _git(repo, "commit", "-q", "-am", "January update")
    result = run_planreport("diff", cwd=repo)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Changes to the plans since ")
    assert lines[1:] == [
        'sample: action 2.1: due date moved from January 2012 to April 2012, reason "The supplier delivered late."',
        "sample: action 2.1: status Green to Amber",
        "sample: action 2.1: update added (10 January 2012)",
        "sample: action 2.3: new action: Train every manager.",
    ]


def test_markdown_for_a_pull_request_and_removed_actions(repo: Path) -> None:
    plan = repo / "plans" / "sample.yaml"
    text = plan.read_text(encoding="utf-8")
    start = text.index('  - ref: "1.11"')
    end = text.index('  - ref: "2.1"')
    plan.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run_planreport("diff", "main", "--format", "markdown", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith(
        "### sample\n\n"
        "- **action 1.11**: removed: All commissioning plans include an Equality Impact Assessment.\n"
    )
    assert result.stdout.startswith("## Plan changes\n\nCompared with `")


def test_no_changes(repo: Path) -> None:
    result = run_planreport("diff", cwd=repo)
    assert result.stdout.startswith("No changes to the plans since ")


def test_missing_ref_says_how_to_fetch_history(repo: Path, tmp_path: Path) -> None:
    result = run_planreport("diff", "v9.9", cwd=repo)
    assert result.returncode == 2
    assert "there is no commit 'v9.9'" in result.stderr
    assert "git fetch --unshallow" in result.stderr
    shallow = tmp_path / "shallow"
    _git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        "--branch",
        "update",
        f"file://{repo}",
        str(shallow),
    )
    orphan = run_planreport("diff", cwd=shallow)
    assert orphan.returncode == 2
    assert "fetch-depth: 0" in orphan.stderr


def test_outside_git_says_so(tmp_path: Path) -> None:
    shutil.copytree(CASES / "project", tmp_path / "project")
    result = run_planreport("diff", cwd=tmp_path / "project")
    assert result.returncode == 2
    assert result.stderr == (
        "planreport diff: plans is not in a git repository; planreport diff compares plans with "
        "an earlier commit, so it needs the plans to be kept in git.\n"
    )


def test_a_plan_that_does_not_load_is_said_so_not_called_new_or_removed(repo: Path) -> None:
    plan = repo / "plans" / "sample.yaml"
    _edit(plan, "title: Sample improvement plan", 'title: "Sample improvement plan')
    _git(repo, "commit", "-q", "-am", "Broken")
    result = run_planreport("diff", "main", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith(
        "sample: plan: has errors, so what changed cannot be listed; run planreport check "
        "(first: plans/sample.yaml:10:5: this YAML cannot be read"
    )
    _git(repo, "checkout", "-q", "main")
    _git(repo, "checkout", "-q", "-b", "fix")
    _git(repo, "cherry-pick", "update")
    _git(repo, "checkout", "-q", "-b", "fixed")
    _edit(plan, 'title: "Sample improvement plan', "title: Sample improvement plan")
    _git(repo, "commit", "-q", "-am", "Fixed")
    again = run_planreport("diff", "fix", cwd=repo)
    assert "sample: plan: errors fixed (it had errors at " in again.stdout


def test_markdown_shows_plan_text_as_text(repo: Path) -> None:
    plan = repo / "plans" / "sample.yaml"
    _edit(
        plan,
        '  - ref: "2.2"',
        '  - ref: "2.3"\n    addresses: ["2"]\n'
        '    text: "![x](https://evil.example/t.png) <img src=x onerror=alert(1)> | cell"\n'
        "    leads: [smcl]\n    due: 2012-06\n"
        '  - ref: "2.2"',
    )
    _git(repo, "commit", "-q", "-am", "Injected")
    result = run_planreport("diff", "main", "--format", "markdown", cwd=repo)
    line = next(x for x in result.stdout.splitlines() if "2.3" in x)
    assert line == (
        "- **action 2.3**: new action: \\!\\[x\\](https://evil.example/t.png) "
        "&lt;img src=x onerror=alert(1)&gt; \\| cell"
    )


def test_the_earlier_plans_are_read_inside_the_project_and_removed(
    repo: Path, tmp_path: Path
) -> None:
    """Nothing goes to the system's temporary folder; build/.tmp-<pid> goes at the end.

    One left by a diff that was killed (its process has ended) goes too.
    """
    stale = repo / "build" / ".tmp-99999999" / "plans"
    stale.mkdir(parents=True)
    (stale / "old.yaml").write_text("id: old\n")
    temp = tmp_path / "temp"
    temp.mkdir()
    _edit(repo / "plans" / "sample.yaml", "include an Equality", "include an equality")
    result = run_planreport("diff", "main", cwd=repo, env={**os.environ, "TMPDIR": str(temp)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["sample: action 1.11: wording changed"]
    assert list(temp.iterdir()) == []
    assert list((repo / "build").iterdir()) == []


def test_file_names_git_would_quote_are_read(repo: Path) -> None:
    """A file name with a space, an accent or a new line, listed by git at the ref."""
    for name in ("notes é.txt", "two\nlines.txt"):
        (repo / "plans" / name).write_text("not a plan\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Notes")
    _edit(repo / "plans" / "sample.yaml", "include an Equality", "include an equality")
    result = run_planreport("diff", "HEAD", cwd=repo)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[1:] == ["sample: action 1.11: wording changed"]
