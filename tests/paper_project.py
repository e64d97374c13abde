"""A small project written by a test: one plan, its people, one paper and its layout."""

from __future__ import annotations

from pathlib import Path

from planreport.commands.check import check_paper
from planreport.paper.compose import compose
from planreport.paper.model import Paper
from planreport.project import Project


def write(root: Path, plan: str, people: str, paper: str, layout: str) -> Path:
    """plans/plan.yaml, plans/people.yaml, plans/papers/paper.yaml, templates/layouts/layout.yaml.

    The paper names the plan as `plan` and the layout as `layout`.
    """
    (root / "plans" / "papers").mkdir(parents=True)
    (root / "templates" / "layouts").mkdir(parents=True)
    (root / "plans" / "people.yaml").write_text(people, encoding="utf-8")
    (root / "plans" / "plan.yaml").write_text(plan, encoding="utf-8")
    (root / "plans" / "papers" / "paper.yaml").write_text(paper, encoding="utf-8")
    (root / "templates" / "layouts" / "layout.yaml").write_text(layout, encoding="utf-8")
    return root


def checked(root: Path):  # -> commands.check.CheckedPaper
    """The project's paper, checked with its layout and plan."""
    return check_paper(Project.open(root), root / "plans" / "papers" / "paper.yaml")


def composed(root: Path) -> Paper:
    """The project's paper model; the check must find no error."""
    found = checked(root)
    assert [p.message for p in found.problems if p.severity.value == "error"] == []
    return compose(found.spec, found.plans, found.people, found.layout)
