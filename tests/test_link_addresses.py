"""A link in plan or cover text is printed with its address in the PDF and Word papers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import W, pdf_text

PAPER = "nottingham-city-iicsa-2019"
URL = (
    "https://www.iicsa.org.uk/reports-recommendations/publications/investigation/"
    "nottinghamshire-councils"
)
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.mark.render
def test_the_pdf_prints_the_address_after_the_link_text(example_papers: Path) -> None:
    text = "".join(pdf_text(example_papers / f"{PAPER}.pdf").split())
    assert f"Thefullreportcanbefoundhere({URL})." in text


@pytest.mark.render
def test_word_prints_the_address_after_the_hyperlink(example_papers: Path) -> None:
    with zipfile.ZipFile(example_papers / f"{PAPER}.docx") as package:
        body = etree.fromstring(package.read("word/document.xml"))
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    (link,) = [h for h in body.iter(f"{W}hyperlink") if h.get(f"{R}id")]
    assert "".join(t.text for t in link.iter(f"{W}t")) == "The full report can be found here"
    targets = {r.get("Id"): r.get("Target") for r in rels}
    assert targets[link.get(f"{R}id")] == URL
    after = link.getnext()
    assert after.tag == f"{W}r" and after.find(f"{W}rPr/{W}u") is None  # not underlined
    assert "".join(t.text for t in after.iter(f"{W}t")) == f" ({URL})"


@pytest.mark.render
def test_the_web_page_keeps_the_link_alone(example_papers: Path) -> None:
    html = (example_papers / f"{PAPER}.html").read_text(encoding="utf-8")
    assert f'<a href="{URL}">The full report can be found here</a>.' in html
    assert f"({URL})" not in html
