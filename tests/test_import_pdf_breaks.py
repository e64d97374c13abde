"""A line break in a PDF cell: a line that ends before its room does is a new line.

Found by the held-out corpus (tests/test_import_heldout.py): two leads printed one a line,
"Claire Ferris, Detective Inspector" above "Rachel Banks, Head of Youth Justice Service",
were read as one paragraph, and so as a lead "Inspector Rachel Banks". Words wrapped
because the line was full stay one paragraph.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planreport.importers.reading import read_source

_ACTION = (
    "Agree a joint decision-making protocol with the police and review it every quarter "
    "with the partnership's performance group"
)
_LEADS = "Claire Ferris, Detective Inspector<br>Rachel Banks, Head of Youth Justice Service"


def _pdf(path: Path) -> Path:
    """A council's table printed by WeasyPrint: a long action wrapped, two leads on two lines."""
    from weasyprint import HTML

    row = f"<tr><td>1</td><td>{_ACTION}</td><td>{_LEADS}</td><td>May 2024</td></tr>"
    page = (
        "<html><head><style>@page{size:A4;margin:15mm}"
        "table{border-collapse:collapse;width:100%;font:10pt sans-serif}"
        "td,th{border:1px solid #000;padding:4pt;vertical-align:top}</style></head><body>"
        "<table><thead><tr><th style='width:6%'>Ref</th><th style='width:30%'>Action</th>"
        "<th style='width:50%'>Lead</th><th>Timescale</th></tr></thead>"
        f"<tbody>{row}</tbody></table></body></html>"
    )
    HTML(string=page).write_pdf(str(path))
    return path


@pytest.mark.render
def test_a_line_break_in_a_cell_is_kept_and_wrapped_words_are_joined(tmp_path: Path) -> None:
    source = _pdf(tmp_path / "plan.pdf")
    table = read_source("plan.pdf", ".pdf", source.read_bytes(), 2000).tables[0]
    action, leads = table.rows[1].cells[1], table.rows[1].cells[2]
    assert [line.plain for line in action.lines] == [_ACTION]  # wrapped over four lines
    assert [line.plain for line in leads.lines] == [  # "Rachel" fits after "Inspector"
        "Claire Ferris, Detective Inspector",
        "Rachel Banks, Head of Youth Justice Service",
    ]
