"""The words of a PDF page as the neutral model's lines: grouped by line and paragraph.

A PDF holds positioned words, not paragraphs. Words on the same baseline make a line; a
line starting with a bullet, or after a gap taller than a line, starts a new paragraph;
other lines are one paragraph wrapped. A font whose name says Bold or Italic (as every
PDF writer names them) makes the word bold or italic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from planreport.importers.grid import Line, clean, markdown_escape, strip_control

_BULLET = re.compile(r"^[•·▪◦‣∙●○■□➢➤►\-–*]$")
_BULLET_GLYPH = re.compile(r"^[•·▪◦‣∙●○■□➢➤►]$")  # a dash may be a wrapped line's first word
_LINE_TOLERANCE = 3.0  # points: words whose tops differ by less share a line


@dataclass
class Word:
    """One word where the page shows it, with its font's size and style."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool


def words_of(raw: list[dict[str, Any]]) -> list[Word]:
    """pdfplumber's words as Words (fonts named '…-Bold', '…BoldItalic', '…-Oblique')."""
    out = []
    for item in raw:
        font = str(item.get("fontname") or "").lower()
        text = strip_control(str(item.get("text") or ""))
        if not text.strip():
            continue
        out.append(
            Word(
                text,
                float(item["x0"]),
                float(item["x1"]),
                float(item["top"]),
                float(item["bottom"]),
                float(item.get("size") or 0),
                "bold" in font or "black" in font or "heavy" in font,
                "italic" in font or "oblique" in font,
            )
        )
    return out


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines, top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(word.top - lines[-1][0].top) < _LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def paragraphs(words: list[Word], right: float | None = None) -> list[list[list[Word]]]:
    """Lines grouped into paragraphs: a bullet glyph, a gap or a new type size starts one.

    Within a cell whose text may reach right, a line after one that ended early (the
    next line's first word would have fitted after it) starts one too: a line break.
    """
    groups: list[list[list[Word]]] = []
    previous: list[Word] | None = None
    for line in lines_of(words):
        height = max(w.bottom - w.top for w in line)
        gap = line[0].top - previous[0].bottom if previous else 0.0
        resized = previous is not None and abs(line[0].size - previous[0].size) > 0.5
        starts = previous is None or _BULLET_GLYPH.match(line[0].text) or gap > 0.6 * height
        if starts or resized or (previous and right and _broken(previous, line[0], right)):
            groups.append([line])
        else:
            groups[-1].append(line)
        previous = line
    return groups


def _broken(line: list[Word], following: Word, right: float) -> bool:
    """Whether a line ended before its room did: the next word and a space would have fitted."""
    space = 0.3 * following.size
    return line[-1].x1 + space + (following.x1 - following.x0) < right - 0.5


def cell_lines(words: list[Word], right: float | None = None) -> list[Line]:
    """A cell's words as the neutral model's lines, one per paragraph (text may reach right)."""
    out = []
    for group in paragraphs(words, right):
        flat = [word for line in group for word in line]
        bullet = bool(_BULLET.match(flat[0].text)) and len(flat) > 1
        if bullet:
            flat = flat[1:]
        plain = clean(_joined(flat, max(word.size for word in flat)))
        if plain:
            out.append(Line(_markdown(flat), plain, bullet, _tail(flat)))
    return out


def _joined(words: list[Word], size: float, markdown: bool = False) -> str:
    """Words joined: a hyphen ending a line joins its word; a small number is a note marker.

    The marker is '[^1]' in Markdown and left out of plain text, as Word's are.
    """
    done, text = "", ""  # done: Markdown made so far; text: plain words not yet escaped
    previous: Word | None = None
    for word in words:
        marker = word.text.isdigit() and word.size < 0.85 * size and previous is not None
        broken = (  # 'multi-' ending a line goes on as 'multi-agency'
            previous is not None
            and word.top - previous.top > _LINE_TOLERANCE
            and re.search(r"[^\W\d]-$", previous.text) is not None
        )
        if marker and markdown:
            done, text = done + markdown_escape(text) + f"[^{word.text}]", ""
        elif not marker:
            text += word.text if broken or not (done or text) else " " + word.text
        previous = word
    return done + markdown_escape(text) if markdown else text


def _markdown(words: list[Word]) -> str:
    """Words as plan Markdown: bold and italic stretches marked unless the whole line is."""
    whole_bold = all(w.bold for w in words)
    whole_italic = all(w.italic for w in words)
    size = max(word.size for word in words)
    out: list[str] = []
    for run in _runs(words):
        text = clean(_joined(run, size, markdown=True))
        if run[0].italic and not whole_italic:
            text = f"*{text}*"
        if run[0].bold and not whole_bold:
            text = f"**{text}**"
        out.append(text)
    return re.sub(r" (\[\^\d+\])", r"\1", " ".join(out))


def _runs(words: list[Word]) -> list[list[Word]]:
    """Consecutive words of the same style."""
    runs: list[list[Word]] = []
    for word in words:
        if runs and (runs[-1][0].bold, runs[-1][0].italic) == (word.bold, word.italic):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _tail(words: list[Word]) -> str | None:
    """A bold phrase ending a paragraph after plain words (as milestone dates are printed)."""
    if len(words) < 2 or not words[-1].bold or all(w.bold for w in words):
        return None
    tail: list[str] = []
    for word in reversed(words):
        if not word.bold:
            break
        tail.insert(0, word.text)
    return clean(" ".join(tail)) or None


def colour(value: Any) -> str | None:
    """A PDF fill colour (grey, RGB or CMYK components from 0 to 1) as #RRGGBB."""
    if not isinstance(value, tuple | list) or len(value) not in (1, 3, 4):
        return None
    try:
        parts = [min(max(float(v), 0.0), 1.0) for v in value]
    except (TypeError, ValueError):
        return None
    if len(parts) == 1:
        parts = parts * 3
    elif len(parts) == 4:
        cyan, magenta, yellow, black = parts
        parts = [(1 - cyan) * (1 - black), (1 - magenta) * (1 - black), (1 - yellow) * (1 - black)]
    return "#" + "".join(f"{round(v * 255):02X}" for v in parts)
