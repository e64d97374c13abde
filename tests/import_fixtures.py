"""Source documents for the import tests, made here (python-docx, openpyxl) rather than kept.

Each builder writes one file a council might have: a Word plan with merged cells, theme
rows, a repeated heading row, shading-only statuses and multi-line cells, split over two
tables; an Excel tracker with merged ranges, typed dates and filled status cells; a CSV
export; and a Word table of any number of rows for the size limit and the benchmark.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl.styles import PatternFill

from planreport import cli
from planreport.plan import loading
from planreport.plan.model import Plan
from planreport.project import Project
from tests.office_fixtures import word_cell

GREEN, AMBER, RED, BLUE = "00B050", "FFC000", "FF0000", "0070C0"
WORD_HEADINGS = [
    "Ref",
    "Area for improvement",
    "Actions required",
    "Lead officer(s)",
    "Target date",
    "Update September 2013",
    "RAG",
]


def shade(cell: object, colour: str) -> None:
    """Give a Word table cell a background colour."""
    props = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    props.append(shading)


def _fill(cell: object, lines: list[str] | str, bullets: bool = False) -> None:
    """Write lines into a Word cell, one paragraph each (bullets in the List Bullet style)."""
    items = [lines] if isinstance(lines, str) else lines
    first = cell.paragraphs[0]  # type: ignore[attr-defined]
    for i, text in enumerate(items):
        para = first if i == 0 else cell.add_paragraph()  # type: ignore[attr-defined]
        para.add_run(text)
        if bullets and i > 0:
            para.style = "List Bullet"


def _heading_row(table: object) -> None:
    """The heading row of the hand-made plan."""
    for cell, text in zip(table.rows[0].cells, WORD_HEADINGS, strict=True):  # type: ignore[attr-defined]
        cell.text = text


def word_plan(path: Path) -> Path:
    """A Word plan as councils write them: every structure the importer must understand."""
    document = docx.Document()
    document.add_heading("Children's Services Improvement Plan", 0)
    document.add_paragraph("Our response to the inspection of March 2013.")
    table = document.add_table(rows=1, cols=len(WORD_HEADINGS))
    table.style = "Table Grid"
    _heading_row(table)

    def row() -> list:
        return table.add_row().cells

    theme = row()
    theme[0].merge(theme[-1]).text = "Safeguarding"
    first, second = row(), row()
    first[0].text = "1.1"
    first[1].merge(second[1]).text = "1. Strengthen management oversight of referrals."
    _fill(
        first[2],
        ["Review supervision so that it covers:", "risk assessment", "case recording"],
        bullets=True,
    )
    first[3].text = "RB / KS"
    first[4].text = "31st August 2013"
    first[5].text = "Completed – audit in place."
    shade(first[6], GREEN)  # a shaded cell with no words
    second[0].text = "1.2"
    paragraph = second[2].paragraphs[0]
    paragraph.add_run("Audit cases every month.")
    paragraph.add_run().add_break()
    paragraph.add_run("Report findings to the board.")
    second[3].text = "Jane Smith and Director of Children's Services"
    second[4].text = "Q3 2013/14"
    second[5].text = "Two audits done; the third is booked."
    second[6].text = "Amber"
    shade(second[6], AMBER)
    repeated = row()
    for cell, text in zip(repeated, WORD_HEADINGS, strict=True):
        cell.text = text
    theme = row()
    theme[0].merge(theme[-1]).text = "Looked after children"
    third = row()
    third[0].text = "2.1"
    third[1].text = "2. Improve placement stability for looked after children."
    third[2].text = "Agree a placement sufficiency strategy."
    third[3].text = "Director of Children's Services"
    third[4].text = "Ongoing"
    third[5].text = "Draft strategy out for consultation."
    shade(third[6], RED)
    document.add_paragraph("")
    # The table goes on after a page break, with its heading row again.
    more = document.add_table(rows=1, cols=len(WORD_HEADINGS))
    _heading_row(more)
    cells = more.add_row().cells
    cells[0].text = "2.2"
    cells[1].text = "2. Improve placement stability for looked after children."
    cells[2].text = "Recruit 20 more foster carers."
    cells[3].text = "KS"
    cells[4].text = "End of March 2014"
    cells[5].text = "12 recruited so far."
    cells[6].text = "G"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def word_split_over_pages(path: Path) -> Path:
    """A Word plan with a row split over two tables, as conversions from PDF leave them."""
    document = docx.Document()
    document.add_paragraph("Recommendation 6 – Improve the recording of LADO casework.")
    headings = ["Ref", "Action required", "Outcome required", "Timescale", "Lead Officer"]
    first = document.add_table(rows=2, cols=len(headings))
    _fill_row(first.rows[0].cells, headings)
    _fill_row(
        first.rows[1].cells,
        ["6.3.", "Quarterly meetings with complaints staff.",
         "Improved liaison arrangements for discussion of issues and consistent",
         "September 2011", "Nina Martin"],
    )  # fmt: skip
    second = document.add_table(rows=3, cols=len(headings))
    _fill_row(second.rows[0].cells, headings)
    _fill_row(second.rows[1].cells, ["", "", "practice.", "", ""])
    _fill_row(
        second.rows[2].cells,
        ["6.4", "Train managers on LADO.", "Good practice.", "December 2011",
         "Nina Martin /Bernard Fenton"],
    )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _fill_row(cells: list, texts: list[str]) -> None:
    """Write one text into each cell of a row."""
    for cell, text in zip(cells, texts, strict=True):
        cell.text = text


def excel_tracker(path: Path) -> Path:
    """An Excel tracker: a title row, merged ranges, typed dates and filled status cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet["A1"] = "SEND Written Statement of Action tracker"
    sheet.merge_cells("A1:G1")
    headings = ["No.", "Recommendation", "What we will do", "Who", "By when", "Progress", "BRAG"]
    for column, text in enumerate(headings, start=1):
        sheet.cell(row=3, column=column, value=text)
    rows = [
        [
            "R1.1",
            "R1 Improve the timeliness of EHC plans",
            "Recruit two EHC coordinators.\n• advert\n• interviews",
            "Sam Patel",
            datetime(2024, 3, 31),
            "Both posts filled.",
            None,
        ],
        [
            "R1.2",
            None,
            "Weekly tracking of every open assessment.",
            "Head of SEND and Sam Patel",
            datetime(2024, 6, 1),
            "Tracking in place.",
            "A",
        ],
        [
            "R2.1",
            "R2 Involve parents in planning",
            "Co-produce the local offer with the parent carer forum.",
            "Head of SEND",
            "Ongoing",
            "",
            "Complete",
        ],
    ]
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(row=r, column=c, value=value)
    sheet.merge_cells("B4:B5")
    sheet["E4"].number_format = "dd/mm/yyyy"
    sheet["E5"].number_format = "mmm-yy"
    sheet["G4"].fill = PatternFill("solid", fgColor="FF" + BLUE)  # shading alone: Blue
    sheet["G5"].fill = PatternFill("solid", fgColor="FF" + AMBER)
    sheet["C4"].alignment = openpyxl.styles.Alignment(wrap_text=True)
    notes = book.create_sheet("Notes")
    notes["A1"] = "This sheet holds no plan."
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def csv_export(path: Path) -> Path:
    """A CSV export of a tracker, as Excel saves it (Windows-1252, a byte-order mark free)."""
    text = (
        "Action No,Action,Lead,Deadline,Status\r\n"
        '1,"Publish the revised threshold document.",Alex Jones,30/06/2024,Green\r\n'
        '2,"Train all front-door staff; record attendance.",Alex Jones / Priya Shah,Sept 24,Red\r\n'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("cp1252"))
    return path


def big_word_table(path: Path, rows: int, lines: int = 1) -> Path:
    """A Word plan of one table with the given number of action rows, built as XML at once."""
    document = docx.Document()
    document.add_heading("A large plan", 0)
    header = "".join(_tc(h) for h in ("Ref", "Action", "Lead", "Timescale", "Progress", "RAG"))
    body = [f"<w:tr>{header}</w:tr>"]
    for n in range(1, rows + 1):
        text = " ".join([f"Action {n}: review the arrangements and report to the board."] * lines)
        cells = [
            _tc(f"{n}."),
            _tc(text),
            _tc(f"Officer {n % 40}"),
            _tc(f"{['March', 'June', 'September', 'December'][n % 4]} 2024"),
            _tc("On track; the next review is booked."),
            _tc("Green", fill=GREEN),
        ]
        body.append("<w:tr>" + "".join(cells) + "</w:tr>")
    xml = (
        '<w:tbl xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:tblPr/><w:tblGrid>" + "<w:gridCol/>" * 6 + "</w:tblGrid>" + "".join(body) + "</w:tbl>"
    )
    from docx.oxml import parse_xml

    document.element.body.insert(-1, parse_xml(xml))
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _tc(text: str, fill: str | None = None) -> str:
    """A table cell as WordprocessingML, shaded with fill if given."""
    shading = f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>'
    return word_cell(text, shading if fill else "")


def word_without_plan(path: Path) -> Path:
    """A Word document whose only table is not a plan."""
    document = docx.Document()
    document.add_paragraph("Contacts")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Name", "Telephone", "Email"], strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["Jo Bloggs", "0115 000 0000", "jo@example.org"], strict=True
    ):
        cell.text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def through_libreoffice(source: Path, out: Path, kind: str) -> Path:
    """The file as LibreOffice saves it again (docx or xlsx), as many councils' files have been."""
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / f"{source.stem}.{kind}"


def fill(table: object, row: int, texts: tuple[str, ...]) -> None:
    """Write one text into each cell of a Word table's row."""
    for cell, text in zip(table.rows[row].cells, texts, strict=True):  # type: ignore[attr-defined]
        cell.text = text


def import_into(
    tmp_path: Path, source: Path, *args: str, people: str = "people: {}\n"
) -> tuple[int, Plan | None]:
    """planreport import into a fresh repository as at 2017-01-31: its status and the plan."""
    root = tmp_path / "repository"
    (root / "plans").mkdir(parents=True, exist_ok=True)
    (root / "plans" / "people.yaml").write_text(people, encoding="utf-8")
    before = Path.cwd()
    os.chdir(root)
    try:
        code = cli.main(["import", str(source), "--as-at", "2017-01-31", *args])
    finally:
        os.chdir(before)
    found = Project.open(root)
    sources = found.plan_sources()
    plan_id = next(iter(sources), None)
    plan = loading.load_plan(found, sources[plan_id]).value if plan_id else None
    return code, plan
