"""A date the plan records as `unknown` prints "Not known", never the word "unknown" (issue 21)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from planreport.commands.build import Options, build
from planreport.paper.model import Table
from planreport.project import Project
from tests import paper_project
from tests.conftest import docx_text, html_words, pdf_text

PLAN = """title: Unknown
actions:
  - ref: "1"
    text: Publish the protocol.
    leads: [ms]
    due: unknown
    updates: [{date: 2019-12, text: Drafted., status: green}]
  - ref: "2"
    text: Review the protocol.
    leads: [ms]
    due: ongoing
    review: unknown
    updates: [{date: 2019-12, text: Begun., status: green}]
"""
LAYOUT = """blocks:
  - type: action-table
    columns:
      - {field: ref, heading: Ref, width: 10}
      - {field: text, heading: Action, width: 50}
      - {field: due, heading: Due, width: 20}
      - {field: timescale, heading: Timescale, width: 20}
"""


def _project(root: Path) -> Path:
    """A project with one paper of two actions whose dates the source does not give."""
    people = "people:\n  ms: {name: Mary Smith}\n"
    paper = "plans: [plan]\nas_at: 2020-01-15\nlayout: layout\n"
    return paper_project.write(root, PLAN, people, paper, LAYOUT)


def test_the_paper_model_says_not_known(tmp_path: Path) -> None:
    paper = paper_project.composed(_project(tmp_path))
    [table] = [b for b in paper.blocks if isinstance(b, Table) and b.columns[2].heading == "Due"]
    cells = [[c.content.plain() for c in r.cells[2:]] for r in table.rows if not r.group]
    assert cells == [["Not known", "Not known"], ["Ongoing", "Ongoing"]]


@pytest.mark.render
def test_no_format_prints_the_word_unknown(tmp_path: Path) -> None:
    root = _project(tmp_path)
    build(Project.open(root), Options(out=tmp_path / "out"))
    out = tmp_path / "out"
    texts = {
        "pdf": pdf_text(out / "paper.pdf"),
        "html": " ".join(html_words(out / "paper.html")),
        "docx": " ".join(docx_text(out / "paper.docx")),
    }
    for kind, text in texts.items():
        assert "Not known" in text, kind
        assert "unknown" not in text.replace("Unknown", ""), kind
    with zipfile.ZipFile(out / "paper.docx") as docx:
        assert b">unknown<" not in docx.read("word/document.xml")
