"""Committee-grade PDFs, counted from the tagged structure (issue 8).

Rows kept whole, headings with their tables, one Table per table, the chart a Figure
with alternative text, the shipped font on any machine, contrast on status colours.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pytest

from planreport.commands.build import Options, build
from planreport.paper import model
from planreport.project import Project
from planreport.writers import fonts
from planreport.writers.pdf import fixes as weasyprint_fixes
from tests import tagged
from tests.conftest import CASES, PAPERS, ROOT, planreport_command


def _count(folder: Path, paper: str) -> tagged.Counts:
    html = (folder / f"{paper}.html").read_text(encoding="utf-8")
    return tagged.count(folder / f"{paper}.pdf", html)


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_no_row_is_split_and_no_heading_is_stranded(example_papers: Path, paper: str) -> None:
    counts = _count(example_papers, paper)
    assert counts.split_rows == 0, counts.rows_over_pages
    assert counts.stranded == []
    assert counts.headings > 0 and counts.rows > 0


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_one_table_element_per_table_with_its_caption_first(
    example_papers: Path, paper: str
) -> None:
    html = (example_papers / f"{paper}.html").read_text(encoding="utf-8")
    pdf = pikepdf.open(example_papers / f"{paper}.pdf")
    tables: list[pikepdf.Dictionary] = []
    tagged.walk(
        pdf.Root.StructTreeRoot, lambda n: tables.append(n) if tagged._is(n, "/Table") else None
    )
    assert len(tables) == html.count("<table")
    for table in tables:
        kinds = [str(k.get("/S")) for k in tagged._elements(table)]
        assert kinds[0] == "/Caption" and kinds.count("/Caption") == 1, kinds
        if table is tables[0] and '<table class="cover-header">' in html:
            assert kinds == ["/Caption", "/TBody"]  # the cover's header table: row headers only
            continue
        assert kinds.count("/THead") == 1, (
            kinds
        )  # the header repeated on later pages is an artifact
        assert "/Table" not in kinds


@pytest.mark.render
def test_every_data_cell_names_its_headers_across_pages(example_papers: Path) -> None:
    """Column headers from the first header row on every page; the spanning theme cell too."""
    pdf = pikepdf.open(example_papers / "nottinghamshire-iicsa-2020-01.pdf")
    ids: set[str] = set()
    cells: list[pikepdf.Dictionary] = []

    def visit(node: pikepdf.Dictionary) -> None:
        if tagged._is(node, "/TH") and node.get("/ID") is not None:
            ids.add(str(node.ID))
        if tagged._is(node, "/TD"):
            cells.append(node)

    tagged.walk(pdf.Root.StructTreeRoot, visit)
    assert cells
    for cell in cells:
        headers = [str(h) for h in cell.A.Headers]
        assert headers and set(headers) <= ids, headers
    # every action row names its theme (a cell spanning several rows, some on the next page)
    action_rows = [c for c in cells if len(c.A.Headers) == 2]
    assert len(action_rows) >= 36


GREEN_REPORT = """\
plans: [derby-cyp-improvement-2011]
title: Actions rated Green
as_at: 2011-12-05
layout: exceptions
filters: {open_only: true, statuses: [green], recommendations: ["7", "24"]}
"""


@pytest.mark.render
def test_group_rows_head_the_rows_of_their_group(tmp_path: Path) -> None:
    # the exceptions layout's action table, grouped in rows: Derby's open Green actions
    # that are not exceptions (the five overdue ones are listed above it, not again)
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "plans" / "papers" / "green.yaml").write_text(GREEN_REPORT, encoding="utf-8")
    out = tmp_path / "out"
    options = Options(out=out, force=True, formats=("html", "pdf"), paper_ids=("green",))
    assert not build(Project(tmp_path), options).failed
    html = (out / "green.html").read_text(encoding="utf-8")
    assert '<th scope="rowgroup" colspan="6">' in html and 'scope="colgroup"' not in html
    pdf = pikepdf.open(out / "green.pdf")
    groups: list[pikepdf.Dictionary] = []
    tagged.walk(
        pdf.Root.StructTreeRoot,
        lambda n: (
            groups.append(n) if tagged._is(n, "/TH") and n.get("/A", {}).get("/ColSpan") else None
        ),
    )
    assert groups and all(g.A.Scope == "/Row" for g in groups)
    group_ids = {str(g.ID) for g in groups}
    cells: list[pikepdf.Dictionary] = []
    tagged.walk(
        pdf.Root.StructTreeRoot, lambda n: cells.append(n) if tagged._is(n, "/TD") else None
    )
    assert any(group_ids & {str(h) for h in c.A.Headers} for c in cells)


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_no_example_paper_draws_a_chart_its_tables_give(example_papers: Path, paper: str) -> None:
    # their layouts ask for none: a bar of all actions repeats the summary's total row
    assert _count(example_papers, paper).figures == 0


@pytest.mark.render
def test_the_chart_is_a_figure_whose_alternative_text_states_every_figure(
    history_papers: Path,
) -> None:
    counts = _count(history_papers, "history-march")
    # one bar of all actions (the summary table above it has each recommendation's)
    assert counts.figures_alt == [
        "All actions by status. All actions: 1 Blue, 2 Green, 1 Amber, 1 Red."
    ]


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_only_the_shipped_font_is_embedded(example_papers: Path, paper: str) -> None:
    embedded = _count(example_papers, paper).fonts
    assert embedded and all(f.startswith("Liberation-Sans") for f in embedded), embedded


@pytest.mark.render
def test_same_bytes_on_a_machine_with_no_fonts_installed(tmp_path: Path) -> None:
    """A fontconfig naming no font folder: the same pages and the same bytes."""
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    paper = "nottingham-city-iicsa-2019"
    built = {}
    for name, extra in (("usual", {}), ("bare", {"FONTCONFIG_FILE": str(empty)})):
        out = tmp_path / name
        env = {**os.environ, **extra}
        command = [*planreport_command(), "build", "--paper", paper, "--format", "pdf"]
        done = subprocess.run(
            [*command, "--out", str(out)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout + done.stderr
        built[name] = (out / f"{paper}.pdf").read_bytes()
    assert built["usual"] == built["bare"]


@pytest.mark.render
def test_page_reference_cache_keeps_the_bytes(
    example_papers: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local cache of pydyf's page_references: the PDF is byte-identical without it."""
    import pydyf
    import weasyprint

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1577836800")
    html = (example_papers / "nottinghamshire-iicsa-2020-01.html").read_text(encoding="utf-8")
    weasyprint_fixes.install()
    cached = pydyf.PDF.page_references
    written = []
    try:
        for reference in (cached, property(weasyprint_fixes._uncached_page_references)):
            pydyf.PDF.page_references = reference
            document = weasyprint.HTML(string=html).render(pdf_variant="pdf/ua-1")
            with weasyprint_fixes.tagging(document):
                written.append(document.write_pdf(pdf_variant="pdf/ua-1"))
    finally:
        pydyf.PDF.page_references = cached
    assert written[0] == written[1]


# --- a row taller than a page ------------------------------------------------------

PEOPLE = """people:
  jo: {name: Jo Bloggs, role: Head of Service}
"""

PLAN = """title: Tall rows
status_scheme:
  levels:
    - {key: done, label: Done, colour: "#0070C0", done: true}
    - {key: going, label: Going, colour: "#00B050", on_track: true}
recommendations:
  - {ref: "1", text: Keep every row readable.}
actions:
  - ref: "1.1"
    addresses: ["1"]
    text: A short action before the tall one.
    leads: [jo]
    due: 2020-01
    updates:
      - {date: 2019-12-01, text: On course., status: going}
  - ref: "1.2"
    addresses: ["1"]
    text: An action whose update runs over several pages.
    leads: [jo]
    due: 2020-03
    updates:
      - date: 2019-12-02
        status: going
        text: |
{paragraphs}
  - ref: "1.3"
    addresses: ["1"]
    text: A short action after the tall one.
    leads: [jo]
    due: 2020-04
    updates:
      - {date: 2019-12-03, text: "Started {extra}.", status: going}
"""

PAPER = """plans: [tall]
as_at: 2019-12-31
layout: standard
formats: [pdf, html]
"""


def _tall_project(folder: Path, extra: str = "") -> Project:
    plans = folder / "plans"
    (plans / "papers").mkdir(parents=True)
    sentence = "Progress on this part of the work was reviewed by the board and recorded. "
    paragraphs = "\n\n".join("          " + f"Paragraph {i}. " + sentence * 4 for i in range(1, 16))
    (plans / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    (plans / "tall.yaml").write_text(
        PLAN.replace("{paragraphs}", paragraphs).replace("{extra}", extra), encoding="utf-8"
    )
    (plans / "papers" / "tall.yaml").write_text(PAPER, encoding="utf-8")
    return Project(folder)


@pytest.mark.render
def test_a_row_taller_than_a_page_continues_under_the_repeated_header(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(_tall_project(tmp_path / "project"), Options(out=out, force=True))
    assert not result.failed, [(p.id, p.error) for p in result.papers]
    counts = _count(out, "tall")
    # the one allowed exception: the tall row is cut into rows, each after the first continued
    assert counts.rows_over_pages == [] and counts.stranded == []
    continued = counts.split_rows
    assert 2 <= continued <= 6
    pages = [
        " ".join(p.extract_text().split())
        for p in __import__("pypdf").PdfReader(out / "tall.pdf").pages
    ]
    on = [i for i, text in enumerate(pages) if "1.2 (continued)" in text]
    assert len(on) >= 1 and "1.2 (continued)" in " ".join(pages)
    assert sum(text.count("1.2 (continued)") for text in pages) == continued
    for i in on:
        assert "Ref" in pages[i] and "Progress" in pages[i]  # the repeated header is there
    text = " ".join(" ".join(pages).split())
    for i in (1, 8, 15):
        assert f"Paragraph {i}." in text
    assert "A short action after the tall one." in text


def test_cutting_a_row_keeps_cells_spanning_it(tmp_path: Path) -> None:
    from planreport.plan.richtext import plain
    from planreport.writers.pdf.rows import cut_table_rows

    spanning = model.Cell(plain("Theme"), rowspan=3, row_header=True)
    long = model.Rich(tuple(model.Para((model.Run("word " * 200),)) for _ in range(6)))
    rows = [
        model.Row([spanning, model.Cell(plain("1")), model.Cell(plain("short"))]),
        model.Row([model.Cell(plain("2"), row_header=True), model.Cell(long)]),
        model.Row([model.Cell(plain("3")), model.Cell(plain("short"))]),
    ]
    table = model.Table("t", [model.Column("a", 30), model.Column("b", 70)], rows)
    cut = cut_table_rows(table, {1: 2.0})
    assert len(cut.rows) > 3
    assert cut.rows[0].cells[0].rowspan == len(cut.rows)
    continued = [r for r in cut.rows[2:-1]]
    assert all(r.cells[0].content.plain() == "2" and r.cells[0].row_header for r in continued)
    assert all(r.cells[1].content.plain().startswith("(continued)") for r in continued)
    words = " ".join(c.content.plain() for r in cut.rows[1:-1] for c in r.cells[1:])
    assert words.count("word") == 1200


# --- fonts -------------------------------------------------------------------------


@pytest.mark.render
def test_a_character_the_font_lacks_is_a_located_warning_not_a_failure(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build(
        _tall_project(tmp_path / "project", extra="\U0001f642"), Options(out=out, force=True)
    )
    (paper,) = result.papers
    assert not paper.failed, paper.error
    assert paper.warnings and "U+1F642" in paper.warnings[0]
    assert "the row 1.3" in paper.warnings[0]
    assert (out / "tall.pdf").exists()


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@pytest.mark.render
@pytest.mark.skipif(not (DEJAVU / "DejaVuSans.ttf").exists(), reason="needs DejaVu Sans files")
def test_a_council_names_its_own_font(tmp_path: Path) -> None:
    project = _tall_project(tmp_path / "project")
    own = tmp_path / "project" / "templates"
    (own / "fonts").mkdir(parents=True)
    (own / "layouts").mkdir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(DEJAVU / name, own / "fonts" / name)
    standard = (ROOT / "src/planreport/templates/layouts/standard.yaml").read_text()
    (own / "layouts" / "house.yaml").write_text("font: DejaVu Sans\n" + standard)
    paper = project.root / "plans/papers/tall.yaml"
    paper.write_text(PAPER.replace("layout: standard", "layout: house"))
    out = tmp_path / "out"
    result = build(Project(project.root), Options(out=out, force=True))
    assert not result.failed, [(p.id, p.error) for p in result.papers]
    embedded = tagged.count(out / "tall.pdf").fonts
    assert embedded and all(f.startswith("DejaVu") for f in embedded), embedded
    assert 'font-family: "DejaVu Sans", Arial, sans-serif' in (out / "tall.html").read_text()


def test_a_font_with_no_files_fails_the_paper_saying_where_to_put_them(tmp_path: Path) -> None:
    project = _tall_project(tmp_path / "project")
    layouts = tmp_path / "project" / "templates" / "layouts"
    layouts.mkdir(parents=True)
    standard = (ROOT / "src/planreport/templates/layouts/standard.yaml").read_text()
    (layouts / "house.yaml").write_text("font: Frutiger\n" + standard)
    (project.root / "plans/papers/tall.yaml").write_text(PAPER.replace("standard", "house"))
    result = build(Project(project.root), Options(out=tmp_path / "out", force=True))
    (paper,) = result.papers
    assert paper.error and "Frutiger" in paper.error and "templates/fonts/" in paper.error


def test_the_shipped_font_is_liberation_sans_with_its_licence() -> None:
    found = fonts.faces(fonts.DEFAULT_FAMILY, [fonts.PACKAGED])
    assert sorted((f.weight >= 600, f.italic) for f in found) == [
        (False, False),
        (False, True),
        (True, False),
        (True, True),
    ]
    licence = (fonts.PACKAGED / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence


# --- contrast ----------------------------------------------------------------------


def _scheme_colours() -> set[str]:
    found = set()
    for path in [*ROOT.glob("plans/**/*.yaml"), *CASES.glob("**/*.yaml")]:
        found.update(re.findall(r'colour:\s*"?(#[0-9A-Fa-f]{6})', path.read_text(errors="replace")))
    return found


def test_text_on_every_status_colour_has_at_least_4_5_to_1() -> None:
    colours = _scheme_colours() | {"#FF0000", "#FFC000", "#00B050", "#0070C0"}
    assert len(colours) >= 4
    for colour in colours:
        ink = model.contrast(colour)
        assert model.ratio(colour, ink) >= 4.5, (colour, ink, model.ratio(colour, ink))
    assert model.contrast("#FF0000") == "#000000"  # white on red is only 4.0:1


def test_black_or_white_always_reaches_4_5_to_1() -> None:
    steps = range(0, 256, 15)
    for r in steps:
        for g in steps:
            for b in steps:
                colour = f"#{r:02X}{g:02X}{b:02X}"
                assert model.ratio(colour, model.contrast(colour)) >= 4.5, colour


def test_the_fonts_are_package_data() -> None:
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["planreport"]
    for path in fonts.PACKAGED.iterdir():
        name = f"fonts/{path.name}"
        assert any(fnmatch.fnmatch(name, p) for p in patterns), name


@pytest.mark.render
def test_a_theme_spanning_rows_is_named_again_on_the_next_page(example_papers: Path) -> None:
    import pypdf

    pages = [
        " ".join(p.extract_text().split())
        for p in pypdf.PdfReader(example_papers / "nottinghamshire-iicsa-2020-01.pdf").pages
    ]
    tables = [p for p in pages if "Theme Action Lead Officers Update" in p]
    assert len(tables) >= 3
    for text in tables:
        first = text.split("Theme Action Lead Officers Update", 1)[1].split("Action", 1)[0].strip()
        assert first, text[:200]  # the first row of every page names its theme
    assert any("(continued)" in text for text in tables)


def test_continuing_a_span_puts_the_cell_in_its_column() -> None:
    from planreport.plan.richtext import plain
    from planreport.writers.pdf.rows import continue_span

    def row(*cells: model.Cell) -> model.Row:
        return model.Row(list(cells))

    theme = model.Cell(plain("Leadership and governance"), rowspan=3, row_header=True)
    rows = [
        row(theme, model.Cell(plain("a1")), model.Cell(plain("a2"))),
        row(model.Cell(plain("b1")), model.Cell(plain("b2"))),
        row(model.Cell(plain("c1")), model.Cell(plain("c2"))),
    ]
    table = model.Table("t", [model.Column(h, 30) for h in "xyz"], rows)
    done = continue_span(table, 0, 0, 2)
    assert done.rows[0].cells[0].rowspan == 2
    first = done.rows[2].cells[0]
    assert (first.rowspan, first.row_header) == (1, True)
    assert first.content.plain() == "Leadership and governance (continued)"
    assert [c.content.plain() for c in done.rows[2].cells[1:]] == ["c1", "c2"]
    assert table.rows[0].cells[0].rowspan == 3  # the paper itself is left as it was


def test_a_span_over_three_pages_says_continued_once_on_each() -> None:
    from planreport.plan.richtext import plain
    from planreport.writers.pdf.rows import continue_span

    status = model.Cell(status=model.Swatch("On track", "#00B050"), rowspan=4)
    rows = [model.Row([status, model.Cell(plain("a"))])]
    rows += [model.Row([model.Cell(plain(x))]) for x in "bcd"]
    table = model.Table("t", [model.Column(h, 50) for h in "xy"], rows)
    done = continue_span(continue_span(table, 0, 0, 2), 2, 0, 3)
    assert [r.cells[0].rowspan for r in done.rows] == [2, 1, 1, 1]
    for row in done.rows[2:]:
        cell = row.cells[0]
        assert (cell.status, cell.content.plain()) == (status.status, " (continued)")


def test_a_font_file_linking_out_of_its_folder_is_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "fonts"
    folder.mkdir()
    outside = tmp_path / "elsewhere.ttf"
    shutil.copy(fonts.PACKAGED / "LiberationSans-Regular.ttf", outside)
    (folder / "linked.ttf").symlink_to(outside)
    with pytest.raises(fonts.FontError, match="templates/fonts/"):
        fonts.faces("Liberation Sans", [folder])


@pytest.mark.render
def test_a_project_template_without_the_font_rules_still_gets_the_font(tmp_path: Path) -> None:
    """A council's copy of an older paper.html.j2 (no {{ fonts }}): the PDF adds the rules."""
    project = _tall_project(tmp_path / "project")
    own = tmp_path / "project" / "templates"
    own.mkdir()
    template = (ROOT / "src/planreport/templates/paper.html.j2").read_text()
    assert "{{ fonts | safe }}" in template
    (own / "paper.html.j2").write_text(template.replace("{{ fonts | safe }}", ""))
    out = tmp_path / "out"
    result = build(Project(project.root), Options(out=out, force=True, formats=("pdf",)))
    assert not result.failed, [(p.id, p.error) for p in result.papers]
    embedded = tagged.count(out / "tall.pdf").fonts
    assert embedded and all(f.startswith("Liberation-Sans") for f in embedded), embedded


@pytest.mark.render
@pytest.mark.parametrize("paper", ["derby-cyp-improvement-2011-12", "stockton-ofsted-2013-09"])
def test_the_summary_of_counts_is_on_one_page(example_papers: Path, paper: str) -> None:
    """Read as a whole: its heading, sentence, rows and total on one page.

    Stockton's last two rows stood alone on a page of their own.
    """
    pages = [p.extract_text() for p in pypdf.PdfReader(example_papers / f"{paper}.pdf").pages]
    (page,) = [p for p in pages if "Progress at a glance" in p]
    assert "Recommendation 2 " in page and re.search(r"All actions \d+ \d+", page)
