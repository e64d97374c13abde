"""A bar chart as a Word table: each bar's label, its bar and its total, then a legend.

Each bar is a table of one row nested in its cell: a cell per status, as wide as its
count, in the status's colour and with the count written on it where it fits, as the
PDF's chart writes it (a picture could not carry the numbers as text).
"""

from __future__ import annotations

from planreport.paper import charts
from planreport.paper.model import Bar, Chart, contrast
from planreport.plan.richtext import Run
from planreport.writers.docx.markup import PRESERVE, Xml, cat, el, join
from planreport.writers.docx.styles import STYLES
from planreport.writers.docx.text import KEEP_NEXT, Paragraphs

# A chart as the PDF's figure (charts.svg): its width, label and total columns, each bar's
# row and text size, in points; and its pictures' pixels per point.
_CHART_PT, _LABEL_PT, _TOTAL_PT, _ROW_PT, _TEXT_PT = 510, 220, 32, 19, 10
_BAR_PT, _DIGIT_EM, _PAD_PT = charts.BAR_HEIGHT, 0.556, 4  # a count fits with 2 pt each side
_CHAR_EM = 0.56  # a generous average advance of an Arial-metric font, in ems
_RIGHT = "right"
_SINGLE = el("w:spacing", {"w:after": "0", "w:line": "240", "w:lineRule": "auto"})
_RULE = el("w:bottom", {"w:val": "single", "w:sz": "6", "w:space": "0", "w:color": "000000"})
_MARGINS = el(
    "w:tblCellMar",
    el("w:top", {"w:w": "0", "w:type": "dxa"}),
    el("w:left", {"w:w": "80", "w:type": "dxa"}),
    el("w:bottom", {"w:w": "0", "w:type": "dxa"}),
    el("w:right", {"w:w": "80", "w:type": "dxa"}),
)
_SIDES = ("top", "left", "bottom", "right")
_NO_MARGINS = el("w:tblCellMar", *(el(f"w:{s}", {"w:w": "0", "w:type": "dxa"}) for s in _SIDES))
_LINE = {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "000000"}  # 0.5 pt
_OUTLINE = cat(el(f"w:{side}", _LINE) for side in _SIDES)
# the paragraph a cell needs after a table nested in it: 1 pt high
_AFTER = el("w:spacing", {"w:before": "0", "w:after": "0", "w:line": "20", "w:lineRule": "exact"})


def chart(text: Paragraphs, block: Chart, text_width: int, indent: int) -> Xml:
    """A bar chart: a table of each bar's label, bar and total, then a legend.

    Laid out as the PDF's figure is (a 220 pt label, a 19 pt row per bar, 10 pt text,
    labels cut to one line): each bar is a table of its segments with their counts,
    described by its figures, and the chart table's description is the whole chart's
    text alternative. The chart and its legend are kept on one page when they fit.
    Widths in twips.
    """
    label, total = _LABEL_PT * 20, _TOTAL_PT * 20
    image = min(_CHART_PT * 20, int(text_width / 635)) - label - total
    props = el(
        "w:tblPr",
        el("w:tblW", {"w:w": label + image + total, "w:type": "dxa"}),
        el("w:tblInd", {"w:w": indent, "w:type": "dxa"}),
        el("w:tblLayout", {"w:type": "fixed"}),
        _MARGINS,
        el("w:tblCaption", {"w:val": block.title[:250]}),
        el("w:tblDescription", {"w:val": charts.alt(block)[:2000]}),
    )
    grid = el("w:tblGrid", *(el("w:gridCol", {"w:w": w}) for w in (label, image, total)))
    rows = [_header(text, block.label_heading, (label, image, total))]
    colours = charts.fills(block)
    rows += [_bar(text, block, bar, colours, (label, image, total)) for bar in block.bars]
    return cat((el("w:tbl", props, grid, *rows), _legend(text, block)))


def _header(text: Paragraphs, first: str, widths: tuple[int, int, int]) -> Xml:
    """The chart's header row, repeated on each page."""
    label, image, total = widths
    cells = []
    for heading, width, align in (
        (first, label, None),
        ("Actions by status", image, None),
        ("Total", total, _RIGHT),
    ):
        run = text.run(Run(heading), bold=True, size=_TEXT_PT)
        content = text.para(STYLES["cell"], run, align, cat((KEEP_NEXT, _SINGLE)))
        cells.append(text.tc(width, content, borders=_RULE, centre=True))
    return el("w:tr", el("w:trPr", el("w:tblHeader")), *cells)


def _bar(
    text: Paragraphs, block: Chart, bar: Bar, colours: dict[str, str], widths: tuple[int, int, int]
) -> Xml:
    """One bar's row: its label, its segments (described by its figures), its total."""
    label, image, total = widths
    name = text.run(
        Run(charts.shorten(bar.label, label / 20 - 8, _TEXT_PT, _CHAR_EM)), size=_TEXT_PT
    )
    count = text.run(Run(str(sum(c for c, _ in bar.segments))), size=_TEXT_PT)
    keep = cat((KEEP_NEXT, _SINGLE))
    height = el("w:trHeight", {"w:val": _ROW_PT * 20, "w:hRule": "exact"})
    return el(
        "w:tr",
        el("w:trPr", height),
        text.tc(label, text.para(STYLES["cell"], name, None, keep), centre=True),
        text.tc(image, _segments(text, block, bar, colours, image), margins=False, centre=True),
        text.tc(total, text.para(STYLES["cell"], count, _RIGHT, keep), centre=True),
    )


def _segments(text: Paragraphs, block: Chart, bar: Bar, colours: dict[str, str], width: int) -> Xml:
    """A bar as a one-row table: a cell per status as wide as its count, with the count on it.

    The count is written where it fits, in black or white, whichever reads better on the
    colour (as in the PDF); what the bar does not fill is a cell with no outline.
    """
    keep = cat((KEEP_NEXT, _SINGLE))
    cells, widths, edge, done = [], [], 0, 0
    for count, swatch in bar.segments:
        done += count
        right = round(width * done / block.scale)
        if right <= edge:
            continue
        fill = colours[swatch.label]
        words = str(count)
        shown = (right - edge) / 20 >= len(words) * _DIGIT_EM * _TEXT_PT + _PAD_PT
        run = text.run(Run(words), colour=contrast(fill).lstrip("#"), size=_TEXT_PT)
        content = text.para(STYLES["cell"], run if shown else "", "center", keep)
        cells.append(
            text.tc(right - edge, content, fill.lstrip("#"), borders=_OUTLINE, centre=True)
        )
        widths.append(right - edge)
        edge = right
    if edge < width:
        cells.append(text.tc(width - edge, text.para(STYLES["cell"], "", None, keep)))
        widths.append(width - edge)
    figures = ", ".join(f"{count} {swatch.label}" for count, swatch in bar.segments)
    props = el(
        "w:tblPr",
        el("w:tblW", {"w:w": width, "w:type": "dxa"}),
        el("w:tblLayout", {"w:type": "fixed"}),
        _NO_MARGINS,
        el("w:tblDescription", {"w:val": f"{bar.label}: {figures or 'none'}"[:2000]}),
    )
    grid = el("w:tblGrid", *(el("w:gridCol", {"w:w": w}) for w in widths))
    height = el("w:trHeight", {"w:val": round(_BAR_PT * 20), "w:hRule": "exact"})
    table = el("w:tbl", props, grid, el("w:tr", el("w:trPr", height), *cells))
    return cat((table, text.para(STYLES["cell"], "", None, cat((KEEP_NEXT, _AFTER)))))


def _legend(text: Paragraphs, block: Chart) -> Xml:
    """The legend below the chart: a box of each status's colour, its name and count."""
    keys = []
    for key in charts.legend(block):
        border = {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "000000"}
        shade = {"w:val": "clear", "w:color": "auto", "w:fill": key.colour.lstrip("#")}
        box = el(
            "w:r",
            el("w:rPr", el("w:bdr", border), el("w:shd", shade)),
            el("w:t", PRESERVE, "\u2003"),
        )
        keys.append(cat((box, text.run(Run(f" {key.label} ({key.count})")))))
    legend = join(text.run(Run("\u2003")), keys)
    spacing = el("w:spacing", {"w:before": "80", "w:after": "200"})
    return text.para(STYLES["caption"], legend, extra=spacing)
