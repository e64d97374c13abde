"""A recommendation tracked as its own action, with `outcomes` and `measures` (issue 21)."""

from __future__ import annotations

import os
from pathlib import Path

from planreport.plan import building, validate
from planreport.problems import Problems
from tests.conftest import load_document, run_planreport

PLAN = """title: Tracker
recommendations:
  - ref: R1
    text: Share chronologies.
    leads: [ann]
    due: 2020-03
    updates: [{date: 2019-12, text: Drafted., status: green}]
    measures:
      - Chronologies shared in every case.
      - An audit shows them used.
  - ref: R2
    text: Audit compliance.
    leads: [ann]
    due: 2020-06
    updates: [{date: 2019-12, text: Begun., status: green}]
    measures: Audit completed.
    outcomes: Children are safer.
"""


def _check(tmp_path: Path, plan: str) -> str:
    """The output of `check` on a project holding the plan and one person."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "people.yaml").write_text("people:\n  ann: {name: Ann}\n")
    (tmp_path / "plans" / "rows.yaml").write_text(plan)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = run_planreport("check", "--as-at", "2020-01-01", env=env, cwd=tmp_path)
    assert "internal error" not in result.stdout + result.stderr
    return result.stdout


def test_measures_as_a_list_or_as_one_text_are_accepted(tmp_path: Path) -> None:
    assert _check(tmp_path, PLAN) == "Checked 1 plan in 2 files: 0 errors, 0 warnings.\n"


def test_measures_of_the_wrong_kind_are_a_located_error(tmp_path: Path) -> None:
    plan = PLAN.replace("measures: Audit completed.", "measures: {audit: done}")
    assert _check(tmp_path, plan) == (
        "plans/rows.yaml:16:15: error: [wrong-type] recommendation R2: 'measures' should be "
        "text or a list: one text, or each item on its own line after '- '.\n"
        "Checked 1 plan in 2 files: 1 error, 0 warnings.\n"
    )


def test_the_action_a_recommendation_stands_for_carries_its_measures(tmp_path: Path) -> None:
    path = tmp_path / "rows.yaml"
    path.write_text(PLAN, encoding="utf-8")
    problems = Problems()
    doc = load_document(path, problems, path.name)
    assert validate.validate(doc, "plan", problems), problems
    doc.valid = True
    plan = building.build_plan("rows", doc, [])
    r1, r2 = plan.recommendations
    assert (r1.measures, r2.measures, r2.outcomes) == (
        ["Chronologies shared in every case.", "An audit shows them used."],
        ["Audit completed."],
        ["Children are safer."],
    )
    assert [a.measures for a in plan.actions] == [
        "- Chronologies shared in every case.\n- An audit shows them used.",
        "Audit completed.",
    ]
