"""The example papers say what their sources say, where the sources say it (issue 8, item 7).

Each slip found reading the built papers against shared/source-documents is fixed in
the plan, the model or the layout, and kept fixed here.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planreport.commands.build import Options, build
from planreport.paper import compose
from planreport.paper.definitions import PaperSpec
from planreport.paper.model import Heading, Paper, Row, Table, Text
from planreport.plan import building, validate
from planreport.plan.model import Person
from planreport.problems import Location, Problems
from planreport.project import Project
from tests.conftest import ROOT, load_document, load_layout

PEOPLE = {
    "cd": Person("cd", Location("people.yaml"), None, "Corporate Director"),
    "hc": Person("hc", Location("people.yaml"), None, "Head of Care"),
    "ts": Person("ts", Location("people.yaml"), "Tina Smith", None, "East Midlands Group", "TS"),
}

REGISTER_PLAN = """\
title: Register
organisations: [Nottingham City Council]
recommendations:
  - {ref: survivors, kind: finding, text: Highlighted as significant by survivors}
  - {ref: "2", text: Commission an evaluation.}
actions:
  - {ref: "4", text: Fourth., addresses: [survivors], leads: [cd], due: 2020-01}
  - {ref: "5", text: Fifth., addresses: [survivors], leads: [cd], due: 2020-01}
  - {ref: 7a, text: Commission., addresses: ["2"], leads: [cd], due: 2020-01}
  - {ref: 7b, text: Consider., addresses: ["2"], leads: [cd], due: 2020-02}
  - {ref: 7c, text: Implement., addresses: ["2"], leads: [hc], due: 2020-03}
  - {ref: "8", text: Eighth., addresses: ["2"], leads: [hc], due: 2020-04}
"""

REGISTER_LAYOUT = """\
progress: false
blocks:
  - type: title
    organisation: true
  - type: action-table
    columns:
      - {field: ref, heading: No., width: 6, suffix: "."}
      - {field: recommendation, heading: Recommendation, width: 30, merge: lettered}
      - {field: text, heading: Action, width: 32}
      - {field: leads, heading: Lead, width: 14, merge: lettered}
      - {field: due, heading: Due, width: 18}
"""


def _paper(tmp_path: Path, plan_text: str, layout_text: str) -> Paper:
    (tmp_path / "plan.yaml").write_text(plan_text, encoding="utf-8")
    problems = Problems()
    doc = load_document(tmp_path / "plan.yaml", problems, "plan.yaml")
    assert validate.validate(doc, "plan", problems), problems
    doc.valid = True
    plan = building.build_plan("plan", doc, [])
    (tmp_path / "layout.yaml").write_text(layout_text, encoding="utf-8")
    layout = load_layout(tmp_path / "layout.yaml", problems, "layout.yaml")
    assert layout is not None and not problems, problems
    spec = PaperSpec(
        id="paper",
        path=Path("paper.yaml"),
        location=Location("paper.yaml"),
        plans=["plan"],
        as_at=date(2019, 12, 31),
        layout="layout",
    )
    return compose.compose(spec, [plan], PEOPLE, layout)


def _texts(row: Row) -> list[str]:
    return [c.content.plain() for c in row.cells]


def test_lettered_actions_name_their_recommendation_and_lead_once(tmp_path: Path) -> None:
    paper = _paper(tmp_path, REGISTER_PLAN, REGISTER_LAYOUT)
    (table,) = [b for b in paper.blocks if isinstance(b, Table)]
    four, five, a, b, c, eight = table.rows
    # 4 and 5 address the same finding and have the same lead, but each shows them (as the
    # source does): only lettered actions of one number share a cell
    assert _texts(four)[1:4:2] == ["Highlighted as significant by survivors", "Corporate Director"]
    assert len(five.cells) == 5 and five.cells[1].rowspan == 1
    assert a.cells[1].rowspan == 3 and a.cells[1].content.plain().startswith("Recommendation 2")
    assert a.cells[3].rowspan == 2 and a.cells[3].content.plain() == "Corporate Director"
    assert _texts(b) == ["7b.", "Consider.", "February 2020"]
    assert _texts(c) == ["7c.", "Implement.", "Head of Care", "March 2020"]
    assert len(eight.cells) == 5  # 8 is not lettered: it shows its recommendation again


def test_the_html_spans_the_rows(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from planreport.project import packaged_templates
    from planreport.writers.html import render_html

    paper = _paper(tmp_path, REGISTER_PLAN, REGISTER_LAYOUT)
    html = render_html(paper, (packaged_templates(),), "screen", datetime(2020, 1, 1, tzinfo=UTC))
    assert html.count('rowspan="3"') == 1 and html.count('rowspan="2"') == 1


def test_the_title_can_name_the_organisation(tmp_path: Path) -> None:
    paper = _paper(tmp_path, REGISTER_PLAN, REGISTER_LAYOUT)
    first = paper.blocks[0]
    assert isinstance(first, Text) and first.style == "organisation"
    assert first.rich.plain() == "Nottingham City Council"
    assert isinstance(paper.blocks[1], Heading) and paper.blocks[1].text == "Register"


LEADS_PLAN = """\
title: Leads
actions:
  - {ref: "1", text: One., leads: [cd, hc, ts], due: 2020-01}
  - ref: "2"
    text: Two.
    leads: [{person: ts, note: independent}]
    due: 2020-01
"""


@pytest.mark.parametrize(
    ("settings", "one", "two"),
    [
        (
            'leads: initials\nlead_separator: " / "\n',
            "Corporate Director / Head of Care / TS",
            "TS (independent)",
        ),
        ("leads: initials\n", "Corporate Director Head of Care TS", "TS (independent)"),
        (
            "leads: name\n",
            "Corporate Director\nHead of Care\nTina Smith – East Midlands Group",
            "Tina Smith – East Midlands Group (independent)",
        ),
    ],
)
def test_leads_keep_their_separator_organisation_and_note(
    tmp_path: Path, settings: str, one: str, two: str
) -> None:
    layout = (
        "progress: false\n" + settings + "blocks:\n  - type: action-table\n"
        "    columns: [{field: leads, heading: Lead, width: 50}]\n"
    )
    paper = _paper(tmp_path, LEADS_PLAN, layout)
    (table,) = [b for b in paper.blocks if isinstance(b, Table)]
    assert [r.cells[0].content.plain() for r in table.rows] == [one, two]


# --- the example papers --------------------------------------------------------------


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("html")
    result = build(Project(ROOT), Options(out=out, force=True, formats=("html",)))
    assert not result.failed
    return {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.html")}


def test_nottingham_city_as_published(html: dict[str, str]) -> None:
    page = html["nottingham-city-iicsa-2019"]
    assert '<div class="text organisation"><p>Nottingham City Council</p></div>' in page
    assert page.index("Nottingham City Council</p>") < page.index("<h1>IICSA Action Plan</h1>")
    assert (
        '<a href="https://www.iicsa.org.uk/reports-recommendations/publications/investigation/'
        'nottinghamshire-councils">The full report can be found here</a>' in page
    )
    register = page.split(">Action plan register</caption>", 1)[1]
    assert register.count('rowspan="3"') == 2  # 7a to 7c: recommendation 2 and the lead
    assert register.count('rowspan="2"') == 2  # 8a and 8b
    # the council's own posts, as the plan prints them (no "..., Nottingham City Council")
    assert "<p>Corporate Director</p>" in register and "Director, Nottingham" not in register


def test_stockton_leads_keep_their_slashes_and_parts_their_place(html: dict[str, str]) -> None:
    page = html["stockton-ofsted-2013-09"]
    assert "<td><p>RB / KS / MG</p></td>" in page
    five = page.split('id="rec_5"', 1)[1].split('id="rec_6"', 1)[0]
    # the recommendation, its parts a. and b., then its outcomes: as the source prints them
    assert five.index("Ensure that:") < five.index("a. all assessments of children")
    assert five.index("b. children’s views inform") < five.index("Outcome: what difference")
    assert five.index("Outcome: what difference") < five.index("What we will do (5a)")


def test_derby_leads_keep_their_organisation(html: dict[str, str]) -> None:
    page = html["derby-cyp-improvement-2011-12"]
    row = page.split('<th scope="row"><p>9.1.</p></th>', 1)[1].split("</tr>", 1)[0]
    assert "Tina Smith – East Midlands Strategic Commissioning Group" in row
    assert "Ruth Sargeant – East Midlands Specialist Commissioning Group" in page


def test_note_numbers_share_a_line_with_their_notes(html: dict[str, str]) -> None:
    page = html["derby-cyp-improvement-2011-12"]
    notes = page.split('<ol class="notes">', 1)[1].split("</ol>", 1)[0]
    assert '<li id="note-1"><p><span class="note-number">1.</span> ' in notes
