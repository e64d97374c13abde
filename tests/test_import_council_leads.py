"""Issue 21: leads, statuses, keys and dates as councils write them, read at their root."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from planreport.importers import cells, statuses, timescales, vocabulary
from planreport.importers import leads as lead_reading
from tests.import_fixtures import fill, import_into

PEOPLE = "people:\n  kmcn: {initials: KMcN}\n"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (  # a post with 'and' inside it is one post
            "Director of Schools and Lifelong Learning",
            [("director-of-schools-and-lifelong-learning", None)],
        ),
        (  # initials in brackets, each with the agency leading (docs/plan-format.md)
            "(M.S) CYC (K.McN) CCG",
            [("t-ms", "CYC"), ("kmcn", "CCG")],
        ),
        ("(MS) CYC, (KMcN) CCG", [("t-ms", "CYC"), ("kmcn", "CCG")]),
        ("Head of Service MASH/ SA", [("head-of-service-mash-sa", None)]),
        (  # an agency line under a name is that person's agency
            "Jane Smith\nVale of York CCG\nTom Brown\nNorth Yorkshire Police",
            [("jane-smith", "Vale of York CCG"), ("tom-brown", "North Yorkshire Police")],
        ),
        ("RB / KS", [("t-rb", None), ("t-ks", None)]),
        (  # a second line that is a post at an agency is a second lead
            "Jo Bloggs\nChief Executive, Harrogate NHS Foundation Trust",
            [("jo-bloggs", None), ("chief-executive-harrogate-nhs-foundation-trust", None)],
        ),
        ("Sam Young / Hope Early", [("sam-young", None), ("hope-early", None)]),
        ("Head of Safeguarding / KS", [("head-of-safeguarding", None), ("t-ks", None)]),
        ("Head of Early Help and Jo Bloggs", [("head-of-early-help", None), ("jo-bloggs", None)]),
        (  # held-out corpus: two posts, the second with its own 'and'
            "Principal Social Worker and Head of Quality and Safeguarding",
            [("principal-social-worker", None), ("head-of-quality-and-safeguarding", None)],
        ),
        (  # held-out corpus: a post named by its last word ('Carers Lead')
            "Director of Adult Social Care and Carers Lead",
            [("director-of-adult-social-care", None), ("carers-lead", None)],
        ),
    ],
)
def test_leads_as_councils_write_them(cell: str, expected: list[tuple]) -> None:
    people = lead_reading.People(_registry(), "t")
    found = people.read(cell, "table 1, row 2")
    assert [(x.person, x.organisation) for x in found] == expected


def _registry() -> dict:
    """A registry with one person known by initials."""
    from planreport.plan.model import Location, Person

    return {"kmcn": Person("kmcn", Location("people.yaml", 1), initials="KMcN")}


def test_a_status_key_is_read_with_its_negations() -> None:
    rows = [
        ("Red – Not on track", None, None),
        ("Amber", "Off track but recoverable", None),
        ("Green", "On track or achieved", None),
        ("Blue", "Completed", None),
    ]
    scheme = statuses.from_key(rows, None)
    assert scheme is not None
    assert [(lv.key, lv.done, lv.on_track) for lv in scheme.levels] == [
        ("red-not-on-track", False, False),
        ("amber", False, False),
        ("green", False, True),
        ("blue", True, False),
    ]


@pytest.mark.parametrize(
    ("words", "due", "completed"),
    [
        ("Phase 2 Mar 2017", "2017-03", None),
        ("Stage 1 - 3 March 2017", "2017-03-03", None),
        ("Completed Phase 3 June 2016", "2016-06", "2016-06"),
        ("2 Mar 2017", "2017-03-02", None),
    ],
)
def test_a_numbered_phase_is_not_a_day(words: str, due: str, completed: str | None) -> None:
    reading = timescales.read_timescale(words)
    assert (reading.due, reading.completed) == (due, completed)


@pytest.mark.parametrize(
    ("heading", "field"),
    [("Progress indicator", "status"), ("Progress RAG", "status"), ("Progress update", "progress")],
)
def test_a_progress_indicator_is_the_status(heading: str, field: str) -> None:
    assert vocabulary.meaning(heading).field == field


def _word_table(path: Path, rows: list[tuple[str, ...]], lines: tuple[str, ...] = ()) -> Path:
    """A hand-made Word plan: lines of text, then one table of the rows given."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for number, texts in enumerate(rows):
        fill(table, number, texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def _word_plan(path: Path) -> Path:
    """A partnership's Word plan: a key written as lines, leads as partnerships write them."""
    key = ("Red – Not on track", "Green – On track or achieved", "Blue – Completed")
    rows = [
        ("Ref", "Action", "Lead", "Timescale", "Progress indicator"),
        ("1", "Audit the front door.", "(M.S) CYC (K.McN) CCG", "Phase 2 Mar 2017", "Red"),
        ("2", "Train all staff.", "Director of Schools and Lifelong Learning", "Ongoing", "Green"),
        ("3", "Publish the threshold guide.", "Head of Service MASH/ SA", "Complete", ""),
    ]
    return _word_table(path, rows, ("Safeguarding partnership action plan", *key))


def test_a_partnership_word_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _word_plan(tmp_path / "source" / "Partnership plan.docx")
    code, plan = import_into(tmp_path, source, people=PEOPLE)
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert "Statuses, from the document's own status key: Red, Green, Blue (done).\n" in out
    assert plan is not None
    first, second, third = plan.actions
    assert [(x.person, x.organisation) for x in first.leads] == [
        ("partnership-ms", "CYC"),
        ("kmcn", "CCG"),
    ]
    assert [x.person for x in second.leads] == ["director-of-schools-and-lifelong-learning"]
    assert [x.person for x in third.leads] == ["head-of-service-mash-sa"]
    assert (first.timescale, first.due.text) == ("Phase 2 Mar 2017", "2017-03")
    assert (second.due.text, second.completed) == ("ongoing", None)
    assert [level.key for level in plan.status_scheme.levels] == ["red", "green", "blue"]
    assert [(lv.done, lv.on_track) for lv in plan.status_scheme.levels] == [
        (False, False),
        (False, True),
        (True, False),
    ]
    assert [a.updates[-1].status if a.updates else a.status for a in plan.actions] == [
        "red",
        "green",
        "blue",
    ]


def _numbered_beside(path: Path) -> Path:
    """A Word plan whose Ref column numbers the recommendation written beside it."""
    rows = [
        ("Ref", "Recommendation", "Action", "Lead", "By when"),
        ("R1", "Senior managers should review caseloads.", "Review caseloads.", "NM", "June 2017"),
        ("R1", "Senior managers should review caseloads.", "Audit supervision.", "NM", "July 2017"),
        ("R2", "Partners should share chronologies.", "Agree a template.", "NM", "Sept 2017"),
    ]
    return _word_table(path, rows)


def test_recommendation_numbers_in_a_ref_column_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _numbered_beside(tmp_path / "source" / "Numbered.docx")
    code, plan = import_into(tmp_path, source, people=PEOPLE)
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), out
    assert plan is not None
    assert [(r.ref, r.text) for r in plan.recommendations] == [
        ("R1", "Senior managers should review caseloads."),
        ("R2", "Partners should share chronologies."),
    ]
    assert [(a.ref, [r for r, _ in a.addresses]) for a in plan.actions] == [
        ("1", ["R1"]),
        ("2", ["R1"]),
        ("3", ["R2"]),
    ]
    written = (tmp_path / "repository" / "plans" / "numbered.yaml").read_text(encoding="utf-8")
    assert "# The source numbers no actions; they are numbered 1 to 3 in order.\n" in written
    assert out.endswith(
        "Nothing is left to complete: every action has what the plan format needs.\n"
    )


def test_an_area_for_improvement_heading_numbers_a_recommendation() -> None:
    found = cells.REC_HEADING.match("Area for Improvement 1")
    assert found is not None and found.group("refs") == "1"


@pytest.mark.parametrize(
    ("cell", "remark"),
    [
        (
            "Barnardos",
            "'Barnardos' is not a name, initials or a post planreport knows: check who it is",
        ),
        ("Early Help Hub", None),
        ("Jo Bloggs", None),
        ("KMcN", None),
    ],
)
def test_a_lead_read_with_a_guess_says_so(cell: str, remark: str | None) -> None:
    people = lead_reading.People(_registry(), "t")
    assert [x.remark for x in people.read(cell, "table 1, row 2")] == [remark]
