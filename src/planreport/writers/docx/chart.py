"""A bar chart as a Word table: each bar's label, its picture and its total, then a legend."""

from __future__ import annotations

from planreport.paper import charts
from planreport.paper.model import Bar, Chart
from planreport.plan.richtext import Run
from planreport.writers.docx.markup import PRESERVE, Xml, cat, el, join
from planreport.writers.docx.styles import STYLES
from planreport.writers.docx.text import KEEP_NEXT, Paragraphs

# A chart as the PDF's figure (charts.svg): its width, label and total columns, each bar's
# row and text size, in points; and its pictures' pixels per point.
_CHART_PT, _LABEL_PT, _TOTAL_PT, _ROW_PT, _TEXT_PT = 510, 220, 32, 19, 10
_PX_PER_PT = 3
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


def chart(text: Paragraphs, block: Chart, text_width: int, indent: int) -> Xml:
    """A bar chart: a table of each bar's label, picture and total, then a legend.

    Laid out as the PDF's figure is (a 220 pt label, a 19 pt row per bar, 10 pt text,
    labels cut to one line): each bar is a picture whose alternative text states its
    figures, and the table's description is the whole chart's text alternative. The
    chart and its legend are kept on one page when they fit. Widths in twips.
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
    """One bar's row: its label, its picture (with its figures as alternative text), its total."""
    label, image, total = widths
    figures = ", ".join(f"{count} {swatch.label}" for count, swatch in bar.segments)
    png = charts.bar_png(bar, block.scale, colours, image * _PX_PER_PT // 20, _ROW_PT * _PX_PER_PT)
    picture = text.picture(
        png,
        image * 635,
        _ROW_PT * 12700,
        title=bar.label,
        description=f"{bar.label}: {figures or 'none'}",
    )
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
        text.tc(image, text.para(STYLES["cell"], picture, None, keep), margins=False),
        text.tc(total, text.para(STYLES["cell"], count, _RIGHT, keep), centre=True),
    )


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
