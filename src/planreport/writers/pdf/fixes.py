"""Local fixes to WeasyPrint 70's tagged PDF: drop each one when the library fixes it.

1. One Table element per table (WeasyPrint#2903). WeasyPrint tags each page's fragment
   of an element as an element of its own: a table over three pages is three Table
   elements, a row split by a page break two rows. After tagging, adjacent structure
   elements made from the same HTML element are merged into one, from the document
   down (Part, Table, TBody, TR, TD, P ...). The header row WeasyPrint repeats on each
   later page (and the caption it repeats with it) is marked as an artifact, as Word
   does, so a screen reader meets the header once; every data cell's /Headers are
   worked out again over the whole table (WeasyPrint links them one page at a time and
   miscounts columns under a cell spanning rows).
   `scope="row"`, `"col"` and `"rowgroup"` headers get the PDF /Scope attribute, and a
   rowgroup header (a group row) is the header of the cells of its group's rows.
2. pydyf's `PDF.page_references` builds a tuple of every page on each read, and
   WeasyPrint's tagging reads it once per tagged box: quadratic in the page count
   (23 % of a 5,000-action build). It is cached until a page is added; the bytes are
   the same (tests/test_pdf_structure.py compares them with and without the cache).

Both are installed by `install()` only for WeasyPrint 70.x (a newer version is used as
shipped, and tests/test_pdf_structure.py says whether it still needs them). The cache
serves every PDF written once installed; the table fixes act only inside
`tagging(document)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

SUPPORTED_MAJOR = "70"
# Structure types that hold marked content or annotations directly: never merged.
UNMERGED = frozenset({"/Link", "/Figure", "/Form", "/Lbl", "/Annot"})
SCOPES = {"row": "/Row", "col": "/Column", "rowgroup": "/Row", "colgroup": "/Column"}

_active: _Fixes | None = None
_installed = False
_originals: dict[str, Any] = {}


@dataclass
class _Fixes:
    """What one document's tagging needs: repeated headers, and each element's origin."""

    artifacts: set[int] = field(default_factory=set)  # ids of boxes drawn as artifacts
    skipped: set[int] = field(default_factory=set)  # ids of repeated header row groups
    origin: dict[int, tuple[int, str]] = field(default_factory=dict)  # number -> element
    scope: dict[int, str] = field(default_factory=dict)  # TH number -> scope attribute


def supported() -> bool:
    """Whether the installed WeasyPrint is the version these fixes were written for."""
    import weasyprint

    return weasyprint.__version__.split(".")[0] == SUPPORTED_MAJOR


def install() -> None:
    """Install the fixes (once), if this WeasyPrint is the version they fit."""
    global _installed
    if _installed or not supported():
        return
    import pydyf
    import weasyprint.pdf as pdf_module
    from weasyprint.pdf import stream, tags

    _originals.update(
        build=tags._build_box_tree,
        add_tags=pdf_module.add_tags,
        marked=stream.Stream.marked,
    )
    tags._build_box_tree = _build_box_tree
    pdf_module.add_tags = _add_tags
    stream.Stream.marked = _marked
    pydyf.PDF.page_references = property(_page_references)
    _installed = True


@contextmanager
def tagging(document: Any) -> Iterator[None]:
    """Apply the table fixes while a laid-out document is written as PDF."""
    global _active
    fixes = _Fixes()
    if _installed:
        _find_repeated_headers(document, fixes)
    _active = fixes
    try:
        yield
    finally:
        _active = None


# --- page references -----------------------------------------------------------------


def _page_references(self: Any) -> tuple[bytes, ...]:
    """pydyf's page references, rebuilt only when a page has been added."""
    kids = self.pages["Kids"]
    cached = self.__dict__.get("_planreport_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), _uncached_page_references(self))
        self.__dict__["_planreport_page_references"] = cached
    return cached[1]


def _uncached_page_references(self: Any) -> tuple[bytes, ...]:
    """pydyf 0.13's own page_references."""
    return tuple(f"{number} 0 R".encode("ascii") for number in self.pages["Kids"][::3])


# --- repeated headers ----------------------------------------------------------------


def _find_repeated_headers(document: Any, fixes: _Fixes) -> None:
    """Note the header rows and captions WeasyPrint repeats on later pages, and what they draw."""
    from weasyprint.formatting_structure import boxes

    seen: set[int] = set()
    for page in document.pages:
        for table, wrapper in tables(page._page_box, boxes):
            key = id(table.element)
            if key not in seen:
                seen.add(key)
                continue
            repeated = [g for g in table.children if getattr(g, "is_header", False)]
            if wrapper is not None:
                repeated += [c for c in wrapper.children if isinstance(c, boxes.TableCaptionBox)]
            for box in repeated:
                fixes.skipped.add(id(box))
                _mark_repeated(box, fixes, boxes)


def tables(box: Any, boxes: Any) -> Iterator[tuple[Any, Any]]:
    """The table boxes under box, each with its wrapper; not looking inside cells or lines."""
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TableBox):
            yield child, box if getattr(box, "is_table_wrapper", False) else None
        elif isinstance(child, boxes.ParentBox) and not isinstance(
            child, (boxes.LineBox, boxes.TableCellBox)
        ):
            yield from tables(child, boxes)


def _mark_repeated(box: Any, fixes: _Fixes, boxes: Any) -> None:
    """Draw a repeated header's text as an artifact; give its cells the mark tagging reads."""
    import pydyf

    if isinstance(box, boxes.TableCellBox):
        box.mark = pydyf.Dictionary({"A": pydyf.Dictionary()})
    if isinstance(box, (boxes.TextBox, boxes.ReplacedBox)):
        fixes.artifacts.add(id(box))
    for child in getattr(box, "children", ()):
        _mark_repeated(child, fixes, boxes)


def _marked(self: Any, box: Any, tag: str) -> Any:
    """Stream.marked, drawing a repeated header's content as an artifact (a context manager)."""
    if _active is not None and id(box) in _active.artifacts:
        return self.artifact()
    return _originals["marked"](self, box, tag)


# --- the structure tree --------------------------------------------------------------


def _build_box_tree(box: Any, parent: Any, pdf: Any, page_number: int, *rest: Any) -> Any:
    """WeasyPrint's _build_box_tree, noting the HTML element each structure element is of."""
    fixes = _active
    if fixes is None:
        yield from _originals["build"](box, parent, pdf, page_number, *rest)
        return
    if id(box) in fixes.skipped:
        return
    element = getattr(box, "element", None)
    for made in _originals["build"](box, parent, pdf, page_number, *rest):
        if element is not None and made.number not in fixes.origin:
            fixes.origin[made.number] = (id(element), str(box.element_tag))
            if box.element_tag == "th":
                fixes.scope[made.number] = element.get("scope", "")
        yield made


def _add_tags(pdf: Any, document: Any, pdf_version: Any, page_streams: Any) -> None:
    """WeasyPrint's add_tags, then the fragments of each element merged into one."""
    _originals["add_tags"](pdf, document, pdf_version, page_streams)
    if _active is not None:
        _Merger(pdf, _active).run()


class _Merger:
    """Merges adjacent structure elements made from the same HTML element."""

    def __init__(self, pdf: Any, fixes: _Fixes) -> None:
        import pydyf

        self.pydyf = pydyf
        self.pdf = pdf
        self.objects = pdf.objects
        self.fixes = fixes
        self.tables: list[Any] = []

    def get(self, reference: Any) -> Any:
        """The structure element a reference (b'12 0 R') points at, or None."""
        if isinstance(reference, bytes) and reference.endswith(b" R"):
            found = self.objects[int(reference.split(b" ", 1)[0])]
            if isinstance(found, dict) and found.get("Type") == "/StructElem":
                return found
        return None

    def run(self) -> None:
        """Merge from the document element down, then fix each table's header links."""
        root = self.objects[int(self.pdf.catalog["StructTreeRoot"].split(b" ", 1)[0])]
        document = self.get(root["K"][0])
        self.merge(document)
        for table in self.tables:
            self.fix_headers(table)

    def merge(self, element: Any) -> None:
        """Merge element's adjacent kids of the same origin, then look inside the merged ones."""
        kept: list[Any] = []
        merged: list[Any] = []
        last = None
        for reference in element["K"]:
            kid = self.get(reference)
            if kid is not None and last is not None and self.same(last, kid):
                self.absorb(last, kid)
                if not merged or merged[-1] is not last:
                    merged.append(last)
                continue
            kept.append(reference)
            last = kid
        if merged:
            element["K"] = self.pydyf.Array(kept)
        for reference in element["K"]:
            kid = self.get(reference)
            if kid is None:
                continue
            if kid["S"] == "/Table":
                self.tables.append(kid)
            if kid["S"] in ("/Part", "/Sect", "/Div", "/Art") or any(kid is m for m in merged):
                self.merge(kid)

    def same(self, one: Any, other: Any) -> bool:
        """Whether two structure elements are fragments of one HTML element."""
        if one["S"] != other["S"] or one["S"] in UNMERGED:
            return False
        origin = self.fixes.origin.get(one.number)
        return origin is not None and origin == self.fixes.origin.get(other.number)

    def absorb(self, into: Any, other: Any) -> None:
        """Move other's kids into into; other is left an empty, unreferenced object."""
        for reference in other["K"]:
            kid = self.get(reference)
            if kid is not None:
                kid["P"] = into.reference
            into["K"].append(reference)
        other.clear()

    def fix_headers(self, table: Any) -> None:
        """Scope on each header cell; each data cell's headers worked out from the grid.

        WeasyPrint links cells to headers one page fragment at a time, and miscounts
        columns under a cell spanning rows; here every data cell gets its column
        headers (from the table's header rows), the row headers of its rows (a
        scope="row" cell, also one spanning rows from above) and its group's header (a
        scope="rowgroup" cell heading the rows after it in its row group).
        """
        pydyf = self.pydyf
        taken: set[tuple[int, int]] = set()
        columns: dict[int, list[str]] = {}
        rows: dict[int, list[str]] = {}
        cells: list[tuple[Any, int, int, int, int, str | None]] = []
        r = 0
        for kind, body in self.bodies(table):
            group: str | None = None
            for row in body:
                c = 0
                for cell in map(self.get, row["K"]):
                    if cell is None or cell["S"] not in ("/TH", "/TD"):
                        continue
                    while (r, c) in taken:
                        c += 1
                    attributes = cell.get("A") or {}
                    down = int(attributes.get("RowSpan", 1))
                    across = int(attributes.get("ColSpan", 1))
                    taken.update((r + i, c + j) for i in range(down) for j in range(across))
                    scope = self.fixes.scope.get(cell.number, "")
                    if cell["S"] == "/TH":
                        if scope in SCOPES:
                            cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                            cell["A"]["Scope"] = SCOPES[scope]
                        name = cell["ID"].string if "ID" in cell else None
                        if name is None:
                            pass
                        elif scope == "rowgroup":
                            group = name
                        elif scope == "row":
                            for i in range(down):
                                rows.setdefault(r + i, []).append(name)
                        elif kind == "/THead" or scope == "col":
                            for j in range(across):
                                columns.setdefault(c + j, []).append(name)
                    else:
                        cells.append((cell, r, c, down, across, group))
                    c += across
                r += 1
        for cell, r, c, down, across, group in cells:
            names = [group] if group else []
            names += [h for i in range(down) for h in rows.get(r + i, [])]
            names += [h for j in range(across) for h in columns.get(c + j, [])]
            cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
            cell["A"]["Headers"] = pydyf.Array([pydyf.String(h) for h in dict.fromkeys(names)])

    def bodies(self, table: Any) -> Iterator[tuple[str, list[Any]]]:
        """A table's row groups in order, each as its type and its rows."""
        for kid in map(self.get, table["K"]):
            if kid is None:
                continue
            if kid["S"] == "/TR":
                yield "/TBody", [kid]
            elif kid["S"] in ("/THead", "/TBody", "/TFoot"):
                yield (
                    kid["S"],
                    [row for row in map(self.get, kid["K"]) if row and row["S"] == "/TR"],
                )
