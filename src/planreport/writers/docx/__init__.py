"""The Word writer: a paper as a .docx document, in the styles of a reference document.

python-docx has no API for repeated header rows, cell shading, table captions, fields,
bookmarks or document language; those are written as WordprocessingML directly.
python-docx is loaded only when a paper is first written.
"""

from __future__ import annotations

import bisect
import io
import itertools
import math
import operator
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from planreport import reference as reference_document
from planreport.paper.model import Cell, Chart, Heading, Notes, Paper, Swatch, Table, Text
from planreport.plan.richtext import Para, Rich, Run, prefixed
from planreport.project import display, packaged_templates
from planreport.writers import Format, RenderContext, RenderError, warn

if TYPE_CHECKING:
    from collections.abc import Callable

    import docx
    from docx.text.paragraph import Paragraph

REFERENCE = "reference.docx"
STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "body": "Normal",
    "bullet": "List Bullet",
    "h1": "Heading 1",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "caption": "Caption",
    "table": "Table Grid",
    "cell": "Table Text",
    "cell-heading": "Table Heading",
    "cell-bullet": "Table Bullet",
}
# The page box of the PDF (paper.css @page): margins in mm, top, right, bottom, left.
MARGINS_MM = (20, 15, 18, 15)
# The running header (8.5 pt) and "Page N of M" (9 pt) are centred in the top and bottom
# margins, as the PDF's margin boxes centre them; a line of an Arial-metric font is
# 1.149 em from ascent to descent.
_HEADER_PT, _FOOTER_PT, _LINE_EM = 8.5, 9.0, 1.149
DEFAULT_FONT = "Liberation Sans"
# Fonts with the same metrics, named in the font table for a machine that lacks the paper's
# font: Word substitutes the alternative (and the PANOSE number points at a sans face like
# it), LibreOffice has its own table that maps Arial and Liberation Sans to each other.
_ALTERNATIVES = {
    "Liberation Sans": ("Arial", "020B0604020202020204"),
    "Arimo": ("Arial", "020B0604020202020204"),
    "Arial": ("Liberation Sans", "020B0604020202020204"),
}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _open(path: Path, dirs: tuple[Path, ...]) -> docx.document.Document:
    """Open the reference document, the styles it lacks copied in; RenderError if it cannot be."""
    import docx

    shown = display(path)
    trusted = tuple(d.resolve() for d in dirs)
    try:
        loaded = reference_document.load(path, trusted, packaged_templates() / REFERENCE, shown)
    except reference_document.ReferenceRefused as exc:
        raise RenderError(str(exc)) from None
    for problem in loaded.warnings():
        warn(f"{problem.location}: warning: [{problem.rule}] {problem.message}")
    try:
        return docx.Document(io.BytesIO(loaded.data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise RenderError(
            f"{shown}: this is not a Word document planreport can open "
            f"({type(exc).__name__}: {exc})."
        ) from None


def write_docx(paper: Paper, reference: Path, moment: datetime, dirs: tuple[Path, ...]) -> bytes:
    """The paper as .docx bytes; the same inputs always give the same bytes."""
    document = _open(reference, dirs)
    _clear_body(document)
    _page(document, paper)
    _fonts(document, getattr(paper, "font", DEFAULT_FONT))
    if getattr(paper, "table_size", None):
        _table_size(document, paper.table_size)
    _metadata(document, paper, moment)
    writer = _Blocks(document, paper)
    for block in paper.blocks:
        writer.block(block)
    declared = document.element.nsmap
    missing_ns = "".join(
        f' xmlns:{prefix}="{uri}"'
        for prefix, uri in (("w", _W), ("r", _R))
        if declared.get(prefix) != uri
    )
    buffer = io.BytesIO()
    document.save(buffer)
    body = "".join(writer.out)
    main = document.part.partname.lstrip("/")
    return _stable_zip(buffer.getvalue(), {main: lambda xml: _with_body(xml, body, missing_ns)})


def _with_body(xml: bytes, body: str, declarations: str) -> bytes:
    """The document part's XML with the body's content put in.

    The content goes at the body's start: the cleared body holds only the section settings.
    It is well formed by construction: every text and attribute value passes through
    _esc, the markup around them is the writer's own, and the loader has removed the
    characters XML cannot hold. tests/test_word.py parses papers with every kind of text
    in every place to check it (parsing it here took 0.2 s at 5,000 actions).
    """
    tag = re.search(rb"<((?:[\w.-]+:)?body)\b[^>]*?(/?)>", xml)
    if tag is None:
        raise RenderError("the reference document's main part has no body.")
    name, empty = tag.group(1).decode(), tag.group(2)
    opening = xml[tag.start() : tag.end() - (2 if empty else 1)] + declarations.encode() + b">"
    content = body.encode("utf-8") + (f"</{name}>".encode() if empty else b"")
    return xml[: tag.start()] + opening + content + xml[tag.end() :]


def _clear_body(document: docx.document.Document) -> None:
    """Remove the reference document's own body text, keeping its section settings."""
    from docx.oxml.ns import qn

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _page(document: docx.document.Document, paper: Paper) -> None:
    """A4 with the PDF's margins; header and 'Page N of M' footer unless the reference has them.

    The header and footer sit in the middle of the top and bottom margins, where the PDF
    puts them, well clear of the body.
    """
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    section = document.sections[0]
    wide, narrow = Mm(297), Mm(210)
    section.orientation = WD_ORIENT.LANDSCAPE if paper.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (wide, narrow) if paper.landscape else (narrow, wide)
    top, right, bottom, left = (Mm(mm) for mm in MARGINS_MM)
    section.top_margin, section.right_margin = top, right
    section.bottom_margin, section.left_margin = bottom, left
    section.header_distance = int(top / 2 - Pt(_HEADER_PT * _LINE_EM) / 2)
    section.footer_distance = int(bottom / 2 - Pt(_FOOTER_PT * _LINE_EM) / 2)
    section.gutter = 0
    header = section.header
    if not any(p.text.strip() for p in header.paragraphs):
        first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        first.style = document.styles["Header"]
        first.add_run(paper.running_header)
    footer = section.footer
    if not any(p.text.strip() for p in footer.paragraphs):
        para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        para.style = document.styles["Footer"]
        para.alignment = 2  # right
        para.add_run("Page ")
        _field(para, "PAGE", "1")
        para.add_run(" of ")
        _field(para, "NUMPAGES", "1")


def _fonts(document: docx.document.Document, font: str) -> None:
    """Name the paper's font everywhere: the defaults and every style that names a font.

    Theme fonts are removed: Word uses a style's theme font (Calibri, Cambria) in place of
    the font named beside it. The font table names a metric-compatible alternative for a
    machine without the font (Word cannot embed fonts portably).
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is not None and rpr.find(qn("w:rFonts")) is None:
        rpr.insert(0, OxmlElement("w:rFonts"))
    for rfonts in styles.iter(qn("w:rFonts")):
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)
        for name in ("w:ascii", "w:hAnsi", "w:cs"):
            rfonts.set(qn(name), font)
    _font_table(document, font)


def _table_size(document: docx.document.Document, size: float) -> None:
    """Set every table's text in size points: the table paragraph styles, in this document only.

    The styles carry the size (to the nearest half point, Word's unit), so no run needs its
    own and the file stays as small as at the default size. Chart labels keep their own size.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    half_points = max(2, round(size * 2))
    for key in ("cell", "cell-heading", "cell-bullet"):
        style = document.styles[STYLES[key]]
        style.font.size = Pt(half_points / 2)
        rpr = style.element.rPr
        cs = rpr.find(qn("w:szCs"))
        if cs is None:
            cs = OxmlElement("w:szCs")
            rpr.sz.addnext(cs)  # w:szCs follows w:sz in a run's properties
        cs.set(qn("w:val"), str(half_points))


def _font_table(document: docx.document.Document, font: str) -> None:
    """The font table's entry for font, naming its metric-compatible alternative."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from lxml import etree

    if font not in _ALTERNATIVES:
        return
    try:
        part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
        table = etree.fromstring(part.blob)
    except (KeyError, etree.XMLSyntaxError):
        return  # no font table, or one that cannot be read: Word and LibreOffice manage
    w = table.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for old in table.findall(f"{{{w}}}font"):
        if old.get(f"{{{w}}}name") == font:
            table.remove(old)
    alternative, panose = _ALTERNATIVES[font]
    entry = etree.SubElement(table, f"{{{w}}}font", {f"{{{w}}}name": font})
    for tag, value in (("altName", alternative), ("panose1", panose), ("family", "swiss")):
        etree.SubElement(entry, f"{{{w}}}{tag}", {f"{{{w}}}val": value})
    etree.SubElement(entry, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _metadata(document: docx.document.Document, paper: Paper, moment: datetime) -> None:
    """Title, author, language and fixed dates; no prompt to update fields on opening.

    Word asks whether to update fields when settings has w:updateFields; nothing in the
    paper needs it (page numbers are computed on layout, cross-references are links).
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = document.core_properties
    props.title = paper.title + (f" – {paper.subtitle}" if paper.subtitle else "")
    props.author = paper.author or "planreport"
    props.last_modified_by = props.author
    props.language = paper.language
    props.keywords = ", ".join(paper.keywords)
    props.comments = ""
    props.created = props.modified = props.last_printed = moment.replace(tzinfo=None)
    props.revision = 1
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None:
        for old in rpr.findall(qn("w:lang")):
            rpr.remove(old)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), paper.language)
        rpr.append(lang)
    settings = document.settings.element
    for update in settings.findall(qn("w:updateFields")):
        settings.remove(update)


def _field(paragraph: Paragraph, code: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES) that Word and LibreOffice compute as they lay out pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for kind, text in (
        ("begin", None),
        ("instr", f" {code} "),
        ("separate", None),
        ("text", shown),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def _stable_zip(data: bytes, change: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The same zip with fixed timestamps, so equal documents are equal bytes.

    Each part named in change is replaced by its function's result.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(item)
            if item.filename in change:
                content = change[item.filename](content)
            target.writestr(fixed, content)
    return out.getvalue()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CENTRE, _RIGHT = "center", "right"
_LINK_COLOUR = "1D4F91"  # links, as paper.css: 8.9:1 on white
PAGEREF_TEXT = "Actions"  # a cross-reference's text, as the HTML paper's
# A chart as the PDF's figure (charts.svg): its width, label and total columns, each bar's
# row and text size, in points; and its pictures' pixels per point.
_CHART_PT, _CHART_LABEL_PT, _CHART_TOTAL_PT, _CHART_ROW_PT, _CHART_TEXT_PT = 500, 200, 28, 16, 8
_CHART_PX_PER_PT = 3
_CHART_CHAR_EM = 0.56  # a generous average advance of an Arial-metric font, in ems


def _esc(text: str) -> str:
    """Text escaped for XML."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


class _Blocks:
    """Writes paper blocks as WordprocessingML text, put into the body as it is saved.

    python-docx adds elements one at a time, searching for each one's place, and lxml
    moves a parsed element into another document in time that grows with the square of
    its size (20 s for one table of 2,000 actions): the body is written as text and
    spliced into the saved document part, which is then parsed once to check it.
    """

    def __init__(self, document: docx.document.Document, paper: Paper) -> None:
        self.document = document
        self.paper = paper
        section = document.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.indent = _table_indent(document)
        self.bookmark_id = 0
        self.picture_id = 0
        self.bookmarks = _bookmarks(paper)
        self.marked: set[str] = set()
        self.first_heading = True
        self.ids = {style.name: style.style_id for style in document.styles}
        self.out: list[str] = []  # the body's XML, in order
        self.inks: dict[Swatch, str] = {}
        self._heights: _Heights | None = None

    def emit(self, xml: str) -> None:
        """Add body XML (one or more elements), in order."""
        self.out.append(xml)

    def block(self, block: object) -> None:
        """Write one block of the paper."""
        if isinstance(block, Heading):
            self.emit(self.heading(block))
        elif isinstance(block, Text):
            self.emit(self.text(block))
        elif isinstance(block, Table):
            self.emit(self.table(block))
        elif isinstance(block, Chart):
            self.emit(self.chart(block))
        elif isinstance(block, Notes):
            self.emit(self.heading(Heading(2, block.title)))
            self.emit(
                "".join(
                    self.rich(prefixed(f"{ref}. ", text), STYLES["body"])
                    for ref, text in block.notes
                )
            )

    def heading(self, block: Heading) -> str:
        """A heading in a real heading style, bookmarked if it is a page-reference target."""
        key = "title" if block.level == 1 and self.first_heading else f"h{min(block.level, 3)}"
        self.first_heading = self.first_heading and block.level != 1
        outline = '<w:outlineLvl w:val="0"/>' if key == "title" else ""
        text = self.run(Run(block.text))
        if block.anchor and block.anchor not in self.marked:
            self.marked.add(block.anchor)
            self.bookmark_id += 1
            mark = self.bookmark_id
            name = self.bookmarks[block.anchor]
            text = (
                f'<w:bookmarkStart w:id="{mark}" w:name="{name}"/>{text}'
                f'<w:bookmarkEnd w:id="{mark}"/>'
            )
        return self.para(STYLES[key], text, extra="<w:keepNext/>" + outline)

    def text(self, block: Text) -> str:
        """Rich text in the style its role calls for.

        Text that introduces what follows (a table's lead-in, a label) is kept with it on
        the page, as the PDF's break-after: avoid keeps it (paper.css).
        """
        style = STYLES["subtitle"] if block.style == "subtitle" else STYLES["body"]
        bold = block.style in ("label", "lead", "small")
        return self.rich(
            block.rich,
            style,
            bold=bold,
            align=_RIGHT if block.style == "label" else None,
            keep=block.style in _INTRODUCING,
        )

    def para(self, style: str, content: str, align: str | None = None, extra: str = "") -> str:
        """A paragraph in a style."""
        jc = f'<w:jc w:val="{align}"/>' if align else ""
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/>{extra}{jc}</w:pPr>{content}</w:p>'
        )

    def rich(
        self,
        rich: Rich,
        style: str,
        bold: bool = False,
        align: str | None = None,
        keep: bool = False,
    ) -> str:
        """Rich text as paragraphs, bullets in the list style that goes with style.

        keep: each paragraph kept with the next (a group row with the row after it).
        """
        bullet = STYLES["cell-bullet"] if style == STYLES["cell"] else STYLES["bullet"]
        extra = "<w:keepNext/>" if keep else ""
        out = []
        for block in rich.blocks:
            if isinstance(block, Para):
                out.append(self.para(style, self.runs(block.runs, bold), align, extra))
            else:
                for item in block.items:
                    for i, inner in enumerate(item):
                        out.append(
                            self.para(
                                bullet if i == 0 else style,
                                self.runs(inner.runs, bold),
                                extra=extra,
                            )
                        )
        return "".join(out)

    def runs(self, runs: tuple[Run, ...], bold: bool = False) -> str:
        """Styled runs, links and note references."""
        return "".join(self.run(run, bold) for run in runs)

    def run(
        self,
        run: Run,
        bold: bool = False,
        colour: str | None = None,
        underline: bool = False,
        size: float | None = None,
        unbold: bool = False,
    ) -> str:
        """One run (size in points, if not the style's); a link becomes a real hyperlink.

        unbold: not bold, in a bold style.
        """
        if not (
            bold or colour or underline or size or unbold or run.bold or run.italic or run.link
        ) and not (run.note or "\n" in run.text):  # most runs: plain text
            return f'<w:r><w:t xml:space="preserve">{_esc(run.text)}</w:t></w:r>'
        props = ""
        if run.bold or bold:
            props += "<w:b/>"
        elif unbold:
            props += '<w:b w:val="0"/><w:bCs w:val="0"/>'
        if run.italic:
            props += "<w:i/>"
        if run.link or colour:
            props += f'<w:color w:val="{colour or _LINK_COLOUR}"/>'
        if size:
            props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
        if run.link or underline:
            props += '<w:u w:val="single"/>'
        if run.note:
            props += '<w:vertAlign w:val="superscript"/>'
        pieces = run.text.split("\n")
        text = "<w:br/>".join(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>' for piece in pieces)
        xml = f"<w:r><w:rPr>{props}</w:rPr>{text}</w:r>" if props else f"<w:r>{text}</w:r>"
        if run.link:
            from docx.opc.constants import RELATIONSHIP_TYPE

            rel = self.document.part.relate_to(
                run.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
            xml = f'<w:hyperlink r:id="{rel}">{xml}</w:hyperlink>'
        return xml

    def table(self, block: Table) -> str:
        """A fixed-layout table: repeated header row(s), caption, widths, merged cells, shading.

        A table with sub-headings has a second header row of them (not bold, in italics, as
        the PDF's); both rows repeat on every page. A group row is kept with the row after it.

        A body row is marked "can't split" (w:cantSplit, which Word and LibreOffice honour)
        when it fits on a page below the repeated header rows, as estimated from its text. A
        taller row is left to split, as it must anyway: LibreOffice (7.4 and later; Collabora
        online#11629 and #16066) moves a can't-split row taller than the room below the
        repeated header to the next page and there cuts off the text that does not fit.
        """
        widths = [int(self.text_width * c.width / 100 / 635) for c in block.columns]  # EMU to twips
        caption = _esc(block.caption[:250])
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.ids[STYLES["table"]]}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblInd w:w="{self.indent}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/>'
            f'<w:tblCaption w:val="{caption}"/><w:tblDescription w:val="{caption}"/></w:tblPr>'
            "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>",
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>",
        ]
        heading = STYLES["cell-heading"]
        out += [
            self.tc(w, self.para(heading, self.run(Run(c.heading))), shade="D9D9D9")
            for c, w in zip(block.columns, widths, strict=True)
        ]
        out.append("</w:tr>")
        if block.subheadings:
            out.append("<w:tr><w:trPr><w:tblHeader/></w:trPr>")
            out += [
                self.tc(w, self.para(heading, self.subheading(c.subheading)), shade="D9D9D9")
                for c, w in zip(block.columns, widths, strict=True)
            ]
            out.append("</w:tr>")
        heights = self.heights()
        room = heights.room(block, widths)
        spanning: dict[int, int] = {}
        spans: list[list[float]] = []  # per merge: [its cell's height, rows' height, rows left]
        for row in block.rows:
            if row.group:
                spanning.clear()  # a group row ends any merge (compose never spans one)
                spans.clear()
                content = self.rich(row.cells[0].content, heading, keep=True)
                content = content or self.para(heading, "", extra="<w:keepNext/>")
                tall = heights.cell(row.cells[0], sum(widths), "cell-heading")
                out.append(_KEEP_ROW if tall <= room else "<w:tr>")
                out.append(self.tc(sum(widths), content, shade="F2F2F2", span=len(widths)))
            else:
                placed = _place(row.cells, len(widths), spanning)
                if (
                    spans
                    or any(merge for _, merge in placed)
                    or not heights.surely_fits(placed, widths, room)
                ):
                    tall = _row_height(heights, placed, widths, spans)
                    out.append(_KEEP_ROW if tall <= room else "<w:tr>")
                else:
                    out.append(_KEEP_ROW)
                for (cell, merge), width in zip(placed, widths, strict=True):
                    if merge == "continue":
                        out.append(self.tc(width, self.para(STYLES["cell"], ""), merge=merge))
                    else:
                        out.append(self.cell(cell, width, merge))
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out) + self.para(STYLES["body"], "")

    def subheading(self, text: str) -> str:
        """A sub-heading's run: the heading style's type, not bold, in italics."""
        return self.run(Run(text, italic=True), unbold=True) if text else ""

    def heights(self) -> _Heights:
        """The row height estimator for this document (made when the first table needs it)."""
        if self._heights is None:
            self._heights = _Heights(self.document, self.paper)
        return self._heights

    def chart(self, block: Chart) -> str:
        """A bar chart: a table of each bar's label, picture and total, then a legend.

        Laid out as the PDF's figure is (a 200 pt label, a 16 pt row per bar, 8 pt text,
        labels cut to one line): each bar is a picture whose alternative text states its
        figures, and the table's description is the whole chart's text alternative. The
        chart and its legend are kept on one page when they fit.
        """
        from planreport.paper import charts

        label, total = _CHART_LABEL_PT * 20, _CHART_TOTAL_PT * 20  # twips
        image = min(_CHART_PT * 20, int(self.text_width / 635)) - label - total
        colours = charts.fills(block)
        keep = "<w:keepNext/>"
        single = '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        small = _CHART_TEXT_PT
        rule = '<w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
        out = [
            f'<w:tbl><w:tblPr><w:tblW w:w="{label + image + total}" w:type="dxa"/>'
            f'<w:tblInd w:w="{self.indent}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="80" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblCaption w:val="{_esc(block.title[:250])}"/>'
            f'<w:tblDescription w:val="{_esc(charts.alt(block)[:2000])}"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{label}"/><w:gridCol w:w="{image}"/>'
            f'<w:gridCol w:w="{total}"/></w:tblGrid>'
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>",
        ]
        for text, width, align in (
            ("Group", label, None),
            ("Actions by status", image, None),
            ("Total", total, _RIGHT),
        ):
            run = self.run(Run(text), bold=True, size=small)
            content = self.para(STYLES["cell"], run, align, keep + single)
            out.append(self.tc(width, content, borders=rule, centre=True))
        out.append("</w:tr>")
        height = f'<w:trHeight w:val="{_CHART_ROW_PT * 20}" w:hRule="exact"/>'
        for bar in block.bars:
            figures = ", ".join(f"{count} {swatch.label}" for count, swatch in bar.segments)
            picture = self.picture(
                charts.bar_png(
                    bar,
                    block.scale,
                    colours,
                    image * _CHART_PX_PER_PT // 20,
                    _CHART_ROW_PT * _CHART_PX_PER_PT,
                ),
                image * 635,
                _CHART_ROW_PT * 12700,
                title=bar.label,
                description=f"{bar.label}: {figures or 'none'}",
            )
            name = self.run(Run(_fit(bar.label, label / 20 - 8, small)), size=small)
            count = self.run(Run(str(sum(c for c, _ in bar.segments))), size=small)
            out += [
                f"<w:tr><w:trPr>{height}</w:trPr>",
                self.tc(label, self.para(STYLES["cell"], name, None, keep + single), centre=True),
                self.tc(
                    image, self.para(STYLES["cell"], picture, None, keep + single), margins=False
                ),
                self.tc(
                    total, self.para(STYLES["cell"], count, _RIGHT, keep + single), centre=True
                ),
                "</w:tr>",
            ]
        out.append("</w:tbl>")
        keys = []
        for key in charts.legend(block):
            box = (
                '<w:r><w:rPr><w:bdr w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                f'<w:shd w:val="clear" w:color="auto" w:fill="{key.colour.lstrip("#")}"/>'
                '</w:rPr><w:t xml:space="preserve">\u2003</w:t></w:r>'
            )
            keys.append(box + self.run(Run(f" {key.label} ({key.count})")))
        legend = self.run(Run("\u2003")).join(keys)
        return "".join(out) + self.para(
            STYLES["caption"], legend, extra='<w:spacing w:before="80" w:after="200"/>'
        )

    def picture(self, png: bytes, cx: int, cy: int, title: str, description: str) -> str:
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
        drawing = etree.tostring(inline, encoding="unicode")
        return f"<w:r><w:drawing>{drawing}</w:drawing></w:r>"

    def cell(self, cell: Cell, width: int, merge: str | None) -> str:
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
            links = self.run(Run(", ")).join(self.crossref(anchor) for anchor in cell.pagerefs)
            return self.tc(width, self.para(style, links), merge=merge)
        return self.tc(width, self.rich(cell.content, style) or self.para(style, ""), merge=merge)

    def crossref(self, anchor: str) -> str:
        """A link to a heading's bookmark, which Word and LibreOffice both follow.

        Its text is the HTML paper's, "Actions": a PAGEREF field would show a stale page
        number until Word updates fields (and Word asks to do that on opening).
        """
        name = self.bookmarks.get(anchor)
        if name is None:  # no heading has this anchor: plain text, not a broken link
            return self.run(Run(PAGEREF_TEXT))
        link = self.run(Run(PAGEREF_TEXT), colour=_LINK_COLOUR, underline=True)
        return f'<w:hyperlink w:anchor="{name}" w:history="1">{link}</w:hyperlink>'

    def tc(
        self,
        width: int,
        content: str,
        shade: str | None = None,
        span: int = 1,
        merge: str | None = None,
        borders: str = "",
        margins: bool = True,
        centre: bool = False,
    ) -> str:
        """A table cell with its properties in schema order.

        borders: w:tcBorders' content; margins: False for none left and right (a picture
        as wide as its column); centre: the content centred vertically.
        """
        props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            props += f'<w:gridSpan w:val="{span}"/>'
        if merge == "restart":
            props += '<w:vMerge w:val="restart"/>'
        elif merge == "continue":
            props += "<w:vMerge/>"
        if borders:
            props += f"<w:tcBorders>{borders}</w:tcBorders>"
        if shade:
            props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
        if not margins:
            props += (
                '<w:tcMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tcMar>'
            )
        if centre:
            props += '<w:vAlign w:val="center"/>'
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def _fit(text: str, width: float, size: float) -> str:
    """text cut with an ellipsis to fit on one line width points wide, as the PDF's chart."""
    most = max(4, int(width / (size * _CHART_CHAR_EM)))
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _place(
    cells: list[Cell], columns: int, spanning: dict[int, int]
) -> list[tuple[Cell, str | None]]:
    """Each column's cell in a row, with its vertical merge ("restart", "continue" or None).

    A cell with rowspan > 1 restarts a merge in its column, and the rows below continue
    it there; the row's own cells fill the other columns in order, whatever the spanning
    column's position. spanning counts, per column, the rows still covered by a cell
    above; it is updated.
    """
    placed: list[tuple[Cell, str | None]] = []
    source = iter(cells)
    for index in range(columns):
        if spanning.get(index, 0) > 0:
            spanning[index] -= 1
            placed.append((Cell(), "continue"))
            continue
        cell = next(source, None) or Cell()
        if cell.rowspan > 1:
            spanning[index] = cell.rowspan - 1
            placed.append((cell, "restart"))
        else:
            placed.append((cell, None))
    return placed


_KEEP_ROW = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
_INTRODUCING = ("lead", "small", "intro", "label", "organisation")  # as paper.css keeps them
# A body row is kept whole when its estimated height and the header rows', times the safety
# factor, fit on a page with the slack to spare. Measured against LibreOffice 7.4, rows of
# prose, paragraphs, bullets, bold text and one-word lines in Liberation Sans at 6.5, 9 and
# 12 pt start to lose text at estimates 3 to 15 % over the room (the estimate errs high);
# in DejaVu Sans, a wider font, at 13 % under it. The estimate uses Liberation Sans's
# advance widths (Arial's too): other fonts get the wider margin.
_SAFETY, _SAFETY_OTHER_FONT, _SLACK_PT = 1.15, 1.4, 6.0
_ARIAL_METRICS = frozenset(("Liberation Sans", "Arial", "Arimo"))


def _row_height(
    heights: _Heights,
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


class _Heights:
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
        font = getattr(paper, "font", DEFAULT_FONT)
        self.safety = _SAFETY if font in _ARIAL_METRICS else _SAFETY_OTHER_FONT
        self.first = fit.FIRST
        self.advances = {False: fit.REGULAR, True: fit.BOLD}
        self.space = {False: fit.REGULAR[0], True: fit.BOLD[0]}
        table = _style_chain(document, STYLES["table"])
        self.margins = _cell_margins(table)
        self.metrics = {
            key: _metrics(document, STYLES[key], table)
            for key in ("cell", "cell-heading", "cell-bullet")
        }
        self.known: dict[bool, dict[str, float]] = {False: {}, True: {}}
        self.cells: dict[tuple[str, bool, str, int], float] = {}  # one-run cells' heights
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
        return (self.body - _SLACK_PT) / self.safety - header

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
            text = "".join([run.text for run in block.runs])
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
                memo = (runs[0].text, runs[0].bold, key, width)
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
            links = ", ".join(PAGEREF_TEXT for _ in cell.pagerefs)
            return height + self.para((Run(links),), key, room)
        if not cell.content.blocks:
            return height + self.para((), key, room)
        for block in cell.content.blocks:
            if type(block) is Para:
                height += self.para(block.runs, key, room)
                continue
            for item in block.items:
                for i, para in enumerate(item):
                    height += self.para(para.runs, key if i else "cell-bullet", room)
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


def _style_chain(document: docx.document.Document, name: str) -> list:
    """A style's element and those of the styles it is based on, nearest first."""
    from docx.oxml.ns import qn

    by_id = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
    element = next(
        (
            style
            for style in by_id.values()
            if (label := style.find(qn("w:name"))) is not None and label.get(qn("w:val")) == name
        ),
        None,
    )
    chain: list = []
    while element is not None and all(element is not e for e in chain) and len(chain) < 50:
        chain.append(element)
        based = element.find(qn("w:basedOn"))
        element = by_id.get(based.get(qn("w:val"))) if based is not None else None
    return chain


def _layers(chain: list, defaults: object | None = None) -> list[tuple[object, object]]:
    """(pPr, rPr) of each style in a chain, then of the document defaults if given."""
    from docx.oxml.ns import qn

    layers = [(e.find(qn("w:pPr")), e.find(qn("w:rPr"))) for e in chain]
    if defaults is not None:
        layers.append(
            (
                defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}"),
                defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"),
            )
        )
    return layers


def _inherited(layers: list, which: int, tag: str, attr: str) -> str | None:
    """The nearest value of an attribute of a pPr (which 0) or rPr (which 1) child."""
    from docx.oxml.ns import qn

    for layer in layers:
        props = layer[which]
        child = props.find(qn(tag)) if props is not None else None
        if child is not None and child.get(qn(attr)) is not None:
            return child.get(qn(attr))
    return None


def _points(twips: str | None, default: float | None) -> float | None:
    """A twips attribute in points (default if missing or not a number)."""
    try:
        return float(twips) / 20 if twips is not None else default
    except ValueError:
        return default


def _spacing(layers: list, size: float) -> tuple[float | None, float | None]:
    """The line height and space around a paragraph in points, None where nothing says."""
    rule = _inherited(layers, 0, "w:spacing", "w:lineRule") or "auto"
    value = _points(_inherited(layers, 0, "w:spacing", "w:line"), None)
    single = size * _LINE_EM
    line = None
    if value is not None:
        line = (
            value
            if rule == "exact"
            else max(value, single)
            if rule == "atLeast"
            else (single * value / 12)
        )
    before = _points(_inherited(layers, 0, "w:spacing", "w:before"), None)
    after = _points(_inherited(layers, 0, "w:spacing", "w:after"), None)
    space = None if before is None and after is None else (before or 0) + (after or 0)
    return line, space


def _metrics(
    document: docx.document.Document, name: str, table: list
) -> tuple[float, bool, float, float, float]:
    """A paragraph style in a table: type size, bold, line height, spacing, indent (points).

    table: the table style's chain. Where it sets line or paragraph spacing too, the larger
    counts (Word and LibreOffice settle which wins differently).
    """
    from docx.oxml.ns import qn

    layers = _layers(
        _style_chain(document, name), document.styles.element.find(qn("w:docDefaults"))
    )
    try:
        size = float(_inherited(layers, 1, "w:sz", "w:val") or 20) / 2
    except ValueError:
        size = 10.0
    bold = next(
        (
            (rpr.find(qn("w:b")).get(qn("w:val")) or "1") not in ("0", "false", "off")
            for _, rpr in layers
            if rpr is not None and rpr.find(qn("w:b")) is not None
        ),
        False,
    )
    line, space = _spacing(layers, size)
    table_line, table_space = _spacing(_layers(table), size)
    line = max(line or size * _LINE_EM, table_line or 0)
    space = max(space or 0, table_space or 0)
    indent = _points(
        _inherited(layers, 0, "w:ind", "w:left") or _inherited(layers, 0, "w:ind", "w:start"),
        None,
    )
    if indent is None:
        number = None
        for ppr, _ in layers:
            found = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}") if ppr is not None else None
            if found is not None:
                number = found.get(qn("w:val"))
                break
        indent = _list_indent(document, number) if number is not None else 0.0
    return size, bold, line, space, indent


def _list_indent(document: docx.document.Document, number: str) -> float:
    """The left indent of a numbering's first level in points (18 if it cannot be found)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    try:  # not document.part.numbering_part, which adds one where there is none
        numbering = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except (KeyError, AttributeError):
        return 18.0
    wanted = next(
        (
            n.find(qn("w:abstractNumId")).get(qn("w:val"))
            for n in numbering.iter(qn("w:num"))
            if n.get(qn("w:numId")) == number and n.find(qn("w:abstractNumId")) is not None
        ),
        None,
    )
    for item in numbering.iter(qn("w:abstractNum")):
        if item.get(qn("w:abstractNumId")) != wanted:
            continue
        for level in item.iter(qn("w:lvl")):
            ind = level.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            if level.get(qn("w:ilvl")) in (None, "0") and ind is not None:
                return _points(ind.get(qn("w:left")) or ind.get(qn("w:start")), 18.0) or 0.0
    return 18.0


def _cell_margins(table: list) -> tuple[float, float, float, float]:
    """A table style's cell margins in points: top, bottom, left, right (Word's defaults)."""
    from docx.oxml.ns import qn

    sides = ((("top",), 0.0), (("bottom",), 0.0), (("left", "start"), 5.4), (("right", "end"), 5.4))
    out = []
    for names, default in sides:
        value = None
        for style in table:
            margins = style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
            found = (
                next((m for n in names if (m := margins.find(qn(f"w:{n}"))) is not None), None)
                if margins is not None
                else None
            )
            if found is not None and found.get(qn("w:w")) is not None:
                value = found.get(qn("w:w"))
                break
        out.append(_points(value, default) or 0.0)
    top, bottom, left, right = out
    return top, bottom, left, right


def _table_indent(document: docx.document.Document) -> int:
    """How far to indent tables, in twips, so their borders line up with the text (as in the PDF).

    Word up to 2010 (and LibreOffice, for such documents) measure a table's indent to its
    first cell's text, so the border sits out in the margin by the cell's left margin
    unless the table is indented by that much; from Word 2013 the indent is the border's.
    """
    from docx.oxml.ns import qn

    settings = document.settings.element
    for compat in settings.iter(qn("w:compatSetting")):
        mode = compat.get(qn("w:val")) or ""
        if compat.get(qn("w:name")) == "compatibilityMode" and mode.isdigit() and int(mode) >= 15:
            return 0

    for style in document.styles.element.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) == STYLES["table"]:
            left = style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn('w:left')}")
            if left is not None and (left.get(qn("w:w")) or "").isdigit():
                return int(left.get(qn("w:w")))
    return 108  # Word's default


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


FORMAT = Format(
    name="docx",
    suffix=".docx",
    description="a Word document, for officers to edit",
    default=True,
    order=2,
)


class DocxWriter:
    """A Word document in the styles of the project's reference document."""

    name = FORMAT.name
    suffix = FORMAT.suffix
    description = FORMAT.description

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper as .docx bytes, styled by the context's reference document."""
        return write_docx(paper, context.reference, context.moment, context.templates)


WRITER = DocxWriter()
