"""The cover report as built: before its appendix in one PDF, Word and HTML document.

Each example paper's cover sections are in the text of every format in the template's
order, before the appendix; the cover is portrait, the appendix keeps its layout's pages;
an exempt report says "Not for publication" on every page and in its metadata; a cover
built apart is its own file; a cover over its house page limit is a warning.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pikepdf
import pypdf
import pytest

from planreport.commands.build import Options, build
from planreport.project import Project
from tests.conftest import CASES, PAPERS, ROOT, docx_text, html_words

CASE = CASES / "cover"
COUNCILS = {  # each example paper's council, named above its cover's title
    "derby": "Derby City Council",
    "nottingham-city": "Nottingham City Council",
    "nottinghamshire": "Nottinghamshire County Council",
    "stockton": "Stockton-on-Tees Borough Council",
}
MARK = "NOT FOR PUBLICATION: EXEMPT INFORMATION UNDER PARAGRAPH 3 OF SCHEDULE 12A"


def _headings(paper: str, folder: Path = ROOT / "plans" / "papers") -> list[str]:
    """The section and subsection headings of a paper's cover text, in order."""
    text = (folder / f"{paper}.cover.md").read_text(encoding="utf-8")
    return re.findall(r"^#{2,3} (.+)$", text, re.M)


def _in_order(text: str, needles: list[str]) -> int:
    """Where the last needle is found, each found after the one before (else fails)."""
    at = 0
    for needle in needles:
        found = text.find(needle, at)
        assert found >= 0, (needle, text[at : at + 200])
        at = found + len(needle)
    return at


def _pdf_lines(path: Path) -> str:
    """A PDF's text with each line's spacing made single."""
    pages = pypdf.PdfReader(path).pages
    return "\n".join(
        " ".join(line.split()) for page in pages for line in page.extract_text().split("\n")
    )


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_each_example_papers_cover_sections_come_in_order_before_its_appendix(
    example_papers: Path, paper: str
) -> None:
    council = next(name for key, name in COUNCILS.items() if paper.startswith(f"{key}-"))
    front = [council, "Report details", "Committee", "Date of meeting", "Contact officer"]
    wanted = [*front, *_headings(paper), "Appendix 1"]
    assert _headings(paper)[:2] == ["Purpose of the report", "Recommendations"]
    _in_order(_pdf_lines(example_papers / f"{paper}.pdf"), wanted)
    _in_order("\n".join(docx_text(example_papers / f"{paper}.docx")), wanted)
    _in_order(" ".join(html_words(example_papers / f"{paper}.html")), wanted)


@pytest.mark.render
def test_the_council_heads_the_cover_in_bold_in_word_as_in_the_pdf(example_papers: Path) -> None:
    first = docx.Document(example_papers / "nottingham-city-iicsa-2019.docx").paragraphs[0]
    assert first.text == "Nottingham City Council"
    assert first.runs and all(run.bold for run in first.runs)


@pytest.mark.render
def test_recommendations_are_numbered_and_facts_agree_with_the_appendix(
    example_papers: Path,
) -> None:
    text = " ".join(_pdf_lines(example_papers / "stockton-ofsted-2013-09.pdf").split())
    assert "1. Notes the progress made on the plan's 58 actions, 42 of them completed." in text
    assert "2. Notes each open action listed in this report as an exception (7 of" in text
    assert "As at 18 September 2013: 58 actions, 42 completed, 16 open." in text  # the appendix
    derby = " ".join(_pdf_lines(example_papers / "derby-cyp-improvement-2011-12.pdf").split())
    # Five of the 13 Green actions are overdue: the cover counts them by rating, not "on track".
    assert "81 actions, by rating: 67 Blue (completed), 13 Green, 1 Amber and 0 Red." in derby
    assert "(6 of the plan's 14 open actions)" in derby


@pytest.mark.render
def test_the_cover_is_portrait_and_a_landscape_appendix_stays_landscape(
    example_papers: Path,
) -> None:
    pages = pypdf.PdfReader(example_papers / "derby-cyp-improvement-2011-12.pdf").pages
    sizes = [(round(p.mediabox.width), round(p.mediabox.height)) for p in pages]
    first = next(i for i, p in enumerate(pages) if "Appendix 1\n" in p.extract_text() + "\n")
    assert set(sizes[:first]) == {(595, 842)}  # A4 portrait
    assert set(sizes[first + 1 :]) == {(842, 595)}  # the improvement plan's landscape
    word = docx.Document(example_papers / "derby-cyp-improvement-2011-12.docx")
    shapes = [(s.page_width.mm, s.page_height.mm) for s in word.sections]
    assert [(round(w), round(h)) for w, h in shapes] == [(210, 297), (297, 210)]
    assert (
        word.core_properties.title == "Children and Young People Improvement Plan – progress report"
    )
    with pikepdf.open(example_papers / "derby-cyp-improvement-2011-12.pdf") as pdf:
        assert (
            str(pdf.docinfo["/Title"])
            == "Children and Young People Improvement Plan – progress report"
        )


def _case_copy(tmp_path: Path) -> Path:
    """The cover case project copied, to build in."""
    project = tmp_path / "project"
    shutil.copytree(CASE, project)
    return project


@pytest.mark.render
def test_an_exempt_report_built_apart_says_so_on_every_page_and_in_its_metadata(
    tmp_path: Path,
) -> None:
    project = _case_copy(tmp_path)
    out = tmp_path / "out"
    result = build(Project(project), Options(out=out, paper_ids=("short",)))
    assert not result.failed
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "short-cover.docx",
        "short-cover.html",
        "short-cover.pdf",
        "short.docx",
        "short.html",
        "short.pdf",
    ]
    for name in ("short-cover.pdf", "short.pdf"):
        pages = pypdf.PdfReader(out / name).pages
        assert all(MARK in " ".join(p.extract_text().split()) for p in pages), name
        with pikepdf.open(out / name) as pdf:
            assert str(pdf.docinfo["/Subject"]).startswith("Not for publication: exempt")
    cover = _pdf_lines(out / "short-cover.pdf")
    _in_order(cover, ["Meeting of", "Open to the public", "Summary", "Decisions sought"])
    assert "Sample improvement plan" not in " ".join(cover.split()).split(MARK)[-1]  # no appendix
    assert "Decisions sought" not in _pdf_lines(out / "short.pdf")
    for name in ("short-cover.docx", "short.docx"):
        document = docx.Document(out / name)
        header = " ".join(p.text for p in document.sections[0].header.paragraphs)
        assert MARK in header.upper()
        assert document.core_properties.subject.startswith("Not for publication")
    html = (out / "short.html").read_text(encoding="utf-8")
    assert '<p class="marking">Not for publication: exempt information' in html


@pytest.mark.render
def test_a_cover_over_the_house_page_limit_is_a_warning(tmp_path: Path) -> None:
    project = _case_copy(tmp_path)
    packaged = ROOT / "src" / "planreport" / "templates" / "report-templates" / "default.yaml"
    own = project / "templates" / "report-templates" / "default.yaml"
    own.write_text(
        packaged.read_text(encoding="utf-8").replace('page_limit: "4"', 'page_limit: "1"'),
        encoding="utf-8",
    )
    result = build(Project(project), Options(out=tmp_path / "out", paper_ids=("good",)))
    warnings = [w for p in result.papers for w in p.warnings if "page-limit" in w]
    assert [w.split(": warning: ")[1] for w in warnings] == [
        "[cover-over-page-limit] the cover report takes 2 pages, over the house limit of 1. "
        "Shorten it, or move detail into an appendix."
    ]
    assert warnings[0].endswith("Shorten it, or move detail into an appendix.")
    assert warnings[0].split(":")[0].endswith("plans/papers/good.cover.md")
