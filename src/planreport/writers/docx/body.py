"""The paper's body as WordprocessingML: headings, rich text, tables, charts and notes.

Every element is made by markup.el, so that text is escaped by construction.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from planreport.paper.model import (
    Cell,
    Chart,
    Heading,
    Notes,
    Paper,
    Row,
    Swatch,
    Table,
    unwritten,
)
from planreport.paper.model import Text as TextBlock
from planreport.plan.richtext import Bullets, Para, Rich, Run, prefixed
from planreport.writers import warn
from planreport.writers.docx import pages, spans
from planreport.writers.docx.chart import chart
from planreport.writers.docx.markup import PRESERVE, Xml, cat, el, join
from planreport.writers.docx.pages import Page
from planreport.writers.docx.rows import PAGEREF_TEXT, Heights, row_height
from planreport.writers.docx.styles import STYLES, table_indent
from planreport.writers.docx.text import (
    KEEP_NEXT,
    LINK_COLOUR,
    NOTHING,
    PAGE_BREAK_BEFORE,
    Paragraphs,
)

if TYPE_CHECKING:
    import docx

_CENTRE, _RIGHT = "center", "right"
_KEEP_ROW = el("w:trPr", el("w:cantSplit"))
_HEADER_ROW = el("w:trPr", el("w:tblHeader"))
SHORT_TABLE = 8  # body rows: a table this short is kept on one page (LibreOffice lost its rows)
# a paragraph 1 pt high, whatever its mark's type size: no space around it, its line exact
ENDING = el("w:spacing", {"w:before": "0", "w:after": "0", "w:line": "20", "w:lineRule": "exact"})
_SLASHED = re.compile(r"\S*[^\W\d_]/[^\W\d_]\S*")  # a word with a slash between letters
_AFTER_SLASH = re.compile(r"(?<=[^\W\d_]/)(?=[^\W\d_])")
_INTRODUCING = ("lead", "small", "intro", "label", "organisation")  # as paper.css keeps them


class Blocks(Paragraphs):
    """Writes paper blocks as WordprocessingML text, put into the body as it is saved.

    python-docx adds elements one at a time, searching for each one's place, and lxml
    moves a parsed element into another document in time that grows with the square of
    its size (20 s for one table of 2,000 actions): the body is written as text and
    spliced into the saved document part.
    """

    def __init__(self, document: docx.document.Document, paper: Paper) -> None:
        super().__init__(document)
        self.paper = paper
        section = document.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.indent = table_indent(document)
        self.bookmark_id = 0
        self.bookmarks = _bookmarks(paper)
        self.marked: set[str] = set()
        self.first_heading = True
        self.out: list[Xml] = []  # the body's XML, in order
        self.inks: dict[Swatch, str] = {}
        self._heights: Heights | None = None
        self.kept: list[Heading | TextBlock] = []  # the blocks kept with what follows them
        self.kept_end = -1  # where in out they end
        self.spacer = self.para(STYLES["body"], "")  # the empty paragraph after a table
        self.crossrefs = False  # whether the body holds page references
        self.recut: list[spans.Recut] = []  # tables with spans too tall for a page, to cut

    def block(self, block: object) -> None:
        """Write one block of the paper; warn of (and leave out) one of a kind not known."""
        start = len(self.out)
        self._write(block)
        if isinstance(block, Heading) or (
            isinstance(block, TextBlock) and block.style in _INTRODUCING
        ):
            if self.kept_end != start:
                self.kept = []
            self.kept.append(block)
            self.kept_end = len(self.out)

    def _write(self, block: object) -> None:
        """Write one block."""
        if isinstance(block, Heading):
            self.out.append(self.heading(block))
        elif isinstance(block, TextBlock):
            self.out.append(self.text(block))
        elif isinstance(block, Table):
            self.out.append(self.table(block))
        elif isinstance(block, Chart):  # its caption above it, kept with it (HTML figcaption)
            caption = Rich((Para((Run(block.title, bold=True),)),))
            self.out.append(self.text(TextBlock(caption, "intro")))
            self.out.append(chart(self, block, self.text_width, self.indent))
        elif isinstance(block, Notes):
            self.out.append(self.heading(Heading(2, block.title)))
            notes = (prefixed(f"{ref}. ", text) for ref, text in block.notes)
            self.out.append(cat(self.rich(rich, STYLES["body"]) for rich in notes))
        else:
            warn(unwritten(block, f"{self.paper.id}.docx"))

    def heading(self, block: Heading) -> Xml:
        """A heading in a real heading style, bookmarked if it is a page-reference target."""
        key = "title" if block.level == 1 and self.first_heading else f"h{min(block.level, 3)}"
        self.first_heading = self.first_heading and block.level != 1
        outline = el("w:outlineLvl", {"w:val": "0"}) if key == "title" else NOTHING
        text = self.run(Run(block.text))
        if block.anchor and block.anchor not in self.marked:
            self.marked.add(block.anchor)
            self.bookmark_id += 1
            mark = {"w:id": self.bookmark_id}
            start = el("w:bookmarkStart", mark, {"w:name": self.bookmarks[block.anchor]})
            text = cat((start, text, el("w:bookmarkEnd", mark)))
        new_page = PAGE_BREAK_BEFORE if block.new_page else NOTHING
        return self.para(STYLES[key], text, extra=cat((KEEP_NEXT, new_page, outline)))

    def text(self, block: TextBlock) -> Xml:
        """Rich text in the style its role calls for.

        Text that introduces what follows (a table's lead-in, a label) is kept with it on
        the page, as the PDF's break-after: avoid keeps it (paper.css).
        """
        style = STYLES["subtitle"] if block.style == "subtitle" else STYLES["body"]
        bold = block.style in ("label", "lead", "small", "organisation")
        return self.rich(
            block.rich,
            style,
            bold=bold,
            align=_RIGHT if block.style == "label" else None,
            keep=block.style in _INTRODUCING,
        )

    def table(self, block: Table) -> Xml:
        """A fixed-layout table: repeated header row(s), caption, widths, merged cells, shading.

        A table with sub-headings has a second header row of them (not bold, in italics, as
        the PDF's); both rows repeat on every page. A group row is kept with the row after it.
        The header rows and first body row keep with the next; a table of SHORT_TABLE rows or
        fewer is kept whole when it fits on a page with the heading and text above it that
        keep with it (else LibreOffice moves it overleaf, leaving its heading alone). The
        rows of a cell spanning several are kept on one page when they fit on one; a table
        with a span too tall for a page is written again, the span cut, by body().

        A body row is marked "can't split" (w:cantSplit, which Word and LibreOffice honour)
        when it fits on a page below the repeated header rows, as estimated from its text. A
        taller row is left to split, as it must anyway: LibreOffice (7.4 and later; Collabora
        online#11629 and #16066) moves a can't-split row taller than the room below the
        repeated header to the next page and there cuts off the text that does not fit.
        """
        total = self.heights().lead(
            self.kept if self.kept_end == len(self.out) else [], self.text_width
        )
        xml, tall = self._table(block, total)
        if tall:  # written again, cut, once the pages are laid out (body); _write appends it
            self.recut.append(spans.Recut(len(self.out), block, total, tall))
        return xml

    def _table(
        self, block: Table, total: float, cuts: dict[int, list[int]] | None = None
    ) -> tuple[Xml, tuple[spans.Tall, ...]]:
        """A table, and its spans too tall for a page (cut into cuts' runs, when given).

        total: the height of what is kept with it above.
        """
        widths = [int(self.text_width * c.width / 100 / 635) for c in block.columns]  # EMU to twips
        caption = block.caption[:250]
        props = el(
            "w:tblPr",
            el("w:tblStyle", {"w:val": self.ids[STYLES["table"]]}),
            el("w:tblW", {"w:w": sum(widths), "w:type": "dxa"}),
            el("w:tblInd", {"w:w": self.indent, "w:type": "dxa"}),
            el("w:tblLayout", {"w:type": "fixed"}),
            el("w:tblCaption", {"w:val": caption}),
            el("w:tblDescription", {"w:val": caption}),
        )
        grid = el("w:tblGrid", *(el("w:gridCol", {"w:w": w}) for w in widths))
        header = [self.run(Run(c.heading)) for c in block.columns]
        rows = [self.header_row(header, widths)]
        if block.subheadings:
            rows.append(
                self.header_row([self.subheading(c.subheading) for c in block.columns], widths)
            )
        heights = self.heights()
        room = heights.room(block, widths)
        short = len(block.rows) <= SHORT_TABLE or block.whole
        spanning: dict[int, int] = {}
        merges: list[list[float]] = []  # per merge: [its cell's height, rows' height, rows left]
        chunks: dict[int, tuple[Cell, list[int]]] = {}  # a tall span's runs still to come
        tall: list[spans.Tall] = []
        left: dict[int, int] = {}  # per column cut, rows left in its run on one page
        together = 0  # rows still to keep with the next: a span kept on one page
        for at, row in enumerate(block.rows):
            if row.group:
                spanning.clear()  # a group row ends any merge (compose never spans one)
                merges.clear()
                chunks.clear()
                left.clear()
                closing = not row.header  # a closing text: a plain cell, as in the PDF
                key = "cell" if closing else "cell-heading"
                content = self.rich(row.cells[0].content, STYLES[key], keep=not closing)
                content = content or self.para(
                    STYLES[key], "", extra=NOTHING if closing else KEEP_NEXT
                )
                high = heights.cell(row.cells[0], sum(widths), key)
                total += high
                shade = None if closing else "F2F2F2"
                cell = self.tc(sum(widths), content, shade=shade, span=len(widths))
                rows.append(self.body_row([cell], high <= room))
                continue
            before = dict(spanning)
            placed = spans.place(row.cells, len(widths), spanning)
            for index, (cell, merge) in enumerate(placed):
                if merge == "continue" and left.get(index) == 0:  # a new run of a cut span
                    theme, sizes = chunks[index]
                    size = sizes.pop(0)
                    placed[index] = (spans.again(theme, size), "restart" if size > 1 else None)
                    left[index] = size - 1
                    together = max(together, size - 1)
                elif merge == "continue" and index in left:
                    left[index] -= 1
                if merge != "restart":
                    continue
                left.pop(index, None)
                span = block.rows[at : at + cell.rowspan]
                rows_tall = self._span_rows(span, (widths, before))
                own = heights.cell(cell, widths[index])
                if max(sum(rows_tall), own) <= room:
                    together = max(together, cell.rowspan - 1)
                    continue
                if cuts is None:  # too tall for a page: cut where its pages end, once laid out
                    tall.append(spans.Tall(at, cell.rowspan, own))
                    continue
                sizes = list(cuts[at])
                size = sizes.pop(0)
                placed[index] = (replace(cell, rowspan=size), "restart" if size > 1 else None)
                chunks[index], left[index] = (cell, sizes), size - 1
                together = max(together, size - 1)
            keep = True
            if (
                short
                or merges
                or any(merge for _, merge in placed)
                or not heights.surely_fits(placed, widths, room)
            ):
                height = row_height(heights, placed, widths, merges)
                keep, total = height <= room, total + height
            cells = [
                self.tc(width, self.para(STYLES["cell"], ""), merge=merge)
                if merge == "continue"
                else self.cell(cell, width, merge)
                for (cell, merge), width in zip(placed, widths, strict=True)
            ]
            rows.append(self.body_row(cells, keep))
            if together:
                rows[-1] = kept_with_next(rows[-1])
                together -= 1
        first = 3 if block.subheadings else 2  # the header rows and the first body row
        if short and total <= room:  # a short table is kept whole on one page, under its heading
            first = len(rows) - 1
        rows[:first] = [kept_with_next(row) for row in rows[:first]]
        return cat((el("w:tbl", props, grid, *rows), self.spacer)), tuple(tall)

    def end(self, last: Xml = NOTHING) -> None:
        """End the document, or a section with its last paragraph, so no page is left blank.

        The empty paragraph after a table at the end goes (Word needs a paragraph after a
        table; last, or one 1 pt high, is it): after a table filling a page, it made a page
        of its own, blank but for the running header and page number.
        """
        if self.out and self.out[-1].endswith(self.spacer):
            self.out[-1] = Xml(self.out[-1][: -len(self.spacer)])
            last = last or self.para(STYLES["body"], "", extra=ENDING)
        if last:
            self.out.append(last)

    def _span_rows(self, rows: list[Row], grid: tuple[list[int], dict[int, int]]) -> list[float]:
        """The estimated heights of the rows a cell spans, without it, in points.

        Word leaves a merged cell blank at the top of a page its rows continue on, so the
        rows of a span are kept on one page when they fit there; a span too tall for a
        page is cut where the pages end (body, spans.py), each run a merged cell kept on
        one page.
        """
        heights = self.heights()
        widths, spanning = grid
        sim = dict(spanning)
        out = []
        for row in rows:
            placed = spans.place(row.cells, len(widths), sim)
            own = [heights.cell(c, w) for (c, m), w in zip(placed, widths, strict=True) if not m]
            out.append(max(own, default=0.0))
        return out

    def header_row(self, runs: list[Xml], widths: list[int]) -> Xml:
        """A header row, repeated on each page: each column's heading in a shaded cell."""
        style = STYLES["cell-heading"]
        cells = (
            self.tc(w, self.para(style, run), shade="D9D9D9")
            for run, w in zip(runs, widths, strict=True)
        )
        return el("w:tr", _HEADER_ROW, *cells)

    def body_row(self, cells: list[Xml], keep: bool) -> Xml:
        """A body row, kept whole on a page (can't split) if keep."""
        return el("w:tr", _KEEP_ROW, *cells) if keep else el("w:tr", *cells)

    def subheading(self, text: str) -> Xml:
        """A sub-heading's run: the heading style's type, not bold, in italics."""
        return self.run(Run(text, italic=True), unbold=True) if text else NOTHING

    def heights(self) -> Heights:
        """The row height estimator for this document (made when the first table needs it)."""
        if self._heights is None:
            self._heights = Heights(self.document, self.paper)
        return self._heights

    def cell(self, cell: Cell, width: int, merge: str | None) -> Xml:
        """One table cell: a status in colour and word, page references, or rich text."""
        style = STYLES["cell"]
        if cell.status:
            colour = cell.status.colour
            if cell.status not in self.inks:  # Swatch.ink: the text colour for 4.5:1 or more
                self.inks[cell.status] = cell.status.ink.lstrip("#")
            ink = self.inks[cell.status]
            content = self.para(
                style, self.run(Run(cell.status.label), bold=True, colour=ink), _CENTRE
            )
            return self.tc(
                width, content, shade=colour.lstrip("#") if colour else None, merge=merge
            )
        if cell.pagerefs:
            links = join(self.run(Run(", ")), (self.crossref(anchor) for anchor in cell.pagerefs))
            return self.tc(width, self.para(style, links), merge=merge)
        content = self.rich(self.breakable(cell.content, width), style)
        return self.tc(width, content or self.para(style, ""), merge=merge)

    def breakable(self, rich: Rich, width: int) -> Rich:
        """Rich text whose words too wide for their cell may break after a slash, as in the PDF.

        WeasyPrint breaks "guidance/procedure" after its slash when it must; Word and
        LibreOffice do not, and break a word too wide for its column anywhere ("procedu
        re", Derby 6.1): a zero-width space after the slash lets them break there too.
        """
        blocks = rich.blocks
        if len(blocks) == 1 and type(blocks[0]) is Para:  # most cells: one paragraph
            if all("/" not in run.text for run in blocks[0].runs):
                return rich
        elif "/" not in rich.plain():
            return rich
        heights = self.heights()

        def run(old: Run) -> Run:
            def word(found: re.Match[str]) -> str:
                text = found.group()
                wide = heights.too_wide(text, width, old.bold)
                return _AFTER_SLASH.sub("\u200b", text) if wide else text

            text = _SLASHED.sub(word, old.text)
            return replace(old, text=text) if text != old.text else old

        def para(old: Para) -> Para:
            return Para(tuple(map(run, old.runs)))

        return Rich(
            tuple(
                para(b)
                if isinstance(b, Para)
                else Bullets(tuple(tuple(map(para, i)) for i in b.items))
                for b in rich.blocks
            )
        )

    def crossref(self, anchor: str) -> Xml:
        """A link to a heading's bookmark showing its page: "Page " and a PAGEREF field.

        Word and LibreOffice follow the link, and compute the field's page as they lay the
        pages out (Word when it updates fields, which settings.xml asks it to on opening);
        its cached result, shown until then, is the page estimated when the body is done.
        """
        name = self.bookmarks.get(anchor)
        if name is None:  # no heading has this anchor: plain text, not a broken link
            return self.run(Run(PAGEREF_TEXT))
        self.crossrefs = True
        field = cat(
            (
                el("w:r", _LINK, el("w:t", PRESERVE, "Page ")),
                _field_char("begin"),
                el("w:r", _LINK, el("w:instrText", PRESERVE, f" PAGEREF {name} \\h ")),
                _field_char("separate"),
                el("w:r", _LINK, el("w:t", _CACHED.format(name))),
                _field_char("end"),
            )
        )
        return el("w:hyperlink", {"w:anchor": name, "w:history": "1"}, field)

    def body(self, first: Page | None = None) -> str:
        """The body's XML, each page reference's cached result its heading's estimated page.

        A table with a span too tall for a page is written again first, the span cut where
        the laid-out pages end (spans.py). first: the cover report's page, when its section
        is not the document's own.
        """
        if self.recut:
            self.cut_spans(first)
        xml = "".join(self.out)
        if not self.crossrefs:
            return xml
        found = pages.estimate(self.document, self.heights(), _CACHE.sub("00", xml), first)
        return _CACHE.sub(lambda m: str(found.get(m.group(1), 1)), xml)

    def cut_spans(self, first: Page | None) -> None:
        """Write again each table with a span too tall for a page, cut where its pages end.

        The body is laid out once, each tall span cut into runs as it is put on pages
        (pages.Placer); the tables are then written with those runs, each kept on its page.
        """
        tall: dict[int, list[tuple[int, int, float]]] = {}
        table, seen = 0, 0  # tables before the recut one, and out's blocks counted so far
        for recut in self.recut:
            table += sum(block.count("<w:tbl>") for block in self.out[seen : recut.index])
            seen = recut.index
            tall[table] = [(span.at, span.rows, span.own) for span in recut.spans]
        xml = _CACHE.sub("00", "".join(self.out))
        runs = pages.lay_out(self.document, self.heights(), xml, first, tall).runs
        for recut, cuts in zip(self.recut, runs.values(), strict=True):
            xml = self._table(recut.block, recut.lead, cuts)[0]
            if not self.out[recut.index].endswith(self.spacer):  # the last block (end)
                xml = Xml(xml[: -len(self.spacer)])
            self.out[recut.index] = xml
        self.recut = []


_LINK = el("w:rPr", el("w:color", {"w:val": LINK_COLOUR}), el("w:u", {"w:val": "single"}))
_CACHED = "\x00{}\x00"  # a page reference's result until the pages are estimated
_CACHE = re.compile("\x00(\\w+)\x00")


def _field_char(kind: str) -> Xml:
    """A run holding a field's begin, separate or end character, styled as the link it is in.

    LibreOffice shows a field's result in the style of its first run.
    """
    return el("w:r", _LINK, el("w:fldChar", {"w:fldCharType": kind}))


def _bookmarks(paper: Paper) -> dict[str, str]:
    """A Word bookmark name for each heading anchor, in the order the headings come.

    Word's names are at most 40 letters, digits and underscores, starting with a letter;
    an anchor that is already such a name is kept as it is.
    """
    names: dict[str, str] = {}
    used: set[str] = set()
    for block in paper.blocks:
        anchor = block.anchor if isinstance(block, Heading) else None
        if not anchor or anchor in names:
            continue
        name = re.sub(r"\W", "_", anchor, flags=re.ASCII)
        name = (name if name[:1].isalpha() else f"h_{name}")[:40]
        n = 1
        while name.lower() in used:  # Word compares bookmark names ignoring case
            n += 1
            name = f"{name[: 39 - len(str(n))]}_{n}"
        used.add(name.lower())
        names[anchor] = name
    return names


_STYLED = re.compile(r'(<w:pStyle w:val="[^"]*"/>)(?!<w:keepNext/>)')


def kept_with_next(row: Xml) -> Xml:
    """A row whose paragraphs keep with the next row.

    The heading, the text introducing a table, its header and its first two body rows
    then stay on one page: a table never starts at a page's foot with one row (where
    LibreOffice drops the rows that follow).
    """
    return Xml(_STYLED.sub(lambda found: found.group(1) + KEEP_NEXT, row))
