"""Reading a CSV file into the neutral model: one table, no styles."""

from __future__ import annotations

import csv
import io
import sys

from planreport.importers.errors import ImportFailed
from planreport.importers.grid import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    Cell,
    Line,
    Row,
    Source,
    Table,
    clean,
    markdown_escape,
)


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data: bytes, name: str, max_rows: int) -> Source:
    """A CSV file as one table, its delimiter sniffed (comma, semicolon or tab)."""
    text = decode(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:20000], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    rows: list[Row] = []
    origin = 0
    limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, max(limit, len(text) + 1)))  # cells checked below
    try:
        reader = csv.reader(io.StringIO(text), dialect)
        for number, values in enumerate(reader, start=1):
            values = _within(values, name, number)
            cells = []
            for value in values:
                origin += 1
                lines = [Line(markdown_escape(part), part) for part in clean(value).split("\n")]
                cells.append(Cell([line for line in lines if line.plain], origin=origin))
            if any(not cell.empty for cell in cells):
                rows.append(Row(number, cells))
                if len(rows) > max_rows + 5:
                    break
    except csv.Error as exc:
        raise ImportFailed(
            f"{name}: line {reader.line_num}: this is not readable CSV ({exc}). Open it in "
            "Excel and save it as CSV again, then import that copy."
        ) from None
    finally:
        csv.field_size_limit(limit)
    source = Source(name, "csv")
    width = max((len(row.cells) for row in rows), default=0)
    for row in rows:
        while len(row.cells) < width:
            origin += 1
            row.cells.append(Cell(origin=origin))
    for row in rows:
        if _spans_the_row(row):
            row.cells = [Cell(row.cells[0].lines, origin=row.cells[0].origin) for _ in row.cells]
    if rows:
        source.blocks.append(Table(1, "the table", rows))
    return source


def _spans_the_row(row: Row) -> bool:
    """Whether a row is a cell merged across the table, as CSV keeps it: the first cell only.

    A theme or group row ('Theme 2: Early help',,,) is written so; words going on from
    the row above (lower case) are not.
    """
    first = row.cells[0].plain if row.cells else ""
    return (
        len(row.cells) > 1
        and bool(first)
        and (first[0].isupper() or first[0].isdigit())
        and all(cell.empty for cell in row.cells[1:])
    )


def _within(values: list[str], name: str, number: int) -> list[str]:
    """A row's fields without empty ones at its end; ImportFailed if a field or row is huge."""
    while values and not values[-1].strip():
        values.pop()
    if len(values) > MAX_COLUMNS:
        raise ImportFailed(
            f"{name}: row {number} has {len(values):,} columns; a plan table has at most "
            f"{MAX_COLUMNS}. Check the file is the plan, saved as CSV, then import that."
        )
    for column, value in enumerate(values, start=1):
        if len(value) > MAX_CELL_CHARS:
            raise ImportFailed(
                f"{name}: row {number}, column {column}: this cell holds {len(value):,} "
                f"characters, more than the {MAX_CELL_CHARS:,} a plan cell may. Shorten it, "
                "then import the file again."
            )
    return values
