"""Summary, changes since the last paper and exceptions, in every format."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import pytest

from planreport.commands.build import Options, build
from planreport.paper.model import Chart, Table, Text
from planreport.project import Project
from tests.conftest import CASES, docx_text, html_words, pdf_text
from tests.test_compose import _layout, _paper, _plan

HISTORY = CASES / "history"

CHANGES = [
    ("New action", "4", "Added between the papers.", "September 2012"),
    ("Completed", "1", "Completed between the papers.", ""),
    ("Status changed", "2", "Slipping between the papers.", "Green to Amber"),
    ("Status changed", "6", "Red and overdue.", "Green to Red"),
    (
        "Date revised",
        "3",
        "Revised between the papers.",
        "May 2012, revised from February 2012: The supplier delivered late.",
    ),
    ("Removed", "5", "Merged between the papers.", "Merged with action 2. Merged into 2."),
]


@pytest.fixture
def papers(history_papers: Path) -> Path:
    """The history case's papers (read them, never change them)."""
    return history_papers


def _flat(words: list[str]) -> str:
    return " ".join(words)


@pytest.mark.render
@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_changes_since_the_last_paper(papers: Path, fmt: str) -> None:
    path = papers / f"history-march.{fmt}"
    text = {
        "html": lambda: _flat(html_words(path)),
        "docx": lambda: _flat(" ".join(docx_text(path)).split()),
        "pdf": lambda: " ".join(pdf_text(path).split()),
    }[fmt]()
    assert "Changes between 31 January 2012 and 31 March 2012." in text
    if fmt == "pdf":  # table cells interleave in extracted PDF text: check each cell
        for row in CHANGES:
            for cell in row:
                assert all(word in text for word in cell.split()), cell
    else:
        for row in CHANGES:
            assert " ".join(" ".join(row).split()) in text, row


@pytest.mark.render
def test_no_record_of_an_earlier_paper_says_nothing_of_one(papers: Path) -> None:
    text = _flat(html_words(papers / "history-january.html"))
    # no earlier paper in the repository: neither "first paper" nor a heading over nothing
    assert "first paper" not in text and "Since the last paper" not in text
    assert "Since the last paper" in _flat(html_words(papers / "history-march.html"))


@pytest.mark.render
@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_summary_counts_and_exceptions(papers: Path, fmt: str) -> None:
    path = papers / f"history-march.{fmt}"
    text = _flat(html_words(path)) if fmt == "html" else _flat(" ".join(docx_text(path)).split())
    assert (
        "As at 31 March 2012: 5 actions, 1 completed, 4 open. Of the open actions: 1 overdue, "
        "0 due in the next 30 days, 1 with a revised date and 0 with no progress update in the "
        "last 90 days."
    ) in text
    # every action has a status: no "No status" column
    assert "Blue Green Amber Red Total All actions 1 2 1 1 5" in text
    # the paper's own front matter (title, status key) comes before the progress
    assert text.index("Status key") < text.index("Progress at a glance") < text.index("Exceptions")
    exceptions = text.split("Exceptions", 1)[1].split("Recommendations", 1)[0]
    assert (
        "As at 31 March 2012, 2 open actions are exceptions: 1 overdue and 2 rated not on "
        "track (some for more than one reason)."
    ) in exceptions
    # why each is listed, then the lead officer's latest update, dated
    assert (
        "6 Red and overdue. Overdue by 4 weeks (due 1 March 2012); rated Red (Major slippage). "
        "Latest update, 20 March 2012: Stuck. Jo Bloggs, Head of Service 1 March 2012 Red"
    ) in exceptions
    # amber is not on track: an exception, and it says so
    assert (
        "2 Slipping between the papers. Rated Amber (Slippage). Latest update, 10 March 2012: "
        "Behind."
    ) in exceptions
    # on track and not overdue: not an exception
    assert "Revised between the papers." not in exceptions


@pytest.mark.render
def test_chart_is_a_picture_with_a_text_alternative(papers: Path) -> None:
    html = (papers / "history-march.html").read_text()
    assert '<table class="chart">' not in html
    alt = "All actions by status. All actions: 1 Blue, 2 Green, 1 Amber, 1 Red."
    # a caption of its own above it, so the chart is never a bare picture on a page
    figure = '<figure class="chart">\n<figcaption>All actions by status</figcaption>\n<img src='
    assert figure + '"data:image/svg+xml;base64,' in html
    assert f'alt="{alt}"' in html
    document = docx.Document(papers / "history-march.docx")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    descriptions = [
        t._tbl.tblPr.find(f"{w}tblDescription").get(f"{w}val")
        for t in document.tables
        if t._tbl.tblPr.find(f"{w}tblDescription") is not None
    ]
    assert alt in descriptions


@pytest.mark.render
def test_withdrawn_actions_leave_the_tables(papers: Path) -> None:
    html = (papers / "history-march.html").read_text()
    actions = html.split("<h2>Actions</h2>", 1)[1]
    assert "Added between the papers." in actions
    assert "Merged between the papers." not in actions
    january = (papers / "history-january.html").read_text().split("<h2>Actions</h2>", 1)[1]
    assert "Merged between the papers." in january
    assert "Added between the papers." not in january


def test_layout_can_turn_the_progress_blocks_off(tmp_path: Path) -> None:
    project = CASES / "project"
    build(
        Project(project),
        Options(out=tmp_path, paper_ids=("sample-initials",), formats=("html",)),
    )
    html = (tmp_path / "sample-initials.html").read_text()
    assert "<h2>Progress at a glance</h2>" not in html and "<h2>Exceptions</h2>" not in html


# --- what the progress blocks say, on small plans --------------------------------------

PROGRESS_LAYOUT = """\
blocks:
  - type: title
  - type: summary
    chart: true
  - type: exceptions
"""

STATUSLESS = """\
title: A plan without statuses
themes:
  - {id: voice, title: Children's voice}
actions:
  - ref: "1"
    theme: voice
    text: Finished by its milestones.
    due: 2019-09
    milestones:
      - {text: Done., due: 2019-09, done: true, completed: 2019-09}
  - ref: "2"
    theme: voice
    text: A milestone completed lately.
    due: 2020-06
    milestones:
      - {text: First step., due: 2019-12, done: true, completed: 2019-12}
      - {text: Second step., due: 2020-06}
  - ref: "3"
    theme: voice
    text: Nothing heard for a long time.
    start: 2019-01
    due: 2020-06
"""


def _blocks(paper, kind):
    return [b for b in paper.blocks if isinstance(b, kind)]


def test_a_plan_without_statuses_is_counted_as_completed_and_open(tmp_path: Path) -> None:
    paper = _paper(
        _plan(tmp_path, STATUSLESS), _layout(tmp_path, PROGRESS_LAYOUT), date(2019, 12, 31)
    )
    table = _blocks(paper, Table)[0]
    assert [c.heading for c in table.columns] == ["Theme", "Completed", "Open", "Total"]
    assert [c.content.plain() for c in table.rows[0].cells] == ["Children's voice", "1", "2", "3"]
    (text,) = [t for t in _blocks(paper, Text) if t.rich.plain().startswith("As at")]
    # progress recorded as milestones: no count of actions without a progress update
    assert "progress update" not in text.rich.plain()
    assert "3 actions, 1 completed, 2 open" in text.rich.plain()


DEFAULT_SCHEME = """\
title: Default statuses
recommendations:
  - {ref: "1", text: "Ensure that every child in care is seen alone, by a social worker. Record each visit."}
  - {ref: survivors, kind: finding, text: Highlighted as significant in evidence from survivors}
actions:
  - {ref: "1", text: One., addresses: ["1"], due: 2020-06, updates: [{date: 2019-12-01, text: Going., status: green}]}
  - {ref: "2", text: Two., addresses: ["1"], due: 2020-06}
  - {ref: "3", text: Three., addresses: [survivors], due: 2020-06, updates: [{date: 2019-12-01, text: Done., status: blue}]}
"""


def test_the_summary_shows_the_levels_used_and_readable_group_labels(tmp_path: Path) -> None:
    paper = _paper(
        _plan(tmp_path, DEFAULT_SCHEME), _layout(tmp_path, PROGRESS_LAYOUT), date(2019, 12, 31)
    )
    table = _blocks(paper, Table)[0]
    # planreport's default scheme: only the levels the plan uses; No status as one is missing
    assert [c.heading for c in table.columns] == [
        "Recommendation or finding",
        "Blue",
        "Green",
        "No status",
        "Total",
    ]
    labels = [r.cells[0].content.plain() for r in table.rows]
    assert labels == [
        # a recommendation by its number: the plan after the summary prints its text
        "Recommendation 1",
        "Highlighted as significant in evidence from survivors",
        "All actions",
    ]
    (chart,) = _blocks(paper, Chart)
    assert chart.description.endswith("All actions: 1 Blue, 1 Green, 1 No status.")


def test_a_recommendation_in_lettered_parts_is_labelled_as_the_plan_prints_it(
    tmp_path: Path,
) -> None:
    plan = DEFAULT_SCHEME.replace(
        '  - {ref: "1", text: "Ensure that every child in care is seen alone, by a social '
        'worker. Record each visit."}\n',
        '  - ref: "1"\n    parts:\n'
        "      - {ref: 1a, text: Improve the quality of case recording; and}\n"
        "      - {ref: 1b, text: Ensure that chronologies are present on all cases.}\n",
    )
    assert plan != DEFAULT_SCHEME
    # a group row of the plan's table, with no group_heading of its own
    grouped = "progress: false\nblocks:\n  - type: action-table\n    group_by: recommendation\n"
    grouped += "    group_style: row\n    columns: [{field: text, heading: Action, width: 100}]\n"
    paper = _paper(_plan(tmp_path, plan), _layout(tmp_path, grouped), date(2019, 12, 31))
    label = _blocks(paper, Table)[0].rows[0].cells[0].content.plain()
    assert label == (
        "Recommendation 1: a. Improve the quality of case recording; and b. Ensure that "
        "chronologies are present on all cases."
    )


def test_a_plan_s_own_scheme_shows_every_level_and_no_empty_no_status(tmp_path: Path) -> None:
    plan = DEFAULT_SCHEME.replace(
        "title: Default statuses\n",
        "title: Own statuses\nstatus_scheme:\n  levels:\n"
        '    - {key: blue, label: Blue, colour: "#0070C0", done: true}\n'
        '    - {key: green, label: Green, colour: "#00B050", on_track: true}\n'
        '    - {key: red, label: Red, colour: "#FF0000"}\n',
    ).replace(
        "due: 2020-06}\n",
        "due: 2020-06, updates: [{date: 2019-12-01, text: On., status: green}]}\n",
        1,
    )
    paper = _paper(_plan(tmp_path, plan), _layout(tmp_path, PROGRESS_LAYOUT), date(2019, 12, 31))
    table = _blocks(paper, Table)[0]
    assert [c.heading for c in table.columns] == [
        "Recommendation or finding",
        "Blue",
        "Green",
        "Red",
        "Total",
    ]


PER_RECOMMENDATION = """\
title: Refs restart
settings: {action_numbering: per-recommendation}
recommendations:
  - {ref: "3", text: Improve assessments.}
  - {ref: "5", text: Hear children.}
actions:
  - ref: "1"
    addresses: ["3"]
    text: Overdue.
    due: 2013-06
    updates: [{date: 2013-08-01, text: Late.}]
  - ref: "2"
    addresses: ["3"]
    text: Revised twice.
    due: 2013-06
    revisions:
      - {due: 2013-09, reason: Waiting.}
      - {due: 2014-01, reason: Waiting again.}
    updates: [{date: 2013-08-01, text: Slow.}]
  - ref: "1"
    addresses: ["5"]
    text: Fine.
    due: 2014-06
    updates: [{date: 2013-08-01, text: Fine.}]
"""


def test_every_exception_says_why_with_a_ref_a_reader_can_find(tmp_path: Path) -> None:
    paper = _paper(
        _plan(tmp_path, PER_RECOMMENDATION), _layout(tmp_path, PROGRESS_LAYOUT), date(2013, 9, 18)
    )
    exceptions = _blocks(paper, Table)[-1]
    rows = [[c.content.plain() for c in r.cells] for r in exceptions.rows]
    assert [r[0] for r in rows] == ["Recommendation 3, action 1", "Recommendation 3, action 2"]
    # why, then the latest update (the plan reports progress as dated updates)
    assert rows[0][2] == "Overdue by 11 weeks (due June 2013).\nLatest update, 1 August 2013: Late."
    assert rows[1][2] == "Due date revised twice.\nLatest update, 1 August 2013: Slow."
    # no exception has a status: no Status column (not "Open" on every row)
    assert [c.heading for c in exceptions.columns] == [
        "Ref",
        "Action",
        "Why it is here",
        "Lead",
        "Due",
    ]
    assert all(len(r) == 5 for r in rows)
    assert sum(c.width for c in exceptions.columns) == 100  # the page's width, as with one


def test_derby_has_one_summary_and_the_exception_report_leads_with_its_exceptions(
    tmp_path: Path,
) -> None:
    from planreport.commands.build import Options, build
    from planreport.project import Project
    from tests.conftest import ROOT

    out = tmp_path / "out"
    papers = ("derby-cyp-improvement-2011-12", "derby-exceptions-2011-12")
    build(Project(ROOT), Options(out=out, force=True, formats=("html",), paper_ids=papers))
    appendix = '<section class="appendix"'  # after the cover report
    derby = (out / "derby-cyp-improvement-2011-12.html").read_text().split(appendix, 1)[1]
    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", derby)
    assert len(headings) == len(set(headings)), headings
    # the cover report lists the exceptions (under Risk): the appendix does not again
    assert headings[:3] == [
        "Traffic Light Status",
        "Progress at a glance",
        "Summary of Areas for Improvement",
    ]
    assert "Exceptions" not in headings
    cover, report = (out / "derby-exceptions-2011-12.html").read_text().split(appendix, 1)
    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", report)
    # the paper selects actions rated red or amber: its exceptions are those alone (19.1),
    # and the table of selected actions, left with none not already shown, is left out
    assert headings[:2] == ["Traffic Light Status", "Exceptions"]
    assert "Actions needing the committee" not in report
    # and it holds only what its filters select: no summary of the whole plan
    assert headings[-1] == "Exceptions"
    assert "Progress at a glance" not in report
    # its cover report refers to the appendix, which lists them
    assert "listed in Appendix 1 – Children and Young People Improvement Plan" in cover
    exceptions = report.split("<h2>Exceptions</h2>", 1)[1]
    assert re.findall(r'<th scope="row"><p>([^<]*)</p>', exceptions) == ["19.1"]
    assert "still rated Green" not in exceptions
    assert "Overdue by 9 weeks (due September 2011); rated Amber (Slippage)." in exceptions
    # the one action it covers: the sentence implies no others
    assert "The one open action this paper covers is an exception: 19.1." in exceptions


def test_no_paper_states_progress_its_plan_does_not_report(tmp_path: Path) -> None:
    from planreport.commands.build import Options, build
    from planreport.project import Project
    from tests.conftest import ROOT

    out = tmp_path / "out"
    papers = ("nottinghamshire-iicsa-2020-01", "nottingham-city-iicsa-2019")
    build(Project(ROOT), Options(out=out, force=True, formats=("html",), paper_ids=papers))
    milestones, new = (_flat(html_words(out / f"{p}.html")) for p in papers)
    # progress recorded as dated milestones: reported as at its date, but no update count
    assert "Progress as at 31 December 2019" in milestones
    assert "progress update" not in milestones
    # a new plan reporting no progress yet: neither
    assert "Progress as at" not in new and "progress update" not in new
    assert "first paper" not in new and "first paper" not in milestones


def test_no_exceptions_names_only_the_criteria_the_plan_s_data_supports(tmp_path: Path) -> None:
    layout = _layout(tmp_path, PROGRESS_LAYOUT)
    later = STATUSLESS.replace("due: 2019-09\n    milestones", "due: 2020-09\n    milestones")
    unrated = _paper(_plan(tmp_path, later), layout, date(2019, 6, 30))
    said = [t.rich.plain() for t in _blocks(unrated, Text)]
    # no action carries a rating: nothing may be said of ratings
    assert "No open action is overdue or has had its due date revised twice or more." in said
    assert not any("rated" in text for text in said)
    rated = later.replace(
        "    start: 2019-01\n",
        "    start: 2019-01\n    updates: [{date: 2019-06-01, text: Going., status: green}]\n",
    )
    paper = _paper(_plan(tmp_path, rated), layout, date(2019, 6, 30))
    assert (
        "No open action is overdue, has had its due date revised twice or more, or is rated "
        "other than on track."
    ) in [t.rich.plain() for t in _blocks(paper, Text)]


NO_PROGRESS = """\
title: A new plan
themes:
  - {id: voice, title: Children's voice}
  - {id: care, title: Care}
actions:
  - {ref: "1", theme: voice, text: Listen., due: 2020-06}
  - {ref: "2", theme: care, text: Visit., due: 2020-09}
"""


def test_a_plan_reporting_no_progress_gets_one_sentence_not_a_table_and_empty_chart(
    tmp_path: Path,
) -> None:
    layout = _layout(tmp_path, "blocks:\n  - type: summary\n    chart: true\n")
    paper = _paper(_plan(tmp_path, NO_PROGRESS), layout, date(2019, 9, 30))
    assert not _blocks(paper, Table) and not _blocks(paper, Chart)
    assert [t.rich.plain() for t in _blocks(paper, Text)] == [
        "The plan reports no progress yet: all 2 actions are open."
    ]
    # progress in one status only: the table says it all, no chart of one colour
    one_status = NO_PROGRESS.replace(
        "due: 2020-06}", "due: 2020-06, updates: [{date: 2019-09-01, text: Going., status: green}]}"
    ).replace(
        "due: 2020-09}", "due: 2020-09, updates: [{date: 2019-09-01, text: On., status: green}]}"
    )
    paper = _paper(_plan(tmp_path, one_status), layout, date(2019, 9, 30))
    assert len(_blocks(paper, Table)) == 1 and not _blocks(paper, Chart)


SAID_DONE = """\
title: Said done
actions:
  - ref: "1"
    text: Upgrade the sites.
    due: 2011-10
    updates: [{date: 2011-11-01, text: "Completed – all sites have been upgraded.", status: green}]
  - ref: "2"
    text: Train staff.
    due: 2011-10
    updates: [{date: 2011-11-01, text: Training under way., status: green}]
"""


def test_an_overdue_action_whose_update_says_it_is_complete_is_not_headlined_as_late(
    tmp_path: Path,
) -> None:
    paper = _paper(
        _plan(tmp_path, SAID_DONE), _layout(tmp_path, PROGRESS_LAYOUT), date(2011, 12, 5)
    )
    rows = [[c.content.plain() for c in r.cells] for r in _blocks(paper, Table)[-1].rows]
    assert [(r[0], r[2]) for r in rows] == [
        (
            "1",
            "Overdue by 5 weeks (due October 2011); its latest update says it is complete, "
            "but it is rated Green.\n"
            "Latest update, 1 November 2011: Completed – all sites have been upgraded.",
        ),
        (
            "2",
            "Overdue by 5 weeks (due October 2011), still rated Green.\n"
            "Latest update, 1 November 2011: Training under way.",
        ),
    ]


def test_a_long_summary_is_compact_its_chart_one_bar_right_under_its_table(
    tmp_path: Path,
) -> None:
    recs = "".join(f'  - {{ref: "{n}", text: "Do thing {n}. More."}}\n' for n in range(1, 11))
    acts = "".join(
        f'  - {{ref: "{n}.1", text: Act., addresses: ["{n}"], due: 2020-06, '
        f"updates: [{{date: 2019-12-01, text: Going., status: {'blue' if n % 2 else 'green'}}}]}}\n"
        for n in range(1, 11)
    )
    plan = f"title: Ten recommendations\nrecommendations:\n{recs}actions:\n{acts}"
    paper = _paper(_plan(tmp_path, plan), _layout(tmp_path, PROGRESS_LAYOUT), date(2019, 12, 31))
    at = next(i for i, b in enumerate(paper.blocks) if isinstance(b, Chart))
    (table, chart) = paper.blocks[at - 1 : at + 1]
    assert isinstance(table, Table) and len(table.rows) == 11  # ten groups and all actions
    assert table.whole  # read as a whole: kept on one page when it fits there
    # the table has each group's counts: the chart does not print them again, bar by bar
    assert chart.title == "All actions by status"
    assert [bar.label for bar in chart.bars] == ["All actions"]
    # the counts' columns as narrow as their headings; the labels take the rest
    assert [c.heading for c in table.columns] == ["Recommendation", "Blue", "Green", "Total"]
    assert table.columns[0].width > 70 and sum(c.width for c in table.columns) == 100
    # by default no chart: the sentence above the table and its total row give its counts
    plain = _paper(
        _plan(tmp_path, plan), _layout(tmp_path, "blocks:\n  - type: summary\n"), date(2019, 12, 31)
    )
    assert not _blocks(plain, Chart) and _blocks(plain, Table)[0].rows == table.rows


def test_an_exception_gives_its_latest_update_only_where_the_plan_reports_updates(
    tmp_path: Path,
) -> None:
    updated = SAID_DONE.replace(
        "    updates: [{date: 2011-11-01, text: Training under way., status: green}]\n", ""
    )
    paper = _paper(_plan(tmp_path, updated), _layout(tmp_path, PROGRESS_LAYOUT), date(2011, 12, 5))
    table = _blocks(paper, Table)[-1]
    why = [r.cells[2].content.plain() for r in table.rows]
    assert why[1] == "Overdue by 5 weeks (due October 2011).\nNo update given."
    # a plan with no dated updates (progress as milestones, or none yet): why alone
    bare = "\n".join(line for line in SAID_DONE.splitlines() if "updates:" not in line)
    paper = _paper(_plan(tmp_path, bare), _layout(tmp_path, PROGRESS_LAYOUT), date(2011, 12, 5))
    table = _blocks(paper, Table)[-1]
    assert [r.cells[2].content.plain() for r in table.rows] == [
        "Overdue by 5 weeks (due October 2011).",
        "Overdue by 5 weeks (due October 2011).",
    ]
