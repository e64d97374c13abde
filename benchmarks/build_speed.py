"""Time `planreport build` against its floors, in one run.

1. PDF: planreport's whole build of one paper against WeasyPrint alone on the same HTML.
2. Word: the Word file for a plan of 1,000 actions.
3. Parallel: every example paper on all cores against one at a time.
4. No-op: a rebuild with nothing changed, as a whole process.
Run: .venv/bin/python benchmarks/build_speed.py
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from check_speed import write_plan
from planreport import build, check, compose
from planreport.project import Project, packaged_templates
from planreport.writers import html as html_writer

ROOT = Path(__file__).resolve().parent.parent


def _paper(folder: Path, actions: int) -> Project:
    """A project with one generated plan of the given size and a paper of it."""
    plans = folder / "plans"
    (plans / "papers").mkdir(parents=True)
    write_plan(plans, actions)
    (plans / "papers" / "generated.yaml").write_text(
        "plans: [generated]\nas_at: 2014-01-01\nlayout: standard\n", encoding="utf-8"
    )
    return Project(folder)


def _timed(function, runs: int = 3) -> float:
    """Median wall-clock seconds of function()."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pdf_against_weasyprint(project: Project, out: Path) -> tuple[float, float]:
    """planreport's PDF build of a paper, and WeasyPrint alone on the same HTML."""
    import weasyprint

    options = build.Options(out=out, force=True, formats=("pdf",), jobs=1)
    ours = _timed(lambda: build.build(Project(project.root), options))
    checked = check.check_paper(project, project.paper_files()[0])
    paper = compose.compose(checked.spec, checked.plans, checked.people, checked.layout)
    dirs = list(project.template_dirs())
    html = html_writer.render_html(paper, dirs, "print", datetime(2014, 1, 1, tzinfo=UTC))
    floor = _timed(
        lambda: weasyprint.HTML(string=html, base_url=str(dirs[0])).write_pdf(
            pdf_variant="pdf/ua-1"
        )
    )
    return ours, floor


def word_for(project: Project, out: Path) -> tuple[float, float]:
    """The whole Word build of the paper, and python-docx alone writing the same table."""
    import docx

    options = build.Options(out=out, force=True, formats=("docx",), jobs=1)
    ours = _timed(lambda: build.build(Project(project.root), options))

    def bare() -> None:
        document = docx.Document(str(packaged_templates() / "reference.docx"))
        table = document.add_table(rows=1, cols=6)
        for i in range(1000):
            cells = table.add_row().cells
            for cell in cells:
                cell.paragraphs[0].add_run(f"Action {i}: review the arrangements and report.")
        document.save(str(out / "bare.docx"))

    return ours, _timed(bare)


def parallel_against_serial(out: Path) -> tuple[float, float]:
    """Every example paper built with all cores, and one at a time."""
    serial = _timed(
        lambda: build.build(Project(ROOT), build.Options(out=out / "serial", jobs=1, force=True)),
        runs=2,
    )
    parallel = _timed(
        lambda: build.build(Project(ROOT), build.Options(out=out / "parallel", force=True)),
        runs=2,
    )
    return parallel, serial


def no_op(out: Path) -> float:
    """A rebuild with nothing changed, as a whole process."""
    command = [str(Path(sys.executable).parent / "planreport"), "build", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    return _timed(
        lambda: subprocess.run(command, cwd=ROOT, capture_output=True, check=True), runs=5
    )


def main() -> None:
    """Print every figure with its floor and goal."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small = _paper(folder / "small", 200)
        big = _paper(folder / "big", 1000)
        ours, floor = pdf_against_weasyprint(small, folder / "out-pdf")
        print(
            f"PDF, 200 actions: planreport {ours:.2f} s, WeasyPrint alone {floor:.2f} s, "
            f"ratio {ours / floor:.2f} (goal <= 1.10)"
        )
        word, bare = word_for(big, folder / "out-docx")
        print(
            f"Word, 1,000 actions: planreport {word:.2f} s (goal <= 1.5 s); python-docx alone "
            f"writing a bare 1,000-row table {bare:.2f} s, ratio {word / bare:.2f}"
        )
        parallel, serial = parallel_against_serial(folder / "out-all")
        print(
            f"All example papers: serial {serial:.2f} s, parallel {parallel:.2f} s, "
            f"speed-up {serial / parallel:.2f}x (goal >= 1.6x)"
        )
        shutil.rmtree(folder / "out-all")
        print(
            f"No-op rebuild of every paper (whole process): {no_op(folder / 'noop'):.2f} s "
            "(goal <= 0.5 s)"
        )


if __name__ == "__main__":
    main()
