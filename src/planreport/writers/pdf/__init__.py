"""The PDF writer: the paper's print HTML laid out by WeasyPrint as tagged PDF/UA-1.

While laying out, only files under the template folders, the font folders and data: URIs
can be read, each file through files.read: no network, no other local file. Text is set
in the paper's font (planreport's Liberation Sans unless the layout names another), from
its files only: no installed font is used, so every machine writes the same bytes.

Table rows are kept whole on a page (`tr { break-inside: avoid }` in paper.css). A row
taller than a page cannot be: after laying out, each row that still crosses a page
break is cut, in a copy of the paper, into rows that fit, each after the first headed
with its ref and "(continued)", and each cell spanning rows (a theme) is cut at every
page it crosses, each later piece naming it with "(continued)"; the paper is then laid
out again (rows.py), until no row or span crosses a page: two layouts unless a cut
moves the pages. After ATTEMPTS layouts one still crossing is a warning (span-over-page).

A character the paper's font has no glyph for is drawn from the packaged fallback font
(DejaVu Sans), which is loaded only for a paper that has such a character. A character
neither has is drawn as an empty box and reported as a warning at the file, line and
column where it is written (rule missing-glyph; glyphs.py). Any other WeasyPrint error or warning
fails the paper. WeasyPrint is loaded only when a paper is first written.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planreport import files
from planreport.paper import model
from planreport.paper.model import Paper
from planreport.writers import Format, RenderContext, RenderError, fonts, warn
from planreport.writers.html import font_css, render_html, warn_unknown_blocks
from planreport.writers.pdf import fixes as weasyprint_fixes
from planreport.writers.pdf.glyphs import GLYPH_RULE, report_missing_glyphs
from planreport.writers.pdf.rows import Breaks, cut_rows, page_breaks

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

# Notices about the machine's libraries, not about the paper: the output is the same.
MACHINE_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)
# WeasyPrint's notice of a character no font has; reported as a warning, with its place.
NO_GLYPH = ".notdef glyph rendered"
OPTIONS = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
ATTEMPTS = 4  # layouts tried while cutting rows and spans at page breaks (2 usually do)
DIVIDED_RULE = "span-over-page"  # the warning when the last layout still divides a row or span
APPENDIX_ANCHOR = "appendix"  # the id of the appendix after a cover report (paper.html.j2)


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
        report_missing_glyphs(paper, html, found, context)
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
            document.metadata.keywords = []  # the template's are the council's name
            breaks = page_breaks(document)
            if not breaks:
                break
            if attempt == ATTEMPTS - 1:
                _still_divided(paper, breaks)
                break
            paper = cut_rows(paper, breaks)
            html = _render(paper, context, found.fallback)
        del html
        _page_limit(paper, document)
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


def _still_divided(paper: Paper, breaks: Breaks) -> None:
    """Warn of each table whose rows or spanning cells the last layout still divides."""
    for index in sorted({*breaks.tall, *breaks.spans}):
        table = paper.blocks[index]
        name = f"'{table.caption}'" if isinstance(table, model.Table) and table.caption else ""
        warn(
            f"{paper.id}.pdf: warning: [{DIVIDED_RULE}] in table {name or index + 1}, a row or a "
            "cell spanning rows still runs over a page break after the last layout planreport "
            f"tries ({ATTEMPTS}), so a page may start with it blank or cut. Shorten the longest "
            "rows of that table, or give its longest theme fewer actions."
        )


def _page_limit(paper: Paper, document: Any) -> None:
    """Warn when the cover report runs over its template's page limit (the appendix not counted)."""
    cover = paper.cover
    if cover is None or cover.page_limit is None:
        return
    pages = next(
        (i for i, page in enumerate(document.pages) if APPENDIX_ANCHOR in page.anchors),
        len(document.pages),
    )
    if pages > cover.page_limit:
        warn(
            f"{cover.source}: warning: [cover-over-page-limit] the cover report takes {pages} "
            f"pages, over the house limit of {cover.page_limit}. Shorten it, or move detail "
            "into an appendix."
        )


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
                return _read_url(url, allowed)
            raise FatalURLFetchingError(
                f"refused to fetch {url}: only template and font files may be read"
            )

    return SafeFetcher(fail_on_errors=True)


def _read_url(url: str, allowed: list[Path]) -> URLFetcherResponse:
    """A file: URL's file, read as every file is (inside allowed folders, size cap)."""
    import mimetypes
    from urllib.parse import unquote

    from weasyprint.urls import FatalURLFetchingError, URLFetcherResponse, iri_to_uri

    url = iri_to_uri(url.split("?")[0])
    path = Path(unquote(url[len("file://") :]))
    try:
        data = files.read(path, tuple(allowed), fonts.MAX_FONT_BYTES)
    except files.FileRefused as refused:
        raise FatalURLFetchingError(f"refused to fetch {url}: {refused.message}") from None
    kind = mimetypes.guess_type(path.name)[0] or "text/plain"  # as urllib's file handler
    return URLFetcherResponse(url, data, {"Content-type": kind})


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
        warn_unknown_blocks(paper, f"{paper.id}{self.suffix}")
        return write_pdf(paper, context)


WRITER = PdfWriter()
