"""Paragraphs, runs, pictures and table cells as WordprocessingML, made with markup.el."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from planreport.plan.richtext import Para, Rich, Run, printed
from planreport.writers.docx.markup import PRESERVE, Xml, cat, el, join
from planreport.writers.docx.styles import STYLES

if TYPE_CHECKING:
    import docx

LINK_COLOUR = "1D4F91"  # links, as paper.css: 8.9:1 on white
KEEP_NEXT = el("w:keepNext")
PAGE_BREAK_BEFORE = el("w:pageBreakBefore")
NOTHING = Xml("")
_NO_SIDE_MARGINS = el(
    "w:tcMar",
    el("w:left", {"w:w": "0", "w:type": "dxa"}),
    el("w:right", {"w:w": "0", "w:type": "dxa"}),
)


class Paragraphs:
    """Writes the paragraphs, runs, pictures and cells of one document's body."""

    def __init__(self, document: docx.document.Document) -> None:
        self.document = document
        self.ids = {style.name: style.style_id for style in document.styles}
        self.picture_id = 0

    def para(self, style: str, content: str, align: str | None = None, extra: Xml = NOTHING) -> Xml:
        """A paragraph in a style (content: its runs; extra: more paragraph properties)."""
        jc = el("w:jc", {"w:val": align}) if align else NOTHING
        return el(
            "w:p", el("w:pPr", el("w:pStyle", {"w:val": self.ids[style]}), extra, jc), content
        )

    def rich(
        self,
        rich: Rich,
        style: str,
        bold: bool = False,
        align: str | None = None,
        keep: bool = False,
    ) -> Xml:
        """Rich text as paragraphs, bullets in the list style that goes with style.

        keep: each paragraph kept with the next (a group row with the row after it).
        """
        bullet = STYLES["cell-bullet"] if style == STYLES["cell"] else STYLES["bullet"]
        extra = KEEP_NEXT if keep else NOTHING
        out = []
        for block in rich.blocks:
            if isinstance(block, Para):
                out.append(self.para(style, self.runs(block.runs, bold), align, extra))
                continue
            for item in block.items:
                for i, inner in enumerate(item):
                    out.append(
                        self.para(
                            bullet if i == 0 else style, self.runs(inner.runs, bold), extra=extra
                        )
                    )
        return cat(out)

    def runs(self, runs: tuple[Run, ...], bold: bool = False) -> Xml:
        """Styled runs, links (each with its address after it, as printed) and note references."""
        return cat(self.run(run, bold) for run in printed(runs))

    def run(
        self,
        run: Run,
        bold: bool = False,
        colour: str | None = None,
        underline: bool = False,
        size: float | None = None,
        unbold: bool = False,
    ) -> Xml:
        """One run (size in points, if not the style's); a link becomes a real hyperlink.

        unbold: not bold, in a bold style.
        """
        if not (
            bold or colour or underline or size or unbold or run.bold or run.italic or run.link
        ) and not (run.note or "\n" in run.text):  # most runs: plain text
            return el("w:r", el("w:t", PRESERVE, run.text))
        props = _run_props(run, bold, colour, underline, size, unbold)
        text = join(el("w:br"), (el("w:t", PRESERVE, piece) for piece in run.text.split("\n")))
        xml = el("w:r", el("w:rPr", *props), text) if props else el("w:r", text)
        if run.link:
            from docx.opc.constants import RELATIONSHIP_TYPE

            rel = self.document.part.relate_to(
                run.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
            xml = el("w:hyperlink", {"r:id": rel}, xml)
        return xml

    def picture(self, png: bytes, cx: int, cy: int, title: str, description: str) -> Xml:
        """An inline picture's run: the image, its size in EMU and its alternative text."""
        from docx.oxml.ns import qn
        from docx.oxml.shape import CT_Inline
        from lxml import etree

        rel, _ = self.document.part.get_or_add_image(io.BytesIO(png))  # the same image once
        self.picture_id += 1
        number = self.picture_id
        inline = CT_Inline.new_pic_inline(number, rel, f"chart{number}.png", cx, cy)
        props = inline.find(qn("wp:docPr"))
        props.set("name", f"Chart {number}")
        props.set("title", title[:250])
        props.set("descr", description[:2000])
        drawing = Xml(etree.tostring(inline, encoding="unicode"))  # lxml escapes what it writes
        return el("w:r", el("w:drawing", drawing))

    def tc(
        self,
        width: int,
        content: Xml,
        shade: str | None = None,
        span: int = 1,
        merge: str | None = None,
        borders: Xml = NOTHING,
        margins: bool = True,
        centre: bool = False,
    ) -> Xml:
        """A table cell with its properties in schema order.

        borders: w:tcBorders' content; margins: False for none left and right (a picture
        as wide as its column); centre: the content centred vertically.
        """
        props = [el("w:tcW", {"w:w": width, "w:type": "dxa"})]
        if span > 1:
            props.append(el("w:gridSpan", {"w:val": span}))
        if merge == "restart":
            props.append(el("w:vMerge", {"w:val": "restart"}))
        elif merge == "continue":
            props.append(el("w:vMerge"))
        if borders:
            props.append(el("w:tcBorders", borders))
        if shade:
            props.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": shade}))
        if not margins:
            props.append(_NO_SIDE_MARGINS)
        if centre:
            props.append(el("w:vAlign", {"w:val": "center"}))
        return el("w:tc", el("w:tcPr", *props), content)


def _run_props(
    run: Run, bold: bool, colour: str | None, underline: bool, size: float | None, unbold: bool
) -> list[Xml]:
    """A run's properties, in schema order."""
    props = []
    if run.bold or bold:
        props.append(el("w:b"))
    elif unbold:
        props += [el("w:b", {"w:val": "0"}), el("w:bCs", {"w:val": "0"})]
    if run.italic:
        props.append(el("w:i"))
    if run.link or colour:
        props.append(el("w:color", {"w:val": colour or LINK_COLOUR}))
    if size:
        half_points = round(size * 2)
        props += [el("w:sz", {"w:val": half_points}), el("w:szCs", {"w:val": half_points})]
    if run.link or underline:
        props.append(el("w:u", {"w:val": "single"}))
    if run.note:
        props.append(el("w:vertAlign", {"w:val": "superscript"}))
    return props
