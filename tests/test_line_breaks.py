"""Line breaks in wording, lead_format, sub-headings and text: a break in every format.

The paper model carries each once, as a new line (issue 21).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from planreport.commands.build import Options, build
from planreport.paper.model import Heading, Table, Text
from planreport.plan import richtext
from planreport.plan.richtext import Bullets, Para, Rich, Run
from planreport.project import Project
from tests import paper_project
from tests.conftest import pdf_text

PEOPLE = "people:\n  ms: {name: Mary Smith, initials: MS}\n"
PLAN = r"""title: Breaks
actions:
  - ref: "1"
    text: |
      Agree the pathway with every partner.

      Lead: the board\
      Date: March
    leads: [{person: ms, organisation: CYC}]
    due: 2020-03
    updates: [{date: 2019-12, text: Begun., status: green}]
"""
LAYOUT = """lead_format: "{name}\\n{organisation}"
wording:
  progress_as_at: "Progress\\nas at {date}"
blocks:
  - type: title
  - type: action-table
    columns:
      - {field: ref, heading: Ref, width: 10}
      - {field: text, heading: Action, width: 60}
      - {field: leads, heading: Lead, subheading: "Who is\\nresponsible?", width: 30}
"""
PAPER = "plans: [plan]\nas_at: 2020-01-15\nlayout: layout\n"


def _project(root: Path) -> Path:
    """A project whose paper has a line break in each place one can be written."""
    return paper_project.write(root, PLAN, PEOPLE, PAPER, LAYOUT)


def test_the_paper_model_carries_each_break_once_as_a_new_line(tmp_path: Path) -> None:
    paper = paper_project.composed(_project(tmp_path))
    texts = [b.rich.plain() for b in paper.blocks if isinstance(b, Text)]
    assert "Progress\nas at 15 January 2020" in texts
    [table] = [b for b in paper.blocks if isinstance(b, Table) and b.subheadings]
    assert [c.subheading for c in table.columns] == ["", "", "Who is\nresponsible?"]
    row = next(r for r in table.rows if not r.group)
    assert row.cells[2].content.plain() == "Mary Smith\nCYC"
    assert row.cells[1].content == Rich(
        (
            Para((Run("Agree the pathway with every partner."),)),
            Para((Run("Lead: the board\nDate: March"),)),
        )
    )
    assert next(b.text for b in paper.blocks if isinstance(b, Heading)) == "Breaks"


def test_a_line_break_in_text_is_kept_and_a_blank_line_starts_a_paragraph() -> None:
    """As docs/plan-format.md section 9 says: a `|` block prints its lines as written."""
    assert richtext.parse("one\ntwo") == Rich((Para((Run("one\ntwo"),)),))
    assert richtext.parse("one\\\ntwo") == Rich((Para((Run("one\ntwo"),)),))
    assert richtext.parse("one\n\ntwo") == Rich((Para((Run("one"),)), Para((Run("two"),))))
    assert richtext.parse("- one\n  two\n- three") == Rich(
        (Bullets(((Para((Run("one\ntwo"),)),), (Para((Run("three"),)),))),)
    )


@pytest.mark.render
def test_html_pdf_and_word_all_break_the_lines(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build(Project.open(root), Options(out=tmp_path / "out"))
    html = (tmp_path / "out" / "paper.html").read_text(encoding="utf-8")
    for text in (
        "Progress<br>as at 15 January 2020",
        "Who is<br>responsible?",
        "Mary Smith<br>CYC",
        "Lead: the board<br>Date: March",
    ):
        assert text in html
    lines = pdf_text(tmp_path / "out" / "paper.pdf").splitlines()
    for text in ("Progress", "as at 15 January 2020", "Mary Smith", "CYC", "Date: March"):
        assert text in lines
    with zipfile.ZipFile(tmp_path / "out" / "paper.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    for before, after in (
        ("Progress", "as at 15 January 2020"),
        ("Who is", "responsible?"),
        ("Mary Smith", "CYC"),
        ("Lead: the board", "Date: March"),
    ):
        assert f'{before}</w:t><w:br/><w:t xml:space="preserve">{after}' in xml
