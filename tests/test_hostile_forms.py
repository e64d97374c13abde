"""Returned update forms are untrusted, and two applies may run at once: nothing is lost."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from planreport.project import Project
from planreport.updates import apply as applying

from .conftest import planreport_command, run_planreport
from .test_updates import fill_xlsx

TWO = """\
title: Two leads
recommendations:
  - {ref: "1", text: Do better.}
actions:
  - ref: "1"
    addresses: ["1"]
    text: Do it.
    leads: [ann]
    due: 2027-03
  - ref: "2"
    addresses: ["1"]
    text: Do that.
    leads: [bob]
    due: 2027-03
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one plan of two actions, one led by Ann and one by Bob."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "people.yaml").write_text(
        "people:\n  ann: {name: Ann Smith}\n  bob: {name: Bob Jones}\n"
    )
    (tmp_path / "plans" / "two.yaml").write_text(TWO)
    return tmp_path


def _forms(root: Path) -> dict[str, Path]:
    """Each lead's form, made with `planreport request`, by lead id."""
    result = run_planreport("request", "--date", "2026-11-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return {path.stem.rpartition("-")[2]: path for path in (root / "build/forms").glob("*.xlsx")}


def _filled(root: Path, lead: str, ref: str, text: str) -> Path:
    """A lead's form with a progress update for one action."""
    return fill_xlsx(_forms(root)[lead], {ref: {"Progress update": text}}, root / f"{lead}.xlsx")


def test_two_applies_at_once_both_land(project: Path) -> None:
    ann = _filled(project, "ann", "1", "Ann's news.")
    bob = _filled(project, "bob", "2", "Bob's news.")
    runs = [
        subprocess.Popen(
            [*planreport_command(), "apply", str(form), "--date", "2026-11-20"],
            cwd=project,
            stdout=subprocess.PIPE,
            text=True,
        )
        for form in (ann, bob)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    text = (project / "plans/two.yaml").read_text()
    assert "Ann's news." in text and "Bob's news." in text


def test_a_plan_changed_between_reading_and_writing_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = _filled(project, "ann", "1", "Ann's news.")
    plan = project / "plans/two.yaml"
    checking = applying._check_edited

    def meanwhile(*args: object) -> applying.Checked:
        """Another program saves the plan while apply is working."""
        plan.write_text(TWO.replace("Do that.", "Do that now."))
        return checking(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(applying, "_check_edited", meanwhile)
    result = applying.apply(Project(project), applying.Options((form,), date(2026, 11, 20)))
    assert "Do that now." in plan.read_text()
    assert "Ann's news." not in plan.read_text()
    assert result.applied == 0 and not result.written
    (finding,) = result.findings
    assert "plans/two.yaml was changed by another program" in finding.message
