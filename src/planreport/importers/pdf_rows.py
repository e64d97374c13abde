"""A PDF table's rows where a page break cuts it: merged cells going on, rows cut in two.

A table printed over several pages goes on at the top of each: a cell merged down its rows
(a recommendation beside its actions) goes on as a blank cell, and a row the page break
cut shows the rest of its words under empty cells. pdf_tables joins the pages' pieces
with these.
"""

from __future__ import annotations

import re

from planreport.importers.grid import Cell

# A ref at the start of a cell: "2.1", "R3", "(4)", "7a." (a row's own, not a cut row's rest)
_REF = re.compile(r"^\(?[A-Za-z]{0,3}\d+(?:[.-]\d+)*[a-z]?[.)]?(?:\s|$)")


def continued(cell: Cell) -> Cell:
    """A grid position covered by a cell that starts in a row above."""
    return Cell(cell.lines, cell.fill, 0, True)


def go_on_merged(last: list[Cell], rows: list[list[Cell]], merged: set[int]) -> None:
    """An empty cell at the top of a page under a cell merged down is that cell going on.

    Merged down: over more rows on this page, or from rows above on the last; or, in a
    column with cells merged down earlier in the table, above a row with a ref of its own
    (a recommendation beside its second action, which starts the page).
    """
    new = _own_ref(last, rows[0])
    for c, top in enumerate(rows[0]):
        spans = len(rows) > 1 and rows[1][c].lines is top.lines
        if not top.empty or not (spans or last[c].continued or (new and c in merged)):
            continue
        for row in rows:
            if row[c].lines is top.lines:
                row[c] = continued(last[c])


def split_row(last: list[Cell], first: list[Cell]) -> bool:
    """Whether a row at the top of a page is the rest of the row the page break cut.

    Its first column with words on the page before (the ref, mostly) is empty here, and
    no column has a ref of its own where the row before has one ("2.2" under "2.1").
    """
    if _own_ref(last, first):
        return False
    for before, after in zip(last, first, strict=True):
        if before.continued or after.continued:
            continue
        return not before.empty and after.empty
    return False


def _own_ref(last: list[Cell], first: list[Cell]) -> bool:
    """Whether a row starts with a ref of its own in a column where the row before has one."""
    return any(
        _REF.match(a.plain) and _REF.match(b.plain)
        for a, b in zip(last, first, strict=True)
        if not (a.continued or b.continued)
    )


def both(before: Cell, after: Cell) -> Cell:
    """A cell cut by a page break, its two parts put together."""
    if after.continued or after.empty:
        return before
    if before.continued:
        return after
    return Cell(before.lines + after.lines, before.fill or after.fill)
