"""`planreport import` writes a `|` block one paragraph or bullet a line, as `|` keeps lines.

A `|` block's line breaks print as line breaks (docs/plan-format.md section 9), so the
import, which wrapped long paragraphs and bullets inside `|` blocks, must not: a long
paragraph in a Word cell comes back as one paragraph in the paper, not broken where the
YAML writer wrapped it.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from planreport.plan import richtext
from planreport.plan.richtext import Bullets, Para, Rich, Run
from tests.import_fixtures import import_into

_LONG = (
    "Review ICS and performance management processes to ensure accurate recording and "
    "monitoring of data for every child in care, reported to the board each quarter:"
)
_BULLET = (
    "statutory visits, including whether the child was seen alone and what the child said "
    "about their plan"
)


def test_a_long_paragraph_and_bullet_stay_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Ref", "Action", "Timescale"], strict=True):
        cell.text = text
    cells = table.rows[1].cells
    cells[0].text, cells[2].text = "1", "March 2024"
    cells[1].text = _LONG
    cells[1].add_paragraph(_BULLET, style="List Bullet")
    source = tmp_path / "in" / "plan.docx"
    source.parent.mkdir(parents=True)
    document.save(str(source))
    code, plan = import_into(tmp_path, source)
    capsys.readouterr()
    assert code == 0
    assert plan is not None
    written = (tmp_path / "repository" / "plans" / "plan.yaml").read_text(encoding="utf-8")
    assert f"    text: |-\n      {_LONG}\n\n      - {_BULLET}\n" in written
    assert richtext.parse(plan.actions[0].text) == Rich(
        (Para((Run(_LONG),)), Bullets(((Para((Run(_BULLET),)),),)))
    )
