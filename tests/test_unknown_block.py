"""A block of a kind a writer does not know is left out with a warning, never silently."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from planreport import writers
from planreport.paper.model import Heading, Paper, Text, kind
from planreport.plan.richtext import Para, Rich, Run
from planreport.project import packaged_templates

MOMENT = datetime(2020, 1, 31, 12, tzinfo=UTC)


@dataclass
class Quote:
    """A made-up kind of block, which no writer knows."""

    text: str


@dataclass
class Aside(Text):
    """A made-up kind of text block: written as the text it derives from."""


def _paper(*blocks: object) -> Paper:
    """A paper of a heading, then blocks."""
    return Paper(
        "odd", "An odd paper", None, "Odd", [], None, "en-GB", False, [Heading(1, "Hi"), *blocks]
    )


def _text(data: bytes, name: str) -> str:
    """A writer's output as text: the HTML, or the Word document's main part."""
    if name != "docx":
        return data.decode("utf-8", errors="replace")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize("name", ["docx", "html", "pdf"])
def test_a_block_of_an_unknown_kind_is_left_out_with_a_warning(name: str) -> None:
    own = packaged_templates()
    context = writers.RenderContext((own,), own / "reference.docx", MOMENT)
    writers.take_warnings()
    data = writers.get(name).write(_paper(Quote("Unquotable words")), context)
    warnings = writers.take_warnings()
    assert warnings == [
        f"odd.{name}: warning: [unknown-block] this paper has a block of a kind planreport "
        "cannot write (Quote), so it is left out. This is a planreport bug: please report it."
    ]
    if name != "pdf":
        assert "Hi" in _text(data, name)
        assert "Unquotable" not in _text(data, name)


@pytest.mark.parametrize("name", ["docx", "html"])
def test_a_block_deriving_from_a_known_kind_is_written_as_that_kind(name: str) -> None:
    own = packaged_templates()
    context = writers.RenderContext((own,), own / "reference.docx", MOMENT)
    aside = Aside(Rich((Para((Run("Quietly said"),)),)), "body")
    assert kind(aside) == "text"
    writers.take_warnings()
    data = writers.get(name).write(_paper(aside), context)
    assert writers.take_warnings() == []
    assert "Quietly said" in _text(data, name)
