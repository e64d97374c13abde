"""Import accuracy on held-out files: plans the import code was not written from.

tests/heldout_files.py writes two plans (tests/heldout_content.py) in the styles councils
use, Word, Excel, CSV and PDF, some saved again through LibreOffice; each import is scored
field by field against the truth kept beside the file (tests/heldout_score.py). The issue's
bar: every action found and no others, recommendation numbers kept, leads, statuses, dates
and themes right at least 95% of the time, no date invented. `benchmarks/import_accuracy.py`
prints the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import heldout_files, heldout_score
from tests.import_fixtures import through_libreoffice
from tests.marks import libreoffice

_OFFICE = [style for style, (_w, _c, suffix) in heldout_files.STYLES.items() if suffix != "pdf"]


def _assert_meets_the_bar(scores: list[heldout_score.Score]) -> None:
    """Every action found, none extra, numbers kept, no date invented, fields at 95% or more."""
    total = sum(s.expected for s in scores)
    assert [(s.style, s.found, s.extra) for s in scores] == [
        (s.style, s.expected, []) for s in scores
    ]
    assert [(s.style, s.right["recommendation"]) for s in scores] == [
        (s.style, s.expected) for s in scores
    ], [s.wrong for s in scores]
    assert [s.invented for s in scores] == [[] for _ in scores]
    for name in heldout_score.FIELDS:
        right = sum(s.right[name] for s in scores)
        assert right / total >= 0.95, (name, [w for s in scores for w in s.wrong])


def test_every_style_meets_the_bar(tmp_path: Path) -> None:
    scores = [
        heldout_score.score(style, *heldout_files.make(style, tmp_path / "files"), tmp_path / style)
        for style in _OFFICE
    ]
    _assert_meets_the_bar(scores)
    assert sum(s.expected for s in scores) == 72


@pytest.mark.render
def test_a_pdf_printed_from_html_meets_the_bar(tmp_path: Path) -> None:
    source, truth = heldout_files.make("pdf-weasyprint", tmp_path / "files")
    _assert_meets_the_bar([heldout_score.score("pdf", source, truth, tmp_path / "pdf")])


@libreoffice
@pytest.mark.parametrize("style", [s for s in _OFFICE if not s.startswith("csv")])
def test_saved_again_by_libreoffice(style: str, tmp_path: Path) -> None:
    made, truth = heldout_files.make(style, tmp_path / "made")
    source = through_libreoffice(made, tmp_path / "in", made.suffix[1:])
    _assert_meets_the_bar([heldout_score.score(style, source, truth, tmp_path / "repository")])


def test_the_score_sees_a_wrong_field(tmp_path: Path) -> None:
    """The scorer is not blind: a changed status and a coarser date are wrong, the date invented."""
    source, truth = heldout_files.make("csv-utf8-bom", tmp_path / "files")
    truth[0].status, truth[1].due = "Red", "2024-06"
    result = heldout_score.score("changed", source, truth, tmp_path / "repository")
    assert (result.right["status"], result.right["due"]) == (8, 8)
    assert result.wrong == [
        "status: Introduce the two-year integrated review: expected 'Red', read 'Green'",
        "due: Train early years practitioners in the g: expected '2024-06', read '2024-06-30'",
    ]
    assert result.invented == [
        "Train early years practitioners in the g: '2024-06' read as '2024-06-30'"
    ]
