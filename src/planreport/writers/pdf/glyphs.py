"""Characters no font of a paper can draw: warned about where each is written.

A character neither the paper's font nor the fallback has is drawn as an empty box and
reported as a warning at the file, line and column where it is written (rule
missing-glyph), found by reading the paper's source files (inside the project only).
"""

from __future__ import annotations

import html as html_text
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from planreport import files
from planreport.paper import model
from planreport.paper.model import Paper
from planreport.writers import RenderContext, fonts, warn

if TYPE_CHECKING:
    from planreport.problems import Location

GLYPH_RULE = "missing-glyph"  # the rule id of the warning about a character no font has


def report_missing_glyphs(
    paper: Paper, html: str, found: fonts.Glyphs, context: RenderContext
) -> None:
    """Warn about each character no font of the paper can draw, at each place it is written.

    A warning is a whole line, `path:line:col: warning: [missing-glyph] message`: located
    in the plan (or paper, people or layout) file the character is written in, where the
    paper shows it; `paper.pdf: warning: ...` if it is in no such file (template text).
    """
    if not found.missing:
        return
    if paper.font.casefold() == fonts.FALLBACK_FAMILY.casefold():
        lacking = f"the font {paper.font} has no glyph for"
    else:
        fallback = fonts.FALLBACK_FAMILY
        lacking = f"neither the font {paper.font} nor the fallback {fallback} has a glyph for"
    places = written(found.missing, html, context.sources, context.project)
    for ch in found.missing:
        message = (
            f"{_where(paper, ch)} has the character {fonts.describe(ch)}, which {lacking}: "
            f"it prints as an empty box in {paper.id}.pdf. Write it another way "
            "(in words, or as a symbol that prints, such as ✓ ✗ ☐ ☑ ● ★ →), or name "
            "a font that has it (the layout's font:, its files in templates/fonts/)."
        )
        for place in places.get(ch) or [None]:
            where = f"{place.location}" if place else f"{paper.id}.pdf"
            more = place.more if place else 0
            also = f" It is in {more} more value{'s' * (more > 1)} in this file." if more else ""
            warn(f"{where}: warning: [{GLYPH_RULE}] {message}{also}")


@dataclass(frozen=True)
class Place:
    """Where a character is first written in a file that the paper shows it from."""

    location: Location  # path:line:col
    more: int = 0  # how many other values in the file have it


# Characters that end the text around a character, as it is looked for in the paper:
# markdown and placeholder syntax, which the paper does not show as written.
_AROUND_STOP = frozenset("*_`[]()<>{}#|\\~\n\r\t")
_AROUND = 12  # characters either side of it
_TRIES = 50  # values with the character tried, per file, for one the paper shows
_TAG = re.compile(r"<(style|title)\b.*?</\1>|<[^>]*>", re.S | re.I)
_ESCAPE = re.compile(r"\\[xuUN]")


def written(
    chars: tuple[str, ...], html: str, sources: tuple[Path, ...], project: Path | None
) -> dict[str, list[Place]]:
    """For each character, the files that write it and where (line and column of the character).

    A file's YAML values are read in order; a value counts if the text around the
    character in it is in the paper (so not a comment, nor an action the paper leaves
    out). If no file has such a value, the first value holding the character stands.
    """
    from planreport.project import display

    shown = " ".join(html_text.unescape(_TAG.sub(" ", html)).split())
    found: dict[str, list[Place]] = {}
    first: dict[str, Place] = {}
    for path in sources:
        text = _source_text(path, project)
        if text is None or not (any(ch in text for ch in chars) or _ESCAPE.search(text)):
            continue
        name = display(path)
        hits: dict[str, list[tuple[int, str]]] = {}  # character -> (index in text, value)
        for value, start, end in _scalars(text):
            for ch in chars:
                if ch in value:
                    at = text.find(ch, start, end)
                    hits.setdefault(ch, []).append((start if at < 0 else at, value))
        for ch, values in hits.items():
            more = len(values) - 1
            first.setdefault(ch, Place(_location(name, text, values[0][0]), more))
            index = next((i for i, v in values[:_TRIES] if _around(v, ch) in shown), None)
            if index is not None:
                found.setdefault(ch, []).append(Place(_location(name, text, index), more))
    for ch, place in first.items():
        found.setdefault(ch, [place])
    return found


def _location(name: str, text: str, index: int) -> Location:
    """The Location (line and column, from 1) of the character at index in a file's text."""
    from planreport.problems import Location

    line = text.count("\n", 0, index) + 1
    return Location(name, line, index - (text.rfind("\n", 0, index) + 1) + 1)


def _source_text(path: Path, project: Path | None) -> str | None:
    """A source file's text, read as every file is (inside the project), or None if not."""
    if project is None:
        return None
    try:
        raw = files.read(path, (project,))
        return raw.decode("utf-8-sig")
    except (files.FileRefused, UnicodeDecodeError):
        return None


def _scalars(text: str) -> list[tuple[str, int, int]]:
    """Every scalar of a YAML text: its value and where it starts and ends in the text."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    found = []
    try:
        while not isinstance(event := loader.get_event(), yaml.StreamEndEvent):
            if isinstance(event, yaml.ScalarEvent):
                found.append((event.value, event.start_mark.index, event.end_mark.index))
    except yaml.YAMLError:
        pass  # checked before the build: cannot happen unless the file changed since
    finally:
        loader.dispose()
    return found


def _around(value: str, ch: str) -> str:
    """The text around the first ch in value, up to markdown syntax, spaces collapsed."""
    at = value.index(ch)
    left = at
    while left > 0 and at - left < _AROUND and value[left - 1] not in _AROUND_STOP:
        left -= 1
    right = at + 1
    while right < len(value) and right - at <= _AROUND and value[right] not in _AROUND_STOP:
        right += 1
    return " ".join(value[left:right].split()) or ch


def _where(paper: Paper, ch: str) -> str:
    """Words for the first place in the paper a character appears."""
    heading = "the title"
    if ch in paper.title or ch in (paper.subtitle or ""):
        return "the title"
    for block in paper.blocks:
        if isinstance(block, model.Heading):
            if ch in block.text:
                return f"the heading '{block.text}'"
            heading = f"'{block.text}'"
        elif isinstance(block, model.Table):
            for row in block.rows:
                if any(ch in cell.content.plain() or _in_status(cell, ch) for cell in row.cells):
                    ref = next((c.content.plain() for c in row.cells if c.row_header), "")
                    what = f"the row {ref}" if ref else "a row"
                    return f"{what} of the table under {heading}"
        elif isinstance(block, model.Text) and ch in block.rich.plain():
            return f"the text under {heading}"
        elif isinstance(block, model.Notes):
            for ref, text in block.notes:
                if ch in text.plain():
                    return f"note {ref}"
    return "the paper"


def _in_status(cell: model.Cell, ch: str) -> bool:
    """Whether a character is in a cell's status word."""
    return bool(cell.status and ch in cell.status.label)
