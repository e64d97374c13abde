"""The page each bookmarked heading of a Word body falls on, estimated by laying it out.

Word and LibreOffice work out a PAGEREF field's page as they lay the document out; the
field's cached result is what Word shows until it updates fields, and all a reader who
declines to update them sees. This estimates that page: the body's paragraphs and table
rows are measured as the row-height estimator measures cells (rows.Heights: line breaks
with Liberation Sans's advance widths, the styles' sizes and spacing) and put on pages as
Word puts them: a paragraph kept with the next moves with it, a row that cannot split
moves whole, a table's header rows repeat on each page, and page breaks and sections
start new pages. The same layout says where a cell spanning rows too tall for a page is
cut into runs, one to a page (Placer; body.py writes the cut, spans.py names it again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planreport.writers.docx.styles import STYLES, metrics, style_chain

if TYPE_CHECKING:
    import docx
    from lxml import etree

    from planreport.writers.docx.rows import Heights

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OFF = ("0", "false", "off")
_PPR, _PSTYLE, _IND, _SPACING = (f"{W}{tag}" for tag in ("pPr", "pStyle", "ind", "spacing"))
_R, _T, _BR, _BOLD, _VAL = f"{W}r", f"{W}t", f"{W}br", f"{W}rPr/{W}b", f"{W}val"


@dataclass(slots=True)
class Piece:
    """A paragraph or table row as placed on a page: heights in points."""

    height: float
    keep: bool = False  # kept on the page of the piece after it
    split: bool = False  # may be split over pages (a row without cantSplit, a paragraph)
    line: float = 0.0  # the least part of it that starts a page (its first line)
    header: float = 0.0  # a row's repeated header rows, above it on each page it goes on to
    page_break: bool = False  # starts a new page
    marks: list[str] = field(default_factory=list)  # bookmarks it holds
    section: float | None = None  # after it, a new section whose pages hold this much
    span: int = 0  # the rows of a merged cell too tall for a page starting in this row
    own: float = 0.0  # that cell's own height


@dataclass(slots=True)
class Page:
    """A section's text area, in points."""

    width: float
    height: float


class Layout:
    """Measures a Word body's paragraphs and rows for the page estimate."""

    def __init__(self, document: docx.document.Document, heights: Heights) -> None:
        self.document = document
        self.heights = heights
        self.names = {s.style_id: s.name for s in document.styles}
        self.table = style_chain(document, STYLES["table"])
        self.known: dict[tuple[str, bool], tuple[float, bool, float, float, float]] = {}
        self.width = 0.0  # the text's width on the page being laid out
        self.tables: list[int] = []  # per table, in order: the index of its first body row's piece

    def metrics(self, style: str, in_table: bool) -> tuple[float, bool, float, float, float]:
        """A paragraph style's size, bold, line height, spacing and indent (remembered)."""
        key = (style, in_table)
        if key not in self.known:
            name = self.names.get(style, STYLES["body"])
            self.known[key] = metrics(self.document, name, self.table if in_table else [])
        return self.known[key]

    def para(self, p: etree._Element, room: float, in_table: bool) -> tuple[float, float]:
        """A paragraph's height and its first line's, in points, room points wide."""
        style, ind, spacing = "", None, None
        props = p.find(_PPR)
        for child in props if props is not None else ():
            if child.tag == _PSTYLE:
                style = child.get(_VAL) or ""
            elif child.tag == _IND:
                ind = child.get(f"{W}left")
            elif child.tag == _SPACING:
                spacing = child
        size, bold, line, space, indent = self.metrics(style, in_table)
        if ind is not None and ind.isdigit():
            indent = int(ind) / 20
        if spacing is not None and spacing.get(f"{W}after") is not None:
            space = (int(spacing.get(f"{W}after")) + int(spacing.get(f"{W}before") or 0)) / 20
        limit = max(1.0, (room - indent) * 1000 / size)
        lines, words = 0, []
        for run in p.iter(_R):
            heavy = bold or _on(run.find(_BOLD))
            for part in run:
                if part.tag == _T:
                    words += self.heights.widths((part.text or "").split(), heavy)
                elif part.tag == _BR:
                    lines += self.heights.lines(words, limit)
                    words = []
        lines += self.heights.lines(words, limit) if words or not lines else 0
        return lines * line + space, line + space

    def cell(self, tc: etree._Element) -> float:
        """A table cell's height: its margins and paragraphs."""
        top, bottom, left, right = self.heights.margins
        width = tc.find(f"{W}tcPr/{W}tcW")
        room = int(width.get(f"{W}w")) / 20 if width is not None else self.width
        return (
            top + bottom + sum(self.para(p, room - left - right, True)[0] for p in tc.iter(f"{W}p"))
        )

    def pieces(self, body: etree._Element, pages: tuple[Page, Page]) -> list[Piece]:
        """The body's paragraphs and rows in order, measured (pages: first and last section's)."""
        out: list[Piece] = []
        self.width = pages[0].width
        for child in body:
            if child.tag == f"{W}p":
                out.append(self.paragraph(child, pages[1]))
            elif child.tag == f"{W}tbl":
                self.tables.append(len(out))
                out += self.rows(child)
        return out

    def paragraph(self, p: etree._Element, last: Page) -> Piece:
        """A body paragraph as a piece; one ending a section starts the last section's pages."""
        height, first = self.para(p, self.width, False)
        props = p.find(f"{W}pPr")
        section = props.find(f"{W}sectPr") if props is not None else None
        if section is not None:
            self.width = last.width
        return Piece(
            height,
            keep=props is not None and _on(props.find(f"{W}keepNext")),
            split=height > first * 1.5,
            line=first,
            page_break=props is not None and _on(props.find(f"{W}pageBreakBefore")),
            marks=[m.get(f"{W}name") for m in p.iter(f"{W}bookmarkStart")],
            section=None if section is None else last.height,
        )

    def rows(self, table: etree._Element) -> list[Piece]:
        """A table's body rows as pieces, its header rows above the first and each continued."""
        header, out = 0.0, []
        for tr in table.findall(f"{W}tr"):
            props = tr.find(f"{W}trPr")
            exact = props.find(f"{W}trHeight") if props is not None else None
            height = max(  # a merged cell's rows are kept together: its own height is left out
                (
                    self.cell(tc)
                    for tc in tr.findall(f"{W}tc")
                    if tc.find(f"{W}tcPr/{W}vMerge") is None
                ),
                default=0.0,
            )
            if exact is not None:
                height = int(exact.get(f"{W}val")) / 20
            if props is not None and props.find(f"{W}tblHeader") is not None and not out:
                header += height
                continue
            keep = any(_on(k) for k in tr.iter(f"{W}keepNext"))
            whole = props is not None and props.find(f"{W}cantSplit") is not None
            if out:
                out.append(Piece(height, keep=keep, split=not whole, line=height, header=header))
            else:  # the header rows go with the first row, and above each row on a new page
                out.append(Piece(height + header, keep=keep, split=not whole, line=height + header))
        return out


@dataclass(slots=True)
class Laid:
    """A body laid out: bookmarks' pages, and the runs each tall span is cut into.

    runs: per table (its place among the body's tables), per tall span (its first row in
    the table's rows), the number of rows of each run, each on a page of its own.
    """

    marks: dict[str, int] = field(default_factory=dict)
    runs: dict[int, dict[int, list[int]]] = field(default_factory=dict)


class Placer:
    """Puts pieces on pages as Word does, cutting each tall span into runs, one to a page.

    A run is kept on one page, so it goes where Word puts it: on the page it starts on if
    it fits there, else at the next one's top. It ends before a row that would take it
    past the page's foot as estimated (rows.Heights.fill), or make it taller than a page
    surely holds (Heights.usable, with the margin the estimate needs): the next run, as
    tall as that, then does not fit below it, and starts a page. Unless the rest of the
    span fits on the page as estimated: cut there, its next run would fit below it,
    partway down the page.
    """

    def __init__(self, first: float, heights: Heights) -> None:
        self.page, self.y, self.body = 1, 0.0, first
        self.heights = heights
        self.found: dict[str, int] = {}
        self.runs: dict[int, list[int]] = {}  # per tall span's first piece, its runs
        self.run: list[int] = []  # the runs of the span being placed
        self.left = 0  # its rows still to place
        self.rest = 0.0  # their height
        self.top = 0.0  # where its run being placed starts
        self.floor = 0.0  # where the span's cell ends, in its first run: the run is that tall
        self.where: list[tuple[int, float]] = []  # each piece's page and top, in points

    def place(self, pieces: list[Piece]) -> dict[str, int]:
        """The page of each bookmark."""
        i = 0
        while i < len(pieces):
            j = i
            while j + 1 < len(pieces) and pieces[j].keep and not _breaks(pieces[j], pieces[j + 1]):
                j += 1
            chain = pieces[i : j + 1]
            need = sum(p.height for p in chain[:-1]) + (chain[-1].line or chain[-1].height)
            if self.y > 0 and (chain[0].page_break or self.y + need > self.body):
                self.new_page(chain[0].header)
            for at, piece in enumerate(chain, start=i):
                if piece.span:
                    self.start_span(pieces[at : at + piece.span], at)
                self.piece(piece)
            i = j + 1
        return self.found

    def start_span(self, rows: list[Piece], at: int) -> None:
        """Begin placing a tall span's rows (its first piece at)."""
        first = rows[0]
        if self.y > 0 and self.y + first.own > self.body:
            self.new_page(first.header)  # its first row, grown by the cell, moves
        self.run, self.left = self.runs.setdefault(at, []), len(rows)
        self.rest = sum(row.height for row in rows)
        self.top, self.floor = self.y, self.y + first.own

    def new_page(self, header: float) -> None:
        """Go on to the top of the next page, below the repeated header rows.

        Inside a tall span, its next row starts a new run there.
        """
        if self.left and self.run and self.run[-1]:
            self.end_run()
            self.run.append(0)
        self.page, self.y = self.page + 1, header
        self.top = header

    def end_run(self) -> None:
        """End a tall span's run: its cell, if taller than its rows, grows the last."""
        self.y, self.floor = max(self.y, self.floor), 0.0
        while self.y > self.body:
            self.page, self.y = self.page + 1, self.y - self.body

    def cut(self, piece: Piece) -> bool:
        """Whether a tall span's run ends before this row."""
        end = max(self.y + piece.height, self.floor)
        fill = self.heights.fill(self.body)
        over = end > fill or end - self.top > self.heights.usable(self.body) - piece.header
        return over and max(self.y + self.rest, self.floor) > fill

    def piece(self, piece: Piece) -> None:
        """Put one piece on the page, or the next (where a tall span's next run starts)."""
        if self.left and self.run and self.cut(piece):
            self.new_page(piece.header)  # a new run of the span
        if self.y > 0 and self.y + piece.height > self.body and not piece.split:
            self.new_page(piece.header)
        for mark in piece.marks:
            self.found.setdefault(mark, self.page)
        self.where.append((self.page, self.y))
        self.y += piece.height
        if self.left:
            self.run[-1:] = [self.run[-1] + 1 if self.run else 1]
            self.left, self.rest = self.left - 1, self.rest - piece.height
            if not self.left:
                self.end_run()
        while self.y > self.body:  # split over pages, the header rows repeated on each
            self.page, self.y = self.page + 1, piece.header + self.y - self.body
        if piece.section is not None:
            self.page, self.y, self.body = self.page + 1, 0.0, piece.section


def lay_out(
    document: docx.document.Document,
    heights: Heights,
    body: str,
    first: Page | None = None,
    spans: dict[int, list[tuple[int, int, float]]] | None = None,
) -> Laid:
    """The body (the document body's XML) laid out on estimated pages.

    first: the first section's page (the cover report's), if not the document's own.
    spans: per table (its place among the body's tables), its merged cells too tall for a
    page: (first row, rows, own height); each is cut into runs as it is laid out.
    """
    from lxml import etree

    section = document.sections[0]
    last = Page(
        (section.page_width - section.left_margin - section.right_margin) / 12700,
        (section.page_height - section.top_margin - section.bottom_margin) / 12700,
    )
    root = etree.fromstring(
        f'<w:body xmlns:w="{W[1:-1]}" '
        f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"{body}</w:body>"
    )
    pages = (first or last, last)
    layout = Layout(document, heights)
    pieces = layout.pieces(root, pages)
    for table, tall in (spans or {}).items():
        for at, rows, own in tall:
            piece = pieces[layout.tables[table] + at]
            piece.span, piece.own = rows, own
    placer = Placer(pages[0].height, heights)
    marks = placer.place(pieces)
    runs = {
        table: {at: placer.runs.get(layout.tables[table] + at, [rows]) for at, rows, _ in tall}
        for table, tall in (spans or {}).items()
    }
    return Laid(marks, runs)


def estimate(
    document: docx.document.Document, heights: Heights, body: str, first: Page | None = None
) -> dict[str, int]:
    """The estimated page of each bookmark in body (the document body's XML)."""
    return lay_out(document, heights, body, first).marks


def _breaks(piece: Piece, after: Piece) -> bool:
    """Whether a keep-with-next chain ends between piece and the one after it."""
    return piece.section is not None or after.page_break


def _on(element: etree._Element | None) -> bool:
    """Whether an on/off property element is present and on."""
    return element is not None and (element.get(f"{W}val") or "1") not in _OFF
