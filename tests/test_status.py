"""`planreport status`: exact output in text, JSON and CSV, through the installed command."""

from __future__ import annotations

import csv
import io
import json

from tests.conftest import CASES, run_planreport

PLANS = "--project", str(CASES / "project")
AS_AT = ["--as-at", "2012-03-10"]


def test_text_lists_what_needs_chasing_by_lead() -> None:
    result = run_planreport("status", *PLANS, *AS_AT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Status as at 10 March 2012 (due soon: by 9 April 2012)\n"
        "\n"
        "sample: 4 actions (Blue 1, Green 1, Amber 1, Red 1)\n"
        "  overdue 2, due soon 1, stale 3, revised 1\n"
        "\n"
        "Nina Martin, Head of Quality Assurance [nina-martin]\n"
        "  Plan    Action  Due         Status  Needs            Last update\n"
        "  sample  1.10    March 2012  Amber   due soon, stale  2011-11-15\n"
        "\n"
        "SMcL [smcl]\n"
        "  Plan    Action  Due            Status  Needs                            Last update\n"
        "  sample  2.1     January 2012   Green   overdue, stale, marked on track  2011-11-20\n"
        "  sample  2.2     February 2012  Red     overdue, stale                   2011-11-20\n"
    )


def test_json_for_dashboards() -> None:
    result = run_planreport("status", *PLANS, *AS_AT, "--lead", "nina-martin", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "as_at": "2012-03-10",
        "due_soon_by": "2012-04-09",
        "plans": [
            {
                "id": "sample",
                "title": "Sample improvement plan",
                "actions": 4,
                "by_status": {"Blue": 1, "Green": 1, "Amber": 1, "Red": 1},
                "overdue": 2,
                "due_soon": 1,
                "stale": 3,
                "slipped": 1,
            }
        ],
        "leads": [
            {
                "id": "nina-martin",
                "name": "Nina Martin, Head of Quality Assurance",
                "items": [
                    {
                        "plan": "sample",
                        "ref": "1.10",
                        "name": "action 1.10",
                        "text": "Track the progress of groups1: • monthly audits • quarterly reports",
                        "due": "2012-03",
                        "due_words": "March 2012",
                        "status": "Amber",
                        "flags": ["due soon", "stale"],
                        "revisions": 1,
                        "slipped_days": 91,
                        "last_update": "2011-11-15",
                    }
                ],
            }
        ],
    }


def test_csv_one_row_per_lead_and_action() -> None:
    result = run_planreport("status", *PLANS, *AS_AT, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [row[:10] for row in rows] == [
        [
            "lead_id",
            "lead",
            "plan",
            "action",
            "due",
            "status",
            "needs",
            "revisions",
            "slipped_days",
            "last_update",
        ],
        [
            "nina-martin",
            "Nina Martin, Head of Quality Assurance",
            "sample",
            "1.10",
            "2012-03",
            "Amber",
            "due soon; stale",
            "1",
            "91",
            "2011-11-15",
        ],
        [
            "smcl",
            "SMcL",
            "sample",
            "2.1",
            "2012-01",
            "Green",
            "overdue; stale; marked on track",
            "0",
            "0",
            "2011-11-20",
        ],
        [
            "smcl",
            "SMcL",
            "sample",
            "2.2",
            "2012-02",
            "Red",
            "overdue; stale",
            "0",
            "0",
            "2011-11-20",
        ],
    ]
    assert (
        rows[2][10]
        == '<script>alert(1)</script> and <a href="file:///etc/passwd">a link</a> stay as text.'
    )


def test_nothing_to_chase_says_so() -> None:
    result = run_planreport("status", *PLANS, "--as-at", "2011-12-01")
    assert result.stdout.endswith("\nNothing overdue, due soon or stale.\n")


def test_unknown_lead_and_broken_plans_are_reported() -> None:
    unknown = run_planreport("status", *PLANS, "--lead", "nina-martn")
    assert unknown.returncode == 2
    assert (
        unknown.stderr
        == "planreport status: no lead 'nina-martn' in people.yaml. Did you mean 'nina-martin'?\n"
    )
    broken = run_planreport("status", "tests/cases/invalid/unknown-lead.yaml")
    assert broken.returncode == 1
    assert "[unknown-lead]" in broken.stdout
    assert (
        "Left out this plan, which has errors: unknown-lead. Fix it to see its actions.\n"
    ) in broken.stdout


def test_within_must_be_a_number_of_days() -> None:
    result = run_planreport("status", *PLANS, "--within", "-5")
    assert result.returncode == 2
    assert "'-5' is not a number of days, e.g. 30" in result.stderr


def test_an_as_at_date_before_the_plan_began_finds_nothing_stale() -> None:
    result = run_planreport("status", *PLANS, "--as-at", "1990-01-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Status as at 1 January 1990 (due soon: by 31 January 1990)\n\n"
        "sample: 4 actions (No status 4)\n"
        "  overdue 0, due soon 0, stale 0, revised 1\n\n"
        "Nothing overdue, due soon or stale.\n"
    )


def test_csv_cells_never_run_as_formulas_and_refs_are_qualified(tmp_path) -> None:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "people.yaml").write_text("people:\n  ann: {name: '=HYPERLINK(1)'}\n")
    (tmp_path / "plans" / "plan.yaml").write_text(
        "title: Restarting refs\nsettings: {action_numbering: per-recommendation}\n"
        "recommendations:\n  - {ref: '1', text: One.}\n  - {ref: '2', text: Two.}\n"
        "actions:\n"
        "  - {ref: '1', addresses: ['1'], text: '+cmd|calc', due: 2020-01, leads: [ann]}\n"
        "  - {ref: '1', addresses: ['2'], text: '@SUM(A1)', due: 2020-01, leads: [ann]}\n"
    )
    result = run_planreport(
        "status", "--project", str(tmp_path), "--as-at", "2020-03-01", "--format", "csv"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert [(r[1], r[3], r[10]) for r in rows[1:]] == [
        ("'=HYPERLINK(1)", "1.1", "'+cmd|calc"),
        ("'=HYPERLINK(1)", "2.1", "'@SUM(A1)"),
    ]
    text = run_planreport("status", "--project", str(tmp_path), "--as-at", "2020-03-01")
    assert "  plan  1.1     January 2020" in text.stdout
    assert "  plan  2.1     January 2020" in text.stdout


def test_a_plan_with_errors_is_left_out_and_the_others_reported(tmp_path) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(CASES / "project", project)
    shutil.copy(CASES / "invalid" / "unknown-lead.yaml", project / "plans" / "broken.yaml")
    text = run_planreport("status", "--project", str(project), *AS_AT, cwd=project)
    assert text.returncode == 1
    assert text.stdout.startswith("plans/broken.yaml:7:13: error: [unknown-lead]")
    assert (
        "Left out this plan, which has errors: broken. Fix it to see its actions.\n\n"
        "Status as at 10 March 2012"
    ) in text.stdout
    assert "sample: 4 actions (Blue 1, Green 1, Amber 1, Red 1)\n" in text.stdout
    data = run_planreport("status", "--project", str(project), *AS_AT, "--format", "json")
    assert data.returncode == 1
    assert [p["id"] for p in json.loads(data.stdout)["plans"]] == ["sample"]
    assert "[unknown-lead]" in data.stderr
