"""Layouts as typed values: read once from a layout file, with every default in one place.

A layout file (templates/layouts/*.yaml) is loaded and checked against the layout schema,
then `from_document` turns it into a `Layout`: its blocks in order, each column's field
resolved (a kind, plus a custom field's key or a parsed period), every template string
checked for placeholders. Composing a paper then never meets a layout it cannot use.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planreport.compiled.fields import (
    ACTION_KINDS,
    KEY_KINDS,
    PERIOD_KINDS,
    RECOMMENDATION_KINDS,
    SHOWN,
)
from planreport.paper import wording
from planreport.plan import dates, loader, loading
from planreport.plan.model import Plan
from planreport.problems import Location, Problems, nearest
from planreport.project import Loaded, Project

# The column fields each kind of table can show, how messages write those that take an
# argument, and which take a custom field's KEY or a PERIOD: generated from the fields'
# registry (paper/fields.py) into compiled/fields.py, so loading a layout loads no cells.
BY_PERIOD = "status-by-period"  # one column per reporting period the plan declares
MILESTONE_KINDS = ("milestone", "milestone-due")  # a row per milestone
AUTO = "auto"  # a summary's group_by when not given: by theme if the plan has themes

# The column fields each table block shows, and how messages name that table.
TABLE_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "action-table": (ACTION_KINDS, "an action table"),
    "recommendation-sections": (ACTION_KINDS, "the table of a recommendation section"),
    "recommendation-summary": (RECOMMENDATION_KINDS, "a recommendation summary"),
}

# The placeholders each template string may use (a block's: as its option declares).
COLUMN_PLACEHOLDERS = {"heading": ("update",), "subheading": ("update",), "with_ref": ("ref",)}
PERIOD_COLUMN_PLACEHOLDERS = {"heading": ("period",), "subheading": ("period",)}
SUMMARY_COLUMN_PLACEHOLDERS = {"heading": (), "subheading": (), "with_ref": ("ref",)}
LEAD_PLACEHOLDERS = ("name", "initials", "role", "organisation", "note")
TYPE_SIZES = (6.0, 12.0)  # the smallest and largest table type size, in points
SMALL_TYPE = 9.0  # a table type size below this is a warning

# Every block's defaults, by block type; keys not named here default to the Block's own.
BLOCK_DEFAULTS: dict[str, dict[str, Any]] = {
    "action-table": {"caption": "Actions", "group_by": "none"},
    "recommendation-sections": {
        "caption": "Actions",
        "group_by": "part",
        "section_heading": "Recommendation {ref}",
        "outcomes_heading": "Outcomes",
        "measures_heading": "Measures",
    },
    "recommendation-summary": {"caption": "Summary of recommendations"},
    "summary": {"title": "Progress at a glance", "group_by": AUTO},
    "changes": {"title": "Since the last paper"},
    "exceptions": {"title": "Exceptions"},
    "notes": {"title": "Notes"},
    "glossary": {"title": "Abbreviations"},
    "leads-key": {"title": "Lead officers"},
}
MAX_WIDTH = 100.5  # percent; a little over 100 allows for rounding
TOKEN = _TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class ColumnSpec:
    """One table column: what it shows (kind, and key or period), heading and width."""

    kind: str  # a name in ACTION_KINDS or RECOMMENDATION_KINDS
    heading: str  # may hold {update} in an action table, {period} for status-by-period
    width: float  # percent of the table's width (status-by-period: of all its columns)
    subheading: str = ""  # a second header row's text under the heading
    field: str = ""  # as written, e.g. 'status-at:2013-09'
    key: str | None = None  # for custom: the plan's custom field key
    period: dates.PlanDate | None = None  # for status-at and update-at
    prefix: str = ""  # before a ref
    suffix: str = ""  # after a ref
    with_ref: str = ""  # before the text, with {ref}
    merge: str | None = None  # repeated or lettered: one cell spans rows that repeat it
    location: Location | None = dataclasses.field(default=None, compare=False)  # field's


LINE: dict[str, Any] = {"$ref": "#/definitions/line"}  # a one-line text, in the schema


def option(
    default: Any, schema: dict[str, Any], doc: str, placeholders: tuple[str, ...] | None = None
) -> Any:
    """A block option, declared once: its default, its schema, what it does, its placeholders.

    The parser reads every option a layout gives, template options are checked against
    their placeholders, and scripts/compile_schemas.py writes the layout schema's block
    properties and the options table in docs/papers.md from these declarations.
    """
    metadata = {"schema": schema, "doc": doc, "placeholders": placeholders}
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Block:
    """One block of a paper, with its type's defaults filled in."""

    type: str
    title: str | None = option(None, LINE, "A heading shown above the block.")
    caption: str | None = option(None, LINE, "The table's caption, read out by screen readers.")
    columns: tuple[ColumnSpec, ...] = ()
    group_by: str = option(  # or AUTO, a summary's when not given
        "none",
        {"type": "string", "enum": ["none", "theme", "recommendation", "addresses", "part"]},
        "Group the actions: by theme, by the recommendation they address, by the set of "
        "recommendations they address, or (in recommendation sections) by lettered part. "
        "Default: none in an action table, part in recommendation sections; a summary not "
        "given one groups by theme, else by the recommendations addressed.",
    )
    group_style: str = option(
        "heading",
        {"type": "string", "enum": ["heading", "row", "column"]},
        "Show each group as a heading with its own table, as a row across the table, or in "
        "a first column spanning its rows.",
    )
    group_heading: str | None = option(
        None,
        LINE,
        "Template for a group's heading, e.g. 'Recommendation {ref} – {text}' or '{title}' "
        "for a theme.",
        ("ref", "text", "title"),
    )
    group_intro: str | None = option(
        None,
        LINE,
        "Text before the list of recommendations a group addresses, e.g. 'To address the "
        "following:'.",
    )
    section_heading: str | None = option(
        None,
        LINE,
        "In recommendation sections: e.g. 'Recommendation No. {ref} - {priority}'.",
        ("ref", "priority"),
    )
    outcomes_heading: str | None = option(
        None, LINE, "In recommendation sections: the heading over a recommendation's outcomes."
    )
    measures_heading: str | None = option(
        None, LINE, "In recommendation sections: the heading over a recommendation's measures."
    )
    part_heading: str | None = option(
        None,
        LINE,
        "Heading of the first column for a lettered part, e.g. 'What we will do ({ref})'.",
        ("ref",),
    )
    new_page: bool = option(
        False,
        {"type": "boolean"},
        "In recommendation sections: start each recommendation on a new page (in print; "
        "a page break before its heading in Word).",
    )
    closing_row: bool = option(
        False, {"type": "boolean"}, "Show the plan's closing text as a last row of the table."
    )
    organisation: bool = option(
        True,
        {"type": "boolean"},
        "In the title block: the plan's organisations above the title (as 'Nottingham City "
        "Council'), so a reader knows whose paper it is; false leaves them out.",
    )
    chart: bool = option(
        False,
        {"type": "boolean"},
        "In a summary: a bar of all actions by status under its table, for a house style "
        "that has one (by default none: the table's total row and the sentence above it "
        "give the same counts).",
    )
    location: Location | None = dataclasses.field(default=None, compare=False)


def block_options() -> tuple[dataclasses.Field[Any], ...]:
    """The options a layout may give a block, as Block declares them."""
    return tuple(f for f in dataclasses.fields(Block) if "schema" in f.metadata)


@dataclass(frozen=True)
class Layout:
    """A whole layout: its blocks in order and its settings."""

    blocks: tuple[Block, ...]
    orientation: str = "landscape"
    leads: str = "name-role"  # name-role, name or initials
    progress: bool = True  # add summary, changes and exceptions unless placed
    description: str | None = None
    font: str | None = None  # the font family, its files in templates/fonts/
    lead_separator: str | None = None  # between leads on one line, e.g. " / "
    lead_format: str | None = None  # each lead, e.g. "({initials}) {organisation}"
    table_type_size: float | None = None  # tables' type size in points; None: 10 pt
    wording: Mapping[str, str] = dataclasses.field(default_factory=dict)  # phrases reworded
    location: Location | None = dataclasses.field(default=None, compare=False)

    @property
    def landscape(self) -> bool:
        """Whether pages are A4 landscape."""
        return self.orientation == "landscape"


def make_block(kind: str, **given: Any) -> Block:
    """A block of this type with its defaults, overridden by what is given."""
    return Block(type=kind, **{**BLOCK_DEFAULTS.get(kind, {}), **given})


def fill(template: str, values: Mapping[str, str]) -> str:
    """The template with each plain {name} replaced by its value, and {{ }} by braces.

    The only way layout text is filled in: no attribute access or format specs, and
    anything that is not a known {name} is left as written (load_layout refuses it).
    """

    def one(match: re.Match[str]) -> str:
        """One token's replacement."""
        token = match.group()
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        return values.get(name or "", token)

    return _TOKEN.sub(one, template)


def from_document(doc: loader.Document, problems: Problems) -> Layout | None:
    """The typed layout of a schema-valid layout document; None after reporting its errors."""
    data = doc.data
    before = len(problems)
    blocks = tuple(_block(doc, i, raw, problems) for i, raw in enumerate(data["blocks"]))
    if "lead_format" in data:
        where = doc.where(("lead_format",))
        _check_template(data["lead_format"], LEAD_PLACEHOLDERS, where, "lead_format", problems)
    words = check_wording(doc, problems)
    size = _type_size(doc, problems)
    if any(p.severity.value == "error" for p in problems[before:]):
        return None
    settings = (
        "orientation",
        "leads",
        "progress",
        "description",
        "font",
        "lead_separator",
        "lead_format",
    )
    given = {k: data[k] for k in settings if k in data}
    return Layout(
        blocks=blocks,
        location=Location(doc.path),
        table_type_size=size,
        wording=words,
        **given,
    )


def check_wording(doc: loader.Document, problems: Problems) -> dict[str, str]:
    """A layout's or paper's `wording:`, each phrase's placeholders checked."""
    words = dict(doc.data.get("wording") or {})
    for key, text in words.items():
        allowed = wording.PHRASES[key].placeholders
        where = doc.where(("wording", key))
        _check_template(text, allowed, where, f"wording, {key}", problems)
    return words


def _type_size(doc: loader.Document, problems: Problems) -> float | None:
    """The layout's table type size in points, if given and within TYPE_SIZES."""
    if "table_type_size" not in doc.data:
        return None
    size = float(doc.data["table_type_size"])
    low, high = TYPE_SIZES
    if not low <= size <= high:
        problems.error(
            doc.where(("table_type_size",)),
            "bad-value",
            f"table_type_size is {size:g} pt; write a size from {low:g} to {high:g} points "
            "(10 is the default; 7.5 suits a table of 15 or more columns).",
        )
        return None
    if size < SMALL_TYPE:
        problems.warning(
            doc.where(("table_type_size",)),
            "small-type",
            f"table_type_size is {size:g} pt, smaller than {SMALL_TYPE:g} pt, which many "
            "readers find hard to read; councils publish at 10 pt or larger. Use fewer or "
            "narrower columns, or a larger size if the table fits.",
        )
    return size


def _block(doc: loader.Document, i: int, raw: dict[str, Any], problems: Problems) -> Block:
    """One block, its columns resolved and its templates checked."""
    kind = raw["type"]
    where = ("blocks", i)
    name = f"block {i + 1} ({kind})"
    for option in block_options():
        allowed, key = option.metadata["placeholders"], option.name
        if allowed is not None and key in raw:
            _check_template(raw[key], allowed, doc.where((*where, key)), f"{name}, {key}", problems)
    columns: tuple[ColumnSpec, ...] = ()
    raw_columns = raw.get("columns", [])
    if kind in TABLE_KINDS:
        if not raw_columns:
            problems.error(
                doc.where(where),
                "missing-key",
                f"{name} needs 'columns', the table's columns, each written as "
                "{field: ..., heading: ..., width: ...}. Add them; docs/papers.md lists the "
                "fields.",
            )
        columns = tuple(
            _column(doc, (*where, "columns", j), f"{name}, column {j + 1}", kind, c, problems)
            for j, c in enumerate(raw_columns)
        )
    _check_group_column(doc, where, name, raw, columns, problems)
    widths = sum(float(c["width"]) for c in raw_columns)
    if widths > MAX_WIDTH:
        problems.error(
            doc.where((*where, "columns")),
            "layout-too-wide",
            f"the columns of {name} add up to {widths:g}% of the page width; make them add "
            "up to 100 or less.",
        )
    given = {f.name: raw[f.name] for f in block_options() if f.name in raw}
    return make_block(kind, columns=columns, location=doc.where(where), **given)


def _check_group_column(
    doc: loader.Document,
    where: loader.Path_,
    name: str,
    raw: dict[str, Any],
    columns: tuple[ColumnSpec, ...],
    problems: Problems,
) -> None:
    """In a group_style: column table, the first column names the group: one plain cell."""
    if raw.get("group_style") != "column" or not columns:
        return
    first = columns[0]
    if first.kind == BY_PERIOD or first.kind in MILESTONE_KINDS:
        problems.error(
            doc.where((*where, "columns", 0, "field")),
            "bad-value",
            f"{name}: with group_style: column the first column names each group, spanning "
            f"its rows, so it cannot be '{first.field}'. Put a column such as "
            "{field: theme, heading: Area, width: 15} first.",
        )


def _column(
    doc: loader.Document,
    path: loader.Path_,
    name: str,
    block_kind: str,
    raw: dict[str, Any],
    problems: Problems,
) -> ColumnSpec:
    """One column, its field resolved into a kind and, for some kinds, a key or period."""
    written = raw["field"]
    where = doc.where((*path, "field"))
    allowed, table = TABLE_KINDS[block_kind]
    kind, _, argument = written.partition(":")
    period = None
    placeholders = (
        SUMMARY_COLUMN_PLACEHOLDERS
        if block_kind == "recommendation-summary"
        else PERIOD_COLUMN_PLACEHOLDERS
        if kind == BY_PERIOD
        else COLUMN_PLACEHOLDERS
    )
    if kind not in allowed:
        shown = [SHOWN.get(k, k) for k in allowed]
        elsewhere = next(
            (f" It belongs in {t}." for ks, t in TABLE_KINDS.values() if kind in ks), ""
        )
        problems.error(
            where,
            "unknown-column-field",
            f"{name}: '{written}' is not a column {table} can show.{elsewhere}"
            f"{nearest(written, shown)} Fields allowed in {table}: {', '.join(shown)}.",
        )
    elif kind in PERIOD_KINDS:
        period = _period(written, argument, where, name, problems)
    elif kind == BY_PERIOD and "{period}" not in raw["heading"]:
        problems.error(
            doc.where((*path, "heading")),
            "bad-value",
            f"{name}: a status-by-period column is a column for each reporting period, so "
            f'its heading needs {{period}} to name each one (e.g. heading: "{{period}}"); '
            f"'{raw['heading']}' would head them all alike.",
        )
    for key, names in placeholders.items():
        if key in raw:
            place = doc.where((*path, key))
            _check_template(raw[key], names, place, f"{name}, {key}", problems)
    return ColumnSpec(
        kind=kind,
        heading=raw["heading"],
        width=float(raw["width"]),
        field=written,
        key=argument if kind in KEY_KINDS else None,
        period=period,
        location=where,
        **{k: raw[k] for k in ("subheading", "prefix", "suffix", "with_ref", "merge") if k in raw},
    )


def _period(
    written: str, text: str, where: Location, name: str, problems: Problems
) -> dates.PlanDate | None:
    """The month or day a status-at or update-at column names; None after reporting."""
    try:
        return dates.parse(text)
    except dates.DateError as exc:
        rule, message = exc.rule, exc.message
    except ValueError:  # a year dates.parse cannot hold, such as 0000
        rule, message = "date-impossible", f"'{text}' is not a real date: there is no year 0."
    problems.error(
        where,
        rule,
        f"{name}: in '{written}', {message} Write a month or a day, e.g. "
        f"{written.partition(':')[0]}:2013-09.",
    )
    return None


def _check_template(
    text: str, allowed: tuple[str, ...], where: Location, name: str, problems: Problems
) -> None:
    """Report each brace in text that is not a plain {name} allowed here, nor {{ or }}."""
    shown = [f"{{{n}}}" for n in allowed]
    choices = (
        f"Placeholders allowed here: {', '.join(shown)}."
        if shown
        else "This text has no placeholders; write {{ and }} for a brace."
    )
    seen: set[str] = set()
    for match in _TOKEN.finditer(text):
        token, placeholder = match.group(), match.group(1)
        if token in ("{{", "}}") or placeholder in allowed or token in seen:
            continue
        seen.add(token)
        if placeholder is None:
            why = f"a lone '{token}' is not part of a placeholder (write {{{{ or }}}} for a brace)."
        elif _NAME.fullmatch(placeholder):
            why = f"'{token}' is not a placeholder planreport fills here.{nearest(token, shown)}"
        else:
            why = (
                f"'{token}' is not allowed: a placeholder is a plain name in braces, with no "
                "dots, colons, brackets or formatting."
            )
        problems.error(where, "unknown-placeholder", f"{name}: {why} {choices}")


def check_against_plan(
    layout: Layout, plan: Plan, where_paper: Location, problems: Problems
) -> None:
    """Report each column the plan cannot fill: an undeclared custom field, or periods."""
    for block in layout.blocks:
        for column in block.columns:
            if column.kind == BY_PERIOD and not plan.periods:
                problems.error(
                    column.location or layout.location or where_paper,
                    "no-reporting-periods",
                    f"the column '{column.field}' shows a status for each reporting period, "
                    f"but plan '{plan.id}' (in the paper '{Path(where_paper.path).stem}') "
                    "declares none. "
                    "Declare them in the plan under reporting_periods (docs/plan-format.md, "
                    "section 7), or use status-at:YYYY-MM columns.",
                )
            if column.kind not in KEY_KINDS or column.key in plan.custom_fields:
                continue
            declared = sorted(plan.custom_fields)
            known = f"It declares: {', '.join(declared)}." if declared else "It declares none."
            problems.error(
                column.location or layout.location or where_paper,
                "unknown-custom-field",
                f"the column '{column.field}' shows a custom field that plan '{plan.id}' "
                f"(in the paper {where_paper.path}) does not declare under custom_fields."
                f"{nearest(column.key or '', declared)} {known} Correct the key, or declare "
                "the field in the plan.",
            )


def load(project: Project, path: Path) -> Loaded[Layout]:
    """A layout, loaded, validated and typed (once)."""
    return loading.value(project, path, "layout", from_document)
