"""The Word paper matches the PDF: fonts, page box, cross-references, chart, colours, merges."""

from __future__ import annotations

import io
import pyexpat
import re
import time
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest
from lxml import etree

import planreport
from planreport.paper.model import (
    WORD_FONT,
    Bar,
    Cell,
    Chart,
    Column,
    Heading,
    Notes,
    Paper,
    Row,
    Swatch,
    Table,
    Text,
)
from planreport.plan.richtext import Bullets, Para, Rich, Run
from planreport.writers.docx import write_docx
from planreport.writers.docx.package import MARGINS_MM, with_body
from tests.conftest import PAPERS, W

PACKAGE = Path(planreport.__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
TWIPS_PER_MM = 1440 / 25.4
THEME_FONTS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


def part(path: Path | bytes, name: str) -> etree._Element:
    """One XML part of a Word file, parsed."""
    source = io.BytesIO(path) if isinstance(path, bytes) else path
    with zipfile.ZipFile(source) as package:
        return etree.fromstring(package.read(name))


def css_margins_mm() -> tuple[float, float, float, float]:
    """The PDF's page margins (top, right, bottom, left), read from planreport's paper.css."""
    css = (TEMPLATES / "paper.css").read_text(encoding="utf-8")
    page = re.search(r"@page\s*\{([^}]*)", css)
    assert page, "paper.css has no @page rule"
    margin = re.search(r"(?<![-\w])margin\s*:\s*([^;]+);", page.group(1))
    assert margin, "paper.css's @page sets no margin"
    values = [float(v.removesuffix("mm")) for v in margin.group(1).split()]
    top, right, bottom, left = {
        1: lambda v: (v[0], v[0], v[0], v[0]),
        2: lambda v: (v[0], v[1], v[0], v[1]),
        3: lambda v: (v[0], v[1], v[2], v[1]),
        4: lambda v: tuple(v),
    }[len(values)](values)
    return top, right, bottom, left


def wcag_ratio(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two '#RRGGBB' or 'RRGGBB' colours."""

    def luminance(colour: str) -> float:
        colour = colour.lstrip("#")
        channels = [int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def synthetic(blocks: list, **extra: object) -> bytes:
    """A paper of the given blocks, written with planreport's own reference document."""
    paper = Paper(
        id="t",
        title="Test paper",
        subtitle=None,
        running_header="Test paper",
        lines=[],
        author=None,
        language="en-GB",
        landscape=True,
        blocks=blocks,
        **extra,
    )
    moment = datetime(2020, 1, 1, 12, 0, 0)
    return write_docx(paper, TEMPLATES / "reference.docx", moment, (TEMPLATES,))


def text(value: str) -> Cell:
    return Cell(content=Rich((Para((Run(value),)),)))


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_word_asks_to_update_fields_only_for_page_references(
    example_papers: Path, paper: str
) -> None:
    path = example_papers / f"{paper}.docx"
    body = part(path, "word/document.xml")
    codes = " ".join(t.text or "" for t in body.iter(f"{W}instrText"))
    update = part(path, "word/settings.xml").find(f"{W}updateFields")
    if paper == "derby-cyp-improvement-2011-12":  # its summary's page reference column
        assert "PAGEREF" in codes
        assert update is not None and update.get(f"{W}val") == "true"
        after = [c.tag.split("}")[1] for c in update.itersiblings()]  # in the schema's order
        assert "compat" in after and "zoom" not in after and "defaultTabStop" not in after
    else:
        assert "PAGEREF" not in codes and update is None, codes
    texts = [t.text or "" for t in body.iter(f"{W}t")]
    assert "?" not in texts and not [t for t in texts if "\x00" in t]


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_every_style_is_in_the_council_font_with_no_theme_font(
    example_papers: Path, paper: str
) -> None:
    path = example_papers / f"{paper}.docx"
    styles = part(path, "word/styles.xml")
    for rfonts in styles.iter(f"{W}rFonts"):
        assert not [a for a in THEME_FONTS if rfonts.get(f"{W}{a}")], etree.tostring(rfonts)
        assert rfonts.get(f"{W}ascii") == rfonts.get(f"{W}hAnsi") == WORD_FONT
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults is not None and defaults.get(f"{W}ascii") == WORD_FONT
    document = docx.Document(path)
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Normal"):
        style = document.styles[name]
        while style is not None and style.font.name is None:
            style = style.base_style
        assert (style.font.name if style else WORD_FONT) == WORD_FONT, name
    fonts = part(path, "word/fontTable.xml")
    entry = [f for f in fonts.iter(f"{W}font") if f.get(f"{W}name") == WORD_FONT]
    assert entry, "the font table does not name the paper's font"
    assert entry[0].find(f"{W}altName").get(f"{W}val") == "Liberation Sans"


def test_a_paper_in_another_font_names_it_everywhere() -> None:
    data = synthetic([Heading(1, "Title"), Heading(2, "Section")], word_font="Liberation Sans")
    styles = part(data, "word/styles.xml")
    named = {r.get(f"{W}ascii") for r in styles.iter(f"{W}rFonts")}
    assert named == {"Liberation Sans"}
    entry = [f for f in part(data, "word/fontTable.xml") if f.get(f"{W}name") == "Liberation Sans"]
    assert entry[0].find(f"{W}altName").get(f"{W}val") == "Arial"


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_page_margins_are_the_pdfs_and_header_and_footer_clear_the_body(
    example_papers: Path, paper: str
) -> None:
    top, right, bottom, left = css_margins_mm()
    assert (top, right, bottom, left) == MARGINS_MM
    margins = part(example_papers / f"{paper}.docx", "word/document.xml").find(
        f"{W}body/{W}sectPr/{W}pgMar"
    )
    twips = {k: int(margins.get(f"{W}{k}")) for k in ("top", "right", "bottom", "left")}
    for side, mm in (("top", top), ("right", right), ("bottom", bottom), ("left", left)):
        assert abs(twips[side] - mm * TWIPS_PER_MM) <= 1, (side, twips[side], mm)
    # The header's line (8.5 pt) and the footer's (9 pt) sit in the middle of their
    # margins, as the PDF's margin boxes put them, well clear of the body.
    header, footer = int(margins.get(f"{W}header")), int(margins.get(f"{W}footer"))
    header_line, footer_line = 8.5 * 1.149 * 20, 9 * 1.149 * 20
    assert abs(header + header_line / 2 - twips["top"] / 2) <= 20
    assert abs(footer + footer_line / 2 - twips["bottom"] / 2) <= 20
    assert header + header_line <= twips["top"] - 3 * TWIPS_PER_MM
    assert footer + footer_line <= twips["bottom"] - 3 * TWIPS_PER_MM


@pytest.mark.render
def test_page_references_are_pageref_fields_in_links_to_bookmarked_headings(
    example_papers: Path,
) -> None:
    body = part(example_papers / "derby-cyp-improvement-2011-12.docx", "word/document.xml")
    marks = {m.get(f"{W}name") for m in body.iter(f"{W}bookmarkStart")}
    links = [h for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert len(links) == 24  # a recommendation's row each
    assert "grp_1_4_13_14_16_21" in marks
    for link in links:
        anchor = link.get(f"{W}anchor")
        assert anchor in marks
        # "Page " then the field as Word writes a cross-reference: begin, code, separate,
        # the cached result (the estimated page), end
        kinds = [
            c.get(f"{W}fldCharType") if c.tag == f"{W}fldChar" else c.tag.split("}")[1]
            for c in link.iter(f"{W}fldChar", f"{W}instrText", f"{W}t")
        ]
        assert kinds == ["t", "begin", "instrText", "separate", "t", "end"], kinds
        assert link.find(f".//{W}instrText").text == f" PAGEREF {anchor} \\h "
        texts = [t.text for t in link.iter(f"{W}t")]
        assert texts[0] == "Page " and texts[1].isdigit(), texts
    # each bookmark is on a heading, around its text
    for mark in body.iter(f"{W}bookmarkStart"):
        style = mark.getparent().find(f"{W}pPr/{W}pStyle").get(f"{W}val")
        assert style.startswith("Heading") or style == "Title", style


def test_anchors_that_are_not_word_bookmark_names_still_link() -> None:
    anchor = "recommendation 1.2 – a very long anchor that Word would cut short"
    table = Table(
        "Summary",
        [Column("Ref", 50), Column("Page", 50)],
        [Row([text("1"), Cell(pagerefs=(anchor,))])],
    )
    data = synthetic([Heading(1, "Title"), table, Heading(2, "Recommendation 1.2", anchor=anchor)])
    body = part(data, "word/document.xml")
    (mark,) = body.iter(f"{W}bookmarkStart")
    name = mark.get(f"{W}name")
    assert re.fullmatch(r"[A-Za-z]\w{0,39}", name), name
    (link,) = (h for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor"))
    assert link.get(f"{W}anchor") == name


@pytest.mark.render
def test_the_chart_is_pictures_whose_alternative_text_states_the_figures(
    history_papers: Path,
) -> None:
    path = history_papers / "history-march.docx"
    body = part(path, "word/document.xml")
    charts = [t for t in body.iter(f"{W}tbl") if t.find(f".//{W}drawing") is not None]
    assert charts, "no chart"
    chart = charts[0]
    description = chart.find(f"{W}tblPr/{W}tblDescription").get(f"{W}val")
    pictures = list(chart.iter(f"{WP}docPr"))
    assert len(pictures) == len(chart.findall(f"{W}tr")) - 1  # a picture per bar
    for picture in pictures:
        descr = picture.get("descr")
        assert re.search(r": \d+ \w", descr), descr  # "All actions: 1 Blue"
        assert descr in description, (descr, description)
    # one bar of all actions under the summary table (which has each recommendation's)
    assert description == "All actions by status. All actions: 1 Blue, 2 Green, 1 Amber, 1 Red."
    # the legend, as text, names each status with its count
    after = chart.getnext()
    legend = "".join(t.text for t in after.iter(f"{W}t"))
    assert "Blue (1)" in legend and "Green (2)" in legend and "Red (1)" in legend
    with zipfile.ZipFile(path) as package:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in package.namelist())


def test_chart_colours_are_distinct_and_its_text_reads_at_4_5_to_1() -> None:
    grey = Swatch("Completed", None)
    none = Swatch("No status", None)
    chart = Chart(
        "Actions by status",
        [Bar("Theme A", [(3, grey), (2, none)]), Bar("Theme B", [(1, Swatch("Red", "#FF0000"))])],
        "Theme A: 3 Completed, 2 No status; Theme B: 1 Red.",
    )
    data = synthetic([Heading(1, "Title"), chart])
    body = part(data, "word/document.xml")
    fills = [s.get(f"{W}fill") for s in body.iter(f"{W}shd") if s.getparent().tag == f"{W}rPr"]
    assert len(fills) == len(set(fills)) == 3, fills  # a legend box per status, each its own
    styles = docx.Document(io.BytesIO(data)).styles
    caption = styles["Caption"].font.color.rgb
    assert wcag_ratio(str(caption), "FFFFFF") >= 4.5


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_status_text_reads_at_4_5_to_1_on_its_colour(example_papers: Path, paper: str) -> None:
    body = part(example_papers / f"{paper}.docx", "word/document.xml")
    checked = 0
    for cell in body.iter(f"{W}tc"):
        shade = cell.find(f"{W}tcPr/{W}shd")
        fill = shade.get(f"{W}fill") if shade is not None else None
        if not fill or fill in ("auto", "D9D9D9", "F2F2F2"):
            continue
        for colour in cell.iter(f"{W}color"):
            checked += 1
            ratio = wcag_ratio(colour.get(f"{W}val"), fill)
            assert ratio >= 4.5, (fill, colour.get(f"{W}val"), round(ratio, 2))
    assert checked or not paper.startswith("derby")  # Derby's key and tables are in colour


@pytest.mark.parametrize("column", [0, 1, 3])
def test_a_cell_spanning_rows_is_merged_in_any_column(column: int) -> None:
    columns = [Column(h, 25) for h in ("Ref", "Recommendation", "Action", "Lead")]
    rows = []
    for n in range(3):
        cells = [text(f"{n}.{i}") for i in range(4)]
        if n == 0:
            cells[column] = Cell(content=Rich((Para((Run("Spanning"),)),)), rowspan=3)
        else:
            del cells[column]  # covered by the spanning cell above
        rows.append(Row(cells))
    data = synthetic([Heading(1, "Title"), Table("Plan", columns, rows)])
    (table,) = part(data, "word/document.xml").iter(f"{W}tbl")
    body = table.findall(f"{W}tr")[1:]
    merges = []
    for row in body:
        cells = row.findall(f"{W}tc")
        assert len(cells) == 4
        merge = cells[column].find(f"{W}tcPr/{W}vMerge")
        merges.append(None if merge is None else merge.get(f"{W}val", "continue"))
        others = [
            "".join(t.text for t in c.iter(f"{W}t")) for i, c in enumerate(cells) if i != column
        ]
        assert len(others) == 3 and all(re.fullmatch(r"\d\.\d", o) for o in others), others
    assert merges == ["restart", "continue", "continue"]
    first = "".join(t.text for t in body[0].findall(f"{W}tc")[column].iter(f"{W}t"))
    assert first == "Spanning"


@pytest.mark.render
def test_every_body_row_of_the_example_papers_is_kept_whole(example_papers: Path) -> None:
    """Every row of the five papers fits below its header, so each is marked can't split.

    (A row too tall for that is left to split: tests/test_word_layout.py.)
    """
    for path in example_papers.glob("*.docx"):
        body = part(path, "word/document.xml")
        for row in body.iter(f"{W}tr"):
            properties = row.find(f"{W}trPr")
            header = properties is not None and properties.find(f"{W}tblHeader") is not None
            in_chart = row.find(f".//{W}drawing") is not None
            if not header and not in_chart:
                assert properties is not None and properties.find(f"{W}cantSplit") is not None


def test_a_table_of_5000_rows_is_written_in_seconds() -> None:
    """Moving one parsed 3 MB table into the document took lxml 20 s (square of its size)."""
    rows = [
        Row([text(f"{n}.{c} the text of an action, as long as many") for c in range(6)])
        for n in range(5000)
    ]
    table = Table("Plan", [Column(str(c), 16) for c in range(6)], rows)
    start = time.perf_counter()
    data = synthetic([Heading(1, "Title"), table])
    assert time.perf_counter() - start < 5
    assert len(docx.Document(io.BytesIO(data)).tables[0].rows) == 5001


@pytest.mark.parametrize("body", [b"<w:body><w:sectPr/></w:body>", b"<w:body/>"])
def test_the_body_is_put_in_with_the_namespaces_the_reference_lacks(body: bytes) -> None:
    w = W.strip("{}")
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{w}">'.encode() + body + b"</w:document>"
    content = '<w:p><w:hyperlink r:id="rId9"><w:r><w:t>x</w:t></w:r></w:hyperlink></w:p>'
    document = etree.fromstring(with_body(xml, content, f' xmlns:r="{r}"'))
    (link,) = document.iter(f"{W}hyperlink")
    assert link.get(f"{{{r}}}id") == "rId9"
    assert document.find(f"{W}body")[0].tag == f"{W}p"


AWKWARD = "A & B <c> \"d\" 'e' ]]> &amp; \u00a0\U0001f600 \u202e end"


def test_text_of_every_kind_in_every_place_keeps_the_file_well_formed() -> None:
    """Markup characters in every text the model carries leave every part well formed.

    The writer does not parse what it writes (0.2 s at 5,000 actions): it escapes by
    construction, and this checks it.
    """
    odd = AWKWARD
    runs = (
        Run(odd),
        Run(odd, bold=True),
        Run(odd, italic=True),
        Run(odd, link=f"https://example.org/?a=1&b={odd}"),
        Run(odd, note="1"),
        Run(f"{odd}\n{odd}"),
    )
    rich = Rich((Para(runs), Bullets(((Para((Run(odd),)),), (Para((Run(odd),)),)))))
    swatch = Swatch(odd, "#00B050", odd)
    columns = [Column(odd, 30, odd), Column(odd, 40), Column(odd, 30)]
    rows = [
        Row([Cell(rich, row_header=True), Cell(rich), Cell(status=swatch)], group=True),
        Row([Cell(rich, rowspan=2), Cell(pagerefs=("part", odd)), Cell(rich)]),
        Row([Cell(rich), Cell(rich)]),
    ]
    blocks = [
        Heading(1, odd),
        Heading(2, odd, anchor="part"),
        Heading(3, odd, anchor=odd),
        Text(rich),
        Text(rich, "intro"),
        Table(odd, columns, rows),
        Notes(odd, [(odd, rich)]),
        Chart(odd, [Bar(odd, [(2, swatch), (1, Swatch(odd, "#C00000"))])], odd),
    ]
    data = synthetic(blocks, keywords=[odd])
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                pyexpat.ParserCreate().Parse(package.read(name), True)  # raises if malformed
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    texts = "".join(t.text or "" for t in body.iter(f"{W}t"))
    assert texts.count(odd) >= 20


def test_the_same_paper_gives_the_same_bytes() -> None:
    chart = Chart("Chart", [Bar("A", [(2, Swatch("Green", "#00B050"))])], "A: 2 Green.")
    blocks = [Heading(1, "Title"), chart, Heading(2, "Part", anchor="part")]
    assert synthetic(blocks) == synthetic(blocks)


def test_the_reference_loader_fills_in_every_style_the_writers_use() -> None:
    from planreport.ooxml.reference import NEEDED
    from planreport.updates import docx_form
    from planreport.writers.docx.styles import STYLES

    assert set(NEEDED) == set(STYLES.values()) | set(docx_form.STYLES)


@pytest.mark.render
def test_author_and_title_come_from_the_paper_in_word_and_pdf(example_papers: Path) -> None:
    import pikepdf

    word = docx.Document(example_papers / "stockton-ofsted-2013-09.docx").core_properties
    with pikepdf.open(example_papers / "stockton-ofsted-2013-09.pdf") as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
    # no contact named: the council whose plan it is, never "planreport"
    assert word.author == info["/Author"] == "Stockton-on-Tees Borough Council"
    # the document is the agenda item: its cover report's title, then the plan appended
    title = "Ofsted inspection of child protection arrangements – action plan update"
    assert word.title == info["/Title"] == title


@pytest.mark.render
def test_the_summary_of_counts_is_kept_on_one_page(example_papers: Path) -> None:
    """Every row but the last keeps with the next: Word moves the table whole if it must."""
    body = part(example_papers / "stockton-ofsted-2013-09.docx", "word/document.xml")
    (table,) = (
        t
        for t in body.iter(f"{W}tbl")
        if t.find(f"{W}tblPr/{W}tblCaption").get(f"{W}val").startswith("Progress at a glance")
    )
    rows = table.findall(f"{W}tr")
    kept = [all(p.find(f"{W}pPr/{W}keepNext") is not None for p in r.iter(f"{W}p")) for r in rows]
    assert len(rows) == 16 and kept == [True] * 15 + [False]  # header, 14 and all actions
