"""Time `planreport site` on the example repository and on generated plans of 500 to 5,000 actions.

Prints, for each, the site's time from nothing (every file written) and again (nothing
changed, nothing written), next to the floor: checking the same plans, which the site
must do first. The generated plans show whether the time grows linearly with the actions.
Goal: the example repository's site in at most 3 s.
Run: .venv/bin/python benchmarks/site_speed.py [--sizes 500,1000,5000]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from check_speed import write_plan  # the benchmark beside this one (its folder is on the path)
from planreport.commands import check
from planreport.project import Project
from planreport.site.build import build_site

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 3.0
AS_AT = date(2019, 12, 31)


def timed(run: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def measure(folder: Path) -> tuple[float, float, float, int]:
    """(check, site from nothing, site again) in seconds, each with a fresh project; files."""
    floor = timed(lambda: check.check(Project(folder), [folder / "plans"], AS_AT, True))
    out = folder / "build" / "site"
    shutil.rmtree(out, ignore_errors=True)
    result = []
    first = timed(lambda: result.append(build_site(Project(folder), out, folder / "build", AS_AT)))
    again = timed(lambda: build_site(Project(folder), out, folder / "build", AS_AT))
    return floor, first, again, len(result[0].written)


def example(folder: Path) -> Path:
    """A copy of the example repository's plans, papers and configuration."""
    shutil.copytree(ROOT / "plans", folder / "plans")
    shutil.copy(ROOT / "planreport.yaml", folder / "planreport.yaml")
    return folder


def generated(folder: Path, actions: int) -> Path:
    """A project of one generated plan."""
    (folder / "plans").mkdir(parents=True)
    write_plan(folder / "plans", actions)
    return folder


def main(argv: list[str]) -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="500,1000,5000")
    sizes = [int(s) for s in parser.parse_args(argv).sizes.split(",")]
    print(f"{'project':<24}{'files':>7}{'check (floor)':>15}{'site':>9}{'ratio':>7}{'again':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        rows = [("example repository", example(Path(tmp) / "example"))]
        rows += [(f"{n:,} actions", generated(Path(tmp) / f"g{n}", n)) for n in sizes]
        per_action = {}
        for name, folder in rows:
            floor, first, again, written = measure(folder)
            print(
                f"{name:<24}{written:>7}{floor:>14.2f}s{first:>8.2f}s{first / floor:>7.1f}"
                f"{again:>8.2f}s"
            )
            if name == "example repository":
                verdict = "meets" if first <= GOAL_SECONDS else "misses"
                print(f"  {verdict} the goal of {GOAL_SECONDS:.0f} s for the example repository")
            else:
                per_action[int(name.split()[0].replace(",", ""))] = first
    if len(per_action) > 1:
        smallest = min(per_action)
        for n, seconds in sorted(per_action.items()):
            scale = (seconds / per_action[smallest]) / (n / smallest)
            print(f"  {n:,} actions: {seconds / n * 1000:.2f} ms an action, {scale:.2f}x linear")


if __name__ == "__main__":
    main(sys.argv[1:])
