"""Time `planreport check` on a generated plan of 1,000 actions, as a whole process.

Prints the median and best of several runs next to the floor (starting Python and
importing the libraries check needs), then where the time goes inside one run.
Run: .venv/bin/python benchmarks/check_speed.py [--actions N] [--runs N]
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

GOAL_SECONDS = 0.5


def write_plan(folder: Path, actions: int) -> Path:
    """Write people.yaml and a plan of the given size; return the plan's path."""
    people = ["people:"] + [f"  person-{i}: {{name: Person {i}, role: Officer}}" for i in range(50)]
    (folder / "people.yaml").write_text("\n".join(people) + "\n", encoding="utf-8")
    recs = max(1, actions // 10)
    lines = ["title: Generated plan", "recommendations:"]
    lines += [f"  - ref: '{r}'\n    text: Recommendation {r} text." for r in range(1, recs + 1)]
    lines.append("actions:")
    for i in range(actions):
        rec = i % recs + 1
        lines.append(
            f"""  - ref: '{rec}.{i}'
    addresses: ['{rec}']
    text: >-
      Action {i}: review the arrangements and report to the board with findings and
      recommendations for improvement across the service.
    leads: [person-{i % 50}, person-{(i + 7) % 50}]
    outputs: Report to the board.
    outcome: Better arrangements.
    timescale: December 2013.
    due: 2013-12
    revisions:
      - {{due: 2014-03, reason: Waiting for the review., agreed: 2013-11-20}}
    milestones:
      - {{text: Scope agreed, due: 2013-10, done: true, completed: 2013-10-15}}
      - {{text: Report drafted, due: 2014-02}}
    updates:
      - {{date: 2013-08, text: Started., status: green}}
      - {{date: 2013-11, text: Scope agreed; review under way., status: amber}}"""
        )
    path = folder / "generated.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_folder_plan(folder: Path, actions: int) -> Path:
    """A folder plan of the given size, 1,000 actions a file (a file may be at most 5 MiB)."""
    plan = folder / "generated"
    plan.mkdir(parents=True)
    for part in range(0, actions, 1000):
        size = min(1000, actions - part)
        write_plan(plan, size)
        text = (plan / "generated.yaml").read_text(encoding="utf-8")
        body = text.split("\n", 1)[1].replace("ref: '", f"ref: 'p{part}-")
        body = body.replace("addresses: ['", f"addresses: ['p{part}-")
        (plan / f"part-{part // 1000:03}.yaml").write_text(body, encoding="utf-8")
    (plan / "generated.yaml").unlink()
    (plan / "people.yaml").rename(folder / "people.yaml")
    (plan / "plan.yaml").write_text("title: Generated plan\n", encoding="utf-8")
    return plan


def write_invalid_plan(folder: Path, actions: int) -> Path:
    """A plan of actions each merged into an action it lacks: one error each (issue 18)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["title: Invalid plan", "actions:"] + [
        f"  - {{ref: '{i}', text: A., withdrawn: {{date: 2020-01, reason: x, merged_into: "
        f"'z{i}'}}}}"
        for i in range(actions)
    ]
    path = folder / "invalid.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def invalid_seconds(actions: int) -> float:
    """Whole-process seconds to check a plan of that many invalid actions."""
    with tempfile.TemporaryDirectory() as tmp:
        write_invalid_plan(Path(tmp) / "plans", actions)
        script = str(Path(sys.executable).parent / "planreport")
        return time_command([script, "check", "--project", tmp, "--format", "json"], 1)[0]


def scaling(sizes: list[int]) -> list[tuple[int, float, float]]:
    """(actions, seconds, peak MiB) of one whole-process check at each size."""
    code = (
        "import resource, sys, time\n"
        "from planreport.cli import main\n"
        "start = time.perf_counter()\n"
        "main(['check', '--project', sys.argv[1], '--as-at', '2014-01-01', '--format', 'json'])\n"
        "took = time.perf_counter() - start\n"
        "print(took, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)\n"
    )
    rows = []
    for actions in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            write_folder_plan(Path(tmp) / "plans", actions)
            done = subprocess.run(
                [sys.executable, "-c", code, tmp], capture_output=True, text=True, check=False
            )
            seconds, mib = (float(x) for x in done.stderr.split()[-2:])
            rows.append((actions, seconds, mib))
    return rows


def time_command(command: list[str], runs: int) -> list[float]:
    """Wall-clock seconds of each run of command."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def stage_times(plan: Path) -> dict[str, float]:
    """Seconds spent in each stage of one in-process check."""
    from planreport.plan import building, loader, loading, rules, validate
    from planreport.problems import Problems
    from planreport.project import Project

    problems = Problems()
    marks = {"start": time.perf_counter()}
    doc = loader.parse(plan.read_bytes(), str(plan), problems)
    marks["load (YAML with positions)"] = time.perf_counter()
    validate.validate(doc, "plan", problems)
    marks["validate (JSON Schema)"] = time.perf_counter()
    built = building.build_plan("generated", doc, [])
    marks["build model"] = time.perf_counter()
    people = loading.load_people(Project(plan.parent.parent), plan.parent / "people.yaml").value
    rules.check_plan(built, rules.RuleContext(people, date(2014, 1, 1)), problems)
    marks["rules"] = time.perf_counter()
    names = list(marks)
    return {names[i]: marks[names[i]] - marks[names[i - 1]] for i in range(1, len(names))}


def main() -> None:
    """Generate the plan, time the command against its floor and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--sizes", default="1000,10000,50000", help="plan sizes for the scaling table"
    )
    args = parser.parse_args()
    script = str(Path(sys.executable).parent / "planreport")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "plans").mkdir()
        plan = write_plan(Path(tmp) / "plans", args.actions)
        size = plan.stat().st_size // 1024
        check = [script, "check", "--project", tmp]
        subprocess.run(check, capture_output=True, check=False)  # warm caches
        rows = {
            "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
            "python -c 'import yaml, fastjsonschema' (library floor)": [
                sys.executable,
                "-c",
                "import yaml, fastjsonschema",
            ],
            f"planreport check ({args.actions} actions, {size} KiB)": check,
        }
        results = {name: time_command(cmd, args.runs) for name, cmd in rows.items()}
        stages = stage_times(plan)
    floor = statistics.median(results[list(rows)[1]])
    print(f"planreport check speed, {args.runs} runs each (seconds)\n")
    print(f"{'command':62} {'median':>8} {'best':>8} {'x floor':>8}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:62} {median:8.3f} {min(times):8.3f} {median / floor:8.2f}")
    total = statistics.median(results[list(rows)[2]])
    verdict = "meets" if total <= GOAL_SECONDS else "MISSES"
    print(f"\ngoal: at most {GOAL_SECONDS} s for 1,000 actions -> {verdict} the goal\n")
    print("inside one check (in-process, one run):")
    for name, seconds in stages.items():
        print(f"  {name:40} {seconds:7.3f}")
    print("\nscaling (a folder plan, 1,000 actions a file; whole process, in-process timer):")
    print(f"{'actions':>8} {'seconds':>8} {'ms/action':>10} {'peak MiB':>9} {'KiB/action':>11}")
    for actions, seconds, mib in scaling([int(n) for n in args.sizes.split(",")]):
        per, kib = 1000 * seconds / actions, 1024 * mib / actions
        print(f"{actions:8} {seconds:8.2f} {per:10.3f} {mib:9.0f} {kib:11.1f}")
    print(f"\n20,000 invalid actions (each an error): {invalid_seconds(20_000):.2f} s")


if __name__ == "__main__":
    main()
