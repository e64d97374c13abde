"""The held-out import corpus: plan files made the way councils make them, truth kept beside.

Each style writes one plan (tests/heldout_content.py) as a council might: Word with theme
rows, with one table per theme under headings, with a title row, recommendation rows and
a heading row repeated after a page break; Excel with a title block, typed dates,
conditional-format RAG and a hidden column, or fill-only RAG, merged cells, a Key sheet and
a version history; CSV in Windows-1252 with semicolons or UTF-8 with a BOM; and a PDF
printed by WeasyPrint from an HTML table over several pages. `make` returns the file and
what each action must be read as (`Expected`), for tests/heldout_score.py.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import docx
import openpyxl
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill

from tests.heldout_content import CONTENTS, Action, Content
from tests.heldout_forms import (
    RAG_FILLS,
    dotted_due_words,
    due_words,
    lead_words,
    status_words,
)
from tests.import_fixtures import shade


@dataclass
class Expected:
    """What an import must read from one action's row."""

    text: str
    recommendation: str
    theme: str
    leads: list[tuple[str, str | None]]
    due: str | None
    status: str | None


@dataclass
class Row:
    """One action as a style writes it: its words per field, and what must be read back."""

    number: str  # the recommendation's number
    recommendation: str
    theme: str
    action: Action
    leads: str
    due: str
    status: str
    expected: Expected


def rows(
    content: Content,
    lead_forms: tuple[str, ...],
    status_form: str,
    dates: Callable[[str | None, int], str] = due_words,
) -> list[Row]:
    """Every action's cells, lead and date forms rotating from row to row."""
    out = []
    for index, (theme, rec, action) in enumerate(content.actions()):
        words, leads = lead_words(action.leads, lead_forms[index % len(lead_forms)])
        expected = Expected(action.text, rec.number, theme.title, leads, action.due, action.status)
        due = dates(action.due, index)
        status = status_words(action.status, status_form)
        out.append(Row(rec.number, rec.text, theme.title, action, words, due, status, expected))
    return out


def _word_fill(cell: object, text: str) -> None:
    """A Word cell's words, a paragraph per line."""
    lines = text.split("\n")
    cell.text = lines[0]  # type: ignore[attr-defined]
    for line in lines[1:]:
        cell.add_paragraph(line)  # type: ignore[attr-defined]


def _word_row(table: object, texts: list[str], fills: dict[int, str] | None = None) -> object:
    """A new row of a Word table with these words, some cells shaded."""
    cells = table.add_row().cells  # type: ignore[attr-defined]
    for index, (cell, text) in enumerate(zip(cells, texts, strict=True)):
        _word_fill(cell, text)
        if fills and index in fills:
            shade(cell, fills[index])
    return cells


def word_theme_rows(content: Content, path: Path) -> list[Expected]:
    """One Word table: theme rows across it, recommendations merged down, RAG as words."""
    document = docx.Document()
    document.add_heading(content.title, 0)
    headings = ["No.", "Recommendation", "Action", "Lead officer", "Timescale", "RAG"]
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = heading
    made = rows(content, ("name", "role"), "word")
    theme, first = None, None
    for row in made:
        if row.theme != theme:
            cells = table.add_row().cells
            cells[0].merge(cells[-1]).text = row.theme
            theme, first = row.theme, None
        texts = [row.number, row.recommendation, row.action.text, row.leads, row.due, row.status]
        cells = _word_row(table, texts)
        if first is not None and first[0] == row.number:
            for column in (0, 1):
                cells[column].text = ""
                first[1][column].merge(cells[column])
        else:
            first = (row.number, cells)
    document.save(str(path))
    return [row.expected for row in made]


def word_tables_per_theme(content: Content, path: Path) -> list[Expected]:
    """A Word table per theme under its heading, two heading rows, RAG by shading alone."""
    document = docx.Document()
    document.add_paragraph(content.title, style="Title")
    document.add_paragraph("Progress as at 31 January 2024.")
    made = rows(content, ("name-role", "name"), "fill")
    headings = ["Ref", "Recommendation", "What we will do", "Lead", "By when", "Progress", "RAG"]
    second = ["", "", "", "Responsibility", "", "Update January 2024", ""]
    theme, table = None, None
    for row in made:
        if row.theme != theme:
            theme = row.theme
            document.add_heading(theme, 2)
            table = document.add_table(rows=2, cols=len(headings))
            table.style = "Table Grid"
            for line, texts in zip(table.rows, (headings, second), strict=True):
                for cell, text in zip(line.cells, texts, strict=True):
                    cell.text = text
        fills = {6: RAG_FILLS[row.action.status]} if row.action.status else {}
        texts = [f"R{row.number}", row.recommendation, row.action.text, row.leads, row.due, "", ""]
        _word_row(table, texts, fills)
    document.save(str(path))
    return [row.expected for row in made]


def word_title_and_repeats(content: Content, path: Path) -> list[Expected]:
    """A title row, 'Recommendation N' rows, the heading row again mid-table, initials."""
    document = docx.Document()
    headings = ["Ref", "Action", "Lead", "Target date", "Status"]
    table = document.add_table(rows=2, cols=len(headings))
    table.style = "Table Grid"
    table.rows[0].cells[0].merge(table.rows[0].cells[-1]).text = content.title
    for cell, heading in zip(table.rows[1].cells, headings, strict=True):
        cell.text = heading
    made = rows(content, ("initials-agency", "initials"), "letter")
    rec, count = None, {}
    for index, row in enumerate(made):
        if index == 5:  # the heading row Word repeats after a page break, typed again
            _word_row(table, headings)
        if row.number != rec:
            rec = row.number
            cells = table.add_row().cells
            cells[0].merge(cells[-1]).text = f"Recommendation {rec}: {row.recommendation}"
        count[rec] = count.get(rec, 0) + 1
        texts = [f"{rec}.{count[rec]}", row.action.text, row.leads, row.due, row.status]
        _word_row(table, texts)
    for row in made:
        row.expected.theme = ""  # no themes in this style
    document.save(str(path))
    return [row.expected for row in made]


def _typed_due(due: str | None, text: str) -> tuple[object, str | None]:
    """A due date as an Excel cell holds it: a typed date with its format, or words."""
    if due is None or due == "ongoing" or " Q" in due:
        return text, None
    parts = [int(p) for p in due.split("-")]
    if len(parts) == 3:
        return date(*parts), "dd/mm/yyyy"
    return date(parts[0], parts[1], 1), "mmm-yy"


def excel_conditional(content: Content, path: Path) -> list[Expected]:
    """An Excel tracker: title block, typed dates, RAG letters coloured by rules, a hidden note."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet["A1"] = content.title
    sheet["A2"] = "Last updated: 31/01/2024"
    headings = ["Ref", "Theme", "Recommendation", "Action", "Lead officer", "Target date", "RAG"]
    sheet.append([])
    sheet.append([*headings, "Officer notes"])
    made = rows(content, ("name", "role", "name-role"), "letter")
    for index, row in enumerate(made, start=1):
        due, shown = _typed_due(row.action.due, row.due)
        values = [str(index), row.theme, f"{row.number}. {row.recommendation}"]
        sheet.append([*values, row.action.text, row.leads, due, row.status, "checked"])
        if shown:
            sheet.cell(row=sheet.max_row, column=6).number_format = shown
    sheet.column_dimensions["H"].hidden = True
    last = sheet.max_row
    for letter, colour in (("R", "FF0000"), ("A", "FFC000"), ("G", "00B050"), ("C", "0070C0")):
        fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
        rule = CellIsRule(operator="equal", formula=[f'"{letter}"'], fill=fill)
        sheet.conditional_formatting.add(f"G5:G{last}", rule)
    book.save(str(path))
    return [row.expected for row in made]


def excel_fills(content: Content, path: Path) -> list[Expected]:
    """An Excel tracker: merged theme and recommendation cells, RAG by fill, Key and history."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Theme", "Rec", "Recommendation", "Action", "Owner", "Deadline", "Status"])
    made = rows(content, ("role", "name"), "fill")
    starts: dict[tuple[int, str], int] = {}
    for row in made:
        line = sheet.max_row + 1
        for column, key in ((1, row.theme), (2, row.number), (3, row.number)):
            start = starts.setdefault((column, key), line)
            if start != line:
                sheet.merge_cells(
                    start_row=start, start_column=column, end_row=line, end_column=column
                )
                continue
            value = {1: row.theme, 2: row.number, 3: row.recommendation}[column]
            sheet.cell(row=line, column=column, value=value)
        for column, value in ((4, row.action.text), (5, row.leads), (6, row.due)):
            sheet.cell(row=line, column=column, value=value)
        if row.action.status:
            colour = RAG_FILLS[row.action.status]
            sheet.cell(row=line, column=7).fill = PatternFill("solid", start_color=colour)
    key = book.create_sheet("Key")
    for label, meaning in (("Blue", "Completed"), ("Green", "On track"), ("Amber", "Some slippage"),
                           ("Red", "Not on track")):  # fmt: skip
        key.append([f"{label} – {meaning}"])
        key.cell(row=key.max_row, column=1).fill = PatternFill(
            "solid", start_color=RAG_FILLS[label]
        )
    history = book.create_sheet("Version history")
    history.append(["Version", "Date", "Changed by", "Changes"])
    history.append(["0.1", "03/11/2023", "HK", "First draft for the partnership board"])
    book.save(str(path))
    return [row.expected for row in made]


def _csv(content: Content, delimiter: str) -> tuple[str, list[Expected]]:
    """A CSV export: theme rows in the first cell, recommendation blank under its first row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["No.", "Recommendation", "Action", "Lead", "Timescale", "RAG"])
    made = rows(content, ("name", "initials", "role"), "word")
    theme, rec = None, None
    for row in made:
        if row.theme != theme:
            theme = row.theme
            writer.writerow([theme, "", "", "", "", ""])
        first = row.number != rec
        rec = row.number
        words = row.recommendation.replace("'", "’") if first else ""
        number = row.number if first else ""
        writer.writerow([number, words, row.action.text, row.leads, row.due, row.status])
    return out.getvalue(), [row.expected for row in made]


def csv_windows(content: Content, path: Path) -> list[Expected]:
    """A CSV file as Excel saves one on a UK Windows PC: Windows-1252, semicolons."""
    text, expected = _csv(content, ";")
    path.write_bytes(text.encode("cp1252"))
    return expected


def csv_bom(content: Content, path: Path) -> list[Expected]:
    """A CSV file in UTF-8 with a byte-order mark, commas."""
    text, expected = _csv(content, ",")
    path.write_bytes(text.encode("utf-8-sig"))
    return expected


def _html_cell(text: str, attributes: str = "") -> str:
    """An HTML table cell, its lines kept."""
    return f"<td{attributes}>{html.escape(text).replace(chr(10), '<br>')}</td>"


def pdf_weasyprint(content: Content, path: Path) -> list[Expected]:
    """A PDF printed from an HTML table: theme rows, rows spanned, RAG shaded.

    On one page: a cell spanning rows across a page break is misread (see docs/import.md),
    and where WeasyPrint breaks the page depends on the fonts the process has loaded.
    """
    from weasyprint import HTML

    made = rows(content, ("name-role", "role"), "word")
    cells = ["Rec", "Recommendation", "Action", "Lead officer", "Timescale", "RAG"]
    head = "".join(f"<th>{h}</th>" for h in cells)
    body, theme, rec = [], None, None
    for row in made:
        if row.theme != theme:
            theme = row.theme
            body.append(f'<tr><td colspan="6"><b>{html.escape(theme)}</b></td></tr>')
        spanned = ""
        if row.number != rec:
            rec = row.number
            span = f' rowspan="{sum(1 for r in made if r.number == rec)}"'
            spanned = _html_cell(rec, span) + _html_cell(row.recommendation, span)
        colour = RAG_FILLS.get(row.action.status or "", "FFFFFF")
        texts = [row.action.text, row.leads, row.due]
        tds = "".join(_html_cell(t) for t in texts)
        body.append(f'<tr>{spanned}{tds}<td style="background:#{colour}">{row.status}</td></tr>')
    page = (
        "<html><head><style>@page{size:A4 landscape;margin:12mm}"
        "table{border-collapse:collapse;width:100%;font:9pt sans-serif}"
        "td,th{border:1px solid #000;padding:3pt;vertical-align:top}</style></head><body>"
        f"<h1>{html.escape(content.title)}</h1><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></body></html>"
    )
    HTML(string=page).write_pdf(str(path))
    return [row.expected for row in made]


def word_questions(content: Content, path: Path) -> list[Expected]:
    """A question tracker in Word: What? (the recommendation) How? Who? When? and RAG."""
    document = docx.Document()
    document.add_heading(content.title, 1)
    headings = ["What?", "How?", "Who?", "When?", "RAG"]
    made = rows(content, ("name-bracket-role", "role-and"), "word")
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, headings, strict=True):
        cell.text = heading
    theme, rec = None, None
    for row in made:
        if row.theme != theme:
            theme = row.theme
            cells = table.add_row().cells
            cells[0].merge(cells[-1]).text = theme
        what = f"{row.number}. {row.recommendation}" if row.number != rec else ""
        rec = row.number
        _word_row(table, [what, row.action.text, row.leads, row.due, row.status])
    document.save(str(path))
    return [row.expected for row in made]


def word_split_table(content: Content, path: Path) -> list[Expected]:
    """One Word table cut in two by a page break, the second part without its heading row."""
    document = docx.Document()
    document.add_paragraph(content.title, style="Title")
    headings = ["Ref", "Recommendation", "Action", "Lead", "Timescale", "Status"]
    made = rows(content, ("initials-slash", "name"), "word")
    half = len(made) // 2
    for number, part in enumerate((made[:half], made[half:])):
        table = document.add_table(rows=0, cols=len(headings))
        table.style = "Table Grid"
        if number == 0:
            _word_row(table, headings)
        for row in part:
            texts = [f"R{row.number}", row.recommendation, row.action.text, row.leads]
            _word_row(table, [*texts, row.due, row.status])
        document.add_page_break()
    for row in made:
        row.expected.theme = ""
    document.save(str(path))
    return [row.expected for row in made]


def csv_tabs(content: Content, path: Path) -> list[Expected]:
    """A tab-separated export: a theme column, dates typed '31.03.2024' and 'Mar 24'."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow(["Theme", "Rec no.", "Recommendation", "Action", "Owner", "Due", "RAG"])
    made = rows(content, ("initials-slash", "name-role"), "letter", dotted_due_words)
    for row in made:
        texts = [row.theme, row.number, row.recommendation, row.action.text, row.leads]
        writer.writerow([*texts, row.due, row.status])
    path.write_text(out.getvalue(), encoding="utf-8")
    return [row.expected for row in made]


Style = Callable[[Content, Path], list[Expected]]
# Each style with the content it is written from and the file's suffix.
STYLES: dict[str, tuple[Style, str, str]] = {
    "word-theme-rows": (word_theme_rows, "send", "docx"),
    "word-tables-per-theme": (word_tables_per_theme, "youth", "docx"),
    "word-title-and-repeats": (word_title_and_repeats, "send", "docx"),
    "excel-conditional": (excel_conditional, "youth", "xlsx"),
    "excel-fills": (excel_fills, "send", "xlsx"),
    "csv-windows-1252": (csv_windows, "youth", "csv"),
    "csv-utf8-bom": (csv_bom, "send", "csv"),
    "pdf-weasyprint": (pdf_weasyprint, "youth", "pdf"),
    "word-questions": (word_questions, "adults", "docx"),
    "word-split-table": (word_split_table, "adults", "docx"),
    "csv-tabs": (csv_tabs, "adults", "csv"),
}


def make(style: str, folder: Path) -> tuple[Path, list[Expected]]:
    """Write one style's file into folder: the file and its truth."""
    writer, content, suffix = STYLES[style]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{style}.{suffix}"
    return path, writer(CONTENTS[content], path)
