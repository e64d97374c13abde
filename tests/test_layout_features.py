"""What real plans need from layouts (issue 9), on the example project tests/cases/valid/features.

Its plan is a SEND written statement of action; each layout there shows one feature and
each paper uses one layout. Every paper checks with no error, and its paper model holds
the cells the feature promises.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pikepdf
import pytest

from planreport.commands.build import Options, build
from planreport.commands.check import check, check_paper
from planreport.paper.compose import compose
from planreport.paper.model import Heading, Paper, Table, Text
from planreport.paper.wording import PHRASES
from planreport.project import Project
from tests.conftest import CASES, ROOT
from tests.tagged import walk

FEATURES = CASES / "valid" / "features"


def _paper(name: str, root: Path = FEATURES) -> Paper:
    """The paper model of plans/papers/<name>.yaml in the features project."""
    project = Project.open(root)
    checked = check_paper(project, root / "plans" / "papers" / f"{name}.yaml")
    assert [p.message for p in checked.problems if p.severity.value == "error"] == []
    return compose(checked.spec, checked.plans, checked.people, checked.layout)


def _copy(tmp_path: Path) -> Path:
    """A copy of the features project to change."""
    root = tmp_path / "features"
    shutil.copytree(FEATURES, root)
    return root


def _tables(paper: Paper) -> list[Table]:
    """The paper's tables, in order."""
    return [b for b in paper.blocks if isinstance(b, Table)]


def _texts(table: Table) -> list[list[str]]:
    """Each body row's cells as text; a status cell as its label."""
    return [
        [c.status.label if c.status else c.content.plain() for c in row.cells] for row in table.rows
    ]


def test_every_feature_paper_checks_without_errors() -> None:
    project = Project.open(FEATURES)
    result = check(project, [FEATURES / "plans", FEATURES / "templates"], date(2019, 12, 16))
    errors = [f"{p.location} {p.message}" for p in result.problems if p.severity.value == "error"]
    assert errors == []
    assert (result.papers, result.layouts) == (8, 8)


def test_actions_and_progress_in_one_column() -> None:
    table = _tables(_paper("wsoa-actions-and-progress"))[0]
    assert [c.heading for c in table.columns] == [
        "Ref",
        "Actions / progress made",
        "Actions and every update",
        "RAG",
    ]
    first = table.rows[0].cells
    assert [p.plain() for p in first[1].content.blocks] == [
        "Train early years practitioners to identify speech and language needs.",
        "10 December 2019: 112 of 120 settings now have a trained practitioner.",
    ]
    assert [p.plain() for p in first[2].content.blocks] == [
        "Train early years practitioners to identify speech and language needs.",
        "14 June 2019: Programme agreed; first cohort of 40 practitioners trained.",
        "10 December 2019: 112 of 120 settings now have a trained practitioner.",
    ]


def test_status_by_period_expands_to_the_plans_periods() -> None:
    table = _tables(_paper("wsoa-status-by-period"))[1]
    assert [(c.heading, c.subheading, round(c.width, 2)) for c in table.columns] == [
        ("Ref", "", 6),
        ("Action", "", 46),
        ("June 2019", "Rating", 16),
        ("Sept 2019", "Rating", 16),
        ("Dec 2019", "Rating", 16),
    ]
    assert [row[:1] + row[2:] for row in _texts(table)] == [
        ["1.1", "On track", "Not rated", "Delayed"],
        ["1.2", "On track", "Complete", "Complete"],  # done stays done
        ["2.1", "On track", "Not rated", "On track"],
    ]
    assert table.rows[0].cells[3].status is None  # "Not rated" is words, not a colour


def test_a_period_not_over_at_the_as_at_date_is_left_empty_until_rated(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    paper = root / "plans" / "papers" / "wsoa-status-by-period.yaml"
    paper.write_text(paper.read_text().replace("as_at: 2019-12-16", "as_at: 2019-08-01"))
    table = _tables(_paper("wsoa-status-by-period", root))[1]
    assert [row[2:] for row in _texts(table)] == [["On track", "", ""]] * 3
    plan = root / "plans" / "send-wsoa.yaml"  # a rating given early in September shows
    plan.write_text(
        plan.read_text().replace(
            "      - {date: 2019-06-28, text: First audit of 30 plans reported to the board., "
            "status: on-track}\n",
            "      - {date: 2019-06-28, text: First audit of 30 plans reported to the board., "
            "status: on-track}\n      - {date: 2019-07-20, text: Audit delayed., status: delayed}\n",
        )
    )
    table = _tables(_paper("wsoa-status-by-period", root))[1]
    assert [row[2:] for row in _texts(table)][2] == ["On track", "Delayed", ""]


def test_custom_fields_of_recommendations_and_themes() -> None:
    summary, actions = _tables(_paper("wsoa-custom-fields"))
    assert _texts(summary) == [
        ["IDENTIFICATION OF NEEDS"],
        [
            "W1",
            "Weaknesses in the identification of needs in the early years.",
            "Local",
            "Fewer children wait over 18 weeks for assessment.",
        ],
        ["QUALITY OF EHC PLANS"],
        [
            "W2",
            "The poor quality of education, health and care plans.",
            "Regional",
            "Audits rate 80% of plans good or better.",
        ],
    ]
    assert _texts(actions) == [
        [
            "Identification of needs",
            "1.1",
            "Train early years practitioners to identify speech and language needs.",
            "Local",
            "Fewer children wait over 18 weeks for assessment.",
        ],
        # the area and the theme's measure span both of its actions' rows
        ["1.2", "Publish a single pathway for assessment of social communication needs.", "Local"],
        [
            "Quality of EHC plans",
            "2.1",
            "Audit a sample of EHC plans each term and report to the SEND board.",
            "Regional",
            "Audits rate 80% of plans good or better.",
        ],
    ]
    assert actions.rows[0].cells[-1].rowspan == 2


def test_milestones_in_their_own_rows_with_completion_and_outcome() -> None:
    table = _tables(_paper("wsoa-milestones"))[0]
    assert [c.heading for c in table.columns] == [
        "Ref",
        "Action",
        "Key milestones",
        "Target date",
        "Completed",
        "Outcome",
    ]
    assert _texts(table) == [
        [
            "1.1",
            "Train early years practitioners to identify speech and language needs.",
            "Training programme agreed with settings.",
            "May 2019",
            "",
            "",
        ],
        ["Every setting has a trained practitioner.", "November 2019"],
        [
            "1.2",
            "Publish a single pathway for assessment of social communication needs.",
            "",
            "",
            "12 September 2019",
            "Families follow one published pathway.",
        ],
        [
            "2.1",
            "Audit a sample of EHC plans each term and report to the SEND board.",
            "",
            "",
            "",
            "",
        ],
    ]
    assert [c.rowspan for c in table.rows[0].cells] == [2, 2, 1, 1, 2, 2]


def test_two_header_rows() -> None:
    table = _tables(_paper("wsoa-two-header-rows"))[0]
    assert table.subheadings
    assert [(c.heading, c.subheading) for c in table.columns] == [
        ("Ref", ""),
        ("Action", "What will we do?"),
        ("Lead", "Who is responsible?"),
        ("Target", "By when?"),
    ]


def test_wording_from_the_layout_and_the_paper() -> None:
    paper = _paper("wsoa-wording")
    texts = [b.rich.plain() for b in paper.blocks if hasattr(b, "rich")]
    assert texts == [
        "City of York Council, NHS Vale of York CCG",  # whose paper it is, above the title
        "Report to SEND Improvement Board, 16 December 2019",
    ]
    assert paper.lines == ["Report to SEND Improvement Board, 16 December 2019"]
    table = _tables(paper)[0]
    assert (
        _texts(table)[0][0] == "W1. Weaknesses in the identification of needs in the early years."
    )


def test_dense_table_type_size() -> None:
    paper = _paper("wsoa-dense")
    assert paper.table_size == 7.0
    assert len(_tables(paper)[0].columns) == 13  # 10 columns, one of them 3 periods


def test_lead_agency_per_action_and_separator() -> None:
    table = _tables(_paper("wsoa-lead-organisations"))[0]
    assert [row[2] for row in _texts(table)] == [
        "(MS) CYC, (KMcN) CCG",
        "(KMcN) CCG",
        "(AP) CYC, (KMcN) CCG",
    ]


def test_a_status_by_period_column_needs_the_plans_periods(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    plan = root / "plans" / "send-wsoa.yaml"
    text = plan.read_text()
    start = text.index("reporting_periods:")
    end = text.index("recommendations:")
    plan.write_text(text[:start] + text[end:])
    checked = check_paper(
        Project.open(root), root / "plans" / "papers" / "wsoa-status-by-period.yaml"
    )
    found = [
        (p.rule, str(p.location), p.message)
        for p in checked.problems
        if p.rule != "unexplained-abbreviation"  # tests/test_abbreviations.py
    ]
    assert found == [
        (
            "no-reporting-periods",
            f"{root / 'templates' / 'layouts' / 'status-by-period.yaml'}:12:17",
            "the column 'status-by-period' shows a status for each reporting period, but "
            "plan 'send-wsoa' (in the paper 'wsoa-status-by-period') declares none. Declare them in the plan under reporting_periods "
            "(docs/plan-format.md, section 7), or use status-at:YYYY-MM columns.",
        )
    ]


@pytest.mark.parametrize("name", ["wsoa-two-header-rows", "wsoa-dense"])
def test_html_has_two_header_rows_and_type_size(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    build(Project.open(FEATURES), Options(out=out, paper_ids=(name,), formats=("html",)))
    html = (out / f"{name}.html").read_text()
    if name == "wsoa-two-header-rows":
        assert '<th scope="col" rowspan="2">Ref</th>' in html
        assert '<tr class="subheadings"><th scope="col">What will we do?</th>' in html
    else:
        assert 'style="--table-size: 7pt"' in html
        assert '<tr class="subheadings">' not in html


def test_every_phrase_is_in_both_schemas() -> None:
    for name in ("layout", "paper"):
        schema = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
        properties = schema["definitions"]["wording"]["properties"]
        assert list(properties) == list(PHRASES)
        assert [properties[k]["minLength"] == 0 for k in PHRASES] == [
            phrase.may_be_empty for phrase in PHRASES.values()
        ]


def test_a_smaller_type_size_is_what_lets_a_dense_table_fit(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    paper = root / "plans" / "papers" / "wsoa-dense.yaml"
    assert _narrow(root, paper) == []
    layout = root / "templates" / "layouts" / "dense.yaml"
    layout.write_text(layout.read_text().replace("table_type_size: 7\n", "table_type_size: 9\n"))
    warned = _narrow(root, paper)
    # the PDF breaks these two ("Complete d"); 'Complete' and 'On track' in the status
    # cells fit (bold, in the cell's own padding: no swatch padding of their own)
    assert [m.split("'")[1] for m in warned] == ["Start", "Completed"]
    assert warned[1] == (
        "the column 'Completed' is 15.6 mm wide inside its cell padding (7% of the "
        "table), but 'Completed' in its heading needs 16.4 mm at 9 pt, so it would be broken "
        "mid-word. Widen the column (make another narrower), use fewer columns, or set a "
        "smaller table_type_size."
    )


def _narrow(root: Path, paper: Path) -> list[str]:
    """The column-too-narrow warnings for a paper."""
    checked = check_paper(Project.open(root), paper)
    return [p.message for p in checked.problems if p.rule == "column-too-narrow"]


@pytest.mark.render
def test_pdf_cells_name_both_header_rows(tmp_path: Path) -> None:
    out = tmp_path / "out"
    name = "wsoa-two-header-rows"
    build(Project.open(FEATURES), Options(out=out, paper_ids=(name,), formats=("pdf",)))
    pdf = pikepdf.open(out / f"{name}.pdf")
    cells: list[tuple[str, str, list[str]]] = []

    def visit(node: pikepdf.Dictionary) -> None:
        """Note each table cell: its kind, its id and the headers it names."""
        kind = str(node.get("/S"))
        if kind in ("/TH", "/TD"):
            attributes = node.get("/A")
            headers = attributes.get("/Headers", []) if attributes is not None else []
            cells.append((kind, str(node.get("/ID", "")), [str(h) for h in headers]))

    walk(pdf.Root.StructTreeRoot, visit)
    heads = [c[1] for c in cells if c[0] == "/TH"][:7]  # Ref Action Lead Target, then 3 subs
    ref, action, _lead, _target, what, _who, _when = heads
    first_data = next(c for c in cells if c[0] == "/TD")
    row_header = [c[1] for c in cells if c[0] == "/TH"][7]  # "1.1"
    assert first_data[2] == [row_header, action, what]
    assert ref not in first_data[2]


def test_group_heading_words_a_group_column(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    layout = root / "templates" / "layouts" / "custom-fields.yaml"
    layout.write_text(
        layout.read_text().replace(
            "    group_by: theme\n",
            '    group_by: recommendation\n    group_heading: "{ref}. {text}"\n',
        )
    )
    actions = _tables(_paper("wsoa-custom-fields", root))[1]
    assert [row[0] for row in _texts(actions) if len(row) == 5] == [
        "W1. Weaknesses in the identification of needs in the early years.",
        "W2. The poor quality of education, health and care plans.",
    ]


def test_lead_format_leaves_no_dangling_separators(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    layout = root / "templates" / "layouts" / "lead-organisations.yaml"
    layout.write_text(
        layout.read_text().replace(
            'lead_format: "({initials}) {organisation}"',
            'lead_format: "({initials}) {organisation} – {name} [{role}] {note}."',
        )
    )
    table = _tables(_paper("wsoa-lead-organisations", root))[0]
    assert _texts(table)[1][2] == "(KMcN) CCG – Kevin McNamara [Designated Clinical Officer]."


def test_unsorted_periods_are_shown_in_date_order(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    plan = root / "plans" / "send-wsoa.yaml"
    text = plan.read_text()
    june = "  - {date: 2019-06, label: June 2019}\n"
    plan.write_text(
        text.replace(june, "").replace("label: Dec 2019}\n", "label: Dec 2019}\n" + june)
    )
    table = _tables(_paper("wsoa-status-by-period", root))[1]
    assert [c.heading for c in table.columns[2:]] == ["June 2019", "Sept 2019", "Dec 2019"]
    assert _texts(table)[0][2:] == ["On track", "Not rated", "Delayed"]


def test_merge_joins_equal_status_cells(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    layout = root / "templates" / "layouts" / "status-by-period.yaml"
    layout.write_text(layout.read_text().replace("width: 48}", "width: 48, merge: repeated}"))
    table = _tables(_paper("wsoa-status-by-period", root))[1]
    assert [c.rowspan for c in table.rows[0].cells] == [1, 1, 3, 1, 1]  # June: all On track
    assert _texts(table)[1] == [
        "1.2",
        "Publish a single pathway for assessment of social communication needs.",
        "Complete",
        "Complete",
    ]


def test_a_custom_key_in_the_wrong_case_is_named_with_the_right_one(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    layout = root / "templates" / "layouts" / "custom-fields.yaml"
    layout.write_text(layout.read_text().replace("field: custom:scope", "field: custom:Scope"))
    paper = root / "plans" / "papers" / "wsoa-custom-fields.yaml"
    checked = check_paper(Project.open(root), paper)
    found = [(p.rule, p.location.line, p.location.col) for p in checked.problems]
    assert found[:1] == [("unknown-custom-field", 10, 17)]
    assert {rule for rule, *_ in found[1:]} <= {"unexplained-abbreviation"}
    assert "Did you mean 'scope'?" in checked.problems[0].message


EXAMPLES = sorted(p.stem for p in (ROOT / "plans" / "papers").glob("*.yaml"))


@pytest.mark.parametrize("name", EXAMPLES)
def test_every_table_has_a_visible_heading_of_its_own(name: str) -> None:
    """No table reads as part of another block: its own heading, label or first column."""
    blocks = _paper(name, ROOT).blocks
    progress = {"Progress at a glance", "Since the last paper", "Exceptions"}
    for at, table in enumerate(blocks):
        if not isinstance(table, Table):
            continue
        above = [b for b in blocks[:at] if not (isinstance(b, Text) and b.style != "small")]
        if isinstance(above[-1], Table):  # a part's table names the part: "What we will do (5a)"
            assert table.columns[0].heading != above[-1].columns[0].heading, table.caption
            continue
        heading = above[-1].text if isinstance(above[-1], Heading) else ""
        # under a progress block's heading only if it is that block's own table
        assert heading not in progress or table.caption.startswith(heading), table.caption


def test_an_untitled_table_is_headed_by_its_caption() -> None:
    blocks = _paper("nottinghamshire-iicsa-2020-01", ROOT).blocks
    (plan,) = [b for b in blocks if isinstance(b, Table) and b.caption == "Action plan by theme"]
    heading = blocks[blocks.index(plan) - 1]
    assert isinstance(heading, Heading) and heading.text == "Action plan by theme"
