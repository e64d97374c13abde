"""Every class of hostile input, through the real command: `import`, `request` or `apply`.

Each case builds one hostile input in a fresh copy of a small project and runs planreport
in a child process with its own watched temporary folder. Whatever the input, the command
ends in time with its own message (no traceback, no internal error), writes nothing outside
the project (temporaries included), and a plan after `apply` holds exactly the intended
values: the answer given for a form that is sound, the same bytes for one that is refused.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml

from planreport.updates import form as forms
from tests import office_fixtures as office

TIMEOUT = 30  # seconds a command may take before the case counts as a hang
DAY = "2026-11-20"
NEWS = "Ann's news."
PLAN = Path("plans/two.yaml")
REQUEST = ["request", "--date", "2026-11-01"]


@dataclass(frozen=True)
class Case:
    """One hostile input: how to make it, the command it goes through, what must be said."""

    name: str
    make: Callable[[Path, Path], list[str]]  # (project, sources folder) -> the command's args
    code: int
    said: str  # a line (or part of one) the command must print
    after: dict[str, object] | None = None  # project files, parsed; None: apply left the plan


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-lead project with each lead's form, made once by `planreport request`."""
    root = office.plan_project(tmp_path_factory.mktemp("template") / "council", "two", office.TWO)
    for options in ([], ["--format", "docx"]):
        made = _run(root, [*REQUEST, *options], root.parent / "tmp")
        assert made.returncode == 0, made.stdout + made.stderr
    return root


def _run(root: Path, args: list[str], tmp: Path) -> subprocess.CompletedProcess:
    """planreport args in root, with TMPDIR set to tmp; a hang fails the test."""
    tmp.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["TMPDIR"] = str(tmp)
    try:
        return subprocess.run(
            [sys.executable, "-m", "planreport", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"planreport {args[0]} hung: no answer in {TIMEOUT} s")


def _snapshot(folder: Path, leave_out: Path) -> dict[str, str]:
    """Every file, folder and link below folder but leave_out: its digest, kind or target."""
    found = {}
    for top, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if Path(top, name) != leave_out]
        for name in dirs + files:
            path = Path(top, name)
            if path.is_symlink():
                found[str(path)] = f"-> {os.readlink(path)}"
            elif path.is_file():
                found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                found[str(path)] = "folder"
    return found


def _form(root: Path, lead: str = "ann") -> Path:
    """The lead's form as `request` made it."""
    return root / f"build/forms/two-{lead}.xlsx"


def _answered(root: Path, sources: Path, answers: dict[str, str], name: str = "ann.xlsx") -> Path:
    """Ann's form with answers for her action 1, saved among the sources."""
    return office.fill_xlsx(_form(root), {"1": answers}, sources / name)


def _applied(update: dict) -> dict:
    """The two-lead plan with this update (of 20 November 2026) added to action 1."""
    plan = yaml.safe_load(office.TWO)
    plan["actions"][0]["updates"] = [{"date": date(2026, 11, 20)} | update]
    return plan


NEWS_PLAN = {str(PLAN): _applied({"text": NEWS})}
ODD_NEWS = "News\u2028evil: 1\x85\u202e."  # line separators are written as new lines
OUTSIDE_PEOPLE = "plans/people.yaml:1:1: error: [outside-project] this is a link to"


def _apply(form: Path) -> list[str]:
    """The args of `apply` for one form."""
    return ["apply", str(form), "--date", DAY]


# --- import: hostile source files -------------------------------------------------------


def _csv(name: str, text: str) -> Callable[[Path, Path], list[str]]:
    """A CSV source of this name and text, imported."""

    def make(root: Path, sources: Path) -> list[str]:
        (sources / name).write_text(text)
        return ["import", str(sources / name)]

    return make


def _word(name: str, body: str) -> Callable[[Path, Path], list[str]]:
    """A Word source whose body is this XML, imported."""

    def make(root: Path, sources: Path) -> list[str]:
        office.docx(sources / name, body)
        return ["import", str(sources / name)]

    return make


def _pdf(name: str, content: bytes, count: int = 1) -> Callable[[Path, Path], list[str]]:
    """A one-page PDF whose page tree declares count pages, its content compressed."""

    def make(root: Path, sources: Path) -> list[str]:
        stream = zlib.compress(content, 9)
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
        ]
        out, offsets = b"%PDF-1.7\n", []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 5\n0000000000 65535 f \n"
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
        (sources / name).write_bytes(out)
        return ["import", str(sources / name)]

    return make


def _sheet(name: str, rows: str, size: str, after: str = "") -> Callable[[Path, Path], list[str]]:
    """An Excel source of these rows and declared size (and XML after them), imported."""

    def make(root: Path, sources: Path) -> list[str]:
        return ["import", str(office.xlsx(sources / name, rows, size, after))]

    return make


def _plans_linked_out(
    command: Callable[[Path, Path], list[str]],
) -> Callable[[Path, Path], list[str]]:
    """The command, in a project whose plans/ is a link to a folder outside it."""

    def make(root: Path, sources: Path) -> list[str]:
        outside = sources.parent / "outside"
        shutil.move(root / "plans", outside)
        (root / "plans").symlink_to(outside)
        return command(root, sources)

    return make


def _people_linked(command: Callable[[Path, Path], list[str]]) -> Callable[[Path, Path], list[str]]:
    """The command, in a project whose people.yaml is a link to a file outside it."""

    def make(root: Path, sources: Path) -> list[str]:
        people = root / "plans/people.yaml"
        shutil.move(people, sources.parent / "outside-people.yaml")
        people.symlink_to(sources.parent / "outside-people.yaml")
        return command(root, sources)

    return make


CAT = {"cat-brown": {"name": "Cat Brown"}}
ROW = office.HEADING + "1,Do it.,Cat Brown,2020-03\n"
NESTED = "<w:tbl><w:tr>" + "<w:tc><w:tbl><w:tr>" * 600 + office.word_cell("x")
NESTED += "</w:tr></w:tbl><w:p/></w:tc>" * 600 + "</w:tr></w:tbl>"
WHOLE_SHEET = '<mergeCells count="1"><mergeCell ref="E1:XFD1048576"/></mergeCells>'
SPAN = '<w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr>'

IMPORTS = [
    Case(
        "pdf-compression-bomb",
        _pdf("bomb.pdf", b" " * (200 * 1024 * 1024)),
        2,
        "bomb.pdf: page 1: its content would take more than 16 MiB once unpacked",
    ),
    Case(
        "pdf-declares-a-billion-pages",
        _pdf("pages.pdf", b"BT /F1 12 Tf 72 700 Td ET", 1_000_000_000),
        2,
        "pages.pdf: this PDF has no text to read: its page is a picture",
    ),
    Case(
        "pdf-deeply-nested-arrays",
        _pdf("nested.pdf", b"[" * 500_000 + b"]" * 500_000),
        2,
        "nested.pdf: this PDF has no text to read",
    ),
    Case(
        "word-gridspan-bomb",
        _word("span.docx", office.word_plan("<w:tr>" + office.word_cell("wide", SPAN) + "</w:tr>")),
        0,
        "Wrote plans/span.yaml: 1 action.",
    ),
    Case(
        "word-gridbefore-bomb",
        _word(
            "before.docx",
            office.word_plan(
                '<w:tr><w:trPr><w:gridBefore w:val="100000000"/></w:trPr>'
                + office.word_cell("late")
                + "</w:tr>"
            ),
        ),
        0,
        "Wrote plans/before.yaml: 1 action.",
    ),
    Case(
        "word-empty-paragraph-flood",
        _word("empty.docx", office.word_plan("") + "<w:p/>" * 3_000_000),
        2,
        "empty.docx: this file would unpack to 17 MiB",
    ),
    Case(
        "word-six-hundred-nested-tables",
        _word("nested.docx", office.word_plan("") + NESTED),
        2,
        "nested.docx: cannot be read as a Word document",
    ),
    Case(
        "word-caption-line-separator",
        _word(
            "caption.docx",
            office.word_plan("").replace(
                "<w:tblGrid>",
                '<w:tblPr><w:tblCaption w:val="Plan\u2028evil: 1\x85x\u202e"/></w:tblPr><w:tblGrid>',
            ),
        ),
        0,
        "Wrote plans/caption.yaml: 1 action.",
    ),
    Case(
        "csv-huge-field",
        _csv("big.csv", office.HEADING + "1," + "x" * 200_000 + ",ann,2020-03\n"),
        2,
        "big.csv: row 2, column 2: this cell holds 200,000 characters",
    ),
    Case(
        "csv-wide-row",
        _csv("wide.csv", "Ref,Action" + ",a" * 1_000_000 + "\n1,Do it.\n"),
        2,
        "wide.csv: row 1 has 1,000,002 columns; a plan table has at most 200",
    ),
    Case(
        "excel-cell-at-xfd1048576",
        _sheet(
            "far.xlsx",
            office.sheet_plan_rows() + '<row r="1048576"><c r="XFD1048576" s="0"/></row>',
            "XFD1048576",
        ),
        0,
        "Wrote plans/far.yaml: 1 action.",
    ),
    Case(
        "excel-whole-sheet-merge",
        _sheet("merge.xlsx", office.sheet_plan_rows(), "D2", WHOLE_SHEET),
        2,
        "merge.xlsx: the merged cells E1:XFD1048576",
    ),
    Case(
        "file-name-line-separator",
        _csv("plan\u2028  evil: {name: Evil}\u2028#.csv", ROW),
        0,
        "Added 1 person to plans/people.yaml: cat-brown",
        {"plans/people.yaml": {"people": yaml.safe_load(office.PEOPLE)["people"] | CAT}},
    ),
    Case(
        "file-name-escapes",
        _csv("p\x1b]0;owned\x07\nWrote plans-forged.yaml: 9 actions.\u202e.csv", ROW),
        0,
        "\\u001b]0;owned\\u0007\\u000aWrote plans-forged",
    ),
    Case(
        "import-plans-linked-out",
        _plans_linked_out(_csv("linked.csv", ROW)),
        2,
        "which is outside the project; planreport reads only files inside it",
    ),
    Case(
        "import-people-linked-out",
        _people_linked(_csv("linkedpeople.csv", ROW)),
        2,
        "plans/people.yaml:1:1: this is a link to",
    ),
]


# --- request: hostile plan repositories ---------------------------------------------------


def _plan_text(text: str) -> Callable[[Path, Path], list[str]]:
    """`request` for a plan whose action 1 reads text (YAML escapes in double quotes)."""

    def make(root: Path, sources: Path) -> list[str]:
        plan = root / PLAN
        plan.write_text(plan.read_text().replace("text: Do it.", f'text: "{text}"'))
        return REQUEST

    return make


REQUESTS = [
    Case(
        "request-plans-linked-out",
        _plans_linked_out(lambda root, sources: REQUEST),
        2,
        "/council/plans is outside the project (",
    ),
    Case(
        "request-people-linked-out",
        _people_linked(lambda root, sources: REQUEST),
        1,
        OUTSIDE_PEOPLE,
    ),
    Case(
        "request-escapes-in-plan-text",
        _plan_text("Do \\e[2Jit\\u202e."),
        1,
        "plans/two.yaml:7:11: error: [bad-character] this text contains a character (U+001B)",
    ),
    Case(
        "request-line-separator-in-plan-text",
        _plan_text("Do\\u2028evil: 1\\x85it."),
        0,
        "Made 2 forms for 2 leads",
    ),
]


# --- apply: hostile returned forms -------------------------------------------------------


def _answer(answers: dict[str, str], name: str = "ann.xlsx") -> Callable[[Path, Path], list[str]]:
    """`apply` of Ann's form answered so on action 1, saved under name."""
    return lambda root, sources: _apply(_answered(root, sources, answers, name))


def _hidden(chunks: Callable[[Path, Path], list[str]]) -> Callable[[Path, Path], list[str]]:
    """`apply` of Ann's answered form with its hidden data replaced."""

    def make(root: Path, sources: Path) -> list[str]:
        form = _answered(root, sources, {"Progress update": NEWS})
        return _apply(office.with_hidden(form, chunks(root, form), sources / "hidden.xlsx"))

    return make


def _plain_sha256(root: Path, form: Path) -> list[str]:
    """Ann's hidden data re-signed with a plain SHA-256, as a forger without the key would."""
    packed = json.dumps(office.hidden_body(form), separators=(",", ":")).encode()
    payload = base64.urlsafe_b64encode(zlib.compress(packed, 9)).decode()
    return [f"{forms.PREFIX}{payload}.{hashlib.sha256(packed).hexdigest()[:16]}"]


def _bobs_rows(root: Path, form: Path) -> list[str]:
    """Ann's hidden data, validly signed, pointed at Bob's action 2."""
    body = office.hidden_body(form)
    body["rows"] = office.hidden_body(_form(root, "bob"))["rows"]
    return [forms.seal(body)]


def _part(
    name: str, part: str, change: Callable[[bytes], bytes], word: bool = False
) -> Callable[[Path, Path], list[str]]:
    """`apply` of Ann's answered form (or her Word form) with one part changed, saved as name."""

    def make(root: Path, sources: Path) -> list[str]:
        form = (
            root / "build/forms/two-ann.docx"
            if word
            else _answered(root, sources, {"Progress update": NEWS})
        )
        return _apply(office.rezipped(form, sources / name, part, change))

    return make


SHEET = "xl/worksheets/sheet1.xml"
DIMENSION = re.compile(rb'<dimension ref="[^"]*"/>')
MACRO = (b"spreadsheetml.sheet.main", b"ms-excel.sheet.macroEnabled.main")
WORD_MACRO = (b"wordprocessingml.document.main", b"ms-word.document.macroEnabled.main")

APPLIES = [
    Case(
        "apply-sound-form",
        _answer({"Progress update": NEWS, "New status": "Amber"}),
        0,
        "ann.xlsx: two: action 1: update added (20 November 2026), status Amber\n",
        {str(PLAN): _applied({"text": NEWS, "status": "amber"})},
    ),
    Case(
        "apply-form-name-escapes",
        _answer({"Progress update": NEWS}, "a\x1b[2J\u2028b\u202e.xlsx"),
        0,
        "a\\u001b[2J",
        NEWS_PLAN,
    ),
    Case(
        "apply-plain-sha256-signature",
        _hidden(_plain_sha256),
        1,
        "hidden.xlsx: not applied: the hidden data in this form has been changed",
    ),
    Case(
        "apply-another-leads-action",
        _hidden(_bobs_rows),
        1,
        "not a lead of this action (its leads: bob)",
    ),
    Case(
        "apply-hidden-data-a-list",
        _hidden(lambda root, form: [forms.seal([1, 2])]),
        1,
        "hidden.xlsx: not applied: the hidden data in this form has been changed",
    ),
    Case(
        "apply-hidden-data-bomb",
        _hidden(lambda root, form: office.hidden_bomb(64 << 20)),
        1,
        "hidden.xlsx: not applied: the hidden data in this form unpacks to over 8 MiB",
    ),
    Case(
        "apply-part-unpacks-huge",
        _part("big.xlsx", "xl/styles.xml", lambda d: d + b" " * (40 << 20)),
        1,
        "big.xlsx: not applied: this file unpacks to 40 MiB",
    ),
    Case(
        "apply-malformed-xml",
        _part("bad.xlsx", SHEET, lambda d: d.replace(b"</c>", b"</x>", 1)),
        1,
        "bad.xlsx: not applied: this workbook cannot be read: part of it is damaged",
    ),
    Case(
        "apply-macro-enabled",
        _part("ann.xlsm", "[Content_Types].xml", lambda d: d.replace(*MACRO)),
        1,
        "ann.xlsm: not applied: this is a macro-enabled ",
    ),
    Case(
        "apply-macro-enabled-word",
        _part("ann.docm", "[Content_Types].xml", lambda d: d.replace(*WORD_MACRO), word=True),
        1,
        "ann.docm: not applied: this is a macro-enabled ",
    ),
    Case(
        "apply-declared-size-xfd1048576",
        _part("sized.xlsx", SHEET, lambda d: DIMENSION.sub(b'<dimension ref="A1:XFD1048576"/>', d)),
        0,
        "Applied 1 of 1 answer",
        NEWS_PLAN,
    ),
    Case(
        "apply-formula-without-value",
        _answer({"New status": '=UPPER("green")'}),
        1,
        "New status: this cell holds a formula",
    ),
    Case(
        "apply-invisible-status",
        _answer({"New status": "Green\u200b"}),
        1,
        "holds an invisible character, U+200B",
    ),
    Case(
        "apply-line-separators-and-bidi-in-answer",
        _answer({"Progress update": ODD_NEWS}),
        0,
        "Applied 1 of 1 answer",
        {str(PLAN): _applied({"text": "News\nevil: 1\n\u202e."})},
    ),
    Case(
        "apply-plans-linked-out",
        _plans_linked_out(_answer({"Progress update": NEWS})),
        1,
        "plan 'two' was not found, and planreport left out a folder of plans (listed above)",
    ),
    Case(
        "apply-people-linked-out",
        _people_linked(_answer({"Progress update": NEWS})),
        1,
        OUTSIDE_PEOPLE,
    ),
]


@pytest.mark.parametrize("case", IMPORTS + REQUESTS + APPLIES, ids=lambda case: case.name)
def test_hostile_input(case: Case, template: Path, tmp_path: Path) -> None:
    root = tmp_path / "council"
    shutil.copytree(template, root)
    sources, tmp = tmp_path / "sources", tmp_path / "tmp"
    sources.mkdir()
    args = case.make(root, sources)
    tmp.mkdir()
    config = Path(os.environ["XDG_CONFIG_HOME"])
    plan = (root / PLAN).read_bytes() if (root / PLAN).exists() else b""
    outside = _snapshot(tmp_path, root) | _snapshot(config, root)
    result = _run(root, args, tmp)
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "internal error" not in text, text
    assert "\x1b" not in text and "\u202e" not in text, text
    assert (result.returncode, case.said in text) == (case.code, True), text
    assert _snapshot(tmp_path, root) | _snapshot(config, root) == outside
    assert list(tmp.iterdir()) == []
    if case.after is None and args[0] == "apply":
        assert (root / PLAN).read_bytes() == plan
    for path, value in (case.after or {}).items():
        assert yaml.safe_load((root / path).read_text()) == value, path
