"""Committee-grade counts from a tagged PDF's structure tree (for the tests).

The counting logic of the project's pdfcheck tool, kept here so the tests depend on
nothing outside the repository:

- split rows: tagged body rows (TR with a TD) in the PDF minus body rows in the HTML
  built beside it (WeasyPrint tags each page's fragment of a row as a row), plus rows
  whose content lies on more than one page (after planreport merges the fragments);
- stranded headings: a heading (H1 to H6) on a page before the page where the next
  element (or its first body row) starts;
- figures, and how many carry /Alt; tables; the fonts embedded; the page count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pikepdf

HEADINGS = ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")


@dataclass
class Counts:
    """What one PDF holds."""

    pages: int = 0
    rows: int = 0
    html_rows: int | None = None
    rows_over_pages: list[str] = field(default_factory=list)  # text of rows on 2+ pages
    stranded: list[str] = field(default_factory=list)  # text of stranded headings
    headings: int = 0
    tables: int = 0
    figures: int = 0
    figures_alt: list[str] = field(default_factory=list)
    fonts: list[str] = field(default_factory=list)

    @property
    def split_rows(self) -> int:
        """Rows split over a page break."""
        fragments = self.rows - self.html_rows if self.html_rows is not None else 0
        return fragments + len(self.rows_over_pages)


def _is(node: object, kind: str) -> bool:
    return isinstance(node, pikepdf.Dictionary) and str(node.get("/S", "")) == kind


def _kids(node: pikepdf.Dictionary) -> list:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _elements(node: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    return [
        k
        for k in _kids(node)
        if isinstance(k, pikepdf.Dictionary) and k.get("/Type") not in ("/MCR", "/OBJR")
    ]


def pages_of(node: pikepdf.Dictionary, index: dict, inherited: int | None = None) -> set[int]:
    """The pages a structure element's content lies on."""
    out: set[int] = set()
    page = node.get("/Pg")
    here = index.get(page.objgen) if page is not None else inherited
    for kid in _kids(node):
        if isinstance(kid, int) or (
            isinstance(kid, pikepdf.Object) and kid._type_code == pikepdf.ObjectType.integer
        ):
            if here is not None:
                out.add(here)
        elif isinstance(kid, pikepdf.Dictionary):
            kind = kid.get("/Type")
            if kind == "/MCR":
                p = kid.get("/Pg")
                out.add(index.get(p.objgen) if p is not None else here)
            elif kind == "/OBJR":
                p = kid.get("/Pg")
                if p is not None:
                    out.add(index.get(p.objgen))
            else:
                out |= pages_of(kid, index, here)
    out.discard(None)
    return out


def is_body_row(row: pikepdf.Dictionary) -> bool:
    """A TR with at least one TD (not a header row)."""
    return any(_is(k, "/TD") for k in _elements(row))


def walk(node: pikepdf.Dictionary, visit, depth: int = 0) -> None:
    """Call visit on node and every structure element under it."""
    if depth > 200 or not isinstance(node, pikepdf.Dictionary):
        return
    visit(node)
    for kid in _elements(node):
        walk(kid, visit, depth + 1)


def first_body_row(node: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    """The first body row under node."""
    found: list = []

    def visit(n: pikepdf.Dictionary) -> None:
        if not found and _is(n, "/TR") and is_body_row(n):
            found.append(n)

    walk(node, visit)
    return found[0] if found else None


def text_of(node: pikepdf.Dictionary, pdf: pikepdf.Pdf | None = None) -> str:
    """A short label for an element: its /Alt, /ID or type."""
    return str(node.get("/Alt", node.get("/ID", node.get("/S", ""))))


class _HtmlRows(HTMLParser):
    """Counts <tr> elements that hold a <td>."""

    def __init__(self) -> None:
        super().__init__()
        self.count, self.row, self.td = 0, False, False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.row, self.td = True, False
        elif tag == "td" and self.row:
            self.td = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.count += self.td
            self.row = False


def html_body_rows(html: str) -> int:
    """Body rows (a tr with a td) in an HTML document."""
    parser = _HtmlRows()
    parser.feed(html)
    return parser.count


def count(pdf_path: Path, html: str | None = None) -> Counts:
    """The counts of one PDF; html is the paper's HTML, for the split-row count."""
    pdf = pikepdf.open(pdf_path)
    index = {page.objgen: i for i, page in enumerate(pdf.pages)}
    found = Counts(pages=len(pdf.pages))
    root = pdf.Root.get("/StructTreeRoot")
    assert root is not None, f"{pdf_path} is not tagged"

    def visit(node: pikepdf.Dictionary) -> None:
        if _is(node, "/TR") and is_body_row(node):
            found.rows += 1
            if len(pages_of(node, index)) > 1:
                found.rows_over_pages.append(text_of(node))
        elif _is(node, "/Table"):
            found.tables += 1
        elif _is(node, "/Figure"):
            found.figures += 1
            if node.get("/Alt"):
                found.figures_alt.append(str(node.get("/Alt")))
        items = _elements(node)
        for one, after in pairwise(items):
            if str(one.get("/S", "")) in HEADINGS:
                found.headings += 1
                before, next_starts = (
                    pages_of(one, index),
                    pages_of(first_body_row(after) or after, index),
                )
                if before and next_starts and max(before) < min(next_starts):
                    found.stranded.append(f"{one.get('/S')} on page {max(before) + 1}")

    walk(root, visit)
    if html is not None:
        found.html_rows = html_body_rows(html)
    fonts = set()
    for page in pdf.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(font.get("/BaseFont", "")).split("+")[-1])
    found.fonts = sorted(fonts)
    return found
