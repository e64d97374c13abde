"""PDF: a cell spanning rows over many pages is cut at every page, named on each.

WeasyPrint lays a spanning cell over page breaks as one cell, blank at the top of each
later page. The PDF writer finds every page a span crosses and cuts it there in one
pass, each later page's piece naming the theme with "(continued)" (writers/pdf/rows.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planreport.commands.build import Options, build
from planreport.paper import model
from planreport.plan.richtext import plain
from planreport.project import Project
from planreport.writers import pdf
from planreport.writers.pdf.rows import continue_spans
from tests.test_word_spans import LONG_THEME, theme_column, themes

PAPER = "long-theme-paper"


def _build(out: Path) -> list[str]:
    """Build the long-theme case's paper as PDF into out; the paper's warnings."""
    result = build(Project(LONG_THEME), Options(out=out, force=True, formats=("pdf",), jobs=1))
    assert not result.failed, [(p.id, p.error) for p in result.papers]
    (paper,) = result.papers
    return paper.warnings


@pytest.fixture(scope="module")
def long_theme(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """tests/cases/long-theme's paper as PDF (a theme of fourteen actions over six pages)."""
    out = tmp_path_factory.mktemp("long-theme-pdf")
    warnings = _build(out)
    return out / f"{PAPER}.pdf", warnings


@pytest.mark.render
def test_every_page_a_long_theme_runs_onto_names_it_continued(
    long_theme: tuple[Path, list[str]],
) -> None:
    path, warnings = long_theme
    assert warnings == []
    theme_of = themes(LONG_THEME / "plans" / "long-theme.yaml")
    continued, last = 0, None
    for number, rows in enumerate(theme_column(path), start=1):
        for k, (ref, _, shown) in enumerate(rows):
            words = theme_of[ref].split()
            same = theme_of[ref] == (theme_of[rows[k - 1][0]] if k else last)
            if k == 0:  # no page starts with a blank theme cell
                assert shown[: len(words)] == words, (number, ref, shown)
                assert shown[len(words) :] == (["(continued)"] if same else []), (number, shown)
                continued += same
            elif same:  # below the top of the page the theme's cell goes on, blank
                assert shown == [], (number, ref, shown)
        last = theme_of[rows[-1][0]] if rows else last
    assert continued >= 5  # the fourteen actions run onto at least five more pages


@pytest.mark.render
def test_a_paper_still_divided_after_the_last_layout_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "ATTEMPTS", 1)  # no layout left to cut the spans in
    assert _build(tmp_path) == [
        f"{PAPER}.pdf: warning: [span-over-page] in table 'Action plan by theme', a row or a "
        "cell spanning rows still runs over a page break after the last layout planreport "
        "tries (1), so a page may start with it blank or cut. Shorten the longest rows of that "
        "table, or give its longest theme fewer actions."
    ]


def test_a_span_is_cut_at_every_page_in_one_pass() -> None:
    theme = model.Cell(plain("Governance and scrutiny"), rowspan=6, row_header=True)
    rows = [model.Row([theme, model.Cell(plain("a"))])]
    rows += [model.Row([model.Cell(plain(x))]) for x in "bcdef"]
    table = model.Table("t", [model.Column(h, 50) for h in "xy"], rows)
    done = continue_spans(table, [(0, 0, [4, 2])])
    assert [r.cells[0].rowspan for r in done.rows] == [2, 1, 2, 1, 2, 1]
    firsts = [r.cells[0].content.plain() for r in done.rows]
    again = "Governance and scrutiny (continued)"
    assert firsts == ["Governance and scrutiny", "b", again, "d", again, "f"]


def test_spans_in_two_columns_cut_at_the_same_row_keep_their_columns() -> None:
    """A status span starting on the row where the theme is continued stays in column two."""
    theme = model.Cell(plain("Theme"), rowspan=4)
    status = model.Cell(status=model.Swatch("On track", "#00B050"), rowspan=2)
    rows = [
        model.Row([theme, model.Cell(plain("a")), model.Cell(plain("a3"))]),
        model.Row([model.Cell(plain("b")), status, model.Cell(plain("b3"))]),
        model.Row([model.Cell(plain("c")), model.Cell(plain("c3"))]),
        model.Row([model.Cell(plain("d")), model.Cell(plain("d2")), model.Cell(plain("d3"))]),
    ]
    table = model.Table("t", [model.Column(h, 25) for h in "wxyz"], rows)
    done = continue_spans(table, [(0, 0, [1]), (1, 1, [2])])
    shown = [
        [c.content.plain() or (c.status and c.status.label) for c in r.cells] for r in done.rows
    ]
    assert shown == [
        ["Theme", "a", "a3"],
        ["Theme (continued)", "b", "On track", "b3"],
        ["c", " (continued)", "c3"],
        ["d", "d2", "d3"],
    ]
    assert [c.rowspan for c in done.rows[1].cells] == [3, 1, 1, 1]
