"""The update round: `request` makes forms, leads fill them, `apply` writes the answers in.

Forms are filled here the way Excel and Word save them (openpyxl cell values; Word's
content-control and cell text), and also saved once by LibreOffice before applying.
"""

from __future__ import annotations

import difflib
import io
import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook

from planreport.project import Project
from planreport.updates import apply as applying
from planreport.updates.form import HEADINGS, ROW_HEADING
from planreport.updates.judge import answer_date
from planreport.updates.request import Options, request
from tests import office_fixtures as office
from tests.conftest import ROOT, run_planreport
from tests.marks import libreoffice
from tests.office_fixtures import MINI, fill_xlsx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STOCKTON = "plans/stockton-ofsted-2013"
DERBY = "plans/derby-cyp-improvement-2011.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this repository's plans and templates, to request and apply in."""
    root = tmp_path / "council"
    shutil.copytree(ROOT / "plans", root / "plans")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def _request(root: Path, *args: str) -> list[Path]:
    """Run `planreport request` in root; the forms it wrote."""
    result = run_planreport("request", *args, cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return [
        root / line.split(":")[0].removeprefix("wrote ")
        for line in result.stdout.splitlines()
        if line.startswith("wrote ")
    ]


def fill_docx(path: Path, answers: dict[str, dict[str, str]], out: Path) -> Path:
    """Fill a Word form as Word would: the drop-down's chosen text, typed cell paragraphs."""
    package = zipfile.ZipFile(path)
    root = etree.fromstring(package.read("word/document.xml"))
    for table in root.iter(f"{W}tbl"):
        heading = table.getprevious()
        name = "".join(t.text or "" for t in heading.iter(f"{W}t")) if heading is not None else ""
        wanted = answers.get(name.partition(". ")[2])
        for tr in table.iter(f"{W}tr") if wanted else ():
            label, cell = tr.findall(f"{W}tc")[:2]
            label_text = "".join(t.text or "" for t in label.iter(f"{W}t"))
            value = next((v for h, v in wanted.items() if label_text.startswith(h)), None)
            if value is not None:
                _type_into(cell, value)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in package.infolist():
            data = package.read(item)
            if item.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, data)
    out.write_bytes(buffer.getvalue())
    return out


def _type_into(cell: etree._Element, value: str) -> None:
    """Choose from a drop-down content control, or type paragraphs into a cell."""
    control = cell.find(f".//{W}sdt")
    if control is not None:
        props = control.find(f"{W}sdtPr")
        props.remove(props.find(f"{W}showingPlcHdr"))
        content = control.find(f"{W}sdtContent")
        for child in list(content):
            content.remove(child)
        etree.SubElement(etree.SubElement(content, f"{W}r"), f"{W}t").text = value
        return
    for para in cell.findall(f"{W}p"):
        cell.remove(para)
    for line in value.split("\n"):
        run = etree.SubElement(etree.SubElement(cell, f"{W}p"), f"{W}r")
        etree.SubElement(run, f"{W}t").text = line


def through_libreoffice(path: Path, out: Path) -> Path:
    """The file as LibreOffice saves it again in its own format."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            "--convert-to",
            path.suffix[1:],
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / path.name


def _apply(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run `planreport apply` in root."""
    return run_planreport("apply", *args, cwd=root)


def _diff(before: str, after: str, name: str) -> str:
    """A unified diff, as git shows it."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}"
        )
    )


# --- request -------------------------------------------------------------------------------


def test_request_makes_one_form_per_lead_of_open_actions(project: Path) -> None:
    result = run_planreport(
        "request", "--paper", "stockton-ofsted-2013-09", "--date", "2013-10-01", cwd=project
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Made 7 forms for 7 leads (16 open actions)."
    assert (
        "wrote build/forms/stockton-ofsted-2013-09-stockton-rb.xlsx: 4 actions for RB"
        in result.stdout
    )
    loaded = Project(project)
    options = Options(
        out=project / "build" / "forms", paper="stockton-ofsted-2013-09", made=date(2013, 10, 1)
    )
    made = request(loaded, options)
    refs = {(row.key, row.status) for _path, one in made.written for row in one.rows}
    assert ("1/4", "No status yet") in refs and ("1/1", "No status yet") not in refs  # 1/1 is done


def test_request_keeps_its_temporaries_in_the_forms_folder(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl writes each sheet to a temporary file: build/forms/.tmp-<pid>, removed after."""
    from openpyxl.worksheet import _writer

    made: list[Path] = []
    real = _writer.create_temporary_file

    def noted(suffix: str = "") -> str:
        made.append(Path(real(suffix)))
        return str(made[-1])

    monkeypatch.setattr(_writer, "create_temporary_file", noted)
    forms = project / "build" / "forms"
    options = Options(forms, (project / DERBY,), lead="nina-martin", made=date(2011, 12, 10))
    result = request(Project(project), options)
    assert (len(result.written), len(made)) == (1, 3)  # actions, statuses, hidden data
    assert {path.parent for path in made} == {forms / f".tmp-{os.getpid()}"}
    assert sorted(p.name for p in forms.iterdir()) == sorted(p.name for p, _ in result.written)


def test_request_for_one_lead_in_word(project: Path) -> None:
    result = run_planreport(
        "request",
        DERBY,
        "--lead",
        "nina-martin",
        "--format",
        "docx",
        "--due",
        "2011-12-20",
        "--date",
        "2011-12-10",
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "wrote build/forms/derby-cyp-improvement-2011-nina-martin.docx: 4 actions for Nina Martin\n"
        "Made 1 form for 1 lead (4 open actions).\n"
    )


def test_request_refuses_unknown_leads_papers_and_folders_outside(project: Path) -> None:
    lead = run_planreport("request", "--lead", "nina-martn", cwd=project)
    assert lead.returncode == 2
    assert "no lead 'nina-martn' in people.yaml. Did you mean 'nina-martin'?" in lead.stderr
    paper = run_planreport("request", "--paper", "stockton", cwd=project)
    assert paper.returncode == 2 and "there is no paper 'stockton'" in paper.stderr
    out = run_planreport("request", "--out", str(project.parent / "elsewhere"), cwd=project)
    assert out.returncode == 2 and "outside the project" in out.stderr
    assert not (project.parent / "elsewhere").exists()


def test_request_refuses_a_plan_with_errors(project: Path) -> None:
    path = project / DERBY
    path.write_text(path.read_text().replace("leads: [nina-martin]", "leads: [nina-martn]", 1))
    result = run_planreport("request", DERBY, cwd=project)
    assert result.returncode == 1
    assert "[unknown-lead] 'nina-martn'" in result.stdout
    assert "Fix these errors first" in result.stdout
    assert not (project / "build").exists()


def test_the_excel_form_is_accessible_and_locked_except_the_answers(project: Path) -> None:
    (path,) = _request(
        project, STOCKTON, "--lead", "stockton-rb", "--due", "2013-11-01", "--date", "2013-10-01"
    )
    book = load_workbook(path)
    assert book.sheetnames == ["Your actions", "Statuses", "planreport"]
    assert book["planreport"].sheet_state == "veryHidden"
    sheet = book["Your actions"]
    assert sheet["A1"].value.startswith("Progress update: Action Plan in response")
    assert sheet["A1"].style == "Title"
    assert "Please return this form by 1 November 2013." in [
        sheet.cell(r, 1).value for r in range(2, 7)
    ]
    headings = [c.value for c in sheet[8]]
    assert headings == [
        "Ref",
        "Action",
        "Due",
        "Status now",
        "Latest update",
        *HEADINGS.values(),
        ROW_HEADING,
    ]
    table = sheet.tables["YourActions"]
    assert table.ref == "A8:K12"
    assert sheet.column_dimensions["K"].hidden
    assert sheet.protection.sheet
    assert [sheet.cell(9, c).protection.locked for c in range(1, 12)] == [True] * 5 + [
        False
    ] * 5 + [True]
    assert sheet.cell(9, 8).number_format == "@"  # a typed 2014-03 stays text
    assert sheet.cell(7, 6).value == "Your answers (fill in)"  # not shading alone
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert [(v.formula1, str(v.sqref)) for v in lists] == [("'Statuses'!$B$5:$B$5", "F9:F12")]
    assert book["Statuses"]["B5"].value == "Completed"
    prompts = {str(v.sqref): v.prompt for v in sheet.data_validations.dataValidation}
    assert prompts["H9:H12"].startswith("Only if the action will miss its due date")
    assert book.properties.language == "en-GB"


def test_the_word_form_has_headings_table_headers_and_a_status_drop_down(project: Path) -> None:
    (path,) = _request(
        project, DERBY, "--lead", "nina-martin", "--format", "docx", "--date", "2011-12-10"
    )
    document = docx.Document(path)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[:4] == [
        ("Heading 1", "Progress update: Children and Young People Improvement Plan"),
        ("Heading 2", "How to fill in this form"),
        ("Heading 2", "Statuses"),
        ("Heading 2", "Your actions"),
    ]
    assert [h for h in headings if h[0] == "Heading 3"] == [
        ("Heading 3", "1. Action 1.2"), ("Heading 3", "2. Action 6.4"),
        ("Heading 3", "3. Action 7.5"), ("Heading 3", "4. Action 10.1"),
    ]  # fmt: skip
    body = document.element.body
    tables = body.findall(f"{W}tbl")
    assert len(tables) == 5
    for table in tables:
        assert table.find(f"{W}tr/{W}trPr/{W}tblHeader") is not None
        assert table.find(f"{W}tblPr/{W}tblCaption") is not None
    items = tables[1].findall(f".//{W}dropDownList/{W}listItem")
    assert [(i.get(f"{W}displayText"), i.get(f"{W}value")) for i in items] == [
        ("Blue (Completed)", "blue"), ("Green (On track)", "green"),
        ("Amber (Slippage)", "amber"), ("Red (Major slippage)", "red"),
    ]  # fmt: skip
    assert document.core_properties.language == "en-GB"


def test_forms_are_the_same_bytes_every_time(project: Path, tmp_path: Path) -> None:
    for kind in ("xlsx", "docx"):
        (first,) = _request(
            project, DERBY, "--lead", "nina-martin", "--format", kind, "--date", "2011-12-10"
        )
        kept = first.read_bytes()
        (again,) = _request(
            project, DERBY, "--lead", "nina-martin", "--format", kind, "--date", "2011-12-10"
        )
        assert again.read_bytes() == kept


# --- apply: the golden diffs -------------------------------------------------------------------

STOCKTON_ANSWERS = {
    "Recommendation 1, action 4": {
        "New status": "completed",
        "Progress update": "The new structure started on 30 September 2013.",
        "Date completed": "2013-09-30",
    },
    "Recommendation 1, action 7": {
        "New due date": "March 2014",
        "Reason for the new date": "The regional programme moved the peer review: it is now booked.",
        "Progress update": "Peer review booked for March 2014.",
    },
}
STOCKTON_DIFF = """\
--- a/plans/stockton-ofsted-2013/recommendation-01.yaml
+++ b/plans/stockton-ofsted-2013/recommendation-01.yaml
@@ -48,6 +48,8 @@
     leads: [stockton-smcl]
     updates:
       - {date: 2013-09, text: Implementation planned for Nov 2013.}
+      - {date: 2013-10-20, text: The new structure started on 30 September 2013., status: completed}
+    completed: 2013-09-30
   - ref: "5"
     addresses: ["1"]
     text: >-
@@ -74,6 +76,11 @@
       Peer Review of RAT to take place, as part of regional sector led improvement programme.
     timescale: December 2013.
     due: 2013-12
+    revisions:
+      - due: 2014-03
+        reason: "The regional programme moved the peer review: it is now booked."
+        agreed: 2013-10-20
     leads: [stockton-smcl]
     updates:
       - {date: 2013-09, text: Timescale likely now to be March 2014.}
+      - {date: 2013-10-20, text: Peer review booked for March 2014.}
"""


def test_apply_adds_only_the_answers_lines_to_a_folder_plan(project: Path, tmp_path: Path) -> None:
    (path,) = _request(project, STOCKTON, "--lead", "stockton-smcl", "--date", "2013-10-01")
    filled = fill_xlsx(path, STOCKTON_ANSWERS, tmp_path / "smcl.xlsx")
    file = project / STOCKTON / "recommendation-01.yaml"
    before = file.read_text()
    result = _apply(project, str(filled), "--date", "2013-10-20")
    assert result.returncode == 0, result.stdout
    assert _diff(before, file.read_text(), f"{STOCKTON}/recommendation-01.yaml") == STOCKTON_DIFF
    assert result.stdout.startswith(
        f"{filled}: stockton-ofsted-2013: recommendation 1, action 4: update added "
        "(20 October 2013), status Completed\n"
        f"{filled}: stockton-ofsted-2013: recommendation 1, action 4: completed "
        "30 September 2013\n"
        f"{filled}: stockton-ofsted-2013: recommendation 1, action 7: update added "
        "(20 October 2013)\n"
        f"{filled}: stockton-ofsted-2013: recommendation 1, action 7: due date moved from "
        'December 2013 to March 2014, reason "The regional programme moved the peer review: it is now booked."\n'
        "\nApplied 2 of 2 answers from 1 form; changed 1 file. 0 not applied, 0 already applied "
        "or repeated.\n\nChecked 1 plan in 16 files: 0 errors"
    )


DERBY_DIFF = """\
--- a/plans/derby-cyp-improvement-2011.yaml
+++ b/plans/derby-cyp-improvement-2011.yaml
@@ -289,6 +289,10 @@
     outcome: Improved use of data to inform audit of case files.
     timescale: September 2011
     due: 2011-09
+    revisions:
+      - due: 2012-03
+        reason: The supplier delivered late.
+        agreed: 2011-12-10
     leads: [chris-newton, errol-mcleary, nina-martin]
     updates:
       - date: 2011/12 Q3
@@ -299,6 +303,11 @@
           available. Visit timeliness continues to be monitored at reviews. Monitored
           in audits; new case note fields for stat LAC visits.
         status: green
+      - date: 2011-12-10
+        text: |-
+          Scoping finished.
+          Build starts in January.
+        status: amber
\x20
   - ref: "1.3"
     addresses: ["1", "4", "13", "14", "16", "21"]
@@ -698,6 +707,10 @@
           Meeting planned Materials under development, development activity planned
           for February 12
         status: green
+      - date: 2011-12-10
+        text: All briefings delivered.
+        status: blue
+    completed: 2011-12-01
\x20
   - ref: "7.1"
     addresses: ["7"]
"""
DERBY_ANSWERS = {
    "Action 1.2": {
        "New status": "Amber (Slippage)",
        "Progress update": "Scoping finished.\nBuild starts in January.",
        "New due date": "2012-03",
        "Reason for the new date": "The supplier delivered late.",
    },
    "Action 6.4": {
        "New status": "Blue (Completed)",
        "Progress update": "All briefings delivered.",
        "Date completed": "01/12/2011",
    },
}


def test_apply_a_word_form_to_a_file_plan_with_comments(project: Path, tmp_path: Path) -> None:
    (path,) = _request(
        project, DERBY, "--lead", "nina-martin", "--format", "docx", "--date", "2011-12-10"
    )
    filled = fill_docx(path, DERBY_ANSWERS, tmp_path / "nina.docx")
    before = (project / DERBY).read_text()
    result = _apply(project, str(filled), "--date", "2011-12-10")
    assert result.returncode == 0, result.stdout
    assert _diff(before, (project / DERBY).read_text(), DERBY) == DERBY_DIFF
    check = run_planreport("check", DERBY, "--as-at", "2011-12-10", cwd=project)
    assert "warning: [overdue-on-track]" in check.stdout
    assert result.stdout.endswith("\n\n" + check.stdout)  # apply reports check's own report


def test_applying_the_same_form_twice_adds_nothing(project: Path, tmp_path: Path) -> None:
    (path,) = _request(project, STOCKTON, "--lead", "stockton-smcl", "--date", "2013-10-01")
    filled = fill_xlsx(path, STOCKTON_ANSWERS, tmp_path / "smcl.xlsx")
    assert _apply(project, str(filled), "--date", "2013-10-20").returncode == 0
    after = {p: p.read_bytes() for p in (project / STOCKTON).iterdir()}
    again = _apply(project, str(filled), "--date", "2013-10-27")
    assert again.returncode == 0, again.stdout
    assert again.stdout.splitlines()[:2] == [
        f"{filled}: row 9 (recommendation 1, action 4): already applied; nothing added.",
        f"{filled}: row 10 (recommendation 1, action 7): already applied; nothing added.",
    ]
    assert (
        "Applied 0 of 2 answers from 1 form; changed 0 files. 0 not applied, 2 already"
        in again.stdout
    )
    assert {p: p.read_bytes() for p in (project / STOCKTON).iterdir()} == after


def test_dry_run_shows_the_diff_and_writes_nothing(project: Path, tmp_path: Path) -> None:
    (path,) = _request(project, STOCKTON, "--lead", "stockton-smcl", "--date", "2013-10-01")
    filled = fill_xlsx(path, STOCKTON_ANSWERS, tmp_path / "smcl.xlsx")
    before = (project / STOCKTON / "recommendation-01.yaml").read_bytes()
    result = _apply(project, str(filled), "--date", "2013-10-20", "--dry-run")
    assert result.returncode == 0
    assert STOCKTON_DIFF in result.stdout
    assert result.stdout.endswith("This was a dry run: nothing was written.\n")
    assert (project / STOCKTON / "recommendation-01.yaml").read_bytes() == before


# --- apply: answers that are refused -----------------------------------------------------------


def test_every_answer_is_validated_and_only_good_ones_applied(
    project: Path, tmp_path: Path
) -> None:
    (path,) = _request(project, DERBY, "--date", "2011-12-10", "--lead", "stephen-edgeley")
    refs = [load_workbook(path)["Your actions"].cell(r, 1).value for r in (9, 10, 11)]
    assert refs == ["7.3", "7.4", "7.5"]
    filled = fill_xlsx(
        path,
        {
            "7.3": {"New status": "Purple", "New due date": "2012-02-30", "Date completed": "soon"},
            "7.4": {
                "New due date": "2012-06",
                "Reason for the new date": "",
                "Date completed": "2011-12-01",
                "New status": "green",
            },
            "7.5": {"New status": "AMBER", "Progress update": "Audit postponed to January."},
        },
        tmp_path / "se.xlsx",
    )
    result = _apply(project, str(filled), "--date", "2011-12-10")
    assert result.returncode == 1
    where = f"{filled}: row"
    assert result.stdout.splitlines()[:6] == [
        f"{where} 9 (action 7.3): New status: 'Purple' is not a status of this plan. Choose one of: Blue (Completed); Green (On track); Amber (Slippage); Red (Major slippage).",
        f"{where} 9 (action 7.3): New due date: '2012-02-30' is not a real date: February 2012 has 29 days.",
        f"{where} 9 (action 7.3): Date completed: 'soon' is not a date planreport can read. Write it as 2013-09-18 (a day), 2013-09 (a month), 2013/14 Q3 (a financial quarter), 2013/14 (a financial year), 2013 (a calendar year), or a range such as 2020-02 to 2020-05. Keep the wording as published under 'timescale'.",
        f"{where} 10 (action 7.4): New due date: a new due date needs a reason. Give it under 'Reason for the new date'.",
        f"{where} 10 (action 7.4): Date completed: a completion date needs the status that means complete (Blue (Completed)); the status given is Green (On track).",
        f"{where} 10 (action 7.4): New due date: a completed action needs no new due date; leave it empty.",
    ]
    assert (
        "derby-cyp-improvement-2011: action 7.5: update added (10 December 2011), status Green to Amber"
        in result.stdout
    )
    assert "Applied 1 of 3 answers from 1 form" in result.stdout


def test_a_reason_without_a_date_and_a_future_completion_are_refused(
    project: Path, tmp_path: Path
) -> None:
    (path,) = _request(project, DERBY, "--date", "2011-12-10", "--lead", "stephen-edgeley")
    filled = fill_xlsx(
        path,
        {"7.3": {"Reason for the new date": "Waiting."}, "7.4": {"Date completed": "2012-01-05"}},
        tmp_path / "se.xlsx",
    )
    result = _apply(project, str(filled), "--date", "2011-12-10")
    assert result.stdout.splitlines()[:2] == [
        f"{filled}: row 9 (action 7.3): Reason for the new date: a reason is given but no new due date. Give the new date, or put the reason in the progress update.",
        f"{filled}: row 10 (action 7.4): Date completed: 5 January 2012 is after 10 December 2011, the date of this update; a completion date cannot be in the future.",
    ]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("2027-03", "2027-03"),
        ("31/03/2027", "2027-03-31"),
        ("March 2027", "2027-03"),
        ("Sept 2027", "2027-09"),
        ("1st April 2027", "2027-04-01"),
        (date(2027, 3, 31), "2027-03-31"),
        ("2027/28 Q1", "2027/28 Q1"),
    ],
)
def test_dates_are_read_as_leads_type_them(typed: object, written: str) -> None:
    assert answer_date(typed) == written


# --- apply: conflicts --------------------------------------------------------------------------


def test_conflicts_are_reported_never_overwritten(project: Path, tmp_path: Path) -> None:
    (path,) = _request(project, DERBY, "--date", "2011-12-10", "--lead", "stephen-edgeley")
    filled = fill_xlsx(
        path,
        {ref: {"Progress update": f"News of {ref}."} for ref in ("7.3", "7.4", "7.5")},
        tmp_path / "se.xlsx",
    )
    plan = project / DERBY
    text = plan.read_text()
    text = text.replace('  - ref: "7.3"', '  - ref: "7.30"', 1)  # re-numbered
    text = text.replace("outcome: Determine and assurance", "outcome: Assurance", 1)  # 7.4 changed
    text = text.replace(
        '  - ref: "7.5"\n',
        '  - ref: "7.5"\n    withdrawn: {date: 2011-12-05, reason: Merged.}\n',
        1,
    )
    plan.write_text(text)
    before = plan.read_bytes()
    result = _apply(project, str(filled), "--date", "2011-12-10")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:3] == [
        f"{filled}: row 9 (action 7.3): this action has been re-numbered since the form was made; it is now action 7.30. The answer was not applied: copy it in by hand, or send a new form.",
        f"{filled}: row 10 (action 7.4): this action has changed in the plan since the form was made on 10 December 2011, so the answer was not applied (nothing was overwritten). Compare the answer with the plan and copy in what is still true, or send a new form.",
        f"{filled}: row 11 (action 7.5): this action was withdrawn from the plan (5 December 2011) after the form was made, so the answer was not applied.",
    ]
    assert plan.read_bytes() == before


def test_an_action_answered_on_two_forms_is_applied_from_neither(
    project: Path, tmp_path: Path
) -> None:
    paths = _request(project, DERBY, "--date", "2011-12-10")
    by_lead = {p.stem.removeprefix("derby-cyp-improvement-2011-"): p for p in paths}
    chris = fill_xlsx(
        by_lead["chris-newton"],
        {"1.2": {"Progress update": "Chris says."}},
        tmp_path / "chris.xlsx",
    )
    nina = fill_xlsx(
        by_lead["nina-martin"],
        {"1.2": {"Progress update": "Nina says."}, "6.4": {"Progress update": "Briefed."}},
        tmp_path / "nina.xlsx",
    )
    result = _apply(project, str(chris), str(nina), "--date", "2011-12-10")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        f"{chris}: row 9 (action 1.2): this action is also answered on {nina}: row 9; neither answer was applied. Apply the form whose answer should stand on its own, then copy anything else in by hand.",
        f"{nina}: row 9 (action 1.2): this action is also answered on {chris}: row 9; neither answer was applied. Apply the form whose answer should stand on its own, then copy anything else in by hand.",
    ]
    assert (
        "derby-cyp-improvement-2011: action 6.4: update added (10 December 2011)" in result.stdout
    )
    assert "Chris says" not in (project / DERBY).read_text()


def test_nothing_of_a_plan_is_written_unless_all_of_it_checks(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (path,) = _request(project, STOCKTON, "--lead", "stockton-rb", "--date", "2013-10-01")
    filled = fill_xlsx(
        path,
        {
            f"Recommendation {r}": {"Progress update": "News."}
            for r in ("5, action 1", "8, action 3", "11, action 1")
        },
        tmp_path / "rb.xlsx",
    )
    before = {p: p.read_bytes() for p in (project / STOCKTON).iterdir()}
    loaded = Project(project)
    from planreport.problems import Location, Problem, Severity

    failing = [Problem(Location("x"), Severity.ERROR, "bad-value", "a value is wrong")]
    monkeypatch.setattr(applying, "_check_edited", lambda *a: applying.Checked(None, failing, ()))
    result = applying.apply(loaded, applying.Options((filled,), date(2013, 10, 20)))
    assert result.failed and not result.written and not result.edits
    assert {p: p.read_bytes() for p in (project / STOCKTON).iterdir()} == before
    assert all("would not check cleanly (a value is wrong)" in f.message for f in result.findings)
    assert len(result.findings) == 3


# --- apply: forms that are refused -------------------------------------------------------------


def _break_hidden_sheet(path: Path, out: Path) -> Path:
    """The form with one character of its hidden data changed."""
    book = load_workbook(path)
    cell = book["planreport"]["A2"]
    cell.value = cell.value[:-1] + ("0" if cell.value[-1] != "0" else "1")
    book.save(out)
    return out


def _without_column(path: Path, out: Path) -> Path:
    """The form with its hidden row column deleted."""
    book = load_workbook(path)
    sheet = book["Your actions"]
    sheet.delete_cols(11)
    book.save(out)
    return out


def test_forms_that_are_not_ours_or_damaged_are_refused(project: Path, tmp_path: Path) -> None:
    (path,) = _request(project, STOCKTON, "--lead", "stockton-smcl", "--date", "2013-10-01")
    plain = Workbook()
    plain.active["A1"] = "Ref"
    plain.save(tmp_path / "mine.xlsx")
    (tmp_path / "notes.csv").write_text("Ref,Update\n1,Done\n")
    cases = {
        tmp_path / "mine.xlsx": "this is not an update form made by planreport request",
        tmp_path / "notes.csv": "this is not an Excel workbook (.xlsx) or a Word document (.docx)",
        _break_hidden_sheet(
            path, tmp_path / "damaged.xlsx"
        ): "the hidden data in this form has been changed or damaged",
        _without_column(
            path, tmp_path / "cut.xlsx"
        ): f"the hidden column '{ROW_HEADING}' has been removed",
        tmp_path / "missing.xlsx": "cannot read this file",
    }
    before = {p: p.read_bytes() for p in (project / STOCKTON).iterdir()}
    result = _apply(project, *map(str, cases), "--date", "2013-10-20")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    for (file, message), line in zip(cases.items(), lines, strict=False):
        assert line.startswith(f"{file}: not applied: {message}"), line
    assert {p: p.read_bytes() for p in (project / STOCKTON).iterdir()} == before


def test_a_word_form_without_its_hidden_data_is_refused(project: Path, tmp_path: Path) -> None:
    (path,) = _request(
        project, DERBY, "--lead", "nina-martin", "--format", "docx", "--date", "2011-12-10"
    )
    document = docx.Document(path)
    body = document.element.body
    for para in body.findall(f"{W}p"):
        if "planreport-form" in "".join(t.text or "" for t in para.iter(f"{W}t")):
            body.remove(para)
    document.save(tmp_path / "stripped.docx")
    result = _apply(project, str(tmp_path / "stripped.docx"), "--date", "2011-12-10")
    assert result.returncode == 1
    assert "not applied: this is not an update form made by planreport request" in result.stdout


def test_a_row_copied_from_another_form_is_not_applied(project: Path, tmp_path: Path) -> None:
    (path,) = _request(project, DERBY, "--lead", "stephen-edgeley", "--date", "2011-12-10")
    book = load_workbook(path)
    sheet = book["Your actions"]
    sheet["K9"] = "0123456789ab-1"
    sheet["H9"] = "Progress."
    book.save(tmp_path / "copied.xlsx")
    result = _apply(project, str(tmp_path / "copied.xlsx"), "--date", "2011-12-10")
    assert result.stdout.splitlines()[0] == (
        f"{tmp_path / 'copied.xlsx'}: row 9: belongs to another form (was it copied in?), so it "
        "was not applied."
    )


# --- LibreOffice ---------------------------------------------------------------------------------


@libreoffice
def test_an_excel_form_saved_by_libreoffice_keeps_its_drop_down_and_hidden_data(
    project: Path, tmp_path: Path
) -> None:
    (path,) = _request(project, STOCKTON, "--lead", "stockton-smcl", "--date", "2013-10-01")
    filled = fill_xlsx(path, STOCKTON_ANSWERS, tmp_path / "smcl.xlsx")
    saved = through_libreoffice(filled, tmp_path / "libreoffice")
    book = load_workbook(saved)
    sheet = book["Your actions"]
    assert book["planreport"].sheet_state in ("hidden", "veryHidden")
    assert sheet.column_dimensions["K"].hidden
    assert sheet.protection.sheet and not sheet["F9"].protection.locked
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert [(v.formula1.replace("'", ""), str(v.sqref)) for v in lists] == [
        ("Statuses!$B$5:$B$5", "F9:F10")
    ]
    file = project / STOCKTON / "recommendation-01.yaml"
    before = file.read_text()
    result = _apply(project, str(saved), "--date", "2013-10-20")
    assert result.returncode == 0, result.stdout
    assert _diff(before, file.read_text(), f"{STOCKTON}/recommendation-01.yaml") == STOCKTON_DIFF


@libreoffice
def test_a_word_form_saved_by_libreoffice_keeps_its_drop_down_and_hidden_data(
    project: Path, tmp_path: Path
) -> None:
    (path,) = _request(
        project, DERBY, "--lead", "nina-martin", "--format", "docx", "--date", "2011-12-10"
    )
    filled = fill_docx(path, DERBY_ANSWERS, tmp_path / "nina.docx")
    saved = through_libreoffice(filled, tmp_path / "libreoffice")
    root = etree.fromstring(zipfile.ZipFile(saved).read("word/document.xml"))
    items = root.findall(f".//{W}dropDownList")
    assert len(items) == 4 and len(items[0].findall(f"{W}listItem")) == 4
    before = (project / DERBY).read_text()
    result = _apply(project, str(saved), "--date", "2011-12-10")
    assert result.returncode == 0, result.stdout
    assert _diff(before, (project / DERBY).read_text(), DERBY) == DERBY_DIFF


# --- the whole round -----------------------------------------------------------------------------


@libreoffice
def test_a_full_round_from_request_to_the_next_paper_libreoffice(
    project: Path, tmp_path: Path
) -> None:
    paths = _request(
        project, "--paper", "stockton-ofsted-2013-09", "--date", "2013-10-01", "--due", "2013-10-18"
    )
    assert len(paths) == 7
    filled, answered = [], set()
    for number, path in enumerate(paths):
        refs = [c.value for c in load_workbook(path)["Your actions"]["A"][8:]]
        refs = [ref for ref in refs if ref not in answered]  # a co-led action: one answer
        answered.update(refs)
        answers = {}
        for index, ref in enumerate(refs):
            if index % 2 == 0:
                answers[ref] = {
                    "New status": "Completed",
                    "Progress update": f"{ref} done.",
                    "Date completed": "2013-10-15",
                }
            else:
                answers[ref] = {
                    "Progress update": f"{ref} slipped.",
                    "New due date": "2014-03",
                    "Reason for the new date": "Staff shortages.",
                }
        out = fill_xlsx(path, answers, tmp_path / path.name)
        filled.append(through_libreoffice(out, tmp_path / "lo") if number == 0 else out)
    result = _apply(project, *map(str, filled), "--date", "2013-10-20")
    assert result.returncode == 0, result.stdout
    assert "Applied 16 of 16 answers from 7 forms" in result.stdout
    assert "Checked 1 plan in 16 files: 0 errors" in result.stdout
    check = run_planreport("check", "--as-at", "2013-10-20", cwd=project)
    assert check.returncode == 0, check.stdout
    plan = run_planreport("check", STOCKTON, "--as-at", "2013-10-20", cwd=project)
    assert result.stdout.endswith("\n\n" + plan.stdout)
    (project / "plans" / "papers" / "stockton-ofsted-2013-11.yaml").write_text(
        "plans: [stockton-ofsted-2013]\nsubtitle: update for CYP Select Committee 20 November 2013\n"
        "committee: CYP Select Committee\nmeeting: 2013-11-20\nas_at: 2013-11-20\n"
        "layout: recommendation-sections\nformats: [html]\n"
    )
    built = run_planreport(
        "build", "--paper", "stockton-ofsted-2013-11", "--format", "html", cwd=project
    )
    assert built.returncode == 0, built.stdout + built.stderr
    html = (project / "build" / "stockton-ofsted-2013-11.html").read_text()
    since = html[
        html.index("Since the last paper") : html.index(
            "</table>", html.index("Since the last paper")
        )
    ]
    assert "Changes between 18 September 2013 and 20 November 2013." in since
    assert since.count("<td><p>Completed</p></td>") == 9
    assert since.count("<td><p>Date revised</p></td>") == 7
    assert "March 2014, revised from" in since and "Staff shortages." in since


def test_an_actions_own_status_line_is_changed_in_place(tmp_path: Path) -> None:
    office.plan_project(tmp_path, "mini", MINI)
    (path,) = _request(tmp_path, "--date", "2026-11-01")
    filled = fill_xlsx(
        path,
        {"1": {"New status": "amber", "Progress update": "Slower than hoped."}},
        tmp_path / "a.xlsx",
    )
    result = _apply(tmp_path, str(filled), "--date", "2026-11-20")
    assert result.returncode == 0, result.stdout
    assert result.stdout.startswith(
        "a.xlsx: mini: action 1: update added (20 November 2026), status Green to Amber\n"
    )
    assert _diff(MINI, (tmp_path / "plans" / "mini.yaml").read_text(), "plans/mini.yaml") == (
        "--- a/plans/mini.yaml\n+++ b/plans/mini.yaml\n@@ -8,4 +8,8 @@\n"
        "     text: Do it.\n     leads: [ann]\n     due: 2027-03\n"
        "-    status: green   # agreed at the board\n"
        "+    updates:\n+      - date: 2026-11-20\n+        text: Slower than hoped.\n"
        "+        status: amber\n+    status: amber   # agreed at the board\n"
    )


def test_plan_text_is_never_a_formula_and_lead_text_never_a_terminal_command(
    tmp_path: Path,
) -> None:
    office.plan_project(tmp_path, "mini", MINI.replace("Do it.", '"=HYPERLINK(1)"'))
    (path,) = _request(tmp_path, "--date", "2026-11-01")
    cell = load_workbook(path)["Your actions"]["B9"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
    forged = "Green\nmini: action 1: update added\u202e"
    filled = fill_xlsx(path, {"1": {"New status": forged}}, tmp_path / "a.xlsx")
    result = _apply(tmp_path, str(filled), "--date", "2026-11-20")
    assert (
        "New status: 'Green\\u000amini: action 1: update added\\u202e' is not a status"
        in result.stdout
    )
    assert not any(line.startswith("mini:") for line in result.stdout.splitlines())


def test_form_formats_are_registered_once_for_request_apply_and_the_cli() -> None:
    """The CLI's choices and help, request's suffixes and apply's refusal follow FORMATS."""
    from planreport.updates import formats

    assert tuple(formats.FORMATS) == ("xlsx", "docx")
    assert formats.described() == "Excel (default) or Word"
    assert formats.refused_kind().startswith(
        "this is not an Excel workbook (.xlsx) or a Word document (.docx), so it is not a form"
    )
    result = run_planreport("request", "--format", "odt")
    assert result.returncode == 2
    assert "invalid choice: 'odt' (choose from 'xlsx', 'docx')" in result.stderr
    help_text = run_planreport("request", "--help").stdout
    assert "Excel (default) or Word" in " ".join(help_text.split())
    for kind in formats.FORMATS.values():
        assert kind.suffix == f".{kind.name}"  # the suffix package_kind's name is saved under
        module = __import__(kind.module, fromlist=["write", "read"])
        assert callable(module.write) and callable(module.read)
