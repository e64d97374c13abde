"""Charts as pictures: a stacked bar chart as SVG (HTML, PDF) or PNG (Word).

Every writer draws a `paper.Chart` through this module, so the bars have the same
colours everywhere: each status keeps its scheme colour, a status without one (or
sharing one) gets a distinct colour of its own, and every segment has a thin outline
so that white and pale segments stay visible. Colour is never the only carrier: the
legend names each status with its count, the SVG writes each segment's count on it
where it fits, and the chart's description (its alternative text) states every figure.

The PNG is drawn in pure Python (zlib, no imaging library) and holds bars only; the
Word writer puts the labels and the legend beside it as text.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from planreport.paper.model import Bar, Chart, Swatch, contrast

# Colours for statuses without one of their own (or sharing one), in order of use.
SPARE = ("#7F7F7F", "#FFFFFF", "#7030A0", "#C55A11", "#1F3864", "#A6A6A6", "#375623")
OUTLINE = "#000000"
DEFAULT_FONT = "Liberation Sans"

# SVG geometry, in points (the SVG's width and height are given in pt).
WIDTH = 510.0  # fits a portrait A4 page inside 15 mm margins, so never scaled down
FONT_SIZE = 10.0  # as large as table text (paper.css)
LABEL_WIDTH = 220.0  # each bar's label, left of it
ROW_HEIGHT = 19.0
BAR_HEIGHT = 13.0
TOTAL_WIDTH = 28.0  # room right of the longest bar for its total
LEGEND_BOX = 10.0
CHAR_WIDTH = 0.5  # average glyph advance of an Arial-metric font in mixed text, in ems


@dataclass(frozen=True)
class Key:
    """One legend entry: a status, its fill in the chart, and its count over all bars."""

    label: str
    colour: str
    count: int
    meaning: str | None = None

    @property
    def ink(self) -> str:
        """The text colour for a count written on this fill."""
        return contrast(self.colour)


def fills(chart: Chart) -> dict[str, str]:
    """Each status label's fill colour ('#RRGGBB'): its own colour, or a distinct spare."""
    chosen: dict[str, str] = {}
    used: set[str] = set()
    pending: list[str] = []
    for swatch in _swatches(chart):
        colour = (swatch.colour or "").upper()
        if colour and colour not in used:
            chosen[swatch.label] = colour
            used.add(colour)
        else:
            pending.append(swatch.label)
    spares = [c for c in SPARE if c not in used]
    for n, label in enumerate(pending):
        chosen[label] = spares[n] if n < len(spares) else _grey(n)
    return chosen


def legend(chart: Chart) -> list[Key]:
    """The legend: every status shown in the chart, in scheme order, with its total."""
    colours = fills(chart)
    totals: dict[str, int] = {}
    for bar in chart.bars:
        for count, swatch in bar.segments:
            totals[swatch.label] = totals.get(swatch.label, 0) + count
    return [
        Key(s.label, colours[s.label], totals.get(s.label, 0), s.meaning) for s in _swatches(chart)
    ]


def alt(chart: Chart) -> str:
    """The chart's alternative text: its title and every figure it shows."""
    return f"{chart.title}. {chart.description}" if chart.title else chart.description


def _swatches(chart: Chart) -> list[Swatch]:
    """Each status in the chart once, in the order first seen."""
    seen: dict[str, Swatch] = {}
    for bar in chart.bars:
        for _, swatch in bar.segments:
            seen.setdefault(swatch.label, swatch)
    return list(seen.values())


def _grey(n: int) -> str:
    """A grey for the nth status beyond the spare colours."""
    level = 64 + (n * 37) % 160
    return f"#{level:02X}{level:02X}{level:02X}"


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """An estimate of text's width in points (for laying out the legend)."""
    return len(text) * size * CHAR_WIDTH


def shorten(text: str, width: float, size: float = FONT_SIZE, em: float = CHAR_WIDTH) -> str:
    """text shortened at a word's end, with an ellipsis, to fit width points on one line.

    A label naming its group before a colon ("Recommendation 2: Ensure that all…") keeps
    the name alone. The full text is in the chart's alternative text (and the summary
    table's); a word is cut only when the first word alone is too long.
    """
    most = max(4, int(width / (size * em)))
    if len(text) <= most:
        return text
    name = text.split(": ", 1)[0]
    if name != text and len(name) <= most:
        return name
    cut = text[: most - 1]
    if " " in cut and not text[most - 1].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


def _num(value: float) -> str:
    """A coordinate, written briefly and always the same way."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def svg(chart: Chart, font: str = DEFAULT_FONT) -> str:
    """The chart as a standalone SVG document: a row per bar (label, bar, total), then a legend.

    Each bar's segments are drawn to scale against the largest bar, each with its count
    written on it where it fits; labels too long for their room are shortened (the
    chart's alternative text has them whole).
    """
    colours = fills(chart)
    family = quoteattr(f"{font}, sans-serif")
    span = WIDTH - LABEL_WIDTH - TOTAL_WIDTH
    parts: list[str] = []
    y = 0.0
    for bar in chart.bars:
        parts.append(_svg_bar(bar, chart.scale, colours, y, span))
        y += ROW_HEIGHT
    y += 6
    x = 0.0
    for key in legend(chart):
        text = f"{key.label} ({key.count})"
        need = LEGEND_BOX + 4 + _text_width(text) + 14
        if x and x + need > WIDTH:
            x, y = 0.0, y + ROW_HEIGHT
        parts.append(
            f'<rect x="{_num(x + 0.5)}" y="{_num(y + 0.5)}" width="{_num(LEGEND_BOX)}" '
            f'height="{_num(LEGEND_BOX)}" fill="{key.colour}" stroke="{OUTLINE}" '
            'stroke-width="0.75"/>'
            f'<text x="{_num(x + LEGEND_BOX + 4)}" y="{_num(y + LEGEND_BOX)}">{escape(text)}</text>'
        )
        x += need
    height = y + LEGEND_BOX + 4
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{_num(WIDTH)}pt" height="{_num(height)}pt" '
        f'viewBox="0 0 {_num(WIDTH)} {_num(height)}" '
        f'font-family={family} font-size="{_num(FONT_SIZE)}" fill="#000000">'
        f"<title>{escape(alt(chart))}</title>" + "".join(parts) + "</svg>"
    )


def _svg_bar(bar: Bar, scale: int, colours: dict[str, str], y: float, span: float) -> str:
    """One row: the bar's label, its segments with their counts, and its total."""
    middle = y + ROW_HEIGHT / 2 + FONT_SIZE / 3
    label = escape(shorten(bar.label, LABEL_WIDTH - 6))
    out = [f'<text x="0" y="{_num(middle)}">{label}</text>']
    top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
    x = LABEL_WIDTH + 0.5
    for count, swatch in bar.segments:
        width = span * count / scale
        fill = colours[swatch.label]
        out.append(
            f'<rect x="{_num(x)}" y="{_num(top)}" width="{_num(width)}" '
            f'height="{_num(BAR_HEIGHT)}" fill="{fill}" stroke="{OUTLINE}" stroke-width="0.5"/>'
        )
        words = str(count)
        if width >= _text_width(words) + 4:
            out.append(
                f'<text x="{_num(x + width / 2)}" y="{_num(middle)}" '
                f'text-anchor="middle" fill="{contrast(fill)}">{words}</text>'
            )
        x += width
    total = sum(n for n, _ in bar.segments)
    out.append(f'<text x="{_num(x + 4)}" y="{_num(middle)}">{total}</text>')
    return "".join(out)


def png(chart: Chart, width_px: int, band_px: int | None = None) -> bytes:
    """The chart's bars as a PNG image, width_px wide: one band per bar, top to bottom.

    Each band is band_px high (default width_px // 20, at least 12) with the bar in its
    middle two thirds; segments are to scale against the largest bar and outlined in
    black. No text is drawn: put each bar's label, its counts and the legend beside
    the image as text.
    """
    band = band_px or max(12, width_px // 20)
    colours = fills(chart)
    rows = [_png_band(bar, chart.scale, colours, width_px, band) for bar in chart.bars]
    pixels = [line for band_rows in rows for line in band_rows] or [b"\xff" * 3 * width_px]
    return encode_png(width_px, len(pixels), pixels)


def bar_png(bar: Bar, scale: int, colours: dict[str, str], width_px: int, height_px: int) -> bytes:
    """One bar as a PNG image (for a writer that puts each bar beside its label)."""
    return encode_png(width_px, height_px, _png_band(bar, scale, colours, width_px, height_px))


def _png_band(
    bar: Bar, scale: int, colours: dict[str, str], width_px: int, band: int
) -> list[bytes]:
    """The pixel rows (RGB bytes) of one bar's band."""
    white = b"\xff\xff\xff"
    black = b"\x00\x00\x00"
    top = band // 6
    bottom = band - top - 1
    line = bytearray(white * width_px)
    edges: list[int] = []
    x = 0.0
    for count, swatch in bar.segments:
        start = round(x)
        x += (width_px - 1) * count / scale
        end = round(x)
        rgb = bytes.fromhex(colours[swatch.label][1:])
        line[start * 3 : end * 3] = rgb * (end - start)
        edges += [start, min(end, width_px - 1)]
    filled = round(x)
    for edge in edges:
        line[edge * 3 : edge * 3 + 3] = black
    outline = bytearray(white * width_px)
    outline[0 : (filled + 1) * 3] = black * (filled + 1) if filled else b""
    blank = bytes(white * width_px)
    rows: list[bytes] = []
    for y in range(band):
        if y < top or y > bottom or not filled:
            rows.append(blank)
        elif y in (top, bottom):
            rows.append(bytes(outline))
        else:
            rows.append(bytes(line))
    return rows


def encode_png(width: int, height: int, rows: list[bytes]) -> bytes:
    """RGB pixel rows as PNG bytes (8 bits per channel, no filter, zlib level 9)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )
