"""Time `planreport import` of a Word table of 500 actions, as a whole process.

Prints the median and best of several runs next to the floor: python-docx alone opening
the same file and reading every cell of its table (`cell.text` over `row.cells`). Then
where the time goes inside one import, and how it grows with the number of rows.
Run: .venv/bin/python benchmarks/import_speed.py [--actions N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

GOAL_SECONDS = 2.0  # issue 21: a 500-action Word or Excel plan in at most 2 s
HEADINGS = ("Ref", "Action required", "Lead officer", "Timescale", "Progress made", "RAG rating")
MONTHS = ("March", "June", "September", "December")
RAG = (("Green", "00B050"), ("Amber", "FFC000"), ("Blue", "0070C0"), ("Red", "FF0000"))


def _cell(text: str, fill: str | None = None) -> str:
    """One table cell as WordprocessingML."""
    shading = (
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>' if fill else ""
    )
    return f'<w:tc>{shading}<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:tc>'


def write_plan(path: Path, actions: int) -> Path:
    """A Word plan: a title and one table of actions, each row as councils fill them."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_heading("Generated improvement plan", 0)
    rows = ["<w:tr>" + "".join(_cell(h) for h in HEADINGS) + "</w:tr>"]
    for n in range(1, actions + 1):
        word, fill = RAG[n % len(RAG)]
        cells = [
            _cell(f"{n // 10 + 1}.{n % 10 + 1}."),
            _cell(
                f"Action {n}: review the arrangements for this area and report to the board "
                "with findings and recommendations for improvement across the service."
            ),
            _cell(f"Officer Number{n % 40} / Head of Service {n % 7}"),
            _cell(f"End of {MONTHS[n % 4]} {2024 + n % 2}"),
            _cell("Work under way; the review group met and agreed its terms of reference."),
            _cell(word, fill),
        ]
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    table = (
        '<w:tbl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:tblPr/><w:tblGrid>" + "<w:gridCol/>" * len(HEADINGS) + "</w:tblGrid>"
        + "".join(rows)
        + "</w:tbl>"
    )  # fmt: skip
    document.element.body.insert(-1, parse_xml(table))
    document.save(path)
    return path


def time_command(command: list[str], runs: int, cwd: Path) -> list[float]:
    """Wall-clock seconds of each run of command."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, check=False, cwd=cwd)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode())
    return times


def stage_times(source: Path, project: Path) -> dict[str, float]:
    """Seconds spent in each stage of one in-process import."""
    from planreport.commands.check import check
    from planreport.importers import reading, run, yaml_out, yaml_text
    from planreport.importers.assemble import MAX_ROWS, Assembler, Settings
    from planreport.importers.leads import People
    from planreport.importers.mapping import Overrides
    from planreport.plan import loading
    from planreport.project import Project

    marks = {"start": time.perf_counter()}
    data = source.read_bytes()
    found = reading.read_source(source.name, source.suffix, data, MAX_ROWS)
    marks["read the Word file into tables"] = time.perf_counter()
    opened = Project(project)
    people = People(
        loading.load_people(opened, project / "plans" / "people.yaml").value or {}, "bench"
    )
    plan = Assembler(found, people, Overrides(), Settings(as_at=date(2024, 1, 31))).run()
    marks["assemble the plan (columns, dates, leads)"] = time.perf_counter()
    doc = yaml_out.top(plan.plan)
    written = yaml_text.dump(doc, ["benchmark"])
    marks["write YAML"] = time.perf_counter()
    target = project / "plans" / "stages.yaml"
    run.read_back(target, written, yaml_text.plain(doc))
    marks["read it back to verify"] = time.perf_counter()
    target.write_text(written, encoding="utf-8")
    check(Project(project), [target], date(2024, 1, 31))
    marks["planreport check of the result"] = time.perf_counter()
    names = list(marks)
    return {names[i]: marks[names[i]] - marks[names[i - 1]] for i in range(1, len(names))}


def main() -> None:
    """Make the plan, time the import against its floor and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="100,500,1000,2000", help="sizes for the scaling table")
    args = parser.parse_args()
    script = str(Path(sys.executable).parent / "planreport")
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "repository"
        (project / "plans").mkdir(parents=True)
        (project / "plans" / "people.yaml").write_text("people:\n  x: {name: X Y}\n")
        source = write_plan(Path(tmp) / "plan.docx", args.actions)
        size = source.stat().st_size // 1024
        floor_code = (
            "import docx, sys\n"
            "table = docx.Document(sys.argv[1]).tables[0]\n"
            "texts = [cell.text for row in table.rows for cell in row.cells]\n"
        )
        rows = {
            "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
            "python-docx alone: open, read every cell (library floor)": [
                sys.executable,
                "-c",
                floor_code,
                str(source),
            ],
            f"planreport import ({args.actions} actions, {size} KiB), with its check": [
                script,
                "import",
                str(source),
                "--id",
                "bench",
                "--force",
                "--as-at",
                "2024-01-31",
            ],
        }
        results = {name: time_command(cmd, args.runs, project) for name, cmd in rows.items()}
        stages = stage_times(source, project)
        scale = []
        for actions in [int(n) for n in args.sizes.split(",")]:
            bigger = write_plan(Path(tmp) / f"plan-{actions}.docx", actions)
            command = [*rows[list(rows)[2]][:2], str(bigger), *rows[list(rows)[2]][3:]]
            scale.append((actions, min(time_command(command, 1, project))))
    print_figures(f"planreport import speed, {args.runs} runs each", results, GOAL_SECONDS)
    print(" for 500 actions\n")
    print("inside one import (in-process, one run):")
    for name, seconds in stages.items():
        print(f"  {name:45} {seconds:7.3f}")
    print("\nscaling (whole process, one run each):")
    print(f"{'actions':>8} {'seconds':>8} {'ms/action':>10}")
    for actions, seconds in scale:
        print(f"{actions:8} {seconds:8.2f} {1000 * seconds / actions:10.2f}")


def print_figures(title: str, results: dict[str, list[float]], goal: float) -> None:
    """The table of median and best times against the floor (the second row), and the goal.

    The third row is planreport's own; the goal's line is left open for its size.
    """
    names = list(results)
    floor = statistics.median(results[names[1]])
    width = max(len(name) for name in names)
    print(f"{title} (seconds)\n")
    print(f"{'command':{width}} {'median':>7} {'best':>7} {'x floor':>8}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:{width}} {median:7.3f} {min(times):7.3f} {median / floor:8.2f}")
    verdict = "meets" if statistics.median(results[names[2]]) <= goal else "MISSES"
    print(f"\ngoal: at most {goal} s -> {verdict} the goal", end="")


if __name__ == "__main__":
    main()
