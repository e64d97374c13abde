"""`planreport build`: every paper's content in PDF, Word and HTML, structure, safety, speed-ups."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

import docx
import pikepdf
import pypdf
import pytest

from planreport import output
from planreport.commands import check
from planreport.commands.build import Options, build
from planreport.plan import loading, standing
from planreport.project import Project
from planreport.writers.docx.styles import STYLES
from tests.conftest import (
    CASES,
    PAPERS,
    ROOT,
    W,
    clean_words,
    docx_text,
    html_words,
    pdf_text,
    planreport_command,
    run_planreport,
)
from tests.marks import libreoffice

PROJECT = CASES / "project"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project's papers, built once."""
    out = tmp_path_factory.mktemp("sample")
    result = build(Project(PROJECT), Options(out=out, force=True))
    assert not result.failed, [(p.id, p.error, p.problems) for p in result.papers]
    return out


def tokens(text: str) -> Counter:
    """Words with the punctuation around them removed."""
    return Counter(w.strip(".,;:()–-'\"") for w in text.split())


def _plans() -> dict:
    result = check.check(Project(ROOT), [ROOT / "plans"], date(2020, 1, 1))
    return {p.id: p for p in result.plans}


@pytest.mark.render
def test_every_paper_is_built_in_three_formats(example_papers: Path) -> None:
    built = sorted(p.name for p in example_papers.iterdir() if not p.name.startswith("."))
    assert built == sorted(f"{paper}.{fmt}" for paper in PAPERS for fmt in ("docx", "html", "pdf"))


@pytest.mark.render
@pytest.mark.parametrize("paper", [p for p in PAPERS if "exceptions" not in p])
def test_every_action_is_in_pdf_and_word(example_papers: Path, paper: str) -> None:
    """Every action's ref, text, leads, timescale and status appear in both formats."""
    plan_id = {
        "derby-cyp-improvement-2011-12": "derby-cyp-improvement-2011",
        "nottingham-city-iicsa-2019": "nottingham-city-iicsa-2019",
        "nottinghamshire-iicsa-2020-01": "nottinghamshire-iicsa-2019",
        "stockton-ofsted-2013-09": "stockton-ofsted-2013",
    }[paper]
    plan = _plans()[plan_id]
    people = loading.load_people(Project(ROOT), ROOT / "plans" / "people.yaml").value
    pdf_words = tokens(pdf_text(example_papers / f"{paper}.pdf"))
    word = " ".join(" ".join(docx_text(example_papers / f"{paper}.docx")).split())
    for action in plan.actions:
        first_words = " ".join(
            action.text.replace("[^1]", "1").replace("[^2]", "2").replace("[^3]", "3").split()[:3]
        )
        for needle in [action.ref, *(_lead_words(people[lead.person]) for lead in action.leads)]:
            assert needle in word, (action.ref, needle)
            assert all(pdf_words[w] for w in tokens(needle)), (action.ref, needle)
        assert first_words.split()[0] in word, (action.ref, first_words)
        for piece in tokens(action.timescale or ""):
            assert pdf_words[piece] or "-" in piece or "/" in piece, (action.ref, piece)
        level = standing.status_at(plan, action)
        if level:
            assert level.label in pdf_words and level.label in word, (action.ref, level.label)


def _lead_words(person) -> str:
    return person.name or person.initials or person.role


@pytest.mark.render
def test_refs_like_1_10_and_1_11_survive(example_papers: Path) -> None:
    pdf = pdf_text(example_papers / "derby-cyp-improvement-2011-12.pdf")
    word = docx_text(example_papers / "derby-cyp-improvement-2011-12.docx")
    for ref in ("1.10.", "1.11.", "1.1."):
        assert ref in pdf.split()
        assert ref in word


def _without_chart(path: Path, folder: Path) -> list[str]:
    """A Word file's paragraphs, leaving out the chart and repeated theme cells.

    The HTML and PDF have the chart as a picture, and a theme as one cell where Word
    names it again, in italics, over each run of its rows that fits on a page. Word draws the chart as a table of labels beside pictures, with its legend in the
    paragraph after it; the HTML and PDF draw it as one image with alternative text.
    """
    document = docx.Document(path)
    chart = []
    for table in document.element.body.iter(f"{W}tbl"):
        caption = table.find(f"{W}tblPr/{W}tblCaption")
        if caption is not None and caption.get(f"{W}val", "") == "All actions by status":
            chart.append(table)
            legend = table.getnext()
            if legend is not None:
                chart.append(legend)
    for element in chart:
        element.getparent().remove(element)
    for link in list(document.element.body.iter(f"{W}hyperlink")):  # a page reference
        if link.get(f"{W}anchor"):  # the HTML's "Actions" link, the PDF's and Word's "Page 12"
            link.getparent().remove(link)
    seen = ""
    body_cells = (
        cell
        for row in document.element.body.iter(f"{W}tr")
        if row.find(f"{W}trPr/{W}tblHeader") is None
        for cell in row.findall(f"{W}tc")
    )
    for cell in body_cells:  # a theme named again
        text = "".join(t.text or "" for t in cell.iter(f"{W}t"))
        runs = list(cell.iter(f"{W}r"))
        again = runs and all(r.find(f"{W}rPr/{W}i") is not None for r in runs)
        if again and text and text.rstrip("…") in seen:
            for run in runs:
                run.getparent().remove(run)
        seen += text + " "
    cleaned = folder / path.name
    document.save(cleaned)
    return docx_text(cleaned)


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_html_word_and_pdf_show_the_same_text(
    example_papers: Path, paper: str, tmp_path: Path
) -> None:
    """One paper model: the same words in the same order in HTML and Word; all of them in the PDF.

    On paper (Word, PDF) a link's address follows its text; the web page has the link alone.
    """
    html = html_words(example_papers / f"{paper}.html", printed=True)
    word = clean_words(" ".join(_without_chart(example_papers / f"{paper}.docx", tmp_path)).split())
    assert html == word
    pdf = Counter(pdf_text(example_papers / f"{paper}.pdf").split())
    missing = Counter(html) - pdf
    # A word broken across two lines at a hyphen or slash comes out of the PDF in pieces.
    pieces = lambda word: [p for p in re.split(r"(?<=[-/])", word) if p]  # noqa: E731
    found = pdf + Counter(p for word in pdf.elements() for p in pieces(word))
    missing = [w for w in missing if not all(found[p] or found[p.rstrip("-/")] for p in pieces(w))]
    assert not missing, missing[:5]


@pytest.mark.render
@pytest.mark.parametrize("paper", PAPERS)
def test_pdf_is_tagged_with_title_language_and_bookmarks(example_papers: Path, paper: str) -> None:
    with pikepdf.open(example_papers / f"{paper}.pdf") as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert root.MarkInfo.Marked
        assert str(root.Lang) == "en-GB"
        assert root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as meta:
            assert meta.get("dc:title")
        with pdf.open_outline() as outline:
            assert outline.root, "no bookmarks"
        tags = _struct_tags(root.StructTreeRoot)
        assert {"/Table", "/TH", "/TD", "/H1"} <= tags


def _struct_tags(node: pikepdf.Object, seen: set | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    kids = node.get("/K")
    if "/S" in node:
        seen.add(str(node.S))
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary):
                _struct_tags(kid, seen)
    elif isinstance(kids, pikepdf.Dictionary):
        _struct_tags(kids, seen)
    return seen


@pytest.mark.render
@pytest.mark.parametrize("paper", [p for p in PAPERS])
def test_word_has_header_rows_headings_styles_and_language(
    example_papers: Path, paper: str
) -> None:
    document = docx.Document(example_papers / f"{paper}.docx")
    assert document.core_properties.title
    assert document.core_properties.language == "en-GB"
    assert {s.name for s in document.styles} >= set(STYLES.values())
    headings = [
        p
        for p in document.paragraphs
        if p.style.name == "Title" or p.style.name.startswith("Heading")
    ]
    html = (example_papers / f"{paper}.html").read_text()
    assert len(headings) == len(re.findall(r"<h[1-6][ >]", html))
    assert document.tables
    for table in document.tables:
        caption = table._tbl.tblPr.find(f"{W}tblCaption")
        assert caption is not None
        if caption.get(f"{W}val") == "Report details":
            continue  # the cover report's header table: a label heads each row, not a column
        first = table.rows[0]._tr
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert table._tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
    lang = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "en-GB"


@pytest.mark.render
def test_summary_has_page_references_in_both_formats(example_papers: Path) -> None:
    pdf = pdf_text(example_papers / "derby-cyp-improvement-2011-12.pdf")
    assert re.search(r"Page \d+", pdf.split("Action Plans")[0])
    xml = docx.Document(example_papers / "derby-cyp-improvement-2011-12.docx").element.xml
    # Word: a working link to the heading's bookmark (no field to update, no "Page ?")
    assert 'w:anchor="grp_1_4_13_14_16_21"' in xml
    assert 'w:name="grp_1_4_13_14_16_21"' in xml
    # the web page: each link says where it goes to a screen reader, not "Actions" alone
    html = (example_papers / "derby-cyp-improvement-2011-12.html").read_text()
    assert (
        '<a href="#grp_2">Actions<span class="visually-hidden">: Recommendation 2 – Ensure '
        "that all children and young people who go missing from their own home"
    ) in html
    assert '<h3 id="grp_2">Recommendation 2 – Ensure that all children' in html


@pytest.mark.render
def test_markdown_renders_as_lists_bold_and_links(sample: Path) -> None:
    html = (sample / "sample-paper.html").read_text()
    assert "<li><strong>monthly</strong> audits</li>" in html
    assert '<a href="https://example.org/report">link</a>' in html
    assert '<sup class="noteref"><a href="#note-1">1</a></sup>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html.split("</style>")[1]
    document = docx.Document(sample / "sample-paper.docx")
    cells = [p for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    bullets = [p for p in cells if p.style.name == "Table Bullet"]
    assert [p.text for p in bullets][:2] == ["monthly audits", "quarterly reports"]
    assert bullets[0].runs[0].bold
    assert "<script>alert(1)</script>" in document.element.xml.replace("&lt;", "<").replace(
        "&gt;", ">"
    )


@pytest.mark.render
def test_revised_date_shows_the_original(sample: Path) -> None:
    word = " ".join(docx_text(sample / "sample-paper.docx"))
    assert "March 2012, revised from December 2011 (Waiting for the new system)" in word
    assert "March 2012, revised from December 2011" in " ".join(
        pdf_text(sample / "sample-paper.pdf").split()
    )


@pytest.mark.render
def test_long_word_wraps_and_nothing_is_lost(tmp_path: Path) -> None:
    """A 5,000-character word is broken across lines of its column in the PDF, kept whole in Word.

    Its own small case (tests/cases/long-word): laying it out takes WeasyPrint seconds.
    """
    word = "A" * 4999 + "Z"
    result = build(Project(CASES / "long-word"), Options(out=tmp_path, force=True))
    assert not result.failed, [(p.id, p.error) for p in result.papers]
    text = pdf_text(tmp_path / "long-word-paper.pdf")
    # Other columns' text comes between its pieces where the table crosses a page.
    joined = "".join(text.split())
    assert joined.count("A") >= 4999 and "AAAAZ" in joined
    pieces = [line for line in text.splitlines() if "AAAA" in line]
    # Pieces no wider than the Action column (40 characters with the ref): nothing overflows.
    assert len(pieces) > 125 and max(len(line) for line in pieces) <= 40
    # in the plan's table and the exceptions' (which quote an action whole): Word breaks
    # it inside each fixed-width cell
    paragraphs = [p for p in docx_text(tmp_path / "long-word-paper.docx") if word in p]
    assert len(paragraphs) == 2 and set(paragraphs) == {word}
    tables = docx.Document(tmp_path / "long-word-paper.docx").element.body.iter(f"{W}tbl")
    table = next(t for t in tables if word in "".join(x.text or "" for x in t.iter(f"{W}t")))
    assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"


@pytest.mark.render
def test_filters_make_an_exception_report(sample: Path) -> None:
    text = pdf_text(sample / "sample-exceptions.pdf")
    assert "1.10" in text and "2.2" in text
    assert "1.11" not in text and "2.1" not in text
    assert not (sample / "sample-exceptions.docx").exists()


@pytest.mark.render
def test_same_inputs_give_identical_bytes(sample: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build(Project(PROJECT), Options(out=again, force=True))
    for name in ("sample-paper.pdf", "sample-paper.docx", "sample-paper.html"):
        assert (again / name).read_bytes() == (sample / name).read_bytes(), name


@pytest.mark.render
def test_unchanged_papers_are_skipped_and_changes_rebuild(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    options = Options(out=tmp_path / "out")
    first = build(Project(project), options)
    assert [p.skipped for p in first.papers] == [False, False, False]
    second = build(Project(project), options)
    assert [p.skipped for p in second.papers] == [True, True, True]
    paper = project / "plans" / "papers" / "sample-paper.yaml"
    paper.write_text(paper.read_text().replace("Example Committee 5", "Example Committee 6"))
    third = build(Project(project), options)
    assert {p.id: p.skipped for p in third.papers} == {
        "sample-exceptions": True,
        "sample-initials": True,
        "sample-paper": False,
    }


@pytest.mark.parametrize(
    "chosen",
    [{"paper_ids": ("sample-paper",)}, {"jobs": 1}, {"shard": (2, 2)}],
    ids=["one-paper", "jobs-1", "one-paper-shard"],
)
def test_papers_written_one_at_a_time_are_skipped_when_unchanged(
    tmp_path: Path, chosen: dict
) -> None:
    """One paper, --jobs 1 or a one-paper shard records what it built, as many papers do."""
    options = Options(out=tmp_path / "out", formats=("html",), **chosen)
    first = build(Project(PROJECT), options)
    assert first.papers and not any(p.skipped or p.failed for p in first.papers)
    second = build(Project(PROJECT), options)
    assert [(p.id, p.skipped) for p in second.papers] == [(p.id, True) for p in first.papers]


@pytest.mark.render
def test_a_pdf_build_leaves_no_temporary_files(tmp_path: Path) -> None:
    """WeasyPrint's font copies go to the build folder's private folder, removed at the end."""
    temp = tmp_path / "temp"
    temp.mkdir()
    out = tmp_path / "out"
    result = run_planreport(
        *("build", "--project", str(PROJECT), "--out", str(out), "--format", "pdf"),
        *("--jobs", "2"),
        env={**os.environ, "TMPDIR": str(temp)},
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        ".planreport-build.json",
        ".planreport.lock",
        "sample-exceptions.pdf",
        "sample-paper.pdf",
    ]
    assert list(temp.iterdir()) == []


def test_a_killed_builds_temporaries_go_at_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    stale = out / f"{output.TEMP_PREFIX}99999999" / "weasyprint-abc"
    stale.mkdir(parents=True)
    (stale / "font").write_bytes(b"font")
    build(Project(PROJECT), Options(out=out, paper_ids=("sample-paper",), formats=("html",)))
    assert sorted(p.name for p in out.iterdir()) == [
        ".planreport-build.json",
        ".planreport.lock",
        "sample-paper.html",
    ]


def test_a_build_killed_mid_pdf_leaves_temporaries_the_next_build_removes(
    tmp_path: Path,
) -> None:
    """SIGKILL while WeasyPrint holds its font copies: the next build removes them all."""
    out = tmp_path / "out"
    command = [*planreport_command(), "build", "--project", str(PROJECT), "--out", str(out)]
    run = subprocess.Popen(
        [*command, "--format", "pdf", "--jobs", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    private = out / f"{output.TEMP_PREFIX}{run.pid}"
    try:
        for _ in range(600):  # until WeasyPrint has copied the fonts for the first PDF
            if list(private.glob("weasyprint-*")) or run.poll() is not None:
                break
            time.sleep(0.05)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    assert run.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert private.is_dir(), "the killed build left no temporary folder to remove"
    build(Project(PROJECT), Options(out=out, paper_ids=("sample-paper",), formats=("html",)))
    assert list(out.glob(f"{output.TEMP_PREFIX}*")) == []
    assert (out / "sample-paper.html").is_file()


def test_a_running_processs_temporaries_are_left_alone(tmp_path: Path) -> None:
    """A diff or request using the folder while a build starts keeps its temporary folder."""
    out = tmp_path / "out"
    alive = subprocess.Popen(["sleep", "60"])
    try:
        theirs = out / f"{output.TEMP_PREFIX}{alive.pid}"
        theirs.mkdir(parents=True)
        (theirs / "in-use").write_bytes(b"x")
        build(Project(PROJECT), Options(out=out, paper_ids=("sample-paper",), formats=("html",)))
        assert [p.name for p in theirs.iterdir()] == ["in-use"]
    finally:
        alive.kill()
        alive.wait()


def test_a_killed_process_not_yet_reaped_leaves_temporaries_the_next_build_removes(
    tmp_path: Path,
) -> None:
    """A build killed a moment ago is a zombie until reaped; its folder goes all the same."""
    out = tmp_path / "out"
    killed = subprocess.Popen(["sleep", "60"])
    killed.kill()
    time.sleep(0.2)  # killed, and not yet waited for: the kernel keeps it as a zombie
    try:
        stale = out / f"{output.TEMP_PREFIX}{killed.pid}"
        (stale / "weasyprint-x").mkdir(parents=True)
        build(Project(PROJECT), Options(out=out, paper_ids=("sample-paper",), formats=("html",)))
        assert not stale.exists()
    finally:
        killed.wait()


def _children(pid: int) -> set[int]:
    """The processes whose parent is pid."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.render
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    """A build killed with SIGKILL takes its workers with it: they write no paper after it."""
    out = tmp_path / "out"
    command = [*planreport_command(), "build", "--project", str(PROJECT), "--out", str(out)]
    run = subprocess.Popen(
        [*command, "--format", "pdf", "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    workers: set[int] = set()
    try:
        for _ in range(600):  # until the papers are composed and both workers started
            workers = _children(run.pid)
            if len(workers) >= 2 or run.poll() is not None:
                break
            time.sleep(0.1)
        assert len(workers) >= 2, "the build started no workers"
        run.send_signal(signal.SIGKILL)
        run.wait()
        files = sorted(out.rglob("*"))
        for _ in range(100):
            if not any(_alive(w) for w in workers):
                break
            time.sleep(0.1)
        assert [w for w in workers if _alive(w)] == []
        assert sorted(out.rglob("*")) == files
        assert not list(out.glob("*.pdf"))
    finally:
        for worker in workers:
            if _alive(worker):
                os.kill(worker, signal.SIGKILL)


def test_shards_split_the_papers(tmp_path: Path) -> None:
    ids = []
    for k in (1, 2):
        options = Options(out=tmp_path / str(k), shard=(k, 2), formats=("html",))
        ids.append([p.id for p in build(Project(PROJECT), options).papers])
    assert sorted(ids[0] + ids[1]) == ["sample-exceptions", "sample-initials", "sample-paper"]
    assert (len(ids[0]), len(ids[1])) == (2, 1)


def _project_copy(tmp_path: Path) -> Path:
    """A copy of the example project to change."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    return project


@pytest.mark.render
def test_template_cannot_read_local_files(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    templates = project / "templates"
    original = (ROOT / "src" / "planreport" / "templates" / "paper.html.j2").read_text()
    (templates / "paper.html.j2").write_text(
        original.replace(
            '<main id="main">', '<main id="main"><img src="file:///etc/passwd" alt="x">'
        )
    )
    options = Options(out=tmp_path / "out", paper_ids=("sample-paper",), formats=("pdf",))
    result = build(Project(project), options)
    assert result.failed
    assert "refused to fetch file:///etc/passwd" in result.papers[0].error


def test_missing_word_styles_are_copied_in_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project_copy(tmp_path)
    docx.Document().save(project / "templates" / "reference.docx")  # no Table Text etc.
    monkeypatch.chdir(project)
    out = tmp_path / "out"
    options = Options(out=out, paper_ids=("sample-paper",), formats=("docx", "html"))
    result = build(Project(project), options)
    [paper] = result.papers
    assert not paper.error and len(paper.written) == 2, paper.error
    warning = (
        "templates/reference.docx:1:1: warning: [reference-styles-missing] this reference "
        "document lacks the Word styles Table Text, Table Heading, Table Bullet; papers and "
        "forms use planreport's own."
    )
    assert any(w.startswith(warning) for w in paper.warnings)
    names = {style.name for style in docx.Document(out / "sample-paper.docx").styles}
    assert set(STYLES.values()) <= names
    checked = check.check(Project(project), [], date(2020, 1, 1))
    assert any(
        p.rule == "reference-styles-missing" and p.message.startswith("this reference document")
        for p in checked.problems
    )


def test_request_and_build_say_the_same_of_a_damaged_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planreport.updates.request import Options as RequestOptions
    from planreport.updates.request import request

    project = _project_copy(tmp_path)
    (project / "templates" / "reference.docx").write_bytes(b"not a zip at all")
    monkeypatch.chdir(project)
    options = Options(out=tmp_path / "out", paper_ids=("sample-paper",), formats=("docx",))
    [paper] = build(Project(project), options).papers
    forms = RequestOptions(out=project / "build" / "forms", format="docx", made=date(2020, 1, 1))
    [problem] = request(Project(project), forms).errors
    said = f"{problem.location}: [{problem.rule}] {problem.message}"
    assert said.startswith(
        "templates/reference.docx:1:1: [reference-damaged] this is not a Word document "
        "planreport can open (File is not a zip file)."
    )
    assert paper.error == said


DAMAGED_REFERENCE = (
    "templates/reference.docx:1:1: [reference-damaged] this is not a Word document "
    "planreport can open (File is not a zip file). Save your corporate template from Word "
    "as .docx (or .dotx) into templates/, or delete it to use planreport's own."
)


def test_a_format_that_fails_stops_no_other_and_is_built_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged reference document fails the Word paper only: HTML is still written."""
    project = _project_copy(tmp_path)
    reference = project / "templates" / "reference.docx"
    reference.write_bytes(b"not a zip at all")
    monkeypatch.chdir(project)
    out = tmp_path / "out"
    options = Options(out=out, paper_ids=("sample-paper",), formats=("docx", "html"))
    for _ in range(2):  # the second build tries again: nothing was recorded as built
        [paper] = build(Project(project), options).papers
        assert (paper.skipped, paper.errors, paper.written) == (
            False,
            [DAMAGED_REFERENCE],
            [out / "sample-paper.html"],
        )
        assert "sample-paper" not in output.read_json(out / ".planreport-build.json")
        assert sorted(p.name for p in out.glob("sample-paper.*")) == ["sample-paper.html"]
    reference.unlink()
    [paper] = build(Project(project), options).papers
    assert (paper.errors, len(paper.written)) == ([], 2)
    [paper] = build(Project(project), options).papers
    assert paper.skipped


def test_a_paper_that_fails_forgets_it_was_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Built, then failing in Word with changed text: back to the first text, it is rebuilt.

    Had the first build's record been kept, the last build would skip the paper and leave
    the HTML written by the failing build, with the changed text.
    """
    project = _project_copy(tmp_path)
    monkeypatch.chdir(project)
    out = tmp_path / "out"
    options = Options(out=out, paper_ids=("sample-paper",), formats=("docx", "html"))
    paper_file = project / "plans" / "papers" / "sample-paper.yaml"
    first = paper_file.read_text()
    assert not build(Project(project), options).failed
    paper_file.write_text(first.replace("Example Committee 5", "Example Committee 6"))
    (project / "templates" / "reference.docx").write_bytes(b"not a zip at all")
    [paper] = build(Project(project), options).papers
    assert paper.errors == [DAMAGED_REFERENCE]
    assert "Committee 6" in (out / "sample-paper.html").read_text()
    assert "sample-paper" not in output.read_json(out / ".planreport-build.json")
    paper_file.write_text(first)
    (project / "templates" / "reference.docx").unlink()
    [paper] = build(Project(project), options).papers
    assert (paper.skipped, paper.failed) == (False, False)
    assert "Committee 6" not in (out / "sample-paper.html").read_text()
    assert "Committee 5" in (out / "sample-paper.html").read_text()


def test_build_names_each_format_that_failed_and_what_it_wrote(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    (project / "templates" / "reference.docx").write_bytes(b"not a zip at all")
    out = project / "build"
    result = run_planreport(
        *("build", "--paper", "sample-paper", "--format", "docx", "--format", "html"),
        cwd=project,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"sample-paper: error: {DAMAGED_REFERENCE}",
        f"wrote {out / 'sample-paper.html'}",
        "Built 0 papers, 0 unchanged, 1 failed.",
    ]


def test_atomic_write_keeps_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "paper.pdf"
    target.write_bytes(b"old and good")

    def fail(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", fail)
    with pytest.raises(output.WriteFailed) as failed:
        output.write_atomic(target, b"new")
    assert (failed.value.path, failed.value.rule) == (target, "disk-full")
    assert target.read_bytes() == b"old and good"
    assert [p.name for p in tmp_path.iterdir()] == ["paper.pdf"]


@pytest.mark.parametrize(
    ("code", "rule", "said"),
    [
        (errno.ENOSPC, "disk-full", "the disk is full, so planreport could not write this "
         "file; the files already there are unchanged. Free some space and run the command "
         "again."),
        (errno.EDQUOT, "disk-full", "your share of the disk (its quota) is used up, so "
         "planreport could not write this file; the files already there are unchanged. Free "
         "some of your space, or ask for a larger quota, and run the command again."),
        (errno.EFBIG, "disk-full", "the file would be larger than this disk allows, so "
         "planreport could not write this file; the files already there are unchanged. Run "
         "the command on a disk that takes larger files."),
        (errno.EROFS, "read-only", "the folder is read-only (its disk is mounted read-only), "
         "so planreport could not write this file; the files already there are unchanged. Run "
         "the command on a copy you can write to, or have the disk made writable."),
        (errno.EACCES, "cannot-write", "planreport is not allowed to write in this folder, so "
         "planreport could not write this file; the files already there are unchanged. Check "
         "the folder's permissions and run the command again."),
        (errno.EIO, "cannot-write", "the system refused to write it (Input/output error), so "
         "planreport could not write this file; the files already there are unchanged. Run the "
         "command again."),
    ],
)  # fmt: skip
def test_each_refusal_to_write_is_said_plainly(code: int, rule: str, said: str) -> None:
    failed = output.WriteFailed(Path("build/x.pdf"), code, os.strerror(code))
    assert (failed.rule, failed.message()) == (rule, said)


@pytest.mark.render
def test_two_builds_at_once_give_whole_files(tmp_path: Path) -> None:
    command = [
        str(Path(sys.executable).parent / "planreport"),
        "build",
        "--project",
        str(PROJECT),
        "--out",
        str(tmp_path),
        "--force",
        "--paper",
        "sample-paper",
    ]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)
    ]
    assert [run.wait() for run in runs] == [0, 0]
    with pikepdf.open(tmp_path / "sample-paper.pdf"):
        pass
    docx.Document(tmp_path / "sample-paper.docx")
    assert not list(tmp_path.glob(".*.tmp"))


def test_build_cli_names_outputs_and_problems(tmp_path: Path) -> None:
    result = run_planreport(
        "build",
        "--project",
        str(PROJECT),
        "--out",
        str(tmp_path),
        "--format",
        "html",
        env={"PATH": "/usr/bin:/bin", "CI": "true"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"wrote {tmp_path}/sample-exceptions.html",
        f"wrote {tmp_path}/sample-initials.html",
        f"wrote {tmp_path}/sample-paper.html",
        "Built 3 papers, 0 unchanged, 0 failed.",
    ]
    missing = run_planreport(
        "build", "--project", str(PROJECT), "--paper", "nope", "--out", str(tmp_path)
    )
    assert missing.returncode == 2
    assert "there is no paper 'nope'" in missing.stderr


@pytest.mark.render
def test_bad_paper_definition_is_located(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    paper = project / "plans" / "papers" / "sample-paper.yaml"
    paper.write_text(
        paper.read_text()
        .replace("layout: standard", "layout: standerd")
        .replace("plans: [sample]", "plans: [sampel]")
    )
    result = run_planreport(
        "build",
        "--project",
        str(project),
        "--out",
        str(tmp_path / "out"),
    )
    assert result.returncode == 1
    assert f"{paper}:2:9: error: [unknown-plan] there is no plan 'sampel'" in result.stdout.replace(
        str(project.resolve()), str(project)
    )
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.render
@libreoffice
@pytest.mark.parametrize("paper", PAPERS)
def test_word_in_libreoffice_has_the_pdf_content_in_0_8_to_1_25x_its_pages(
    example_papers: Path, paper: str, tmp_path: Path
) -> None:
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(example_papers / f"{paper}.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    rendered = tmp_path / f"{paper}.pdf"
    word_pages = len(pypdf.PdfReader(rendered).pages)
    pdf_pages = len(pypdf.PdfReader(example_papers / f"{paper}.pdf").pages)
    # One page either way for a short paper: a table's rows lay out a little shorter in
    # Word, so a 3-page PDF may be 2 pages there (Derby's exception report).
    low, high = min(0.8 * pdf_pages, pdf_pages - 1), max(1.25 * pdf_pages, pdf_pages + 1)
    assert low <= word_pages <= high, (word_pages, pdf_pages)
    text = pdf_text(rendered)
    seen, joined = Counter(text.split()), "".join(text.split())
    missing = [  # a word broken over two lines after a hyphen or slash is still there
        w
        for w in Counter(html_words(example_papers / f"{paper}.html", printed=True)) - seen
        if not all(seen[p] or seen[p.rstrip("-/")] for p in re.split(r"(?<=[-/])", w) if p)
        and w not in joined
    ]
    assert not missing, missing[:5]


@pytest.mark.render
def test_initials_come_with_a_key(sample: Path) -> None:
    html = (sample / "sample-initials.html").read_text()
    assert "<h2>Lead officers</h2>" in html
    assert re.search(
        r'<th scope="row"><p>NM</p></th><td><p>Nina Martin</p></td><td><p>Head of Quality Assurance</p></td>',
        html,
    )
    assert (
        "SMcL</p></td>" in html
    )  # shown as initials in the table; no key row, as nothing more is known
    assert "<p>SMcL</p></th>" not in html


def test_a_broken_paper_asked_for_shows_its_error(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    (project / "plans" / "papers" / "broken.yaml").write_text(
        "plans: [sample]\nas_at: 2012-02\nlayout: standard\n"
    )
    args = [
        "build",
        "--project",
        str(project),
        "--out",
        str(tmp_path / "out"),
    ]
    broken = run_planreport(*args, "--paper", "broken")
    assert broken.returncode == 1
    assert "broken.yaml:2:8: error: [date-not-a-day] '2012-02' is not a single day" in broken.stdout
    other = run_planreport(*args, "--paper", "sample-paper", "--format", "html")
    assert other.returncode == 0, other.stdout
    assert "broken.yaml" not in other.stdout


def test_build_never_renders_what_check_rejects(tmp_path: Path) -> None:
    """A plan error check reports stops the papers built from that plan, reported alike."""
    project = _project_copy(tmp_path)
    plan = project / "plans" / "sample.yaml"
    plan.write_text(plan.read_text().replace("leads: [nina-martin]", "leads: [nina-martn]", 1))
    checked = run_planreport("check", "--as-at", "2012-01-01", cwd=project)
    error = next(line for line in checked.stdout.splitlines() if ": error: " in line)
    assert error.startswith("plans/sample.yaml:30:13: error: [unknown-lead] 'nina-martn'")
    built = run_planreport("build", "--format", "html", cwd=project, env={"PATH": "/usr/bin:/bin"})
    assert built.returncode == 1
    lines = built.stdout.splitlines()
    assert lines.count(error) == 3  # once for each of the three papers on the plan
    assert lines[-1] == "Built 0 papers, 0 unchanged, 3 failed."
    assert not list((project / "build").glob("*.html"))


def test_check_accepts_every_paper_and_layout_named_directly() -> None:
    paths = [*sorted((ROOT / "plans" / "papers").glob("*.yaml"))]
    paths += sorted((ROOT / "templates" / "layouts").glob("*.yaml"))
    result = run_planreport("check", "--as-at", "2020-01-01", *map(str, paths))
    assert result.returncode == 0, result.stdout
    # the sources name Derby's and Stockton's leads by initials only, and use abbreviations
    # of local teams and systems they never explain (issue 20); the glossaries define the
    # rest
    unnamed = [
        line.split(": warning: ")[0] + " " + line.split("] ")[0].split("[")[1]
        for line in result.stdout.splitlines()[:-1]
    ]
    assert unnamed == [
        "plans/papers/derby-cyp-improvement-2011-12.yaml:1:1 unexplained-abbreviation",
        "plans/papers/derby-cyp-improvement-2011-12.yaml:1:1 unnamed-initials",
        "plans/papers/stockton-ofsted-2013-09.yaml:1:1 unexplained-abbreviation",
        "plans/papers/stockton-ofsted-2013-09.yaml:1:1 unnamed-initials",
        "templates/layouts/recommendation-sections.yaml:27:5 empty-leads-key",
    ]
    assert result.stdout.endswith(
        "Checked 5 papers and 5 layouts in 35 files: 0 errors, 5 warnings.\n"
    )


def test_formats_come_from_the_writers_registry() -> None:
    """The CLI's --format choices, the paper schema and the build all use the registry."""
    import json

    from planreport import writers

    schema = json.loads((ROOT / "schema" / "paper.schema.json").read_text())
    assert tuple(schema["properties"]["formats"]["items"]["enum"]) == writers.names()
    result = run_planreport("build", "--format", "odt")
    assert result.returncode == 2
    choices = ", ".join(f"'{name}'" for name in writers.names())
    assert f"invalid choice: 'odt' (choose from {choices})" in result.stderr


def test_templates_run_sandboxed_and_cannot_include_outside_files(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    templates = project / "templates"
    original = (ROOT / "src" / "planreport" / "templates" / "paper.html.j2").read_text()
    (templates / "paper.html.j2").write_text(
        original.replace(
            '<main id="main">',
            "<main id=main>{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        )
    )
    options = Options(out=tmp_path / "out", paper_ids=("sample-paper",), formats=("html",))
    result = build(Project(project), options)
    assert "template error: the template did something not allowed" in result.papers[0].error
    (templates / "secret.html").symlink_to("/etc/passwd")
    (templates / "paper.html.j2").write_text(
        original.replace('<main id="main">', '<main id="main">{% include "secret.html" %}')
    )
    result = build(Project(project), options)
    assert "secret.html: this is a link to /etc/passwd, which is outside the project" in (
        result.papers[0].error
    )
    assert not (tmp_path / "out" / "sample-paper.html").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not a zip at all", "is not a Word document planreport can open"),
        (None, "is not a Word document planreport can open"),  # truncated
        ("bomb", "unpacks to 60 MiB; a reference document needs far less"),
    ],
)
def test_a_broken_reference_document_is_named(tmp_path: Path, content, expected: str) -> None:
    import io
    import zipfile

    project = _project_copy(tmp_path)
    reference = project / "templates" / "reference.docx"
    good = (ROOT / "src" / "planreport" / "templates" / "reference.docx").read_bytes()
    if content is None:
        content = good[: len(good) // 2]
    elif content == "bomb":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            package.writestr("word/big.bin", b"\0" * (60 * 1024 * 1024))
        content = buffer.getvalue()
    reference.write_bytes(content)
    options = Options(out=tmp_path / "out", paper_ids=("sample-paper",), formats=("docx",))
    result = build(Project(project), options)
    assert expected in result.papers[0].error
    assert "Traceback" not in result.papers[0].error
