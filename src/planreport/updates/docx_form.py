"""Update forms as Word documents: written from the project's reference document, read back.

The document has real headings (the form, how to fill it in, the statuses, each action),
and for each action a two-column table with a header row: what the plan says about the
action, then the answers: the status as a drop-down content control of the plan's
statuses, the rest typed into shaded cells. Each action's table carries its row token as
hidden text, and the last paragraph, hidden, the form's data; both survive LibreOffice,
which drops content controls' tags.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

import docx
from lxml import etree

from planreport import files, ooxml
from planreport.plan.dates import day_words
from planreport.project import Project
from planreport.updates import form as forms
from planreport.updates import formats
from planreport.updates.form import HEADINGS, HINTS, Form, FormRefused, RawForm, RawRow, Row

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
NS = f'xmlns:w="{W_NS}"'
STYLES = ("Heading 1", "Heading 2", "Heading 3", "Normal", "List Bullet", "Table Grid")
PLACEHOLDER = "Choose a status"
ANSWER_SHADE = "FFF2CC"
HEADER_SHADE = "D9D9D9"
LABEL_WIDTH, VALUE_WIDTH = 3000, 6638  # twips: A4 portrait less 20 mm margins
_TOKEN = re.compile(r"\[\[planreport:([^\]\s]+)\]\]")
_HIDDEN = re.compile(r"\[\[planreport-form:([^\]\s]+)\]\]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def write(form: Form, project: Project | None = None) -> bytes:
    """The form as .docx bytes; the same form always gives the same bytes."""
    template, styles = _template(_reference(project))
    body = _Body(form, styles).xml()
    return _package(template, body, _core(form))


def _reference(project: Project | None) -> bytes:
    """The project's reference document (its styles, any it lacks filled in), else planreport's."""
    if project is None:
        return files.read_packaged("templates/reference.docx")
    return project.load_reference().data


@lru_cache(maxsize=4)
def _template(reference: bytes) -> tuple[bytes, dict[str, str]]:
    """The reference document emptied, set to A4 in English, and its styles' ids, made once.

    Each form is then this package with its body put in: opening and saving the reference
    through python-docx for each of 50 forms took most of the time making them.
    """
    document = docx.Document(io.BytesIO(reference))
    body = document.element.body
    for child in list(body):
        if child.tag != f"{W}sectPr":
            body.remove(child)
    _page(document)
    _language(document)
    document.core_properties.title = ""  # the part must exist: each form writes its own
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), {name: document.styles[name].style_id for name in STYLES}


def _page(document: docx.document.Document) -> None:
    """A4 portrait with 20 mm margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)


def _language(document: docx.document.Document) -> None:
    """English (UK) as the language of all text, for spelling and screen readers."""
    defaults = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    if defaults is not None:
        for old in defaults.findall(f"{W}lang"):
            defaults.remove(old)
        lang = etree.SubElement(defaults, f"{W}lang")
        lang.set(f"{W}val", "en-GB")


def _core(form: Form) -> bytes:
    """The form's document properties: title, subject, author, language, the date made."""
    made = f"{form.made.isoformat()}T12:00:00Z"
    title = _esc(f"Progress update: {form.title} – {form.lead_name}")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{title}</dc:title><dc:subject>Progress update form</dc:subject>"
        "<dc:creator>planreport</dc:creator><cp:lastModifiedBy>planreport</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision><dc:language>en-GB</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{made}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{made}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


def _package(template: bytes, body: str, core: bytes) -> bytes:
    """The template package with the form's body before its section settings, and its properties."""

    def with_body(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        at = text.rfind("<w:sectPr")
        at = at if at >= 0 else text.rindex("</w:body>")
        return (text[:at] + body + text[at:]).encode("utf-8")

    return ooxml.rezip(
        template, {"word/document.xml": with_body, "docProps/core.xml": lambda _xml: core}
    )


class _Body:
    """The form's body as WordprocessingML."""

    def __init__(self, form: Form, styles: dict[str, str]) -> None:
        self.form = form
        self.styles = styles

    def xml(self) -> str:
        """Every paragraph and table of the form."""
        form = self.form
        parts = [
            self.para("Heading 1", _run(f"Progress update: {form.title}")),
            self.para("Normal", _run(f"For {form.lead_name}.")),
            self.para("Normal", _run(forms.due_line(form.due), bold=form.due is not None)),
            self.para(
                "Normal",
                _run(
                    f"Made on {day_words(form.made)}: it lists your open actions as the plan "
                    "stood then."
                ),
            ),
            self.para("Heading 2", _run("How to fill in this form")),
            *(self.para("List Bullet", _run(line)) for line in _INSTRUCTIONS),
            self.para("Heading 2", _run("Statuses")),
            self.statuses(),
            self.para("Heading 2", _run("Your actions")),
        ]
        for number, row in enumerate(form.rows, start=1):
            parts.append(self.para("Heading 3", _run(self.heading(number, row))))
            parts.append(self.action(number, row))
        parts.append(
            "<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>"
            + _run(f"[[planreport-form:{forms.encode(form)}]]", hidden=True)
            + "</w:p>"
        )
        return "".join(parts)

    def para(self, style: str, runs: str, extra: str = "") -> str:
        """A paragraph in a named style."""
        return f'<w:p><w:pPr><w:pStyle w:val="{self.styles[style]}"/>{extra}</w:pPr>{runs}</w:p>'

    def heading(self, number: int, row: Row) -> str:
        """An action's heading: '3. Action 1.10', with the plan when a form has several."""
        name = f"{row.name[0].upper()}{row.name[1:]}"
        return f"{number}. {name}" + (f" – {row.plan_title}" if self.form.several_plans else "")

    def statuses(self) -> str:
        """A table of each plan's statuses: status, meaning, whether it means complete."""
        rows = [_tr([_tc(_p(_run(h, bold=True)), w, HEADER_SHADE) for h, w in _STATUS_COLS], True)]
        entries: list[tuple[str, str, str]] = []
        seen: set[str] = set()
        for row in self.form.rows:
            if row.plan not in seen:
                seen.add(row.plan)
                plan = f"{row.plan_title}: " if self.form.several_plans else ""
                entries += [
                    (plan + c.shown, c.meaning or "", "Yes" if c.done else "No")
                    for c in row.choices
                ]
        widths = [w for _h, w in _STATUS_COLS]
        for number, cells in enumerate(entries, start=1):
            keep = number < len(entries)  # the last row lets the actions start on this page
            tcs = [_tc(_p(_run(c), keep), w) for c, w in zip(cells, widths, strict=True)]
            rows.append(_tr(tcs))
        return _table(
            self.styles["Table Grid"],
            [w for _, w in _STATUS_COLS],
            "Statuses",
            "Each status the New status drop-down offers, what it means, and whether it "
            "means the action is complete.",
            rows,
        )

    def action(self, number: int, row: Row) -> str:
        """One action's table: what the plan says, then a shaded cell for each answer."""
        token = _run(f"[[planreport:{self.form.token(number)}]]", hidden=True)
        about = [("Action", row.text), ("Due", row.due), ("Status now", row.status)]
        about.append(("Latest update", row.last_update))
        if self.form.several_plans:
            about.insert(0, ("Plan", row.plan_title))
        rows = [
            _tr(
                [
                    _tc(_p(_run("Item", bold=True)), LABEL_WIDTH, HEADER_SHADE),
                    _tc(_p(_run("Details", bold=True)), VALUE_WIDTH, HEADER_SHADE),
                ],
                header=True,
            )
        ]
        for index, (label, value) in enumerate(about):
            label_xml = _p(_run(label, bold=True) + (token if index == 0 else ""))
            rows.append(_tr([_tc(label_xml, LABEL_WIDTH), _tc(_paras(value), VALUE_WIDTH)]))
        for field in forms.FIELDS:
            keep = field != forms.FIELDS[-1]
            label = _p(_run(f"{HEADINGS[field]} (your answer)", bold=True)) + _p(
                _run(HINTS[field], size=18), keep
            )
            control = _tc(_p(_control(field, row), keep), VALUE_WIDTH, ANSWER_SHADE)
            rows.append(_tr([_tc(label, LABEL_WIDTH), control]))
        return _table(
            self.styles["Table Grid"],
            [LABEL_WIDTH, VALUE_WIDTH],
            f"{self.heading(number, row)}: details and your answers",
            "What the plan says about the action, then a place for each answer.",
            rows,
        )


_INSTRUCTIONS = (
    "For each action below you have news of, fill in the shaded answers. Leave an action "
    "alone if there is nothing to report.",
    "New status: choose from the drop-down list. The statuses are explained in the table below.",
    "Write dates as 2027-03-31 (a day) or 2027-03 (a month). A new due date needs a reason. "
    "A completion date needs the status that means complete.",
    "Please do not delete or reorder the actions, or change what the plan says about them; "
    "tell the plan owner instead.",
)
_STATUS_COLS = (("Status", 3600), ("Meaning", 3838), ("Means complete", 2200))


def _run(text: str, bold: bool = False, hidden: bool = False, size: int | None = None) -> str:
    """A run of text; line breaks in text become <w:br/>."""
    props = ("<w:b/>" if bold else "") + ("<w:vanish/>" if hidden else "")
    props += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>' if size else ""
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    lines = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{_esc(line)}</w:t>' for line in lines)
    return f"<w:r>{rpr}{body}</w:r>"


def _esc(text: str) -> str:
    """Text for XML, without characters XML 1.0 cannot hold."""
    return escape(_NOT_XML.sub("", text))


def _p(runs: str, keep: bool = True) -> str:
    """A paragraph in a table; kept with the next (all but the last row), so a table holds."""
    return f"<w:p><w:pPr><w:keepNext/></w:pPr>{runs}</w:p>" if keep else f"<w:p>{runs}</w:p>"


def _paras(text: str) -> str:
    """Text as paragraphs, one per line of text."""
    return "".join(_p(_run(line)) for line in (text.split("\n") if text else [""]))


def _tc(content: str, width: int, shade: str | None = None) -> str:
    """A table cell of a fixed width, optionally shaded."""
    fill = f'<w:shd w:val="clear" w:color="auto" w:fill="{shade}"/>' if shade else ""
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{fill}</w:tcPr>{content}</w:tc>'


def _tr(cells: list[str], header: bool = False) -> str:
    """A table row; a header row repeats on each page and is not split."""
    props = "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def _table(style: str, widths: list[int], caption: str, description: str, rows: list[str]) -> str:
    """A fixed-layout table with a caption and description for screen readers."""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (
        f'<w:tbl><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        f'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
        f"<w:tblCaption w:val={quoteattr(_esc(caption))}/>"
        f"<w:tblDescription w:val={quoteattr(_esc(description))}/></w:tblPr>"
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
        "<w:p/>"
    )


def _control(field: str, row: Row) -> str:
    """Where an answer goes: a drop-down content control for the status, else the empty cell.

    Text answers are typed straight into their cell: LibreOffice 7.4 moves line breaks out
    of a text content control when it saves, running the lines together.
    """
    if field != "status":
        return ""
    items = "".join(
        f"<w:listItem w:displayText={quoteattr(_esc(c.shown))} w:value={quoteattr(c.key)}/>"
        for c in row.choices
    )
    return (
        f"<w:sdt><w:sdtPr><w:alias w:val={quoteattr(HEADINGS[field])}/>"
        f'<w:tag w:val="planreport:{field}"/><w:lock w:val="sdtLocked"/><w:showingPlcHdr/>'
        f"<w:dropDownList>{items}</w:dropDownList></w:sdtPr><w:sdtContent>"
        f'<w:r><w:rPr><w:i/><w:color w:val="595959"/></w:rPr><w:t>{PLACEHOLDER}</w:t></w:r>'
        "</w:sdtContent></w:sdt>"
    )


# --- reading -----------------------------------------------------------------------------


def read(data: bytes) -> RawForm:
    """The hidden data and answers of a returned document; FormRefused if it is not a form."""
    import zipfile

    formats.check_package(data, "docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            xml = package.read("word/document.xml")
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise FormRefused(
            "this document cannot be read: its text is damaged. Open it in Word or "
            "LibreOffice, save it again as .docx, and try again."
        ) from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        raise FormRefused(
            "this document cannot be read; it may be damaged. Open it in Word or LibreOffice, "
            "save it again as .docx, and try again."
        ) from None
    hidden = _HIDDEN.search(_all_text(root))
    if hidden is None:
        raise FormRefused(forms.NOT_OURS)
    rows = []
    for table in root.iter(f"{W}tbl"):
        token = _TOKEN.search(_all_text(table))
        if token is not None:
            rows.append(_answers(table, token.group(1)))
    if not rows:
        raise FormRefused(
            "the actions' tables, with their hidden references, have been removed from this "
            "form, so its answers cannot be matched to actions. Ask the lead to fill in the "
            "form as it was sent."
        )
    return RawForm(hidden.group(1), rows)


def _all_text(element: etree._Element) -> str:
    """Every piece of text inside element, in order, hidden or not (Word can unhide it)."""
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _answers(table: etree._Element, token: str) -> RawRow:
    """One action's answers, found by the labels in the first column."""
    number = token.rpartition("-")[2]
    values: dict[str, str | None] = {}
    for tr in table.iter(f"{W}tr"):
        cells = tr.findall(f"{W}tc")
        if len(cells) < 2:
            continue
        label = _visible(cells[0])
        for field in forms.FIELDS:
            if label.startswith(HEADINGS[field]) and field not in values:
                values[field] = _answer(cells[1])
    missing = [HEADINGS[f] for f in forms.FIELDS if f not in values]
    if missing:
        raise FormRefused(
            f"item {number} of this form has lost its {', '.join(missing)} row, so it cannot "
            "be read. Ask the lead to fill in the form as it was sent."
        )
    return RawRow(f"item {number}", token, values)


def _answer(cell: etree._Element) -> str:
    """An answer cell's text, empty while the drop-down still shows its placeholder."""
    if cell.find(f".//{W}sdtPr/{W}showingPlcHdr") is not None:
        return ""
    text = _visible(cell)
    return "" if text.strip().lower() == PLACEHOLDER.lower() else text


def _visible(element: etree._Element) -> str:
    """The text a reader sees in element: paragraphs on lines, hidden and deleted text left out."""
    lines = []
    for para in element.iter(f"{W}p"):
        pieces = []
        for run in para.iter(f"{W}r"):
            if run.find(f"{W}rPr/{W}vanish") is not None:
                continue
            for child in run:
                if child.tag == f"{W}t":
                    pieces.append(child.text or "")
                elif child.tag in (f"{W}br", f"{W}cr"):
                    pieces.append("\n")
                elif child.tag == f"{W}tab":
                    pieces.append("\t")
        lines.append("".join(pieces))
    return "\n".join(lines).strip()
