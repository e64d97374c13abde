"""Reading a CSV file into the neutral model: one table, no styles."""

from __future__ import annotations

import csv
import io

from .grid import Cell, Line, Row, Source, Table, clean, markdown_escape


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
    for number, values in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = []
        for value in values:
            origin += 1
            lines = [Line(markdown_escape(part), part) for part in clean(value).split("\n")]
            cells.append(Cell([line for line in lines if line.plain], origin=origin))
        if any(not cell.empty for cell in cells):
            rows.append(Row(number, cells))
            if len(rows) > max_rows + 5:
                break
    source = Source(name, "csv")
    width = max((len(row.cells) for row in rows), default=0)
    for row in rows:
        while len(row.cells) < width:
            origin += 1
            row.cells.append(Cell(origin=origin))
    if rows:
        source.blocks.append(Table(1, "the table", rows))
    return source
