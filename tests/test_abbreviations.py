"""`check` warns of abbreviations a paper prints that nothing in it explains (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planreport.paper import abbreviations
from tests import paper_project

PEOPLE = """people:
  smcl: {initials: SMcL}
  ann: {name: Ann McLeary, role: Head of Service (HoS)}
"""
LAYOUT = """leads: name-role
progress: false
blocks:
  - type: action-table
    columns:
      - {field: text, heading: Action, width: 70}
      - {field: leads, heading: Lead, width: 30}
"""
GLOSSARY_BLOCK = "  - type: glossary\n"


def _plan(actions: str, glossary: str = "") -> str:
    """A plan of these actions (one per line) and glossary entries."""
    text = "title: Abbreviations\nactions:\n"
    for i, action in enumerate(actions.splitlines(), 1):
        text += f'  - {{ref: "{i}", text: "{action}", leads: [smcl], due: 2013-12}}\n'
    return text + (f"glossary:\n{glossary}" if glossary else "")


def _warnings(root: Path) -> list[tuple[str, str, int, str]]:
    """The paper's abbreviation warnings: rule, file, line and message."""
    return [
        (p.rule, Path(p.location.path).name, p.location.line, p.message)
        for p in paper_project.checked(root).problems
        if p.rule == "unexplained-abbreviation"
    ]


def _project(root: Path, plan: str, layout: str = LAYOUT) -> Path:
    """A project whose one paper prints the plan."""
    paper = "plans: [plan]\nas_at: 2013-09-18\nlayout: layout\n"
    return paper_project.write(root, plan, PEOPLE, paper, layout)


def test_unexplained_abbreviations_are_one_located_warning(tmp_path: Path) -> None:
    plan = _plan("Report to the CMT and the LSCB.\nAudit CIN cases with the CMT.")
    assert _warnings(_project(tmp_path, plan)) == [
        (
            "unexplained-abbreviation",
            "paper.yaml",
            1,
            "the paper uses abbreviations that nothing in it explains: CMT, LSCB and CIN. "
            "A reader may not know them: add each to the plan's glossary (its term and "
            "meaning), or write it out, and add a glossary block to the layout.",
        )
    ]


def test_a_glossary_or_the_words_spelt_out_explain_them(tmp_path: Path) -> None:
    plan = _plan(
        "Report to the Children's Management Team (CMT) monthly.\n"
        "Report to the CMT and the LSCB; audit LACs.\n"
        "Raise permitted admission levels (PAL); ask the Social worker (SW).\n"
        "PAL and SW as above.",
        "  - {term: LSCB, meaning: Local Safeguarding Children Board}\n"
        "  - {term: LAC, meaning: Looked after children}\n",
    )
    assert _warnings(_project(tmp_path, plan, LAYOUT + GLOSSARY_BLOCK)) == []


def test_initials_explain_only_as_the_paper_prints_its_leads(tmp_path: Path) -> None:
    """A person's initials explain an abbreviation only where the paper prints its leads.

    SMcL is a lead printed as initials (unnamed-initials says so); VSH is someone's
    initials in people.yaml, but this paper prints no key to them: unexplained.
    """
    people = PEOPLE + "  vsh: {role: Virtual School Head, initials: VSH}\n"
    plan = _plan("SMcL to brief the VSH.")
    paper = "plans: [plan]\nas_at: 2013-09-18\nlayout: layout\n"
    root = paper_project.write(tmp_path / "no-key", plan, people, paper, LAYOUT)
    assert [w[3].split(":")[1].split(".")[0] for w in _warnings(root)] == [" VSH"]
    # a leads key listing VSH (a lead of the paper's actions) explains it
    plan = plan.replace("leads: [smcl]", "leads: [smcl, vsh]")
    layout = LAYOUT.replace("leads: name-role", "leads: initials") + "  - type: leads-key\n"
    root = paper_project.write(tmp_path / "key", plan, people, paper, layout)
    assert _warnings(root) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("raise permitted admission levels (PAL) at once", ["PAL"]),
        ("the Head of Quality Assurance (HoQA)", ["HoQA"]),
        ("an independent reviewing officer (IRO) and the chair", ["IRO"]),
        ("the team (CMT)", []),  # one word cannot spell three letters
        ("the care management team (CMS)", []),  # initials that do not match
        ("the system from Northgate (AIS)", []),  # a name before a bracket explains nothing
    ],
)
def test_initials_before_the_bracket_explain_it(text: str, found: list[str]) -> None:
    assert list(abbreviations._initialled(text)) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Report to DSCB and the HoS by Q2.", ["DSCB", "HoS"]),
        ("LOOKED AFTER CHILDREN SERVICES", []),  # a heading in capitals
        ("COMPLETED - NOT STARTED", []),
        ("Stage II with Mr McLeary and PowerPoint", []),
        ("NHS CAMHS", ["NHS", "CAMHS"]),  # two short abbreviations side by side
        ("the CAMHS team, and the LAs", ["CAMHS", "LAs"]),
    ],
)
def test_what_reads_as_an_abbreviation(text: str, found: list[str]) -> None:
    assert list(abbreviations._abbreviations(text)) == found


def test_a_long_list_is_counted(tmp_path: Path) -> None:
    words = [f"X{chr(65 + i)}{chr(65 + i)}" for i in range(15)]
    assert abbreviations.listed(words) == ", ".join(words[:12]) + " and 3 more"
    assert abbreviations.listed(["CMT"]) == "CMT"
    assert abbreviations.listed(["CMT", "HoS"]) == "CMT and HoS"
