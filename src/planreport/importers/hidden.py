"""What a source hides: Excel rows hidden or filtered out, Word text formatted as hidden.

A tracker hides the rows of finished actions, or filters to show the open ones; a Word
plan hides a drafting note. The plan is every action, so what is hidden is read as if it
were shown, and each hidden row or text is listed with its place; `--hidden skip` leaves
it all out instead, each still listed. Nothing hidden is read, or dropped, without a word.
"""

from __future__ import annotations

from itertools import groupby

from planreport.importers.grid import Table

READ = "read"
SKIP = "skip"
CHOICES = (READ, SKIP)


def rows(table: Table, keep: bool) -> Table:
    """The table with its hidden rows kept or left out, each run of them listed in its notes."""
    hidden = [row for row in table.rows if row.hidden]
    if not hidden:
        return table
    if not keep:
        table.rows = [row for row in table.rows if not row.hidden]
    for reason, group in groupby(hidden, key=lambda row: row.hidden):
        numbers = [row.number for row in group]
        where = f"{table.name}, {_numbers(numbers)}"
        table.notes.append(f"{where}: {reason}, {outcome(keep, len(numbers))}")
    return table


def outcome(keep: bool, count: int = 1) -> str:
    """What was done with something hidden, and how to have the other."""
    it = "it" if count == 1 else "them"
    if keep:
        return f"read as if shown; check {it}, or leave what is hidden out with --hidden skip"
    return f"not imported; to import {it}, run the import without --hidden skip"


def _numbers(numbers: list[int]) -> str:
    """Row numbers as 'row 4' or 'rows 4 to 6, 9'."""
    if len(numbers) == 1:
        return f"row {numbers[0]}"
    spans: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        spans.append(str(start) if start == previous else f"{start} to {previous}")
        if number is not None:
            start = previous = number
    return "rows " + ", ".join(spans)
