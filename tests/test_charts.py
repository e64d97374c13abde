"""Charts as pictures (issue 8, item 4): SVG for HTML and PDF, PNG for Word."""

from __future__ import annotations

import struct
import zlib
from xml.etree import ElementTree

from planreport.paper import charts
from planreport.paper.model import Bar, Chart, Swatch, contrast

COMPLETED = Swatch("Completed", None)  # a scheme level with no colour of its own
NONE = Swatch("No status", "#FFFFFF")
BLUE = Swatch("Blue", "#0070C0")
ALSO_BLUE = Swatch("Azure", "#0070c0")  # the same colour as another level

CHART = Chart(
    "Actions by status in each group",
    [
        Bar("Recommendation 1: Improve audits", [(3, BLUE), (2, COMPLETED), (1, NONE)]),
        Bar("Recommendation 2: Listen to children", [(4, ALSO_BLUE)]),
    ],
    "Recommendation 1: Improve audits: 3 Blue, 2 Completed, 1 No status; "
    "Recommendation 2: Listen to children: 4 Azure.",
)


def test_every_status_gets_a_colour_of_its_own() -> None:
    fills = charts.fills(CHART)
    assert fills["Blue"] == "#0070C0"
    assert len(set(fills.values())) == len(fills) == 4
    assert fills["No status"] == "#FFFFFF" and fills["Completed"] != "#FFFFFF"


def test_the_legend_names_each_status_with_its_count() -> None:
    keys = charts.legend(CHART)
    assert [(k.label, k.count) for k in keys] == [
        ("Blue", 3),
        ("Completed", 2),
        ("No status", 1),
        ("Azure", 4),
    ]
    for key in keys:
        assert key.ink == contrast(key.colour)


def test_the_svg_has_a_title_a_legend_and_counts_in_words() -> None:
    svg = charts.svg(CHART)
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.find(f"{ns}title").text == charts.alt(CHART)
    texts = [t.text for t in root.iter(f"{ns}text")]
    for legend in ("Blue (3)", "Completed (2)", "No status (1)", "Azure (4)"):
        assert legend in texts
    assert "Recommendation 1: Improve audits" in texts
    assert {"3", "6", "4"} <= set(texts)  # counts on the bars and each bar's total
    assert 'font-family="Liberation Sans, sans-serif"' in svg
    # every segment is outlined, so that a white one still shows
    rects = [r for r in root.iter(f"{ns}rect")]
    assert rects and all(r.get("stroke") == "#000000" for r in rects)


def test_the_alternative_text_states_the_figures() -> None:
    assert charts.alt(CHART) == (
        "Actions by status in each group. Recommendation 1: Improve audits: 3 Blue, "
        "2 Completed, 1 No status; Recommendation 2: Listen to children: 4 Azure."
    )


def _png(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    start = data.index(b"IDAT") + 4
    length = struct.unpack(">I", data[start - 8 : start - 4])[0]
    return width, height, zlib.decompress(data[start : start + length])


def test_the_png_holds_the_bars_to_scale() -> None:
    width, height, raw = _png(charts.png(CHART, 300))
    band = max(12, 300 // 20)
    assert (width, height) == (300, 2 * band)
    row = raw[(band // 2) * (3 * width + 1) + 1 :][: 3 * width]
    pixels = [row[i : i + 3] for i in range(0, len(row), 3)]
    blue = sum(1 for p in pixels if p == bytes.fromhex("0070C0"))
    assert 140 <= blue <= 150  # 3 of the largest bar's 6, in 300 pixels, less outlines
    assert pixels[-1] == b"\x00\x00\x00"  # the largest bar ends, outlined, at the right edge
    one = charts.bar_png(CHART.bars[1], CHART.scale, charts.fills(CHART), 120, 16)
    assert _png(one)[:2] == (120, 16)
