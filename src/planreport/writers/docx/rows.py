"""Table rows' heights, estimated from their text and the reference document's styles.

The Word writer marks a body row "can't split" only when it fits on a page below the
repeated header rows; this says whether it does, without laying the page out.
"""

from __future__ import annotations

import bisect
import itertools
import math
import operator
from typing import TYPE_CHECKING

from planreport.paper.model import Cell, Heading, Table, Text
from planreport.plan.richtext import Para, Rich, Run, printed
from planreport.writers.docx.styles import (
    STYLES,
    cell_margins,
    metrics,
    style_chain,
)

if TYPE_CHECKING:
    import docx

    from planreport.paper.model import Paper

PAGEREF_TEXT = "Actions"  # a cross-reference to no heading: the HTML paper's link text
PAGEREF_SHOWN = "Page 00"  # a page reference as Word shows it, as wide as most
# A body row is kept whole when its estimated height and the header rows', times the safety
# factor, fit on a page with the slack to spare. Measured against LibreOffice 7.4, rows of
# prose, paragraphs, bullets, bold text and one-word lines in Liberation Sans at 6.5, 9 and
# 12 pt start to lose text at estimates 3 to 15 % over the room (the estimate errs high);
# in DejaVu Sans, a wider font, at 13 % under it. The estimate uses Liberation Sans's
# advance widths (Arial's too): other fonts get the wider margin.
_SAFETY, _SAFETY_OTHER_FONT, _SLACK_PT = 1.15, 1.4, 6.0
_ARIAL_METRICS = frozenset(("Liberation Sans", "Arial", "Arimo"))


def row_height(
    heights: Heights,
    placed: list[tuple[Cell, str | None]],
    widths: list[int],
    spans: list[list[float]],
) -> float:
    """A body row's estimated height in points, with what a merged cell ending in it adds.

    A cell spanning rows grows the last of them when it is taller than they are together,
    and that row then has to fit on a page whole. spans holds, for each merge still open,
    [the spanning cell's height, the height of its rows so far, the rows it still covers];
    it is updated.
    """
    own = 0.0
    for (cell, merge), width in zip(placed, widths, strict=True):
        if merge == "continue":
            continue
        height = heights.cell(cell, width)
        if merge == "restart":
            spans.append([height, 0.0, cell.rowspan])
        else:
            own = max(own, height)
    own = own or heights.cell(Cell(), widths[0])
    excess = 0.0
    for span in spans:
        span[1] += own
        span[2] -= 1
        if span[2] <= 0:
            excess = max(excess, span[0] - span[1])
    spans[:] = [span for span in spans if span[2] > 0]
    return own + excess


class Heights:
    """Table rows' heights in points, estimated from their text and the document's styles.

    Lines are broken much as Word and LibreOffice break them, between words (a word wider
    than its cell anywhere), with the advance widths of Liberation Sans; a line is as tall as
    its style's type size and line spacing make it; paragraph spacing and cell margins
    come from the styles too.
    """

    def __init__(self, document: docx.document.Document, paper: Paper) -> None:
        from planreport.paper import fit

        section = document.sections[0]
        self.body = (section.page_height - section.top_margin - section.bottom_margin) / 12700
        self.safety = _SAFETY if paper.word_font in _ARIAL_METRICS else _SAFETY_OTHER_FONT
        self.first = fit.FIRST
        self.advances = {False: fit.REGULAR, True: fit.BOLD}
        self.space = {False: fit.REGULAR[0], True: fit.BOLD[0]}
        table = style_chain(document, STYLES["table"])
        self.margins = cell_margins(table)
        self.metrics = {
            key: metrics(document, STYLES[key], table)
            for key in ("cell", "cell-heading", "cell-bullet")
        }
        self.metrics |= {
            key: metrics(document, STYLES[key], []) for key in ("h1", "h2", "h3", "body")
        }
        self.known: dict[bool, dict[str, float]] = {False: {}, True: {}}
        self.cells: dict[tuple, float] = {}  # one-run cells' heights (a link's with its address)
        self.gap = max(self.space.values())
        self.widest = max(*fit.REGULAR, *fit.BOLD, 556)  # 556: a character not in the tables

    def room(self, block: Table, widths: list[int]) -> float:
        """The tallest estimate a body row may have and still be kept whole on a page."""
        header = max(
            self.cell(Cell(content=Rich((Para((Run(c.heading),)),))), w, "cell-heading")
            for c, w in zip(block.columns, widths, strict=True)
        )
        if block.subheadings:
            header += max(
                self.cell(Cell(content=Rich((Para((Run(c.subheading),)),))), w, "cell-heading")
                for c, w in zip(block.columns, widths, strict=True)
            )
        return self.usable(self.body) - header

    def usable(self, body: float) -> float:
        """How much of a page body points tall estimated rows may fill and surely fit on it."""
        return (body - _SLACK_PT) / self.safety

    def fill(self, body: float) -> float:
        """How much of a page body points tall estimated rows may fill, as estimated."""
        return body - _SLACK_PT

    def lead(self, blocks: list[Heading | Text], width: int) -> float:
        """The height of the headings and text kept with a table above it (width in EMU)."""
        room = width / 12700
        height = 0.0
        for block in blocks:
            if isinstance(block, Heading):
                key = "h1" if block.level == 1 else f"h{min(block.level, 3)}"
                height += self.para((Run(block.text),), key, room)
                continue
            for part in block.rich.blocks:
                paras = [part] if type(part) is Para else [p for item in part.items for p in item]
                height += sum(self.para(p.runs, "body", room) for p in paras)
        return height

    def too_wide(self, word: str, width: int, bold: bool = False) -> bool:
        """Whether a word is wider than a body cell's text (width in twips): broken anywhere."""
        _, _, left, right = self.margins
        size, heavy, _, _, indent = self.metrics["cell"]
        limit = (width / 20 - left - right - indent) * 1000 / size
        return self.widths([word], bold or heavy)[0] > limit

    def surely_fits(
        self, placed: list[tuple[Cell, str | None]], widths: list[int], room: float
    ) -> bool:
        """Whether a row of unmerged cells is surely no taller than room, from lengths alone.

        Most rows are far shorter than a page: an upper bound of each cell's height, with
        every character as wide as the widest, settles them without breaking lines.
        """
        for (cell, _), width in zip(placed, widths, strict=True):
            most = self.most(cell, width)
            if most is None or most > room:
                return False
        return True

    def most(self, cell: Cell, width: int) -> float | None:
        """An upper bound of a body cell's height (None: not bounded this way).

        Lines are filled greedily, so each line but the last holds text at least as wide
        as the room less the longest word and a space: with every character as wide as
        the widest, a paragraph of n characters takes at most n // per_line + 1 lines.
        """
        if cell.status or cell.pagerefs:
            return None
        top, bottom, left, right = self.margins
        size, _, line, space, indent = self.metrics["cell"]
        limit = (width / 20 - left - right - indent) * 1000 / size  # thousandths of an em
        widest = self.widest
        height = top + bottom
        if not cell.content.blocks:
            return height + line + space
        for block in cell.content.blocks:
            if type(block) is not Para:
                return None
            text = "".join([run.text for run in printed(block.runs)])
            if "\n" in text:
                return None
            per_line = (limit - max(map(len, text.split()), default=0) * widest - widest) / widest
            if per_line < 1:
                return None
            height += (len(text) // per_line + 1) * line + space
        return height

    def cell(self, cell: Cell, width: int, key: str = "cell") -> float:
        """A cell's height: its margins and paragraphs (width in twips).

        Most cells are one paragraph of one run, and many recur (a date, a lead, a status):
        their heights are remembered.
        """
        blocks = cell.content.blocks
        if len(blocks) == 1 and not cell.status and not cell.pagerefs:
            runs = getattr(blocks[0], "runs", ())
            if len(runs) == 1:
                memo = (runs[0].text, runs[0].bold, key, width, runs[0].link)
                height = self.cells.get(memo)
                if height is None:
                    height = self.cells[memo] = self.measure(cell, width, key)
                return height
        return self.measure(cell, width, key)

    def measure(self, cell: Cell, width: int, key: str) -> float:
        """A cell's height, worked out."""
        top, bottom, left, right = self.margins
        room = width / 20 - left - right
        height = top + bottom
        if cell.status:
            return height + self.para((Run(cell.status.label, bold=True),), key, room)
        if cell.pagerefs:
            links = ", ".join(PAGEREF_SHOWN for _ in cell.pagerefs)
            return height + self.para((Run(links),), key, room)
        if not cell.content.blocks:
            return height + self.para((), key, room)
        for block in cell.content.blocks:
            if type(block) is Para:
                height += self.para(printed(block.runs), key, room)
                continue
            for item in block.items:
                for i, para in enumerate(item):
                    height += self.para(printed(para.runs), key if i else "cell-bullet", room)
        return height

    def para(self, runs: tuple[Run, ...], key: str, room: float) -> float:
        """A paragraph's height in a style, in a cell room points wide inside its margins."""
        size, bold, line, space, indent = self.metrics[key]
        limit = max(1.0, (room - indent) * 1000 / size)  # thousandths of an em
        if len(runs) == 1 and "\n" not in runs[0].text:  # most paragraphs
            widths = self.widths(runs[0].text.split(), bold or runs[0].bold)
            return self.lines(widths, limit) * line + space
        lines = 0
        widths = []  # the words of the line being filled, and those after it
        for run in runs:
            heavy = bold or run.bold
            for n, piece in enumerate(run.text.split("\n")):
                if n:  # a line break
                    lines += self.lines(widths, limit)
                    widths = []
                widths += self.widths(piece.split(), heavy)
        return (lines + self.lines(widths, limit)) * line + space

    def lines(self, widths: list[float], limit: float) -> int:
        """How many lines words of these widths take, each line filled with as many as fit.

        With the words' running widths (each with the space after it), the words that fit
        on a line are found by bisection: the time goes with the lines, not the words.
        """
        gap = self.gap
        if sum(widths) + gap * len(widths) <= limit + gap:  # one line, or none
            return 1
        if max(widths) > limit:  # a word wider than the cell is broken anywhere
            lines, x = 1, 0.0
            for width in widths:
                if x and x + gap + width > limit:
                    lines, x = lines + 1, 0.0
                elif x:
                    x += gap
                x += width
                if x > limit:
                    over = math.ceil(x / limit) - 1
                    lines, x = lines + over, x - over * limit
            return lines
        ends = list(
            itertools.accumulate(map(operator.add, widths, itertools.repeat(gap)), initial=0)
        )
        lines, start, count = 0, 0, len(widths)
        while start < count:  # words start..end-1 fit: ends[end] - ends[start] - gap <= limit
            start = bisect.bisect_right(ends, ends[start] + limit + gap, start + 1) - 1
            lines += 1
        return lines

    def widths(self, words: list[str], bold: bool) -> list[float]:
        """Words' advance widths in thousandths of an em (remembered: words recur)."""
        known = self.known[bold]
        out = list(map(known.get, words))
        if None in out:
            table, first = self.advances[bold], self.first
            last = first + len(table)
            for i, word in enumerate(words):
                if out[i] is None:
                    out[i] = known[word] = sum(
                        table[o - first] if first <= o < last else 556 for o in map(ord, word)
                    )
        return out
