"""Small plans, Office packages and form surgery shared by the update and hostile-input tests.

Word and Excel files are written as raw XML parts in a zip, so a test controls every byte
a hostile file holds; forms are filled and changed the way Excel or a forger would.
"""

from __future__ import annotations

import base64
import json
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from planreport.updates import form as forms

HEADING = "Ref,Action,Lead,Due\n"  # the columns of the small CSV, Word and Excel plans

ANN_ACTION = """\
  - ref: "1"
    addresses: ["1"]
    text: Do it.
    leads: [ann]
    due: 2027-03
"""

MINI = (
    "# yaml-language-server: $schema=../schema/plan.schema.json\n"
    "title: Mini plan\n"
    'recommendations:\n  - {ref: "1", text: Do better.}\n'
    f"actions:\n{ANN_ACTION}"
    "    status: green   # agreed at the board\n"
)

TWO = (
    "title: Two leads\n"
    'recommendations:\n  - {ref: "1", text: Do better.}\n'
    f"actions:\n{ANN_ACTION}"
    + ANN_ACTION.replace('"1"\n', '"2"\n', 1)
    .replace("Do it.", "Do that.")
    .replace("[ann]", "[bob]")
)

PEOPLE = "people:\n  ann: {name: Ann Smith}\n  bob: {name: Bob Jones}\n"

CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "application/vnd.openxmlformats-officedocument"


def plan_project(root: Path, name: str, text: str) -> Path:
    """A project in root with Ann and Bob as people and one plan file, plans/<name>.yaml."""
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "plans" / "people.yaml").write_text(PEOPLE)
    (root / "plans" / f"{name}.yaml").write_text(text)
    return root


def _package(path: Path, parts: dict[str, str], main: str, overrides: dict[str, str]) -> None:
    """An Office package: content types, the root relationship to main, and the parts."""
    types = "".join(
        f'<Override PartName="/{part}" ContentType="{MAIN}.{kind}"/>'
        for part, kind in overrides.items()
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{CONTENT_TYPES}"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            f'ContentType="application/xml"/>{types}</Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="r1" '
            f'Type="{OFFICE}/officeDocument" Target="{main}"/></Relationships>',
        )
        for part, text in parts.items():
            z.writestr(part, text)


def xlsx(path: Path, rows_xml: str, dimension: str = "A1", after: str = "") -> Path:
    """A minimal workbook whose one sheet, 'Plan', holds rows_xml (and after them, after)."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    sheet = "xl/worksheets/sheet1.xml"
    parts = {
        "xl/workbook.xml": f'<workbook {ns} xmlns:r="{OFFICE}"><sheets><sheet name="Plan" '
        'sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship '
        f'Id="r1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        sheet: f'<worksheet {ns}><dimension ref="A1:{dimension}"/><sheetData>{rows_xml}'
        f"</sheetData>{after}</worksheet>",
    }
    kinds = {
        "xl/workbook.xml": "spreadsheetml.sheet.main+xml",
        sheet: "spreadsheetml.worksheet+xml",
    }
    _package(path, parts, "xl/workbook.xml", kinds)
    return path


def cell_xml(ref: str, text: str) -> str:
    """One inline-string Excel cell."""
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_plan_rows() -> str:
    """A heading row and one action (Ann's, due 2020-03), as sheet XML."""
    rows = [HEADING.strip().split(","), ["1", "Do it.", "ann", "2020-03"]]
    return "".join(
        f'<row r="{n}">'
        + "".join(cell_xml(f"{c}{n}", t) for c, t in zip("ABCD", row, strict=True))
        + "</row>"
        for n, row in enumerate(rows, start=1)
    )


def docx(path: Path, body: str) -> Path:
    """A minimal Word document whose body is the given XML."""
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = "word/document.xml"
    xml = f"<w:document {ns}><w:body>{body}</w:body></w:document>"
    _package(path, {document: xml}, document, {document: "wordprocessingml.document.main+xml"})
    return path


def word_cell(text: str, props: str = "") -> str:
    """One Word table cell of one paragraph (props: its w:tcPr, if any)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<w:tc>{props}<w:p><w:r><w:t xml:space="preserve">{escaped}</w:t></w:r></w:p></w:tc>'


def word_plan(extra_row: str) -> str:
    """A Word plan table (heading row and Ann's action) with one more row."""
    grid = "<w:tblGrid>" + "<w:gridCol/>" * 4 + "</w:tblGrid>"
    heading = "".join(word_cell(t) for t in HEADING.strip().split(","))
    action = "".join(word_cell(t) for t in ["1", "Do it.", "ann", "2020-03"])
    return f"<w:tbl>{grid}<w:tr>{heading}</w:tr><w:tr>{action}</w:tr>{extra_row}</w:tbl>"


def fill_xlsx(path: Path, answers: dict[str, dict[str, str]], out: Path) -> Path:
    """Fill a workbook form as Excel would: answers by the Ref shown, then by heading."""
    book = load_workbook(path)
    sheet = book["Your actions"]
    header = next(
        r
        for r in range(1, 20)
        if sheet.cell(r, 1).value == "Ref" or sheet.cell(r, 2).value == "Ref"
    )
    columns = {sheet.cell(header, c).value: c for c in range(1, sheet.max_column + 1)}
    for row in range(header + 1, sheet.max_row + 1):
        ref = sheet.cell(row, columns["Ref"]).value
        for heading, value in answers.get(ref, {}).items():
            sheet.cell(row, columns[heading]).value = value
    book.save(out)
    return out


def rezipped(form: Path, out: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """The package with one part changed."""
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item)
            copy.writestr(item, change(data) if item.filename == part else data)
    return out


def hidden_body(form: Path) -> dict:
    """The hidden data of a workbook form, unpacked (its signature not checked)."""
    text = "".join(
        str(cell.value or "") for (cell,) in load_workbook(form)["planreport"].iter_rows(min_row=2)
    )
    payload = text[len(forms.PREFIX) :].rpartition(".")[0]
    return json.loads(zlib.decompress(base64.urlsafe_b64decode(payload)))


def with_hidden(form: Path, chunks: list[str], out: Path) -> Path:
    """The workbook form with its hidden data replaced by chunks, one cell each."""
    book = load_workbook(form)
    sheet = book["planreport"]
    for (cell,) in sheet.iter_rows(min_row=2):
        cell.value = None
    for row, chunk in enumerate(chunks, start=2):
        sheet.cell(row, 1, chunk)
    book.save(out)
    return out


def hidden_bomb(size: int) -> list[str]:
    """Hidden data, in cell-sized chunks, that unpacks to size spaces (signature '0')."""
    payload = base64.urlsafe_b64encode(zlib.compress(b" " * size, 9)).decode()
    chunks = [payload[i : i + 30_000] for i in range(0, len(payload), 30_000)]
    chunks[0] = forms.PREFIX + chunks[0]
    chunks[-1] += ".0"
    return chunks
