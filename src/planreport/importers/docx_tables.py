"""Reading a Word document into the neutral model: paragraphs and tables in reading order.

python-docx opens the package (relationships, styles, the footnotes part); the body is
then walked as WordprocessingML directly, because python-docx's table API neither
resolves vertical merges nor shading, and its `cell(r, c)` is quadratic in table size.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from planreport.importers import hidden
from planreport.importers.grid import (
    MAX_COLUMNS,
    Cell,
    Line,
    Para,
    Row,
    Source,
    Table,
    clean,
    markdown_escape,
    strip_control,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_BULLET_CHARS = re.compile(r"^[•·▪◦‣∙●○■□➢➤►\-–*]\s+|^o\s+(?=[A-Z])")
_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_HEADING = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_CONTAINERS = {f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag", f"{W}ins"}


@dataclass
class _Segment:
    """A stretch of a paragraph's text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    note: str | None = None


@dataclass
class _Context:
    """What paragraph reading needs from the package: style names and link targets."""

    styles: dict[str, str] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)
    origin: int = 0
    keep_hidden: bool = True  # read text formatted as hidden (w:vanish) as if shown
    hidden: list[str] = field(default_factory=list)  # hidden text met since the last look

    def take_hidden(self) -> str:
        """The hidden text met since the last call, shortened for a message."""
        words = " ".join(" ".join(self.hidden).split())
        self.hidden = []
        return words if len(words) <= 60 else words[:57] + "..."

    def next_origin(self) -> int:
        """A new number for a source cell."""
        self.origin += 1
        return self.origin


def read_docx(data: bytes, name: str, keep_hidden: bool = True) -> Source:
    """A Word document's paragraphs, tables and footnotes, hidden text kept or not."""
    import docx

    document = docx.Document(io.BytesIO(data))
    context = _Context(
        {style.style_id: style.name or "" for style in document.styles},
        {
            rid: rel.target_ref
            for rid, rel in document.part.rels.items()
            if rel.is_external and _SAFE_LINK.match(rel.target_ref or "")
        },
        keep_hidden=keep_hidden,
    )
    source = Source(name, "docx", footnotes=_footnotes(document, context))
    context.take_hidden()
    _walk(document.element.body, source, context)
    return source


def _walk(element: Any, source: Source, context: _Context) -> None:
    """Add the paragraphs and tables under element to source, in order."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{W}p":
            para = _paragraph(child, context)
            if para.plain:
                source.blocks.append(para)
            if words := context.take_hidden():
                place = f"the text before table {len(source.tables) + 1}"
                keep = context.keep_hidden
                source.notes.append(f"{place}: hidden text ('{words}'), {hidden.outcome(keep)}")
        elif tag == f"{W}tbl":
            number = len(source.tables) + 1
            source.blocks.append(_table(child, number, context))
        elif tag in _CONTAINERS:
            _walk(child, source, context)


def _style(p: Any, context: _Context) -> str:
    """The name of a paragraph's style."""
    style = p.find(f"{W}pPr/{W}pStyle")
    return context.styles.get(style.get(f"{W}val"), "") if style is not None else ""


def _paragraph(p: Any, context: _Context) -> Para:
    """A body paragraph: its text, style and heading level."""
    lines = _lines(p, context)
    markdown = " ".join(line.markdown for line in lines)
    plain = " ".join(line.plain for line in lines)
    bullet = any(line.bullet for line in lines[:1])
    style = _style(p, context)
    level = 0
    if style.lower() == "title":
        level = 1
    elif match := _HEADING.match(style):
        level = int(match.group(1))
    else:
        outline = p.find(f"{W}pPr/{W}outlineLvl")
        if outline is not None and (outline.get(f"{W}val") or "").isdigit():
            level = int(outline.get(f"{W}val")) + 1
    return Para(markdown, plain, style, level if level <= 6 else 0, bullet)


def _lines(p: Any, context: _Context) -> list[Line]:
    """A paragraph as lines of Markdown (one per line break), with bullets and bold tails."""
    bullet = _is_list(p, context)
    lines = []
    for segments in _split_at_breaks(_segments(p, context)):
        line_bullet = bullet
        plain = clean("".join(s.text for s in segments if not s.note))
        if not line_bullet and (match := _BULLET_CHARS.match(plain)):
            line_bullet = True
            plain = plain[match.end() :]
            segments = _drop_prefix(segments, match.end())
        markdown = _markdown(segments)
        if plain or "[^" in markdown:
            lines.append(Line(markdown, plain, line_bullet, _tail(segments)))
    return lines


def _split_at_breaks(segments: list[_Segment]) -> list[list[_Segment]]:
    """Segments grouped into lines at each line break."""
    groups: list[list[_Segment]] = [[]]
    for segment in segments:
        pieces = segment.text.split("\n") if not segment.note else [""]
        for i, piece in enumerate(pieces):
            if i:
                groups.append([])
            if piece or segment.note:
                groups[-1].append(
                    _Segment(piece, segment.bold, segment.italic, segment.link, segment.note)
                )
    return groups


def _is_list(p: Any, context: _Context) -> bool:
    """Whether the paragraph is a list item, by numbering or by style."""
    num = p.find(f"{W}pPr/{W}numPr/{W}numId")
    if num is not None and num.get(f"{W}val") not in (None, "0"):
        return True
    style = _style(p, context).lower()
    return "bullet" in style or style.startswith("list")


def _drop_prefix(segments: list[_Segment], count: int) -> list[_Segment]:
    """Segments without their first count characters of (cleaned) text."""
    out: list[_Segment] = []
    remaining = count
    for segment in segments:
        text = segment.text.lstrip() if not out and remaining == count else segment.text
        if remaining > 0 and not segment.note:
            cut = min(remaining, len(text))
            text, remaining = text[cut:], remaining - cut
        if text or segment.note:
            out.append(_Segment(text, segment.bold, segment.italic, segment.link, segment.note))
    return out


def _segments(p: Any, context: _Context) -> list[_Segment]:
    """The styled stretches of text in a paragraph (fields show their result)."""
    out: list[_Segment] = []
    _collect(p, context, out, None, [False])
    return out


def _collect(
    element: Any, context: _Context, out: list[_Segment], link: str | None, in_field: list[bool]
) -> None:
    """Gather runs under element, descending into links, insertions and content controls."""
    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{W}r":
            if _vanished(child):
                context.hidden.append("".join(t.text or "" for t in child.iter(f"{W}t")))
                if not context.keep_hidden:
                    continue
            _run(child, out, link, in_field)
        elif tag == f"{W}hyperlink":
            _collect(child, context, out, context.links.get(child.get(R_ID) or ""), in_field)
        elif tag in _CONTAINERS or tag == f"{W}fldSimple":
            _collect(child, context, out, link, in_field)


def _run(r: Any, out: list[_Segment], link: str | None, in_field: list[bool]) -> None:
    """One run's text with its bold, italic and superscript."""
    props = r.find(f"{W}rPr")
    bold = italic = superscript = False
    if props is not None:
        bold = _on(props.find(f"{W}b"))
        italic = _on(props.find(f"{W}i"))
        align = props.find(f"{W}vertAlign")
        superscript = align is not None and align.get(f"{W}val") == "superscript"
    text: list[str] = []
    for child in r.iterchildren():
        tag = child.tag
        if tag == f"{W}fldChar":
            kind = child.get(f"{W}fldCharType")
            in_field[0] = kind == "begin" or (in_field[0] and kind not in ("separate", "end"))
        elif in_field[0]:
            continue
        elif tag == f"{W}t":
            text.append(child.text or "")
        elif tag in (f"{W}tab", f"{W}ptab"):
            text.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            text.append("\n")
        elif tag == f"{W}noBreakHyphen":
            text.append("-")
        elif tag in (f"{W}footnoteReference", f"{W}endnoteReference"):
            prefix = "" if tag == f"{W}footnoteReference" else "e"
            out.append(_Segment("", note=f"{prefix}{child.get(f'{W}id')}"))
    joined = "".join(text)
    if not joined:
        return
    if superscript and joined.strip().isdigit():
        out.append(_Segment("", note=joined.strip()))
        return
    out.append(_Segment(joined, bold, italic, link))


def _vanished(r: Any) -> bool:
    """Whether a run is formatted as hidden text (Word's Font > Hidden, w:vanish)."""
    return _on(r.find(f"{W}rPr/{W}vanish"))


def _on(element: Any) -> bool:
    """Whether a toggle property such as <w:b/> is on."""
    return element is not None and element.get(f"{W}val") not in ("0", "false", "off")


def _markdown(segments: list[_Segment]) -> str:
    """Segments as plan Markdown: bold, italic, links and note markers."""
    whole_bold = all(s.bold for s in segments if s.text.strip())
    out: list[str] = []
    for segment in segments:
        if segment.note:
            out.append(f"[^{segment.note}]")
            continue
        text = markdown_escape(strip_control(segment.text))
        core = text.strip()
        if not core:
            out.append(" " if segment.text else "")
            continue
        lead = " " if text[:1].isspace() else ""
        trail = " " if text[-1:].isspace() else ""
        if segment.link:
            core = f"[{core}]({segment.link})"
        if segment.italic:
            core = f"*{core}*"
        if segment.bold and not whole_bold:
            core = f"**{core}**"
        out.append(f"{lead}{core}{trail}")
    text = "".join(out)
    text = text.replace("****", "").replace("** **", " ")  # a bold phrase split into runs
    return "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")).strip()


def _tail(segments: list[_Segment]) -> str | None:
    """A bold phrase that ends a paragraph after plain text, as milestone dates are written."""
    texts = [s for s in segments if s.text.strip()]
    if len(texts) < 2 or not texts[-1].bold:
        return None
    tail: list[str] = []
    for segment in reversed(texts):
        if not segment.bold:
            break
        tail.insert(0, segment.text)
    if len(tail) == len(texts):
        return None
    return clean("".join(tail)) or None


def _table(tbl: Any, number: int, context: _Context) -> Table:
    """A Word table as a grid, merged cells resolved, hidden text kept or left out."""
    caption = tbl.find(f"{W}tblPr/{W}tblCaption")
    caption_text = caption.get(f"{W}val") if caption is not None else ""
    rows: list[Row] = []
    notes: list[str] = []
    above: dict[int, Cell] = {}
    trs = list(tbl.iterchildren(f"{W}tr"))
    width = _grid_width(tbl, trs)
    for index, tr in enumerate(trs, start=1):
        hidden_words: list[tuple[int, str]] = []
        cells = _row(tr, width, above, context, hidden_words)
        if hidden_words:
            notes.append(_hidden_note(index, hidden_words, context.keep_hidden))
            if not context.keep_hidden and all(cell.empty for cell in cells):
                continue  # a row whose words are all hidden, left out
        rows.append(Row(index, cells))
    name = f"table {number}" + (f" ('{caption_text}')" if caption_text else "")
    return Table(number, name, rows, caption_text or "", notes=[f"{name}, {n}" for n in notes])


def _row(
    tr: Any, width: int, above: dict[int, Cell], context: _Context, hidden: list[tuple[int, str]]
) -> list[Cell]:
    """A table row's grid cells; each cell's hidden text is added to hidden."""
    cells: list[Cell] = []
    before = tr.find(f"{W}trPr/{W}gridBefore")
    for _ in range(min(_int(before, 0), width)):
        cells.append(Cell(origin=context.next_origin()))
    for tc in _row_cells(tr):
        props = tc.find(f"{W}tcPr")
        span = _int(props.find(f"{W}gridSpan") if props is not None else None, 1)
        span = min(span, width - len(cells))  # never past the table's real grid
        merge = props.find(f"{W}vMerge") if props is not None else None
        column = len(cells)
        if merge is not None and merge.get(f"{W}val") in (None, "continue") and column in above:
            origin = above[column]
            cell = Cell(origin.lines, origin.fill, origin.origin, True, origin.value_date)
        else:
            cell = Cell(_cell_lines(tc, context), _fill(props), context.next_origin())
        for _ in range(max(span, 1)):
            above[len(cells)] = cell
            cells.append(cell)
        if words := context.take_hidden():
            hidden.append((column + 1, words))
    return cells


def _hidden_note(row: int, found: list[tuple[int, str]], keep: bool) -> str:
    """A row's hidden text as a report line: its place, its words and what was done."""
    columns = ", ".join(str(column) for column, _words in found)
    words = "; ".join(f"'{text}'" for _column, text in found)
    place = f"row {row}, column{'s' if len(found) > 1 else ''} {columns}"
    return f"{place}: hidden text ({words}), {hidden.outcome(keep)}"


def _grid_width(tbl: Any, trs: list[Any]) -> int:
    """The table's real column count: its grid, or its widest row of cells (at most the cap)."""
    declared = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    widest = max((len(_row_cells(tr)) for tr in trs), default=0)
    return min(max(declared, widest, 1), max(MAX_COLUMNS, widest))


def _row_cells(tr: Any) -> list[Any]:
    """A row's cells, looking inside content controls that wrap them."""
    out = []
    for child in tr.iterchildren():
        if child.tag == f"{W}tc":
            out.append(child)
        elif child.tag in _CONTAINERS:
            out += _row_cells(child)
    return out


def _cell_lines(tc: Any, context: _Context) -> list[Line]:
    """The lines of a cell: its paragraphs, and those of any table nested in it."""
    return [line for p in tc.iter(f"{W}p") for line in _lines(p, context)]


def _fill(props: Any) -> str | None:
    """A cell's shading colour as #RRGGBB, or None."""
    shade = props.find(f"{W}shd") if props is not None else None
    if shade is None:
        return None
    colour = shade.get(f"{W}fill")
    if shade.get(f"{W}val") == "solid" and shade.get(f"{W}color") not in (None, "auto"):
        colour = shade.get(f"{W}color")
    if colour and re.fullmatch(r"[0-9A-Fa-f]{6}", colour):
        return f"#{colour.upper()}"
    return None


def _int(element: Any, default: int) -> int:
    """The w:val of an element as an int."""
    if element is None:
        return default
    value = element.get(f"{W}val") or ""
    return int(value) if value.isdigit() else default


def _footnotes(document: Any, context: _Context) -> dict[str, str]:
    """The document's footnotes and endnotes by marker ('1', 'e1'), as Markdown."""
    from lxml import etree

    notes: dict[str, str] = {}
    for rel in document.part.rels.values():
        kind = rel.reltype.rsplit("/", 1)[-1]
        if rel.is_external or kind not in ("footnotes", "endnotes"):
            continue
        root = etree.fromstring(rel.target_part.blob)
        prefix = "" if kind == "footnotes" else "e"
        for note in root.iterchildren(f"{W}footnote", f"{W}endnote"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            cell = Cell([line for p in note.iter(f"{W}p") for line in _lines(p, context)])
            if not cell.empty:
                notes[f"{prefix}{note.get(f'{W}id')}"] = cell.markdown
    return notes
