"""The paper model composed from small plans and layouts: blocks, rows and cells.

Also the typed layout itself: its defaults, its placeholders, and each invalid layout
example giving exactly the problems it declares.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from planreport.paper import blocks, compose, layouts
from planreport.paper import fields as columns
from planreport.paper.definitions import PaperSpec
from planreport.paper.layouts import Layout
from planreport.paper.model import Cell, Column, Heading, Paper, Row, Table, Text
from planreport.plan import building, validate
from planreport.plan.model import Person, Plan
from planreport.plan.richtext import plain
from planreport.problems import Location, Problems
from tests.conftest import CASES, load_document, load_layout

INVALID_LAYOUTS = CASES / "invalid" / "layouts"
EXPECT = re.compile(r"^# expect: (?:error|warning) ([a-z0-9-]+) (\d+):(\d+)$", re.M)
PEOPLE = {
    "nina-martin": Person(
        "nina-martin", Location("people.yaml"), "Nina Martin", "Head of Quality", None, "NM"
    ),
}

THEMED_PLAN = """\
title: Themed plan
closing: We will report again in March.
themes:
  - {id: lead, title: Leadership}
  - {id: voice, title: Children's voice}
actions:
  - {ref: "1", text: First leadership action., theme: lead, leads: [nina-martin], due: 2013-12}
  - {ref: "2", text: Second leadership action., theme: lead, due: 2013-12}
  - {ref: "3", text: Listen to children., theme: voice, due: 2014-03}
"""

HISTORY_PLAN = """\
title: Plan with a history
actions:
  - ref: "1"
    text: Audit case files.
    due: 2014-03
    updates:
      - {date: 2013-07-10, text: Audit tool agreed., status: green}
      - {date: 2013-08-05, text: First audits done., status: amber}
      - {date: 2013-08-20, text: Audits behind plan., status: red}
      - {date: 2013-09-15, text: Back on track., status: green}
      - {date: 2013-10-02, text: After the paper., status: blue}
"""

RECOMMENDATIONS_PLAN = """\
title: Plan with recommendations
themes:
  - {id: gov, title: Governance}
recommendations:
  - {ref: "1", text: Improve audits., theme: gov, priority: Immediate, accountable: [nina-martin]}
  - ref: "2"
    text: Strengthen supervision.
    theme: gov
    priority: Three months
    parts:
      - {ref: 2a, text: Supervise monthly.}
      - {ref: 2b, text: Record supervision.}
  - {ref: "3", text: Listen to children.}
actions:
  - {ref: "1.1", text: Audit monthly., addresses: ["1"], due: 2013-12}
  - {ref: "1.2", text: Report audits., addresses: ["1"], due: 2013-12}
  - {ref: "2.1", text: Monthly supervision., addresses: [2a], due: 2014-01}
  - {ref: "3.1", text: Ask children., addresses: ["3"], due: 2014-02}
"""


def _plan(tmp_path: Path, text: str, plan_id: str = "plan") -> Plan:
    """A plan from YAML text, loaded and checked against the schema."""
    path = tmp_path / f"{plan_id}.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    doc = load_document(path, problems, path.name)
    assert validate.validate(doc, "plan", problems), problems
    doc.valid = True
    return building.build_plan(plan_id, doc, [])


def _layout(tmp_path: Path, text: str) -> Layout:
    """A layout from YAML text; it must load without problems."""
    path = tmp_path / "layout.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    layout = load_layout(path, problems, path.name)
    assert not problems, [f"{p.location} {p.rule} {p.message}" for p in problems]
    assert layout is not None
    return layout


def _layout_problems(tmp_path: Path, text: str) -> list[tuple[str, int, int]]:
    """The (rule, line, col) of each problem a layout gives."""
    path = tmp_path / "layout.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    assert load_layout(path, problems, path.name) is None
    return sorted((p.rule, p.location.line, p.location.col) for p in problems)


def _paper(plan: Plan, layout: Layout, as_at: date, **spec: object) -> Paper:
    """The paper composed from one plan and a layout."""
    definition = PaperSpec(
        id="paper",
        path=Path("paper.yaml"),
        location=Location("paper.yaml"),
        plans=[plan.id],
        as_at=as_at,
        layout="layout",
        **spec,  # type: ignore[arg-type]
    )
    return compose.compose(definition, [plan], PEOPLE, layout)


def _tables(paper: Paper) -> list[Table]:
    """The paper's tables, in order."""
    return [b for b in paper.blocks if isinstance(b, Table)]


def _texts(row: Row) -> list[str]:
    """The plain text of each cell in a row."""
    return [cell.content.plain() for cell in row.cells]


# --- action tables ----------------------------------------------------------------------


def test_grouped_by_theme_in_a_column_spans_each_group_s_rows(tmp_path: Path) -> None:
    layout = _layout(
        tmp_path,
        """\
progress: false
blocks:
  - type: action-table
    caption: Actions by theme
    group_by: theme
    group_style: column
    closing_row: true
    columns:
      - {field: theme, heading: Theme, width: 20}
      - {field: text, heading: Action, width: 50, with_ref: "Action {ref} – "}
      - {field: leads, heading: Lead, width: 30}
""",
    )
    paper = _paper(_plan(tmp_path, THEMED_PLAN), layout, date(2013, 9, 30))
    [table] = _tables(paper)
    assert table.caption == "Actions by theme"
    assert table.columns == [Column("Theme", 20), Column("Action", 50), Column("Lead", 30)]
    first, second, third, closing = table.rows
    assert first.cells[0] == Cell(plain("Leadership"), rowspan=2, row_header=True)
    assert _texts(first) == [
        "Leadership",
        "Action 1 – First leadership action.",
        "Nina Martin, Head of Quality",
    ]
    assert _texts(second) == ["Action 2 – Second leadership action.", ""]
    assert third.cells[0] == Cell(plain("Children's voice"), rowspan=1, row_header=True)
    assert _texts(third)[1] == "Action 3 – Listen to children."
    assert closing.group and _texts(closing) == ["We will report again in March."]


def test_grouped_by_theme_in_rows_gives_a_shaded_row_per_theme(tmp_path: Path) -> None:
    layout = _layout(
        tmp_path,
        """\
progress: false
blocks:
  - type: action-table
    group_by: theme
    group_style: row
    columns:
      - {field: ref, heading: Ref, width: 10, prefix: "A", suffix: "."}
      - {field: text, heading: Action, width: 90}
""",
    )
    [table] = _tables(_paper(_plan(tmp_path, THEMED_PLAN), layout, date(2013, 9, 30)))
    assert [(row.group, _texts(row)) for row in table.rows] == [
        (True, ["Leadership"]),
        (False, ["A1.", "First leadership action."]),
        (False, ["A2.", "Second leadership action."]),
        (True, ["Children's voice"]),
        (False, ["A3.", "Listen to children."]),
    ]
    assert table.rows[1].cells[0].row_header
    assert table.caption == "Actions"  # the action table's default caption


def test_status_at_and_update_at_columns_show_each_period(tmp_path: Path) -> None:
    layout = _layout(
        tmp_path,
        """\
progress: false
blocks:
  - type: action-table
    columns:
      - {field: ref, heading: Ref, width: 10}
      - {field: status-at:2013-07, heading: July, width: 10}
      - {field: status-at:2013-08-10, heading: 10 August, width: 10}
      - {field: status-at:2013-08, heading: August, width: 10}
      - {field: status, heading: Now, width: 10}
      - {field: update-at:2013-08, heading: August update, width: 10}
      - {field: update-at:2013-08-05, heading: 5 August update, width: 10}
      - {field: update-at:2013-06, heading: June update, width: 10}
      - {field: update-at:2013-10, heading: October update, width: 10}
      - {field: progress, heading: "Update {update}", width: 10}
""",
    )
    paper = _paper(_plan(tmp_path, HISTORY_PLAN), layout, date(2013, 9, 30))
    [table] = _tables(paper)
    assert table.columns[-1] == Column("Update September 2013", 10)
    [row] = table.rows
    statuses = [cell.status.label if cell.status else None for cell in row.cells[1:5]]
    assert statuses == ["Green", "Amber", "Red", "Green"]
    assert _texts(row)[5:] == [
        "Audits behind plan.",  # the latest update dated in August
        "First audits done.",  # the update dated that day
        "",  # no update in June
        "",  # the October update is after the paper's as-at date
        "Back on track.",
    ]


def test_update_at_column_reads_the_period_from_the_layout(tmp_path: Path) -> None:
    layout = _layout(
        tmp_path,
        """\
blocks:
  - type: action-table
    columns:
      - {field: update-at:2013-07, heading: July, width: 50}
      - {field: status-at:2013-09-20, heading: Status, width: 50}
""",
    )
    first, second = layout.blocks[0].columns
    assert (first.kind, first.field, first.period.first, first.period.last) == (
        "update-at",
        "update-at:2013-07",
        date(2013, 7, 1),
        date(2013, 7, 31),
    )
    assert (second.kind, second.period.first, second.period.last) == (
        "status-at",
        date(2013, 9, 20),
        date(2013, 9, 20),
    )


# --- recommendations -------------------------------------------------------------------


def test_recommendation_summary_points_at_the_headings_of_each_recommendation_s_actions(
    tmp_path: Path,
) -> None:
    layout = _layout(
        tmp_path,
        """\
progress: false
blocks:
  - type: recommendation-summary
    columns:
      - {field: ref, heading: No., width: 10, prefix: "R", suffix: "."}
      - {field: text, heading: Recommendation, width: 40, with_ref: "{ref}. "}
      - {field: priority, heading: Priority, width: 15}
      - {field: accountable, heading: Accountable, width: 20}
      - {field: page, heading: Page, width: 15}
  - type: action-table
    group_by: recommendation
    group_heading: "Recommendation {ref} – {text}"
    columns:
      - {field: ref, heading: Ref, width: 20}
      - {field: text, heading: Action, width: 80}
""",
    )
    paper = _paper(_plan(tmp_path, RECOMMENDATIONS_PLAN), layout, date(2013, 9, 30))
    heading, summary = paper.blocks[:2]
    assert heading == Heading(2, "Summary of recommendations")  # untitled: its caption
    assert isinstance(summary, Table)
    assert summary.caption == "Summary of recommendations"
    theme, one, two, three = summary.rows
    assert theme.group and _texts(theme) == ["GOVERNANCE"]
    assert _texts(one)[:4] == [
        "R1.",
        "1. Improve audits.",
        "Immediate",
        "Nina Martin, Head of Quality",
    ]
    assert one.cells[4].pagerefs == ("grp_1",)
    assert (
        _texts(two)[1]
        == "2. Strengthen supervision.\na. Supervise monthly.\nb. Record supervision."
    )
    assert two.cells[4].pagerefs == ("grp_2a",)  # action 2.1 addresses part 2a of 2
    assert three.cells[4].pagerefs == ("grp_3",)
    headings = [b for b in paper.blocks if isinstance(b, Heading)]
    assert headings[:2] == [Heading(2, "Summary of recommendations"), Heading(2, "Actions")]
    assert headings[2:] == [
        Heading(3, "Recommendation 1 – Improve audits.", "grp_1"),
        Heading(3, "Recommendation 2a", "grp_2a"),
        Heading(3, "Recommendation 3 – Listen to children.", "grp_3"),
    ]
    captions = [t.caption for t in _tables(paper)[1:]]
    assert captions == [
        "Actions: Recommendation 1",
        "Actions: Recommendation 2a",
        "Actions: Recommendation 3",
    ]
    assert [_texts(r) for r in _tables(paper)[1].rows] == [
        ["1.1", "Audit monthly."],
        ["1.2", "Report audits."],
    ]


def test_recommendation_sections_fill_their_placeholders(tmp_path: Path) -> None:
    layout = _layout(
        tmp_path,
        """\
progress: false
blocks:
  - type: recommendation-sections
    section_heading: "Recommendation No. {ref} - {priority}"
    new_page: true
    part_heading: "What we will do ({ref})"
    caption: What we will do
    columns:
      - {field: text, heading: Action, width: 60, with_ref: "{ref}. "}
      - {field: due, heading: "Due {{by}}", width: 40}
""",
    )
    paper = _paper(_plan(tmp_path, RECOMMENDATIONS_PLAN), layout, date(2013, 9, 30))
    headings = [(b.level, b.text, b.anchor) for b in paper.blocks if isinstance(b, Heading)]
    assert headings == [
        (2, "Recommendation No. 1 - Immediate", "rec_1"),
        (2, "Recommendation No. 2 - Three months", "rec_2"),
        (2, "Recommendation No. 3", "rec_3"),  # no priority: the dash goes too
    ]
    # new_page: each recommendation's heading starts a page, its sub-headings do not
    breaks = [b.new_page for b in paper.blocks if isinstance(b, Heading)]
    assert breaks == [True, True, True]
    one, two, three = _tables(paper)
    assert one.caption == "What we will do for recommendation 1"
    assert one.columns == [Column("Action", 60), Column("Due {by}", 40)]
    assert [_texts(r) for r in one.rows] == [
        ["1.1. Audit monthly.", "December 2013"],
        ["1.2. Report audits.", "December 2013"],
    ]
    assert two.caption == "What we will do for recommendation 2a"
    assert two.columns[0] == Column("What we will do (2a)", 60)
    assert [_texts(r) for r in two.rows] == [["2.1. Monthly supervision.", "January 2014"]]
    # the lettered parts stay in the recommendation's text, where the plan prints them, and
    # the part heading names the part over its table (no line of its own above it)
    lead = next(b for b in paper.blocks if isinstance(b, Text) and "Strengthen" in b.rich.plain())
    assert lead.style == "lead"
    assert (
        lead.rich.plain()
        == "Strengthen supervision.\na. Supervise monthly.\nb. Record supervision."
    )
    assert not [b for b in paper.blocks if isinstance(b, Text) and b.style == "small"]
    assert three.columns[0] == Column("Action", 60)  # no parts: no part heading


# --- the paper around the blocks --------------------------------------------------------


def test_progress_blocks_follow_the_title_with_their_default_titles(tmp_path: Path) -> None:
    layout = _layout(
        tmp_path,
        """\
orientation: portrait
blocks:
  - type: title
  - type: notes
""",
    )
    placed = [b.type for b in compose.with_progress(layout)]
    assert placed == ["title", "summary", "changes", "exceptions", "notes"]
    paper = _paper(
        _plan(tmp_path, THEMED_PLAN),
        layout,
        date(2013, 9, 30),
        committee="Scrutiny Committee",
        meeting=date(2013, 10, 7),
    )
    assert not paper.landscape
    # the plan reports no progress yet (no status, update or step done): no as-at line
    assert paper.lines == ["Scrutiny Committee, 7 October 2013"]
    titles = [b.text for b in paper.blocks if isinstance(b, Heading) and b.level == 2]
    # no earlier paper on the plan: nothing said of one (neither "first" nor a heading)
    assert titles == ["Progress at a glance", "Exceptions"]


def test_progress_blocks_follow_the_paper_s_own_front_matter(tmp_path: Path) -> None:
    """Title, introduction and key first; then summary, changes, exceptions; then the plan."""
    layout = _layout(
        tmp_path,
        """blocks:
  - type: title
  - type: introduction
  - type: status-key
  - type: recommendation-summary
    title: Summary
    columns: [{field: ref, heading: Ref, width: 10}]
  - type: action-table
    columns: [{field: ref, heading: Ref, width: 10}]
  - type: notes
""",
    )
    placed = [b.type for b in compose.with_progress(layout)]
    assert placed == [
        "title",
        "introduction",
        "status-key",
        "summary",
        "changes",
        "exceptions",
        "recommendation-summary",
        "action-table",
        "notes",
    ]


def test_layout_defaults_are_set_once_per_block_type(tmp_path: Path) -> None:
    layout = _layout(
        tmp_path,
        """\
blocks:
  - type: action-table
    columns: [{field: ref, heading: Ref, width: 10}]
  - type: recommendation-sections
    columns: [{field: ref, heading: Ref, width: 10}]
  - type: summary
  - type: notes
""",
    )
    table, sections, summary, notes = layout.blocks
    assert (table.group_by, table.group_style, table.caption) == ("none", "heading", "Actions")
    assert (sections.group_by, sections.section_heading) == ("part", "Recommendation {ref}")
    assert (sections.outcomes_heading, sections.measures_heading) == ("Outcomes", "Measures")
    assert (summary.group_by, summary.title) == (layouts.AUTO, "Progress at a glance")
    assert notes.title == "Notes"
    assert (layout.orientation, layout.leads, layout.progress) == ("landscape", "name-role", True)


def test_every_block_and_column_kind_has_one_builder() -> None:
    schema = validate.schema("layout")
    kinds = schema["definitions"]["block"]["properties"]["type"]["enum"]
    assert sorted(blocks.BLOCKS) == sorted(kinds)
    for kind, builder in blocks.BLOCKS.items():
        assert builder.__name__.lstrip("_").endswith(kind.replace("-", "_")), (kind, builder)
    assert blocks.BLOCKS["summary"].__name__ == "progress_summary"
    options = schema["definitions"]["block"]["properties"]
    declared = [f.name for f in layouts.block_options()]
    assert [k for k in options if k not in ("type", "columns")] == declared
    assert tuple(columns.ACTION_FIELDS) == layouts.ACTION_KINDS
    assert tuple(columns.RECOMMENDATION_FIELDS) == layouts.RECOMMENDATION_KINDS


# --- placeholders ---------------------------------------------------------------------


def test_fill_replaces_only_plain_names() -> None:
    assert layouts.fill("Recommendation {ref} – {text}", {"ref": "1", "text": "Do it"}) == (
        "Recommendation 1 – Do it"
    )
    assert layouts.fill("{{ref}} {ref}", {"ref": "7a"}) == "{ref} 7a"
    assert layouts.fill("{ref.__class__} {ref:>9} {other}", {"ref": "1"}) == (
        "{ref.__class__} {ref:>9} {other}"
    )


@pytest.mark.parametrize(
    ("template", "allowed"),
    [
        ("{text}", True),
        ("{{not a placeholder}} {ref}", True),
        ("Recommendation {number}", False),
        ("{ref.__class__}", False),
        ("{ref:>400000000}", False),
        ("{ref!r}", False),
        ("{ref[0]}", False),
        ("{}", False),
        ("half {ref", False),
        ("ref}", False),
    ],
)
def test_group_heading_placeholders(tmp_path: Path, template: str, allowed: bool) -> None:
    text = f"""\
blocks:
  - type: action-table
    group_by: recommendation
    group_heading: '{template}'
    columns: [{{field: ref, heading: Ref, width: 10}}]
"""
    if allowed:
        assert _layout(tmp_path, text).blocks[0].group_heading == template
    else:
        assert _layout_problems(tmp_path, text) == [("unknown-placeholder", 4, 20)]


def test_unknown_placeholder_names_those_allowed(tmp_path: Path) -> None:
    path = tmp_path / "layout.yaml"
    path.write_text(
        "blocks:\n  - type: recommendation-sections\n    section_heading: 'No. {reff}'\n"
        "    columns: [{field: ref, heading: Ref, width: 10}]\n"
    )
    problems = Problems()
    load_layout(path, problems, "layout.yaml")
    [problem] = problems
    assert problem.rule == "unknown-placeholder"
    assert "'{reff}' is not a placeholder" in problem.message
    assert "Did you mean '{ref}'?" in problem.message
    assert "Placeholders allowed here: {ref}, {priority}." in problem.message


def test_a_table_with_no_columns_is_reported_not_composed(tmp_path: Path) -> None:
    assert _layout_problems(tmp_path, "blocks:\n  - type: title\n  - type: action-table\n") == [
        ("missing-key", 3, 5)
    ]


# --- plan-dependent checks --------------------------------------------------------------


def test_custom_column_must_name_a_field_the_plan_declares(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        """\
title: Custom fields
custom_fields:
  - {key: evidence, label: Evidence}
actions:
  - {ref: "1", text: Audit., due: 2013-12, custom: {evidence: Audit reports.}}
""",
    )
    layout = _layout(
        tmp_path,
        """\
progress: false
blocks:
  - type: action-table
    columns:
      - {field: custom:evidence, heading: Evidence, width: 50}
      - {field: custom:evidense, heading: Typo, width: 50}
""",
    )
    problems = Problems()
    layouts.check_against_plan(layout, plan, Location("papers/paper.yaml"), problems)
    [problem] = problems
    assert (problem.rule, problem.location) == (
        "unknown-custom-field",
        Location("layout.yaml", 6, 17),
    )
    assert "Did you mean 'evidence'?" in problem.message
    [table] = _tables(_paper(plan, layout, date(2013, 9, 30), filters={}))
    assert _texts(table.rows[0]) == ["Audit reports.", ""]


# --- invalid layout examples ------------------------------------------------------------


@pytest.mark.parametrize("case", sorted(INVALID_LAYOUTS.glob("*.yaml")), ids=lambda p: p.name)
def test_invalid_layout_gives_exactly_the_problems_it_declares(case: Path) -> None:
    text = case.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../../schema/layout.schema.json")
    expected = {(rule, int(line), int(col)) for rule, line, col in EXPECT.findall(text)}
    assert expected, f"{case.name} states no '# expect:' line"
    problems = Problems()
    layout = load_layout(case, problems, case.name)
    errors = any(p.severity.value == "error" for p in problems)
    assert (layout is None) == errors  # a layout with warnings only is still used
    assert {(p.rule, p.location.line, p.location.col) for p in problems} == expected
    assert all(p.location.path == case.name for p in problems)


def test_invalid_layout_examples_cover_the_layout_rules() -> None:
    rules = {
        m.group(1)
        for case in INVALID_LAYOUTS.glob("*.yaml")
        for m in EXPECT.finditer(case.read_text())
    }
    assert {
        "unknown-column-field",
        "unknown-placeholder",
        "date-impossible",
        "layout-too-wide",
    } <= rules


def test_a_timescale_written_over_two_lines_keeps_its_lines(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "title: T\nactions:\n  - ref: '1'\n    text: Two steps.\n"
        "    timescale: |-\n      30 September 2014\n      31 March 2015\n"
        "    milestones:\n      - {text: Interim review., due: 2014-09-30}\n"
        "      - {text: All staff trained., due: 2015-03-31}\n",
    )
    layout = _layout(
        tmp_path,
        "blocks:\n  - type: action-table\n    columns:\n"
        "      - {field: ref, heading: Ref, width: 10}\n"
        "      - {field: timescale, heading: By when, width: 30}\n",
    )
    table = _tables(_paper(plan, layout, date(2014, 1, 1)))[-1]  # after the progress blocks
    cell = table.rows[0].cells[1]
    assert [p.runs[0].text for p in cell.content.blocks] == ["30 September 2014", "31 March 2015"]


STOCKTON_TITLE = (
    "Action Plan in response to the recommendations of the January 2013 Ofsted Inspection "
    "of Local Authority arrangements for the protection of children"
)


def test_the_running_header_is_one_line() -> None:
    """Title and subtitle when they fit; the title alone; else the title cut at a word."""
    from planreport.paper.compose import running_header

    assert running_header("Improvement Plan", "exception report", True) == (
        "Improvement Plan – exception report"
    )
    subtitle = "update for CYP Select Committee 18 September 2013"
    assert running_header(STOCKTON_TITLE, subtitle, True) == STOCKTON_TITLE
    assert running_header(STOCKTON_TITLE, subtitle, False) == (
        "Action Plan in response to the recommendations of the January 2013 Ofsted "
        "Inspection of Local Authority…"
    )


def test_the_title_block_says_each_thing_once_and_a_subtitle_starts_with_a_capital(
    tmp_path: Path,
) -> None:
    layout = _layout(tmp_path, "blocks:\n  - type: title\n    organisation: false\n")
    plan = _plan(tmp_path, HISTORY_PLAN)
    meeting = {"committee": "Scrutiny Committee", "meeting": date(2013, 9, 18)}

    def lines(subtitle: str) -> tuple[Paper, list[tuple[str, str | None]]]:
        """The paper with this subtitle, and its title block's lines under the title."""
        paper = _paper(plan, layout, date(2013, 9, 18), subtitle=subtitle, **meeting)
        texts = [b for b in paper.blocks if isinstance(b, Text)]
        return paper, [(b.rich.plain(), b.style) for b in texts if b.style in ("subtitle", "meta")]

    paper, said = lines("update for Scrutiny Committee 18 September 2013")
    # the committee and meeting line says nothing the subtitle does not: left out; and
    # progress as at the meeting's date is not given a line of its own
    assert said == [("Update for Scrutiny Committee 18 September 2013", "subtitle")]
    assert paper.subtitle == "Update for Scrutiny Committee 18 September 2013"
    # a committee the subtitle does not name keeps its line
    assert lines("Update")[1] == [
        ("Update", "subtitle"),
        ("Scrutiny Committee, 18 September 2013", "meta"),
    ]
    # progress as at another day than the meeting's says so
    paper = _paper(plan, layout, date(2013, 9, 2), subtitle="Update", **meeting)
    texts = [b.rich.plain() for b in paper.blocks if isinstance(b, Text) and b.style == "meta"]
    assert texts == ["Scrutiny Committee, 18 September 2013", "Progress as at 2 September 2013"]
