"""Time the Word writer on themes too tall for a page, against the same rows without them.

A theme spanning its actions' rows, too tall for a page, is cut where the pages end: the
body is laid out on estimated pages once (writers/docx/pages.py) and each such table
written again. This measures that cost as the paper grows: one table of 500 to 4,000
actions in themes of 100 (each action a paragraph of 70 words, about four to a page),
written by planreport's Word writer with every theme a cell spanning its rows, and with
the same rows under a theme row each instead (no spanning cell, so nothing is cut: the
floor). The time per action should stay flat, and the ratio with it.

Run: .venv/bin/python benchmarks/word_spans_speed.py [--sizes 500 1000 2000 4000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime

from planreport.paper.model import Cell, Column, Paper, Row, Table
from planreport.plan.richtext import Para, Rich, Run
from planreport.project import packaged_templates
from planreport.writers.docx import write_docx

COLUMNS = [Column("Theme", 15), Column("Action", 45), Column("Update", 40)]
THEME = 100  # actions a theme


def text(value: str, rowspan: int = 1) -> Cell:
    """A cell of one paragraph."""
    return Cell(content=Rich((Para((Run(value),)),)), rowspan=rowspan)


def rows(actions: int, spanning: bool) -> list[Row]:
    """The table's rows: themes of THEME actions, spanning their rows or as theme rows."""
    update = " ".join(f"word{i % 10}" for i in range(70))
    out = []
    for n in range(actions):
        theme = f"Theme {n // THEME + 1}: review of residential staff and foster carers"
        first = n % THEME == 0
        if not spanning and first:
            out.append(Row([text(theme)], group=True))
        cells = [text(f"Action {n + 1} – review and report"), text(update)]
        if spanning and first:
            cells.insert(0, text(theme, rowspan=min(THEME, actions - n)))
        elif not spanning:
            cells.insert(0, text(""))
        out.append(Row(cells))
    return out


def seconds(actions: int, spanning: bool, runs: int) -> float:
    """The median time to write the paper as Word."""
    table = Table("Plan", COLUMNS, rows(actions, spanning))
    paper = Paper("bench", "Bench", None, "Bench", [], None, "en-GB", True, [table])
    templates = packaged_templates()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        write_docx(paper, templates / "reference.docx", datetime(2020, 1, 1), (templates,))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Print each size's times, per action, and the ratio to the floor."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 1000, 2000, 4000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    seconds(THEME, True, 1)  # warm up: python-docx, the reference document, the fonts' widths
    print("Word, themes spanning their rows (cut where the pages end) against theme rows:")
    for n in args.sizes:
        ours, floor = seconds(n, True, args.runs), seconds(n, False, args.runs)
        print(
            f"  {n:>5} actions: spanning {ours:.2f} s ({1000 * ours / n:.2f} ms an action), "
            f"theme rows {floor:.2f} s ({1000 * floor / n:.2f} ms an action), "
            f"ratio {ours / floor:.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
