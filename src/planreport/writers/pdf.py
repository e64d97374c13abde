"""The PDF writer: the paper's print HTML laid out by WeasyPrint as tagged PDF/UA-1.

While laying out, only files under the template folders and data: URIs can be read: no
network, no other local file. Any WeasyPrint error or warning fails the paper.
WeasyPrint is loaded only when a paper is first written.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..paper import Paper
from . import RenderContext, RenderError
from .html import render_html

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher

# Notices about the machine's libraries, not about the paper: the output is the same.
MACHINE_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)


def write_pdf(html: str, dirs: tuple[Path, ...], moment: datetime) -> bytes:
    """Lay out the HTML as a tagged PDF/UA-1 document; any WeasyPrint error fails it.

    Font subsetting stamps the time from SOURCE_DATE_EPOCH, set here to moment, so the
    same inputs give the same bytes.
    """
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    allowed = [d.resolve() for d in dirs]
    messages: list[str] = []
    handler = Collect(messages)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        document = weasyprint.HTML(
            string=html, base_url=str(allowed[0]) + "/", url_fetcher=safe_fetcher(allowed)
        )
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    except FatalURLFetchingError as exc:
        raise RenderError(str(exc)) from exc
    finally:
        logger.removeHandler(handler)
    if messages:
        raise RenderError("WeasyPrint reported: " + "; ".join(messages))
    return pdf


def safe_fetcher(allowed: list[Path]) -> URLFetcher:
    """A WeasyPrint URL fetcher that reads only data: URIs and files inside allowed folders."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class SafeFetcher(URLFetcher):
        """Fetch only data: URIs and files inside the template folders."""

        def fetch(self, url: str, headers: dict | None = None):  # type: ignore[override]
            """The resource at url, or FatalURLFetchingError if it is not allowed."""
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url[len("file://") :].split("?")[0]).resolve()
                if any(path.is_relative_to(folder) for folder in allowed):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"refused to fetch {url}: only template files may be read")

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


class PdfWriter:
    """A tagged PDF/UA-1 document, for printing and for the committee's papers."""

    name = "pdf"
    suffix = ".pdf"
    description = "an accessible (tagged PDF/UA-1) document for printing and publishing"

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper's print HTML laid out as PDF."""
        html = render_html(paper, context.templates, "print", context.moment)
        return write_pdf(html, context.templates, context.moment)


WRITER = PdfWriter()
