"""`planreport import plan.pdf`: the example papers built as PDF import back; bad PDFs refused.

The round trip mirrors tests/test_import.py's for Word: every paper of the example plans
is built as a PDF (WeasyPrint, tagged PDF/UA) and imported back. A council's plan is
printed by WeasyPrint from its own HTML, tagged and untagged; the broken PDFs are written
with pikepdf and Pillow, or by hand, as a scanner or a damaged download would leave them.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from planreport.importers import pdf_text, pdf_words
from planreport.importers.pdf_text import Word
from planreport.plan import standing
from tests.conftest import ROOT, run_planreport
from tests.test_import import (
    LAYOUTS,
    NOT_PRINTED,
    assert_imported_back,
    built_papers,
    load,
    project,
    run,
    snapshot,
    with_people,
    words,
)

__all__ = ["project", "with_people"]  # fixtures used here, defined with the Word tests


def same_words(text: str | None) -> str:
    """Words as a reader sees them, a space after a hyphen dropped.

    'Over- subscriptions' broken after its hyphen at a line's end prints exactly as
    'Over-subscriptions' does, so a PDF cannot tell them apart.
    """
    return re.sub(r"(\w)- (\w)", r"\1-\2", words(text))


@pytest.fixture(scope="module")
def pdf_papers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every paper of this repository, built as PDF."""
    return built_papers(tmp_path_factory, "pdf")


@pytest.mark.render
@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_example_paper_built_as_pdf_imports_back(
    layout: str, pdf_papers: Path, with_people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paper, plan_id = LAYOUTS[layout]
    code, out, err = run(
        with_people, str(pdf_papers / f"{paper}.pdf"), "--id", "back", capsys=capsys
    )
    assert err == "", err
    original, imported = load(ROOT, plan_id), load(with_people, "back")
    assert "Added" not in out  # every lead matched someone in people.yaml

    # The same recommendations and actions as the Word paper gives (tests/test_import.py),
    # statuses from the RAG cells' words and fills.
    assert_imported_back(original, imported, layout, NOT_PRINTED[plan_id], same_words)
    assert code in (0, 1)


@pytest.mark.render
def test_the_exceptions_paper_as_pdf_imports_the_actions_it_shows(
    pdf_papers: Path, with_people: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(
        with_people, str(pdf_papers / "derby-exceptions-2011-12.pdf"), "--id", "red", capsys=capsys
    )
    imported = load(with_people, "red")
    # The exceptions follow the paper's filters (rated red or amber): 19.1 alone.
    assert [a.ref for a in imported.actions] == ["19.1"]
    assert imported.status_scheme.name == "Traffic Light Status"
    red = imported.actions[0]
    assert red.updates == [] and red.status == "amber"  # from the cell's words and its fill
    # why it is listed, and its latest update (in italics), kept as the paper prints them
    assert red.custom["why-it-is-here"][0] == (
        "Overdue by 9 weeks (due September 2011); rated Amber (Slippage).\n\n"
        "*Latest update, Q3 2011/12 (October to December 2011):* Position subject to review "
        "given arrival of new Service Director. Key Children and Young People Service Director "
        "to review service position given catalyst of other potential changes arising out of "
        "implementation of Munro recommendations."
    )
    # The chart's labels (a tagged PDF's figure) and the running heads are not read.
    assert imported.recommendations == []
    # A caption printed right above a table names it; a table may go on over a page break.
    assert out.startswith(
        f"Read {pdf_papers / 'derby-exceptions-2011-12.pdf'}: 2 tables.\n"
        "Table 1 ('Traffic Light Status: what each status means', page 1): status key.\n"
        "Table 2 ('Exceptions: open actions that are overdue, repeatedly revised or not on "
        "track', page 1): actions, columns read as:\n"
    )
    assert "Skipped, not plan tables" not in out  # the report has no summary of the plan
    assert out.endswith(
        "Nothing is left to complete: every action has what the plan format needs.\n"
    )
    assert code == 0


# --- PDFs that cannot be plans: a plain message, nothing written --------------------------


def _blank_pdf(path: Path, pages: int, content: bytes = b"") -> Path:
    """A PDF of blank pages, each with this content stream (compressed)."""
    pdf = pikepdf.new()
    for _ in range(pages):
        page = pdf.add_blank_page(page_size=(595, 842))
        if content:
            page.obj.Contents = pdf.make_stream(zlib.compress(content, 9))
            page.obj.Contents.Filter = pikepdf.Name.FlateDecode
    pdf.save(path)
    return path


def _scan(path: Path) -> Path:
    """A 'scanned' plan: one page that is a picture, no text layer."""
    Image.new("RGB", (400, 300), "white").save(path, "PDF", resolution=72)
    return path


def _damaged(path: Path) -> Path:
    """A PDF cut off halfway, as an interrupted download leaves it."""
    whole = _blank_pdf(path.with_name("whole.pdf"), 3, b"BT /F1 12 Tf 72 700 Td (Plan) Tj ET")
    path.write_bytes(b"%PDF-1.7\n" + whole.read_bytes()[9:60])
    return path


def _locked(path: Path) -> Path:
    """A PDF that opens only with a password, as some councils send them."""
    plain = _blank_pdf(path.with_name("open.pdf"), 1, b"BT /F1 12 Tf 72 700 Td (Plan) Tj ET")
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    return path


def _renamed(path: Path) -> Path:
    """A web page saved with a .pdf name, as a failed download leaves one."""
    path.write_bytes(b"<!DOCTYPE html><html><body>Sign in to view this document</body></html>")
    return path


NESTED = b"q " + b"[" * 200_000 + b"]" * 200_000 + b" Q"

REFUSED = [
    (
        "scan.pdf",
        _scan,
        "{src}: this PDF has no text to read: its page is a picture (a scan, or a file "
        "printed to PDF as images). Ask for the Word or Excel file the plan was written in, or "
        "run the PDF through text recognition (OCR) first, then import that.",
    ),
    (
        "many.pdf",
        lambda path: _blank_pdf(path, 301),
        "{src}: this PDF has more than 300 pages, far more than any plan; it is not imported. "
        "Save the pages with the plan's tables as a PDF of their own, then import that.",
    ),
    (
        "locked.pdf",
        _locked,
        "{src}: this PDF is password-protected, so it cannot be read. Open it, save a copy "
        "without the password, and import that copy.",
    ),
    (
        "renamed.pdf",
        _renamed,
        "{src}: this is not a PDF, although its name ends .pdf (it may be damaged, or another "
        "kind of file renamed). Ask for the plan's Word, Excel or PDF file again, then import "
        "that.",
    ),
    (
        "bomb.pdf",
        lambda path: _blank_pdf(path, 1, b" " * (64 * 1024 * 1024)),
        "{src}: page 1: its content would take more than 16 MiB once unpacked, far more than "
        "any page; the PDF is not imported.",
    ),
]


@pytest.mark.parametrize(("name", "make", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_pdfs_that_cannot_be_read_get_a_plain_message(
    name: str,
    make: object,
    message: str,
    project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = make(tmp_path / name)  # type: ignore[operator]
    before = snapshot([project])
    code, out, err = run(project, str(source), capsys=capsys)
    assert (code, out) == (2, "")
    assert err == f"planreport import: {message.format(src=source)}\n"
    assert snapshot([project]) == before


@pytest.mark.parametrize(
    "make",
    [_damaged, lambda path: path.write_bytes(b"%PDF-1.7\n...") and path],
    ids=["cut-off", "header-only"],
)
def test_a_damaged_pdf(
    make: object, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "cut.pdf"
    make(source)  # type: ignore[operator]
    code, out, err = run(project, str(source), capsys=capsys)
    assert (code, out) == (2, "")
    assert re.fullmatch(
        rf"planreport import: {re.escape(str(source))}: cannot be read as a PDF; the file is "
        r"damaged \([^\n]+\)\. Ask for the Word or Excel file the plan was written in, or save "
        r"the PDF again from a PDF reader, then import that\.\n",
        err,
    ), err


def test_deeply_nested_content_is_bounded(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = _blank_pdf(tmp_path / "nested.pdf", 1, NESTED)
    code, out, err = run(project, str(source), capsys=capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"planreport import: {source}: ")
    assert "Traceback" not in err


# --- a hand-made PDF: header repeated over page breaks, RAG by fill alone, merged cells ---

COUNCIL_STYLE = """
@page { size: A4 landscape; margin: 20mm 15mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; }
        @top-left { content: "Children's Services Improvement Plan"; font-size: 8pt; } }
body { font-family: serif; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1pt solid #444; padding: 4pt; vertical-align: top; }
th { background: #1F3864; color: white; }
"""
FILLS = {"G": "#00B050", "A": "#FFC000", "R": "#FF0000"}


THEMES = {1: "Safeguarding", 3: "Looked after children"}


def council_pdf(
    path: Path, actions: int, tagged: bool = False, page_before: tuple[int, ...] = ()
) -> Path:
    """A plan as a council prints it from Word: one ruled table running over several pages.

    A theme row across the table comes before some recommendations; the actions numbered
    in page_before start a page (a recommendation merged down its rows goes on over it).
    """
    import weasyprint

    rows = []
    for n in range(1, actions + 1):
        recommendation, index = (n - 1) // 10 + 1, (n - 1) % 10 + 1
        if index == 1 and recommendation in THEMES:
            rows.append(
                f"<tr><td colspan='6' style='background:#D9E2F3'><b>"
                f"{THEMES[recommendation]}</b></td></tr>"
            )
        rec = (
            f'<td rowspan="{min(10, actions - n + 1)}">'
            f"{recommendation}. Improve the quality of practice in area {recommendation}.</td>"
            if index == 1
            else ""
        )
        rag = "GAR"[n % 3]
        start = " style='break-before: page'" if n in page_before else ""
        rows.append(
            f"<tr{start}>{rec}<td>{recommendation}.{index}</td>"
            f"<td>Review the arrangements in team {n} and report to the board with "
            f"findings and a plan for improvement.</td><td>Jane Smith</td>"
            f"<td>March 2014</td><td style='background:{FILLS[rag]}'></td></tr>"
        )
    heads = "".join(
        f"<th>{h}</th>" for h in ("Recommendation", "Ref", "Action", "Lead", "Timescale", "RAG")
    )
    weasyprint.HTML(
        string=f"<html lang=en><head><style>{COUNCIL_STYLE}</style></head><body>"
        "<h1>Children's Services Improvement Plan</h1>"
        f"<table><thead><tr>{heads}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>"
    ).write_pdf(path, pdf_variant="pdf/ua-1" if tagged else None)
    return path


@pytest.mark.render
@pytest.mark.parametrize("tagged", [False, True], ids=["untagged", "tagged"])
def test_a_council_pdf_over_several_pages(
    tagged: bool, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = council_pdf(tmp_path / "plan.pdf", 29, tagged)
    code, out, err = run(project, str(source), "--id", "council", capsys=capsys)
    assert err == "", err
    plan = load(project, "council")
    # One table over its pages: each repeated header row dropped, no action made of one.
    assert re.search(r"^Table 1 \(pages 1 to [3-9]\): actions, columns read as:$", out, re.M)
    assert [a.ref for a in plan.actions] == [
        f"{(n - 1) // 10 + 1}.{(n - 1) % 10 + 1}" for n in range(1, 30)
    ]
    # The recommendation merged down its rows (and over a page break) applies to each.
    assert [[r for r, _ in a.addresses] for a in plan.actions] == [
        [str((n - 1) // 10 + 1)] for n in range(1, 30)
    ]
    assert [r.ref for r in plan.recommendations] == ["1", "2", "3"]
    # A row across the table (one merged cell) is a theme for the rows after it.
    assert [(t.id, t.title) for t in plan.themes] == [
        ("safeguarding", "Safeguarding"),
        ("looked-after-children", "Looked after children"),
    ]
    assert [a.theme for a in plan.actions] == ["safeguarding"] * 20 + ["looked-after-children"] * 9
    assert plan.actions[0].text == (
        "Review the arrangements in team 1 and report to the board with findings and a plan "
        "for improvement."
    )
    # RAG from the cell's fill alone; the running head and page numbers are not text.
    assert plan.title == "Children's Services Improvement Plan"  # the largest type
    assert [standing.status_at(plan, a).key for a in plan.actions] == [  # type: ignore[union-attr]
        {"G": "green", "A": "amber", "R": "red"}["GAR"[n % 3]] for n in range(1, 30)
    ]
    assert [x.person for x in plan.actions[0].leads] == ["jane-smith"]
    assert {a.due.text for a in plan.actions} == {"2014-03"}
    assert "Page" not in (project / "plans" / "council.yaml").read_text(encoding="utf-8")
    assert code in (0, 1)


# --- a cell's words as lines: wrapped lines joined, note markers, hyphens, bold tails -----


def test_a_cells_words_become_its_lines() -> None:
    def word(text: str, x: float, top: float = 0, size: float = 10, bold: bool = False) -> Word:
        return Word(text, x, x + 5, top, top + 10, size, bold, False)

    lines = pdf_text.cell_lines(
        [
            word("1.", 0), word("Work", 10), word("with", 20), word("partners", 30),
            word("1", 40, size=6), word("on", 50), word("multi-", 60),
            word("agency", 0, 12), word("*checks*", 10, 12), word("March", 20, 12, bold=True),
            word("2014", 30, 12, bold=True),
            word("•", 0, 40), word("audit", 10, 40),
            word("report", 0, 52),
        ]
    )  # fmt: skip
    assert [(x.markdown, x.plain, x.bullet, x.tail) for x in lines] == [
        (
            "1\\. Work with partners[^1] on multi-agency \\*checks\\* **March 2014**",
            "1. Work with partners on multi-agency *checks* March 2014",
            False,
            "March 2014",
        ),
        ("audit report", "audit report", True, None),
    ]


@pytest.mark.parametrize(
    ("components", "colour"),
    [((0.0, 0.690196, 0.313725), "#00B050"), ((1.0,), "#FFFFFF"), ((0, 0, 1, 0), "#FFFF00"),
     ("pattern", None), ((2.0, -1.0, 0.5), "#FF0080")],
)  # fmt: skip
def test_fill_colours_as_rgb(components: object, colour: str | None) -> None:
    assert pdf_text.colour(components) == colour


def test_pdfminer_complaints_are_not_printed(project: Path, tmp_path: Path) -> None:
    source = tmp_path / "text.pdf"  # a font without its bounding box: pdfminer logs a warning
    source.write_bytes(
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 9 0 R >> >> >> endobj\n"
        b"4 0 obj << /Length 40 >> stream\nBT /F1 12 Tf 72 700 Td (Hello) Tj ET\nendstream "
        b"endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )
    done = run_planreport("import", str(source), cwd=project)  # a process: no test logging
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(f"planreport import: {source}: there is no table here")
    assert done.stderr.count("\n") == 1, done.stderr


@pytest.mark.render
def test_a_recommendation_merged_down_over_a_page_break_keeps_its_actions_apart(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its second action starts the page, under the blank rest of the merged cell.

    That row has a ref of its own, so it is not the rest of the row above cut by the page
    break (whose ref column would be empty); the blank cell is the recommendation going on.
    """
    source = council_pdf(tmp_path / "plan.pdf", 12, page_before=(12,))
    run(project, str(source), "--id", "council", capsys=capsys)
    plan = load(project, "council")
    assert [a.ref for a in plan.actions] == [f"1.{n}" for n in range(1, 11)] + ["2.1", "2.2"]
    assert [[r for r, _ in a.addresses] for a in plan.actions] == [["1"]] * 10 + [["2"]] * 2


# --- pdfium's words are pdfplumber's ----------------------------------------------------


def _both_words(path: Path) -> list[tuple[int, list[dict[str, object]], list[dict[str, object]]]]:
    """Each page's words from pdfplumber's extract_words and from pdf_words (pdfium)."""
    import pdfplumber
    import pypdfium2

    data = path.read_bytes()
    found = []
    with pdfplumber.open(path) as pdf:
        document = pypdfium2.PdfDocument(data)
        for number, page in enumerate(pdf.pages, 1):
            theirs = page.extract_words(extra_attrs=["fontname", "size", "tag"])
            found.append((number, theirs, pdf_words.page_words(document[number - 1], page)))
        document.close()
    return found


def _turned(source: Path, path: Path) -> Path:
    """A copy with every page upside down and its MediaBox moved off the origin."""
    with pikepdf.open(source) as pdf:
        for page in pdf.pages:
            x0, y0, x1, y1 = (float(v) for v in page.obj.MediaBox)
            page.obj.MediaBox = pikepdf.Array([x0 - 20, y0 - 30, x1 + 10, y1 + 5])
            page.obj.Rotate = 180
        pdf.save(path)
    return path


def _sources(pdf_papers: Path, tmp_path: Path) -> list[Path]:
    """The PDFs the two readers are compared on.

    Every example paper (tagged, with charts whose labels are a Figure), a council's plan
    tagged and not, and a paper turned upside down on a page moved off the origin.
    """
    return [
        *sorted(pdf_papers.glob("*.pdf")),
        council_pdf(tmp_path / "tagged.pdf", 29, tagged=True),
        council_pdf(tmp_path / "untagged.pdf", 29),
        _turned(pdf_papers / "derby-exceptions-2011-12.pdf", tmp_path / "turned.pdf"),
    ]


@pytest.mark.render
def test_pdfium_gives_the_words_pdfplumber_gives(pdf_papers: Path, tmp_path: Path) -> None:
    sources = _sources(pdf_papers, tmp_path)
    assert len(sources) == 8
    compared = 0
    for source in sources:
        for number, theirs, ours in _both_words(source):
            where = f"{source.name} page {number}"
            key = lambda w: (w["text"], round(w["top"]), w["x0"])  # noqa: E731
            theirs, ours = sorted(theirs, key=key), sorted(ours, key=key)
            assert [w["text"] for w in ours] == [w["text"] for w in theirs], where
            for mine, their in zip(ours, theirs, strict=True):
                for edge in ("x0", "x1", "top", "bottom"):
                    assert abs(mine[edge] - their[edge]) < 0.5, (where, mine, their)
                assert abs(mine["size"] - their["size"]) < 0.01, (where, mine, their)
                assert (mine["fontname"], mine["tag"]) == (their["fontname"], their["tag"])
            styles = [(w.bold, w.italic, round(w.size, 1)) for w in pdf_text.words_of(ours)]
            assert styles == [
                (w.bold, w.italic, round(w.size, 1)) for w in pdf_text.words_of(theirs)
            ]
            compared += len(theirs)
    assert compared > 15_000  # words on about 90 pages


def _tables_and_fills(page: Any) -> tuple[list[list[tuple[float, ...]]], list[tuple[Any, ...]]]:
    """A pdfplumber page's tables (each its cells) and filled rectangles (box and colour)."""
    tables = [[tuple(round(v, 2) for v in c) for c in t.cells] for t in page.find_tables()]
    fills = sorted(
        (
            *(round(r[k], 2) for k in ("x0", "top", "x1", "bottom")),
            pdf_text.colour(r["non_stroking_color"]),
        )
        for r in page.rects
        if r.get("fill")
    )
    return tables, fills


@pytest.mark.render
def test_pdfiums_paths_give_the_tables_and_fills_pdfminers_give(
    pdf_papers: Path, tmp_path: Path
) -> None:
    import pdfplumber
    import pypdfium2

    from planreport.importers import pdf_lines

    compared = 0
    for source in _sources(pdf_papers, tmp_path):
        document = pypdfium2.PdfDocument(source.read_bytes())
        with pdfplumber.open(source) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                ours = pdf_lines.lines_page(pdf, page.page_obj, number, 0, document[number - 1])
                assert _tables_and_fills(ours) == _tables_and_fills(page), (source, number)
                assert ours.chars == []  # the words come from pdf_words
                compared += len(page.find_tables())
        document.close()
    assert compared > 80  # tables on about 90 pages
