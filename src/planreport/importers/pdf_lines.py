"""A PDF page as pdfplumber sees it for its ruling lines and fills, the paths read by pdfium.

pdfplumber finds a page's tables from its lines and rectangles, which pdfminer gets by
interpreting the page's content in Python, every character with them (50 pages: 18 s; 9 s
with the text skipped, the tokenising being most of it). Here pdfium reads the page and
each of its path objects (those inside form XObjects too) is handed to pdfplumber's own
layout device as pdfminer would hand it: the same segments, matrix, line width, fill and
stroke, so pdfplumber makes the same lines, rectangles and curves from them, and
`find_tables()` and `rects` work as they do on pdfminer's layout. The page holds no
characters (pdf_words reads the text) and no images. Colours are pdfium's RGB: a CMYK fill
is the colour pdfium would draw.
"""

from __future__ import annotations

import ctypes
from functools import cache
from typing import Any

Matrix = tuple[float, float, float, float, float, float]


def lines_page(pdf: Any, page_obj: Any, number: int, doctop: float, page: Any) -> Any:
    """A pdfplumber Page whose layout is the pypdfium2 page's paths, and nothing else."""
    made = _page_class()(pdf, page_obj, page_number=number, initial_doctop=doctop)
    made.pdfium_page = page
    return made


@cache
def _page_class() -> type:
    """pdfplumber's Page class, laying the page out from pdfium's paths (made once)."""
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent

    class _LinesPage(Page):  # type: ignore[misc]
        """pdfplumber's page with its layout made from pdfium's path objects."""

        pdfium_page: Any = None

        @property
        def layout(self) -> Any:
            """The page's paths as pdfplumber's layout would hold them."""
            if not hasattr(self, "_layout"):
                device = PDFPageAggregatorWithMarkedContent(
                    self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams
                )
                ctm = page_matrix(self.page_obj)
                device.begin_page(self.page_obj, ctm)
                _paint(device, self.pdfium_page.raw, ctm)
                device.end_page(self.page_obj)
                self._layout = device.get_result()
            return self._layout

    return _LinesPage


def page_matrix(page_obj: Any) -> Matrix:
    """pdfminer's matrix from page space to its layout space (MediaBox origin, rotation)."""
    x0, y0, x1, y1 = page_obj.mediabox
    if page_obj.rotate == 90:
        return (0, -1, 1, 0, -y0, x1)
    if page_obj.rotate == 180:
        return (-1, 0, 0, -1, x1, y1)
    if page_obj.rotate == 270:
        return (0, 1, -1, 0, y1, -x0)
    return (1, 0, 0, 1, -x0, -y0)


def times(m1: Matrix, m0: Matrix) -> Matrix:
    """m1 then m0, as pdfminer multiplies matrices."""
    a1, b1, c1, d1, e1, f1 = m1
    a0, b0, c0, d0, e0, f0 = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def _paint(device: Any, raw: Any, ctm: Matrix) -> None:
    """Every path object of a page, forms' included, painted on pdfplumber's device."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFPage_CountObjects(raw)
    stack = [(pdfium_c.FPDFPage_GetObject(raw, i), ctm) for i in reversed(range(count))]
    while stack:  # depth first, in the page's order, as pdfminer meets them
        handle, outer = stack.pop()
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            inner = times(_matrix(handle), outer)
            found = pdfium_c.FPDFFormObj_CountObjects(handle)
            stack += [
                (pdfium_c.FPDFFormObj_GetObject(handle, i), inner) for i in reversed(range(found))
            ]
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            _paint_path(device, handle, times(_matrix(handle), outer))


def _matrix(handle: Any) -> Matrix:
    """A page object's matrix (a form's, or a path's own)."""
    import pypdfium2.raw as pdfium_c

    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(handle, m):
        return (1, 0, 0, 1, 0, 0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _paint_path(device: Any, handle: Any, ctm: Matrix) -> None:
    """One path object given to the device as pdfminer's interpreter gives a painted path."""
    import pypdfium2.raw as pdfium_c

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(handle, fill, stroke):
        return
    device.ctm = ctm
    device.paint_path(
        _state(handle),
        bool(stroke.value),
        fill.value != pdfium_c.FPDF_FILLMODE_NONE,
        fill.value == pdfium_c.FPDF_FILLMODE_ALTERNATE,
        _segments(handle),
    )


def _segments(handle: Any) -> list[tuple[Any, ...]]:
    """A path's segments as pdfminer writes them: ('m', x, y), ('l', x, y), ('c', ...), ('h',)."""
    import pypdfium2.raw as pdfium_c

    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple[Any, ...]] = []
    curve: list[float] = []
    for index in range(pdfium_c.FPDFPath_CountSegments(handle)):
        segment = pdfium_c.FPDFPath_GetPathSegment(handle, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            curve += [x.value, y.value]
            if len(curve) == 6:
                out.append(("c", *curve))
                curve = []
        else:
            out.append(("m" if kind == pdfium_c.FPDF_SEGMENT_MOVETO else "l", x.value, y.value))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            out.append(("h",))
    return out


def _state(handle: Any) -> Any:
    """pdfminer's graphics state for a path: line width, dash, colours (RGB from 0 to 1)."""
    import pypdfium2.raw as pdfium_c
    from pdfminer.pdfinterp import PDFGraphicState

    state = PDFGraphicState()
    width = ctypes.c_float()
    if pdfium_c.FPDFPageObj_GetStrokeWidth(handle, width):
        state.linewidth = width.value
    state.ncolor = _colour(pdfium_c.FPDFPageObj_GetFillColor, handle)
    state.scolor = _colour(pdfium_c.FPDFPageObj_GetStrokeColor, handle)
    dashes = pdfium_c.FPDFPageObj_GetDashCount(handle)
    if dashes > 0:
        array = (ctypes.c_float * dashes)()
        pdfium_c.FPDFPageObj_GetDashArray(handle, array, dashes)
        phase = ctypes.c_float()
        pdfium_c.FPDFPageObj_GetDashPhase(handle, phase)
        state.dash = (list(array), phase.value)
    return state


def _colour(read: Any, handle: Any) -> tuple[float, float, float]:
    """A fill or stroke colour as RGB components from 0 to 1."""
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not read(handle, r, g, b, a):
        return (0.0, 0.0, 0.0)
    return (r.value / 255, g.value / 255, b.value / 255)
