"""The paper model: one committee paper as headings, text and tables.

Every output format (HTML, PDF, Word) writes this same model, so they show the same
sections, tables, rows and text in the same order.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from planreport.plan.richtext import Bullets, Para, Rich, Run

DEFAULT_FONT = "Liberation Sans"  # shipped with planreport (SIL Open Font License 1.1)
WORD_FONT = "Arial"  # what council PCs have; Liberation Sans has its metrics
BLACK, WHITE = "#000000", "#FFFFFF"
MIN_CONTRAST = 4.5  # WCAG 2 AA, for normal-size text


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
    """Black or white ('#000000' or '#FFFFFF'): whichever has the higher contrast ratio on colour.

    Chosen by the WCAG contrast ratio itself, not a brightness threshold: white on
    #FF0000 is 4.0:1, black 5.25:1, so red takes black. Every colour reaches at least
    4.58:1 with one of the two (the worst is about #4B7D87), above WCAG AA's 4.5:1.
    """
    if not colour:
        return BLACK
    on_black = ratio(colour, BLACK)
    on_white = ratio(colour, WHITE)
    return BLACK if on_black >= on_white else WHITE


def luminance(colour: str) -> float:
    """The WCAG 2 relative luminance of '#RRGGBB'."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 to 21."""
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


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
    """A table row; a group row is one cell spanning every column.

    A group row heads the rows after it (a theme, a recommendation) unless header is
    False (a closing text in the table's last row).
    """

    cells: list[Cell]
    group: bool = False
    header: bool = True


@dataclass(frozen=True)
class Column:
    """A column: its heading, an optional sub-heading under it, and its share of the width.

    When any column of a table has a sub-heading, the table has two header rows: the
    headings, then the sub-headings ("Lead" over "Who is responsible?").
    """

    heading: str
    width: float
    subheading: str = ""


@dataclass
class Table:
    """A table with a caption, header row (two if a column has a sub-heading) and body rows."""

    caption: str
    columns: list[Column]
    rows: list[Row]
    whole: bool = False  # kept on one page when it fits there: a table read as a whole

    @property
    def subheadings(self) -> bool:
        """Whether the table has a second header row of sub-headings."""
        return any(c.subheading for c in self.columns)


@dataclass
class Heading:
    """A heading; anchor names it as a target for page references; new_page breaks before it."""

    level: int
    text: str
    anchor: str | None = None
    new_page: bool = False


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
    label_heading: str = "Group"  # what the bars' labels are: "Theme", "Recommendation"

    @property
    def scale(self) -> int:
        """The largest bar's total, which spans the full width."""
        return max((sum(n for n, _ in bar.segments) for bar in self.bars), default=0) or 1


Block = Heading | Text | Table | Notes | Chart
# Each kind of block by the name templates test it by (paper.html.j2: kind(block)).
KINDS: dict[type, str] = {
    Heading: "heading",
    Text: "text",
    Table: "table",
    Notes: "notes",
    Chart: "chart",
}
UNKNOWN_BLOCK = "unknown-block"  # the rule id of the warning that a block was left out


def kind(block: object) -> str | None:
    """A block's kind, by its class or the nearest it derives from; None for an unknown one."""
    return next((KINDS[c] for c in type(block).__mro__ if c in KINDS), None)


def unwritten(block: object, file: str) -> str:
    """The warning that file leaves out a block of a kind its writer does not know."""
    return (
        f"{file}: warning: [{UNKNOWN_BLOCK}] this paper has a block of a kind planreport "
        f"cannot write ({type(block).__name__}), so it is left out. This is a planreport bug: "
        "please report it."
    )


NOT_FOR_PUBLICATION = "Not for publication"


@dataclass
class Cover:
    """The cover report before the appendices: a header table, then its sections' blocks.

    separate asks for the cover and the appendix as two files; source is the text's file,
    where a warning about the report (its length) points.
    """

    title: str
    header: list[tuple[str, Rich]]
    blocks: list[Block]
    appendix: str  # the appendix label and title the cover lists ("Appendix 1 – …")
    council: str | None = None  # above the title: the councils whose plans it reports on
    source: str = ""
    separate: bool = False
    page_limit: int | None = None


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
    font: str = DEFAULT_FONT  # the font family the PDF embeds and the HTML names
    word_font: str = WORD_FONT  # the font Word files name: the council's (the layout's font)
    table_size: float | None = None  # tables' type size in points; None: the default (10 pt)
    cover: Cover | None = None  # the cover report, written before the blocks (the appendix)
    marking: str | None = None  # on every page: "Not for publication …" for an exempt report


def parts(paper: Paper, suffix: str) -> list[Paper]:
    """The files a paper is built as: itself, or its cover (id + suffix) and appendix apart."""
    if paper.cover is None or not paper.cover.separate:
        return [paper]
    cover = dataclasses.replace(
        paper, id=paper.id + suffix, blocks=[], landscape=False, title=paper.cover.title
    )
    return [cover, dataclasses.replace(paper, cover=None)]


CONTINUED = "(continued)"
CONTINUED_WORDS = 12  # words of a spanning cell repeated where it continues


def continued_cell(cell: Cell, rowspan: int = 1) -> Cell:
    """A cell spanning rows, continued on a new page: its first words and "(continued)".

    So that a theme is named at the top of every page its rows are on; a continuation
    of a continuation says the same.
    """
    lead = next((b for b in cell.content.blocks if isinstance(b, Para)), Para(()))
    said = Run(f" {CONTINUED}", italic=True)
    if lead.runs[-1:] == (said,):
        label = Rich((lead,))
    else:
        words = lead.plain(notes=False).split()
        shown = " ".join(words[:CONTINUED_WORDS]) + ("…" if len(words) > CONTINUED_WORDS else "")
        label = Rich((Para((Run(shown), said)),))
    return Cell(label, cell.status, (), rowspan, cell.row_header)


def continue_row(row: Row, pieces: int) -> list[Row]:
    """A row too tall for a page cut into about `pieces` rows, each after the first continued.

    Each cell's text is shared out in order, a paragraph (or list item) at a time, a
    paragraph longer than a share cut between words. Every continuation row repeats the
    row's ref (its row-header cell) and its status, and says "(continued)" in its first
    cell of text; page references and spanning cells stay in the first row.
    """
    pieces = max(2, pieces)
    shares = [_share(cell, pieces) for cell in row.cells]
    count = max(len(s) for s in shares) if shares else 1
    if count < 2:
        return [row]
    header = next((i for i, c in enumerate(row.cells) if c.row_header), None)
    marked = next(
        (
            i
            for i, c in enumerate(row.cells)
            if i != header and not c.status and not c.pagerefs and c.rowspan == 1
        ),
        0,
    )
    out: list[Row] = []
    for n in range(count):
        cells = []
        for index, (cell, share) in enumerate(zip(row.cells, shares, strict=True)):
            content = share[n] if n < len(share) else Rich()
            if n == 0:
                cells.append(dataclasses.replace(cell, content=content))
                continue
            if cell.rowspan > 1:
                continue  # it spans the continuation rows already (the caller grows it)
            if index == header:
                content = cell.content  # the ref, again
            elif index == marked:
                content = Rich((Para((Run(CONTINUED, italic=True),)), *content.blocks))
            cells.append(Cell(content=content, status=cell.status, row_header=cell.row_header))
        out.append(Row(cells, row.group, row.header))
    return out


def _share(cell: Cell, pieces: int) -> list[Rich]:
    """A cell's text cut into at most about `pieces` parts of similar length."""
    if cell.row_header or cell.status or cell.pagerefs or cell.rowspan > 1:
        return [cell.content]
    units: list[Para | Bullets] = []
    for block in cell.content.blocks:
        if isinstance(block, Para):
            units += _cut_para(block, 1)
        else:
            units += [Bullets((item,)) for item in block.items]
    total = sum(_length(u) for u in units)
    budget = max(1, math.ceil(total / pieces))
    cut: list[Para | Bullets] = []
    for unit in units:
        cut += _cut_para(unit, budget) if isinstance(unit, Para) else [unit]
    parts: list[list[Para | Bullets]] = [[]]
    size = 0
    for unit in cut:
        length = _length(unit)
        if parts[-1] and size + length > budget:
            parts.append([])
            size = 0
        parts[-1].append(unit)
        size += length
    return [Rich(tuple(_join_bullets(p))) for p in parts]


def _length(block: Para | Bullets) -> int:
    """Characters in a block (a rough measure of its height)."""
    if isinstance(block, Para):
        return len(block.plain()) + 40  # a paragraph's spacing is worth about half a line
    return sum(len(p.plain()) + 40 for item in block.items for p in item)


def _cut_para(para: Para, budget: int) -> list[Para]:
    """A paragraph cut between words into paragraphs of at most about budget characters."""
    if len(para.plain()) <= budget or budget <= 1:
        return [para]
    out: list[list[Run]] = [[]]
    size = 0
    for run in para.runs:
        words = run.text.split(" ") if not run.note else [run.text]
        for i, word in enumerate(words):
            text = word if i == len(words) - 1 else word + " "
            if out[-1] and size + len(text) > budget:
                out.append([])
                size = 0
            out[-1].append(dataclasses.replace(run, text=text))
            size += len(text)
    return [Para(tuple(runs)) for runs in out if runs]


def _join_bullets(blocks: list[Para | Bullets]) -> list[Para | Bullets]:
    """Adjacent one-item bullet lists joined back into one list."""
    out: list[Para | Bullets] = []
    for block in blocks:
        if isinstance(block, Bullets) and out and isinstance(out[-1], Bullets):
            out[-1] = Bullets(out[-1].items + block.items)
        else:
            out.append(block)
    return out
