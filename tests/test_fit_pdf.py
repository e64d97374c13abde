"""`column-too-narrow` warns about exactly the words the PDF breaks (issue 21)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planreport.commands.build import Options, build
from planreport.project import Project
from tests import paper_project
from tests.conftest import pdf_text

PEOPLE = "people:\n  kmcn: {initials: K.McN}\n  ms: {initials: MS}\n"
PLAN = """title: Fit
status_scheme:
  levels:
    - {key: progressing, label: Progressing, on_track: true}
    - {key: completed, label: COMPLETED, done: true}
actions:
  - ref: "1"
    text: Agree the pathway.
    leads: [{person: kmcn, organisation: CCG}, {person: ms, organisation: CYC}]
    outcome: Commissioning reviewed.
    due: 2020-03
    updates: [{date: 2019-12, text: Begun., status: progressing}]
  - ref: "2"
    text: Publish it.
    leads: [ms]
    due: 2019-12
    completed: 2019-12-01
    updates: [{date: 2019-12, text: Published., status: completed}]
"""
# room inside padding and borders: Lead 11.3 mm, Outcome 21.5 mm, RAG 20.1 mm; at 9 pt, so
# that some words just fit and others just do not
LAYOUT = """table_type_size: 9
lead_format: "({initials}) {organisation}"
lead_separator: ", "
blocks:
  - type: action-table
    columns:
      - {field: ref, heading: Ref, width: 5}
      - {field: text, heading: Action, width: 71.7}
      - {field: leads, heading: Lead, width: 5.4}
      - {field: outcome, heading: Out, width: 9.2}
      - {field: status, heading: RAG, width: 8.7}
"""
PAPER = "plans: [plan]\nas_at: 2020-01-15\nlayout: layout\n"


def _project(tmp_path: Path, font: str = "") -> Path:
    """A project whose one paper has columns just too narrow, or just wide enough."""
    return paper_project.write(tmp_path, PLAN, PEOPLE, PAPER, font + LAYOUT)


def _warned(root: Path) -> list[str]:
    """The column-too-narrow warnings for the paper."""
    checked = paper_project.checked(root)
    assert [p.message for p in checked.problems if p.severity.value == "error"] == []
    return [p.message for p in checked.problems if p.rule == "column-too-narrow"]


def test_the_words_that_break_are_named_and_those_that_fit_are_not(tmp_path: Path) -> None:
    assert _warned(_project(tmp_path)) == [
        "the column 'Lead' is 11 mm wide inside its cell padding (5.4% of the table), but "
        "'(K.McN)' in action 1 needs 12 mm at 9 pt, so it would be broken mid-word. Widen "
        "the column (make another narrower), use fewer columns, or set a smaller "
        "table_type_size.",
        "the column 'Out' is 21 mm wide inside its cell padding (9.2% of the table), but "
        "'Commissioning' in action 1 needs 22 mm at 9 pt, so it would be broken mid-word. "
        "Widen the column (make another narrower), use fewer columns, or set a smaller "
        "table_type_size.",
    ]


def test_the_widths_are_the_paper_s_font(tmp_path: Path) -> None:
    """DejaVu Sans is wider than Liberation Sans; it has no bold, so bold words stay narrow."""
    warned = _warned(_project(tmp_path, "font: DejaVu Sans\n"))
    assert [m.split(", but ")[1].split(" at ")[0] for m in warned] == [
        "'(K.McN)' in action 1 needs 12 mm",
        "'Commissioning' in action 1 needs 24 mm",
    ]


@pytest.mark.render
@pytest.mark.parametrize("font", ["", "font: DejaVu Sans\n"])
def test_the_pdf_breaks_exactly_the_words_named(tmp_path: Path, font: str) -> None:
    root = _project(tmp_path, font)
    build(Project.open(root), Options(out=tmp_path / "out", formats=("pdf",)))
    words = pdf_text(tmp_path / "out" / "paper.pdf").split()
    assert "Progressing" in words
    assert "COMPLETED" in words
    assert "Commissioning" not in words
    assert "(K.McN)" not in words
