"""The cover report: its checks (exact messages and places), its model, and its facts.

The cases are a project in tests/cases/cover: papers with cover reports good and bad,
the packaged default report template and a council's own (`short`), and a template that
lists a section twice. expected-check.txt holds every problem `check` reports there.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from planreport.commands.check import check, check_paper
from planreport.paper import cover_facts
from planreport.paper.compose import compose
from planreport.paper.model import Heading, Paper, Table, Text
from planreport.project import Project
from tests.conftest import CASES

CASE = CASES / "cover"
AS_AT = date(2011, 12, 1)


def _shown(problem) -> str:
    """A problem as the CLI prints it, its path from the case's folder."""
    path = os.path.relpath(os.path.abspath(problem.location.path), CASE)
    where = f"{path}:{problem.location.line}:{problem.location.col}"
    return f"{where}: {problem.severity.value}: [{problem.rule}] {problem.message}"


def test_check_reports_every_cover_problem_exactly_where_it_is() -> None:
    result = check(Project(CASE), [], AS_AT)
    found = [_shown(p) for p in result.problems if p.rule != "unnamed-initials"]
    expected = (CASE / "expected-check.txt").read_text(encoding="utf-8").splitlines()
    assert found == expected


def _paper(name: str) -> Paper:
    """A case paper composed with its cover report (it must check clean)."""
    checked = check_paper(Project(CASE), CASE / "plans" / "papers" / f"{name}.yaml")
    assert [p.message for p in checked.errors] == []
    assert checked.cover is not None
    return compose(checked.spec, checked.plans, checked.people, checked.layout, checked.cover)


def _texts(paper: Paper) -> list[str]:
    """The cover's blocks as '## heading' and text lines."""
    assert paper.cover is not None
    out = []
    for block in paper.cover.blocks:
        if isinstance(block, Heading):
            out.append("#" * block.level + " " + block.text)
        elif isinstance(block, Text):
            out.append(block.rich.plain())
        elif isinstance(block, Table):
            out.append(f"[table {block.caption}: {len(block.rows)} rows]")
    return out


def test_cover_model_holds_header_sections_and_the_plans_facts() -> None:
    paper = _paper("good")
    cover = paper.cover
    assert cover is not None
    assert cover.title == "Sample improvement plan update"
    assert [(label, value.plain()) for label, value in cover.header] == [
        ("Committee", "Example Committee"),
        ("Date of meeting", "5 December 2011"),
        ("Agenda item", "7"),
        ("Report title", "Sample improvement plan update"),
        ("Report of", "Director of Children's Services"),
        (
            "Contact officer",
            "Jo Bloggs, Policy Officer\nTelephone: 01234 567890\nEmail: jo.bloggs@example.org",
        ),
        ("Wards affected", "All wards"),
        ("Key decision", "No"),
        ("For publication", "Yes"),
    ]
    assert paper.marking is None and not cover.separate and cover.page_limit == 4
    assert cover.appendix == "Appendix 1 – Sample improvement plan update"
    assert _texts(paper) == [
        "## Purpose of the report",
        "To report progress with the Sample improvement plan update to the Example Committee "
        "on 5 December 2011, as at 1 December 2011.",
        "## Recommendations",
        "That the committee:",
        # one count per status, no brackets inside brackets
        "1. Notes the progress made on the plan's 4 actions: 1 completed (Blue), "
        "1 on track (Green), 1 slippage (Amber) and 1 major slippage (Red).",
        "2. Asks for a further report to its meeting on 5 March 2012.",
        "## Background",
        "The plan has 3 open actions, 0 overdue and 1 with a revised date; 2 are exceptions "
        "(1 rated Amber, 1 Red).",
        # the officer's text introduces the generated table: no heading, no second intro
        "[table Exceptions: open actions that are overdue, repeatedly revised or not on track: "
        "2 rows]",
        "• 1.10: now due March 2012, first due December 2011. Waiting for the new system.",
        "## Options considered and reasons for the recommendations",
        "Not applicable.",
        "## Implications",
        "### Financial",
        "None arising.",
        "### Legal",
        "None arising.",
        "### Equalities",
        "None arising.",
        "### Risk",
        "The risks are in Appendix 1 – Sample improvement plan update.",
        "## Consultation",
        "None.",
        "## Background papers",
        "• The inspection report, May 2011.",
        "## Appendices",
        "Appendix 1 – Sample improvement plan update",
    ]
    numbered = [b for b in cover.blocks if isinstance(b, Text) and b.style == "numbered"]
    assert len(numbered) == 2


def test_the_appendix_is_labelled_and_the_plan_unchanged_by_the_cover() -> None:
    paper = _paper("good")
    labels = [b.rich.plain() for b in paper.blocks if isinstance(b, Text) and b.style == "label"]
    assert labels == ["Appendix 1"]


def test_a_block_the_cover_prints_is_not_printed_again_in_the_appendix() -> None:
    paper = _paper("good")
    assert not any(getattr(b, "text", "") == "Exceptions" for b in paper.blocks)  # no stub
    assert not any(
        isinstance(b, Table) and b.caption.startswith("Exceptions") for b in paper.blocks
    )
    assert (
        "[table Exceptions: open actions that are overdue, repeatedly revised or not on track: 2 rows]"
        in _texts(paper)
    )


def test_a_councils_own_template_and_an_exempt_report() -> None:
    paper = _paper("short")
    cover = paper.cover
    assert cover is not None
    assert [label for label, _ in cover.header] == ["Meeting of", "On", "Open to the public"]
    assert cover.header[2][1].plain() == (
        "No. Not for publication: exempt information under paragraph 3 of Schedule 12A to the "
        "Local Government Act 1972"
    )
    assert paper.marking == (
        "Not for publication: exempt information under paragraph 3 of Schedule 12A to the "
        "Local Government Act 1972"
    )
    assert cover.separate and cover.page_limit == 2
    assert _texts(paper) == [
        "## Summary",
        "3 actions are open.",
        "## Decisions sought",
        "1. To note the report.",
    ]


def test_every_fact_and_block_is_documented() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "cover-report.md").read_text(encoding="utf-8")
    for name in [*cover_facts.FACTS, *cover_facts.BLOCKS, "count_KEY"]:
        assert f"`{{{name}}}`" in docs, name


@pytest.mark.parametrize("name", ["good", "short"])
def test_facts_agree_with_the_appendix(name: str) -> None:
    """The exceptions the cover lists are the rows of the appendix's exceptions table.

    (The appendix built without the cover: with it, the appendix refers to the cover's.)
    """
    paper = _paper(name)
    checked = check_paper(Project(CASE), CASE / "plans" / "papers" / f"{name}.yaml")
    alone = compose(checked.spec, checked.plans, checked.people, checked.layout)
    tables = [b for b in alone.blocks if isinstance(b, Table) and "Exceptions" in b.caption]
    cover_tables = [b for b in paper.cover.blocks if isinstance(b, Table)] if paper.cover else []
    if cover_tables:
        assert [r.cells[0].content.plain() for r in cover_tables[0].rows] == [
            r.cells[0].content.plain() for r in tables[0].rows
        ]


def test_progress_since_the_last_report_comes_from_the_plans_history(tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "project"
    shutil.copytree(CASE, project)
    papers = project / "plans" / "papers"
    with (papers / "good.yaml").open("a", encoding="utf-8") as paper:
        paper.write("previous_as_at: 2011-10-15\n")
    text = (papers / "good.cover.md").read_text(encoding="utf-8")
    text = text.replace(
        "## Options considered",
        "Since {previous_as_at}, {completed_since_last} completed.\n\n"
        "{progress_since_last_report}\n\n## Options considered",
    )
    (papers / "good.cover.md").write_text(text, encoding="utf-8")
    checked = check_paper(Project(project), papers / "good.yaml")
    assert [p.message for p in checked.errors] == []
    paper = compose(checked.spec, checked.plans, checked.people, checked.layout, checked.cover)
    texts = _texts(paper)
    at = texts.index("Since 15 October 2011, 0 completed.")
    assert texts[at + 1] == "[table Progress since the last report: changes: 3 rows]"


def test_the_paragraph_before_a_generated_block_is_kept_with_it() -> None:
    """It introduces the table: kept on its page (an intro), split from the text before it."""
    from planreport.paper.cover import _introducing
    from planreport.plan.richtext import parse

    blocks = _paper("good").cover.blocks
    at = next(i for i, b in enumerate(blocks) if isinstance(b, Table))
    assert blocks[at - 1].style == "intro"
    assert blocks[at - 1].rich.plain().startswith("The plan has 3 open actions")
    out = [Text(parse("First paragraph.\n\nSecond.\n\nThe actions:"))]
    _introducing(out)
    assert [(t.rich.plain(), t.style) for t in out] == [
        ("First paragraph.\nSecond.", "body"),
        ("The actions:", "intro"),
    ]
