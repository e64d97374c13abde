"""A PDF page's words from pdfium (pypdfium2): the text layer, read in C.

pdfplumber gives the same words, but pdfminer interprets every character in Python (50
pages took 15 s). Here pdfium reads each character and the words are built as pdfplumber's
`extract_words` builds them with its default tolerances, grouped by font, size and
marked-content tag, in pdfplumber's coordinates: top measured down from the top of the
MediaBox, the page's rotation applied, a character's box running from its font's descent
to one font size above it. tests/test_import_pdf.py holds the two to the same words.
Text turned on the page (not upright) takes pdfium's own box for each character.
"""

from __future__ import annotations

import ctypes
import itertools
from collections import Counter
from collections.abc import Iterator
from typing import Any

from planreport.importers.pdf_lines import Matrix, page_matrix, times

_TOLERANCE = 3.0  # points: pdfplumber's x_tolerance and y_tolerance
_HYPHEN = (2, 0xFFFE)  # pdfium's mark for a hyphen ending a line (GetUnicode, GetText)
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}

# A character as pdfplumber keeps it: text, x0, top, x1, bottom, upright, font, size, tag
Char = tuple[str, float, float, float, float, bool, str, float, str | None]
_Style = tuple[tuple[float, float, float, float], float, float, str, str | None, bool]


def page_words(page: Any, plumber_page: Any) -> list[dict[str, Any]]:
    """A pypdfium2 page's words as pdfplumber's extract_words gives them (font, size, tag).

    plumber_page is the same page as pdfplumber sees it: its MediaBox, rotation and height.
    """
    textpage = page.get_textpage()
    try:
        tags = _form_tags(page.raw)
        chars = list(_chars(textpage.raw, page_matrix(plumber_page.page_obj), plumber_page, tags))
    finally:
        textpage.close()
    words = []
    for (upright, *_), group in itertools.groupby(chars, lambda c: (c[5], c[6], c[7], c[8])):
        along, across = (1, 2) if upright else (2, 1)  # left to right, or top to bottom
        for line in _clusters(list(group), across):
            line.sort(key=lambda c: c[along])
            words += [_merge(word) for word in _split(line, along, across)]
    return words


def _chars(raw: Any, page: Matrix, plumber_page: Any, tags: dict[int, str]) -> Iterator[Char]:
    """Every character pdfium read on the page (none it inferred), in content order."""
    styles: dict[int | None, _Style] = {}
    found = _found(raw, page, tags, styles)
    shared = Counter((key, x, y) for _i, _c, key, x, y, _w in found)  # a ligature's letters
    height, (left, top) = plumber_page.height, plumber_page.mediabox[:2]
    for index, code, key, x, y, width in found:
        (a, b, c, d), size, descent, font, tag, upright = styles[key]
        if b or c or not a:  # text turned on the page: pdfium's box
            (x0, y0), (x1, y1) = _loose(raw, index)
        else:  # pdfminer's box: the advance, from the font's descent to one size above
            if shared[key, x, y] > 1 or not width or code in _HYPHEN:  # a ligature, a hyphen
                (x0, _), (x1, _) = _loose(raw, index)
                width = (x1 - x0) / a
            x0, y0, x1, y1 = x, y + d * descent, x + a * width, y + d * (descent + size)
        (x0, y0), (x1, y1) = _apply(page, (x0, y0)), _apply(page, (x1, y1))
        x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
        text = "-" if code in _HYPHEN else chr(code if 0 < code < 0x110000 else 0xFFFD)
        text = _LIGATURES.get(text, text)
        box = (x0 + left, height - y1 + top, x1 + left, height - y0 + top)
        yield (text, *box, upright, font, y1 - y0, tag)


def _found(
    raw: Any, page: Matrix, tags: dict[int, str], styles: dict[int | None, _Style]
) -> list[tuple[int, int, int | None, float, float, float]]:
    """Each character's index, code, text object, origin and advance; styles filled in."""
    import pypdfium2.raw as pdfium_c

    widths: dict[tuple[int | None, int], float] = {}
    x, y = ctypes.c_double(), ctypes.c_double()
    found = []
    codes = _codes(raw)
    for index, code in enumerate(codes):
        if pdfium_c.FPDFText_IsGenerated(raw, index):
            continue  # a space or line break pdfium inferred, not in the file
        handle = pdfium_c.FPDFText_GetTextObject(raw, index)
        key = ctypes.c_void_p.from_buffer(handle).value  # the object's address
        if key not in styles:
            styles[key] = _style(raw, index, handle, tags, page)
        if (key, code) not in widths:
            widths[key, code] = _width(handle, code, styles[key][1])
        pdfium_c.FPDFText_GetCharOrigin(raw, index, x, y)
        found.append((index, code, key, x.value, y.value, widths[key, code]))
    return found


def _codes(raw: Any) -> list[int]:
    """Each character's Unicode code point, read at once (one by one beyond the BMP)."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFText_CountChars(raw)
    units = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, units)  # with the closing 0
    codes = list(units[: max(written - 1, 0)])
    if len(codes) == count and not any(0xD800 <= code < 0xE000 for code in codes):
        return codes
    return [pdfium_c.FPDFText_GetUnicode(raw, index) for index in range(count)]


def _loose(raw: Any, index: int) -> list[tuple[float, float]]:
    """Two corners of pdfium's box for a character (its font's ascent to descent)."""
    import pypdfium2.raw as pdfium_c

    box = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(raw, index, box)
    return [(box.left, box.bottom), (box.right, box.top)]


def _width(handle: Any, code: int, size: float) -> float:
    """A character's advance in its font at this size (0 where pdfium cannot say)."""
    import pypdfium2.raw as pdfium_c

    width = ctypes.c_float()
    font = pdfium_c.FPDFTextObj_GetFont(handle)
    if not pdfium_c.FPDFFont_GetGlyphWidth(font, code, size, width):
        return 0.0
    return width.value


def _style(raw: Any, index: int, handle: Any, tags: dict[int, str], page: Matrix) -> _Style:
    """A text object's matrix, font size, descent, font name, innermost tag, uprightness."""
    import pypdfium2.raw as pdfium_c

    matrix, size, descent = pdfium_c.FS_MATRIX(), ctypes.c_float(), ctypes.c_float()
    pdfium_c.FPDFText_GetMatrix(raw, index, matrix)
    pdfium_c.FPDFTextObj_GetFontSize(handle, size)
    font = pdfium_c.FPDFTextObj_GetFont(handle)
    pdfium_c.FPDFFont_GetDescent(font, size, descent)
    full = times((matrix.a, matrix.b, matrix.c, matrix.d, 0, 0), page)
    name = ctypes.create_string_buffer(256)
    pdfium_c.FPDFFont_GetBaseFontName(font, name, 256)
    return (
        (matrix.a, matrix.b, matrix.c, matrix.d),
        size.value,
        descent.value,
        name.value.decode("utf-8", "replace"),
        _tag(handle) or tags.get(ctypes.cast(handle, ctypes.c_void_p).value or 0),
        full[0] * full[3] > 0 and full[1] * full[2] <= 0,  # pdfminer's test, page turned
    )


def _form_tags(raw: Any) -> dict[int, str]:
    """The tag each object drawn inside a form XObject takes from the form's own."""
    import pypdfium2.raw as pdfium_c

    found: dict[int, str] = {}
    stack = [
        (pdfium_c.FPDFPage_GetObject(raw, i), None)
        for i in range(pdfium_c.FPDFPage_CountObjects(raw))
    ]
    while stack:
        handle, outer = stack.pop()
        if pdfium_c.FPDFPageObj_GetType(handle) != pdfium_c.FPDF_PAGEOBJ_FORM:
            if outer:
                found[ctypes.c_void_p.from_buffer(handle).value or 0] = outer
            continue
        inner = _tag(handle) or outer
        stack += [
            (pdfium_c.FPDFFormObj_GetObject(handle, i), inner)
            for i in range(pdfium_c.FPDFFormObj_CountObjects(handle))
        ]
    return found


def _tag(handle: Any) -> str | None:
    """The name of the innermost marked content a text object is in (Figure, Span...)."""
    import pypdfium2.raw as pdfium_c

    count = pdfium_c.FPDFPageObj_CountMarks(handle)
    if count < 1:
        return None
    mark = pdfium_c.FPDFPageObj_GetMark(handle, count - 1)
    buffer, length = (ctypes.c_ushort * 128)(), ctypes.c_ulong()
    if not pdfium_c.FPDFPageObjMark_GetName(mark, buffer, 256, length):
        return None
    return bytes(buffer)[: max(length.value - 2, 0)].decode("utf-16-le", "replace")


def _apply(m: Matrix, point: tuple[float, float]) -> tuple[float, float]:
    """A point through a matrix, as pdfminer applies one."""
    x, y = point
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _clusters(chars: list[Char], key: int) -> list[list[Char]]:
    """Characters in lines: pdfplumber's cluster_objects on top (on x0 for turned text)."""
    number: dict[float, int] = {}
    previous: float | None = None
    for value in sorted({c[key] for c in chars}):
        if previous is None or value > previous + _TOLERANCE:
            number[value] = len(set(number.values()))
        else:
            number[value] = number[previous]
        previous = value
    lines: dict[int, list[Char]] = {}
    for char in chars:
        lines.setdefault(number[char[key]], []).append(char)
    return [lines[n] for n in sorted(lines)]


def _split(line: list[Char], along: int, across: int) -> Iterator[list[Char]]:
    """A line's characters in words: split at blanks, gaps over 3 pt, steps back or across."""
    word: list[Char] = []
    end = along + 2  # x1 after x0, bottom after top
    for char in line:
        if char[0].isspace():
            if word:
                yield word
            word = []
        elif word and (
            char[along] < word[-1][along]
            or char[along] > word[-1][end] + _TOLERANCE
            or abs(char[across] - word[-1][across]) > _TOLERANCE
        ):
            yield word
            word = [char]
        else:
            word.append(char)
    if word:
        yield word


def _merge(chars: list[Char]) -> dict[str, Any]:
    """A word from its characters, with its first character's font, size and tag."""
    first = chars[0]
    return {
        "text": "".join(c[0] for c in chars),
        "x0": min(c[1] for c in chars),
        "top": min(c[2] for c in chars),
        "x1": max(c[3] for c in chars),
        "bottom": max(c[4] for c in chars),
        "upright": first[5],
        "fontname": first[6],
        "size": first[7],
        "tag": first[8],
    }
