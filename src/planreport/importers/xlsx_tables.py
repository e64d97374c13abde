"""Reading an Excel workbook into the neutral model: each visible sheet is one table.

openpyxl does the reading: it resolves shared strings, styles, fills and merged ranges,
which no hand-written zip and XML code should redo. Dates typed as dates keep the
precision their number format shows ('Sep-13' is a month, '18/09/2013' a day).
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from typing import Any

from ..dates import day_words, month_words
from .grid import Cell, Line, Row, Source, Table, clean, markdown_escape

_BULLET = re.compile(r"^[•·▪◦‣∙●○■□➢➤►\-–*]\s+")


def read_xlsx(data: bytes, name: str, max_rows: int) -> Source:
    """A workbook's visible sheets as tables (cell values, not formulas)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, rich_text=False)
    source = Source(name, "xlsx")
    origin = [0]
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        table = _sheet(sheet, len(source.tables) + 1, origin, max_rows)
        if table.rows:
            source.blocks.append(table)
    return source


def _sheet(sheet: Any, number: int, origin: list[int], max_rows: int) -> Table:
    """One sheet as a grid, merged ranges resolved, empty rows and columns left out."""
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for ranges in sheet.merged_cells.ranges:
        for row in range(ranges.min_row, ranges.max_row + 1):
            for column in range(ranges.min_col, ranges.max_col + 1):
                merged[(row, column)] = (ranges.min_row, ranges.min_col)
    made: dict[tuple[int, int], Cell] = {}
    rows: list[Row] = []
    for cells in sheet.iter_rows():
        if not cells:
            continue
        number_in_sheet = cells[0].row
        row_cells: list[Cell] = []
        for cell in cells:
            key = (number_in_sheet, cell.column)
            top = merged.get(key, key)
            if top in made:
                first = made[top]
                row_cells.append(
                    Cell(first.lines, first.fill, first.origin, top[0] != key[0], first.value_date)
                )
                continue
            origin[0] += 1
            made[key] = _cell(cell, origin[0])
            row_cells.append(made[key])
        if any(not c.empty for c in row_cells):
            rows.append(Row(number_in_sheet, row_cells))
            if len(rows) > max_rows + 5:
                break
    return Table(number, f"sheet '{sheet.title}'", _trim(rows), sheet.title)


def _trim(rows: list[Row]) -> list[Row]:
    """Rows without the empty columns at their right."""
    width = 0
    for row in rows:
        for index, cell in enumerate(row.cells, start=1):
            if not cell.empty:
                width = max(width, index)
    return [Row(row.number, row.cells[:width]) for row in rows]


def _cell(cell: Any, origin: int) -> Cell:
    """One spreadsheet cell: its lines, its fill and any typed date."""
    value = cell.value
    found = Cell(origin=origin, fill=_fill(cell))
    if value is None:
        return found
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        precision = _precision(cell.number_format or "")
        found.value_date = (day, precision)
        text = day_words(day) if precision == "day" else month_words(day)
        found.lines = [Line(text, text)]
        return found
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean(str(value))
    found.lines = [_line(part) for part in text.split("\n") if part.strip()]
    return found


def _line(text: str) -> Line:
    """A line of cell text, a leading bullet character making it a list item."""
    match = _BULLET.match(text)
    if match:
        text = text[match.end() :]
    return Line(markdown_escape(text), text, bool(match))


def _precision(number_format: str) -> str:
    """'day' if the number format shows the day, else 'month'."""
    shown = re.sub(r'"[^"]*"|\[[^\]]*\]', "", number_format.lower())
    return "day" if "d" in shown or shown in ("general", "") else "month"


def _fill(cell: Any) -> str | None:
    """A cell's solid fill as #RRGGBB, if it is given as a colour value."""
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    colour = fill.fgColor
    if colour is None:
        return None
    if colour.type == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) == 8:
        return f"#{colour.rgb[2:].upper()}"
    if colour.type == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        if isinstance(colour.indexed, int) and colour.indexed < len(COLOR_INDEX):
            return f"#{COLOR_INDEX[colour.indexed][2:].upper()}"
    return None
