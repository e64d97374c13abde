"""What the held-out corpus found (tests/test_import_heldout.py), each fixed where it arose.

- A "No." or "Rec" column of plain numbers, merged down (or left blank under its first
  cell) over the rows of one recommendation, numbers the recommendations, not the actions
  (the numbers were lost: recommendations became findings named by their words).
- So does a "Rec no." column repeating its number on every row beside the recommendation's
  words repeated (a flat export of merged cells).
- "Rec" is a heading for the ref column.
- "C" among R, A and G letters is Complete, so the scheme is BRAG (it was a scheme of the
  letters themselves: "G" instead of Green).
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from planreport.plan import standing
from planreport.plan.model import Plan
from tests.import_fixtures import import_into

_PEOPLE = "people:\n  jo-bloggs: {name: Jo Bloggs}\n"


def _merged_numbers(path: Path, heading: str) -> Path:
    """A Word table: the number and recommendation cells merged down over their actions."""
    document = docx.Document()
    rows = [
        ("1", "Leaders should know the service's performance.", "Refresh the scorecard", "R"),
        ("1", "Leaders should know the service's performance.", "Report quarterly", "C"),
        ("2", "Improve supervision.", "Audit supervision files", "G"),
    ]
    table = document.add_table(rows=1, cols=5)
    for cell, text in zip(table.rows[0].cells, [heading, "Recommendation", "Action", "Lead", "RAG"], strict=True):  # fmt: skip
        cell.text = text
    above = None
    for number, rec, action, rag in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, [number, rec, action, "Jo Bloggs", rag], strict=True):
            cell.text = text
        if above is not None and above[0] == number:
            for column in (0, 1):
                cells[column].text = ""
                above[1][column].merge(cells[column])
        else:
            above = (number, cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


@pytest.mark.parametrize("heading", ["No.", "Rec"])
def test_a_merged_number_column_numbers_the_recommendations(
    heading: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _merged_numbers(tmp_path / "in" / "plan.docx", heading)
    code, plan = import_into(tmp_path, source, people=_PEOPLE)
    _out, err = capsys.readouterr()
    assert (code, err) == (1, "")  # errors for what the source lacks: it gives no due dates
    assert plan is not None
    assert [(r.ref, r.kind, r.text) for r in plan.recommendations] == [
        ("1", "recommendation", "Leaders should know the service's performance."),
        ("2", "recommendation", "Improve supervision."),
    ]
    statuses = [standing.status_at(plan, a) for a in plan.actions]
    assert [
        (a.ref, [r for r, _ in a.addresses], s and s.key)
        for a, s in zip(plan.actions, statuses, strict=True)
    ] == [
        ("1", ["1"], "red"),
        ("2", ["1"], "blue"),
        ("3", ["2"], "green"),
    ]
    assert [(level.key, level.label, level.done) for level in plan.status_scheme.levels] == [
        ("blue", "Blue", True),
        ("green", "Green", False),
        ("amber", "Amber", False),
        ("red", "Red", False),
    ]


def _csv_plan(tmp_path: Path, rows: list[str], encoding: str = "utf-8") -> tuple[int, Plan]:
    """Import a CSV export of these rows: the exit status and the plan."""
    source = tmp_path / "in" / "export.csv"
    source.parent.mkdir(parents=True)
    source.write_text("\r\n".join(rows) + "\r\n", encoding=encoding)
    code, plan = import_into(tmp_path, source, people=_PEOPLE)
    assert plan is not None
    return code, plan


def test_numbers_blank_under_their_first_row_in_a_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        "No.,Recommendation,Action,Lead,Timescale",
        "1,Leaders should know the service's performance.,Refresh the scorecard,Jo Bloggs,Mar-24",
        ",,Report quarterly,Jo Bloggs,Ongoing",
        "2,Improve supervision.,Audit supervision files,Jo Bloggs,TBC",
    ]
    code, plan = _csv_plan(tmp_path, rows, "utf-8-sig")
    capsys.readouterr()
    assert code in (0, 1)
    assert [r.ref for r in plan.recommendations] == ["1", "2"]
    assert [(a.ref, [r for r, _ in a.addresses], a.text) for a in plan.actions] == [
        ("1", ["1"], "Refresh the scorecard"),
        ("2", ["1"], "Report quarterly"),
        ("3", ["2"], "Audit supervision files"),
    ]


def test_a_number_repeated_with_its_recommendation_in_a_tab_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        "Rec no.\tRecommendation\tAction\tOwner\tDue",
        "1\tImprove supervision.\tAudit supervision files\tJo Bloggs\t31.03.2024",
        "1\tImprove supervision.\tTrain managers\tJo Bloggs\tMar 24",
        "2\tPublish the threshold.\tConsult partners\tJo Bloggs\tJun 24",
    ]
    code, plan = _csv_plan(tmp_path, rows)
    capsys.readouterr()
    assert code == 0
    assert [(r.ref, r.text) for r in plan.recommendations] == [
        ("1", "Improve supervision."),
        ("2", "Publish the threshold."),
    ]
    assert [([r for r, _ in a.addresses], a.due.text) for a in plan.actions] == [
        (["1"], "2024-03-31"),
        (["1"], "2024-03"),
        (["2"], "2024-06"),
    ]


def test_a_number_on_every_row_is_the_actions_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Numbers 1, 2, 3, one per row and none merged, stay the actions' refs."""
    rows = [
        "No.,Recommendation,Action,Lead,Timescale",
        "1,Leaders should know the service's performance.,Refresh the scorecard,Jo Bloggs,Mar-24",
        "2,Leaders should know the service's performance.,Report quarterly,Jo Bloggs,Jun-24",
        "3,Improve supervision.,Audit supervision files,Jo Bloggs,Sep-24",
    ]
    code, plan = _csv_plan(tmp_path, rows)
    capsys.readouterr()
    assert code == 0
    assert [a.ref for a in plan.actions] == ["1", "2", "3"]
    assert [r.kind for r in plan.recommendations] == ["finding", "finding"]
