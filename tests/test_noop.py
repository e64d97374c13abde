"""A rebuild with nothing to do knows so before loading anything that renders (issue 8)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from planreport import writers
from tests.conftest import CASES

PROJECT = CASES / "project"

PROBE = """
import sys
from planreport.cli import main
code = main(["build", "--out", sys.argv[1], "--format", "html"])
heavy = ("planreport.paper.compose", "planreport.commands.check", "planreport.paper.model.", "markdown_it",
         "jinja2", "weasyprint", "docx")
print(code, sorted(m for m in sys.modules if m.startswith(heavy) or m == "planreport.paper.model"))
"""


def test_a_no_op_rebuild_imports_no_composing_checking_or_rendering(tmp_path: Path) -> None:
    out = str(tmp_path / "out")
    first = subprocess.run(
        [sys.executable, "-c", PROBE, out], cwd=PROJECT, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    assert "planreport.paper.compose" in first.stdout  # the first build did compose
    again = subprocess.run(
        [sys.executable, "-c", PROBE, out], cwd=PROJECT, capture_output=True, text=True
    )
    assert again.stdout.strip().endswith("0 []"), again.stdout + again.stderr
    assert "3 unchanged" in again.stdout


def test_every_writer_s_suffix_is_known_without_loading_it() -> None:
    for name in writers.names():
        assert writers.get(name).suffix == writers.suffix(name)
    assert writers.suffix("docx") == ".docx"
