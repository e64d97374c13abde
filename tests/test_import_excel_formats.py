"""Excel trackers: hidden columns listed, RAG from conditional formatting worked out or listed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import CellIsRule, ColorScaleRule, FormulaRule, Rule
from openpyxl.styles import PatternFill
from openpyxl.styles.differential import DifferentialStyle

from planreport.plan.model import Plan
from tests.import_fixtures import import_into

_RED = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
_AMBER = PatternFill(bgColor="FFEB9C")  # as Excel writes a rule's fill: background only
_GREEN = PatternFill(start_color="00B050", end_color="00B050", fill_type="solid")
_HEADINGS = ["Ref", "Action", "Lead", "Target date", "RAG"]


def _tracker(path: Path, rows: list[list[object]], headings: list[str]) -> openpyxl.Workbook:
    """A tracker sheet with a title row, then headings and rows from row 3."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet["A1"] = "Early help action tracker"
    for number, values in enumerate([headings, *rows], start=3):
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    return book


def _imported(
    book: openpyxl.Workbook, path: Path, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[Path, str, Plan]:
    """Save a workbook where a council would keep it and import it: source, report, plan."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(str(path))
    code, plan = import_into(path.parent.parent, path, *args)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert plan is not None
    return path, out, plan


def _not_imported(out: str, source: Path) -> list[str]:
    """The report's lines under 'Not imported, or read with a guess', without the file."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Not imported"))
    items = [line.strip() for line in lines[start + 1 :] if line.startswith("  ")]
    return [item.removeprefix(f"{source}: ") for item in items]


def test_a_hidden_column_is_read_and_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    headings = ["Ref", "Action", "Lead officer", "Deadline", "Q1 update", "Q2 update"]
    rows = [
        ["1", "Audit files.", "Jo Bloggs", "June 2017", "Started.", "Half done."],
        ["2", "Train staff.", "Jo Bloggs", "Sept 2017", None, "Booked."],
    ]
    book = _tracker(tmp_path, rows, headings)
    book.active.column_dimensions["E"].hidden = True
    source, out, plan = _imported(book, tmp_path / "source" / "Early help.xlsx", capsys)
    assert [[u.text for u in a.updates] for a in plan.actions] == [
        ["Started.\n\nHalf done."],
        ["Booked."],
    ]
    assert _not_imported(out, source) == [
        "sheet 'Tracker', column 5 ('Q1 update'): hidden in the workbook, "
        "read as progress: a progress update; check it, or leave it out with "
        "--map 'Q1 update=ignore'"
    ]


def test_rag_from_cell_is_and_contains_text_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    headings = ["Ref", "Action", "Lead", "Target date", "RAG"]
    rows = [
        ["1", "Audit files.", "Jo Bloggs", "June 2017", "r"],
        ["2", "Train staff.", "Jo Bloggs", "Sept 2017", "Amber - some delay"],
        ["3", "Publish guide.", "Jo Bloggs", "Dec 2017", "G"],
        ["4", "Review policy.", "Jo Bloggs", "Jan 2018", "x"],
    ]
    book = _tracker(tmp_path, rows, headings)
    sheet = book.active
    sheet.conditional_formatting.add(
        "E4:E7", CellIsRule(operator="equal", formula=['"R"'], fill=_RED)
    )
    amber = Rule(type="containsText", operator="containsText", text="Amber")
    amber.dxf = DifferentialStyle(fill=_AMBER)
    sheet.conditional_formatting.add("E4:E7", amber)
    sheet.conditional_formatting.add(
        "E4:E7", CellIsRule(operator="equal", formula=['"G"'], fill=_GREEN)
    )
    _source, out, plan = _imported(book, tmp_path / "source" / "Early help.xlsx", capsys)
    assert plan.status_scheme is not None
    assert [(s.key, s.label, s.colour) for s in plan.status_scheme.levels] == [
        ("r", "r", "#FFC7CE"),
        ("amber-some-delay", "Amber - some delay", "#FFEB9C"),
        ("g", "G", "#00B050"),
        ("x", "x", None),
    ]
    assert [(a.ref, [u.status for u in a.updates]) for a in plan.actions] == [
        ("1", ["r"]),
        ("2", ["amber-some-delay"]),
        ("3", ["g"]),
        ("4", ["x"]),
    ]
    assert "Nothing is left to complete" in out


def test_rules_not_worked_out_are_listed_not_guessed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    headings = ["No.", "Action", "Owner", "Due", "Status"]
    rows = [
        ["1", "Audit files.", "Jo Bloggs", "June 2017", "On track"],
        ["2", "Train staff.", "Jo Bloggs", "Sept 2017", "Delayed"],
    ]
    book = _tracker(tmp_path, rows, headings)
    sheet = book.active
    sheet["G1"] = "Delayed"
    sheet.conditional_formatting.add("E4:E5", FormulaRule(formula=["$D4<TODAY()"], fill=_RED))
    sheet.conditional_formatting.add(
        "E4:E5", CellIsRule(operator="equal", formula=["$G$1"], fill=_RED)
    )
    sheet.conditional_formatting.add(
        "D4:D5",
        ColorScaleRule(start_type="min", start_color="F8696B", end_type="max", end_color="63BE7B"),
    )
    sheet.conditional_formatting.add(
        "E4:E5", CellIsRule(operator="equal", formula=['"On track"'], fill=_GREEN)
    )
    source, out, plan = _imported(book, tmp_path / "source" / "Tracker.xlsx", capsys)
    assert plan is not None and plan.status_scheme is not None
    # The formula rule comes first, so even 'On track' is not given the green it may show.
    assert [(s.label, s.colour) for s in plan.status_scheme.levels] == [
        ("On track", None),
        ("Delayed", None),
    ]
    assert _not_imported(out, source) == [
        f"sheet 'Tracker', cells {cells}: coloured by a conditional format ({kind}) planreport "
        "cannot work out; their RAG was read from their words and own fill; check it"
        for cells, kind in [("E4:E5", "expression"), ("E4:E5", "cellIs"), ("D4:D5", "colorScale")]
    ]


def test_rag_by_fill_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    headings = ["Ref", "Action", "Lead", "Target date", "RAG"]
    rows = [
        ["1", "Audit files.", "Jo Bloggs", "June 2017"],
        ["2", "Train staff.", "Jo Bloggs", "Sept 2017"],
    ]
    book = _tracker(tmp_path, rows, headings)
    book.active["E4"].fill = _GREEN
    book.active["E5"].fill = _RED
    _source, out, plan = _imported(book, tmp_path / "source" / "Tracker.xlsx", capsys)
    assert [(s.key, s.colour) for s in plan.status_scheme.levels] == [
        ("green", "#00B050"),
        ("amber", "#FFC000"),
        ("red", "#FF0000"),
    ]
    assert [(a.ref, [u.status for u in a.updates]) for a in plan.actions] == [
        ("1", ["green"]),
        ("2", ["red"]),
    ]
    assert "Nothing is left to complete" in out


def test_rag_from_numbers_by_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    headings = ["Ref", "Action", "Lead", "Target date", "Rating"]
    rows = [
        ["1", "Audit files.", "Jo Bloggs", "June 2017", 3],
        ["2", "Train staff.", "Jo Bloggs", "Sept 2017", 1],
    ]
    book = _tracker(tmp_path, rows, headings)
    sheet = book.active
    sheet.conditional_formatting.add(
        "E1:E1000", CellIsRule(operator="equal", formula=["1"], fill=_RED)
    )
    sheet.conditional_formatting.add(
        "E1:E1000", CellIsRule(operator="equal", formula=["3"], fill=_GREEN)
    )
    _source, out, plan = _imported(
        book, tmp_path / "source" / "Tracker.xlsx", capsys, "--map", "Rating=status"
    )
    # A numbered scale: each number takes the colour its rule gives it.
    assert [(s.key, s.colour) for s in plan.status_scheme.levels] == [
        ("1", "#FFC7CE"),
        ("2", None),
        ("3", "#00B050"),
        ("4", None),
    ]
    assert [(a.ref, [u.status for u in a.updates]) for a in plan.actions] == [
        ("1", ["3"]),
        ("2", ["1"]),
    ]
    assert "Statuses, from a numbered scale (add each number's meaning): 1, 2, 3, 4.\n" in out


def test_a_flood_of_rules_is_counted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = _tracker(tmp_path, [["1", "Audit files.", "Jo Bloggs", "June 2017", "Red"]], _HEADINGS)
    for number in range(230):
        rule = FormulaRule(formula=[f"$D4>{number}"], fill=_RED)
        book.active.conditional_formatting.add("E4", rule)
    source, out, _plan = _imported(book, tmp_path / "source" / "Tracker.xlsx", capsys)
    lines = _not_imported(out, source)
    assert len(lines) == 21
    assert lines[-1] == (
        "sheet 'Tracker': 210 more conditional formats not worked out; their cells' RAG was "
        "read from their words and own fill; check them"
    )
