"""Trackers headed by questions: What? / How? / Who? / When? and their longer forms."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from tests.import_fixtures import fill, import_into


def test_what_beside_how_is_the_recommendation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    rows = [
        ["What?", "How?", "Who?", "When?"],
        ["Supervision is not regular.", "Introduce a policy.", "Jo Bloggs", "March 2017"],
        [None, "Audit ten files a month.", "Jo Bloggs", "June 2017"],
        ["Staff are not trained.", "Train all staff.", "Jo Bloggs", "Sept 2017"],
    ]
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    source = tmp_path / "source" / "Plan.xlsx"
    source.parent.mkdir(parents=True)
    book.save(str(source))
    code, plan = import_into(tmp_path, source)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert [(r.ref, r.text) for r in plan.recommendations] == [
        ("supervision-regular", "Supervision is not regular."),
        ("staff-trained", "Staff are not trained."),
    ]
    assert [(a.ref, a.text, [r for r, _ in a.addresses], a.timescale) for a in plan.actions] == [
        ("1", "Introduce a policy.", ["supervision-regular"], "March 2017"),
        ("2", "Audit ten files a month.", ["supervision-regular"], "June 2017"),
        ("3", "Train all staff.", ["staff-trained"], "Sept 2017"),
    ]
    assert (
        "  What?    -> recommendation: the recommendation it addresses (What? beside How?)\n"
        "  How?     -> text: the action (What? beside How?)\n" in out
    )


def test_longer_questions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=5)
    table.style = "Table Grid"
    fill(table, 0, (
        "What are we going to do?", "Who will do it?", "By when?", "How will we know?",
        "What has been done?",
    ))  # fmt: skip
    fill(table, 1, ("Audit files.", "Jo Bloggs", "June 2017", "Fewer drift cases.", "Begun."))
    fill(table, 2, ("Train staff.", "Jo Bloggs", "Sept 2017", "All trained.", ""))
    source = tmp_path / "source" / "Questions.docx"
    source.parent.mkdir(parents=True)
    document.save(str(source))
    code, plan = import_into(tmp_path, source)
    _out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert [
        (a.text, [x.person for x in a.leads], a.timescale, a.measures, [u.text for u in a.updates])
        for a in plan.actions
    ] == [
        ("Audit files.", ["jo-bloggs"], "June 2017", "Fewer drift cases.", ["Begun."]),
        ("Train staff.", ["jo-bloggs"], "Sept 2017", "All trained.", []),
    ]
