"""Word pages and package as a clerk gets them: headings with tables, no blank page, no leftovers.

Checked in the Word XML, and in the example papers as LibreOffice lays them out (a
tagged PDF, read as tests/tagged.py reads planreport's own PDFs).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from html import unescape
from pathlib import Path

import docx
import pikepdf
import pytest
from lxml import etree

from planreport.paper.model import Column, Heading, Row, Table, Text
from planreport.plan.richtext import Para, Rich, Run
from tests import tagged
from tests.conftest import PAPERS, W
from tests.marks import libreoffice
from tests.test_word import synthetic
from tests.test_word_layout import COLUMNS, part, tables, text, word, words

TAGGED_PDF = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def kept_next(blocks: list) -> list[bool]:
    """For each row of the one table, whether its paragraphs keep with the next."""
    (table,) = tables(word(blocks))
    return [row.find(f".//{W}keepNext") is not None for row in table.findall(f"{W}tr")]


def test_a_short_table_is_kept_whole_only_when_it_fits_under_its_heading() -> None:
    """Derby's recommendation 12: heading and seven rows are more than a page.

    Kept whole, the table went overleaf and left its heading alone on a page; it keeps
    only its header rows and first body row with the heading then.
    """
    rows = [Row([text(str(n)), text(words(30)), text("Lead")]) for n in range(7)]
    table = Table("Plan", COLUMNS[:3], rows)
    assert kept_next([table]) == [True] * 8 + [False]  # two header rows, seven body rows
    heading = Heading(2, f"Recommendation 12 – {words(30)}")
    assert kept_next([heading, table]) == [True] * 3 + [False] * 6


@pytest.fixture(scope="module")
def in_libreoffice(example_papers: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example papers' Word files as LibreOffice prints them: tagged PDFs."""
    out = tmp_path_factory.mktemp("word-in-libreoffice")
    for paper in PAPERS:
        shutil.copy(example_papers / f"{paper}.docx", out)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{out / 'profile'}",
            "--headless",
            "--convert-to",
            TAGGED_PDF,
            "--outdir",
            str(out),
            *(str(out / f"{paper}.docx") for paper in PAPERS),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


@pytest.mark.render
@libreoffice
@pytest.mark.parametrize("paper", PAPERS)
def test_no_heading_is_left_on_a_page_before_its_table_in_libreoffice(
    in_libreoffice: Path, paper: str
) -> None:
    counts = tagged.count(in_libreoffice / f"{paper}.pdf")
    assert counts.headings > 5
    assert counts.stranded == []


def body_paragraphs(data: bytes) -> list:
    """The body's own children, in order."""
    return list(part(data, "word/document.xml").find(f"{W}body"))


def test_a_paper_ending_with_a_table_ends_with_a_paragraph_1_pt_high() -> None:
    """Stockton's last page was blank: the empty paragraph after its last table, overleaf."""
    table = Table("Plan", COLUMNS[:3], [Row([text("1"), text("Do it"), text("Lead")])])
    *_, last_table, last, section = body_paragraphs(word([table, table]))
    assert [etree.QName(e).localname for e in (last_table, last, section)] == ["tbl", "p", "sectPr"]
    spacing = last.find(f"{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("20", "exact")
    assert last.find(f".//{W}t") is None
    between = body_paragraphs(word([table, table]))[-4]  # after the first table: a full line
    assert between.find(f"{W}pPr/{W}spacing") is None


def test_a_paper_ending_with_text_gets_no_paragraph_more() -> None:
    ending = Text(Rich((Para((Run("The end."),)),)))
    *_, last, _section = body_paragraphs(word([ending]))
    assert "".join(t.text for t in last.iter(f"{W}t")) == "The end."


@pytest.mark.render
@libreoffice
@pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftotext) is not installed; .ci/slow installs it with LibreOffice",
)
@pytest.mark.parametrize("paper", PAPERS)
def test_the_last_page_in_libreoffice_is_not_blank(in_libreoffice: Path, paper: str) -> None:
    """More on it than the running header and the page number."""
    listing = subprocess.run(
        ["pdftotext", str(in_libreoffice / f"{paper}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    last = [page for page in listing.stdout.split("\f") if page.strip()][-1]
    lines = [line for line in last.splitlines() if line.strip()]
    assert len(lines) > 3, lines


def test_the_package_holds_planreports_own_properties_and_no_leftovers() -> None:
    """No reference-document leftovers: its app.xml, blank thumbnail and custom XML."""
    data = synthetic([Heading(1, "Title")], keywords=["Derby City Council"])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        listed = package.read("[Content_Types].xml") + package.read("_rels/.rels")
        listed += package.read("word/_rels/document.xml.rels")
        app = etree.fromstring(package.read("docProps/app.xml"))
        core = etree.fromstring(package.read("docProps/core.xml"))
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml")]
    assert b"thumbnail" not in listed and b"customXml" not in listed
    assert [(etree.QName(e).localname, e.text) for e in app] == [("Application", "planreport")]
    keywords = core.find(
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords"
    )
    assert not keywords.text


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_the_pdf_has_no_keywords(example_papers: Path, paper: str) -> None:
    """The council's name is the Author's, not a keyword."""
    with pikepdf.open(example_papers / f"{paper}.pdf") as pdf:
        assert "/Keywords" not in pdf.docinfo
        assert pdf.docinfo["/Author"]
        with pdf.open_metadata() as xmp:
            assert "pdf:Keywords" not in xmp


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_the_cover_and_the_appendix_each_have_their_running_header_as_in_the_pdf(
    example_papers: Path, paper: str
) -> None:
    """Word repeated the cover's title over the appendix; the PDF shows the appendix's."""
    html = (example_papers / f"{paper}.html").read_text()
    appendix = re.search(r'<div class="running-header" aria-hidden="true">([^<]*)</div>', html)
    cover = re.search(r'<div class="running-header cover-head" aria-hidden="true">([^<]*)', html)
    sections = docx.Document(str(example_papers / f"{paper}.docx")).sections
    headers = [" ".join(p.text for p in s.header.paragraphs) for s in sections]
    expected = [cover.group(1), appendix.group(1)]
    assert headers == [unescape(text) for text in expected]
    assert headers[0] != headers[1]


def test_a_closing_row_is_plain_text_as_in_the_pdf() -> None:
    """Nottinghamshire's last row, a note after the actions, was a bold shaded heading in Word."""
    rows = [
        Row([text("Theme")], group=True),
        Row([text("1"), text("Do it"), text("Lead")]),
        Row([text("A closing note.")], group=True, header=False),
    ]
    (table,) = tables(word([Table("Plan", COLUMNS[:3], rows * 3)]))
    group, _, closing = table.findall(f"{W}tr")[-3:]
    styles = [r.find(f".//{W}pStyle").get(f"{W}val") for r in (group, closing)]
    assert styles == ["TableHeading", "TableText"]
    shading = [r.find(f".//{W}tcPr/{W}shd") is not None for r in (group, closing)]
    assert shading == [True, False]
    assert closing.find(f".//{W}keepNext") is None
    assert "".join(t.text for t in closing.iter(f"{W}t")) == "A closing note."


def cell_texts(blocks: list) -> list[str]:
    """The text of each body cell of the one table."""
    (table,) = tables(word(blocks))
    rows = [r for r in table.findall(f"{W}tr") if r.find(f"{W}trPr/{W}tblHeader") is None]
    return ["".join(t.text for t in c.iter(f"{W}t")) for r in rows for c in r.findall(f"{W}tc")]


def test_a_word_too_wide_for_its_cell_may_break_after_its_slash_as_in_the_pdf() -> None:
    """Derby 6.1's "guidance/procedure" broke as "procedu re" in a 12% column in Word.

    WeasyPrint breaks after the slash; a zero-width space there lets Word do the same.
    Words that fit, and numbers (2011/12), are left as they are.
    """
    outputs = "plus associated guidance/procedure and 2011/12 data"
    columns = [Column("Ref", 5), Column("Outputs", 12), Column("Progress", 83)]
    rows = [Row([text("6.1"), text(outputs), text(f"Wide: {outputs}")])]
    assert cell_texts([Table("Plan", columns, rows)]) == [
        "6.1",
        "plus associated guidance/\u200bprocedure and 2011/12 data",
        f"Wide: {outputs}",
    ]


@pytest.mark.render
@libreoffice
@pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftotext) is not installed; .ci/slow installs it with LibreOffice",
)
def test_derby_breaks_guidance_procedure_after_its_slash_in_libreoffice(
    in_libreoffice: Path,
) -> None:
    listing = subprocess.run(
        ["pdftotext", str(in_libreoffice / "derby-cyp-improvement-2011-12.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = listing.stdout.splitlines()
    assert "procedu" not in lines
    assert "guidance/" in lines and lines[lines.index("guidance/") + 1] == "procedure"
