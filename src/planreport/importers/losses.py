"""What an import could not read: columns, rows and headings, each listed with its place.

Nothing a source holds is dropped without a word: a column no field takes, a second
column for a field that takes one, a heading between tables that is not a theme, and
(listed where they are read) rows read as the rest of the row above and leads read with
a guess. Headings written between tables, one before each table, are the plan's themes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planreport.importers import cells
from planreport.importers import vocabulary as v
from planreport.importers.grid import Row, Table
from planreport.importers.mapping import Column, TableMap

# Fields an action takes from one column only: any other column for them is not read.
_ONE_COLUMN = (v.REF, v.RECOMMENDATION, v.TIMESCALE, v.START, v.COMPLETED, v.THEME)


def columns(table: Table, found: TableMap, rows: list[Row]) -> list[str]:
    """Each column of an action table not imported or hidden, and what the reader noted."""
    lost: list[str] = []
    for column in found.columns:
        if not any(not cells.cell(row, column).empty for row in rows):
            continue
        first = found.first(column.field)
        where = f"{table.name}, {column.place}"
        if column.field == v.IGNORE and column.how != "given":
            lost.append(f"{where}: not imported; to keep it, add --map '{_name(column)}=custom'")
        elif column.field in _ONE_COLUMN and first is not None and first is not column:
            lost.append(
                f"{where}: a second {column.field} column, not imported ({first.place} is "
                f"read); to keep it, add --map '{_name(column)}=custom'"
            )
        elif column.field == v.STATUS and not column.date and _undated_before(found, column):
            lost.append(
                f"{where}: a second undated status column, not imported; say which is "
                f"which with --map '{_name(column)}=custom'"
            )
        elif column.index in table.hidden and column.field != v.IGNORE:
            lost.append(_hidden(where, column))
    return lost + table.notes


def _hidden(where: str, column: Column) -> str:
    """A hidden column read as a field: what it was read as, and how to leave it out."""
    return (
        f"{where}: hidden in the workbook, read as {column.describe()}; check it, or leave "
        f"it out with --map '{_name(column)}=ignore'"
    )


def _name(column: Column) -> str:
    """How --map names a column: its heading, or its number when it has none."""
    heading = " ".join(column.heading.split())
    return heading or str(column.index + 1)


def _undated_before(found: TableMap, column: Column) -> bool:
    """Whether an undated status column comes after another undated one."""
    return any(other.index < column.index and not other.date for other in found.of(v.STATUS))


@dataclass
class _Above:
    """An action table and the heading just above it (or the one it goes on under)."""

    table: str
    heading: str | None
    signature: tuple[str, ...]
    continued: bool
    after_actions: bool  # another action table came before it


@dataclass
class Headings:
    """Headings outside the tables: before each action table a theme, else reported.

    One table per theme, each with its heading above it and the same columns, is how
    councils write themes in Word; a heading between action tables that is not one of
    those is listed. Headings before the first action table, and above a table with its
    own caption, are the document's sections.
    """

    adjacent: str | None = None  # the heading just before this point, if any
    styled: list[str] = field(default_factory=list)  # styled headings since the last table
    tables: list[_Above] = field(default_factory=list)
    between: list[tuple[str, str]] = field(default_factory=list)  # (heading, place)

    def paragraph(self, text: str | None, styled: bool) -> None:
        """A paragraph read: a heading (text; styled or a short line) or anything else."""
        self.adjacent = text
        if text is not None and styled:
            self.styled.append(text)

    def table(self, table: Table, actions: bool, continued: bool, signature: tuple) -> None:
        """A table begins: the heading just above an action table may be its theme."""
        after = bool(self.tables)
        if table.caption.strip():  # a table its caption names: the headings are sections
            self.styled, self.adjacent = [], None
        if actions:
            heading = self.adjacent
            if heading is None and continued and self.tables:
                heading = self.tables[-1].heading
            self.tables.append(_Above(table.name, heading, signature, continued, after))
        if after and actions:
            place = f"before {table.name}"
            self.between += [(h, place) for h in self.styled if h != self.adjacent]
        self.styled, self.adjacent = [], None

    def themes(self) -> dict[str, str]:
        """Each action table's theme: its heading, when tables of the same columns each have one."""
        groups: dict[tuple, list[_Above]] = {}
        for above in self.tables:
            groups.setdefault(above.signature, []).append(above)
        found: dict[str, str] = {}
        for group in groups.values():
            own = [above for above in group if not above.continued]
            headings = {above.heading for above in own}
            if len(own) >= 2 and None not in headings and len(headings) == len(own):
                found |= {above.table: above.heading for above in group if above.heading}
        return found

    def finish(self, themes: dict[str, str], kept: set[str]) -> list[str]:
        """Headings between action tables the plan does not hold, and what to do."""
        items = list(self.between)
        for above in self.tables:
            own = above.after_actions and not above.continued and above.table not in themes
            if own and above.heading:
                items.append((above.heading, f"before {above.table}"))
        seen: dict[str, str] = {}
        for heading, place in items:
            if heading not in kept:
                seen.setdefault(heading, place)
        return [
            f"the heading '{heading}' ({place}) is not imported; if it is a theme, add "
            "theme: to its actions"
            for heading, place in seen.items()
        ]
