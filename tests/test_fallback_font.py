"""The fallback font and the located warning for a character no font has (issue 8).

What Liberation Sans lacks is drawn from the packaged DejaVu Sans; what neither has is a
warning at the file, line and column where it is written, and never fails the build.
"""

from __future__ import annotations

import os
from pathlib import Path

import pikepdf
import pytest

from planreport.commands.build import Options, build
from planreport.project import Project, display
from planreport.writers import fonts
from tests.conftest import docx_text, pdf_text, run_planreport

PEOPLE = """people:
  jo: {name: Jo Bloggs, role: Head of Service}
"""

# {one}, {two}, {three}: what the test writes in the first action, an update and a note.
PLAN = """title: Symbols in a plan
status_scheme:
  levels:
    - {key: done, label: Done, colour: "#0070C0", done: true}
    - {key: going, label: Going, colour: "#00B050", on_track: true}
recommendations:
  - {ref: "1", text: Keep the register up to date.}
actions:
  - ref: "1.1"
    addresses: ["1"]
    text: Check the register {one} every month.
    leads: [jo]
    due: 2020-01
    updates:
      - {date: 2019-12-01, text: "Audit done {two} and filed.", status: going}
  - ref: "1.2"
    addresses: ["1"]
    text: |
      Report to the board.

      Second paragraph {three} here.
    leads: [jo]
    due: 2020-03
    updates:
      - {date: 2019-12-02, text: Started., status: going}
"""

PAPER = """plans: [symbols]
subtitle: Update {subtitle}
as_at: 2019-12-31
layout: standard
formats: [pdf, html, docx]
"""


def _project(folder: Path, subtitle: str = "", **text: str) -> Path:
    """A one-plan project whose plan has the given text in its placeholders."""
    plans = folder / "plans"
    (plans / "papers").mkdir(parents=True)
    (plans / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    plan = PLAN
    for key in ("one", "two", "three"):
        plan = plan.replace("{" + key + "}", text.get(key, ""))
    (plans / "symbols.yaml").write_text(plan, encoding="utf-8")
    paper = PAPER.replace("{subtitle}", subtitle or "for the board")
    (plans / "papers" / "symbols.yaml").write_text(paper, encoding="utf-8")
    return folder


def _build(folder: Path, out: Path, formats: tuple[str, ...] = ("pdf",)):
    result = build(Project(folder), Options(out=out, force=True, formats=formats))
    (paper,) = result.papers
    assert not paper.failed, (paper.error, paper.problems)
    return paper


def _font_names(pdf: Path) -> set[str]:
    """The base names of the fonts a PDF embeds, without the subset tag (ABCDEF+)."""
    names = set()
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                names.add(str(font.BaseFont).split("+", 1)[-1].lstrip("/"))
    return names


def _position(path: Path, ch: str, nth: int = 1) -> tuple[int, int]:
    """The line and column (from 1, in characters) of the nth ch in a file."""
    index = -1
    text = path.read_text(encoding="utf-8")
    for _ in range(nth):
        index = text.index(ch, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


@pytest.mark.render
def test_ticks_and_boxes_come_from_the_fallback_font_with_no_warning(tmp_path: Path) -> None:
    folder = _project(tmp_path / "project", one="✓ ☐", two="✔ ☑ ✗", three="★ → ☒")
    out = tmp_path / "out"
    paper = _build(folder, out, ("pdf", "html", "docx"))
    assert paper.warnings == []
    names = _font_names(out / "symbols.pdf")
    assert "DejaVu-Sans" in names and "Liberation-Sans" in names, names
    text = pdf_text(out / "symbols.pdf")
    for ch in "✓☐✔☑✗★→☒":
        assert ch in text, ch
    assert "Check the register ✓ ☐ every month." in " ".join(text.split())
    # Word and the screen HTML are left to the reader's own fonts, which find one for each
    assert any("Check the register ✓ ☐ every month." in t for t in docx_text(out / "symbols.docx"))
    assert "DejaVu" not in (out / "symbols.html").read_text(encoding="utf-8")


@pytest.mark.render
def test_a_paper_with_the_fallback_has_the_same_bytes_on_a_machine_with_no_fonts(
    tmp_path: Path,
) -> None:
    """Whether or not DejaVu Sans is installed, the PDF comes from the packaged file alone."""
    folder = _project(tmp_path / "project", one="✓ ☐", three="★ ✅")
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n', encoding="utf-8")
    built = []
    for extra in ({}, {"FONTCONFIG_FILE": str(empty)}):
        out = tmp_path / f"out{len(built)}"
        env = {**os.environ, **extra}
        done = run_planreport("build", "--format", "pdf", "--out", str(out), cwd=folder, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
        built.append((out / "symbols.pdf").read_bytes())
    assert built[0] == built[1]
    again = _build(folder, tmp_path / "again")
    assert (tmp_path / "again" / "symbols.pdf").read_bytes() == built[0]
    assert len(again.warnings) == 1


@pytest.mark.render
def test_an_ordinary_paper_does_not_load_the_fallback(tmp_path: Path) -> None:
    out = tmp_path / "out"
    paper = _build(_project(tmp_path / "project"), out)
    assert paper.warnings == []
    names = _font_names(out / "symbols.pdf")
    assert names and all(n.startswith("Liberation-Sans") for n in names), names


@pytest.mark.render
def test_a_character_in_neither_font_is_a_warning_where_it_is_written(tmp_path: Path) -> None:
    folder = _project(tmp_path / "project", two="✅", three="✅ and ✓")
    out = tmp_path / "out"
    paper = _build(folder, out)
    assert (out / "symbols.pdf").exists()
    plan = folder / "plans" / "symbols.yaml"
    line, col = _position(plan, "✅")
    assert len(paper.warnings) == 1, paper.warnings
    (warning,) = paper.warnings
    shown = display(plan)
    assert warning.startswith(f"{shown}:{line}:{col}: warning: [missing-glyph] "), warning
    assert "U+2705" in warning and "the row 1.1" in warning
    assert "Liberation Sans" in warning and "DejaVu Sans" in warning
    assert "It is in 1 more value in this file." in warning
    assert "DejaVu-Sans" in _font_names(out / "symbols.pdf")  # for the ✓ beside it
    assert "✓" in pdf_text(out / "symbols.pdf")


@pytest.mark.render
def test_a_character_in_a_block_of_text_is_located_on_its_own_line(tmp_path: Path) -> None:
    folder = _project(tmp_path / "project", three="\U0001f642")
    paper = _build(folder, tmp_path / "out")
    plan = folder / "plans" / "symbols.yaml"
    line, col = _position(plan, "\U0001f642")
    assert [w.split(": warning:")[0] for w in paper.warnings] == [f"{display(plan)}:{line}:{col}"]


@pytest.mark.render
def test_a_character_in_a_comment_or_a_value_the_paper_leaves_out_is_passed_over(
    tmp_path: Path,
) -> None:
    folder = _project(tmp_path / "project", three="\U0001f642 shown")
    plan = folder / "plans" / "symbols.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("title: Symbols", "# \U0001f642 a comment\ntitle: Symbols", 1)
    plan.write_text(text, encoding="utf-8")
    paper = _build(folder, tmp_path / "out")
    line, col = _position(plan, "\U0001f642", nth=2)
    (warning,) = paper.warnings
    assert warning.startswith(f"{display(plan)}:{line}:{col}: "), warning


@pytest.mark.render
def test_a_character_in_the_paper_file_is_located_there(tmp_path: Path) -> None:
    folder = _project(tmp_path / "project", subtitle="for the board \U0001f642")
    paper = _build(folder, tmp_path / "out")
    spec = folder / "plans" / "papers" / "symbols.yaml"
    line, col = _position(spec, "\U0001f642")
    (warning,) = paper.warnings
    assert warning.startswith(f"{display(spec)}:{line}:{col}: warning: ["), warning
    assert "the title" in warning


@pytest.mark.render
def test_a_character_written_as_an_escape_is_located_at_its_value(tmp_path: Path) -> None:
    folder = _project(tmp_path / "project")
    plan = folder / "plans" / "symbols.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("Started.", '"Started \\U0001F642."'), encoding="utf-8")
    paper = _build(folder, tmp_path / "out")
    line, col = _position(plan, '"Started')
    (warning,) = paper.warnings
    assert warning.startswith(f"{display(plan)}:{line}:{col}: "), warning


@pytest.mark.render
def test_the_build_command_prints_the_warning_as_a_located_line(tmp_path: Path) -> None:
    folder = _project(tmp_path / "project", two="✅")
    result = run_planreport("build", "--format", "pdf", cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    line, col = _position(folder / "plans" / "symbols.yaml", "✅")
    expected = f"plans/symbols.yaml:{line}:{col}: warning: [missing-glyph] the row 1.1"
    assert expected in result.stdout, result.stdout


def test_the_fallback_font_covers_what_plans_use_and_ships_with_its_licence() -> None:
    (face,) = fonts.faces(fonts.FALLBACK_FAMILY, [fonts.PACKAGED])
    assert (face.weight, face.italic) == (400, False)
    licence = (fonts.PACKAGED / "DejaVu-LICENSE.txt").read_text(encoding="utf-8")
    assert "Bitstream Vera" in licence and "DejaVu changes are in public domain" in licence
    symbols = "✓✔✗✘☐☑☒●■▲►★☆→←⇒•◦○□△▼◆♦✱❖➔➤⬤①②③ⅠⅡ℃≤≥≠±×÷∞√"
    found = fonts.glyphs(symbols, fonts.DEFAULT_FAMILY, [fonts.PACKAGED])
    assert found.fallback == fonts.FALLBACK_FAMILY and found.missing == ()


@pytest.mark.parametrize(
    ("text", "fallback", "missing"),
    [
        ("Plain text, £5 – “quoted” – Ελληνικά, Кириллица", None, ()),
        ("Done ✓", "DejaVu Sans", ()),
        ("Done ✅", None, ("✅",)),
        ("Done ✅ ✓", "DejaVu Sans", ("✅",)),
        ("Warning ⚠\ufe0f", "DejaVu Sans", ()),  # the emoji variation selector draws nothing
    ],
)
def test_which_characters_need_the_fallback(
    text: str, fallback: str | None, missing: tuple[str, ...]
) -> None:
    found = fonts.glyphs(text, fonts.DEFAULT_FAMILY, [fonts.PACKAGED])
    assert (found.fallback, found.missing) == (fallback, missing)


@pytest.mark.render
def test_a_project_template_without_the_font_rules_still_gets_the_fallback(
    tmp_path: Path,
) -> None:
    """A council's copy of an older paper.html.j2 (no {{ fonts }}): the PDF adds the rules."""
    folder = _project(tmp_path / "project", one="✓ ☐")
    own = folder / "templates"
    own.mkdir()
    template = (fonts.PACKAGED.parent / "templates" / "paper.html.j2").read_text()
    assert "{{ fonts | safe }}" in template
    (own / "paper.html.j2").write_text(template.replace("{{ fonts | safe }}", ""))
    out = tmp_path / "out"
    paper = _build(folder, out)
    assert paper.warnings == []
    assert "DejaVu-Sans" in _font_names(out / "symbols.pdf")
    assert "Check the register ✓ ☐ every month." in pdf_text(out / "symbols.pdf")


def test_sources_are_read_only_from_inside_the_project(tmp_path: Path) -> None:
    """Locating a character never reads a file outside the project, even through a link."""
    from planreport.writers import pdf as pdf_writer

    outside = tmp_path / "outside.yaml"
    outside.write_text("title: secret ✅\n", encoding="utf-8")
    project = tmp_path / "project"
    (project / "plans").mkdir(parents=True)
    link = project / "plans" / "plan.yaml"
    link.symlink_to(outside)
    inside = project / "plans" / "other.yaml"
    inside.write_text("title: mine ✅\n", encoding="utf-8")
    assert pdf_writer._source_text(link, project.resolve()) is None
    assert pdf_writer._source_text(inside, project.resolve()) == "title: mine ✅\n"
    assert pdf_writer._source_text(inside, None) is None
