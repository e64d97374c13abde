"""The Word writer: a paper as a .docx document, in the styles of a reference document.

python-docx has no API for repeated header rows, cell shading, table captions, fields,
bookmarks or document language; those are written as WordprocessingML directly.
python-docx is loaded only when a paper is first written.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .. import files
from ..paper import Cell, Chart, Heading, Notes, Paper, Table, Text
from ..richtext import Para, Rich, Run, prefixed
from . import RenderContext, RenderError

if TYPE_CHECKING:
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
_MARGIN_MM = 15
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def missing_styles(document: docx.document.Document) -> list[str]:
    """The styles the writer needs that the reference document lacks."""
    names = {style.name for style in document.styles}
    return [name for name in STYLES.values() if name not in names]


# A reference document is a template: its parts together never need more than this.
MAX_REFERENCE_BYTES = 50 * 1024 * 1024


def _open(reference: Path, dirs: tuple[Path, ...]) -> docx.document.Document:
    """Open the reference document (a .dotx is opened as a document), or say why not."""
    import docx

    try:
        data = files.read(reference, tuple(d.resolve() for d in dirs), MAX_REFERENCE_BYTES)
    except files.FileRefused as exc:
        raise RenderError(f"{reference}: {exc.message}") from None
    _check_zip(reference, data)
    if reference.suffix == ".dotx":
        data = _dotx_as_docx(data)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several kinds for a damaged package
        raise RenderError(_not_word(reference, f"({type(exc).__name__}: {exc})")) from None


def _check_zip(reference: Path, data: bytes) -> None:
    """Refuse a reference document that is not a zip, or that unpacks to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(item.file_size for item in package.infolist())
            broken = package.testzip() if unpacked <= MAX_REFERENCE_BYTES else None
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
        raise RenderError(_not_word(reference, f"({exc})")) from None
    if broken is not None:
        raise RenderError(_not_word(reference, f"(its part {broken} is damaged)"))
    if unpacked > MAX_REFERENCE_BYTES:
        raise RenderError(
            f"{reference} unpacks to {unpacked // 1024 // 1024} MiB; a reference document "
            f"needs far less (at most {MAX_REFERENCE_BYTES // 1024 // 1024} MiB). Save your "
            "template again without embedded media, or use planreport's own."
        )


def _not_word(reference: Path, detail: str) -> str:
    """Message for a reference document that cannot be opened."""
    return (
        f"{reference} is not a Word document planreport can open {detail}. Save your "
        "corporate template from Word as .docx (or .dotx) into templates/, or delete it to "
        "use planreport's own."
    )


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


def write_docx(paper: Paper, reference: Path, moment: datetime, dirs: tuple[Path, ...]) -> bytes:
    """The paper as .docx bytes; the same inputs always give the same bytes."""
    document = _open(reference, dirs)
    missing = missing_styles(document)
    if missing:
        raise RenderError(
            f"{reference} lacks the Word styles {', '.join(missing)}; add them to it (the "
            "writer needs: " + ", ".join(STYLES.values()) + ")."
        )
    _clear_body(document)
    _page(document, paper)
    _metadata(document, paper, moment)
    writer = _Blocks(document, paper)
    for block in paper.blocks:
        writer.block(block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


def _clear_body(document: docx.document.Document) -> None:
    """Remove the reference document's own body text, keeping its section settings."""
    from docx.oxml.ns import qn

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _page(document: docx.document.Document, paper: Paper) -> None:
    """A4, landscape or portrait; header and 'Page N of M' footer unless the reference has them."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

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
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def _field(paragraph: Paragraph, code: str, shown: str) -> None:
    """A field (PAGE, NUMPAGES, PAGEREF ...) with placeholder text until Word updates it."""
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


_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_CENTRE, _RIGHT = "center", "right"


def _esc(text: str) -> str:
    """Text escaped for XML."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


class _Blocks:
    """Writes paper blocks as WordprocessingML, one parse per block.

    python-docx adds elements one at a time, searching for each one's place; building a
    table's XML as text and parsing it once is about ten times faster.
    """

    def __init__(self, document: docx.document.Document, paper: Paper) -> None:
        from docx.oxml.ns import qn

        self.document = document
        self.paper = paper
        section = document.sections[0]
        self.text_width = section.page_width - section.left_margin - section.right_margin
        self.bookmark_id = 0
        self.first_heading = True
        self.ids = {style.name: style.style_id for style in document.styles}
        body = document.element.body
        self.body = body
        self.end = body.find(qn("w:sectPr"))

    def emit(self, xml: str) -> None:
        """Add body XML (one or more elements) before the section settings."""
        from docx.oxml import parse_xml

        for element in parse_xml(f"<w:body {_NS}>{xml}</w:body>"):
            if self.end is not None:
                self.end.addprevious(element)
            else:
                self.body.append(element)

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
        if block.anchor:
            self.bookmark_id += 1
            mark = self.bookmark_id
            text = (
                f'<w:bookmarkStart w:id="{mark}" w:name="{_esc(block.anchor)}"/>{text}'
                f'<w:bookmarkEnd w:id="{mark}"/>'
            )
        return self.para(STYLES[key], text, extra="<w:keepNext/>" + outline)

    def text(self, block: Text) -> str:
        """Rich text in the style its role calls for."""
        style = STYLES["subtitle"] if block.style == "subtitle" else STYLES["body"]
        bold = block.style in ("label", "lead", "small")
        return self.rich(
            block.rich, style, bold=bold, align=_RIGHT if block.style == "label" else None
        )

    def para(self, style: str, content: str, align: str | None = None, extra: str = "") -> str:
        """A paragraph in a style."""
        jc = f'<w:jc w:val="{align}"/>' if align else ""
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{self.ids[style]}"/>{extra}{jc}</w:pPr>{content}</w:p>'
        )

    def rich(self, rich: Rich, style: str, bold: bool = False, align: str | None = None) -> str:
        """Rich text as paragraphs, bullets in the list style that goes with style."""
        bullet = STYLES["cell-bullet"] if style == STYLES["cell"] else STYLES["bullet"]
        out = []
        for block in rich.blocks:
            if isinstance(block, Para):
                out.append(self.para(style, self.runs(block.runs, bold), align))
            else:
                for item in block.items:
                    for i, inner in enumerate(item):
                        out.append(
                            self.para(bullet if i == 0 else style, self.runs(inner.runs, bold))
                        )
        return "".join(out)

    def runs(self, runs: tuple[Run, ...], bold: bool = False) -> str:
        """Styled runs, links and note references."""
        return "".join(self.run(run, bold) for run in runs)

    def run(self, run: Run, bold: bool = False, colour: str | None = None) -> str:
        """One run; a link becomes a real hyperlink."""
        props = ""
        if run.bold or bold:
            props += "<w:b/>"
        if run.italic:
            props += "<w:i/>"
        if run.link or colour:
            props += f'<w:color w:val="{colour or "1D4F91"}"/>'
        if run.link:
            props += '<w:u w:val="single"/>'
        if run.note:
            props += '<w:vertAlign w:val="superscript"/>'
        pieces = run.text.split("\n")
        text = "<w:br/>".join(f'<w:t xml:space="preserve">{_esc(piece)}</w:t>' for piece in pieces)
        xml = f"<w:r><w:rPr>{props}</w:rPr>{text}</w:r>"
        if run.link:
            from docx.opc.constants import RELATIONSHIP_TYPE

            rel = self.document.part.relate_to(
                run.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True
            )
            xml = f'<w:hyperlink r:id="{rel}">{xml}</w:hyperlink>'
        return xml

    def table(self, block: Table) -> str:
        """A fixed-layout table: repeated header row, caption, widths, merged cells, shading."""
        widths = [int(self.text_width * c.width / 100 / 635) for c in block.columns]  # EMU to twips
        caption = _esc(block.caption[:250])
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.ids[STYLES["table"]]}"/>'
            f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
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
        spanning: dict[int, int] = {}
        for row in block.rows:
            out.append("<w:tr>")
            if row.group:
                content = self.rich(row.cells[0].content, heading) or self.para(heading, "")
                out.append(self.tc(sum(widths), content, shade="F2F2F2", span=len(widths)))
            else:
                out.append(self.row(row.cells, widths, spanning))
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out) + self.para(STYLES["body"], "")

    def chart(self, block: Chart) -> str:
        """A bar chart as a table of shaded cells, then its text alternative."""
        steps = 50
        label = int(self.text_width * 0.25 / 635)
        step = int(self.text_width * 0.75 / 635 / steps)
        widths = [label] + [step] * steps
        title = _esc(block.title[:250])
        description = _esc(block.description[:250])
        heading = STYLES["cell-heading"]
        out = [
            f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/>'
            f'<w:tblCaption w:val="{title}"/><w:tblDescription w:val="{description}"/></w:tblPr>'
            "<w:tblGrid>" + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>",
            "<w:tr><w:trPr><w:tblHeader/></w:trPr>",
            self.tc(label, self.para(heading, self.run(Run("Group")))),
            self.tc(
                step * steps, self.para(heading, self.run(Run("Actions by status"))), span=steps
            ),
            "</w:tr>",
        ]
        for bar in block.bars:
            out.append(
                "<w:tr>" + self.tc(label, self.para(STYLES["cell"], self.run(Run(bar.label))))
            )
            used = 0
            for count, swatch in bar.segments:
                span = max(1, round(steps * count / block.scale))
                span = min(span, steps - used)
                if span:
                    fill = (swatch.colour or "#BFBFBF").lstrip("#")
                    out.append(
                        self.tc(step * span, self.para(STYLES["cell"], ""), shade=fill, span=span)
                    )
                    used += span
            if used < steps:
                out.append(
                    self.tc(step * (steps - used), self.para(STYLES["cell"], ""), span=steps - used)
                )
            out.append("</w:tr>")
        out.append("</w:tbl>")
        return "".join(out) + self.para(STYLES["caption"], self.run(Run(block.description)))

    def row(self, cells: list[Cell], widths: list[int], spanning: dict[int, int]) -> str:
        """The cells of one row, continuing any vertical merges from rows above."""
        out = []
        source = iter(cells)
        for index, width in enumerate(widths):
            if spanning.get(index, 0) > 0:
                spanning[index] -= 1
                out.append(self.tc(width, self.para(STYLES["cell"], ""), merge="continue"))
                continue
            cell = next(source, None)
            if cell is None:
                cell = Cell()
            merge = None
            if cell.rowspan > 1:
                spanning[index] = cell.rowspan - 1
                merge = "restart"
            out.append(self.cell(cell, width, merge))
        return "".join(out)

    def cell(self, cell: Cell, width: int, merge: str | None) -> str:
        """One table cell: a status in colour and word, page references, or rich text."""
        style = STYLES["cell"]
        if cell.status:
            colour = cell.status.colour
            ink = cell.status.ink.lstrip("#")
            content = self.para(
                style, self.run(Run(cell.status.label), bold=True, colour=ink), _CENTRE
            )
            return self.tc(
                width, content, shade=colour.lstrip("#") if colour else None, merge=merge
            )
        if cell.pagerefs:
            runs = []
            for i, anchor in enumerate(cell.pagerefs):
                runs.append(self.run(Run("Page " if i == 0 else ", page ")))
                runs.append(_field_xml(f"PAGEREF {anchor} \\h", "?"))
            return self.tc(width, self.para(style, "".join(runs)), merge=merge)
        return self.tc(width, self.rich(cell.content, style) or self.para(style, ""), merge=merge)

    def tc(
        self,
        width: int,
        content: str,
        shade: str | None = None,
        span: int = 1,
        merge: str | None = None,
    ) -> str:
        """A table cell with its properties in schema order."""
        props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            props += f'<w:gridSpan w:val="{span}"/>'
        if merge == "restart":
            props += '<w:vMerge w:val="restart"/>'
        elif merge == "continue":
            props += "<w:vMerge/>"
        if shade:
            props += f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>'
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def _field_xml(code: str, shown: str) -> str:
    """A field's runs (PAGEREF ...), showing placeholder text until Word updates it."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {_esc(code)} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{_esc(shown)}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


class DocxWriter:
    """A Word document in the styles of the project's reference document."""

    name = "docx"
    suffix = ".docx"
    description = "a Word document, for officers to edit"

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper as .docx bytes, styled by the context's reference document."""
        return write_docx(paper, context.reference, context.moment, context.templates)


WRITER = DocxWriter()
