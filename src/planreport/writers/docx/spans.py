"""Cells spanning rows (vertical merges) in Word tables; where a span too tall for a page is cut.

Word leaves a merged cell blank at the top of a page its rows continue on. A span that
fits on a page is kept on one (body.py); one too tall for a page is cut into runs of
rows, each its own merged cell kept on one page, where the pages end as laid out by
pages.py (Placer): the first run fills the rest of the page the span starts on, and each
later run starts a page, naming the cell again with "(continued)", as the PDF does.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from planreport.paper import model
from planreport.paper.model import Cell, Table
from planreport.plan.richtext import Para, Rich


@dataclass(frozen=True, slots=True)
class Tall:
    """A cell spanning rows too tall for a page: its first row, how many it spans, its height."""

    at: int  # the index of its first row in the table's rows
    rows: int
    own: float  # the cell's own height, in points


@dataclass(frozen=True, slots=True)
class Recut:
    """A table written before its pages were laid out, to write again with its tall spans cut."""

    index: int  # where in the body's blocks its XML is
    block: Table
    lead: float  # the height of what is kept with it above, in points
    spans: tuple[Tall, ...]


def place(
    cells: list[Cell], columns: int, spanning: dict[int, int]
) -> list[tuple[Cell, str | None]]:
    """Each column's cell in a row, with its vertical merge ("restart", "continue" or None).

    A cell with rowspan > 1 restarts a merge in its column, and the rows below continue
    it there; the row's own cells fill the other columns in order, whatever the spanning
    column's position. spanning counts, per column, the rows still covered by a cell
    above; it is updated.
    """
    placed: list[tuple[Cell, str | None]] = []
    source = iter(cells)
    for index in range(columns):
        if spanning.get(index, 0) > 0:
            spanning[index] -= 1
            placed.append((Cell(), "continue"))
            continue
        cell = next(source, None) or Cell()
        if cell.rowspan > 1:
            spanning[index] = cell.rowspan - 1
            placed.append((cell, "restart"))
        else:
            placed.append((cell, None))
    return placed


def again(cell: Cell, rowspan: int) -> Cell:
    """A cut span's cell over a later run of its rows, at a page's top: as the PDF's, in italics.

    Its first words and "(continued)" (paper.model.continued_cell).
    """
    label = model.continued_cell(cell, rowspan)
    shown = label.content.blocks[0]
    runs = shown.runs if isinstance(shown, Para) else ()
    italic = Para(tuple(replace(run, italic=True) for run in runs))
    return replace(label, content=Rich((italic,)))
