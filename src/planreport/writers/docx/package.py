"""The Word document around a paper's body, set up through python-docx, and saved.

The reference document is opened, emptied, given the paper's page, fonts, metadata and
running header and footer; the saved package gets the body put in and is zipped stably.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from planreport import ooxml
from planreport.ooxml import reference as reference_document
from planreport.project import display, packaged_templates
from planreport.writers import RenderError, warn
from planreport.writers.docx.styles import LINE_EM, STYLES

if TYPE_CHECKING:
    from collections.abc import Callable

    import docx
    from docx.blkcntnr import BlockItemContainer
    from docx.text.paragraph import Paragraph

    from planreport.paper.model import Paper

REFERENCE = "reference.docx"
# The page box of the PDF (paper.css @page): margins in mm, top, right, bottom, left.
MARGINS_MM = (20, 15, 18, 15)
# The running header (10 pt) and "Page N of M" (10 pt) are centred in the top and bottom
# margins, as the PDF's margin boxes centre them; a line of an Arial-metric font is
# 1.149 em from ascent to descent.
_HEADER_PT, _FOOTER_PT = 10.0, 10.0
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Fonts with the same metrics, named in the font table for a machine that lacks the paper's
# font: Word substitutes the alternative (and the PANOSE number points at a sans face like
# it), LibreOffice has its own table that maps Arial and Liberation Sans to each other.
_ALTERNATIVES = {
    "Liberation Sans": ("Arial", "020B0604020202020204"),
    "Arimo": ("Arial", "020B0604020202020204"),
    "Arial": ("Liberation Sans", "020B0604020202020204"),
}


def open_reference(path: Path, dirs: tuple[Path, ...]) -> docx.document.Document:
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


def prepare(
    document: docx.document.Document, paper: Paper, moment: datetime, font: str
) -> str | None:
    """The reference document emptied, with the paper's page, fonts and metadata.

    Returns the relationship id of the cover's own running header, if it has one.
    """
    clear_body(document)
    cover_header = set_page(document, paper)
    set_fonts(document, font)
    if getattr(paper, "table_size", None):
        set_table_size(document, paper.table_size)
    set_metadata(document, paper, moment)
    return cover_header


def save(document: docx.document.Document, body: str, font: str) -> bytes:
    """The document as .docx bytes with body (WordprocessingML) as its content, stably zipped."""
    declared = document.element.nsmap
    missing_ns = "".join(
        f' xmlns:{prefix}="{uri}"'
        for prefix, uri in (("w", W), ("r", R))
        if declared.get(prefix) != uri
    )
    change = font_table(document, font) | own_parts(document)
    main = document.part.partname.lstrip("/")
    change[main] = lambda xml: with_body(xml, body, missing_ns)
    buffer = io.BytesIO()
    document.save(buffer)
    return ooxml.rezip(buffer.getvalue(), change)


APP_XML = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>planreport</Application></Properties>"
)


def own_parts(document: docx.document.Document) -> dict[str, Callable[[bytes], bytes]]:
    """The reference document's leftovers dropped, planreport's own app.xml as a change.

    The reference's thumbnail (a blank page) and custom XML (its editor's data) go; its
    application properties (the application that made it, its page and word counts, all
    false of the paper) are replaced by planreport's name alone.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE

    package = document.part.package
    change: dict[str, Callable[[bytes], bytes]] = {}
    for rels, kinds in (
        (package.rels, (RELATIONSHIP_TYPE.THUMBNAIL,)),
        (document.part.rels, (RELATIONSHIP_TYPE.CUSTOM_XML,)),
    ):
        for rid, rel in list(rels.items()):
            if rel.reltype in kinds:
                del rels[rid]
    for rel in package.rels.values():
        if rel.reltype == RELATIONSHIP_TYPE.EXTENDED_PROPERTIES and not rel.is_external:
            change[rel.target_part.partname.lstrip("/")] = lambda _old: APP_XML
    return change


def with_body(xml: bytes, body: str, declarations: str) -> bytes:
    """The document part's XML with the body's content put in.

    The content goes at the body's start: the cleared body holds only the section settings.
    It is well formed by construction: every element is made by markup.el, which escapes
    every text and attribute value, and the loader has removed the
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


def clear_body(document: docx.document.Document) -> None:
    """Remove the reference document's own body text, keeping its section settings."""
    from docx.oxml.ns import qn

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def set_page(document: docx.document.Document, paper: Paper) -> str | None:
    """A4 with the PDF's margins; header and 'Page N of M' footer unless the reference has them.

    The header and footer sit in the middle of the top and bottom margins, where the PDF
    puts them, well clear of the body. The running header is the appendix's, as in the
    PDF; a cover before it gets a header part of its own with the cover's title, whose
    relationship id is returned (None: no cover before an appendix, or the reference's
    own header on every page).
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
    section.header_distance = int(top / 2 - Pt(_HEADER_PT * LINE_EM) / 2)
    section.footer_distance = int(bottom / 2 - Pt(_FOOTER_PT * LINE_EM) / 2)
    section.gutter = 0
    header = section.header
    cover_header = None
    if not any(p.text.strip() for p in header.paragraphs):
        cover = paper.cover.title if paper.cover else None
        running_header(document, header, cover if cover and not paper.blocks else None, paper)
        if cover and paper.blocks:
            from docx.blkcntnr import BlockItemContainer

            part, cover_header = document.part.add_header_part()
            running_header(document, BlockItemContainer(part.element, part), cover, paper)
    footer = section.footer
    if not any(p.text.strip() for p in footer.paragraphs):
        para = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        para.style = document.styles["Footer"]
        para.alignment = 2  # right
        para.add_run("Page ")
        _field(para, "PAGE", "1")
        para.add_run(" of ")
        _field(para, "NUMPAGES", "1")
    return cover_header


def running_header(
    document: docx.document.Document, header: BlockItemContainer, text: str | None, paper: Paper
) -> None:
    """A running header: text (else the paper's), and the paper's marking if it has one."""
    first = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
    first.style = document.styles["Header"]
    first.add_run(text or paper.running_header)
    if paper.marking:
        marked = header.add_paragraph(style=document.styles["Header"])
        marked.add_run(paper.marking.upper()).bold = True


def set_fonts(document: docx.document.Document, font: str) -> None:
    """Name the paper's font everywhere: the defaults and every style that names a font.

    Theme fonts are removed: Word uses a style's theme font (Calibri, Cambria) in place of
    the font named beside it. The font table is changed as the document is saved
    (font_table).
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


def set_table_size(document: docx.document.Document, size: float) -> None:
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


def font_table(document: docx.document.Document, font: str) -> dict[str, Callable[[bytes], bytes]]:
    """The font table's entry for font, naming a metric-compatible alternative, as a change.

    For a machine without the font (Word cannot embed fonts portably). Keyed by the part's
    name in the package, for ooxml.rezip; empty if there is no change.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE
    from lxml import etree

    if font not in _ALTERNATIVES:
        return {}
    try:
        part = document.part.part_related_by(RELATIONSHIP_TYPE.FONT_TABLE)
        table = etree.fromstring(part.blob)
    except (KeyError, etree.XMLSyntaxError):
        return {}  # no font table, or one that cannot be read: Word and LibreOffice manage
    w = table.nsmap.get("w") or W
    for old in table.findall(f"{{{w}}}font"):
        if old.get(f"{{{w}}}name") == font:
            table.remove(old)
    alternative, panose = _ALTERNATIVES[font]
    entry = etree.SubElement(table, f"{{{w}}}font", {f"{{{w}}}name": font})
    for tag, value in (("altName", alternative), ("panose1", panose), ("family", "swiss")):
        etree.SubElement(entry, f"{{{w}}}{tag}", {f"{{{w}}}val": value})
    etree.SubElement(entry, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    xml = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    return {part.partname.lstrip("/"): lambda _old: xml}


def set_metadata(document: docx.document.Document, paper: Paper, moment: datetime) -> None:
    """Title, author, language and fixed dates; no prompt to update fields on opening.

    Word asks whether to update fields when settings has w:updateFields: only page
    references need it (update_fields_on_opening); page numbers are computed on layout.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = document.core_properties
    props.title = paper.cover.title if paper.cover else paper.title
    props.title += f" – {paper.subtitle}" if paper.subtitle and not paper.cover else ""
    props.author = paper.author or ""
    props.last_modified_by = props.author
    props.language = paper.language
    props.keywords = paper.marking or ""  # not the council's name: that is no keyword
    props.comments = ""
    props.subject = paper.marking or ""
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


def update_fields_on_opening(document: docx.document.Document) -> None:
    """Ask Word to update the document's fields on opening (w:updateFields, in schema order).

    Word then asks "This document contains fields that may refer to other files. Do you
    want to update the fields in this document?" and, if so, works out each page reference
    from its own layout; if not, it shows their cached results. LibreOffice ignores it and
    works the pages out as it lays them out.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    settings = document.settings.element
    for old in settings.findall(qn("w:updateFields")):
        settings.remove(old)
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    after = next((c for c in settings if c.tag in _AFTER_UPDATE_FIELDS), None)
    if after is not None:
        after.addprevious(update)
    else:
        settings.append(update)


_AFTER_UPDATE_FIELDS = frozenset(
    f"{{{W}}}{name}"
    for name in (
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "schemaLibrary",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    )
) | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}


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
            run.element.append(instr)
        elif kind == "text":
            run.text = text
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.element.append(char)
