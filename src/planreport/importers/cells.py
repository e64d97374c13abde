"""What single cells say: refs, recommendation headings, milestones, words meaning done.

Small readers the assembly uses on every row; each takes a cell's words (or a row) and
returns what the plan format needs, or None.
"""

from __future__ import annotations

import re

from planreport.importers import draft, statuses, timescales
from planreport.importers import vocabulary as v
from planreport.importers.grid import Cell, Row
from planreport.importers.mapping import Column, TableMap

REF_TOKEN = r"[A-Za-z]?\d+[a-z]?(?:\.\d+[a-z]?)*"
REC_HEADING = re.compile(
    r"^(?:Recommendations?|Areas? for improvement)\s*(?:No\.?\s*)?(?P<refs>"
    + REF_TOKEN
    + r"(?:\s*(?:,|and|&)\s*"
    + REF_TOKEN
    + r")*)\s*(?:[-–—:.]\s*(?P<rest>.*))?$",
    re.IGNORECASE | re.DOTALL,
)
_TRAILING_WHEN = re.compile(
    r"^(?P<text>.+?[.;:!?)])\s+(?P<when>(?:(?:completed?|ongoing|done)\b[^.]{0,40}|"
    r"[^.]{0,40}\b(?:19|20)\d\d\b[^.]{0,20})\.?)$",
    re.IGNORECASE,
)
NOTE_MARK = re.compile(r"\[\^([^\]\s]+)\]")


def done_word(text: str | None) -> str | None:
    """'Completed' for an update that is, or begins with, a word meaning done."""
    match = re.match(r"^\s*([A-Za-z]+)\s*(?:$|[.;:,–—-])", text or "")
    if match and match.group(1).casefold() in statuses.DONE_WORDS:
        return match.group(1)
    return None


def cell(row: Row, column: Column | None) -> Cell:
    """The cell of a row in a column (an empty cell past the row's end)."""
    if column is None or column.index >= len(row.cells):
        return Cell()
    return row.cells[column.index]


def is_category(row: Row) -> bool:
    """Whether a row is one cell across the table (a theme or group heading).

    The cell may leave a column or two empty beside it (a blank RAG column): a row whose
    only words are one cell merged across two or more columns is one too.
    """
    filled = [cell for cell in row.cells if not cell.empty]
    return (
        len(row.cells) > 1
        and len(filled) > 1
        and len({cell.origin for cell in filled}) == 1
        and not filled[0].continued
    )


def category_cell(row: Row) -> Cell:
    """The cell a category row is (its first cell with words)."""
    return next(cell for cell in row.cells if not cell.empty)


def repeats_heading(row: Row, found: TableMap) -> bool:
    """Whether a row repeats the table's heading row (a page's repeated heading)."""
    if not found.columns:
        return False
    texts = tuple(v.fold(t) for t in row.texts())
    return texts[: len(found.signature)] == found.signature and any(found.signature)


def refs(text: str) -> list[str]:
    """'1, 4, 13 and 14' -> ['1', '4', '13', '14']."""
    return [r.rstrip(".") for r in re.findall(REF_TOKEN, text)]


def strip_prefix(markdown: str, ref: str | None) -> str:
    """Markdown without a leading ref ('1. ', 'Action 1 – ', '7a. '), escaped or not."""
    if not ref:
        return markdown
    pattern = (
        r"^\s*(?:(?:action|recommendation|rec|no\\?\.?)\s+)?"
        + re.escape(ref)
        + r"\\?\.?(?:\s*\\?[.):]\s*|\s+[-–—]\s+|\s+)"
    )
    return re.sub(pattern, "", markdown, count=1, flags=re.IGNORECASE).strip()


def strip_rec_prefix(markdown: str) -> str:
    """'Recommendation 1 – text' (or 'Area for improvement 1: text') as just the text."""
    return re.sub(
        r"^\s*(?:Recommendations?|Areas? for improvement)\s*(?:No\\?\.?\s*)?"
        + REF_TOKEN
        + r"\s*[-–—:.]\s*",
        "",
        markdown,
        count=1,
        flags=re.IGNORECASE,
    ).strip()


def clean_ref(text: str, action: draft.Action) -> str | None:
    """A ref as plans write it: '1.1.' -> '1.1', 'Action 3' -> '3'."""
    words = text.replace("\n", " ").strip()
    words = re.sub(r"^(?:action|ref|no)\.?\s*", "", words, flags=re.IGNORECASE).rstrip(". ")
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}", words):
        return words
    if words:
        action.todos.append(
            f"the source's ref '{text.strip()}' is not one a plan can use; correct ref:"
        )
    return None


def fold_text(text: str) -> str:
    """Text compared without case, punctuation spacing or Markdown escapes."""
    return re.sub(r"\s+", " ", text.replace("\\", "")).strip().casefold()


def milestones(cell: Cell) -> list[draft.Milestone]:
    """The steps in a milestones cell, each with the date that ends it."""
    found = []
    for line in cell.lines:
        if not line.plain:
            continue
        words, when = line.plain, line.tail
        if when and words.endswith(when):
            words = words[: -len(when)].rstrip(" –-")
        elif match := _TRAILING_WHEN.match(line.plain):
            words, when = match.group("text"), match.group("when")
        milestone = draft.Milestone(text=words.strip(), timescale=when)
        if when:
            reading = timescales.read_timescale(when)
            milestone.start, milestone.due, milestone.review = (
                reading.start,
                reading.due,
                reading.review,
            )
            milestone.done = reading.done
            milestone.completed = reading.completed
        found.append(milestone)
    return found
