"""The advance widths of a paper's font, read from its files, for `column-too-narrow`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from io import BytesIO
from pathlib import Path

from planreport.paper.fit import LIBERATION, Metrics
from planreport.writers import fonts


def metrics(family: str, dirs: Iterable[Path]) -> Metrics:
    """The family's regular and bold widths; Liberation Sans's if its files cannot be read."""
    try:
        found = [f for f in fonts.faces(family, tuple(dirs)) if not f.italic]
    except fonts.FontError:
        return LIBERATION
    regular = min(found, key=lambda f: abs(f.weight - 400), default=None)
    bold = min(found, key=lambda f: abs(f.weight - 700), default=None)
    if regular is None or bold is None:
        return LIBERATION
    widths = _widths(regular.path), _widths(bold.path)
    if not widths[0] or not widths[1]:
        return LIBERATION
    return Metrics(widths[0], widths[1], widths[0].get(ord("0"), LIBERATION.other))


@cache
def _widths(path: Path) -> dict[int, float]:
    """A font file's advance widths in ems by code point (empty if it cannot be read)."""
    from fontTools.ttLib import TTFont, TTLibError

    data = fonts.read_font(path)
    if data is None:
        return {}
    try:
        with TTFont(BytesIO(data), lazy=True, fontNumber=0) as font:
            per_em = font["head"].unitsPerEm
            advances = font["hmtx"].metrics
            cmap = font.getBestCmap() or {}
            return {point: advances[glyph][0] / per_em for point, glyph in cmap.items()}
    except (TTLibError, OSError, KeyError, AttributeError, AssertionError, ValueError):
        return {}
