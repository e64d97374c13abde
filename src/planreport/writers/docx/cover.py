"""The cover report in Word: its own portrait section before the appendix.

The title, the header table (labels shaded, no header row, as council templates set it)
and the sections' blocks are written by the body writer; a paragraph carrying a portrait
copy of the document's section settings ends the cover's section, so the appendix after
it keeps the layout's orientation, and both share the running header and page numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from planreport.paper.model import Cover, Heading, Text
from planreport.plan.richtext import Para, Run, plain
from planreport.writers.docx.body import ENDING
from planreport.writers.docx.markup import Xml, cat, el
from planreport.writers.docx.styles import STYLES
from planreport.writers.docx.text import KEEP_NEXT

if TYPE_CHECKING:
    from planreport.writers.docx.body import Blocks

A4_TWIPS = (11906, 16838)  # width and height, portrait
LABEL_SHARE = 0.32  # the header table's label column, as in the PDF
CAPTION = "Report details"


def write_cover(writer: Blocks, cover: Cover, header: str | None = None) -> None:
    """The cover report's blocks, then the end of its portrait section.

    header: the relationship id of the cover's own running header (None: the appendix's).
    """
    wide = writer.text_width
    section = writer.document.sections[0]
    writer.text_width = A4_TWIPS[0] * 635 - section.left_margin - section.right_margin
    if cover.council:
        writer.block(Text(plain(cover.council), "organisation"))
    writer.block(Heading(1, cover.title))
    writer.out.append(header_table(writer, cover))
    for block in cover.blocks:
        if isinstance(block, Text) and block.style == "numbered":
            writer.out.append(numbered(writer, block))
        else:
            writer.block(block)
    if writer.paper.blocks:
        writer.end(section_end(writer, header))
    writer.text_width = wide


def header_table(writer: Blocks, cover: Cover) -> Xml:
    """The header table: each label in bold on grey, beside its value; captioned for readers."""
    total = int(writer.text_width / 635)
    widths = [int(total * LABEL_SHARE), total - int(total * LABEL_SHARE)]
    props = el(
        "w:tblPr",
        el("w:tblStyle", {"w:val": writer.ids[STYLES["table"]]}),
        el("w:tblW", {"w:w": sum(widths), "w:type": "dxa"}),
        el("w:tblInd", {"w:w": writer.indent, "w:type": "dxa"}),
        el("w:tblLayout", {"w:type": "fixed"}),
        el("w:tblCaption", {"w:val": CAPTION}),
        el("w:tblDescription", {"w:val": f"{CAPTION}: {cover.title}"}),
    )
    grid = el("w:tblGrid", *(el("w:gridCol", {"w:w": w}) for w in widths))
    rows = []
    for label, value in cover.header:
        head = writer.tc(
            widths[0], writer.para(STYLES["cell"], writer.run(Run(label), True)), shade="F2F2F2"
        )
        rows.append(
            el(
                "w:tr",
                el("w:trPr", el("w:cantSplit")),
                head,
                writer.tc(widths[1], _value(writer, value)),
            )
        )
    caption = writer.para(STYLES["body"], writer.run(Run(CAPTION), True), extra=KEEP_NEXT)
    return Xml(caption + el("w:tbl", props, grid, *rows) + writer.para(STYLES["body"], ""))


def _value(writer: Blocks, value: object) -> Xml:
    """A header value's paragraphs (a cell holds at least one)."""
    text = writer.rich(value, STYLES["cell"])  # type: ignore[arg-type]
    return text or writer.para(STYLES["cell"], "")


def numbered(writer: Blocks, block: Text) -> Xml:
    """A numbered recommendation: its number hanging in the margin of its text, as in the PDF."""
    paras = [b for b in block.rich.blocks if isinstance(b, Para)]
    if len(paras) != len(block.rich.blocks):
        return writer.text(block)  # a list inside: as plain text
    return Xml("".join(writer.para(STYLES["body"], writer.runs(p.runs), extra=HANG) for p in paras))


HANG = el("w:ind", {"w:left": "397", "w:hanging": "397"})  # 0.7 cm


def section_end(writer: Blocks, header: str | None) -> Xml:
    """An empty paragraph ending the cover's section: the document's section settings, portrait.

    header: the relationship id of the cover's running header, in place of the appendix's.
    """
    from docx.oxml.ns import qn
    from lxml import etree

    final = writer.document.element.body.find(qn("w:sectPr"))
    copy = etree.fromstring(etree.tostring(final))
    size = copy.find(qn("w:pgSz"))
    if size is None:
        size = etree.SubElement(copy, qn("w:pgSz"))
    size.set(qn("w:w"), str(A4_TWIPS[0]))
    size.set(qn("w:h"), str(A4_TWIPS[1]))
    size.attrib.pop(qn("w:orient"), None)
    for old in copy.findall(qn("w:type")):
        copy.remove(old)
    for reference in copy.findall(qn("w:headerReference")):
        if header and reference.get(qn("w:type")) == "default":
            reference.set(qn("r:id"), header)
    inner = Xml(etree.tostring(copy, encoding="unicode"))
    return writer.para(STYLES["body"], "", extra=cat((ENDING, inner)))
