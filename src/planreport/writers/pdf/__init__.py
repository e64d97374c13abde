"""The PDF writer: the paper's print HTML laid out by WeasyPrint as tagged PDF/UA-1.

While laying out, only files under the template folders, the font folders and data:
URIs can be read: no network, no other local file. Text is set in the paper's font
(planreport's Liberation Sans unless the layout names another), from its files only:
no installed font is used, so every machine writes the same bytes.

Table rows are kept whole on a page (`tr { break-inside: avoid }` in paper.css). A row
taller than a page cannot be: after laying out, each row that still crosses a page
break is cut, in a copy of the paper, into rows that fit, each after the first headed
with its ref and "(continued)", and the paper is laid out again.

A character the paper's font has no glyph for is drawn from the packaged fallback font
(DejaVu Sans), which is loaded only for a paper that has such a character. A character
neither has is drawn as an empty box and reported as a warning at the file, line and
column where it is written (rule missing-glyph). Any other WeasyPrint error or warning
fails the paper. WeasyPrint is loaded only when a paper is first written.
"""

from __future__ import annotations

import dataclasses
import html as html_text
import logging
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planreport.paper import model
from planreport.paper.model import Paper
from planreport.plan.richtext import Para, Rich, Run
from planreport.writers import Format, RenderContext, RenderError, fonts, warn
from planreport.writers.html import font_css, render_html
from planreport.writers.pdf import fixes as weasyprint_fixes

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

    from planreport.problems import Location

# Notices about the machine's libraries, not about the paper: the output is the same.
MACHINE_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)
# WeasyPrint's notice of a character no font has; reported as a warning, with its place.
NO_GLYPH = ".notdef glyph rendered"
OPTIONS = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
ATTEMPTS = 4  # layouts tried while cutting rows taller than a page
PIECE = 0.7  # a continuation piece's height, as a share of the page's
CONTINUED_WORDS = 12  # words of a spanning cell repeated on the next page
GLYPH_RULE = "missing-glyph"  # the rule id of the warning about a character no font has


def _weasyprint() -> Any:
    """WeasyPrint, or a RenderError naming the system libraries it needs if they are missing."""
    try:
        import weasyprint
    except OSError as exc:  # cffi cannot load Pango or its companions
        raise RenderError(
            f"WeasyPrint cannot load the Pango library it draws PDFs with ({exc}). Install it: "
            "on Debian or Ubuntu, apt-get install libpango-1.0-0 libpangoft2-1.0-0; on macOS, "
            "brew install pango. Word and HTML papers do not need it."
        ) from None
    return weasyprint


def write_pdf(paper: Paper, context: RenderContext) -> bytes:
    """Lay out the paper as a tagged PDF/UA-1 document; any WeasyPrint error fails it.

    Font subsetting stamps the time from SOURCE_DATE_EPOCH, set here to the paper's
    moment, so the same inputs give the same bytes.
    """
    os.environ["SOURCE_DATE_EPOCH"] = str(int(context.moment.timestamp()))
    weasyprint = _weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    weasyprint_fixes.install()
    allowed = [d.resolve() for d in (*context.templates, *context.fonts)]
    messages: list[str] = []
    handler = Collect(messages)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    font_config = None
    try:
        html = render_html(paper, context.templates, "print", context.moment, context.fonts)
        try:
            found = fonts.glyphs(html, paper.font, context.fonts)
        except fonts.FontError as exc:
            raise RenderError(str(exc)) from None
        if found.fallback:
            html = _with_fallback(html, paper, context, found.fallback)
        _report_missing_glyphs(paper, html, found, context)
        font_config = fonts.isolated_configuration()
        fetcher = safe_fetcher(allowed)
        # a project's own copy of an older template may not write the font rules
        extra = (
            []
            if "@font-face" in html
            else [
                weasyprint.CSS(
                    string=font_css(paper, "print", context.fonts, found.fallback),
                    url_fetcher=fetcher,
                    font_config=font_config,
                )
            ]
        )
        for attempt in range(ATTEMPTS):
            document = weasyprint.HTML(
                string=html, base_url=str(allowed[0]) + "/", url_fetcher=fetcher
            ).render(font_config=font_config, stylesheets=extra, **OPTIONS)
            breaks = _page_breaks(document) if attempt < ATTEMPTS - 1 else Breaks()
            if not breaks:
                break
            paper = _cut_rows(paper, breaks)
            html = _render(paper, context, found.fallback)
        del html
        with weasyprint_fixes.tagging(document):
            pdf = document.write_pdf(**OPTIONS)
    except FatalURLFetchingError as exc:
        raise RenderError(str(exc)) from exc
    finally:
        logger.removeHandler(handler)
        fonts.discard(font_config)
    glyphs = [m for m in messages if m.startswith(NO_GLYPH)]
    others = [m for m in messages if not m.startswith(NO_GLYPH)]
    if others:
        raise RenderError("WeasyPrint reported: " + "; ".join(others))
    for message in dict.fromkeys(glyphs):  # drawn where no check looked: a chart, say
        if not any(ch in message for ch in found.missing):
            warn(
                f"{paper.id}.pdf: warning: [{GLYPH_RULE}] a character no font of the paper has "
                f"is drawn as an empty box ({message}). Write it another way."
            )
    return pdf


def _render(paper: Paper, context: RenderContext, fallback: str | None) -> str:
    """The paper's print HTML, its font followed by the fallback family if it needs one."""
    return render_html(
        paper, context.templates, "print", context.moment, context.fonts, fallback=fallback
    )


def _with_fallback(html: str, paper: Paper, context: RenderContext, fallback: str) -> str:
    """The print HTML with the font rules that also load and list the fallback family.

    The rules are swapped in place rather than the paper rendered again: they hold
    double quotes, which plan text in the HTML never does (escaped as &#34;), so they
    are found only where the template wrote them. A template that writes them some
    other way is rendered again.
    """
    plain = font_css(paper, "print", context.fonts)
    if html.count(plain) == 1:
        return html.replace(plain, font_css(paper, "print", context.fonts, fallback))
    return _render(paper, context, fallback)


def _report_missing_glyphs(
    paper: Paper, html: str, found: fonts.Glyphs, context: RenderContext
) -> None:
    """Warn about each character no font of the paper can draw, at each place it is written.

    A warning is a whole line, `path:line:col: warning: [missing-glyph] message`: located
    in the plan (or paper, people or layout) file the character is written in, where the
    paper shows it; `paper.pdf: warning: ...` if it is in no such file (template text).
    """
    if not found.missing:
        return
    if paper.font.casefold() == fonts.FALLBACK_FAMILY.casefold():
        lacking = f"the font {paper.font} has no glyph for"
    else:
        fallback = fonts.FALLBACK_FAMILY
        lacking = f"neither the font {paper.font} nor the fallback {fallback} has a glyph for"
    places = written(found.missing, html, context.sources, context.project)
    for ch in found.missing:
        message = (
            f"{_where(paper, ch)} has the character {fonts.describe(ch)}, which {lacking}: "
            f"it prints as an empty box in {paper.id}.pdf. Write it another way "
            "(in words, or as a symbol that prints, such as ✓ ✗ ☐ ☑ ● ★ →), or name "
            "a font that has it (the layout's font:, its files in templates/fonts/)."
        )
        for place in places.get(ch) or [None]:
            where = f"{place.location}" if place else f"{paper.id}.pdf"
            more = place.more if place else 0
            also = f" It is in {more} more value{'s' * (more > 1)} in this file." if more else ""
            warn(f"{where}: warning: [{GLYPH_RULE}] {message}{also}")


@dataclass(frozen=True)
class Place:
    """Where a character is first written in a file that the paper shows it from."""

    location: Location  # path:line:col
    more: int = 0  # how many other values in the file have it


# Characters that end the text around a character, as it is looked for in the paper:
# markdown and placeholder syntax, which the paper does not show as written.
_AROUND_STOP = frozenset("*_`[]()<>{}#|\\~\n\r\t")
_AROUND = 12  # characters either side of it
_TRIES = 50  # values with the character tried, per file, for one the paper shows
_TAG = re.compile(r"<(style|title)\b.*?</\1>|<[^>]*>", re.S | re.I)
_ESCAPE = re.compile(r"\\[xuUN]")


def written(
    chars: tuple[str, ...], html: str, sources: tuple[Path, ...], project: Path | None
) -> dict[str, list[Place]]:
    """For each character, the files that write it and where (line and column of the character).

    A file's YAML values are read in order; a value counts if the text around the
    character in it is in the paper (so not a comment, nor an action the paper leaves
    out). If no file has such a value, the first value holding the character stands.
    """
    from planreport.project import display

    shown = " ".join(html_text.unescape(_TAG.sub(" ", html)).split())
    found: dict[str, list[Place]] = {}
    first: dict[str, Place] = {}
    for path in sources:
        text = _source_text(path, project)
        if text is None or not (any(ch in text for ch in chars) or _ESCAPE.search(text)):
            continue
        name = display(path)
        hits: dict[str, list[tuple[int, str]]] = {}  # character -> (index in text, value)
        for value, start, end in _scalars(text):
            for ch in chars:
                if ch in value:
                    at = text.find(ch, start, end)
                    hits.setdefault(ch, []).append((start if at < 0 else at, value))
        for ch, values in hits.items():
            more = len(values) - 1
            first.setdefault(ch, Place(_location(name, text, values[0][0]), more))
            index = next((i for i, v in values[:_TRIES] if _around(v, ch) in shown), None)
            if index is not None:
                found.setdefault(ch, []).append(Place(_location(name, text, index), more))
    for ch, place in first.items():
        found.setdefault(ch, [place])
    return found


def _location(name: str, text: str, index: int) -> Location:
    """The Location (line and column, from 1) of the character at index in a file's text."""
    from planreport.problems import Location

    line = text.count("\n", 0, index) + 1
    return Location(name, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _source_text(path: Path, project: Path | None) -> str | None:
    """A source file's text, read as every file is (inside the project), or None if not."""
    from planreport import files

    if project is None:
        return None
    try:
        raw = files.read(path, (project,))
        return raw.decode("utf-8-sig")
    except (files.FileRefused, UnicodeDecodeError):
        return None


def _scalars(text: str) -> list[tuple[str, int, int]]:
    """Every scalar of a YAML text: its value and where it starts and ends in the text."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    found = []
    try:
        while not isinstance(event := loader.get_event(), yaml.StreamEndEvent):
            if isinstance(event, yaml.ScalarEvent):
                found.append((event.value, event.start_mark.index, event.end_mark.index))
    except yaml.YAMLError:
        pass  # checked before the build: cannot happen unless the file changed since
    finally:
        loader.dispose()
    return found


def _around(value: str, ch: str) -> str:
    """The text around the first ch in value, up to markdown syntax, spaces collapsed."""
    at = value.index(ch)
    left = at
    while left > 0 and at - left < _AROUND and value[left - 1] not in _AROUND_STOP:
        left -= 1
    right = at + 1
    while right < len(value) and right - at <= _AROUND and value[right] not in _AROUND_STOP:
        right += 1
    return " ".join(value[left:right].split()) or ch


def _where(paper: Paper, ch: str) -> str:
    """Words for the first place in the paper a character appears."""
    heading = "the title"
    if ch in paper.title or ch in (paper.subtitle or ""):
        return "the title"
    for block in paper.blocks:
        if isinstance(block, model.Heading):
            if ch in block.text:
                return f"the heading '{block.text}'"
            heading = f"'{block.text}'"
        elif isinstance(block, model.Table):
            for row in block.rows:
                if any(ch in cell.content.plain() or _in_status(cell, ch) for cell in row.cells):
                    ref = next((c.content.plain() for c in row.cells if c.row_header), "")
                    what = f"the row {ref}" if ref else "a row"
                    return f"{what} of the table under {heading}"
        elif isinstance(block, model.Text) and ch in block.rich.plain():
            return f"the text under {heading}"
        elif isinstance(block, model.Notes):
            for ref, text in block.notes:
                if ch in text.plain():
                    return f"note {ref}"
    return "the paper"


def _in_status(cell: model.Cell, ch: str) -> bool:
    """Whether a character is in a cell's status word."""
    return bool(cell.status and ch in cell.status.label)


# --- rows taller than a page ---------------------------------------------------------


@dataclass
class Breaks:
    """What a layout's page breaks did to the paper's tables, by block index.

    tall: rows laid out across a page break (row index -> its height in pages): a row
    crosses only if it is taller than a page, as paper.css keeps rows whole.
    spans: cells spanning rows that a page break divides, as (row of the cell, its
    place in that row, the first row on the next page).
    """

    tall: dict[int, dict[int, float]] = field(default_factory=dict)
    spans: dict[int, list[tuple[int, int, int]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        """Whether the paper needs changing."""
        return bool(self.tall or self.spans)


def _page_breaks(document: Any) -> Breaks:
    """The rows and spanning cells of the laid-out document that page breaks divide."""
    from weasyprint.formatting_structure import boxes

    heights: dict[int, float] = {}
    pages: dict[int, int] = {}
    crossing: dict[int, tuple[Any, Any]] = {}
    spanning: list[tuple[Any, Any, Any]] = []  # (table, row, cell) elements
    page_height = 1.0
    for number, page in enumerate(document.pages):
        box = page._page_box
        page_height = max(page_height, box.height)
        for table, _ in weasyprint_fixes.tables(box, boxes):
            for group in table.children:
                if getattr(group, "is_header", False) or getattr(group, "is_footer", False):
                    continue
                for row in group.children:
                    key = id(row.element)
                    if key in pages and pages[key] != number:
                        crossing[key] = (table.element, row.element)
                    if key not in pages:
                        pages[key] = number
                        spanning += [
                            (table.element, row.element, cell.element)
                            for cell in row.children
                            if cell.rowspan > 1 and cell.element is not None
                        ]
                    heights[key] = heights.get(key, 0.0) + row.height
    found = Breaks()
    bodies: dict[int, list[Any]] = {}  # table -> its body rows
    positions: dict[int, dict[int, int]] = {}

    def place(table: Any, row: Any) -> tuple[int, int] | None:
        """The table's block index and the row's index among its body rows."""
        block = table.get("data-block")
        if block is None or not block.isdigit():
            return None
        if id(table) not in bodies:
            rows = [tr for g in table if _tag(g) == "tbody" for tr in g if _tag(tr) == "tr"]
            bodies[id(table)] = rows
            positions[id(table)] = {id(tr): i for i, tr in enumerate(rows)}
        index = positions[id(table)].get(id(row))
        return None if index is None else (int(block), index)

    for key, (table, row) in crossing.items():
        where = place(table, row)
        if where:
            found.tall.setdefault(where[0], {})[where[1]] = heights[key] / page_height
    for table, row, cell in spanning:
        where = place(table, row)
        if not where:
            continue
        block, first = where
        rows = bodies[id(table)]
        last = min(first + int(cell.get("rowspan", "1")), len(rows))
        start = pages.get(id(rows[first]))
        moved = next((i for i in range(first + 1, last) if pages.get(id(rows[i])) != start), None)
        if moved is not None and first not in found.tall.get(block, {}):
            cells = [c for c in row if _tag(c) in ("td", "th")]
            place_in_row = next(i for i, c in enumerate(cells) if c is cell)
            found.spans.setdefault(block, []).append((first, place_in_row, moved))
    return found


def _tag(element: Any) -> str:
    """An element's tag without its namespace."""
    return str(element.tag).rpartition("}")[2]


def _cut_rows(paper: Paper, breaks: Breaks) -> Paper:
    """A copy of the paper whose tables fit their pages: spans continued, tall rows cut."""
    blocks = list(paper.blocks)
    for index in sorted({*breaks.tall, *breaks.spans}):
        table = blocks[index]
        if not isinstance(table, model.Table):
            continue
        for first, place_in_row, moved in breaks.spans.get(index, []):
            table = continue_span(table, first, place_in_row, moved)
        if index in breaks.tall:
            table = cut_table_rows(table, breaks.tall[index])
        blocks[index] = table
    return dataclasses.replace(paper, blocks=blocks)


def continue_span(table: model.Table, first: int, place: int, moved: int) -> model.Table:
    """The table with the cell spanning from row first ended before row moved.

    The rows from moved on (the next page's) get a cell of their own in its column,
    saying its first line and "(continued)", so that a theme is named on every page.
    """
    rows = [dataclasses.replace(r, cells=list(r.cells)) for r in table.rows]
    cell = rows[first].cells[place]
    column = _columns(rows)[first][place]
    rest = first + cell.rowspan - moved
    rows[first].cells[place] = dataclasses.replace(cell, rowspan=moved - first)
    lead = next((b for b in cell.content.blocks if isinstance(b, Para)), Para(()))
    said = Run(f" {model.CONTINUED}", italic=True)
    if lead.runs[-1:] == (said,):  # a continuation already (a span over three pages or more)
        label = Rich((lead,))
    else:
        words = lead.plain(notes=False).split()
        shown = " ".join(words[:CONTINUED_WORDS]) + ("…" if len(words) > CONTINUED_WORDS else "")
        label = Rich((Para((Run(shown), said)),))
    continued = model.Cell(label, cell.status, (), rest, cell.row_header)
    at = sum(1 for c in _columns(rows)[moved] if c < column)
    rows[moved].cells.insert(at, continued)
    return dataclasses.replace(table, rows=rows)


def _columns(rows: list[model.Row]) -> list[list[int]]:
    """For each row, the grid column each of its cells starts in (spans from above skipped)."""
    taken: set[tuple[int, int]] = set()
    out: list[list[int]] = []
    for r, row in enumerate(rows):
        c = 0
        mine = []
        for cell in row.cells:
            while (r, c) in taken:
                c += 1
            mine.append(c)
            taken.update((r + i, c) for i in range(cell.rowspan))
            c += 1 if not row.group else 1_000
        out.append(mine)
    return out


def cut_table_rows(table: model.Table, tall: dict[int, float]) -> model.Table:
    """The table with each row in tall (index -> its height in pages) cut into pieces."""
    rows = list(table.rows)
    out: list[model.Row] = []
    grown: dict[int, int] = {}  # id of a spanning cell -> rows added under it
    spans: list[tuple[int, model.Cell]] = []  # (last row index covered, cell)
    for i, row in enumerate(rows):
        spans = [(last, c) for last, c in spans if last >= i]
        for cell in row.cells:
            if cell.rowspan > 1:
                spans.append((i + cell.rowspan - 1, cell))
        if i not in tall:
            out.append(row)
            continue
        pieces = model.continue_row(row, math.ceil(tall[i] / PIECE))
        out += pieces
        for _, cell in spans:
            grown[id(cell)] = grown.get(id(cell), 0) + len(pieces) - 1
    if grown:
        out = [
            dataclasses.replace(
                r,
                cells=[
                    dataclasses.replace(c, rowspan=c.rowspan + grown[id(c)])
                    if id(c) in grown
                    else c
                    for c in r.cells
                ],
            )
            for r in out
        ]
    return dataclasses.replace(table, rows=out)


# --- fetching ------------------------------------------------------------------------


def safe_fetcher(allowed: list[Path]) -> URLFetcher:
    """A WeasyPrint URL fetcher that reads only data: URIs and files inside allowed folders."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class SafeFetcher(URLFetcher):
        """Fetch only data: URIs and files inside the template and font folders."""

        def fetch(self, url: str, headers: dict | None = None):  # type: ignore[override]
            """The resource at url, or FatalURLFetchingError if it is not allowed."""
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.parse import unquote

                path = Path(unquote(url[len("file://") :].split("?")[0])).resolve()
                if any(path.is_relative_to(folder) for folder in allowed):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(
                f"refused to fetch {url}: only template and font files may be read"
            )

    return SafeFetcher(fail_on_errors=True)


class Collect(logging.Handler):
    """Collect WeasyPrint's errors and warnings so the build can fail on them."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the message, unless it is about the machine rather than the paper."""
        message = record.getMessage()
        if not message.startswith(MACHINE_NOTICES):
            self.messages.append(message)


FORMAT = Format(
    name="pdf",
    suffix=".pdf",
    description="an accessible (tagged PDF/UA-1) document for printing and publishing",
    default=True,
    order=1,
)


class PdfWriter:
    """A tagged PDF/UA-1 document, for printing and for the committee's papers."""

    name = FORMAT.name
    suffix = FORMAT.suffix
    description = FORMAT.description

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper's print HTML laid out as PDF."""
        return write_pdf(paper, context)


WRITER = PdfWriter()
