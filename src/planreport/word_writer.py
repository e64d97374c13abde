"""Write a paper as a Word document, in the styles of a reference document.

python-docx has no API for repeated header rows, cell shading, table captions, fields,
bookmarks or document language; those are written as WordprocessingML directly.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from importlib import resources
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from .html_writer import RenderError, _contrast
from .paper import Cell, Heading, Notes, Paper, Table, Text
from .richtext import Bullets, Para, Rich, Run, prefixed

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
_MARGIN_MM = 15
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def reference_document(project_templates: Path | None) -> Path:
    """The project's templates/reference.docx (or .dotx), else planreport's own."""
    if project_templates is not None:
        for name in (REFERENCE, "reference.dotx"):
            if (project_templates / name).is_file():
                return project_templates / name
    return Path(str(resources.files("planreport").joinpath(f"templates/{REFERENCE}")))


def missing_styles(document: docx.document.Document) -> list[str]:
    """The styles the writer needs that the reference document lacks."""
    names = {style.name for style in document.styles}
    return [name for name in STYLES.values() if name not in names]


def _open(reference: Path) -> docx.document.Document:
    """Open the reference document (a .dotx is opened as a document)."""
    data = reference.read_bytes()
    if reference.suffix == ".dotx":
        data = _dotx_as_docx(data)
    return docx.Document(io.BytesIO(data))


def _dotx_as_docx(data: bytes) -> bytes:
    """A Word template with its content type changed to a document's."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
                )
            target.writestr(item, content)
    return out.getvalue()


def write_docx(paper: Paper, reference: Path, moment: datetime) -> bytes:
    """The paper as .docx bytes; the same inputs always give the same bytes."""
    document = _open(reference)
    missing = missing_styles(document)
    if missing:
        raise RenderError(
            f"{reference} lacks the Word styles {', '.join(missing)}; add them to it (the "
            "writer needs: " + ", ".join(STYLES.values()) + ")."
        )
    _clear_body(document)
    _page(document, paper)
    _metadata(document, paper, moment)
    writer = _Writer(document, paper)
    for block in paper.blocks:
        writer.block(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _clear_body(document: docx.document.Document) -> None:
    """Remove the reference document's own body text, keeping its section settings."""
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _page(document: docx.document.Document, paper: Paper) -> None:
    """A4, landscape or portrait; header and 'Page N of M' footer unless the reference has them."""
    section = document.sections[0]
    wide, narrow = Mm(297), Mm(210)
    section.orientation = WD_ORIENT.LANDSCAPE if paper.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (wide, narrow) if paper.landscape else (narrow, wide)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(_MARGIN_MM))
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


def _metadata(document: docx.document.Document, paper: Paper, moment: datetime) -> None:
    """Title, author, language and fixed dates; ask Word to refresh fields on opening."""
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
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def _field(paragraph: Paragraph, code: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES, PAGEREF ...) with placeholder text until Word updates it."""
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


def _stable_zip(data: bytes) -> bytes:
    """The same zip with fixed timestamps, so equal documents are equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(item))
    return out.getvalue()


class _Writer:
    """Writes paper blocks into a python-docx document."""

    def __init__(self, document: docx.document.Document, paper: Paper) -> None:
        self.document = document
        self.paper = paper
        section = document.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.bookmark_id = 0
        self.first_heading = True

    def block(self, block: object) -> None:
        """Write one block of the paper."""
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Text):
            self.text(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Notes):
            self.notes(block)

    def heading(self, block: Heading) -> None:
        """A heading in a real heading style, bookmarked if it is a page-reference target."""
        style = "title" if block.level == 1 and self.first_heading else f"h{min(block.level, 3)}"
        self.first_heading = self.first_heading and block.level != 1
        para = self.document.add_paragraph(style=STYLES[style])
        if style == "title":
            # The title is also the document's first heading for navigation and tagging.
            _outline(para, 0)
        para.paragraph_format.keep_with_next = True
        if block.anchor:
            self.bookmark(para, block.anchor, block.text)
        else:
            para.add_run(block.text)

    def bookmark(self, para: Paragraph, name: str, text: str) -> None:
        """Text wrapped in a bookmark called name."""
        self.bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self.bookmark_id))
        start.set(qn("w:name"), name)
        para._p.append(start)
        para.add_run(text)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self.bookmark_id))
        para._p.append(end)

    def text(self, block: Text) -> None:
        """Rich text in the style its role calls for."""
        style = {"subtitle": "subtitle", "label": "body", "meta": "body"}.get(block.style, "body")
        for para in self.rich(block.rich, STYLES[style], container=None):
            if block.style in ("label", "lead", "small"):
                for run in para.runs:
                    run.bold = True
            if block.style == "label":
                para.alignment = 2

    def rich(
        self, rich: Rich, style: str, container: object | None, first: Paragraph | None = None
    ) -> list[Paragraph]:
        """Write rich text as paragraphs (and bulleted paragraphs) into container."""
        add = (container or self.document).add_paragraph
        written: list[Paragraph] = []

        def new(para_style: str) -> Paragraph:
            nonlocal first
            if first is not None:
                para, first = first, None
                para.style = self.document.styles[para_style]
                return para
            return add(style=para_style)

        for block in rich.blocks:
            if isinstance(block, Para):
                para = new(style)
                self.runs(para, block.runs)
                written.append(para)
            elif isinstance(block, Bullets):
                bullet = STYLES["cell-bullet"] if style == STYLES["cell"] else STYLES["bullet"]
                for item in block.items:
                    for i, inner in enumerate(item):
                        para = new(bullet if i == 0 else style)
                        self.runs(para, inner.runs)
                        written.append(para)
        return written

    def runs(self, para: Paragraph, runs: tuple[Run, ...]) -> None:
        """Styled runs, links and note references."""
        for run in runs:
            if run.link:
                self.hyperlink(para, run)
                continue
            out = para.add_run(run.text)
            out.bold = run.bold or None
            out.italic = run.italic or None
            if run.note:
                out.font.superscript = True

    def hyperlink(self, para: Paragraph, run: Run) -> None:
        """A real hyperlink to run.link."""
        rel = para.part.relate_to(run.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        inner = para.add_run(run.text)
        inner.bold = run.bold or None
        inner.italic = run.italic or None
        inner.font.underline = True
        inner.font.color.rgb = RGBColor(0x1D, 0x4F, 0x91)
        para._p.remove(inner._r)
        link.append(inner._r)
        para._p.append(link)

    def notes(self, block: Notes) -> None:
        """Numbered notes."""
        self.heading(Heading(2, block.title))
        for ref, text in block.notes:
            self.rich(prefixed(f"{ref}. ", text), STYLES["body"], None)

    def new_table(
        self, count: int, widths: list[float], caption: str, headings: list[str]
    ) -> DocxTable:
        """A fixed-layout table with a repeated header row, caption and widths."""
        table = self.document.add_table(rows=1, cols=count)
        table.style = self.document.styles[STYLES["table"]]
        table.autofit = False
        self.twips = [int(self.text_width * w / 100 / 635) for w in widths]  # EMU to twips
        tbl_pr = table._tbl.tblPr
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
        for tag, value in (("w:tblCaption", caption), ("w:tblDescription", caption)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value[:250])
            tbl_pr.append(element)
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), self.twips, strict=True):
            col.set(qn("w:w"), str(width))
        header = table.rows[0]
        tr_pr = header._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        tr_pr.append(repeat)
        for cell, text, width in zip(header.cells, headings, self.twips, strict=True):
            _width(cell, width)
            para = cell.paragraphs[0]
            para.style = self.document.styles[STYLES["cell-heading"]]
            para.add_run(text)
            _shade(cell, "D9D9D9")
        return table

    def add_row(self, table: DocxTable) -> list:
        """A new row whose cells have their widths set."""
        cells = table.add_row().cells
        for cell, width in zip(cells, self.twips, strict=True):
            _width(cell, width)
        return cells

    def table(self, block: Table) -> None:
        """A paper table, with group rows spanning all columns and merged first cells."""
        table = self.new_table(
            len(block.columns),
            [c.width for c in block.columns],
            block.caption,
            [c.heading for c in block.columns],
        )
        count = len(block.columns)
        spanning: dict[int, int] = {}
        for row in block.rows:
            cells = self.add_row(table)
            if row.group:
                merged = cells[0].merge(cells[-1]) if count > 1 else cells[0]
                _shade(merged, "F2F2F2")
                self.rich(
                    row.cells[0].content, STYLES["cell-heading"], merged, merged.paragraphs[0]
                )
                continue
            source = iter(row.cells)
            for index in range(count):
                if spanning.get(index, 0) > 0:
                    spanning[index] -= 1
                    _vmerge(cells[index], "continue")
                    continue
                cell = next(source, None)
                if cell is None:
                    break
                if cell.rowspan > 1:
                    spanning[index] = cell.rowspan - 1
                    _vmerge(cells[index], "restart")
                self.cell(cells[index], cell)

    def cell(self, target: object, cell: Cell) -> None:
        """Fill one table cell."""
        first = target.paragraphs[0]
        if cell.status:
            self.status_cell(target, cell.status.label, cell.status.colour)
            return
        if cell.pagerefs:
            first.style = self.document.styles[STYLES["cell"]]
            for i, anchor in enumerate(cell.pagerefs):
                first.add_run("Page " if i == 0 else ", page ")
                _field(first, f"PAGEREF {anchor} \\h", "?")
            return
        written = self.rich(cell.content, STYLES["cell"], target, first)
        if not written:
            first.style = self.document.styles[STYLES["cell"]]
        if cell.row_header:
            for para in written:
                para.paragraph_format.keep_together = True

    def status_cell(self, cell: object, label: str, colour: str | None) -> None:
        """A status as colour and word."""
        para = cell.paragraphs[0]
        para.style = self.document.styles[STYLES["cell"]]
        para.alignment = 1
        run = para.add_run(label)
        run.bold = True
        if colour:
            _shade(cell, colour.lstrip("#"))
            run.font.color.rgb = RGBColor.from_string(_contrast(colour).lstrip("#"))


def _outline(para: Paragraph, level: int) -> None:
    """Give a paragraph an outline level, so it is a heading for navigation."""
    p_pr = para._p.get_or_add_pPr()
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), str(level))
    p_pr.append(outline)


def _width(cell: object, twips: int) -> None:
    """Set a cell's width in twips."""
    tc_pr = cell._tc.get_or_add_tcPr()
    width = tc_pr.find(qn("w:tcW"))
    if width is None:
        width = OxmlElement("w:tcW")
        tc_pr.insert(0, width)
    width.set(qn("w:w"), str(twips))
    width.set(qn("w:type"), "dxa")


def _shade(cell: object, fill: str) -> None:
    """Shade a cell, placing w:shd where the schema wants it."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:color"), "auto")
    shade.set(qn("w:fill"), fill)
    following = [
        qn(t)
        for t in ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
    ]
    for index, child in enumerate(tc_pr):
        if child.tag in following:
            tc_pr.insert(index, shade)
            return
    tc_pr.append(shade)


def _vmerge(cell: object, kind: str) -> None:
    """Mark a cell as starting or continuing a vertical merge."""
    tc_pr = cell._tc.get_or_add_tcPr()
    merge = OxmlElement("w:vMerge")
    if kind == "restart":
        merge.set(qn("w:val"), "restart")
    tc_pr.append(merge)


def make_reference_document() -> bytes:
    """planreport's default reference document: Arial, the styles the writer needs."""
    document = docx.Document()
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (
        ("Title", 20),
        ("Subtitle", 13),
        ("Heading 1", 16),
        ("Heading 2", 13),
        ("Heading 3", 11),
    ):
        style = styles[name]
        style.font.name = "Arial"
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = name != "Subtitle"
        style.font.italic = False
    for spacing in styles["Subtitle"].element.findall(".//" + qn("w:spacing")):
        spacing.getparent().remove(spacing)
    for name, bold in (("Table Text", False), ("Table Heading", True)):
        style = styles.add_style(name, 1)
        style.base_style = normal
        style.font.size = Pt(9)
        style.font.bold = bold
        style.paragraph_format.space_after = Pt(2)
    bullet = styles.add_style("Table Bullet", 1)
    bullet.base_style = styles["List Bullet"]
    bullet.font.size = Pt(9)
    bullet.paragraph_format.space_after = Pt(1)
    styles["Caption"].font.name = "Arial"
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())
