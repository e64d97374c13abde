"""Will a layout's columns hold their words? A check-time estimate, with no layout engine.

WeasyPrint breaks a word that does not fit its column anywhere (overflow-wrap: anywhere),
so a column narrower than its longest word prints "Compl eted". This measures each word
by the advance widths of the paper's font (`Metrics`, read from its files by
writers/font_metrics.py; Liberation Sans, the default font, without them) at the table's
type size, against the room a cell leaves inside its padding and borders as the PDF lays
it out, and warns, naming the column and the word, before anyone prints the paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from planreport.paper import fields, measured
from planreport.paper.layouts import BY_PERIOD, Block, ColumnSpec, Layout
from planreport.plan.model import Person, Plan
from planreport.problems import Problems

PAGE_MM = {"landscape": 297.0, "portrait": 210.0}
MARGINS_MM = 30.0  # left and right page margins together (paper.css @page)
PT_MM = 0.3528
# 4pt padding each side and half of each 0.75pt collapsed border (paper.css th, td): a
# column of 4% of a landscape table (10.68 mm) leaves WeasyPrint 7.58 mm for its words
CELL_PADDING_MM = (8 + 0.75) * PT_MM
TYPE_PT = 10.0  # table text (paper.css table), unless the layout sets table_type_size
FIRST = 0x20
# Advance widths of Liberation Sans in thousandths of an em, for U+0020 to U+017E;
# other characters count as the average of a digit (556).
# fmt: off
REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 552,
    400, 549, 333, 333, 333, 576, 537, 333, 333, 333, 365, 556, 834, 834, 834, 611,
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 549, 611, 556, 556, 556, 556, 500, 556, 500,
    667, 556, 667, 556, 667, 556, 722, 500, 722, 500, 722, 500, 722, 500, 722, 615,
    722, 556, 667, 556, 667, 556, 667, 556, 667, 556, 667, 556, 778, 556, 778, 556,
    778, 556, 778, 556, 722, 556, 722, 556, 278, 278, 278, 278, 278, 278, 278, 222,
    278, 278, 735, 444, 500, 222, 667, 500, 500, 556, 222, 556, 222, 556, 292, 556,
    334, 556, 222, 722, 556, 722, 556, 722, 556, 604, 723, 556, 778, 556, 778, 556,
    778, 556, 1000, 944, 722, 333, 722, 333, 722, 333, 667, 500, 667, 500, 667, 500,
    667, 500, 611, 278, 611, 375, 611, 278, 722, 556, 722, 556, 722, 556, 722, 556,
    722, 556, 722, 556, 944, 722, 667, 500, 667, 611, 500, 611, 500, 611, 500,
)
BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556,
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 552,
    400, 549, 333, 333, 333, 576, 556, 333, 333, 333, 365, 556, 834, 834, 834, 611,
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
    611, 611, 611, 611, 611, 611, 611, 549, 611, 611, 611, 611, 611, 556, 611, 556,
    722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 719,
    722, 611, 667, 556, 667, 556, 667, 556, 667, 556, 667, 556, 778, 611, 778, 611,
    778, 611, 778, 611, 722, 611, 722, 611, 278, 278, 278, 278, 278, 278, 278, 278,
    278, 278, 785, 556, 556, 278, 722, 556, 556, 611, 278, 611, 278, 611, 385, 611,
    479, 611, 278, 722, 611, 722, 611, 722, 611, 708, 723, 611, 778, 611, 778, 611,
    778, 611, 1000, 944, 722, 389, 722, 389, 722, 389, 667, 556, 667, 556, 667, 556,
    667, 556, 611, 333, 611, 479, 611, 333, 722, 611, 722, 611, 722, 611, 722, 611,
    722, 611, 722, 611, 944, 778, 667, 556, 667, 611, 500, 611, 500, 611, 500,
)
# fmt: on
_MARKUP = re.compile(r"\[\^[^\]]*\]|\]\([^)]*\)|[*_`\[\]#>]")
_PIECES = re.compile(r"[^\s]+?(?:[-/]|$)|[^\s]+")


@dataclass(frozen=True)
class Metrics:
    """A font's advance widths in ems by code point, regular and bold, and the rest's."""

    regular: Mapping[int, float]
    bold: Mapping[int, float]
    other: float  # a character the font lacks (set in the fallback font): a digit's width

    def ems(self, text: str, bold: bool = False) -> float:
        """The width of text in ems, without kerning (so never narrower than printed)."""
        widths = self.bold if bold else self.regular
        return sum(widths.get(ord(c), self.other) for c in text)

    def widest(self) -> float:
        """The widest character, in ems."""
        return max([*self.regular.values(), *self.bold.values(), self.other])


def _table(widths: tuple[int, ...]) -> dict[int, float]:
    """An advance-width table above as ems by code point."""
    return {FIRST + i: w / 1000 for i, w in enumerate(widths)}


LIBERATION = Metrics(_table(REGULAR), _table(BOLD), 0.556)


def narrow_columns(
    layout: Layout,
    plans: list[Plan],
    people: dict[str, Person],
    problems: Problems,
    metrics: Metrics = LIBERATION,
) -> None:
    """Warn about each table column narrower than the longest word it will show."""
    table_mm = PAGE_MM.get(layout.orientation, PAGE_MM["landscape"]) - MARGINS_MM
    size = layout.table_type_size or TYPE_PT
    periods = max((len(plan.periods) for plan in plans), default=1) or 1
    for block in layout.blocks:
        for column in block.columns:
            share = column.width / (periods if column.kind == BY_PERIOD else 1)
            room = share / 100 * table_mm - CELL_PADDING_MM
            measure = _Measure(metrics, size, room, layout.lead_format)
            words = _words(column, block, plans, people, measure)
            widest = max(words, key=lambda w: w[0], default=None)
            if widest is None or widest[0] <= room:
                continue
            width, word, source = widest
            has, needs = _sizes(room, width)
            inside = (
                f"is {has} mm wide inside its cell padding"
                if room >= 1
                else "leaves no room for text inside its cell padding"
            )
            problems.warning(
                column.location or layout.location,
                "column-too-narrow",
                f"the column '{_name(column)}' {inside} "
                f"({share:.3g}% of the table), but '{word}' in {source} needs {needs} mm "
                f"at {size:g} pt, so it would be broken mid-word. Widen the column (make "
                "another narrower), use fewer columns, or set a smaller table_type_size.",
            )


def _sizes(room: float, width: float) -> tuple[str, str]:
    """The room and the width needed, in mm, to as many places as tell them apart."""
    for places in (0, 1, 2):
        has, needs = f"{room:.{places}f}", f"{width:.{places}f}"
        if has != needs:
            return has, needs
    return f"{room:.3f}", f"{width:.3f}"


def text_mm(
    text: str, bold: bool = False, size: float = TYPE_PT, metrics: Metrics = LIBERATION
) -> float:
    """The width of a word set in the font at a type size (in points), in mm."""
    return metrics.ems(text, bold) * size * PT_MM


@dataclass(frozen=True)
class _Measure:
    """How one column's words are measured: font, type size, room and how leads print."""

    metrics: Metrics
    size: float
    room: float
    lead_format: str | None

    def mm(self, text: str, bold: bool = False) -> float:
        """A word's width in mm."""
        return text_mm(text, bold, self.size, self.metrics)

    def shortest(self) -> int:
        """How many characters always fit."""
        return int(self.room / (self.metrics.widest() * self.size * PT_MM))


def _words(
    column: ColumnSpec,
    block: Block,
    plans: list[Plan],
    people: dict[str, Person],
    measure: _Measure,
) -> Iterator[tuple[float, str, str]]:
    """(width, word, where it comes from) for every unbreakable piece the column shows.

    Only pieces long enough to be wider than room are measured (a character is at most
    the font's widest): most words are short, and a plan of 5,000 actions has a million.
    """
    status = _swatch(column, block)  # a status cell: bold, in the cell's own padding
    shortest = measure.shortest()
    headings = [column.heading.replace("{update}", "September 2013")]
    if column.kind == BY_PERIOD:
        labels = [p.label for plan in plans for p in plan.periods]
        headings = [column.heading.replace("{period}", label) for label in labels]
    for heading in headings:
        for piece in _pieces(heading):
            yield measure.mm(piece, bold=True), piece, "its heading"
    too_long = re.compile(rf"\S{{{max(shortest, 0) + 1},}}").search  # a piece can only be shorter
    for plan in plans:
        for text, source in _texts(column, block, plan, people, measure.lead_format):
            if text and len(text) > shortest and too_long(text):
                for piece in _pieces(text):
                    if len(piece) > shortest:
                        yield measure.mm(piece, bold=status), piece, source


def _swatch(column: ColumnSpec, block: Block) -> bool:
    """Whether the column shows a status swatch (an action table's status fields)."""
    field = fields.ACTION_FIELDS.get(column.kind)
    return block.type != "recommendation-summary" and field is not None and field.swatch


def _pieces(text: str) -> list[str]:
    """The pieces a line can break between: words, split after a hyphen or slash."""
    return _PIECES.findall(_MARKUP.sub(" ", text or ""))


def _texts(
    column: ColumnSpec,
    block: Block,
    plan: Plan,
    people: dict[str, Person],
    lead_format: str | None,
) -> Iterator[tuple[str | None, str]]:
    """The texts a column shows for a plan, as its field's entry in fields.py gives them."""
    if block.type == "recommendation-summary":
        entry = fields.RECOMMENDATION_FIELDS.get(column.kind)
        for rec in plan.recommendations if entry else ():
            yield from ((text, f"recommendation {rec.ref}") for text in entry.texts(column, rec))
        return
    field = fields.ACTION_FIELDS.get(column.kind)
    index = measured.index(plan, people, lead_format)
    for action in plan.actions if field else ():
        yield from ((text, action.name) for text in field.texts(column, action, plan, index))


def _name(column: ColumnSpec) -> str:
    """A column as a message names it: its heading, or its field if the heading varies."""
    return column.field if "{" in column.heading else column.heading
