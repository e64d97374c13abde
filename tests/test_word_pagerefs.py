"""Word's page references: each shows the page its heading is on, laid out by LibreOffice."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree

from tests.conftest import W
from tests.import_fixtures import through_libreoffice
from tests.marks import libreoffice

DERBY = "derby-cyp-improvement-2011-12"


def references(path: Path) -> list[tuple[str, str]]:
    """Each page reference in a Word file, in order: its heading's text and its cached page."""
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    headings = {
        mark.get(f"{W}name"): "".join(t.text or "" for t in mark.getparent().iter(f"{W}t"))
        for mark in body.iter(f"{W}bookmarkStart")
    }
    out = []
    for link in body.iter(f"{W}hyperlink"):
        if link.find(f".//{W}instrText") is not None:
            cached = [t.text for t in link.iter(f"{W}t")][-1]
            out.append((headings[link.get(f"{W}anchor")], cached))
    return out


@pytest.mark.render
@libreoffice
def test_each_page_reference_is_the_page_of_its_heading_in_libreoffice(
    example_papers: Path, tmp_path: Path
) -> None:
    """LibreOffice computes each field; the cached result Word shows until it does agrees."""
    source = example_papers / f"{DERBY}.docx"
    rendered = through_libreoffice(source, tmp_path, "pdf")
    pages = ["".join(page.extract_text().split()) for page in pypdf.PdfReader(rendered).pages]
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(rendered).pages)
    shown = re.findall(r"\bPage\s+(\d+)\b(?!\s*of)", text)  # not the footer's "Page 3 of 40"
    wanted = references(source)
    assert len(wanted) == 24
    where = []
    for heading, _ in wanted:
        squeezed = "".join(heading.split())
        where.append(str(next(n for n, page in enumerate(pages, 1) if squeezed in page)))
    assert shown == where
    assert [cached for _, cached in wanted] == where  # the estimate, before Word updates
    # 19 action plans (some share a page, as in the PDF), all after the summary
    assert len({heading for heading, _ in wanted}) == 19
    assert min(map(int, where)) > max(
        n for n, page in enumerate(pages, 1) if "Pagereferenceforactionplan" in page
    )
