"""A PDF page as pdfplumber sees it for its ruling lines and fills, with no text drawn.

pdfplumber finds a page's tables from its lines and rectangles; pdfminer, under it, would
also work out every character's place and font, which pdf_words reads from pdfium instead.
The interpreter here skips the text operators (and the fonts they load), so the page holds
only paths and images: `find_tables()` and `rects` are what pdfplumber gives with the text.
"""

from __future__ import annotations

from functools import cache
from typing import Any


def lines_page(pdf: Any, page_obj: Any, number: int, doctop: float) -> Any:
    """A pdfplumber Page whose layout holds no characters, only paths and images."""
    return _page_class()(pdf, page_obj, page_number=number, initial_doctop=doctop)


@cache
def _page_class() -> type:
    """pdfplumber's Page class, laying the page out without its text (made once)."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

    class _NoText(PDFPageInterpreter):
        """pdfminer's interpreter with the text-showing operators doing nothing."""

        def do_TJ(self, seq: Any) -> None:
            """Show text with adjustments: skipped."""

        def do_Tj(self, s: Any) -> None:
            """Show text: skipped."""

        def do__q(self, s: Any) -> None:
            """Next line, show text (the ' operator): skipped."""

        def do__w(self, aw: Any, ac: Any, s: Any) -> None:
            """Spacing, next line, show text (the " operator): skipped."""

        def do_Tf(self, fontid: Any, fontsize: Any) -> None:
            """Choose a font: skipped, as no text is shown."""

    class _LinesPage(Page):  # type: ignore[misc]
        """pdfplumber's page, laid out by the interpreter above."""

        @property
        def layout(self) -> Any:
            """The page's paths and images, as pdfplumber's layout would hold them."""
            if not hasattr(self, "_layout"):
                device = PDFPageAggregatorWithMarkedContent(
                    self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams
                )
                _NoText(self.pdf.rsrcmgr, device).process_page(self.page_obj)
                self._layout = device.get_result()
            return self._layout

    return _LinesPage
