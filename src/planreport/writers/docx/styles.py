"""The reference document's styles, as the Word writer uses them: names, and what they measure.

The row-height estimator (rows.py) needs each table paragraph style's type size, line
height, spacing and indent and the table style's cell margins; Word resolves them through
each style's basedOn chain to the document defaults, and so do these functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import docx

STYLES = {
    "title": "Title",
    "subtitle": "Subtitle",
    "body": "Normal",
    "bullet": "List Bullet",
    "h1": "Heading 1",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "caption": "Caption",
    "table": "Table Grid",
    "cell": "Table Text",
    "cell-heading": "Table Heading",
    "cell-bullet": "Table Bullet",
}
LINE_EM = 1.149  # a line of an Arial-metric font, ascent to descent, in ems


def style_chain(document: docx.document.Document, name: str) -> list:
    """A style's element and those of the styles it is based on, nearest first."""
    from docx.oxml.ns import qn

    by_id = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
    element = next(
        (
            style
            for style in by_id.values()
            if (label := style.find(qn("w:name"))) is not None
            and (label.get(qn("w:val")) or "").lower() == name.lower()  # Word's "heading 1"
        ),
        None,
    )
    chain: list = []
    while element is not None and all(element is not e for e in chain) and len(chain) < 50:
        chain.append(element)
        based = element.find(qn("w:basedOn"))
        element = by_id.get(based.get(qn("w:val"))) if based is not None else None
    return chain


def _layers(chain: list, defaults: object | None = None) -> list[tuple[object, object]]:
    """(pPr, rPr) of each style in a chain, then of the document defaults if given."""
    from docx.oxml.ns import qn

    layers = [(e.find(qn("w:pPr")), e.find(qn("w:rPr"))) for e in chain]
    if defaults is not None:
        layers.append(
            (
                defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}"),
                defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"),
            )
        )
    return layers


def _inherited(layers: list, which: int, tag: str, attr: str) -> str | None:
    """The nearest value of an attribute of a pPr (which 0) or rPr (which 1) child."""
    from docx.oxml.ns import qn

    for layer in layers:
        props = layer[which]
        child = props.find(qn(tag)) if props is not None else None
        if child is not None and child.get(qn(attr)) is not None:
            return child.get(qn(attr))
    return None


def _points(twips: str | None, default: float | None) -> float | None:
    """A twips attribute in points (default if missing or not a number)."""
    try:
        return float(twips) / 20 if twips is not None else default
    except ValueError:
        return default


def _spacing(layers: list, size: float) -> tuple[float | None, float | None]:
    """The line height and space around a paragraph in points, None where nothing says."""
    rule = _inherited(layers, 0, "w:spacing", "w:lineRule") or "auto"
    value = _points(_inherited(layers, 0, "w:spacing", "w:line"), None)
    single = size * LINE_EM
    line = None
    if value is not None:
        line = (
            value
            if rule == "exact"
            else max(value, single)
            if rule == "atLeast"
            else (single * value / 12)
        )
    before = _points(_inherited(layers, 0, "w:spacing", "w:before"), None)
    after = _points(_inherited(layers, 0, "w:spacing", "w:after"), None)
    space = None if before is None and after is None else (before or 0) + (after or 0)
    return line, space


def metrics(
    document: docx.document.Document, name: str, table: list
) -> tuple[float, bool, float, float, float]:
    """A paragraph style in a table: type size, bold, line height, spacing, indent (points).

    table: the table style's chain. Where it sets line or paragraph spacing too, the larger
    counts (Word and LibreOffice settle which wins differently).
    """
    from docx.oxml.ns import qn

    layers = _layers(style_chain(document, name), document.styles.element.find(qn("w:docDefaults")))
    try:
        size = float(_inherited(layers, 1, "w:sz", "w:val") or 20) / 2
    except ValueError:
        size = 10.0
    bold = next(
        (
            (rpr.find(qn("w:b")).get(qn("w:val")) or "1") not in ("0", "false", "off")
            for _, rpr in layers
            if rpr is not None and rpr.find(qn("w:b")) is not None
        ),
        False,
    )
    line, space = _spacing(layers, size)
    table_line, table_space = _spacing(_layers(table), size)
    line = max(line or size * LINE_EM, table_line or 0)
    space = max(space or 0, table_space or 0)
    indent = _points(
        _inherited(layers, 0, "w:ind", "w:left") or _inherited(layers, 0, "w:ind", "w:start"),
        None,
    )
    if indent is None:
        number = None
        for ppr, _ in layers:
            found = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}") if ppr is not None else None
            if found is not None:
                number = found.get(qn("w:val"))
                break
        indent = _list_indent(document, number) if number is not None else 0.0
    return size, bold, line, space, indent


def _list_indent(document: docx.document.Document, number: str) -> float:
    """The left indent of a numbering's first level in points (18 if it cannot be found)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    try:  # not document.part.numbering_part, which adds one where there is none
        numbering = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except (KeyError, AttributeError):
        return 18.0
    wanted = next(
        (
            n.find(qn("w:abstractNumId")).get(qn("w:val"))
            for n in numbering.iter(qn("w:num"))
            if n.get(qn("w:numId")) == number and n.find(qn("w:abstractNumId")) is not None
        ),
        None,
    )
    for item in numbering.iter(qn("w:abstractNum")):
        if item.get(qn("w:abstractNumId")) != wanted:
            continue
        for level in item.iter(qn("w:lvl")):
            ind = level.find(f"{qn('w:pPr')}/{qn('w:ind')}")
            if level.get(qn("w:ilvl")) in (None, "0") and ind is not None:
                return _points(ind.get(qn("w:left")) or ind.get(qn("w:start")), 18.0) or 0.0
    return 18.0


def cell_margins(table: list) -> tuple[float, float, float, float]:
    """A table style's cell margins in points: top, bottom, left, right (Word's defaults)."""
    from docx.oxml.ns import qn

    sides = ((("top",), 0.0), (("bottom",), 0.0), (("left", "start"), 5.4), (("right", "end"), 5.4))
    out = []
    for names, default in sides:
        value = None
        for style in table:
            margins = style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
            found = (
                next((m for n in names if (m := margins.find(qn(f"w:{n}"))) is not None), None)
                if margins is not None
                else None
            )
            if found is not None and found.get(qn("w:w")) is not None:
                value = found.get(qn("w:w"))
                break
        out.append(_points(value, default) or 0.0)
    top, bottom, left, right = out
    return top, bottom, left, right


def table_indent(document: docx.document.Document) -> int:
    """How far to indent tables, in twips, so their borders line up with the text (as in the PDF).

    Word up to 2010 (and LibreOffice, for such documents) measure a table's indent to its
    first cell's text, so the border sits out in the margin by the cell's left margin
    unless the table is indented by that much; from Word 2013 the indent is the border's.
    """
    from docx.oxml.ns import qn

    settings = document.settings.element
    for compat in settings.iter(qn("w:compatSetting")):
        mode = compat.get(qn("w:val")) or ""
        if compat.get(qn("w:name")) == "compatibilityMode" and mode.isdigit() and int(mode) >= 15:
            return 0

    for style in document.styles.element.iter(qn("w:style")):
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) == STYLES["table"]:
            left = style.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn('w:left')}")
            if left is not None and (left.get(qn("w:w")) or "").isdigit():
                return int(left.get(qn("w:w")))
    return 108  # Word's default
