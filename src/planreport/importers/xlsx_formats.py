"""What an Excel sheet shows beyond its values: hidden rows and columns, conditional fills.

A tracker's RAG colour often comes from a conditional formatting rule ("cell value equal
to R: red fill") rather than from the cell's own fill. The simple rules, comparing the
cell's words with a constant, are worked out here as Excel would; any other rule that sets
a fill (a formula, a comparison with another cell, a colour scale) is listed, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_TEXT_TESTS: dict[str, Callable[[str, str], bool]] = {
    "containsText": lambda text, wanted: wanted in text,
    "notContainsText": lambda text, wanted: wanted not in text,
    "beginsWith": lambda text, wanted: text.startswith(wanted),
    "endsWith": lambda text, wanted: text.endswith(wanted),
}
# Rule kinds that set a cell format (a colour scale, data bar or icon set draws its own).
_FORMATS = (
    "cellIs",
    "expression",
    "containsBlanks",
    "notContainsBlanks",
    "duplicateValues",
    "uniqueValues",
    "top10",
    "aboveAverage",
    "timePeriod",
    "containsErrors",
    "notContainsErrors",
    *_TEXT_TESTS,
)
_MAX_RULES = 200  # far more than any tracker; rules past it are counted, not read
_MAX_WORK = 1_000_000  # cells all rules cover together; past it, none is worked out
_MAX_LISTED = 20  # rules not worked out listed one by one; past it, counted


def colour_hex(colour: Any) -> str | None:
    """An openpyxl colour as #RRGGBB, if it is an RGB or indexed colour."""
    if colour is None:
        return None
    if colour.type == "rgb" and isinstance(colour.rgb, str) and len(colour.rgb) == 8:
        return f"#{colour.rgb[2:].upper()}"
    if colour.type == "indexed":
        from openpyxl.styles.colors import COLOR_INDEX

        if isinstance(colour.indexed, int) and 0 <= colour.indexed < len(COLOR_INDEX):
            return f"#{COLOR_INDEX[colour.indexed][2:].upper()}"
    return None


def hidden_columns(sheet: Any, width: int) -> set[int]:
    """The 0-based numbers of the sheet's columns (up to width) hidden in the workbook."""
    hidden: set[int] = set()
    for dimension in sheet.column_dimensions.values():
        if not dimension.hidden or not dimension.min:
            continue
        last = min(dimension.max or dimension.min, width)
        hidden.update(range(dimension.min - 1, last))
    return hidden


def hidden_rows(sheet: Any) -> dict[int, str]:
    """The sheet's hidden rows (1-based) and why: filtered out by its filter, or hidden."""
    from openpyxl.utils.cell import range_boundaries

    filtered = range(0)
    auto = sheet.auto_filter
    if auto is not None and auto.ref and auto.filterColumn:
        try:
            _left, top, _right, bottom = range_boundaries(auto.ref)
            filtered = range(top + 1, bottom + 1)
        except (ValueError, TypeError):
            pass  # a damaged filter range: its rows are still listed as hidden
    reasons = ("hidden in the workbook", "filtered out by the sheet's filter")
    return {
        number: reasons[number in filtered]
        for number, dimension in sheet.row_dimensions.items()
        if dimension.hidden
    }


@dataclass
class _Rule:
    """One conditional formatting rule that sets a fill, over its cell ranges."""

    ranges: Any
    priority: int
    test: Callable[[str], bool] | None  # None: a rule planreport cannot work out
    fill: str | None
    kind: str


class ConditionalFills:
    """The fills a sheet's conditional formatting gives its cells, where they can be known."""

    def __init__(self, sheet: Any, rows: int, width: int) -> None:
        """Collect the sheet's rules that set a fill, highest priority first, by column."""
        self.rules: list[_Rule] = []
        found = _rules(sheet)
        self.beyond = max(len(found) - _MAX_RULES, 0)
        for formatting, rule in found[:_MAX_RULES]:
            if rule.type in _FORMATS and not _sets_fill(rule):
                continue  # sets a font or border only
            fill = _dxf_fill(rule)
            test = _test(rule) if fill is not None else None
            priority = rule.priority if isinstance(rule.priority, int) else 0
            self.rules.append(_Rule(formatting.sqref, priority, test, fill, rule.type))
        self.rules.sort(key=lambda rule: rule.priority)
        if sum(_area(rule.ranges, rows, width) for rule in self.rules) > _MAX_WORK:
            for rule in self.rules:  # more rules over more cells than any tracker: listed
                rule.test = None
        self.by_column: dict[int, list[_Rule]] = {}
        for rule in self.rules:
            for column in _columns(rule.ranges, width):
                self.by_column.setdefault(column, []).append(rule)

    def fill(self, row: int, column: int, text: str) -> str | None:
        """The fill the rules give the cell, up to the first rule not worked out."""
        folded = text.strip().casefold()
        for rule in self.by_column.get(column, ()):
            if not _covers(rule.ranges, row, column):
                continue
            if rule.test is None:
                return None
            if rule.test(folded):
                return rule.fill
        return None

    def unread(self) -> tuple[list[tuple[str, str]], int]:
        """Rules not worked out: (cell ranges, kind) of the first few, and how many more."""
        unread = [(str(rule.ranges), rule.kind) for rule in self.rules if rule.test is None]
        return unread[:_MAX_LISTED], max(len(unread) - _MAX_LISTED, 0) + self.beyond


def _rules(sheet: Any) -> list[tuple[Any, Any]]:
    """The sheet's conditional formatting rules, each with the formatting that holds it."""
    found: list[tuple[Any, Any]] = []
    for formatting in sheet.conditional_formatting:
        found += [(formatting, rule) for rule in formatting.rules]
    return found


def _pattern(rule: Any) -> Any:
    """The fill a rule's format sets, or None."""
    return getattr(rule.dxf, "fill", None) if rule.dxf is not None else None


def _sets_fill(rule: Any) -> bool:
    """Whether a rule's format sets a fill."""
    return _pattern(rule) is not None


def _dxf_fill(rule: Any) -> str | None:
    """The fill colour a rule's format sets, if it sets one planreport can name."""
    fill = _pattern(rule)
    if fill is None:
        return None
    for colour in (getattr(fill, "bgColor", None), getattr(fill, "fgColor", None)):
        found = colour_hex(colour)
        if found is not None and colour.rgb != "00000000":
            return found
    return None


def _test(rule: Any) -> Callable[[str], bool] | None:
    """The rule as a test of a cell's folded words, if it compares them with a constant."""
    if rule.type in _TEXT_TESTS and isinstance(rule.text, str) and rule.text:
        compare, wanted = _TEXT_TESTS[rule.type], rule.text.strip().casefold()
        return lambda text: compare(text, wanted)
    if rule.type == "cellIs" and rule.operator in ("equal", "notEqual") and rule.formula:
        constant = _constant(rule.formula[0])
        if constant is None or len(rule.formula) != 1:
            return None
        if rule.operator == "equal":
            return lambda text: text == constant
        return lambda text: text != constant
    return None


def _constant(formula: str) -> str | None:
    """A formula that is a quoted text or a number, folded as a cell's words are; else None."""
    formula = formula.strip()
    if len(formula) >= 2 and formula[0] == formula[-1] == '"' and '"' not in formula[1:-1]:
        return formula[1:-1].strip().casefold()
    try:
        number = float(formula)
    except ValueError:
        return None
    return str(int(number)) if number.is_integer() else str(number)


def _covers(ranges: Any, row: int, column: int) -> bool:
    """Whether a rule's ranges hold the cell at (row, column)."""
    return any(
        part.min_row <= row <= part.max_row and part.min_col <= column <= part.max_col
        for part in ranges.ranges
    )


def _area(ranges: Any, rows: int, width: int) -> int:
    """How many of the sheet's cells (up to rows and width) a rule's ranges cover."""
    return sum(
        max(min(part.max_row, rows) - part.min_row + 1, 0)
        * max(min(part.max_col, width) - part.min_col + 1, 0)
        for part in ranges.ranges
    )


def _columns(ranges: Any, width: int) -> set[int]:
    """The columns (up to width) a rule's ranges cover."""
    found: set[int] = set()
    for part in ranges.ranges:
        found.update(range(part.min_col, min(part.max_col, width) + 1))
    return found
