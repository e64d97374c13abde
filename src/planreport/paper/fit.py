"""Will a layout's columns hold their words? A check-time estimate, with no layout engine.

WeasyPrint breaks a word that does not fit its column anywhere (overflow-wrap: anywhere),
so a column narrower than its longest word prints "Compl eted". This estimates each
word's width from the advance widths of Liberation Sans (the font papers are set in) and
warns, naming the column and the word, before anyone prints the paper.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from planreport.paper import fields, measured
from planreport.paper.layouts import BY_PERIOD, Block, ColumnSpec, Layout
from planreport.plan.model import Person, Plan
from planreport.problems import Problems

PAGE_MM = {"landscape": 297.0, "portrait": 210.0}
MARGINS_MM = 30.0  # left and right page margins together (paper.css @page)
CELL_PADDING_MM = 8 * 0.3528  # 4pt each side (paper.css th, td)
TYPE_PT = 9.0  # table text (paper.css table), unless the layout sets table_type_size
PT_MM = 0.3528
SWATCH_PADDING_MM = 12 * PT_MM  # 6pt each side (paper.css .status)
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
WIDEST = max(*REGULAR, *BOLD) / 1000  # the widest character, in ems
_MARKUP = re.compile(r"\[\^[^\]]*\]|\]\([^)]*\)|[*_`\[\]#>]")
_PIECES = re.compile(r"[^\s]+?(?:[-/]|$)|[^\s]+")


def narrow_columns(
    layout: Layout, plans: list[Plan], people: dict[str, Person], problems: Problems
) -> None:
    """Warn about each table column narrower than the longest word it will show."""
    table_mm = PAGE_MM.get(layout.orientation, PAGE_MM["landscape"]) - MARGINS_MM
    size = layout.table_type_size or TYPE_PT
    periods = max((len(plan.periods) for plan in plans), default=1) or 1
    for block in layout.blocks:
        for column in block.columns:
            share = column.width / (periods if column.kind == BY_PERIOD else 1)
            room = share / 100 * table_mm - CELL_PADDING_MM
            words = _words(column, block, plans, people, size, room)
            widest = max(words, key=lambda w: w[0], default=None)
            if widest is None or widest[0] <= room:
                continue
            width, word, source = widest
            inside = (
                f"is {room:.0f} mm wide inside its cell padding"
                if room >= 1
                else "leaves no room for text inside its cell padding"
            )
            problems.warning(
                column.location or layout.location,
                "column-too-narrow",
                f"the column '{_name(column)}' {inside} "
                f"({share:.3g}% of the table), but '{word}' in {source} needs {width:.0f} mm "
                f"at {size:g} pt, so it would be broken mid-word. Widen the column (make "
                "another narrower), use fewer columns, or set a smaller table_type_size.",
            )


def text_mm(text: str, bold: bool = False, size: float = TYPE_PT) -> float:
    """The width of a word set in Liberation Sans at a type size (in points), in mm."""
    widths = BOLD if bold else REGULAR
    ems = sum(
        widths[ord(c) - FIRST] if FIRST <= ord(c) < FIRST + len(widths) else 556 for c in text
    )
    return ems / 1000 * size * PT_MM


def _words(
    column: ColumnSpec,
    block: Block,
    plans: list[Plan],
    people: dict[str, Person],
    size: float,
    room: float,
) -> Iterator[tuple[float, str, str]]:
    """(width, word, where it comes from) for every unbreakable piece the column shows.

    Only pieces long enough to be wider than room are measured (a character is at most
    WIDEST ems wide): most words are short, and a plan of 5,000 actions has a million.
    """
    status = _swatch(column, block)  # a swatch: bold, with padding of its own
    pad = SWATCH_PADDING_MM if status else 0.0
    shortest = int((room - pad) / (WIDEST * size * PT_MM))  # chars that always fit
    headings = [column.heading.replace("{update}", "September 2013")]
    if column.kind == BY_PERIOD:
        labels = [p.label for plan in plans for p in plan.periods]
        headings = [column.heading.replace("{period}", label) for label in labels]
    for heading in headings:
        for piece in _pieces(heading):
            yield text_mm(piece, bold=True, size=size), piece, "its heading"
    too_long = re.compile(rf"\S{{{max(shortest, 0) + 1},}}").search  # a piece can only be shorter
    for plan in plans:
        for text, source in _texts(column, block, plan, people):
            if text and len(text) > shortest and too_long(text):
                for piece in _pieces(text):
                    if len(piece) > shortest:
                        yield text_mm(piece, bold=status, size=size) + pad, piece, source


def _swatch(column: ColumnSpec, block: Block) -> bool:
    """Whether the column shows a status swatch (an action table's status fields)."""
    field = fields.ACTION_FIELDS.get(column.kind)
    return block.type != "recommendation-summary" and field is not None and field.swatch


def _pieces(text: str) -> list[str]:
    """The pieces a line can break between: words, split after a hyphen or slash."""
    return _PIECES.findall(_MARKUP.sub(" ", text or ""))


def _texts(
    column: ColumnSpec, block: Block, plan: Plan, people: dict[str, Person]
) -> Iterator[tuple[str | None, str]]:
    """The texts a column shows for a plan, as its field's entry in fields.py gives them."""
    if block.type == "recommendation-summary":
        entry = fields.RECOMMENDATION_FIELDS.get(column.kind)
        for rec in plan.recommendations if entry else ():
            yield from ((text, f"recommendation {rec.ref}") for text in entry.texts(column, rec))
        return
    field = fields.ACTION_FIELDS.get(column.kind)
    index = measured.index(plan, people)
    for action in plan.actions if field else ():
        yield from ((text, action.name) for text in field.texts(column, action, plan, index))


def _name(column: ColumnSpec) -> str:
    """A column as a message names it: its heading, or its field if the heading varies."""
    return column.field if "{" in column.heading else column.heading
