"""Issue 21: header, section and continuation rows, themes between tables, nothing lost silently."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest
from openpyxl.styles import PatternFill

from tests.import_fixtures import fill, import_into


def _two_header_rows(path: Path) -> Path:
    """A Word plan: two heading rows, a recommendation row merged across, a split row."""
    document = docx.Document()
    document.add_heading("Children's services improvement plan", 1)
    table = document.add_table(rows=7, cols=5)
    table.style = "Table Grid"
    fill(table, 0, ("Ref", "Action", "Lead", "Timescale", "Progress"))
    fill(table, 1, ("", "", "Responsibility", "Target", "Update Jan 2017"))
    merged = table.rows[2].cells[0].merge(table.rows[2].cells[4])
    merged.text = "Recommendation 1: Improve the quality of supervision."
    fill(table, 3, ("1.1", "Introduce a policy.", "Head of Service", "March 2017", "Drafted."))
    fill(table, 4, ("1.2", "Audit supervision records", "Jo Bloggs", "June 2017", "Not started."))
    fill(table, 5, ("", "every quarter.", "", "", ""))
    fill(table, 6, ("1.3", "Train managers.", "Jo Bloggs", "Phase 2 Mar 2017", "Booked."))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_a_second_heading_row_and_a_split_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _two_header_rows(tmp_path / "source" / "Supervision.docx")
    code, plan = import_into(tmp_path, source)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert [(r.ref, r.text) for r in plan.recommendations] == [
        ("1", "Improve the quality of supervision.")
    ]
    assert [(a.ref, a.text, [x.person for x in a.leads]) for a in plan.actions] == [
        ("1.1", "Introduce a policy.", ["head-of-service"]),
        ("1.2", "Audit supervision records every quarter.", ["jo-bloggs"]),
        ("1.3", "Train managers.", ["jo-bloggs"]),
    ]
    assert [(a.due.text, a.updates[0].date.text) for a in plan.actions] == [
        ("2017-03", "2017-01"),
        ("2017-06", "2017-01"),
        ("2017-03", "2017-01"),
    ]
    assert "  Update Jan 2017 -> progress: a progress update, dated 2017-01\n" in out
    assert "responsibility" not in out
    assert out.endswith(
        "Not imported, or read with a guess (1); check each in the source:\n"
        f"  {source}: table 1, row 6: read as the rest of table 1, row 5 (a row split "
        "across a page?); check that action's words\n"
    )


def _one_table_per_theme(path: Path) -> Path:
    """A Word plan with one table per theme, each theme a heading or a bold line above it."""
    document = docx.Document()
    document.add_paragraph("Early help improvement plan", style="Title")
    document.add_paragraph("This plan sets out what we will do.")
    headings = ("Ref", "Action", "Lead", "Timescale", "Page")
    themes = [
        ("Theme 1: Leadership", "Heading 2", [("1", "Set up a board.", "Jo Bloggs", "Apr 2017", "4")]),
        ("Theme 2: Practice", None, [("2", "Audit cases.", "Jo Bloggs", "May 2017", "5")]),
    ]  # fmt: skip
    for theme, style, rows in themes:
        if style:
            document.add_paragraph(theme, style=style)
        else:
            document.add_paragraph().add_run(theme).bold = True
        table = document.add_table(rows=len(rows) + 1, cols=len(headings))
        fill(table, 0, headings)
        for number, texts in enumerate(rows, start=1):
            fill(table, number, texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_themes_written_as_headings_between_tables(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _one_table_per_theme(tmp_path / "source" / "Early help.docx")
    code, plan = import_into(tmp_path, source)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert [(t.id, t.title) for t in plan.themes] == [
        ("theme-1-leadership", "Theme 1: Leadership"),
        ("theme-2-practice", "Theme 2: Practice"),
    ]
    assert [(a.ref, a.theme) for a in plan.actions] == [
        ("1", "theme-1-leadership"),
        ("2", "theme-2-practice"),
    ]
    assert out.endswith(
        "Not imported, or read with a guess (2); check each in the source:\n"
        f"  {source}: table 1, column 5 ('Page'): not imported; to keep it, add --map "
        "'Page=custom'\n"
        f"  {source}: table 2, column 5 ('Page'): not imported; to keep it, add --map "
        "'Page=custom'\n"
    )


def test_a_semicolon_csv_with_theme_rows_and_blanks_under_merged_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source" / "Tracker export.csv"
    source.parent.mkdir(parents=True)
    rows = [
        "Ref;Recommendation;Action;Lead;Target date;RAG",
        "Theme 1: Leadership;;;;;",
        "1.1;R1 Managers should review caseloads.;Monthly caseload review;Jo Bloggs;Mar-17;Green",
        "1.2;;Audit supervision \u2013 quarterly;Jo Bloggs;Phase 2 Mar 2017;Red",
        "Theme 2: Practice;;;;;",
        "2.1;R2 Partners should share chronologies.;Agree a template;Jo Bloggs;31-May-17;Amber",
    ]
    source.write_bytes("\r\n".join(rows).encode("cp1252") + b"\r\n")
    code, plan = import_into(tmp_path, source)
    _out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert [(t.id, t.title) for t in plan.themes] == [
        ("theme-1-leadership", "Theme 1: Leadership"),
        ("theme-2-practice", "Theme 2: Practice"),
    ]
    assert [
        (a.ref, a.text, [r for r, _ in a.addresses], a.theme, a.due.text) for a in plan.actions
    ] == [
        ("1.1", "Monthly caseload review", ["R1"], "theme-1-leadership", "2017-03"),
        ("1.2", "Audit supervision \u2013 quarterly", ["R1"], "theme-1-leadership", "2017-03"),
        ("2.1", "Agree a template", ["R2"], "theme-2-practice", "2017-05-31"),
    ]


def _split_across_a_page(path: Path) -> Path:
    """A Word plan whose row goes on after a page break, under the heading row repeated."""
    document = docx.Document()
    headings = ("Recommendation", "Ref", "Action", "Lead", "By when")
    first = document.add_table(rows=3, cols=5)
    fill(first, 0, headings)
    fill(first, 1, ("Recommendation 1: Managers should ensure that", "1.1", "Audit files.", "Jo Bloggs", "March 2017"))  # fmt: skip
    fill(first, 2, ("", "1.2", "Publish a policy.", "Jo Bloggs", "April 2017"))
    document.add_page_break()
    second = document.add_table(rows=3, cols=5)
    fill(second, 0, headings)
    fill(second, 1, ("supervision is regular.", "", "Report it to the board.", "", ""))
    fill(second, 2, ("Recommendation 2: Share chronologies.", "2.1", "Agree a template.", "Jo Bloggs", "May 2017"))  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_a_row_going_on_after_a_page_break(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _split_across_a_page(tmp_path / "source" / "Split.docx")
    code, plan = import_into(tmp_path, source)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert [(r.ref, r.text) for r in plan.recommendations] == [
        ("1", "Managers should ensure that supervision is regular."),
        ("2", "Share chronologies."),
    ]
    assert [(a.ref, a.text, [r for r, _ in a.addresses]) for a in plan.actions] == [
        ("1.1", "Audit files.", ["1"]),
        ("1.2", "Publish a policy. Report it to the board.", ["1"]),
        ("2.1", "Agree a template.", ["2"]),
    ]
    assert out.endswith(
        "Not imported, or read with a guess (1); check each in the source:\n"
        f"  {source}: table 2, row 2: read as the rest of table 1, row 3 (a row split "
        "across a page?); check that action's words\n"
    )


def _tracker_with_history(path: Path) -> Path:
    """An Excel tracker: a title block, a column with no heading, a key and a history sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet["A1"] = "Front door improvement tracker"
    sheet["A2"] = "Area for Improvement 3: The front door"
    headings = ["Ref", None, "Lead", "By when", "Progress", "Agency response", "RAG"]
    for column, text in enumerate(headings, start=1):
        sheet.cell(row=4, column=column, value=text)
    rows = [
        ["3.1", "Publish thresholds.", "Jo Bloggs", "June 2017", "Drafted.", "Police agree.", "G"],
        ["3.2", "Train staff.", "Jo Bloggs", "Sept 2017", "Booked.", None, "A"],
    ]
    for number, values in enumerate(rows, start=5):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    history = book.create_sheet("Version history")
    for number, values in enumerate(
        [["Version", "Who", "Date", "Change"], ["1", "JB", "1 March 2017", "First draft"],
         ["2", "JB", "1 April 2017", "Leads added"]], start=1,
    ):  # fmt: skip
        for column, value in enumerate(values, start=1):
            history.cell(row=number, column=column, value=value)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def test_a_map_by_number_applies_to_the_plan_sheet_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _tracker_with_history(tmp_path / "source" / "Tracker.xlsx")
    code, plan = import_into(
        tmp_path, source, "--map", "2=text", "--map", "Agency response=progress"
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert plan.title == "Front door improvement tracker"
    assert [(r.ref, r.text) for r in plan.recommendations] == [("3", "The front door")]
    assert [
        (a.ref, [x.person for x in a.leads], [r for r, _ in a.addresses]) for a in plan.actions
    ] == [
        ("3.1", ["jo-bloggs"], ["3"]),
        ("3.2", ["jo-bloggs"], ["3"]),
    ]
    # Two columns given one field: both are kept, in order.
    assert [u.text for a in plan.actions for u in a.updates] == [
        "Drafted.\n\nPolice agree.",
        "Booked.",
    ]
    assert [a.text for a in plan.actions] == ["Publish thresholds.", "Train staff."]
    assert "Skipped, not plan tables: sheet 'Version history'.\n" in out


def test_dates_not_read_and_a_second_date_column_are_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=6)
    fill(table, 0, ("Ref", "Action", "Lead", "Start date", "Target date", "Revised target date"))
    fill(table, 1, ("1", "Audit files.", "Jo Bloggs", "TBC", "w/c 3rd April", "May 2017"))
    fill(table, 2, ("2", "Train staff.", "Jo Bloggs", "Jan 2017", "June 2017", ""))
    source = tmp_path / "source" / "Dates.docx"
    source.parent.mkdir(parents=True)
    document.save(str(source))
    code, plan = import_into(tmp_path, source)
    out, err = capsys.readouterr()
    assert (code, err) == (1, "")  # action 1 has no due date: check says so
    assert plan is not None
    first, second = plan.actions
    assert (first.start, first.due) == (None, None)  # nothing invented
    assert (second.start.text, second.due.text) == ("2017-01", "2017-06")
    assert out.endswith(
        "Left for you to complete (2), each marked '# TODO' in the file:\n"
        "  plans/dates.yaml:10: action 1: the source gives no date; add due: YYYY-MM (or due: "
        "ongoing with review:)\n"
        "  plans/dates.yaml:11: action 1: 'TBC' in column 4 ('Start date') is not a date; add "
        "start: if there is one\n"
        "\n"
        "Not imported, or read with a guess (2); check each in the source:\n"
        f"  {source}: table 1, column 6 ('Revised target date'): a second timescale column, "
        "not imported (column 5 ('Target date') is read); to keep it, add --map "
        "'Revised target date=custom'\n"
        f"  {source}: table 1, row 2, column 5 ('Target date'): 'w/c 3rd April' could not be "
        "read as a date; add due: with the date it means\n"
    )


def test_a_recommendation_row_merged_across_all_but_the_rag_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = docx.Document()
    table = document.add_table(rows=4, cols=5)
    table.style = "Table Grid"
    fill(table, 0, ("Ref", "Action", "Lead", "Timescale", "RAG"))
    merged = table.rows[1].cells[0].merge(table.rows[1].cells[3])
    merged.text = "Recommendation 2 \u2013 Partners should share chronologies."
    fill(table, 2, ("2.1", "Agree a template.", "Jo Bloggs", "May 2017", "Green"))
    fill(table, 3, ("2.2", "Audit its use.", "Jo Bloggs", "July 2017", "Amber"))
    source = tmp_path / "source" / "Merged.docx"
    source.parent.mkdir(parents=True)
    document.save(str(source))
    code, plan = import_into(tmp_path, source)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert [(r.ref, r.text) for r in plan.recommendations] == [
        ("2", "Partners should share chronologies.")
    ]
    assert [(a.ref, a.text, [r for r, _ in a.addresses]) for a in plan.actions] == [
        ("2.1", "Agree a template.", ["2"]),
        ("2.2", "Audit its use.", ["2"]),
    ]
    assert out.endswith(
        "Nothing is left to complete: every action has what the plan format needs.\n"
    )


def _tracker_with_a_key_sheet(path: Path) -> Path:
    """An Excel tracker: a 'Progress indicator' column and a Key sheet of shaded lines."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Plan"
    rows = [
        ["Ref", "Action", "Lead", "Timescale", "Progress indicator"],
        ["1", "Audit files.", "Jo Bloggs", "Ongoing", "Green"],
        ["2", "Train staff.", "Jo Bloggs", "Complete", None],
        ["3", "Publish guide.", "Jo Bloggs", "Phase 2 Mar 2017", "Red"],
    ]
    for number, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    key = book.create_sheet("Key")
    key["A1"] = "Key"
    lines = [
        ("Red \u2013 Not on track", "FF0000"),
        ("Amber \u2013 Some slippage", "FFC000"),
        ("Green \u2013 On track or achieved", "00B050"),
        ("Blue \u2013 Completed", "0070C0"),
    ]
    for number, (text, colour) in enumerate(lines, start=2):
        key.cell(row=number, column=1, value=text).fill = PatternFill("solid", fgColor=colour)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    return path


def test_a_key_sheet_and_statuses_as_trackers_write_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _tracker_with_a_key_sheet(tmp_path / "source" / "Tracker.xlsx")
    code, plan = import_into(tmp_path, source)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    assert "Sheet 'Key': status key.\n" in out
    assert [
        (s.key, s.meaning, s.colour, s.done, s.on_track) for s in plan.status_scheme.levels
    ] == [
        ("red", "Not on track", "#FF0000", False, False),
        ("amber", "Some slippage", "#FFC000", False, False),
        ("green", "On track or achieved", "#00B050", False, True),
        ("blue", "Completed", "#0070C0", True, False),
    ]
    first, second, third = plan.actions
    assert (first.due.text, first.updates[-1].status) == ("ongoing", "green")  # not done
    assert (second.status, second.timescale) == ("blue", "Complete")
    assert (third.due.text, third.updates[-1].status) == ("2017-03", "red")
