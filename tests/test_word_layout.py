"""Word tables: sub-heading rows, the table type size, rows kept whole on a page."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from planreport.paper.model import Cell, Column, Heading, Paper, Row, Swatch, Table
from planreport.plan.richtext import Bullets, Para, Rich, Run
from tests.conftest import W
from tests.marks import libreoffice
from tests.test_word import TEMPLATES, synthetic

TABLE_STYLES = ("TableText", "TableHeading", "TableBullet")


def word(blocks: list, **extra: object) -> bytes:
    """A titled paper of the given blocks as a Word file, with planreport's reference document."""
    return synthetic([Heading(1, "Test paper"), *blocks], **extra)


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def tables(data: bytes) -> list[etree._Element]:
    return list(part(data, "word/document.xml").iter(f"{W}tbl"))


def text(value: str, **cell: object) -> Cell:
    return Cell(content=Rich((Para((Run(value),)),)), **cell)


def words(n: int) -> str:
    return " ".join(f"word{i % 10}" for i in range(n))


def row_text(row: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in c.iter(f"{W}t")) for c in row.findall(f"{W}tc")]


def is_header(row: etree._Element) -> bool:
    return row.find(f"{W}trPr/{W}tblHeader") is not None


def kept(row: etree._Element) -> bool:
    return row.find(f"{W}trPr/{W}cantSplit") is not None


COLUMNS = [
    Column("Ref", 10),
    Column("Action", 50, "What we will do"),
    Column("Lead", 25, "Who is responsible?"),
    Column("Status", 15),
]


def plan_table(columns: list[Column] = COLUMNS, rows: int = 3) -> Table:
    body = [Row([text("Theme one")], group=True)]
    body += [
        Row(
            [
                text(str(n)),
                text(f"Action {n}"),
                text("Director"),
                Cell(status=Swatch("Green", "#00B050")),
            ]
        )
        for n in range(rows)
    ]
    return Table("Plan", columns, body)


# --- two header rows -------------------------------------------------------------------


def test_sub_headings_are_a_second_header_row_repeated_on_every_page() -> None:
    (table,) = tables(word([plan_table()]))
    rows = table.findall(f"{W}tr")
    assert [is_header(r) for r in rows] == [True, True, False, False, False, False]
    assert row_text(rows[0]) == ["Ref", "Action", "Lead", "Status"]
    assert row_text(rows[1]) == ["", "What we will do", "Who is responsible?", ""]
    for header in rows[:2]:
        assert header.find(f"{W}trPr/{W}cantSplit") is None
        for cell in header.findall(f"{W}tc"):
            assert cell.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == "D9D9D9"
            assert cell.find(f"{W}p/{W}pPr/{W}pStyle").get(f"{W}val") == "TableHeading"


def test_sub_headings_are_not_bold_but_italic_in_the_heading_style() -> None:
    (table,) = tables(word([plan_table()]))
    headings, subheadings = table.findall(f"{W}tr")[:2]
    for run in headings.iter(f"{W}r"):  # bold from the Table Heading style
        assert run.find(f"{W}rPr/{W}b") is None and run.find(f"{W}rPr/{W}i") is None
    runs = list(subheadings.iter(f"{W}r"))
    assert len(runs) == 2
    for run in runs:
        assert run.find(f"{W}rPr/{W}b").get(f"{W}val") == "0"
        assert run.find(f"{W}rPr/{W}bCs").get(f"{W}val") == "0"
        assert run.find(f"{W}rPr/{W}i") is not None
        props = [child.tag.removeprefix(W) for child in run.find(f"{W}rPr")]
        assert props == ["b", "bCs", "i"]  # schema order


def test_a_table_without_sub_headings_has_its_one_header_row_as_before() -> None:
    columns = [Column(c.heading, c.width) for c in COLUMNS]
    (table,) = tables(word([plan_table(columns)]))
    rows = table.findall(f"{W}tr")
    assert [is_header(r) for r in rows] == [True, False, False, False, False]
    trpr = rows[0].find(f"{W}trPr")
    assert [child.tag for child in trpr] == [f"{W}tblHeader"]
    assert row_text(rows[0]) == ["Ref", "Action", "Lead", "Status"]
    for run in rows[0].iter(f"{W}r"):
        assert run.find(f"{W}rPr") is None  # no formatting of its own: the style's


# --- table type size -------------------------------------------------------------------


def style_sizes(data: bytes) -> dict[str, tuple[str | None, str | None]]:
    """(w:sz, w:szCs) of each paragraph style that sets them."""
    out = {}
    for style in part(data, "word/styles.xml").iter(f"{W}style"):
        sz = style.find(f"{W}rPr/{W}sz")
        cs = style.find(f"{W}rPr/{W}szCs")
        if sz is not None or cs is not None:
            out[style.get(f"{W}styleId")] = (
                None if sz is None else sz.get(f"{W}val"),
                None if cs is None else cs.get(f"{W}val"),
            )
    return out


@pytest.mark.parametrize(("size", "half_points"), [(7.5, "15"), (12, "24"), (6.8, "14")])
def test_the_table_type_size_sets_the_table_styles(size: float, half_points: str) -> None:
    default = word([plan_table()])
    sized = word([plan_table()], table_size=size)
    before, after = style_sizes(default), style_sizes(sized)
    for style in TABLE_STYLES:
        assert after[style] == (half_points, half_points)
    others = {k: v for k, v in after.items() if k not in TABLE_STYLES}
    assert others == {k: v for k, v in before.items() if k not in TABLE_STYLES}
    # the size lives in the styles: the body is the same, no run carries a size of its own
    body = part(sized, "word/document.xml")
    assert next(body.iter(f"{W}sz"), None) is None
    with zipfile.ZipFile(io.BytesIO(default)) as one, zipfile.ZipFile(io.BytesIO(sized)) as two:
        assert one.read("word/document.xml") == two.read("word/document.xml")


def test_the_default_type_size_leaves_the_reference_styles_as_they_are() -> None:
    assert word([plan_table()]) == word([plan_table()], table_size=None)
    with zipfile.ZipFile(TEMPLATES / "reference.docx") as reference:
        styles = etree.fromstring(reference.read("word/styles.xml"))
    sizes = {
        s.get(f"{W}styleId"): s.find(f"{W}rPr/{W}sz").get(f"{W}val")
        for s in styles.iter(f"{W}style")
        if s.get(f"{W}styleId") in TABLE_STYLES
    }
    written = style_sizes(word([plan_table()]))
    assert {k: written[k][0] for k in TABLE_STYLES} == sizes


def test_the_title_and_headings_keep_their_size_whatever_the_table_size() -> None:
    default = style_sizes(word([plan_table()]))
    sized = style_sizes(word([plan_table()], table_size=11))
    for style in ("Title", "Heading1", "Heading2", "Normal"):
        assert sized.get(style) == default.get(style)


# --- rows kept whole on a page ----------------------------------------------------------


def test_rows_that_fit_below_the_header_cannot_split() -> None:
    (table,) = tables(word([plan_table(rows=5)]))
    body = [r for r in table.findall(f"{W}tr") if not is_header(r)]
    assert len(body) == 6 and all(kept(r) for r in body)  # the group row too
    for row in body:
        assert [child.tag for child in row.find(f"{W}trPr")] == [f"{W}cantSplit"]


def test_a_row_taller_than_the_room_below_the_header_may_split() -> None:
    """LibreOffice loses the end of a can't-split row that does not fit below the header."""
    rows = [
        Row([text("1"), text("Short"), text("Lead")]),
        Row([text("2"), text(words(4000)), text("Lead")]),
        Row([text("3"), text("Short"), text("Lead")]),
    ]
    (table,) = tables(word([Table("Plan", COLUMNS[:3], rows)]))
    body = [r for r in table.findall(f"{W}tr") if not is_header(r)]
    assert [kept(r) for r in body] == [True, False, True]
    assert body[1].find(f"{W}trPr") is None


def test_bullets_and_paragraphs_count_towards_a_rows_height() -> None:
    many = Rich(
        (
            Para((Run("Intro"),)),
            Bullets(tuple((Para((Run(f"Point {n}"),)),) for n in range(20))),
        )
    )
    longer = Rich((*many.blocks, *(Para((Run(f"Paragraph {n}"),)) for n in range(40))))
    rows = [
        Row([text("1"), Cell(content=many), text("Lead")]),
        Row([text("2"), Cell(content=longer), text("Lead")]),
    ]
    (table,) = tables(word([Table("Plan", COLUMNS[:3], rows)]))
    body = [r for r in table.findall(f"{W}tr") if not is_header(r)]
    assert [kept(r) for r in body] == [True, False]


def test_a_merged_cell_taller_than_a_page_is_cut_into_runs_of_rows_that_fit() -> None:
    """A span that cannot be kept on one page is cut into runs that can, each merged.

    Word leaves a merged cell blank at the top of a page: each run is kept on one page,
    and each after the first starts a page and names the cell by its first words and
    "(continued)", as the PDF does. A cell taller than a page is a run of its own row.
    """
    spanning = text(words(2000), rowspan=3)
    rows = [
        Row([text("1"), spanning, text("Lead")]),
        Row([text("2"), text("Lead")]),
        Row([text("3"), text("Lead")]),
        Row([text("4"), text("Short"), text("Lead")]),
    ]
    (table,) = tables(word([Table("Plan", COLUMNS[:3], rows)]))
    body = [r for r in table.findall(f"{W}tr") if not is_header(r)]
    assert [kept(r) for r in body] == [False, True, True, True]
    merges = [r.findall(f"{W}tc")[1].find(f"{W}tcPr/{W}vMerge") for r in body]
    assert [m if m is None else m.get(f"{W}val", "continue") for m in merges] == [
        None,
        "restart",
        "continue",
        None,
    ]
    shown = " ".join(words(12).split()) + "… (continued)"
    assert [row_text(r)[1] for r in body[1:]] == [shown, "", "Short"]
    assert body[1].findall(f"{W}tc")[1].find(f".//{W}i") is not None  # in italics
    assert body[1].find(f".//{W}keepNext") is not None  # the run of two on one page


def test_a_span_that_fits_on_a_page_is_kept_on_one_page() -> None:
    """Its rows keep with the next, so Word never starts a page inside the merge."""
    rows = [
        Row([text("1"), text("Theme", rowspan=3), text(words(30))]),
        Row([text("2"), text(words(30))]),
        Row([text("3"), text(words(30))]),
        *(Row([text(str(n)), text("Other"), text(words(30))]) for n in range(4, 12)),
    ]  # more than eight rows: a short table is kept whole anyway
    (table,) = tables(word([Table("Plan", COLUMNS[:3], rows)]))
    body = [r for r in table.findall(f"{W}tr") if not is_header(r)]
    kept_next = [r.find(f".//{W}keepNext") is not None for r in body]
    assert kept_next == [True, True] + [False] * 9  # the first row also starts the table
    merges = [r.findall(f"{W}tc")[1].find(f"{W}tcPr/{W}vMerge") for r in body[:3]]
    assert [m.get(f"{W}val", "continue") for m in merges] == ["restart", "continue", "continue"]


def test_a_merged_cell_as_short_as_its_rows_keeps_them_all_whole() -> None:
    rows = [
        Row([text("1"), text("Spanning", rowspan=3), text(words(100))]),
        Row([text("2"), text(words(100))]),
        Row([text("3"), text(words(100))]),
    ]
    (table,) = tables(word([Table("Plan", COLUMNS[:3], rows)]))
    body = [r for r in table.findall(f"{W}tr") if not is_header(r)]
    assert all(kept(r) for r in body)


def test_a_larger_type_size_leaves_less_room_to_keep_a_row_whole() -> None:
    rows = [Row([text("1"), text(words(400)), text("Lead")])]  # kept up to 512 at 9 pt
    columns = [Column("Ref", 10), Column("Action", 60), Column("Lead", 30)]
    at = {
        size: kept(tables(word([Table("Plan", columns, rows)], table_size=size))[0][-1])
        for size in (None, 12)
    }
    assert at == {None: True, 12: False}


def test_a_second_header_row_leaves_less_room_to_keep_a_row_whole() -> None:
    """The repeated header rows take room on every page a row may move to."""
    heading = "A long column heading that wraps onto many lines " * 6
    plain = [Column("Ref", 10), Column("Action", 60), Column("Lead", 30)]
    rows = [Row([text("1"), text(words(380)), text("Lead")])]  # kept up to 406 words
    single = tables(word([Table("Plan", plain, rows)]))[0]
    double = tables(word([Table("Plan", [*plain[:2], Column("Lead", 30, heading)], rows)]))[0]
    assert kept(single[-1]) and not kept(double[-1])


def test_the_quick_bound_is_never_below_the_estimate_it_stands_in_for() -> None:
    """A row the bound says fits is one the full estimate would keep whole too."""
    import random

    import docx

    from planreport.paper.model import Paper
    from planreport.writers.docx.rows import Heights

    document = docx.Document(str(TEMPLATES / "reference.docx"))
    paper = Paper("t", "T", None, "T", [], None, "en-GB", True, [])
    heights = Heights(document, paper)
    pieces = ["a", "of", "the", "Wm", "safeguarding", "WWWWWWWW", "2013/14", "–", "é", "中文", "😀"]
    chance = random.Random(8)
    bounded = 0
    for _ in range(3000):
        paras = []
        for _ in range(chance.randint(1, 4)):
            runs = tuple(
                Run(
                    " ".join(chance.choices(pieces, k=chance.randint(0, 60))),
                    bold=chance.random() < 0.3,
                )
                for _ in range(chance.randint(1, 3))
            )
            paras.append(Para(runs))
        cell = Cell(content=Rich(tuple(paras)))
        width = chance.randint(400, 6000)  # twips: 7 to 106 mm
        most = heights.most(cell, width)
        if most is not None:
            bounded += 1
            assert most >= heights.measure(cell, width, "cell"), (cell, width)
    assert bounded > 1000  # most cells are bounded (the rest are measured in full)


def test_text_introducing_a_table_is_kept_with_it_as_in_the_pdf() -> None:
    from planreport.paper.model import Text

    intro = Text(Rich((Para((Run("Six open actions:"),)),)), "intro")
    body = Text(Rich((Para((Run("An ordinary paragraph."),)),)))
    table = Table("Plan", COLUMNS[:2], [Row([text("1"), text("Do it")])])
    document = part(word([Heading(2, "Exceptions"), body, intro, table]), "word/document.xml")
    paras = {
        "".join(t.text for t in p.iter(f"{W}t")): p.find(f"{W}pPr/{W}keepNext") is not None
        for p in document.find(f"{W}body").findall(f"{W}p")
    }
    assert paras["Exceptions"] and paras["Six open actions:"]
    assert not paras["An ordinary paragraph."]


def test_a_new_page_heading_breaks_the_page_before_it_in_word_and_in_print() -> None:
    from datetime import UTC, datetime

    from planreport.project import packaged_templates
    from planreport.writers.html import render_html

    blocks = [Heading(2, "Recommendation No. 1", "rec_1", new_page=True), Heading(3, "Outcome")]
    document = part(word(blocks), "word/document.xml")
    props = {
        "".join(t.text for t in p.iter(f"{W}t")): [
            etree.QName(c).localname for c in p.find(f"{W}pPr")
        ]
        for p in document.find(f"{W}body").findall(f"{W}p")
    }
    assert props["Recommendation No. 1"] == ["pStyle", "keepNext", "pageBreakBefore"]
    assert props["Outcome"] == ["pStyle", "keepNext"]
    paper = Paper("t", "T", None, "T", [], None, "en-GB", True, blocks)
    html = render_html(paper, (packaged_templates(),), "screen", datetime(2020, 1, 1, tzinfo=UTC))
    assert '<h2 id="rec_1" class="new-page">Recommendation No. 1</h2>' in html
    assert "<h3>Outcome</h3>" in html
    assert "@media print { .new-page { break-before: page; } }" in html


def test_chart_rows_are_left_as_they_were() -> None:
    from planreport.paper.model import Bar, Chart

    chart = Chart("Chart", [Bar("A", [(2, Swatch("Green", "#00B050"))])], "A: 2 Green.")
    (table,) = tables(word([chart]))
    assert next(table.iter(f"{W}cantSplit"), None) is None


# --- in LibreOffice ----------------------------------------------------------------------


def in_libreoffice(tmp_path: Path, lengths: list[int]) -> list[tuple[bool, bool, bool]]:
    """For each length, a row of that many words: (can't split, whole, complete) in LibreOffice.

    Each big cell says STARTn first and ENDn last: the row is complete when both are in the
    PDF LibreOffice makes of it, whole when both are on one page. A short row comes before
    each big one, so the rows meet page breaks at many heights.
    """
    rows = []
    for n, length in enumerate(lengths):
        rows.append(Row([text(f"filler {n}"), text("Short"), text("Lead")]))
        rows.append(Row([text(f"{n}"), text(f"START{n} {words(length)} END{n}"), text("Lead")]))
    # a tall sub-heading: the header rows repeated on every page take 8 lines
    columns = [*COLUMNS[:2], Column("Lead", 25, "Who is responsible for the action " * 8)]
    data = word([Table("Plan", columns, rows)])
    (written,) = tables(data)
    marked = [kept(r) for r in written.findall(f"{W}tr") if not is_header(r)][1::2]
    path = tmp_path / "rows.docx"
    path.write_bytes(data)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    listing = subprocess.run(
        ["pdftotext", str(tmp_path / "rows.pdf"), "-"], capture_output=True, text=True, check=True
    )
    pages = [" ".join(page.split()) for page in listing.stdout.split("\f")]
    out = []
    for n, keep in enumerate(marked):
        start = {i for i, page in enumerate(pages) if f"START{n} " in page}
        end = {i for i, page in enumerate(pages) if f" END{n}" in page}
        out.append((keep, bool(start) and start == end, bool(start and end)))
    return out


@libreoffice
@pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftotext) is not installed; .ci/slow installs it with LibreOffice",
)
def test_libreoffice_keeps_rows_whole_and_loses_no_text(tmp_path: Path) -> None:
    """Rows from a third of a page to more than a page: none loses text, kept rows stay whole.

    Marking every row can't-split fails this: LibreOffice cuts off the end of such a row
    when it is taller than the room below the repeated header rows (from 400 words here).
    """
    lengths = [150, 280, 340, 400, 430, 460, 490, 520, 700, 150]
    rows = in_libreoffice(tmp_path, lengths)
    assert any(keep for keep, _, _ in rows) and not all(keep for keep, _, _ in rows)
    for length, (keep, whole, complete) in zip(lengths, rows, strict=True):
        assert complete, f"a row of {length} words lost text"
        assert whole or not keep, f"a can't-split row of {length} words was split"
