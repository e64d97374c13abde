"""Update forms as Excel workbooks: written with openpyxl, and read back from any office suite.

The first sheet is the form: a title, who it is for, when to return it and how to fill
it in, then one table row per action. The columns about the action are locked; the
answer columns are unlocked, shaded, headed as answers, and the status column offers the
plan's statuses as a drop-down (data validation on the "Statuses" sheet, which explains
each). A hidden column holds each row's token, and a hidden sheet the form's data.
"""

from __future__ import annotations

import io
import re
from datetime import datetime, time
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from planreport import ooxml
from planreport.plan.dates import day_words
from planreport.project import Project
from planreport.updates import form as forms
from planreport.updates import formats
from planreport.updates.form import HEADINGS, HINTS, ROW_HEADING, Form, FormRefused, RawForm, RawRow

FORM_SHEET = "Your actions"
STATUS_SHEET = "Statuses"
DATA_SHEET = "planreport"
HEADER_ROW = 8
CHUNK = 30_000  # under Excel's 32,767 characters a cell
ANSWER_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
OPEN = Protection(locked=False)
TEXT, BOLD = Font(name="Calibri", size=11), Font(name="Calibri", size=11, bold=True)
# Named styles: one per kind of cell, set with one assignment (setting a cell's font, fill,
# border and alignment one by one costs openpyxl a style lookup each, 3 s for 50 forms).
ABOUT_STYLE, ANSWER_STYLE, HEADING_STYLE = "Form: about", "Form: answer", "Form: heading"
# (heading, width) of the columns about each action, then of the answers.
ABOUT = (("Ref", 17), ("Action", 40), ("Due", 20), ("Status now", 16), ("Latest update", 36))
ANSWER_WIDTHS = {"status": 20, "update": 40, "new_due": 13, "reason": 26, "completed": 13}
LINE_POINTS = 15  # one line of 11-point text
TITLE_POINTS = 24  # the row of a title in the 18-point Title style
ANSWER_LINES = 4  # room to write in every answer row
MAX_POINTS = 409  # Excel's tallest row


def write(form: Form, project: Project | None = None) -> bytes:
    """The form as .xlsx bytes; the same form always gives the same bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = FORM_SHEET
    _styles(book)
    about = (("Plan", 22), *ABOUT) if form.several_plans else ABOUT
    _intro(sheet, form, len(about))
    first_row = _table(sheet, form, about)
    _statuses(book, sheet, form, len(about) + 1, first_row)
    _hidden(book, form)
    _protect_and_print(sheet)
    _properties(book, form)
    return _save(book, form)


def _protect_and_print(sheet: Worksheet) -> None:
    """Lock all but the answer cells; header row frozen and printed on every page."""
    sheet.protection.sheet = True
    sheet.protection.formatRows = False  # people may make rows taller to read and write
    sheet.protection.formatColumns = False
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _save(book: Workbook, form: Form) -> bytes:
    """The workbook's bytes, dated the day the form was made (openpyxl stamps now)."""
    buffer = io.BytesIO()
    book.save(buffer)
    stamp = f">{form.made.isoformat()}T12:00:00Z<".encode()
    modified = re.compile(rb"(<dcterms:modified[^>]*)>[^<]*<")
    return ooxml.rezip(
        buffer.getvalue(),
        {"docProps/core.xml": lambda xml: modified.sub(lambda m: m.group(1) + stamp, xml)},
    )


def _styles(book: Workbook) -> None:
    """The named styles of the form's cells: about an action, an answer, a heading."""
    about = NamedStyle(ABOUT_STYLE, font=TEXT, alignment=WRAP, border=BOX)
    answer = NamedStyle(
        ANSWER_STYLE, font=TEXT, alignment=WRAP, border=BOX, fill=ANSWER_FILL, protection=OPEN
    )
    answer.number_format = "@"  # text: Excel must not turn 2027-03 into a day
    heading = NamedStyle(HEADING_STYLE, font=BOLD, fill=HEADER_FILL, alignment=WRAP, border=BOX)
    for style in (about, answer, heading):
        book.add_named_style(style)


def _intro(sheet: Worksheet, form: Form, about: int) -> None:
    """Title, who the form is for, when to return it and how to fill it in."""
    _put(sheet, 1, 1, f"Progress update: {form.title}").style = "Title"
    sheet.row_dimensions[1].height = TITLE_POINTS
    lines = [
        f"For {form.lead_name}.",
        forms.due_line(form.due),
        f"Made on {day_words(form.made)}: it lists your open actions as the plan stood then.",
        "How to fill it in: for each action you have news of, fill in the columns under "
        "'Your answers' (shaded; the other columns are locked). Leave a row empty if there is "
        "nothing to report.",
        "Write dates as 2027-03-31 (a day) or 2027-03 (a month). A new due date needs a "
        "reason. A completion date needs the status that means complete (see the Statuses "
        "sheet). Do not add, delete or move rows or columns.",
    ]
    for offset, line in enumerate(lines):
        _put(sheet, 2 + offset, 1, line)
    sheet.cell(HEADER_ROW - 1, 1, "About each action (locked)").font = BOLD
    sheet.cell(HEADER_ROW - 1, about + 1, "Your answers (fill in)").font = BOLD


def _table(sheet: Worksheet, form: Form, about: tuple[tuple[str, int], ...]) -> int:
    """The header row and one row per action, as an Excel table; returns its first row."""
    headings = [h for h, _ in about] + [HEADINGS[f] for f in forms.FIELDS] + [ROW_HEADING]
    widths = [w for _, w in about] + [ANSWER_WIDTHS[f] for f in forms.FIELDS] + [24]
    for col, (heading, width) in enumerate(zip(headings, widths, strict=True), start=1):
        sheet.cell(HEADER_ROW, col, heading).style = HEADING_STYLE
        sheet.column_dimensions[get_column_letter(col)].width = width
    answer_cols = range(len(about) + 1, len(about) + 1 + len(forms.FIELDS))
    for number, row in enumerate(form.rows, start=1):
        r = HEADER_ROW + number
        ref = f"{row.name[0].upper()}{row.name[1:]}" if row.key != row.ref else row.ref
        values = [row.text, row.due, row.status, row.last_update]
        values = ([row.plan_title] if form.several_plans else []) + [ref, *values]
        for col, value in enumerate(values, start=1):
            _put(sheet, r, col, value).style = ABOUT_STYLE
        sheet.row_dimensions[r].height = _height(values, widths)
        for col in answer_cols:
            sheet.cell(r, col).style = ANSWER_STYLE
        sheet.cell(r, answer_cols.stop, form.token(number)).style = ABOUT_STYLE
    sheet.row_dimensions[HEADER_ROW].height = 2 * LINE_POINTS + 2
    last = HEADER_ROW + len(form.rows)
    sheet.column_dimensions[get_column_letter(answer_cols.stop)].hidden = True
    ref = f"A{HEADER_ROW}:{get_column_letter(answer_cols.stop)}{last}"
    table = Table(displayName="YourActions", ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    sheet.add_table(table)
    _prompts(sheet, answer_cols, last)
    return HEADER_ROW + 1


def _put(sheet: Worksheet, row: int, col: int, value: str) -> Cell:
    """A cell holding text from a plan as text: '=...' is never made a formula."""
    cell = sheet.cell(row, col, value)
    cell.data_type = "s"
    return cell


def _height(values: list[str], widths: list[int], lines: int = ANSWER_LINES) -> float:
    """A row tall enough for its wrapped text, and at least lines tall.

    Excel and LibreOffice do not fit rows to their text when opening a file.
    """
    for value, width in zip(values, widths, strict=False):
        per_line = max(1, int(width * 1.05))
        needed = sum(max(1, -(-len(part) // per_line)) for part in str(value).split("\n"))
        lines = max(lines, needed)
    return min(MAX_POINTS, lines * LINE_POINTS + 4)


def _prompts(sheet: Worksheet, answer_cols: range, last: int) -> None:
    """A hint shown when an answer cell is selected (screen readers announce it too)."""
    for field, col in zip(forms.FIELDS, answer_cols, strict=True):
        if field == "status":
            continue
        letter = get_column_letter(col)
        hint = DataValidation(
            allow_blank=True,
            showInputMessage=True,
            promptTitle=HEADINGS[field][:32],
            prompt=HINTS[field][:255],
        )
        hint.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
        sheet.add_data_validation(hint)


def _statuses(book: Workbook, sheet: Worksheet, form: Form, status_col: int, first: int) -> None:
    """The Statuses sheet explaining each status, and each row's drop-down of its plan's."""
    ranges = _status_sheet(book, form)
    letter = get_column_letter(status_col)
    for plan, source in ranges.items():
        statuses = [c.shown for c in next(r.choices for r in form.rows if r.plan == plan)]
        check = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Not a status of this plan",
            error=("Choose one of: " + "; ".join(statuses))[:255],
            showInputMessage=True,
            promptTitle=HEADINGS["status"],
            prompt=HINTS["status"],
        )
        rows = [first + n for n, item in enumerate(form.rows) if item.plan == plan]
        for start, end in _runs(rows):
            check.add(f"{letter}{start}:{letter}{end}")
        sheet.add_data_validation(check)


def _status_sheet(book: Workbook, form: Form) -> dict[str, str]:
    """A sheet listing each plan's statuses; the range of each plan's, for its drop-down."""
    key = book.create_sheet(STATUS_SHEET)
    key["A1"] = "Statuses"
    key["A1"].style = "Title"
    key.row_dimensions[1].height = TITLE_POINTS
    key["A2"] = "The New status column offers these. 'Means complete' statuses need a date."
    columns = (("Plan", 40), ("Status", 26), ("Meaning", 30), ("Means complete", 16))
    for col, (heading, width) in enumerate(columns, start=1):
        key.cell(4, col, heading).style = HEADING_STYLE
        key.column_dimensions[get_column_letter(col)].width = width
    ranges: dict[str, str] = {}
    row = 5
    for item in form.rows:
        if item.plan in ranges:
            continue
        start = row
        for choice in item.choices:
            done = "Yes" if choice.done else "No"
            values = [item.plan_title, choice.shown, choice.meaning or "", done]
            for col, value in enumerate(values, start=1):
                _put(key, row, col, value).style = ABOUT_STYLE
            key.row_dimensions[row].height = _height(values, [w for _h, w in columns], 1)
            row += 1
        ranges[item.plan] = f"'{STATUS_SHEET}'!$B${start}:$B${row - 1}"
    style = TableStyleInfo(name="TableStyleLight1", showRowStripes=False)
    key.add_table(Table(displayName="Statuses", ref=f"A4:D{row - 1}", tableStyleInfo=style))
    key.protection.sheet = True
    key.page_setup.orientation = "landscape"
    key.page_setup.fitToWidth, key.page_setup.fitToHeight = 1, 0
    key.sheet_properties.pageSetUpPr.fitToPage = True
    return ranges


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Consecutive numbers as (first, last) runs: [9, 10, 11, 14] -> [(9, 11), (14, 14)]."""
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and runs[-1][1] == n - 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def _hidden(book: Workbook, form: Form) -> None:
    """The form's hidden data on a sheet nobody sees."""
    data = book.create_sheet(DATA_SHEET)
    data["A1"] = "What planreport needs to apply this form. Do not change it."
    text = forms.encode(form)
    for index in range(0, len(text), CHUNK):
        data.cell(2 + index // CHUNK, 1, text[index : index + CHUNK])
    data.protection.sheet = True
    data.sheet_state = "veryHidden"


def _properties(book: Workbook, form: Form) -> None:
    """Title, subject, language and the date made (openpyxl stamps 'modified' on saving)."""
    moment = datetime.combine(form.made, time(12))
    props = book.properties
    props.title = f"Progress update: {form.title} – {form.lead_name}"
    props.subject = "Progress update form"
    props.creator = props.lastModifiedBy = "planreport"
    props.language = "en-GB"
    props.created = props.modified = moment


# --- reading -----------------------------------------------------------------------------


def read(data: bytes) -> RawForm:
    """The hidden data and answers of a returned workbook; FormRefused if it is not a form."""
    formats.check_package(data, "xlsx")
    try:
        return _read(data)
    except FormRefused:
        raise
    except Exception as exc:  # openpyxl and its XML parser raise many kinds for a damaged file
        detail = f" ({exc})" if isinstance(exc, SyntaxError) and str(exc) else ""
        raise FormRefused(
            f"this workbook cannot be read: part of it is damaged{detail}. Open it in Excel or "
            "LibreOffice, save it again as .xlsx, and try again."
        ) from None


def _read(data: bytes) -> RawForm:
    """Read the workbook twice: for cells' values, and for formulas whose value was not saved."""
    values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        if DATA_SHEET not in values.sheetnames:
            raise FormRefused(forms.NOT_OURS)
        hidden = "".join(str(row[0]) for row in _cells(values, DATA_SHEET, 2) if row and row[0])
        return RawForm(hidden, _answers(values, formulas))
    finally:
        values.close()
        formulas.close()


def _cells(book: Any, name: str, first: int = 1) -> Any:
    """A sheet's rows of values from row first, as far as it has cells (not its declared size)."""
    sheet = book[name]
    if not hasattr(sheet, "reset_dimensions"):
        return iter(())
    sheet.reset_dimensions()  # a size saying the whole grid, or too few rows, is not trusted
    return sheet.iter_rows(min_row=first, values_only=True)


def _answers(book: Any, formulas: Any) -> list[RawRow]:
    """Every row of the form's table that has a token or an answer."""
    for name in book.sheetnames:
        if name == DATA_SHEET:
            continue
        rows = _cells(book, name)
        for number, values in enumerate(rows, start=1):
            if values and ROW_HEADING in values:
                raw = _cells(formulas, name)
                for _ in range(number):
                    next(raw, None)
                return _rows(number, list(values), rows, raw)
            if number > 40:
                break
    raise FormRefused(
        f"the hidden column '{ROW_HEADING}' has been removed from this form, so its answers "
        "cannot be matched to actions. Ask the lead to fill in the form as it was sent."
    )


def _rows(header_row: int, headings: list[Any], rows: Any, formulas: Any) -> list[RawRow]:
    """The answers below the header row, each keyed by field (formulas left unsaved noted)."""
    columns = {str(h).strip(): i for i, h in enumerate(headings) if h is not None}
    missing = [HEADINGS[f] for f in forms.FIELDS if HEADINGS[f] not in columns]
    if missing:
        raise FormRefused(
            f"the column{'s' * (len(missing) > 1)} {', '.join(repr(m) for m in missing)} "
            "has been removed from this form, so it cannot be read. Ask the lead to fill in "
            "the form as it was sent."
        )
    token_col = columns[ROW_HEADING]
    width = max(columns.values()) + 1
    found = []
    for number, values in enumerate(rows, start=header_row + 1):
        cells = list(values) + [None] * (width - len(values))
        written = list(next(formulas, None) or ()) + [None] * width
        answers = {f: cells[columns[HEADINGS[f]]] for f in forms.FIELDS}
        problems = [
            f"{HEADINGS[f]}: this cell holds a formula ({str(formula)[:60]}) whose result was "
            "not saved with the form, so the answer cannot be read. Type the answer in as text."
            for f in forms.FIELDS
            if answers[f] is None
            and isinstance(formula := written[columns[HEADINGS[f]]], str)
            and formula.startswith("=")
        ]
        token = cells[token_col]
        if token is None and not problems and all(v in (None, "") for v in answers.values()):
            continue
        row = RawRow(f"row {number}", None if token is None else str(token), answers, problems)
        found.append(row)
    return found
