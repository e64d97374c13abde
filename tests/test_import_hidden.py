"""What a source hides: Excel rows hidden or filtered out, Word text formatted as hidden.

By default each is read as if shown and listed with its place; `--hidden skip` leaves it
out, still listed. The files are made as councils make them: a tracker filtered to its
Amber actions, a tracker with finished actions' rows hidden, a Word plan with an action
and a drafting note formatted as hidden (Font > Hidden); one saved again by LibreOffice.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from tests.import_fixtures import import_into, through_libreoffice
from tests.marks import libreoffice
from tests.test_import_excel_formats import _imported, _not_imported, _tracker

_HEADINGS = ["Ref", "Action", "Lead officer", "Target date", "RAG"]
_ROWS = [
    ["1", "Audit case files monthly.", "Jo Bloggs", "June 2017", "Green"],
    ["2", "Train staff in the new threshold.", "Jo Bloggs", "July 2017", "Amber"],
    ["3", "Publish the threshold document.", "Jo Bloggs", "May 2017", "Green"],
    ["4", "Review the front door.", "Jo Bloggs", "August 2017", "Amber"],
]
_PEOPLE = "people:\n  jo-bloggs: {name: Jo Bloggs}\n"


def _filtered() -> openpyxl.Workbook:
    """The tracker filtered to its Amber actions: rows 4 and 6 (actions 1 and 3) filtered out."""
    book = _tracker(Path(), _ROWS, _HEADINGS)
    sheet = book.active
    sheet.auto_filter.ref = "A3:E7"
    sheet.auto_filter.add_filter_column(4, ["Amber"])
    for row in (4, 6):
        sheet.row_dimensions[row].hidden = True
    return book


def _refs(plan: object) -> list[str]:
    """The imported plan's action refs, in order."""
    return [action.ref for action in plan.actions]  # type: ignore[attr-defined]


def test_filtered_out_rows_are_read_and_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, out, plan = _imported(_filtered(), tmp_path / "in" / "tracker.xlsx", capsys)
    assert _refs(plan) == ["1", "2", "3", "4"]
    assert _not_imported(out, source) == [
        "sheet 'Tracker', rows 4, 6: filtered out by the sheet's filter, read as if shown; "
        "check them, or leave what is hidden out with --hidden skip"
    ]
    assert "Nothing is left to complete" not in out


def test_hidden_rows_left_out_with_hidden_skip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = _tracker(Path(), _ROWS, _HEADINGS)
    book.active.row_dimensions[6].hidden = True  # action 3, finished, hidden by hand
    source, out, plan = _imported(
        book, tmp_path / "in" / "tracker.xlsx", capsys, "--hidden", "skip"
    )
    assert _refs(plan) == ["1", "2", "4"]
    assert _not_imported(out, source) == [
        "sheet 'Tracker', row 6: hidden in the workbook, not imported; to import it, run the "
        "import without --hidden skip"
    ]


def _word_plan(path: Path) -> Path:
    """A Word plan: a hidden drafting note above the table, action 2 hidden, a hidden phrase."""
    document = docx.Document()
    note = document.add_paragraph("Action plan. ")
    note.add_run("Drafting note: delete before publishing").font.hidden = True
    table = document.add_table(rows=1, cols=4)
    for cell, heading in zip(table.rows[0].cells, _HEADINGS[:4], strict=True):
        cell.text = heading
    for values in _ROWS[:3]:
        cells = table.add_row().cells
        for cell, text in zip(cells, values[:4], strict=True):
            cell.text = text
        if values[0] == "2":
            for cell in cells:
                cell.paragraphs[0].runs[0].font.hidden = True
    cells[1].paragraphs[0].add_run(" Old wording: quarterly.").font.hidden = True
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _word_report(hidden: str) -> list[str]:
    """What the Word plan's report lists, its hidden text read or skipped."""
    done = (
        "read as if shown; check it, or leave what is hidden out with --hidden skip"
        if hidden == "read"
        else "not imported; to import it, run the import without --hidden skip"
    )
    return [
        "table 1, row 3, columns 1, 2, 3, 4: hidden text ('2'; 'Train staff in the new "
        f"threshold.'; 'Jo Bloggs'; 'July 2017'), {done}",
        f"table 1, row 4, column 2: hidden text ('Old wording: quarterly.'), {done}",
        f"the text before table 1: hidden text ('Drafting note: delete before publishing'), {done}",
    ]


@pytest.mark.parametrize("hidden", ["read", "skip"])
def test_word_hidden_text(hidden: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _word_plan(tmp_path / "in" / "plan.docx")
    code, plan = import_into(tmp_path, source, "--hidden", hidden, people=_PEOPLE)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    last = plan.actions[-1].text
    if hidden == "read":
        assert _refs(plan) == ["1", "2", "3"]
        assert last == "Publish the threshold document. Old wording: quarterly."
    else:
        assert _refs(plan) == ["1", "3"]
        assert last == "Publish the threshold document."
    assert _not_imported(out, source) == _word_report(hidden)


@libreoffice
def test_hidden_rows_survive_libreoffice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = tmp_path / "made" / "tracker.xlsx"
    made.parent.mkdir(parents=True)
    _filtered().save(str(made))
    source = through_libreoffice(made, tmp_path / "in", "xlsx")
    code, plan = import_into(tmp_path, source, "--hidden", "skip", people=_PEOPLE)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert _refs(plan) == ["2", "4"]
    assert _not_imported(out, source) == [
        "sheet 'Tracker', rows 4, 6: filtered out by the sheet's filter, not imported; to "
        "import them, run the import without --hidden skip"
    ]
