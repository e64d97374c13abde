"""Table rows taller than a page, and cells spanning rows over pages, cut at the breaks.

Rows are kept whole on a page (`tr { break-inside: avoid }` in paper.css). A row taller
than a page cannot be: after laying out, each row that still crosses a page break is
cut, in a copy of the paper, into rows that fit, and the paper is laid out again. A cell
spanning rows is cut before every row that starts a later page, all in one pass, each
piece after the first naming it with "(continued)". Both are linear in the rows.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from planreport.paper import model
from planreport.paper.model import Paper
from planreport.writers.pdf import fixes as weasyprint_fixes

PIECE = 0.7  # a continuation piece's height, as a share of the page's


@dataclass
class Breaks:
    """What a layout's page breaks did to the paper's tables, by block index.

    tall: rows laid out across a page break (row index -> its height in pages): a row
    crosses only if it is taller than a page, as paper.css keeps rows whole.
    spans: cells spanning rows that page breaks divide, as (row of the cell, its place
    in that row, the first row of each later page it runs onto).
    """

    tall: dict[int, dict[int, float]] = field(default_factory=dict)
    spans: dict[int, list[tuple[int, int, list[int]]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Whether the paper needs changing."""
        return bool(self.tall or self.spans)


def page_breaks(document: Any) -> Breaks:
    """The rows and spanning cells of the laid-out document that page breaks divide."""
    from weasyprint.formatting_structure import boxes

    heights: dict[int, float] = {}
    pages: dict[int, int] = {}
    crossing: dict[int, tuple[Any, Any]] = {}
    spanning: list[tuple[Any, Any, Any]] = []  # (table, row, cell) elements
    page_height = 1.0
    for number, page in enumerate(document.pages):
        box = page._page_box
        page_height = max(page_height, box.height)
        for table, _ in weasyprint_fixes.tables(box, boxes):
            for group in table.children:
                if getattr(group, "is_header", False) or getattr(group, "is_footer", False):
                    continue
                for row in group.children:
                    key = id(row.element)
                    if key in pages and pages[key] != number:
                        crossing[key] = (table.element, row.element)
                    if key not in pages:
                        pages[key] = number
                        spanning += [
                            (table.element, row.element, cell.element)
                            for cell in row.children
                            if cell.rowspan > 1 and cell.element is not None
                        ]
                    heights[key] = heights.get(key, 0.0) + row.height
    found = Breaks()
    bodies: dict[int, list[Any]] = {}  # table -> its body rows
    positions: dict[int, dict[int, int]] = {}

    def place(table: Any, row: Any) -> tuple[int, int] | None:
        """The table's block index and the row's index among its body rows."""
        block = table.get("data-block")
        if block is None or not block.isdigit():
            return None
        if id(table) not in bodies:
            rows = [tr for g in table if _tag(g) == "tbody" for tr in g if _tag(tr) == "tr"]
            bodies[id(table)] = rows
            positions[id(table)] = {id(tr): i for i, tr in enumerate(rows)}
        index = positions[id(table)].get(id(row))
        return None if index is None else (int(block), index)

    for key, (table, row) in crossing.items():
        where = place(table, row)
        if where:
            found.tall.setdefault(where[0], {})[where[1]] = heights[key] / page_height
    for table, row, cell in spanning:
        where = place(table, row)
        if not where:
            continue
        block, first = where
        rows = bodies[id(table)]
        last = min(first + int(cell.get("rowspan", "1")), len(rows))
        moved = [
            i
            for i in range(first + 1, last)
            if pages.get(id(rows[i])) != pages.get(id(rows[i - 1]))
        ]
        if moved and first not in found.tall.get(block, {}):
            cells = [c for c in row if _tag(c) in ("td", "th")]
            place_in_row = next(i for i, c in enumerate(cells) if c is cell)
            found.spans.setdefault(block, []).append((first, place_in_row, moved))
    return found


def _tag(element: Any) -> str:
    """An element's tag without its namespace."""
    return str(element.tag).rpartition("}")[2]


def cut_rows(paper: Paper, breaks: Breaks) -> Paper:
    """A copy of the paper whose tables fit their pages: spans continued, tall rows cut."""
    blocks = list(paper.blocks)
    for index in sorted({*breaks.tall, *breaks.spans}):
        table = blocks[index]
        if not isinstance(table, model.Table):
            continue
        if index in breaks.spans:
            table = continue_spans(table, breaks.spans[index])
        if index in breaks.tall:
            table = cut_table_rows(table, breaks.tall[index])
        blocks[index] = table
    return dataclasses.replace(paper, blocks=blocks)


def continue_span(table: model.Table, first: int, place: int, moved: int) -> model.Table:
    """The table with the cell spanning from row first cut before row moved (continue_spans)."""
    return continue_spans(table, [(first, place, [moved])])


def continue_spans(table: model.Table, cuts: list[tuple[int, int, list[int]]]) -> model.Table:
    """The table with each spanning cell cut before every row that starts a later page.

    cuts: (row of the cell, its place in that row, the rows it is cut before). Each row
    cut before gets a cell of its own in the cell's column, saying its first line and
    "(continued)", so that a theme is named on every page. One pass over the rows,
    however many cuts.
    """
    rows = [dataclasses.replace(r, cells=list(r.cells)) for r in table.rows]
    columns = _columns(rows)
    added: dict[int, list[tuple[int, model.Cell]]] = {}  # row -> (grid column, new cell)
    for first, place, moved in cuts:
        cell = rows[first].cells[place]
        ends = [*sorted(moved), first + cell.rowspan]
        rows[first].cells[place] = dataclasses.replace(cell, rowspan=ends[0] - first)
        for start, end in itertools.pairwise(ends):
            added.setdefault(start, []).append(
                (columns[first][place], model.continued_cell(cell, end - start))
            )
    for r, new in added.items():
        placed = [*zip(columns[r], rows[r].cells, strict=True), *new]
        rows[r].cells = [c for _, c in sorted(placed, key=lambda pair: pair[0])]
    return dataclasses.replace(table, rows=rows)


def _columns(rows: list[model.Row]) -> list[list[int]]:
    """For each row, the grid column each of its cells starts in (spans from above skipped)."""
    taken: set[tuple[int, int]] = set()
    out: list[list[int]] = []
    for r, row in enumerate(rows):
        c = 0
        mine = []
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            mine.append(c)
            taken.update((r + i, c) for i in range(cell.rowspan))
            c += 1 if not row.group else 1_000
        out.append(mine)
    return out


def cut_table_rows(table: model.Table, tall: dict[int, float]) -> model.Table:
    """The table with each row in tall (index -> its height in pages) cut into pieces."""
    rows = list(table.rows)
    out: list[model.Row] = []
    grown: dict[int, int] = {}  # id of a spanning cell -> rows added under it
    spans: list[tuple[int, model.Cell]] = []  # (last row index covered, cell)
    for i, row in enumerate(rows):
        spans = [(last, c) for last, c in spans if last >= i]
        for cell in row.cells:
            if cell.rowspan > 1:
                spans.append((i + cell.rowspan - 1, cell))
        if i not in tall:
            out.append(row)
            continue
        pieces = model.continue_row(row, math.ceil(tall[i] / PIECE))
        out += pieces
        for _, cell in spans:
            grown[id(cell)] = grown.get(id(cell), 0) + len(pieces) - 1
    if grown:
        out = [
            dataclasses.replace(
                r,
                cells=[
                    dataclasses.replace(c, rowspan=c.rowspan + grown[id(c)])
                    if id(c) in grown
                    else c
                    for c in r.cells
                ],
            )
            for r in out
        ]
    return dataclasses.replace(table, rows=out)
