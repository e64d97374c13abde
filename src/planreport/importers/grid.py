"""The neutral model every reader produces: a document as paragraphs and tables of cells.

Word, Excel, CSV and PDF files all become a `Source`: blocks in reading order, each a `Para`
(text outside tables, for headings such as "Recommendation 2 - ...") or a `Table` whose
rows have one `Cell` per grid column. Merged cells are resolved here once: a cell
spanning columns or rows appears in each grid position it covers, with the same
`origin`, so later stages never see gridSpan, vMerge or Excel merged ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

# Characters Word and PDF cannot hold (the loader refuses them in plans), and invisible
# ones a writer adds to place line breaks (a zero-width space after a slash, as
# planreport's own Word papers have) or a stray byte order mark; line and page breaks
# that Excel and Word store as control characters become new lines.
_BREAKS = re.compile("[\x0b\x0c\r\u2028\u2029]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\u200b\ufeff\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0]+")
MAX_COLUMNS = 200  # far more than any plan table; a grid is never wider
MAX_CELL_CHARS = 131072  # a cell's text; a plan cell is a few paragraphs at most


def strip_control(text: str) -> str:
    """Text without characters Word and PDF cannot hold; breaks become spaces."""
    return _CONTROL.sub("", _BREAKS.sub(" ", text))


def clean(text: str) -> str:
    """Text with breaks as new lines, unusable characters removed and spaces collapsed."""
    text = _CONTROL.sub("", _BREAKS.sub("\n", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


@dataclass
class Line:
    """One paragraph (or line) of a cell: its text as Markdown and as plain words."""

    markdown: str
    plain: str
    bullet: bool = False
    tail: str | None = None  # a bold phrase ending the line, e.g. a milestone's date


@dataclass
class Cell:
    """One grid position of a table: the text of the source cell that covers it."""

    lines: list[Line] = field(default_factory=list)
    fill: str | None = None  # the cell's shading as #RRGGBB, if any
    origin: int = 0  # the same number in every grid position one source cell covers
    continued: bool = False  # covered by a cell that starts in a row above
    value_date: tuple[date, str] | None = None  # a spreadsheet date and its precision

    @property
    def plain(self) -> str:
        """The cell's words, lines joined by new lines."""
        return "\n".join(line.plain for line in self.lines if line.plain)

    @property
    def markdown(self) -> str:
        """The cell as plan text: paragraphs, bullet lists and new lines kept."""
        out: list[str] = []
        previous_bullet = False
        for line in self.lines:
            if not line.plain:
                continue
            if out and not (line.bullet and previous_bullet):
                out.append("")
            out.append(f"- {line.markdown}" if line.bullet else line.markdown)
            previous_bullet = line.bullet
        return "\n".join(out)

    @property
    def empty(self) -> bool:
        """True if the cell has no words."""
        return not self.plain.strip()


@dataclass
class Row:
    """A table row: its number in the source (1-based) and one cell per grid column."""

    number: int
    cells: list[Cell]
    hidden: str = ""  # why the source hides it ("hidden", "filtered out by ..."), if it does

    def texts(self) -> list[str]:
        """The plain text of each cell."""
        return [cell.plain for cell in self.cells]


@dataclass
class Table:
    """A table as the reader found it: its number, a name for messages, and its rows."""

    number: int
    name: str
    rows: list[Row]
    caption: str = ""
    hidden: set[int] = field(default_factory=set)  # grid columns hidden in the workbook
    notes: list[str] = field(default_factory=list)  # what the reader could not work out

    @property
    def width(self) -> int:
        """The number of grid columns."""
        return max((len(row.cells) for row in self.rows), default=0)


@dataclass
class Para:
    """A paragraph outside tables."""

    markdown: str
    plain: str
    style: str = ""
    heading: int = 0  # 0 for body text, 1 for a title or first-level heading, ...
    bullet: bool = False


Block = Para | Table


@dataclass
class Source:
    """A whole source document: its blocks in reading order, and its footnotes."""

    name: str
    kind: str  # docx | xlsx | csv | pdf
    blocks: list[Block] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # outside tables: hidden text, ...

    @property
    def tables(self) -> list[Table]:
        """The tables, in order."""
        return [block for block in self.blocks if isinstance(block, Table)]


def markdown_escape(text: str) -> str:
    """Plain text made safe as plan Markdown: emphasis, links and list markers kept literal."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*\[\]])", r"\\\1", text)
    text = re.sub(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])", r"\\_", text)
    return re.sub(r"(?m)^(\s*)(\d+)([.)])(\s)", r"\1\2\\\3\4", _escape_markers(text))


def _escape_markers(text: str) -> str:
    """Escape a leading '- ', '+ ' or '* ' that would start a list."""
    return re.sub(r"(?m)^(\s*)([-+])(\s)", r"\1\\\2\3", text)
