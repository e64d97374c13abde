"""`check` warns of leads printed as initials that the paper names nowhere (issue 20)."""

from __future__ import annotations

from pathlib import Path

from planreport.paper.model import Heading
from tests import paper_project

PLAN = """title: Initials
actions:
  - {ref: "1", text: Audit cases., leads: [smcl, jh], due: 2013-12}
  - {ref: "2", text: Report audits., leads: [auditors], due: 2014-01}
"""
PEOPLE = """people:
  smcl: {initials: SMcL}
  jh: {initials: JH}
  auditors: {role: All Case File Auditors}
"""
LAYOUT = """leads: initials
progress: false
blocks:
  - type: action-table
    columns:
      - {field: text, heading: Action, width: 70}
      - {field: leads, heading: Lead, width: 30}
"""
KEY = "  - type: leads-key\n"


def _warnings(root: Path) -> list[tuple[str, str, int, str]]:
    """The paper's warnings: rule, file, line and message."""
    found = paper_project.checked(root).problems
    return [
        (p.rule, Path(p.location.path).name, p.location.line, p.message)
        for p in found
        if p.severity.value == "warning"
    ]


def _project(root: Path, people: str = PEOPLE, layout: str = LAYOUT) -> Path:
    """A project whose one paper prints its plan's leads as the layout says."""
    paper = "plans: [plan]\nas_at: 2013-09-18\nlayout: layout\n"
    return paper_project.write(root, PLAN, people, paper, layout)


def test_initials_no_one_names_are_a_located_warning(tmp_path: Path) -> None:
    assert _warnings(_project(tmp_path)) == [
        (
            "unnamed-initials",
            "paper.yaml",
            1,
            "the paper prints leads as initials that it names nowhere: SMcL, JH. A reader "
            "cannot tell who they are: add each one's name (and role) in people.yaml, and a "
            "leads-key block to the layout to list them.",
        )
    ]


def test_a_leads_key_with_no_one_to_list_is_not_dropped_silently(tmp_path: Path) -> None:
    root = _project(tmp_path, layout=LAYOUT + KEY)
    assert _warnings(root) == [
        (
            "empty-leads-key",
            "layout.yaml",
            8,
            "the leads-key block is left out of this paper: no lead of its actions has "
            "initials with a name or role in people.yaml. Add their names there, or remove "
            "the block.",
        ),
        (
            "unnamed-initials",
            "paper.yaml",
            1,
            "the paper prints leads as initials that it names nowhere: SMcL, JH. A reader "
            "cannot tell who they are: add each one's name (and role) in people.yaml.",
        ),
    ]
    headings = [b.text for b in paper_project.composed(root).blocks if isinstance(b, Heading)]
    assert headings == ["Actions"]  # the key is left out, as the warning says


def test_named_leads_with_a_key_draw_no_warning(tmp_path: Path) -> None:
    people = PEOPLE.replace("{initials: SMcL}", "{initials: SMcL, name: Shaun McLurg}")
    people = people.replace("{initials: JH}", "{initials: JH, role: Head of Service}")
    root = _project(tmp_path, people, LAYOUT + KEY)
    assert _warnings(root) == []
    headings = [b.text for b in paper_project.composed(root).blocks if isinstance(b, Heading)]
    assert headings == ["Actions", "Lead officers"]
