"""Paper blocks: one builder per layout block type, and the registry naming them.

Each builder takes the composing context and its layout block and returns the paper
blocks (headings, text, tables, charts) it stands for; the cells come from `columns`.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from planreport.paper import layouts
from planreport.paper.context import (
    Context,
    first_runs,
    group_key,
    group_label,
    part_label,
    rec_text,
    status_cell,
)
from planreport.paper.exceptions import exception_list, exceptions
from planreport.paper.fields import (
    Anchors,
    action_cell,
    milestone_cells,
    month_of_latest_update,
    period_columns,
    recommendation_cell,
)
from planreport.paper.model import Block, Cell, Column, Heading, Notes, Row, Table, Text
from planreport.paper.progress import changes, group_words, progress_summary
from planreport.paper.title import paper_title
from planreport.plan.model import Action, Recommendation
from planreport.plan.richtext import Bullets, Para, Rich, Run, parse, plain

Builder = Callable[[Context, layouts.Block], list[Block]]


def _introduction(ctx: Context, block: layouts.Block) -> list[Block]:
    """The plan's introduction."""
    return _titled(block, [Text(parse(ctx.plan.introduction))] if ctx.plan.introduction else [])


def _closing(ctx: Context, block: layouts.Block) -> list[Block]:
    """The plan's closing text."""
    return _titled(block, [Text(parse(ctx.plan.closing))] if ctx.plan.closing else [])


def _titled(block: layouts.Block, content: list[Block]) -> list[Block]:
    """Content under the block's title (a table's caption, if untitled), or nothing if empty."""
    if not content:
        return []
    title = block.title or block.caption  # every table a reader sees has a heading of its own
    return ([Heading(2, title)] if title else []) + content


def _status_key(ctx: Context, block: layouts.Block) -> list[Block]:
    """The status scheme as a key: each status in colour and word, with its meaning."""
    scheme = ctx.plan.status_scheme
    title = block.title or scheme.name or "Status key"
    rows = [Row([status_cell(level), Cell(plain(level.meaning or ""))]) for level in scheme.levels]
    table = Table(
        f"{title}: what each status means", [Column("Status", 20), Column("Meaning", 40)], rows
    )
    return [Heading(2, title), table]


def _notes(ctx: Context, block: layouts.Block) -> list[Block]:
    """The plan's numbered notes."""
    if not ctx.plan.notes:
        return []
    return [Notes(block.title or "", [(n.ref, parse(n.text)) for n in ctx.plan.notes])]


def _glossary(ctx: Context, block: layouts.Block) -> list[Block]:
    """The plan's abbreviations."""
    if not ctx.plan.glossary:
        return []
    entries = sorted(ctx.plan.glossary, key=lambda g: g.term.lower())
    rows = [Row([Cell(plain(g.term), row_header=True), Cell(plain(g.meaning))]) for g in entries]
    title = block.title or ""
    return [
        Heading(2, title),
        Table(title, [Column("Abbreviation", 20), Column("Meaning", 80)], rows),
    ]


def _leads_key(ctx: Context, block: layouts.Block) -> list[Block]:
    """A key to the initials the paper uses for leads: who each is, where the registry knows."""
    ids = dict.fromkeys(lead.person for a in ctx.selected for lead in a.leads)
    people = [ctx.people[i] for i in ids if i in ctx.people]
    known = [p for p in people if p.initials and (p.name or p.role)]
    if not known:
        return []
    rows = [
        Row(
            [
                Cell(plain(p.initials), row_header=True),
                Cell(plain(p.name or "")),
                Cell(plain(p.role or "")),
            ]
        )
        for p in sorted(known, key=lambda p: (p.initials or "").lower())
    ]
    title = block.title or ""
    columns = [Column("Initials", 12), Column("Name", 38), Column("Role", 50)]
    return [Heading(2, title), Table(title, columns, rows)]


# --- recommendations -----------------------------------------------------------------


def _recommendation_summary(ctx: Context, block: layouts.Block) -> list[Block]:
    """A table of the recommendations, grouped by theme, with page references."""
    columns = [
        Column(layouts.fill(c.heading, {}), c.width, layouts.fill(c.subheading, {}))
        for c in block.columns
    ]
    anchors = _anchors(ctx)
    rows: list[Row] = []
    current: str | None = None
    for rec in ctx.plan.recommendations:
        if rec.theme and rec.theme != current:
            current = rec.theme
            title = ctx.themes.get(rec.theme, rec.theme)
            rows.append(Row([Cell(plain(title.upper()))], group=True))
        rows.append(Row([recommendation_cell(ctx, rec, c, anchors) for c in block.columns]))
    return _titled(block, [Table(block.caption or "", columns, rows)])


def _recommendation_sections(ctx: Context, block: layouts.Block) -> list[Block]:
    """One section per recommendation: its text, outcomes, measures and actions."""
    out: list[Block] = []
    by_rec: dict[str, list[Action]] = {}
    for action in ctx.selected:
        for ref in dict.fromkeys(ctx.parent(r) for r, _ in action.addresses):
            by_rec.setdefault(ref, []).append(action)
    for rec in ctx.plan.recommendations:
        mine = by_rec.get(rec.ref, [])
        if not mine and ctx.spec.filters:
            continue
        values = {"ref": rec.ref, "priority": rec.priority or ""}
        heading = layouts.fill(block.section_heading or "", values).rstrip(" -–")
        out.append(Heading(2, heading, _anchor("rec", rec.ref), block.new_page))
        if rec.text or rec.parts:
            out.append(Text(rec_text(rec), "lead"))
        if rec.outcomes:
            out.append(Heading(3, block.outcomes_heading or ""))
            out.append(Text(_bullets(rec.outcomes)))
        if rec.measures:
            out.append(Heading(3, block.measures_heading or ""))
            out.append(Text(_bullets(rec.measures)))
        out += _section_tables(ctx, block, rec, mine)
    return out


def _section_tables(
    ctx: Context, block: layouts.Block, rec: Recommendation, actions: list[Action]
) -> list[Block]:
    """The recommendation's action table, one per lettered part if it has parts."""
    caption = block.caption or ""
    if not rec.parts or block.group_by != "part":
        return [_table(ctx, block, actions, f"{caption} for recommendation {rec.ref}")]
    out: list[Block] = []
    for part in rec.parts:
        members = [a for a in actions if any(r == part.ref for r, _ in a.addresses)]
        if not members:
            continue
        if not block.part_heading:  # else the part is named in the table's first heading
            label = Run(f"{part_label(rec, part)}. ")
            out.append(Text(Rich((Para((label, *first_runs(parse(part.text)))),)), "small"))
        table = _table(ctx, block, members, f"{caption} for recommendation {part.ref}")
        if block.part_heading:
            first = table.columns[0]
            heading = layouts.fill(block.part_heading, {"ref": part.ref})
            table.columns[0] = Column(heading, first.width)
        out.append(table)
    return out


def _bullets(items: list[str]) -> Rich:
    """A list of texts as one bullet list."""
    return Rich((Bullets(tuple(parse(item).blocks for item in items)),))


# --- action tables -------------------------------------------------------------------


def _action_table(ctx: Context, block: layouts.Block) -> list[Block]:
    """The actions as one table, or one table per group; nothing if a selection leaves none."""
    actions = _tabled(ctx)
    if ctx.spec.filters and not actions:
        return []
    group_by = block.group_by
    caption = block.caption or ""
    if group_by == "none":
        table = _table(ctx, block, actions, caption)
        _closing_row(ctx, block, table)
        return _titled(block, [table])
    groups = _groups(actions, group_by)
    if block.group_style == "heading":
        out: list[Block] = []
        for key, members in groups:
            out += _group_heading(ctx, block, key)
            out.append(_table(ctx, block, members, f"{caption}: {group_label(ctx, group_by, key)}"))
        return _titled(block, out)
    table = _table(ctx, block, [], caption, headed_by=actions)
    columns = _columns(ctx, block.columns)
    for key, members in groups:
        label = plain(_group_words(ctx, block, key))
        if block.group_style == "row":
            table.rows.append(Row([Cell(label)], group=True))
            table.rows += _rows(ctx, columns, members)
        else:
            rows = _rows(ctx, columns[1:], members)
            if rows:
                rows[0].cells.insert(0, Cell(label, rowspan=len(rows), row_header=True))
            table.rows += rows
    _closing_row(ctx, block, table)
    return _titled(block, [table])


def _group_words(ctx: Context, block: layouts.Block, key: str) -> str:
    """A group's label in a row or column: the block's group_heading filled in, if it has one.

    Without one, as a reader knows the group: "Recommendation 19: Ensure the…", a theme's
    title. The template's {ref} and {text} are the recommendation's (one addressed) or the
    theme's id and title; {title} the group's usual label.
    """
    usual = group_words(ctx, block.group_by, key)
    if not block.group_heading:
        return usual
    values = {"ref": key, "text": usual, "title": usual}
    rec = ctx.recommendations.get(key)
    if block.group_by != "theme" and rec is not None:
        values |= {"ref": rec.ref, "text": rec_text(rec).plain()}
    return layouts.fill(block.group_heading, values)


def _closing_row(ctx: Context, block: layouts.Block, table: Table) -> None:
    """The plan's closing text as the table's last row, if the layout asks for it."""
    if block.closing_row and ctx.plan.closing:
        table.rows.append(Row([Cell(parse(ctx.plan.closing))], group=True, header=False))


def _groups(actions: list[Action], group_by: str) -> list[tuple[str, list[Action]]]:
    """Actions grouped in plan order; each group keyed for its heading and anchor."""
    keys: dict[str, list[Action]] = {}
    for action in actions:
        keys.setdefault(group_key(action, group_by), []).append(action)
    return list(keys.items())


def _group_heading(ctx: Context, block: layouts.Block, key: str) -> list[Block]:
    """A group's heading, and for recommendations the text of each one addressed."""
    group_by, template = block.group_by, block.group_heading
    target = _anchor("grp", key)
    recs = ctx.recommendations
    if group_by in ("recommendation", "addresses"):
        refs = [r for r in key.split(",") if r]
        if len(refs) == 1 and refs[0] in recs and template:
            rec = recs[refs[0]]
            values = {"ref": rec.ref, "text": rec_text(rec).plain(), "title": ""}
            return [Heading(3, layouts.fill(template, values), target)]
        out: list[Block] = [Heading(3, group_label(ctx, group_by, key), target)]
        if block.group_intro:
            out.append(Text(plain(block.group_intro), "intro"))
        items = tuple(
            (Para((Run(ctx.say("recommendation_item", ref=r)), *first_runs(rec_text(recs[r])))),)
            for r in refs
            if r in recs
        )
        if items:
            out.append(Text(Rich((Bullets(items),)), "intro"))
        return out
    title = group_label(ctx, group_by, key)
    values = {"title": title, "ref": key, "text": title}
    return [Heading(3, layouts.fill(template, values) if template else title, target)]


def _table(
    ctx: Context,
    block: layouts.Block,
    actions: list[Action],
    caption: str,
    headed_by: list[Action] | None = None,
) -> Table:
    """A table of actions with the block's columns; {update} in headings from headed_by."""
    shown = _columns(ctx, block.columns)
    among = actions if headed_by is None else headed_by
    columns = [
        Column(_heading(ctx, c.heading, among), c.width, _heading(ctx, c.subheading, among))
        for c in shown
    ]
    return Table(caption, columns, _rows(ctx, shown, actions))


def _columns(
    ctx: Context, columns: tuple[layouts.ColumnSpec, ...]
) -> tuple[layouts.ColumnSpec, ...]:
    """The columns, each status-by-period column expanded to one per reporting period."""
    out: list[layouts.ColumnSpec] = []
    for column in columns:
        out += period_columns(ctx, column) if column.kind == layouts.BY_PERIOD else [column]
    return tuple(out)


def _heading(ctx: Context, template: str, actions: list[Action]) -> str:
    """A column heading, with {update} as the month of the latest update shown."""
    if "{update}" not in template:
        return layouts.fill(template, {})
    month = month_of_latest_update(ctx, actions)
    return layouts.fill(template, {"update": month}).strip()


def _rows(
    ctx: Context, columns: tuple[layouts.ColumnSpec, ...], actions: list[Action]
) -> list[Row]:
    """One row per action (per milestone, with milestone columns); merged cells span rows.

    A merging column's cell spans the rows that repeat it. With a `milestone` or
    `milestone-due` column an action has a row for each milestone, and its other cells
    span them, so each milestone's text and date share a row.
    """
    grid = [[action_cell(ctx, action, c) for c in columns] for action in actions]
    covered = _merge(grid, columns, actions) if any(c.merge for c in columns) else set()
    if any(c.kind in layouts.MILESTONE_KINDS for c in columns):
        return _milestone_rows(ctx, grid, covered, columns, actions)
    return [
        Row([c for j, c in enumerate(cells) if (i, j) not in covered])
        for i, cells in enumerate(grid)
    ]


def _milestone_rows(
    ctx: Context,
    grid: list[list[Cell]],
    covered: set[tuple[int, int]],
    columns: tuple[layouts.ColumnSpec, ...],
    actions: list[Action],
) -> list[Row]:
    """Each action's row cut into one row per milestone; its other cells span them."""
    spans = [max(1, len(a.milestones)) for a in actions]
    rows: list[Row] = []
    for i, (action, cells) in enumerate(zip(actions, grid, strict=True)):
        per_column = {
            j: milestone_cells(ctx, action, c)
            for j, c in enumerate(columns)
            if c.kind in layouts.MILESTONE_KINDS
        }
        for n in range(spans[i]):
            row = []
            for j, cell in enumerate(cells):
                if j in per_column:
                    mine = per_column[j]
                    row.append(mine[n] if n < len(mine) else Cell())
                elif n == 0 and (i, j) not in covered:
                    cell.rowspan = sum(spans[i : i + cell.rowspan])
                    row.append(cell)
            rows.append(Row(row))
    return rows


_LETTERED = re.compile(r"^(\d+)[a-z]$")


def _merge(
    rows: list[list[Cell]], columns: tuple[layouts.ColumnSpec, ...], actions: list[Action]
) -> set[tuple[int, int]]:
    """Give each merging column's value once per run of rows that repeat it.

    `merge: repeated` merges any run of equal, non-empty cells; `merge: lettered` only
    a run among one item's lettered actions (7a, 7b, 7c), as registers print them. The
    first cell of a run spans it (rowspan); the (row, column) of each cell under it is
    returned, for the caller to leave out.
    """
    covered: set[tuple[int, int]] = set()
    for j, column in enumerate(columns):
        if not column.merge:
            continue
        i = 0
        while i < len(rows):
            end = i + 1
            while end < len(rows) and _same_run(rows, actions, column.merge, i, end, j):
                end += 1
            if end - i > 1:
                rows[i][j].rowspan = end - i
                covered.update((k, j) for k in range(i + 1, end))
            i = end
    return covered


def _same_run(
    rows: list[list[Cell]], actions: list[Action], how: str, first: int, i: int, j: int
) -> bool:
    """Whether row i's cell in column j continues the run that starts at row first."""
    one, other = rows[first][j], rows[i][j]
    if not (one.content or one.status) or (one.content, one.status, one.pagerefs) != (
        other.content,
        other.status,
        other.pagerefs,
    ):
        return False
    if how == "lettered":
        stem = _LETTERED.match(actions[first].ref)
        return bool(stem) and stem.group(1) == (_LETTERED.match(actions[i].ref) or [None, ""])[1]
    return True


def _anchor(prefix: str, key: str) -> str:
    """An id safe in HTML and as a Word bookmark name."""
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9]+', '_', key) or 'all'}"[:40]


def _tabled(ctx: Context) -> list[Action]:
    """The actions the plan's tables show: a selection leaves out its listed exceptions."""
    if not (ctx.spec.filters and ctx.with_exceptions):
        return ctx.selected  # the whole plan is always shown whole
    listed = {id(s.action) for s, _ in exception_list(ctx)}
    return [a for a in ctx.selected if id(a) not in listed]


def _anchors(ctx: Context) -> Anchors:
    """For each recommendation, the anchors of the headings where its actions are."""
    found: Anchors = {}
    for block in ctx.layout.blocks:
        if block.type == "recommendation-sections":
            for rec in ctx.plan.recommendations:
                found.setdefault(rec.ref, []).append(_anchor("rec", rec.ref))
        elif block.type == "action-table" and block.group_style == "heading":
            for key, members in _groups(_tabled(ctx), block.group_by):
                for action in members:
                    for ref, _ in action.addresses:
                        refs = found.setdefault(ctx.parent(ref), [])
                        if _anchor("grp", key) not in refs:
                            refs.append(_anchor("grp", key))
    return found


BLOCKS: dict[str, Builder] = {
    "title": paper_title,
    "introduction": _introduction,
    "status-key": _status_key,
    "recommendation-summary": _recommendation_summary,
    "action-table": _action_table,
    "recommendation-sections": _recommendation_sections,
    "notes": _notes,
    "glossary": _glossary,
    "leads-key": _leads_key,
    "summary": progress_summary,
    "changes": changes,
    "exceptions": exceptions,
    "closing": _closing,
}
