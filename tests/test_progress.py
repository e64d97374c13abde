"""Summary, changes since the last paper and exceptions, in every format."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from planreport.build import Options, build
from planreport.project import Project

from .conftest import CASES, docx_text, html_words, pdf_text

HISTORY = CASES / "history"

CHANGES = [
    ("New action", "4", "Added between the papers.", "September 2012"),
    ("Completed", "1", "Completed between the papers.", ""),
    ("Status changed", "2", "Slipping between the papers.", "Green to Amber"),
    ("Status changed", "6", "Red and overdue.", "Green to Red"),
    (
        "Date revised",
        "3",
        "Revised between the papers.",
        "May 2012, revised from February 2012: The supplier delivered late.",
    ),
    ("Removed", "5", "Merged between the papers.", "Merged with action 2. Merged into 2."),
]


@pytest.fixture(scope="module")
def papers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("history")
    result = build(Project(HISTORY), Options(out=out, force=True))
    assert not result.failed, [(p.id, p.error, p.problems) for p in result.papers]
    return out


def _flat(words: list[str]) -> str:
    return " ".join(words)


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_changes_since_the_last_paper(papers: Path, fmt: str) -> None:
    path = papers / f"history-march.{fmt}"
    text = {
        "html": lambda: _flat(html_words(path)),
        "docx": lambda: _flat(" ".join(docx_text(path)).split()),
        "pdf": lambda: " ".join(pdf_text(path).split()),
    }[fmt]()
    assert "Changes between 31 January 2012 and 31 March 2012." in text
    if fmt == "pdf":  # table cells interleave in extracted PDF text: check each cell
        for row in CHANGES:
            for cell in row:
                assert all(word in text for word in cell.split()), cell
    else:
        for row in CHANGES:
            assert " ".join(" ".join(row).split()) in text, row


def test_first_paper_says_so(papers: Path) -> None:
    assert "This is the first paper on this plan for this committee." in _flat(
        html_words(papers / "history-january.html")
    )


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_summary_counts_and_exceptions(papers: Path, fmt: str) -> None:
    path = papers / f"history-march.{fmt}"
    text = _flat(html_words(path)) if fmt == "html" else _flat(" ".join(docx_text(path)).split())
    assert (
        "As at 31 March 2012: 5 actions. 1 overdue, 0 due in the next 30 days, 1 with a revised date, "
        "0 with no update in the last 90 days."
    ) in text
    assert "All actions 1 2 1 1 0 5" in text
    # (the text helper drops the word "Actions", which stands for page-reference links)
    assert "by status: All actions: 1 Blue, 2 Green, 1 Amber, 1 Red." in text
    exceptions = text.split("Exceptions", 1)[1].split("Status key", 1)[0]
    assert "6 Red and overdue. Jo Bloggs, Head of Service 1 March 2012 Red" in exceptions
    assert "Slipping between the papers." not in exceptions


def test_chart_has_a_text_alternative_in_word_and_html(papers: Path) -> None:
    document = docx.Document(papers / "history-march.docx")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    descriptions = [t._tbl.tblPr.find(f"{w}tblDescription").get(f"{w}val") for t in document.tables]
    assert "Actions by status: All actions: 1 Blue, 2 Green, 1 Amber, 1 Red." in descriptions
    html = (papers / "history-march.html").read_text()
    assert '<table class="chart">' in html
    assert (
        '<p class="chart-description">Actions by status: All actions: 1 Blue, 2 Green, 1 Amber, 1 Red.</p>'
        in html
    )


def test_withdrawn_actions_leave_the_tables(papers: Path) -> None:
    html = (papers / "history-march.html").read_text()
    actions = html.split("<h2>Actions</h2>", 1)[1]
    assert "Added between the papers." in actions
    assert "Merged between the papers." not in actions
    january = (papers / "history-january.html").read_text().split("<h2>Actions</h2>", 1)[1]
    assert "Merged between the papers." in january
    assert "Added between the papers." not in january


def test_layout_can_turn_the_progress_blocks_off(tmp_path: Path) -> None:
    project = CASES / "project"
    build(
        Project(project),
        Options(out=tmp_path, paper_ids=("sample-initials",), formats=("html",)),
    )
    html = (tmp_path / "sample-initials.html").read_text()
    assert "<h2>Summary</h2>" not in html and "<h2>Exceptions</h2>" not in html
