"""Reading a PDF into the neutral model: the ruled tables of its pages, and the text between.

pdfplumber (on pdfminer.six) finds each page's tables from their ruling lines
(pdf_lines), and pdfium gives every word with its position and font (pdf_words), so a PDF
is read the same whether it is tagged or not. Each cell's words become its lines; a filled
rectangle behind a cell is its shading (a RAG cell); a cell spanning columns or rows covers
each grid position, as in Word. A table that goes on over a page break is joined to its
start, the header row the writer repeated on the new page dropped. Text outside the tables
becomes paragraphs, larger type headings; a line printed at the same place on most pages
(a running head, a page number) is left out, and so is text a tagged PDF marks as part of
a figure (a chart's labels). A paragraph printed right above a table is its caption. A PDF
with no text at all (a scan) is refused, saying what to do.

Limits: at most MAX_PAGES pages and MAX_CHARS characters; each page's content streams are
inflated with a cap before pdfminer or pdfium reads them, so a small file cannot take
gigabytes.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from planreport.importers import pdf_lines, pdf_text, pdf_words
from planreport.importers.errors import ImportFailed
from planreport.importers.grid import MAX_COLUMNS, Cell, Para, Row, Source, Table
from planreport.importers.pdf_rows import both, continued, go_on_merged, split_row

MAX_PAGES = 300  # far more than any plan; a 50-page plan reads in a few seconds
MAX_CHARS = 2_000_000  # characters of text in the whole document
MAX_STREAM_BYTES = 16 * 1024 * 1024  # a page's content once inflated; a plan page is ~50 KB
_SNAP = 2.0  # points: cell edges closer than this are the same grid line
_CAPTION_GAP = 6.0  # points: a paragraph ending this close above a table is its caption
_MARGIN = 0.12  # the top and bottom of a page where running heads and page numbers sit


@dataclass
class _Piece:
    """A table as found on one page: its rows of cells, column edges and page number."""

    rows: list[list[Cell]]
    edges: list[float]
    page: int
    top: float
    pages: list[int] = field(default_factory=list)


@dataclass
class _Text:
    """A paragraph outside tables, where it sits on its page."""

    para: Para
    key: str
    page: int
    top: float
    in_margin: bool
    size: float  # the largest type on its lines, in points
    bottom: float = 0.0


def read_pdf(data: bytes, name: str, max_rows: int) -> Source:
    """A PDF's tables and paragraphs; ImportFailed for a scan, a damaged file or one too big."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with _quiet_pdfminer():
            pdf = pdfplumber.PDF(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise ImportFailed(_locked(name)) from None
    except Exception as exc:  # the file is untrusted: any failure to open it means damage
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise ImportFailed(_locked(name)) from None
        raise ImportFailed(_damaged(name, exc)) from exc
    with pdf, _quiet_pdfminer():
        document = _pdfium(data, name)
        try:
            found = _read_pages(pdf, document, name, max_rows)
        except ImportFailed:
            raise
        except Exception as exc:  # damaged objects surface only as pages are read
            raise ImportFailed(_damaged(name, exc)) from exc
        finally:
            document.close()
    return found


def _pdfium(data: bytes, name: str) -> Any:
    """The file opened by pdfium from its bytes; ImportFailed where pdfium cannot read it."""
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if exc.err_code == pypdfium2.raw.FPDF_ERR_PASSWORD:
            raise ImportFailed(_locked(name)) from None
        raise ImportFailed(_damaged(name, exc)) from None


@contextmanager
def _quiet_pdfminer() -> Iterator[None]:
    """pdfminer's and pypdfium2's complaints about a file kept out of the output."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pypdfium2")]
    handler, propagates = logging.NullHandler(), [logger.propagate for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield
    finally:
        for logger, propagate in zip(loggers, propagates, strict=True):
            logger.removeHandler(handler)
            logger.propagate = propagate


def _read_pages(pdf: Any, document: Any, name: str, max_rows: int) -> Source:
    """Every page's tables and text, joined into one document.

    pdfminer counts the pages and checks their content; pdfium then reads each page's
    words (pdf_words) and paths, from which pdfplumber finds its tables (pdf_lines).
    """
    from pdfminer.pdfpage import PDFPage

    items: list[_Piece | _Text] = []
    sizes: Counter[float] = Counter()  # characters in each type size, tables included
    chars = pages = 0
    doctop = 0.0
    for number, page_obj in enumerate(islice(PDFPage.create_pages(pdf.doc), MAX_PAGES + 1), 1):
        if number > MAX_PAGES:
            raise ImportFailed(
                f"{name}: this PDF has more than {MAX_PAGES} pages, far more than any plan; it "
                "is not imported. Save the pages with the plan's tables as a PDF of their "
                "own, then import that."
            )
        _check_streams(page_obj, name, number)
        if number > len(document):
            raise ImportFailed(_damaged(name, ValueError("its pages cannot all be found")))
        drawn = document[number - 1]
        page = pdf_lines.lines_page(pdf, page_obj, number, doctop, drawn)
        doctop += page.height
        raw = [
            word
            for word in pdf_words.page_words(drawn, page)
            if word.get("tag") != "Figure"  # a tagged PDF's chart labels are its picture
        ]
        chars += sum(len(word["text"]) for word in raw)
        if chars > MAX_CHARS:
            raise ImportFailed(
                f"{name}: page {number}: the PDF's text passes {MAX_CHARS:,} characters, far "
                "more than any plan; it is not imported. Save the pages with the plan's "
                "tables as a PDF of their own, then import that."
            )
        words = pdf_text.words_of(raw)
        for word in words:
            sizes[round(word.size, 1)] += len(word.text)
        items += _page_items(page, words, number)
        pages = number
        page.close()
        drawn.close()
    if chars == 0:
        what = "its page is a picture" if pages == 1 else f"its {pages} pages are pictures"
        raise ImportFailed(
            f"{name}: this PDF has no text to read: {what} (a scan, or a file printed to PDF "
            "as images). Ask for the Word or "
            "Excel file the plan was written in, or run the PDF through text recognition "
            "(OCR) first, then import that."
        )
    kept = _without_running_heads(items, pages)
    return _source(name, kept, _body_size(kept, sizes), max_rows)


def _body_size(items: list[_Piece | _Text], everything: Counter[float]) -> float:
    """The body text's type size: the paragraphs' commonest, by characters.

    With fewer than three paragraphs (a title over a table) it is the commonest of all the
    text, tables included.
    """
    texts = [item for item in items if isinstance(item, _Text)]
    if len(texts) < 3:
        return everything.most_common(1)[0][0]
    sizes: Counter[float] = Counter()
    for item in texts:
        sizes[item.size] += len(item.para.plain)
    return sizes.most_common(1)[0][0]


def _check_streams(page_obj: Any, name: str, number: int) -> None:
    """Refuse a page whose content would inflate to far more than any page (a 'bomb')."""
    from pdfminer.pdftypes import PDFStream, resolve1

    streams = list(page_obj.contents)
    held = resolve1(page_obj.attrs.get("Resources")) or {}  # the page's own, not inherited
    xobjects = resolve1(held.get("XObject")) if isinstance(held, dict) else None
    if isinstance(xobjects, dict):  # forms are drawn (read) like the page; images are not
        found = [resolve1(x) for x in list(xobjects.values())[:1000]]
        streams += [x for x in found if isinstance(x, PDFStream) and _is_form(x)]
    total = 0
    for stream in streams:
        if not isinstance(stream, PDFStream) or stream.rawdata is None:
            continue
        filters = [str(f).strip("/'") for f, _params in stream.get_filters()]
        if filters[:1] not in (["FlateDecode"], ["Fl"]):
            total += len(stream.rawdata)
            continue
        try:
            total += len(zlib.decompressobj().decompress(stream.rawdata, MAX_STREAM_BYTES + 1))
        except zlib.error:
            continue  # pdfminer says what is wrong with it
        if total > MAX_STREAM_BYTES:
            raise ImportFailed(
                f"{name}: page {number}: its content would take more than "
                f"{MAX_STREAM_BYTES // (1024 * 1024)} MiB once unpacked, far more than any "
                "page; the PDF is not imported."
            )


def _is_form(stream: Any) -> bool:
    """Whether an XObject is a form (drawn as page content), not an image."""
    return str(stream.attrs.get("Subtype", "")).strip("/'") == "Form"


def _page_items(page: Any, words: list[pdf_text.Word], number: int) -> list[_Piece | _Text]:
    """A page's tables and the paragraphs around them, top to bottom."""
    tables = page.find_tables()
    fills = [r for r in page.rects if r.get("fill")]
    items: list[_Piece | _Text] = []
    outside = list(words)
    for table in tables:
        x0, top, x1, bottom = table.bbox
        inside, outside = _parted(outside, (x0, top, x1, bottom))
        piece = _piece(table.cells, inside, fills, number)
        if any(not cell.empty for row in piece.rows for cell in row):  # not a chart's bars
            items.append(piece)
    for group in pdf_text.paragraphs(outside):
        flat = [w for line in group for w in line]
        text = " ".join(w.text for w in flat)
        size = max(w.size for w in flat)
        margin = flat[0].top < page.height * _MARGIN or flat[-1].bottom > page.height * (
            1 - _MARGIN
        )
        lines = pdf_text.cell_lines(flat)
        markdown = " ".join(line.markdown for line in lines)
        plain = " ".join(line.plain for line in lines)
        para = Para(markdown, plain, bullet=any(line.bullet for line in lines[:1]))
        key = re.sub(r"\d+", "#", text)
        bottom = max(w.bottom for w in flat)
        items.append(_Text(para, key, number, flat[0].top, margin, round(size, 1), bottom))
    return sorted(items, key=lambda item: item.top)


def _parted(
    words: list[pdf_text.Word], box: tuple[float, float, float, float]
) -> tuple[list[pdf_text.Word], list[pdf_text.Word]]:
    """The words inside a box, and the rest (each in its order)."""
    inside: list[pdf_text.Word] = []
    rest: list[pdf_text.Word] = []
    for word in words:
        (inside if _within(word, box) else rest).append(word)
    return inside, rest


def _within(word: pdf_text.Word, box: tuple[float, float, float, float]) -> bool:
    """Whether a word lies inside a box (its middle across, its whole height down)."""
    x = (word.x0 + word.x1) / 2
    return box[0] <= x <= box[2] and box[1] - 1 <= word.top and word.bottom <= box[3] + 1


def _snap(values: list[float]) -> list[float]:
    """Edges with those closer than _SNAP points made one."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _SNAP:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    """The number of the grid line nearest value."""
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _piece(boxes: list[Any], words: list[pdf_text.Word], fills: list[Any], page: int) -> _Piece:
    """A table's cells as a grid: spanning cells in every position they cover."""
    columns = _snap([b[0] for b in boxes] + [b[2] for b in boxes])[: MAX_COLUMNS + 1]
    rows = _snap([b[1] for b in boxes] + [b[3] for b in boxes])
    width, height = len(columns) - 1, len(rows) - 1
    if width < 1 or height < 1:
        return _Piece([], columns, page, 0.0)
    grid: list[list[Cell | None]] = [[None] * width for _ in range(height)]
    remaining = list(words)
    for box in sorted(boxes, key=lambda b: (b[1], b[0])):
        left, right = _index(columns, box[0]), min(_index(columns, box[2]), width)
        first, last = _index(rows, box[1]), min(_index(rows, box[3]), height)
        mine, remaining = _parted(remaining, box)
        cell = Cell(pdf_text.cell_lines(mine, _room(box, mine)), _fill(box, fills))
        for r in range(first, last):
            for c in range(left, right):
                if grid[r][c] is None:
                    grid[r][c] = cell if r == first else continued(cell)
    _place_loose(grid, remaining, columns, rows)
    out = [[_covered(grid, r, c) for c in range(width)] for r in range(height)]
    kept = [row for row in out if any(not c.empty and not c.continued for c in row)]
    return _Piece(kept, columns, page, rows[0], [page])


def _room(box: Any, words: list[pdf_text.Word]) -> float | None:
    """How far right a cell's text may reach: its right edge less the padding on its left."""
    if not words:
        return None
    return box[2] - (min(word.x0 for word in words) - box[0])


def _place_loose(
    grid: list[list[Cell | None]],
    words: list[pdf_text.Word],
    columns: list[float],
    rows: list[float],
) -> None:
    """Words in no closed cell put in the grid position they sit in.

    pdfplumber closes no cell where a ruling line is missing: a merged cell's edge, or a
    row cut by the page's end.
    """
    loose: dict[tuple[int, int], list[pdf_text.Word]] = {}
    for word in words:
        c = bisect.bisect_right(columns, (word.x0 + word.x1) / 2) - 1
        r = bisect.bisect_right(rows, word.top + 1) - 1
        if 0 <= r < len(grid) and 0 <= c < len(grid[r]):
            loose.setdefault((r, c), []).append(word)
    for (r, c), found in loose.items():
        cell = grid[r][c]
        if cell is None:
            grid[r][c] = Cell(pdf_text.cell_lines(found))
        else:
            cell.lines += pdf_text.cell_lines(found)


def _covered(grid: list[list[Cell | None]], r: int, c: int) -> Cell:
    """A grid position's cell; where no ruled cell closes it, the cell above it goes on.

    That is a cell merged down whose lower edge the page's end cuts off.
    """
    cell = grid[r][c]
    if cell is None:
        above = grid[r - 1][c] if r else None
        cell = grid[r][c] = continued(above) if above is not None else Cell()
    return cell


def _fill(box: tuple[float, float, float, float], fills: list[Any]) -> str | None:
    """The colour of the smallest filled rectangle behind most of a cell, if any."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    area = (box[2] - box[0]) * (box[3] - box[1])
    best: tuple[float, str] | None = None
    for rect in fills:
        if not (rect["x0"] <= x <= rect["x1"] and rect["top"] <= y <= rect["bottom"]):
            continue
        size = (rect["x1"] - rect["x0"]) * (rect["bottom"] - rect["top"])
        found = pdf_text.colour(rect.get("non_stroking_color"))
        if found and size >= 0.5 * area and (best is None or size < best[0]):
            best = (size, found)
    return best[1] if best and best[1] != "#FFFFFF" else None


def _without_running_heads(items: list[_Piece | _Text], pages: int) -> list[_Piece | _Text]:
    """Items without the lines printed in the margin of most pages (running heads, numbers)."""
    if pages < 2:
        return items
    placed = {(i.key, i.page) for i in items if isinstance(i, _Text) and i.in_margin}
    on_pages = Counter(key for key, _page in placed)
    repeated = {key for key, count in on_pages.items() if count * 2 > pages}
    return [i for i in items if not (isinstance(i, _Text) and i.in_margin and i.key in repeated)]


def _source(name: str, items: list[_Piece | _Text], body: float, max_rows: int) -> Source:
    """The document: tables joined over page breaks, headings in type larger than body's."""
    sizes = sorted(
        {i.size for i in items if isinstance(i, _Text) and i.size > body * 1.1},
        reverse=True,
    )
    blocks: list[_Text | _Piece] = []
    captions: dict[int, str] = {}
    for item in items:
        if isinstance(item, _Text):
            item.para.heading = sizes.index(item.size) + 1 if item.size in sizes[:6] else 0
            blocks.append(item)
        elif blocks and isinstance(blocks[-1], _Piece) and _goes_on(blocks[-1], item):
            _join(blocks[-1], item)
        else:
            if blocks and _captions(blocks[-1], item):
                captions[id(item)] = blocks.pop().para.plain  # type: ignore[union-attr]
            blocks.append(item)
    source = Source(name, "pdf")
    for block in blocks:
        if isinstance(block, _Piece):
            number = len(source.tables) + 1
            source.blocks.append(_table(block, number, captions.get(id(block), ""), max_rows))
        else:
            source.blocks.append(block.para)
    return source


def _captions(before: _Text | _Piece, piece: _Piece) -> bool:
    """Whether a paragraph sits right above a table, as its caption (no gap between)."""
    return (
        isinstance(before, _Text)
        and before.page == piece.page
        and -_CAPTION_GAP < piece.top - before.bottom < _CAPTION_GAP
        and not before.para.heading
    )


def _goes_on(before: _Piece, piece: _Piece) -> bool:
    """Whether a table at the top of a page continues the table that ended the page before."""
    if piece.page != before.pages[-1] + 1 or len(piece.edges) != len(before.edges):
        return False
    return all(abs(a - b) <= 3 * _SNAP for a, b in zip(piece.edges, before.edges, strict=True))


def _join(before: _Piece, piece: _Piece) -> None:
    """Add a continued table's rows, without the header rows repeated at its top."""
    rows = piece.rows
    for heading in before.rows[:3]:
        if rows and [c.plain for c in rows[0]] == [c.plain for c in heading]:
            rows = rows[1:]
        else:
            break
    if rows and before.rows:
        merged = {c for row in before.rows for c, cell in enumerate(row) if cell.continued}
        go_on_merged(before.rows[-1], rows, merged)
        if split_row(before.rows[-1], rows[0]):
            made: dict[tuple[int, int], Cell] = {}  # a cell spanning columns stays one cell
            before.rows[-1] = [
                made.setdefault((id(a.lines), id(b.lines)), both(a, b))
                for a, b in zip(before.rows[-1], rows[0], strict=True)
            ]
            rows = rows[1:]
    before.rows += rows
    before.pages.append(piece.page)


def _table(piece: _Piece, number: int, caption: str, max_rows: int) -> Table:
    """A joined table as the neutral model's Table, each source cell given its origin."""
    origins: dict[int, int] = {}
    rows = []
    for index, cells in enumerate(piece.rows[: max_rows + 5], start=1):
        for cell in cells:
            key = id(cell.lines)  # shared by every position one source cell covers
            cell.origin = origins.setdefault(key, len(origins) + 1)
        rows.append(Row(index, cells))
    first, last = piece.pages[0], piece.pages[-1]
    where = f"page {first}" if first == last else f"pages {first} to {last}"
    named = f"'{caption}', {where}" if caption else where
    return Table(number, f"table {number} ({named})", rows, caption)


def _locked(name: str) -> str:
    """What to do with a password-protected PDF."""
    return (
        f"{name}: this PDF is password-protected, so it cannot be read. Open it, save a copy "
        "without the password, and import that copy."
    )


def _damaged(name: str, exc: BaseException) -> str:
    """What to do with a PDF that cannot be read."""
    text = str(exc).strip().split("\n")[0] or type(exc).__name__
    reason = text if len(text) <= 120 else text[:117] + "..."
    return (
        f"{name}: cannot be read as a PDF; the file is damaged ({reason}). Ask for the Word or "
        "Excel file the plan was written in, or save the PDF again from a PDF reader, then "
        "import that."
    )
