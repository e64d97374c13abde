"""Reading an Excel workbook into the neutral model: each visible sheet is one table.

openpyxl does the reading: it resolves shared strings, styles, fills and merged ranges,
which no hand-written zip and XML code should redo. Dates typed as dates keep the
precision their number format shows ('Sep-13' is a month, '18/09/2013' a day).
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from typing import Any

from planreport.importers import hidden
from planreport.importers.errors import ImportFailed
from planreport.importers.grid import (
    MAX_COLUMNS,
    Cell,
    Line,
    Row,
    Source,
    Table,
    clean,
    markdown_escape,
)
from planreport.importers.xlsx_formats import (
    ConditionalFills,
    colour_hex,
    hidden_columns,
    hidden_rows,
)
from planreport.plan.dates import day_words, month_words

_MERGE = re.compile(r'<(?:\w+:)?mergeCell\b[^>]*?\bref="([^"]+)"')
_MAX_MERGED = 1_000_000  # grid positions all merged ranges may cover (openpyxl makes each)
_BULLET = re.compile(r"^[•·▪◦‣∙●○■□➢➤►\-–*]\s+")


def read_xlsx(data: bytes, name: str, max_rows: int, keep_hidden: bool = True) -> Source:
    """A workbook's visible sheets as tables (values, not formulas), hidden rows kept or not."""
    import openpyxl

    _check_merges(data, name)
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True, rich_text=False)
    source = Source(name, "xlsx")
    origin = [0]
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        table = _sheet(sheet, len(source.tables) + 1, origin, max_rows, name, keep_hidden)
        if table.rows:
            source.blocks.append(table)
    return source


def _check_merges(data: bytes, name: str) -> None:
    """Refuse merged ranges covering far more cells than any plan, before openpyxl makes them."""
    from openpyxl.utils.cell import range_boundaries

    covered = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.namelist():
            if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                continue
            for ref in _MERGE.findall(archive.read(part).decode("utf-8", "replace")):
                try:
                    left, top, right, bottom = range_boundaries(ref)
                    covered += (abs(right - left) + 1) * (abs(bottom - top) + 1)
                except (ValueError, TypeError):
                    continue  # openpyxl reports a damaged range itself
                if covered > _MAX_MERGED:
                    raise ImportFailed(
                        f"{name}: the merged cells {ref} ({part}) take the workbook past "
                        f"{_MAX_MERGED:,} merged cells, far more than any plan. Unmerge them, "
                        "then import the workbook again."
                    )


def _sheet(
    sheet: Any, number: int, origin: list[int], max_rows: int, name: str, keep_hidden: bool
) -> Table:
    """One sheet as a grid of the cells it holds, merged ranges resolved, empty edges left out."""
    held: dict[tuple[int, int], Any] = sheet._cells  # only cells the file holds, never its
    width = _width(sheet, held, name)  # declared dimension: a 5 KB file may claim 16,384 columns
    last = max((row for row, _column in held), default=0)
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    for ranges in sheet.merged_cells.ranges:
        for row in range(ranges.min_row, min(ranges.max_row, last) + 1):
            for column in range(ranges.min_col, min(ranges.max_col, width) + 1):
                merged[(row, column)] = (ranges.min_row, ranges.min_col)
    formats = ConditionalFills(sheet, last, width)
    hidden_at = hidden_rows(sheet)
    made: dict[tuple[int, int], Cell] = {}
    rows: list[Row] = []
    for number_in_sheet in sorted({row for row, _column in held}):
        row_cells: list[Cell] = []
        for column in range(1, width + 1):
            key = (number_in_sheet, column)
            top = merged.get(key, key)
            if top in made:
                first = made[top]
                row_cells.append(
                    Cell(first.lines, first.fill, first.origin, top[0] != key[0], first.value_date)
                )
                continue
            origin[0] += 1
            cell = held.get(key)
            made[key] = Cell(origin=origin[0]) if cell is None else _cell(cell, origin[0], formats)
            row_cells.append(made[key])
        if any(not c.empty for c in row_cells):
            rows.append(Row(number_in_sheet, row_cells, hidden_at.get(number_in_sheet, "")))
            if len(rows) > max_rows + 5:
                break
    table = Table(number, f"sheet '{sheet.title}'", _trim(rows), sheet.title)
    table.hidden = hidden_columns(sheet, table.width)
    table.notes = _unread(table.name, formats)
    return hidden.rows(table, keep_hidden)


def _unread(where: str, formats: ConditionalFills) -> list[str]:
    """The conditional formats planreport could not work out, as report lines."""
    listed, more = formats.unread()
    notes = [
        f"{where}, cells {ranges}: coloured by a conditional format ({kind}) planreport "
        "cannot work out; their RAG was read from their words and own fill; check it"
        for ranges, kind in listed
    ]
    if more:
        notes.append(
            f"{where}: {more:,} more conditional formats not worked out; their cells' RAG "
            "was read from their words and own fill; check them"
        )
    return notes


def _width(sheet: Any, held: dict[tuple[int, int], Any], name: str) -> int:
    """The sheet's last column with words (or merged from words); ImportFailed past the limit."""
    width, where = 0, ""
    spans = {(r.min_row, r.min_col): r.max_col for r in sheet.merged_cells.ranges}
    for (row, column), cell in held.items():
        if cell.value is None or not str(cell.value).strip():
            continue
        right = max(column, spans.get((row, column), column))
        if right > width:
            width, where = right, cell.coordinate
    if width > MAX_COLUMNS:
        raise ImportFailed(
            f"{name}: sheet '{sheet.title}', cell {where}: the sheet's words reach column "
            f"{width:,}; a plan table has at most {MAX_COLUMNS} columns. Delete the far "
            "columns, then import the workbook again."
        )
    return width


def _trim(rows: list[Row]) -> list[Row]:
    """Rows without the empty columns at their right."""
    width = 0
    for row in rows:
        for index, cell in enumerate(row.cells, start=1):
            if not cell.empty:
                width = max(width, index)
    return [Row(row.number, row.cells[:width], row.hidden) for row in rows]


def _cell(cell: Any, origin: int, formats: ConditionalFills) -> Cell:
    """One spreadsheet cell: its lines, its fill (a conditional format's first) and any date."""
    found = _value(cell, origin)
    shown = formats.fill(cell.row, cell.column, found.plain)
    found.fill = shown or _fill(cell)
    return found


def _value(cell: Any, origin: int) -> Cell:
    """One spreadsheet cell's lines and any typed date."""
    value = cell.value
    found = Cell(origin=origin)
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
    return colour_hex(fill.fgColor)
