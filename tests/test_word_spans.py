"""Word: a theme cell too tall for a page is cut where the pages end, and named on each.

Word leaves a merged cell blank at the top of a page its rows go on to. A span too tall
for a page is cut into runs of rows, each a merged cell kept on one page: the first
fills the rest of the page the span starts on, and each later one starts a page, naming
the theme again in italics with "(continued)", as the PDF does. Checked in the Word XML
against the page estimate (writers/docx/pages.py), and as LibreOffice lays the pages out.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
import yaml
from lxml import etree

from planreport.commands.build import Options, build
from planreport.paper.model import Column, Heading, Paper, Row, Table, Text
from planreport.plan.richtext import Para, Rich, Run
from planreport.project import Project
from planreport.writers.docx import pages
from planreport.writers.docx.rows import Heights
from tests.conftest import CASES, ROOT, W
from tests.import_fixtures import through_libreoffice
from tests.marks import libreoffice
from tests.test_word_layout import is_header, text, word, words

LONG_THEME = CASES / "long-theme"
NOTTINGHAMSHIRE = "nottinghamshire-iicsa-2020-01"
COLUMNS = [Column("Theme", 15), Column("Action", 45), Column("Update", 40)]


def theme_table(long: int, size: int = 70) -> list:
    """A heading, a paragraph and a table: one short theme's row, then a theme of long rows."""
    rows = [Row([text("Governance"), text("Action 1 – do it"), text(words(60))])]
    rows.append(Row([text("Staffing Review", rowspan=long), text("Action 2"), text(words(size))]))
    rows += [Row([text(f"Action {n}"), text(words(size))]) for n in range(3, long + 2)]
    intro = Text(Rich((Para((Run(words(80)),)),)))
    return [Heading(2, "Action plan"), intro, Table("Plan", COLUMNS, rows)]


def laid_out(data: bytes) -> tuple[pages.Layout, list[pages.Piece], pages.Placer]:
    """A Word file's body put on pages by the estimate, as the writer puts it."""
    document = docx.Document(io.BytesIO(data))
    paper = Paper("t", "Test paper", None, "Test paper", [], None, "en-GB", True, [])
    heights = Heights(document, paper)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    section = document.sections[0]
    page = pages.Page(
        (section.page_width - section.left_margin - section.right_margin) / 12700,
        (section.page_height - section.top_margin - section.bottom_margin) / 12700,
    )
    layout = pages.Layout(document, heights)
    pieces = layout.pieces(body, (page, page))
    placer = pages.Placer(page.height, heights)
    placer.place(pieces)
    return layout, pieces, placer


def runs(table: etree._Element) -> list[tuple[int, str, bool]]:
    """Each run of the theme column's cells: its first body row, its text, whether italic."""
    body = [r for r in table.findall(f"{W}tr") if not is_header(r)]
    out = []
    for n, row in enumerate(body):
        cell = row.find(f"{W}tc")
        merge = cell.find(f"{W}tcPr/{W}vMerge")
        if merge is None or merge.get(f"{W}val") == "restart":
            shown = "".join(t.text or "" for t in cell.iter(f"{W}t"))
            italic = all(r.find(f"{W}rPr/{W}i") is not None for r in cell.iter(f"{W}r"))
            out.append((n, shown, italic))
    return out


def test_a_tall_theme_is_cut_where_the_estimated_pages_end() -> None:
    """The first run fills the rest of its page, each later one a page, named again on each.

    Cut as if the span started a page (as before), its first run took as many rows as a
    fresh page holds, and did not fit below the heading and the short theme: it moved
    whole to the next page and left a gap, and each later run started partway down one.
    """
    data = word(theme_table(long=12))
    layout, pieces, placer = laid_out(data)
    (table,) = list(etree.fromstring(_document(data)).iter(f"{W}tbl"))
    found = runs(table)
    assert [shown for _, shown, _ in found[:2]] == ["Governance", "Staffing Review"]
    later = found[2:]
    assert later and all(shown == "Staffing Review (continued)" for _, shown, _ in later)
    assert all(italic for _, _, italic in later) and not found[1][2]
    first = layout.tables[0]
    starts = [n for n, _, _ in found[1:]] + [13]
    spans = list(itertools.pairwise(starts))
    where = placer.where
    for start, end in spans:  # each run on one page, each after the first at its top
        assert len({where[first + n][0] for n in range(start, end)}) == 1
    tops = [where[first + start] for start, _ in spans]
    assert [page for page, _ in tops] == list(range(tops[0][0], tops[0][0] + len(spans)))
    header = pieces[first + 1].header
    assert tops[0][1] > header + 100  # partway down the page: below the heading and row 1
    assert all(top == header for _, top in tops[1:])
    heights = [pieces[first + n].height for n in range(1, 13)]
    fill, usable = placer.heights.fill(placer.body), placer.heights.usable(placer.body)
    size = spans[0][1] - spans[0][0]  # the first run: the rows the rest of its page holds
    assert tops[0][1] + sum(heights[:size]) <= fill < tops[0][1] + sum(heights[: size + 1])
    fresh = max(n for n in range(13) if sum(heights[:n]) <= usable - header)
    assert size < fresh  # not the rows a fresh page would hold


def test_a_theme_that_fits_on_its_page_as_estimated_is_not_cut() -> None:
    """Nottinghamshire's Staffing Review: two actions that fill most of a page stay one cell.

    Cut, its second action was named again right below the first, on the same page: the
    rest of a span is not cut off where it would fit below, partway down the page.
    """
    layout, pieces, placer = laid_out(word(theme_table(long=2)))
    first = layout.tables[0]
    rows = pieces[first + 1 : first + 3]
    top = placer.where[first + 1][1]
    assert top + sum(p.height for p in rows) > placer.heights.usable(placer.body)  # too tall
    (table,) = list(etree.fromstring(_document(word(theme_table(long=2)))).iter(f"{W}tbl"))
    assert [shown for _, shown, _ in runs(table)] == ["Governance", "Staffing Review"]


@pytest.fixture(scope="module")
def long_theme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/cases/long-theme's Word paper: a theme of fourteen actions over six pages."""
    out = tmp_path_factory.mktemp("long-theme")
    result = build(Project(LONG_THEME), Options(out=out, force=True, formats=("docx",)))
    assert not result.failed, [(p.id, p.error) for p in result.papers]
    return out / "long-theme-paper.docx"


def test_the_long_theme_case_is_cut_into_runs_each_named(long_theme: Path) -> None:
    (table,) = list(etree.fromstring(_document(long_theme.read_bytes())).iter(f"{W}tbl"))
    found = runs(table)
    theme = "Recommendation – Review of Residential Staff and Foster Carers"
    assert [shown for _, shown, _ in found[:2]] == ["Governance and Scrutiny", theme]
    assert len(found) > 5
    assert {shown for _, shown, _ in found[2:-1]} == {f"{theme} (continued)"}


def themes(plan: Path) -> dict[str, str]:
    """Each action's theme's title, by the action's ref, from a plan file."""
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    titles = {theme["id"]: theme["title"] for theme in data["themes"]}
    return {action["ref"]: titles[action["theme"]] for action in data["actions"]}


def theme_column(pdf: Path) -> list[list[tuple[str, str, list[str]]]]:
    """Per page, each action row's ref, its theme cell's words' fonts and text, top to bottom.

    A row is found by its Action cell's first words ("Action 11 –") and ends at the next
    rule across the Action column; its theme cell's words are the Theme column's in it.
    """
    out = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            found = page.extract_words(extra_attrs=["fontname"])
            heads = [  # the table's header row: "Theme", then "Action" on its line
                action["x0"]
                for theme, action in itertools.product(
                    named(found, "Theme"), named(found, "Action")
                )
                if abs(theme["top"] - action["top"]) < 2 and action["x0"] > theme["x0"]
            ]
            out.append(_rows(page, found, heads[0]) if heads else [])
    return out


def named(found: list[dict], text: str) -> list[dict]:
    """The words that are text."""
    return [w for w in found if w["text"] == text]


def _rows(page: pdfplumber.page.Page, found: list[dict], column: float) -> list:
    """The action rows of a page whose Action column starts at column."""
    rules = sorted(
        e["top"] for e in page.horizontal_edges if e["x0"] <= column + 2 and e["x1"] >= column + 20
    )
    rows = []
    for w, after in itertools.pairwise(found):
        if w["text"] == "Action" and abs(w["x0"] - column) < 6 and after["text"].isdigit():
            rows.append((w["top"], after["text"]))
    out = []
    for top, ref in rows:
        end = min((rule for rule in rules if rule > top + 2), default=page.height)
        cell = [w for w in found if w["x1"] < column and top - 2 <= w["top"] < end]
        out.append((ref, " ".join(w["fontname"] for w in cell), [w["text"] for w in cell]))
    return out


def check_theme_column(pdf: Path, theme_of: dict[str, str]) -> int:
    """Every page going on with a theme names it at the top in italics, and nowhere lower.

    Returns how many pages go on with a theme.
    """
    continued, last = 0, None
    for number, rows in enumerate(theme_column(pdf), start=1):
        for k, (ref, fonts, shown) in enumerate(rows):
            same = theme_of[ref] == (theme_of[rows[k - 1][0]] if k else last)
            words = theme_of[ref].split()
            if k == 0 and same:  # the page goes on with the theme: named at its top
                continued += 1
                assert shown[: len(words)] == words, (number, ref, shown)
                assert shown[len(words) :] == ["(continued)"], (number, ref, shown)
                assert fonts.count("Italic") == len(shown), (number, ref, fonts)
            elif k == 0:
                assert shown[: len(words)] == words, (number, ref, shown)
            elif same:  # a row of the theme above it on the page: its cell goes on, blank
                assert shown == [], (number, ref, shown)
        last = theme_of[rows[-1][0]] if rows else last
    return continued


@pytest.mark.render
@libreoffice
def test_each_page_of_a_long_theme_names_it_at_the_top_in_libreoffice(
    long_theme: Path, tmp_path: Path
) -> None:
    pdf = through_libreoffice(long_theme, tmp_path, "pdf")
    assert check_theme_column(pdf, themes(LONG_THEME / "plans" / "long-theme.yaml")) >= 5


@pytest.mark.render
@libreoffice
def test_nottinghamshire_names_each_theme_once_a_page_in_libreoffice(
    example_papers: Path, tmp_path: Path
) -> None:
    """Its Staffing Review was named again right below its first action, on the same page."""
    pdf = through_libreoffice(example_papers / f"{NOTTINGHAMSHIRE}.docx", tmp_path, "pdf")
    theme_of = themes(ROOT / "plans" / "nottinghamshire-iicsa-2019.yaml")
    check_theme_column(pdf, theme_of)
    rows = [ref for page in theme_column(pdf) for ref, _, _ in page]
    assert rows == sorted(theme_of, key=int)  # every action's row was found


def _document(data: bytes) -> bytes:
    """A Word file's main document part."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")
