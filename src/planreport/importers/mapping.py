"""Which row of a table is its heading, what each column means, and what the table holds.

A table is an action table (it has an action column), a recommendation table (a
recommendation column and no action column), a status key, a list of abbreviations,
or something else, which is skipped and named. The mapping can be corrected from the
command line or a small YAML file; what was understood is described for the user.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from planreport.importers import vocabulary as v
from planreport.importers.grid import Row, Table
from planreport.importers.statuses import STATUS_LINE, Raw, is_status
from planreport.importers.timescales import find_dates

ACTIONS, RECOMMENDATIONS, STATUS_KEY, GLOSSARY, OTHER = (
    "actions",
    "recommendations",
    "status key",
    "abbreviations",
    "other",
)
_HEADER_SCAN = 12
_REF_ONLY = re.compile(r"[A-Za-z]?\d+[a-z]?(?:\.\d+[a-z]?)*\.?")
_REF_AT_START = re.compile(
    r"^(?:(?:action|recommendation|rec|no\.?)\s+)?(?P<ref>[A-Za-z]?\d+[a-z]?(?:\.\d+[a-z]?)*)"
    r"(?:\s*[.):]\s*|\s+[-–—]\s+|\s+(?=[A-Z(]))",
    re.IGNORECASE,
)


@dataclass
class Column:
    """One column of a table and the field it is read into."""

    index: int
    heading: str
    field: str
    date: str | None = None
    how: str = "vocabulary"
    key: str | None = None  # a custom field's key

    @property
    def place(self) -> str:
        """The column as a message names it: "column 4 ('Lead')"."""
        heading = " ".join(self.heading.split())
        return f"column {self.index + 1} ('{heading}')" if heading else f"column {self.index + 1}"

    def describe(self) -> str:
        """'progress (an update dated 2013-09)' and the like, for the printed mapping."""
        if self.field == v.CUSTOM:
            return f"custom field '{self.key}'"
        what = v.FIELDS.get(self.field, self.field)
        dated = f", dated {self.date}" if self.date else ""
        how = {
            "content": " (from what its cells hold)",
            "given": " (as you said)",
            "question": " (What? beside How?)",
        }.get(self.how, "")
        return f"{self.field}: {what}{dated}{how}"


@dataclass
class TableMap:
    """What a table holds and how its columns are read."""

    kind: str
    columns: list[Column] = field(default_factory=list)
    header: list[int] = field(default_factory=list)  # indexes of heading rows in table.rows
    refs_in_text: bool = False  # the action (or recommendation) column starts with the ref
    continued: bool = False  # no heading of its own: continues the table before it

    def of(self, name: str) -> list[Column]:
        """The columns read into a field."""
        return [c for c in self.columns if c.field == name]

    def first(self, name: str) -> Column | None:
        """The first column read into a field."""
        found = self.of(name)
        return found[0] if found else None

    @property
    def signature(self) -> tuple[str, ...]:
        """The folded headings, to recognise a heading row repeated on later pages."""
        return tuple(v.fold(c.heading) for c in self.columns)


@dataclass
class Overrides:
    """Mappings the user gave: heading (folded) or column number to field."""

    by_heading: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    written: dict[str, str] = field(default_factory=dict)  # each heading as the user wrote it

    def get(self, heading: str, index: int, numbers: bool = True) -> str | None:
        """The field the user gave for this column, if any (by number only if numbers)."""
        for key in (v.fold(heading), str(index + 1))[: 2 if numbers else 1]:
            if key in self.by_heading:
                self.used.add(key)
                return self.by_heading[key]
        return None


def read_map(table: Table, overrides: Overrides, previous: TableMap | None) -> TableMap:
    """The map of one table: its heading row, its columns and what it holds."""
    header = _header_row(table, overrides)
    if header is None:
        if previous is not None and _continues(table, previous):
            return TableMap(ACTIONS, previous.columns, [], previous.refs_in_text, continued=True)
        return TableMap(STATUS_KEY if _key_lines(table) else OTHER)
    headings = _headings(table, header)
    data = [row for i, row in enumerate(table.rows) if i > max(header)]
    found = _mapped(headings, header, data, overrides, lambda _heading: False)
    # A column given by number is one of the plan's tables, or one with no heading: not
    # a column of every sheet (a version history, a key).
    plan_table = found.kind in (ACTIONS, RECOMMENDATIONS)
    found = _mapped(headings, header, data, overrides, lambda h: plan_table or not h.strip())
    if found.kind in (ACTIONS, RECOMMENDATIONS):
        main = found.first(v.TEXT if found.kind == ACTIONS else v.RECOMMENDATION)
        found.refs_in_text = not found.of(v.REF) and main is not None and _refs_lead(data, main)
    return found


def _mapped(
    headings: list[str],
    header: list[int],
    data: list[Row],
    overrides: Overrides,
    numbered: Callable[[str], bool],
) -> TableMap:
    """A table's columns and kind, with the columns given by number where numbered says."""
    columns = [_column(i, text, overrides, numbered(text)) for i, text in enumerate(headings)]
    found = TableMap(OTHER, columns, header)
    _what_and_how(found)
    _by_content(found, data)
    found.kind = _kind(found, data)
    return found


def _key_lines(table: Table) -> bool:
    """Whether a table with no heading row is a status key, a line a cell ('Red – ...')."""
    firsts = [next((c.plain for c in row.cells if not c.empty), "") for row in table.rows]
    firsts = [text.strip() for text in firsts if text.strip()]
    keys = [text for text in firsts if STATUS_LINE.match(text)]
    return len(keys) >= 2 and len(keys) * 2 >= len(firsts)


def _continues(table: Table, previous: TableMap) -> bool:
    """Whether a table with no heading row goes on with the table before (a page break)."""
    if previous.kind != ACTIONS or table.width != len(previous.columns) or not table.rows:
        return False
    first = next((row for row in table.rows if len({c.origin for c in row.cells}) > 1), None)
    if first is None:
        return False
    ref = previous.first(v.REF)
    main = previous.first(v.TEXT)
    if ref is not None and ref.index < len(first.cells):
        return bool(_REF_ONLY.fullmatch(first.cells[ref.index].plain))
    if previous.refs_in_text and main is not None and main.index < len(first.cells):
        return bool(_REF_AT_START.match(first.cells[main.index].plain))
    return False


def _header_row(table: Table, overrides: Overrides) -> list[int] | None:
    """The index of the heading row (and a sub-heading row under it), or None."""
    best, best_score = None, 1
    for i, row in enumerate(table.rows[:_HEADER_SCAN]):
        score = _score(row, overrides)
        if score > best_score:
            best, best_score = i, score
    if best is None:
        return None
    rows = [best]
    if best + 1 < len(table.rows) and _sub_heading(table.rows[best], table.rows[best + 1]):
        rows.append(best + 1)
    return rows


def _score(row: Row, overrides: Overrides) -> int:
    """How much a row looks like a heading row: its known, distinct, short headings."""
    seen: set[int] = set()
    fields: set[str] = set()
    for index, cell in enumerate(row.cells):
        text = cell.plain
        if cell.origin in seen or not text or len(text) > 80 or "\n" in text:
            continue
        seen.add(cell.origin)
        given = overrides.get(text, index, numbers=False) if overrides.by_heading else None
        meaning = given or v.meaning(text).field
        if meaning not in (v.CUSTOM, v.IGNORE) or v.is_glossary_term(text):
            fields.add(meaning if not v.is_glossary_term(text) else "term")
    if len(seen) < 2:
        return 0
    key = {v.TEXT, v.RECOMMENDATION, v.MILESTONES, v.STATUS, "term"}
    return len(fields) if fields & key else 0


def _sub_heading(top: Row, below: Row) -> bool:
    """Whether the row below a heading row is a second heading row ('Lead' / 'Who?')."""
    texts = [c.plain for c in below.cells if not c.empty and not c.continued]
    if len({c.origin for c in below.cells}) < 2 or len(set(texts)) < 2:
        return False
    if any(len(t) > 60 or "\n" in t for t in texts):
        return False
    spanned = any(
        top.cells[i].origin == top.cells[i + 1].origin
        and below.cells[i].origin != below.cells[i + 1].origin
        for i in range(len(top.cells) - 1)
    )
    questions = all(t.endswith("?") or v.meaning(t).field != v.CUSTOM for t in texts)
    # A date is data unless the words around it are a dated heading ('Update Jan 2017').
    dated = any(find_dates(t) and v.meaning(t).date is None for t in texts)
    return spanned or (questions and not dated)


def _headings(table: Table, header: list[int]) -> list[str]:
    """Each column's heading, a spanning heading joined with the sub-heading under it."""
    top = table.rows[header[0]].cells
    below = table.rows[header[1]].cells if len(header) > 1 else None
    out = []
    for i, cell in enumerate(top):
        text = cell.plain.replace("\n", " ")
        if below is not None and i < len(below) and not below[i].empty and not below[i].continued:
            shared = any(
                j != i and j < len(top) and top[j].origin == cell.origin for j in (i - 1, i + 1)
            )
            sub = below[i].plain.replace("\n", " ")
            if shared or not text:
                text = f"{text} {sub}".strip()
            elif v.meaning(text).field in (v.CUSTOM, v.IGNORE) or _dates_heading(text, sub):
                text = sub
        out.append(text)
    return out


def _dates_heading(top: str, sub: str) -> bool:
    """Whether a sub-heading dates its heading: 'Progress' over 'Update Jan 2017'."""
    below = v.meaning(sub)
    return below.date is not None and below.field == v.meaning(top).field


def _column(index: int, heading: str, overrides: Overrides, numbers: bool = True) -> Column:
    """A column's field from what the user gave, else from the vocabulary."""
    given = overrides.get(heading, index, numbers)
    meaning = v.meaning(heading)
    if given:
        field, _, key = given.partition(":")
        return Column(index, heading, field, meaning.date, "given", key or v.custom_key(heading))
    key = v.custom_key(heading) if meaning.field == v.CUSTOM else None
    return Column(index, heading, meaning.field, meaning.date, meaning.how, key)


def _what_and_how(found: TableMap) -> None:
    """In a What? / How? / Who? / When? table, What? is the recommendation and How? the action."""
    what = next((c for c in found.of(v.TEXT) if v.fold(c.heading) == "what"), None)
    how = next((c for c in found.columns if _how(c)), None)
    if what is None or how is None or what.how == "given" or found.of(v.RECOMMENDATION):
        return
    what.field, what.how = v.RECOMMENDATION, "question"
    if how.field == v.CUSTOM:
        how.field, how.how, how.key = v.TEXT, "question", None


def _how(column: Column) -> bool:
    """Whether a column is a How? column: 'How?' alone, or the vocabulary's 'How will we ...'."""
    folded = v.fold(column.heading)
    if column.how == "given":
        return False
    return (folded == "how" and column.field == v.CUSTOM) or (
        column.field == v.TEXT and folded.startswith("how ")
    )


def _by_content(found: TableMap, data: list[Row]) -> None:
    """Columns whose cells say what they are: a status column, milestones, the action."""
    if not found.of(v.TEXT):
        for column in found.columns:
            if (
                column.field in (v.CUSTOM, v.PROGRESS)
                and column.how == "keyword"
                and re.search(r"\bactions?\b", column.heading, re.I)
            ):
                column.field, column.how = v.TEXT, "content"
                break
    for column in found.columns:
        cells = [row.cells[column.index] for row in data if column.index < len(row.cells)]
        if column.how == "given":
            continue
        unnamed = column.field == v.IGNORE and not column.heading.strip()  # 'Page' stays out
        if (column.field == v.CUSTOM or unnamed) and cells and not found.of(v.STATUS):
            raws = [Raw(c.plain, c.fill) for c in cells if not c.empty or c.fill]
            if raws and all(is_status(raw) for raw in raws):
                column.field, column.how, column.key = v.STATUS, "content", None
        if column.field == v.PROGRESS and _milestone_cells(cells):
            column.field, column.how = v.MILESTONES, "content"


def _milestone_cells(cells: list) -> bool:
    """Whether most cells are lists of steps each ending in a bold date ('... April 2020')."""
    filled = [c for c in cells if not c.empty]
    if not filled:
        return False
    dated = [c for c in filled if c.lines and all(line.tail for line in c.lines if line.plain)]
    return len(dated) * 2 > len(filled)


def _kind(found: TableMap, data: list[Row]) -> str:
    """What a table holds, from its columns."""
    if _counts(found, data):
        return OTHER  # actions counted by status per theme: a paper's summary, not the plan
    if found.of(v.TEXT) or found.of(v.MILESTONES):
        return ACTIONS
    if found.of(v.RECOMMENDATION):
        return RECOMMENDATIONS
    first = found.columns[0] if found.columns else None
    if first is not None and found.of(v.MEANING):
        if v.is_glossary_term(first.heading):
            return GLOSSARY
        if first.field == v.STATUS:
            return STATUS_KEY
    return OTHER


def _counts(found: TableMap, rows: list[Row]) -> bool:
    """Whether a table counts actions: a last column "Total", and numbers after the first.

    "Recommendation 2: Ensure that… | 3 | 1 | 0 | 4", a paper's summary by status; or its
    Word chart, whose bars are pictures beside their totals.
    """
    if not found.columns or found.columns[-1].heading.strip().lower() != "total":
        return False
    return bool(rows) and all(
        not text or text.isdigit()
        for row in rows
        for text in (c.plain.strip() for c in row.cells[1:])
    )


def _refs_lead(rows: list[Row], column: Column) -> bool:
    """Whether most cells of a column begin with a ref ('1.', 'Action 3 –', '7a.')."""
    texts = [row.cells[column.index].plain for row in rows if column.index < len(row.cells)]
    texts = [t for t in texts if t]
    starting = [t for t in texts if _REF_AT_START.match(t)]
    return bool(texts) and len(starting) * 10 >= len(texts) * 6


def split_ref(text: str) -> tuple[str | None, str]:
    """A ref at the start of a cell and the rest: 'Action 1 – To engage' -> ('1', 'To engage')."""
    match = _REF_AT_START.match(text)
    if not match:
        return None, text
    return match.group("ref").rstrip("."), text[match.end() :].strip()


def describe(found: TableMap) -> list[str]:
    """The mapping of a table's columns as lines: '  Lead Officers -> leads: lead officers'."""
    width = max((len(c.heading) for c in found.columns), default=0)
    width = min(max(width, 8), 40)
    lines = []
    for column in found.columns:
        heading = column.heading or f"(column {column.index + 1}, no heading)"
        shown = heading if len(heading) <= 40 else heading[:37] + "..."
        lines.append(f"  {shown:<{width}} -> {column.describe()}")
        if column.field == v.TEXT and found.refs_in_text:
            lines[-1] += ", each starting with its ref"
    return lines
