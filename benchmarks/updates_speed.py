"""Time an update round on 1,000 actions across 50 leads, against openpyxl alone.

Generates a project with one plan of 1,000 actions (one lead each, 20 per lead), then
times, as whole processes:

- `planreport request` writing the 50 Excel forms (and the 50 Word forms);
- `planreport apply` reading the 50 filled Excel forms and writing every answer into the
  plan (an update with a status for each action, and a new due date for one in four);

next to the floor: openpyxl alone writing 50 workbooks with the same cells, and reading
them back. Goal: each planreport step under 5 seconds. Also times ruamel.yaml's round
trip (load and dump) of the same plan, the alternative to the targeted text edit.

Run: .venv/bin/python benchmarks/updates_speed.py [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

GOAL_SECONDS = 5.0
ACTIONS, LEADS = 1000, 50
PLANREPORT = [str(Path(sys.executable).parent / "planreport")]


def write_project(root: Path) -> Path:
    """A project with people.yaml and a plan of ACTIONS actions; returns the plan's path."""
    plans = root / "plans"
    plans.mkdir(parents=True)
    people = ["people:"] + [
        f"  person-{i}: {{name: Person {i}, role: Officer}}" for i in range(LEADS)
    ]
    (plans / "people.yaml").write_text("\n".join(people) + "\n", encoding="utf-8")
    recs = ACTIONS // 10
    lines = ["# A generated plan.", "title: Generated plan", "recommendations:"]
    lines += [f"  - ref: '{r}'\n    text: Recommendation {r} text." for r in range(1, recs + 1)]
    lines.append("actions:")
    for i in range(ACTIONS):
        rec = i % recs + 1
        lines.append(
            f"""  - ref: '{rec}.{i}'
    addresses: ['{rec}']
    text: >-
      Action {i}: review the arrangements and report to the board with findings and
      recommendations for improvement across the service.
    leads: [person-{i % LEADS}]
    timescale: December 2013.
    due: 2013-12
    # agreed at the board
    updates:
      - {{date: 2013-08, text: Started., status: green}}
      - {{date: 2013-11, text: Scope agreed; review under way., status: amber}}
"""
        )
    path = plans / "generated.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def fill(forms: list[Path], out: Path) -> list[Path]:
    """Every row of every form answered, as a lead would in Excel."""
    filled = []
    for path in forms:
        book = load_workbook(path)
        sheet = book["Your actions"]
        for row in range(9, sheet.max_row + 1):
            sheet.cell(row, 6).value = "Red"
            sheet.cell(row, 7).value = f"Progress on row {row}: the review found gaps; plan agreed."
            if row % 4 == 0:
                sheet.cell(row, 8).value = "2014-06"
                sheet.cell(row, 9).value = "The board asked for a wider review."
        target = out / path.name
        book.save(target)
        filled.append(target)
    return filled


def run(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds a whole-process command took; fails loudly if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu


def timed(work: Callable[[], None]) -> tuple[float, float]:
    """Wall-clock and CPU seconds work took in this process."""
    start, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - start, time.process_time() - cpu


def floor_write(out: Path) -> None:
    """openpyxl alone: LEADS workbooks of ACTIONS / LEADS rows of eleven cells each."""
    for lead in range(LEADS):
        book = Workbook()
        sheet = book.active
        for row in range(ACTIONS // LEADS):
            about = [f"{row}.{lead}", "Action text " * 12, "December 2013", "Amber", "x" * 60]
            answers = [f"Progress on row {row}.", "2014-06", "A reason.", None, None, "token"]
            sheet.append(about + answers)
        book.save(out / f"floor-{lead}.xlsx")


def floor_read(out: Path) -> None:
    """openpyxl alone: read every cell of the LEADS workbooks back."""
    for lead in range(LEADS):
        book = load_workbook(out / f"floor-{lead}.xlsx", read_only=True)
        for _row in book.active.iter_rows(values_only=True):
            pass
        book.close()


def ruamel_round_trip(plan: Path) -> None:
    """ruamel.yaml's round trip (load and dump) of the generated plan, once."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.dump(yaml.load(plan.read_text(encoding="utf-8")), io.StringIO())


def main() -> None:
    """Time each step over several runs; print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    times: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for attempt in range(runs):
            root = base / f"run-{attempt}"
            plan = write_project(root)
            request = [*PLANREPORT, "request", "--date", "2013-12-01", "--due", "2013-12-10"]
            times.setdefault("request: 50 Excel forms", []).append(run(request, root))
            word = [*request, "--format", "docx", "--out", str(root / "build" / "word")]
            times.setdefault("request: 50 Word forms", []).append(run(word, root))
            forms = sorted((root / "build" / "forms").glob("*.xlsx"))
            assert len(forms) == LEADS, len(forms)
            answered = root / "answered"
            answered.mkdir()
            filled = fill(forms, answered)
            applying = [*PLANREPORT, "apply", "--date", "2013-12-10", *map(str, filled)]
            times.setdefault("apply: 50 Excel forms, 1,000 answers", []).append(run(applying, root))
            floor = base / f"floor-{attempt}"
            floor.mkdir()
            times.setdefault("floor: openpyxl writes 50 workbooks", []).append(
                timed(lambda: floor_write(floor))  # noqa: B023 - called at once
            )
            times.setdefault("floor: openpyxl reads 50 workbooks", []).append(
                timed(lambda: floor_read(floor))  # noqa: B023 - called at once
            )
            times.setdefault("ruamel.yaml round trip of the plan", []).append(
                timed(lambda: ruamel_round_trip(plan))  # noqa: B023 - called at once
            )
            shutil.rmtree(root)
    print(f"{ACTIONS:,} actions, {LEADS} leads, {runs} runs (whole processes for planreport)")
    print("| step | wall, median (s) | wall, best (s) | CPU, median (s) |")
    print("| --- | --- | --- | --- |")
    for step, pairs in times.items():
        wall, cpu = [w for w, _c in pairs], [c for _w, c in pairs]
        print(
            f"| {step} | {statistics.median(wall):.2f} | {min(wall):.2f} "
            f"| {statistics.median(cpu):.2f} |"
        )
    slow = [
        step
        for step, pairs in times.items()
        if step.startswith(("request", "apply")) and min(w for w, _c in pairs) > GOAL_SECONDS
    ]
    print(f"Goal: each request and apply under {GOAL_SECONDS:.0f} s: {'missed' if slow else 'met'}")


if __name__ == "__main__":
    main()
