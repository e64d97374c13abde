"""The paper model: one committee paper as headings, text and tables.

Every output format (HTML, PDF, Word) writes this same model, so they show the same
sections, tables, rows and text in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .richtext import Rich


@dataclass(frozen=True)
class Swatch:
    """A status shown as colour and word."""

    label: str
    colour: str | None
    meaning: str | None = None

    @property
    def ink(self) -> str:
        """The text colour that reads best on this status's colour."""
        return contrast(self.colour)


def contrast(colour: str | None) -> str:
    """Black or white ('#000000' or '#FFFFFF'), whichever reads better on colour."""
    if not colour:
        return "#000000"
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.45 else "#FFFFFF"


@dataclass
class Cell:
    """One table cell: rich text, a status, or page references."""

    content: Rich = field(default_factory=Rich)
    status: Swatch | None = None
    pagerefs: tuple[str, ...] = ()
    rowspan: int = 1
    row_header: bool = False


@dataclass
class Row:
    """A table row; a group row is a heading spanning every column."""

    cells: list[Cell]
    group: bool = False


@dataclass(frozen=True)
class Column:
    """A column: its heading and its share of the table width in percent."""

    heading: str
    width: float


@dataclass
class Table:
    """A table with a caption, header row and body rows."""

    caption: str
    columns: list[Column]
    rows: list[Row]


@dataclass
class Heading:
    """A heading; anchor names it as a target for page references."""

    level: int
    text: str
    anchor: str | None = None


@dataclass
class Text:
    """Rich text, in a named style (body, lead, small)."""

    rich: Rich
    style: str = "body"


@dataclass
class Notes:
    """Numbered notes (footnotes) at the end of a plan."""

    title: str
    notes: list[tuple[str, Rich]]


@dataclass
class Bar:
    """One bar of a chart: a label and counts, each with its status colour and word."""

    label: str
    segments: list[tuple[int, Swatch]]


@dataclass
class Chart:
    """A stacked bar chart; description is its full text alternative."""

    title: str
    bars: list[Bar]
    description: str

    @property
    def scale(self) -> int:
        """The largest bar's total, which spans the full width."""
        return max((sum(n for n, _ in bar.segments) for bar in self.bars), default=0) or 1


Block = Heading | Text | Table | Notes | Chart


@dataclass
class Paper:
    """A whole paper, ready for any writer."""

    id: str
    title: str
    subtitle: str | None
    running_header: str
    lines: list[str]  # title-page lines: committee, meeting date, as-at date, appendix
    author: str | None
    language: str
    landscape: bool
    blocks: list[Block]
    keywords: list[str] = field(default_factory=list)
