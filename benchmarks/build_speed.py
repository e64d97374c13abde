"""Time `planreport build` against its floors at 100, 1,000 and 5,000 actions.

1. PDF: planreport's whole build of one paper against WeasyPrint alone laying out the
   same HTML as PDF/UA-1 (planreport's print HTML, fonts and all), at each size; the
   time per action shows whether anything grows faster than the plan. Each runs in a
   fresh process with its libraries already imported (WeasyPrint; planreport's modules,
   Jinja and markdown-it), so the clock measures the work, as repeated builds in one
   process would; importing costs about 0.3 s more for planreport than for WeasyPrint.
   planreport's bytecode is compiled first, as pip does on installing it: a checkout
   edited with PYTHONDONTWRITEBYTECODE set would otherwise compile every changed
   module again in every measured run.
2. Peak memory at the largest size: each measured in a child process of its own
   (resource.getrusage), planreport's build against WeasyPrint alone.
3. Word: planreport's Word file against pandoc converting the same (screen) HTML to
   .docx, and python-docx alone writing a bare table with a row per action.
4. Parallel: every example paper on all cores against one at a time, alternating the
   two (parallel first in every other pair) and reporting medians.
5. No-op: a rebuild with nothing changed, as a whole process.

Run: .venv/bin/python benchmarks/build_speed.py [--sizes 100 1000 5000] [--runs 3]
With --spans, the paper groups the actions under recommendations spanning their rows
over pages, which the PDF writer cuts at every page break and lays out again.
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from check_speed import write_folder_plan, write_plan

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# Run in a child process: build one paper in one format; print seconds and peak MiB.
BUILD = """
import json, resource, sys, time
from pathlib import Path
import weasyprint  # libraries are imported before the clock starts, on both sides
import jinja2, markdown_it
from planreport.commands import check
from planreport.paper import compose
from planreport.writers import docx, pdf  # python-docx too, as the bare floor imports it
from planreport.commands.build import Options, build
from planreport.project import Project
start = time.perf_counter()
result = build(Project(Path(sys.argv[1])), Options(out=Path(sys.argv[2]), force=True,
               formats=(sys.argv[3],), jobs=1))
took = time.perf_counter() - start
assert not result.failed, [(p.id, p.error) for p in result.papers]
print(json.dumps([took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""

# Run in a child process: WeasyPrint alone on an HTML file; print seconds and peak MiB.
WEASYPRINT = """
import json, os, resource, sys, time
os.environ["SOURCE_DATE_EPOCH"] = "1388577600"
import weasyprint
html = open(sys.argv[1], encoding="utf-8").read()
start = time.perf_counter()
weasyprint.HTML(string=html, base_url=sys.argv[2]).write_pdf(sys.argv[3], pdf_variant="pdf/ua-1")
took = time.perf_counter() - start
print(json.dumps([took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""

# Run in a child process: python-docx alone, a bare table of N rows of six cells.
BARE_DOCX = """
import json, resource, sys, time
import docx
start = time.perf_counter()
document = docx.Document(sys.argv[2])
table = document.add_table(rows=1, cols=6)
for i in range(int(sys.argv[1])):
    for cell in table.add_row().cells:
        cell.paragraphs[0].add_run(f"Action {i}: review the arrangements and report.")
document.save(sys.argv[3])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps([time.perf_counter() - start, peak]))
"""


def _child(code: str, *args: str) -> tuple[float, float]:
    """Run code in a fresh Python; its (seconds, peak MiB)."""
    done = subprocess.run(
        [PYTHON, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    seconds, mib = json.loads(done.stdout.strip().splitlines()[-1])
    return seconds, mib


# --spans: each recommendation a first column spanning its ten actions over two to four
# pages, so the PDF writer cuts every span at each page it crosses and lays out again.
SPANNING = """\
orientation: landscape
blocks:
  - type: title
  - type: action-table
    caption: Actions
    group_by: recommendation
    group_style: column
    columns:
      - {field: recommendation, heading: Recommendation, width: 16}
      - {field: ref, heading: Ref, width: 6}
      - {field: text, heading: Action, width: 24}
      - {field: leads, heading: Lead, width: 12}
      - {field: timescale, heading: Due, width: 10}
      - {field: progress, heading: Progress, width: 22}
      - {field: status, heading: Status, width: 10}
"""


def _project(folder: Path, actions: int, spans: bool = False) -> Path:
    """A project with one generated plan of the given size and a paper of it."""
    plans = folder / "plans"
    (plans / "papers").mkdir(parents=True)
    if actions > 1000:
        write_folder_plan(plans, actions)
    else:
        write_plan(plans, actions)
    layout = "standard"
    if spans:
        layout = "spanning"
        (folder / "templates" / "layouts").mkdir(parents=True)
        (folder / "templates" / "layouts" / "spanning.yaml").write_text(SPANNING, encoding="utf-8")
    (plans / "papers" / "generated.yaml").write_text(
        f"plans: [generated]\nas_at: 2014-01-01\nlayout: {layout}\n", encoding="utf-8"
    )
    return folder


def _print_html(project: Path, media: str) -> tuple[str, str]:
    """The HTML planreport lays out (media 'print') or publishes ('screen'), and its base URL."""
    from planreport import writers
    from planreport.commands import check
    from planreport.paper import compose
    from planreport.project import Project
    from planreport.writers.html import render_html

    loaded = Project(project)
    checked = check.check_paper(loaded, loaded.paper_files()[0])
    paper = compose.compose(checked.spec, checked.plans, checked.people, checked.layout)
    templates = loaded.template_dirs()
    moment = datetime.combine(checked.spec.as_at, clock(12), tzinfo=UTC)
    html = render_html(paper, templates, media, moment, writers.font_dirs(templates))
    return html, templates[0].as_uri() + "/"


def _median(values: list[float]) -> float:
    return statistics.median(values)


def pdf_and_memory(project: Path, out: Path, runs: int) -> dict[str, float]:
    """planreport's PDF build and WeasyPrint alone: median seconds and peak MiB of each."""
    html, base = _print_html(project, "print")
    page = out / "page.html"
    out.mkdir(parents=True, exist_ok=True)
    page.write_text(html, encoding="utf-8")
    ours, floor = [], []
    for _ in range(runs):  # alternate, so that a busy moment does not fall on one side only
        ours.append(_child(BUILD, str(project), str(out / "ours"), "pdf"))
        floor.append(_child(WEASYPRINT, str(page), base, str(out / "floor.pdf")))
    pages = len(__import__("pypdf").PdfReader(out / "floor.pdf").pages)
    return {
        "ours": _median([t for t, _ in ours]),
        "floor": _median([t for t, _ in floor]),
        "ours_mib": max(m for _, m in ours),
        "floor_mib": max(m for _, m in floor),
        "pages": pages,
    }


def word(project: Path, out: Path, actions: int, runs: int) -> dict[str, float]:
    """planreport's Word file, pandoc on the same HTML, python-docx alone: median seconds."""
    from planreport.project import packaged_templates

    html, _ = _print_html(project, "screen")
    out.mkdir(parents=True, exist_ok=True)
    page = out / "page.html"
    page.write_text(html, encoding="utf-8")
    ours, pandoc, bare = [], [], []
    for _ in range(runs):
        ours.append(_child(BUILD, str(project), str(out / "ours"), "docx")[0])
        bare.append(
            _child(
                BARE_DOCX,
                str(actions),
                str(packaged_templates() / "reference.docx"),
                str(out / "bare.docx"),
            )[0]
        )
        if shutil.which("pandoc"):
            start = time.perf_counter()
            subprocess.run(
                ["pandoc", str(page), "-f", "html", "-t", "docx", "-o", str(out / "pandoc.docx")],
                check=True,
                capture_output=True,
            )
            pandoc.append(time.perf_counter() - start)
    return {
        "ours": _median(ours),
        "pandoc": _median(pandoc) if pandoc else float("nan"),
        "bare": _median(bare),
    }


def parallel_against_serial(out: Path, pairs: int) -> tuple[float, float, list[float]]:
    """Every example paper with all cores and one at a time, alternated; medians."""
    serial, parallel = [], []

    def run(jobs: int) -> float:
        command = [str(Path(PYTHON).parent / "planreport"), "build", "--force"]
        command += ["--out", str(out / f"jobs-{jobs}")]
        command += ["--jobs", str(jobs)] if jobs else []  # all cores by default
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        return time.perf_counter() - start

    run(1)  # warm the disk cache and Python's bytecode for both
    for pair in range(pairs):
        order = (0, 1) if pair % 2 else (1, 0)
        for jobs in order:
            (parallel if jobs == 0 else serial).append(run(jobs))
    ratios = [s / p for s, p in zip(serial, parallel, strict=True)]
    return _median(parallel), _median(serial), ratios


def no_op(out: Path) -> float:
    """A rebuild with nothing changed, as a whole process: median of five."""
    command = [str(Path(PYTHON).parent / "planreport"), "build", "--out", str(out)]
    subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return _median(times)


def main() -> None:
    """Print every figure with its floor and goal."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["pdf", "word", "parallel", "noop"]
    )
    parser.add_argument(
        "--spans",
        action="store_true",
        help="lay the actions out under recommendations spanning their rows over pages",
    )
    args = parser.parse_args()
    import planreport

    compileall.compile_dir(Path(planreport.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        projects = {n: _project(folder / f"plan-{n}", n, args.spans) for n in args.sizes}
        if "pdf" not in args.skip:
            print("PDF (median seconds; peak MiB, each in a process of its own):")
            for n, project in projects.items():
                f = pdf_and_memory(project, folder / f"pdf-{n}", args.runs if n < 5000 else 2)
                print(
                    f"  {n:>5} actions, {f['pages']} pages: planreport {f['ours']:.2f} s, "
                    f"WeasyPrint alone {f['floor']:.2f} s, ratio {f['ours'] / f['floor']:.2f} "
                    f"(goal <= 1.10); {1000 * f['ours'] / n:.1f} ms an action; peak "
                    f"{f['ours_mib']:.0f} MiB against {f['floor_mib']:.0f} MiB, ratio "
                    f"{f['ours_mib'] / f['floor_mib']:.2f} (goal <= 1.2 at 5,000)",
                    flush=True,
                )
        if "word" not in args.skip:
            print("Word (median seconds):")
            for n, project in projects.items():
                f = word(project, folder / f"docx-{n}", n, args.runs)
                print(
                    f"  {n:>5} actions: planreport {f['ours']:.2f} s ({1000 * f['ours'] / n:.2f} "
                    f"ms an action), pandoc on the same HTML {f['pandoc']:.2f} s, python-docx "
                    f"alone (bare table) {f['bare']:.2f} s (goal at 5,000: <= 5 s)",
                    flush=True,
                )
        if "parallel" not in args.skip:
            parallel, serial, ratios = parallel_against_serial(folder / "all", pairs=4)
            print(
                f"All example papers, three formats: one at a time {serial:.2f} s, on all cores "
                f"{parallel:.2f} s (medians of 4 alternated pairs), speed-up "
                f"{serial / parallel:.2f}x; each pair: {', '.join(f'{r:.2f}' for r in ratios)}",
                flush=True,
            )
        if "noop" not in args.skip:
            print(f"No-op rebuild of every paper (whole process): {no_op(folder / 'noop'):.2f} s")


if __name__ == "__main__":
    main()
