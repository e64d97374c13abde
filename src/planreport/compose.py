"""Compose a paper: plans, a paper definition and a layout make one paper model."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from . import dates, standing
from .model import Action, DateField, Lead, Person, Plan, Recommendation, Update
from .paper import Bar, Block, Cell, Chart, Column, Heading, Notes, Paper, Row, Swatch, Table, Text
from .papers import PaperSpec
from .richtext import Bullets, Para, Rich, Run, parse, plain, prefixed


@dataclass
class _Context:
    """What every column and block needs while composing one plan."""

    plan: Plan
    people: dict[str, Person]
    spec: PaperSpec
    layout: dict[str, Any]

    @property
    def as_at(self) -> date:
        """The date the paper reports to."""
        return self.spec.as_at


def compose(
    spec: PaperSpec, plans: list[Plan], people: dict[str, Person], layout: dict[str, Any]
) -> Paper:
    """Build the paper model for a paper definition."""
    first = plans[0]
    title = spec.title or first.title or first.id
    blocks: list[Block] = []
    for plan in plans:
        ctx = _Context(plan, people, spec, layout)
        if len(plans) > 1:
            blocks.append(Heading(1, plan.title or plan.id))
        for block in _with_progress(layout):
            blocks += _BLOCKS[block["type"]](ctx, block)
    return Paper(
        id=spec.id,
        title=title,
        subtitle=spec.subtitle,
        running_header=(spec.subtitle and f"{title} – {spec.subtitle}") or title,
        lines=_title_lines(spec),
        author=_author(spec),
        language=spec.language,
        landscape=layout.get("orientation", "landscape") == "landscape",
        blocks=blocks,
        keywords=[o for p in plans for o in p.organisations],
    )


PROGRESS_BLOCKS = ("summary", "changes", "exceptions")


def _with_progress(layout: dict[str, Any]) -> list[dict[str, Any]]:
    """The layout's blocks, with summary, changes and exceptions after the title.

    Unless the layout places them itself, or turns them off with progress: false.
    """
    blocks = list(layout["blocks"])
    if not layout.get("progress", True) or any(b["type"] in PROGRESS_BLOCKS for b in blocks):
        return blocks
    at = next((i + 1 for i, b in enumerate(blocks) if b["type"] == "title"), 0)
    return blocks[:at] + [{"type": kind} for kind in PROGRESS_BLOCKS] + blocks[at:]


def _title_lines(spec: PaperSpec) -> list[str]:
    """Committee, meeting date and as-at date for the title."""
    lines = []
    if spec.committee:
        meeting = f", {_day(spec.meeting)}" if spec.meeting else ""
        lines.append(f"{spec.committee}{meeting}")
    elif spec.meeting:
        lines.append(f"Meeting: {_day(spec.meeting)}")
    lines.append(f"Progress as at {_day(spec.as_at)}")
    return lines


def _author(spec: PaperSpec) -> str | None:
    """The author or contact line."""
    parts = [spec.author.get(k) for k in ("name", "role", "email", "phone")]
    return ", ".join(p for p in parts if p) or None


def _day(day: date | None) -> str:
    """'18 September 2013'."""
    return f"{day.day} {day.strftime('%B')} {day.year}" if day else ""


# --- blocks -------------------------------------------------------------------------


def _title(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """The paper's heading and the lines under it."""
    spec, plan = ctx.spec, ctx.plan
    out: list[Block] = []
    if spec.appendix:
        out.append(Text(plain(spec.appendix), "label"))
    out.append(Heading(1, spec.title or plan.title or plan.id))
    if spec.subtitle:
        out.append(Text(plain(spec.subtitle), "subtitle"))
    responds = plan.responds_to
    if responds.get("name") and not spec.subtitle:
        when = (
            f" carried out in {dates.parse(responds['date']).words()}"
            if responds.get("date")
            else ""
        )
        by = f"the {responds['by']} " if responds.get("by") and len(responds["by"]) < 12 else ""
        out.append(Text(plain(f"Response to {by}{responds['name']}{when}"), "subtitle"))
    out += [Text(plain(line), "meta") for line in _title_lines(spec)]
    return out


def _introduction(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """The plan's introduction."""
    return _titled(block, [Text(parse(ctx.plan.introduction))] if ctx.plan.introduction else [])


def _closing(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """The plan's closing text."""
    return _titled(block, [Text(parse(ctx.plan.closing))] if ctx.plan.closing else [])


def _titled(block: dict[str, Any], content: list[Block], level: int = 2) -> list[Block]:
    """Content with the block's title as a heading, or nothing if there is no content."""
    if not content:
        return []
    return ([Heading(level, block["title"])] if block.get("title") else []) + content


def _status_key(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """The status scheme as a key: each status in colour and word, with its meaning."""
    scheme = ctx.plan.status_scheme
    title = block.get("title") or scheme.name or "Status key"
    rows = [
        Row([Cell(status=_swatch_of(level)), Cell(plain(level.meaning or ""))])
        for level in scheme.levels
    ]
    table = Table(
        f"{title}: what each status means", [Column("Status", 20), Column("Meaning", 40)], rows
    )
    return [Heading(2, title), table]


def _swatch_of(level: Any) -> Swatch:
    """A status level as colour and word."""
    return Swatch(level.label, level.colour, level.meaning)


def _notes(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """The plan's numbered notes."""
    if not ctx.plan.notes:
        return []
    return [Notes(block.get("title", "Notes"), [(n.ref, parse(n.text)) for n in ctx.plan.notes])]


def _glossary(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """The plan's abbreviations."""
    if not ctx.plan.glossary:
        return []
    entries = sorted(ctx.plan.glossary, key=lambda g: g.term.lower())
    rows = [Row([Cell(plain(g.term), row_header=True), Cell(plain(g.meaning))]) for g in entries]
    title = block.get("title", "Abbreviations")
    return [
        Heading(2, title),
        Table(title, [Column("Abbreviation", 20), Column("Meaning", 80)], rows),
    ]


def _summary(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """A table of the recommendations, grouped by theme, with page references."""
    plan = ctx.plan
    columns = [Column(c["heading"], c["width"]) for c in block["columns"]]
    anchors = _anchors(ctx)
    themes = {t.id: t.title for t in plan.themes}
    rows: list[Row] = []
    current: str | None = None
    for rec in plan.recommendations:
        if rec.theme and rec.theme != current:
            current = rec.theme
            rows.append(Row([Cell(plain(themes.get(rec.theme, rec.theme).upper()))], group=True))
        rows.append(Row([_rec_cell(ctx, rec, c, anchors) for c in block["columns"]]))
    caption = block.get("caption") or "Summary of recommendations"
    return _titled(block, [Table(caption, columns, rows)])


def _rec_cell(
    ctx: _Context, rec: Recommendation, column: dict[str, Any], anchors: dict[str, list[str]]
) -> Cell:
    """One cell of the recommendation summary."""
    name = column["field"]
    if name == "ref":
        return Cell(
            plain(f"{column.get('prefix', '')}{rec.ref}{column.get('suffix', '')}"), row_header=True
        )
    if name == "text":
        prefix = column.get("with_ref", "").format(ref=rec.ref)
        return Cell(prefixed(prefix, _rec_text(rec)))
    if name == "priority":
        return Cell(plain(rec.priority or ""))
    if name == "accountable":
        return Cell(_leads(ctx, rec.accountable))
    if name in ("timescale", "due"):
        return Cell(plain(rec.timescale or (_date_words(rec.due) if rec.due else "")))
    if name == "page":
        return Cell(pagerefs=tuple(anchors.get(rec.ref, [])))
    return Cell()


def _rec_text(rec: Recommendation) -> Rich:
    """A recommendation's text with its lettered parts."""
    text = parse(rec.text)
    parts = [Para((Run(f"{p.ref}. "), *_first_runs(parse(p.text)))) for p in rec.parts]
    return Rich(text.blocks + tuple(parts))


def _first_runs(rich: Rich) -> tuple[Run, ...]:
    """The runs of the first paragraph of rich text."""
    for block in rich.blocks:
        if isinstance(block, Para):
            return block.runs
    return ()


# --- actions -----------------------------------------------------------------------


def _selected(ctx: _Context) -> list[Action]:
    """The plan's actions that pass the paper's filters."""
    filters = ctx.spec.filters
    chosen = []
    for action in standing.current(ctx.plan, ctx.as_at):
        status = _status_at(ctx, action)
        if filters.get("open_only") and standing.done_at(ctx.plan, action, ctx.as_at):
            continue
        if filters.get("statuses") and (status is None or status.key not in filters["statuses"]):
            continue
        if filters.get("themes") and action.theme not in filters["themes"]:
            continue
        wanted = filters.get("recommendations")
        if wanted and not {ref for ref, _ in action.addresses} & set(wanted):
            continue
        chosen.append(action)
    return chosen


def _updates(ctx: _Context, action: Action) -> list[Update]:
    """The action's updates dated on or before the as-at date."""
    return standing.updates_to(action, ctx.as_at)


def _status_at(ctx: _Context, action: Action, day: date | None = None) -> Any:
    """The status level in force at day (default the as-at date), or None."""
    return standing.status_at(ctx.plan, action, day or ctx.as_at)


def _groups(ctx: _Context, actions: list[Action], group_by: str) -> list[tuple[str, list[Action]]]:
    """Actions grouped in plan order; each group keyed for its heading and anchor."""
    keys: dict[str, list[Action]] = {}
    for action in actions:
        keys.setdefault(_group_key(action, group_by), []).append(action)
    return list(keys.items())


def _group_key(action: Action, group_by: str) -> str:
    """The group an action belongs to."""
    if group_by == "theme":
        return action.theme or ""
    if group_by == "recommendation":
        return action.addresses[0][0] if action.addresses else ""
    if group_by == "addresses":
        return ",".join(ref for ref, _ in action.addresses)
    return ""


def _anchor(prefix: str, key: str) -> str:
    """An id safe in HTML and as a Word bookmark name."""
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9]+', '_', key) or 'all'}"[:40]


def _anchors(ctx: _Context) -> dict[str, list[str]]:
    """For each recommendation, the anchors of the headings where its actions are."""
    found: dict[str, list[str]] = {}
    actions = _selected(ctx)
    for block in ctx.layout["blocks"]:
        if block["type"] == "recommendation-sections":
            for rec in ctx.plan.recommendations:
                found.setdefault(rec.ref, []).append(_anchor("rec", rec.ref))
        elif block["type"] == "action-table" and block.get("group_style", "heading") == "heading":
            for key, members in _groups(ctx, actions, block.get("group_by", "none")):
                for action in members:
                    for ref, _ in action.addresses:
                        refs = found.setdefault(_parent(ctx.plan, ref), [])
                        if _anchor("grp", key) not in refs:
                            refs.append(_anchor("grp", key))
    return found


def _parent(plan: Plan, ref: str) -> str:
    """The recommendation a part belongs to (or ref itself)."""
    for rec in plan.recommendations:
        if any(p.ref == ref for p in rec.parts):
            return rec.ref
    return ref


def _action_table(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """The actions as one table, or one table per group."""
    actions = _selected(ctx)
    group_by = block.get("group_by", "none")
    style = block.get("group_style", "heading")
    caption = block.get("caption") or "Actions"
    if group_by == "none":
        table = _table(ctx, block, actions, caption)
        _closing_row(ctx, block, table)
        return _titled(block, [table])
    groups = _groups(ctx, actions, group_by)
    if style == "heading":
        out: list[Block] = []
        for key, members in groups:
            out += _group_heading(ctx, block, group_by, key)
            out.append(
                _table(ctx, block, members, f"{caption}: {_group_label(ctx, group_by, key)}")
            )
        return _titled(block, out)
    table = _table(ctx, block, [], caption)
    for key, members in groups:
        label = plain(_group_label(ctx, group_by, key))
        if style == "row":
            table.rows.append(Row([Cell(label)], group=True))
            table.rows += _rows(ctx, block, members)
        else:
            rows = _rows(ctx, block, members, skip_first=True)
            if rows:
                rows[0].cells.insert(0, Cell(label, rowspan=len(rows), row_header=True))
            table.rows += rows
    _closing_row(ctx, block, table)
    return _titled(block, [table])


def _closing_row(ctx: _Context, block: dict[str, Any], table: Table) -> None:
    """The plan's closing text as the table's last row, if the layout asks for it."""
    if block.get("closing_row") and ctx.plan.closing:
        table.rows.append(Row([Cell(parse(ctx.plan.closing))], group=True))


def _group_label(ctx: _Context, group_by: str, key: str) -> str:
    """Words for a group: a theme's title or the recommendations addressed."""
    if group_by == "theme":
        return next((t.title for t in ctx.plan.themes if t.id == key), key or "Other actions")
    refs = [r for r in key.split(",") if r]
    if not refs:
        return "Other actions"
    return ("Recommendation " if len(refs) == 1 else "Recommendations ") + ", ".join(refs)


def _group_heading(ctx: _Context, block: dict[str, Any], group_by: str, key: str) -> list[Block]:
    """A group's heading, and for recommendations the text of each one addressed."""
    anchor = _anchor("grp", key)
    template = block.get("group_heading")
    recs = {r.ref: r for r in ctx.plan.recommendations}
    if group_by in ("recommendation", "addresses"):
        refs = [r for r in key.split(",") if r]
        if len(refs) == 1 and refs[0] in recs and template:
            rec = recs[refs[0]]
            return [
                Heading(
                    3, template.format(ref=rec.ref, text=_rec_text(rec).plain(), title=""), anchor
                )
            ]
        out: list[Block] = [Heading(3, _group_label(ctx, group_by, key), anchor)]
        if block.get("group_intro"):
            out.append(Text(plain(block["group_intro"])))
        items = tuple(
            (Para((Run(f"Recommendation {r} – "), *_first_runs(_rec_text(recs[r])))),)
            for r in refs
            if r in recs
        )
        if items:
            out.append(Text(Rich((Bullets(items),))))
        return out
    title = _group_label(ctx, group_by, key)
    text = template.format(title=title, ref=key, text=title) if template else title
    return [Heading(3, text, anchor)]


def _table(ctx: _Context, block: dict[str, Any], actions: list[Action], caption: str) -> Table:
    """A table of actions with the block's columns."""
    columns = [Column(_heading(ctx, c["heading"], actions), c["width"]) for c in block["columns"]]
    return Table(caption, columns, _rows(ctx, block, actions))


def _heading(ctx: _Context, template: str, actions: list[Action]) -> str:
    """A column heading, with {update} as the month of the latest update shown."""
    if "{update}" not in template:
        return template
    latest = max(
        (u.date.value.first for a in actions for u in _updates(ctx, a) if u.date.value),
        default=None,
    )
    month = f"{latest.strftime('%B')} {latest.year}" if latest else ""
    return template.replace("{update}", month).strip()


def _rows(
    ctx: _Context, block: dict[str, Any], actions: list[Action], skip_first: bool = False
) -> list[Row]:
    """One row per action."""
    columns = block["columns"][1:] if skip_first else block["columns"]
    return [Row([_cell(ctx, action, c) for c in columns]) for action in actions]


def _cell(ctx: _Context, action: Action, column: dict[str, Any]) -> Cell:
    """One cell of an action table."""
    name = column["field"]
    if name == "status":
        status = _status_at(ctx, action)
        return Cell(status=_swatch_of(status) if status else None)
    if name.startswith("status-at:"):
        status = _status_at(ctx, action, dates.parse(name.split(":", 1)[1]).last)
        return Cell(status=_swatch_of(status) if status else None)
    if name == "ref":
        return Cell(
            plain(f"{column.get('prefix', '')}{action.ref}{column.get('suffix', '')}"),
            row_header=True,
        )
    return Cell(_FIELDS[name](ctx, action, column) if name in _FIELDS else _custom(action, name))


def _custom(action: Action, name: str) -> Rich:
    """A custom field's value, or an update at a period."""
    if name.startswith("custom:"):
        value = action.custom.get(name.split(":", 1)[1])
        return parse(value[0]) if value else Rich()
    return Rich()


def _text(ctx: _Context, action: Action, column: dict[str, Any]) -> Rich:
    """The action's text, optionally led by its ref."""
    prefix = column.get("with_ref", "").format(ref=action.ref)
    return prefixed(prefix, parse(action.text))


def _recommendation(ctx: _Context, action: Action, column: dict[str, Any]) -> Rich:
    """The recommendations the action addresses, numbered ones as 'Recommendation 1 - '."""
    recs = {r.ref: r for r in ctx.plan.recommendations}
    parts = {p.ref: p for r in ctx.plan.recommendations for p in r.parts}
    blocks = []
    for ref, _ in action.addresses:
        rec = recs.get(ref)
        if rec is None and ref in parts:
            blocks += parse(parts[ref].text).blocks
            continue
        if rec is None:
            continue
        text = _rec_text(rec)
        label = f"Recommendation {rec.ref} - " if rec.kind == "recommendation" else ""
        blocks += prefixed(label, text).blocks
    return Rich(tuple(blocks))


def _leads(ctx: _Context, leads: list[Lead]) -> Rich:
    """Leads as the layout chooses: name and role, name, or initials."""
    style = ctx.layout.get("leads", "name-role")
    paras = []
    for lead in leads:
        person = ctx.people.get(lead.person)
        if person is None:
            paras.append(lead.person)
            continue
        if style == "initials":
            text = person.initials or person.name or person.role or person.id
        elif style == "name":
            text = person.name or person.role or person.initials or person.id
        else:
            role = lead.role or person.role
            bits = [person.name or person.initials, role, person.organisation]
            text = ", ".join(b for b in bits if b) or person.id
        if lead.note and style == "name-role":
            text += f" ({lead.note})"
        paras.append(text)
    if style == "initials":
        return plain(" ".join(paras))
    return Rich(tuple(Para((Run(p),)) for p in paras))


def _date_words(field: DateField | None, review: DateField | None = None) -> str:
    """A due date in words; 'Ongoing (review by July 2020)' for ongoing."""
    if field is None:
        return ""
    if field.ongoing:
        return "Ongoing" + (
            f" (review by {review.value.words()})" if review and review.value else ""
        )
    return field.value.words() if field.value else field.text


def _timescale(ctx: _Context, action: Action, column: dict[str, Any]) -> Rich:
    """The timescale as published, then any revised dates with the original and reason."""
    first = action.timescale or _date_words(action.due, action.review)
    paras = [Para((Run(first),))] if first else []
    previous = action.due
    for revision in action.revisions:
        new = _date_words(revision.due, revision.review)
        old = _date_words(previous)
        reason = f" ({revision.reason.rstrip('.')})" if revision.reason else ""
        paras.append(Para((Run(f"{new}, revised from {old}{reason}", italic=True),)))
        previous = revision.due
    return Rich(tuple(paras))


def _due(ctx: _Context, action: Action, column: dict[str, Any]) -> Rich:
    """The due date in force, with the original if it was revised."""
    due = action.current_due()
    text = _date_words(due, action.current_review())
    if action.revisions and action.due:
        text += f", revised from {_date_words(action.due)}"
    return plain(text)


def _dates(ctx: _Context, action: Action, column: dict[str, Any]) -> Rich:
    """Start and due date as a range."""
    start = _date_words(action.start)
    due = _due(ctx, action, column).plain()
    return plain(f"{start} to {due}" if start and due else start or due)


def _milestones(ctx: _Context, action: Action, column: dict[str, Any]) -> Rich:
    """Each milestone with its timescale, completed ones marked."""
    paras = []
    for m in action.milestones:
        when = m.timescale or _date_words(m.due, m.review)
        runs = [*_first_runs(parse(m.text)), Run(" ")]
        runs.append(Run(when, bold=True))
        paras.append(Para(tuple(runs)))
    return Rich(tuple(paras))


def _progress(ctx: _Context, action: Action, column: dict[str, Any]) -> Rich:
    """The latest update's text as at the paper's date."""
    updates = [u for u in _updates(ctx, action) if u.text]
    return parse(updates[-1].text) if updates else Rich()


def _all_updates(ctx: _Context, action: Action, column: dict[str, Any]) -> Rich:
    """Every update to the as-at date, each led by its date."""
    blocks = []
    for update in _updates(ctx, action):
        if update.text:
            blocks += prefixed(f"{update.date.value.words()}: ", parse(update.text)).blocks
    return Rich(tuple(blocks))


def _simple(attribute: str) -> Callable[[_Context, Action, dict[str, Any]], Rich]:
    """A column showing one text attribute of the action."""
    return lambda ctx, action, column: parse(getattr(action, attribute))


_FIELDS: dict[str, Callable[[_Context, Action, dict[str, Any]], Rich]] = {
    "text": _text,
    "recommendation": _recommendation,
    "leads": lambda ctx, action, column: _leads(ctx, action.leads),
    "outputs": _simple("outputs"),
    "outcome": _simple("outcome"),
    "impact": _simple("impact"),
    "measures": _simple("measures"),
    "evidence": _simple("evidence"),
    "timescale": _timescale,
    "due": _due,
    "start": lambda ctx, action, column: plain(_date_words(action.start)),
    "dates": _dates,
    "milestones": _milestones,
    "progress": _progress,
    "updates": _all_updates,
    "theme": lambda ctx, action, column: plain(
        next((t.title for t in ctx.plan.themes if t.id == action.theme), "")
    ),
}


def _sections(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """One section per recommendation: its text, outcomes, measures and actions."""
    actions = _selected(ctx)
    out: list[Block] = []
    template = block.get("section_heading", "Recommendation {ref}")
    for rec in ctx.plan.recommendations:
        mine = [a for a in actions if any(_parent(ctx.plan, r) == rec.ref for r, _ in a.addresses)]
        if not mine and ctx.spec.filters:
            continue
        heading = template.format(ref=rec.ref, priority=rec.priority or "").rstrip(" -–")
        out.append(Heading(2, heading, _anchor("rec", rec.ref)))
        if rec.text:
            out.append(Text(parse(rec.text), "lead"))
        if rec.outcomes:
            out.append(Heading(3, block.get("outcomes_heading", "Outcomes")))
            out.append(Text(_bullets(rec.outcomes)))
        if rec.measures:
            out.append(Heading(3, block.get("measures_heading", "Measures")))
            out.append(Text(_bullets(rec.measures)))
        out += _section_tables(ctx, block, rec, mine)
    return out


def _section_tables(
    ctx: _Context, block: dict[str, Any], rec: Recommendation, actions: list[Action]
) -> list[Block]:
    """The recommendation's action table, one per lettered part if it has parts."""
    caption = block.get("caption") or "Actions"
    if not rec.parts or block.get("group_by", "part") != "part":
        return [_table(ctx, block, actions, f"{caption} for recommendation {rec.ref}")]
    out: list[Block] = []
    template = block.get("part_heading")
    for part in rec.parts:
        members = [a for a in actions if any(r == part.ref for r, _ in a.addresses)]
        if not members:
            continue
        out.append(
            Text(Rich((Para((Run(f"{part.ref}. "), *_first_runs(parse(part.text)))),)), "small")
        )
        table = _table(ctx, block, members, f"{caption} for recommendation {part.ref}")
        if template:
            first = table.columns[0]
            table.columns[0] = Column(template.format(ref=part.ref), first.width)
        out.append(table)
    return out


def _bullets(items: list[str]) -> Rich:
    """A list of texts as one bullet list."""
    return Rich((Bullets(tuple(parse(item).blocks for item in items)),))


def _overview(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """Counts by status overall and per group, as a table and a chart; what needs attention."""
    found = standing.assess(ctx.plan, ctx.as_at, ctx.spec.next_meeting)
    levels = ctx.plan.status_scheme.levels
    groups = _count_groups(ctx, found, block.get("group_by"))
    columns = [Column(block.get("group_heading_label", "Group"), 28)]
    share = 72 / (len(levels) + 2)
    columns += [Column(level.label, share) for level in levels]
    columns += [Column("No status", share), Column("Total", share)]
    rows = [_count_row(label, items, levels) for label, items in groups]
    if len(groups) > 1:
        rows.append(_count_row("All actions", found, levels))
    soon = (
        f"before the next meeting ({_day(ctx.spec.next_meeting)})"
        if ctx.spec.next_meeting
        else "in the next 30 days"
    )
    overdue, due = sum(s.overdue for s in found), sum(s.due_soon for s in found)
    revised, stale = sum(s.revisions > 0 for s in found), sum(s.stale for s in found)
    attention = (
        f"As at {_day(ctx.as_at)}: {len(found)} actions. {overdue} overdue, {due} due {soon}, "
        f"{revised} with a revised date, {stale} with no update in the last "
        f"{ctx.plan.stale_after_days} days."
    )
    bars = [Bar(label, _segments(items, levels)) for label, items in groups]
    description = (
        "Actions by status: "
        + "; ".join(
            f"{bar.label}: " + ", ".join(f"{n} {s.label}" for n, s in bar.segments) for bar in bars
        )
        + "."
    )
    title = block.get("title", "Summary")
    return [
        Heading(2, title),
        Text(plain(attention)),
        Table(f"{title}: actions by status", columns, rows),
        Chart(f"{title}: actions by status", bars, description),
    ]


def _count_groups(ctx: _Context, found: list, group_by: str | None) -> list[tuple[str, list]]:
    """Standings grouped by theme (or recommendation), in plan order."""
    if group_by is None:
        actions = [s.action for s in found]
        group_by = "theme" if any(a.theme for a in actions) else "addresses"
        group_by = group_by if any(a.theme or a.addresses for a in actions) else "none"
    keyed: dict[str, list] = {}
    for item in found:
        keyed.setdefault(_group_key(item.action, group_by), []).append(item)
    if group_by == "none":
        return [("All actions", found)]
    return [(_group_label(ctx, group_by, k), v) for k, v in keyed.items()]


def _count_row(label: str, items: list, levels: list) -> Row:
    """Counts of each status in a group."""
    counts = [sum(1 for s in items if s.status and s.status.key == lv.key) for lv in levels]
    none = sum(1 for s in items if s.status is None)
    cells = [Cell(plain(label), row_header=True)]
    cells += [Cell(plain(str(n))) for n in [*counts, none, len(items)]]
    return Row(cells)


def _segments(items: list, levels: list) -> list[tuple[int, Swatch]]:
    """A bar's counts by status, leaving out statuses with none."""
    segments = [
        (sum(1 for s in items if s.status and s.status.key == lv.key), _swatch_of(lv))
        for lv in levels
    ]
    none = sum(1 for s in items if s.status is None)
    segments.append((none, Swatch("No status", "#BFBFBF")))
    return [(n, swatch) for n, swatch in segments if n]


def _changes(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """What changed since the previous paper, from the plan's dated history."""
    title = block.get("title", "Since the last paper")
    since = ctx.spec.previous_as_at
    if since is None:
        return [
            Heading(2, title),
            Text(plain("This is the first paper on this plan for this committee.")),
        ]
    found = standing.changes_between(ctx.plan, since, ctx.as_at)
    intro = f"Changes between {_day(since)} and {_day(ctx.as_at)}."
    if not found:
        return [Heading(2, title), Text(plain(intro + " Nothing has changed."))]
    people = ctx.people
    rows: list[Row] = []

    def add(kind: str, action: Action, detail: str) -> None:
        rows.append(
            Row(
                [
                    Cell(plain(kind)),
                    Cell(plain(action.ref), row_header=True),
                    Cell(plain(_one_line(action.text))),
                    Cell(plain(detail)),
                ]
            )
        )

    for action in found.new:
        add("New action", action, _date_words(action.current_due(), action.current_review()))
    for action in found.completed:
        add("Completed", action, "")
    for action, before, after in found.status_changes:
        add("Status changed", action, f"{before.label} to {after.label}")
    for action, revision in found.revisions:
        index = action.revisions.index(revision)
        previous = action.revisions[index - 1].due if index else action.due
        reason = f": {_one_line(revision.reason)}" if revision.reason else ""
        add(
            "Date revised",
            action,
            f"{_date_words(revision.due)}, revised from {_date_words(previous)}{reason}",
        )
    for action in found.withdrawn:
        gone = action.withdrawn
        merged = f" Merged into {gone.merged_into}." if gone.merged_into else ""
        add("Removed", action, f"{_one_line(gone.reason)}{merged}")
    del people
    columns = [Column("Change", 14), Column("Ref", 7), Column("Action", 45), Column("Detail", 34)]
    return [Heading(2, title), Text(plain(intro)), Table(f"{title}: changes", columns, rows)]


def _one_line(text: str, limit: int = 200) -> str:
    """Plain text on one line, shortened if long."""
    flat = " ".join(parse(text).plain(notes=False).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _exceptions(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """Overdue actions and those at the scheme's worst open status, with lead and dates."""
    levels = [lv for lv in ctx.plan.status_scheme.levels if not lv.done]
    worst = levels[-1].key if levels else None
    found = [
        s
        for s in standing.assess(ctx.plan, ctx.as_at, ctx.spec.next_meeting)
        if s.overdue or (s.status and s.status.key == worst and not s.done)
    ]
    title = block.get("title", "Exceptions")
    if not found:
        return [
            Heading(2, title),
            Text(plain("No action is overdue or at the most serious status.")),
        ]
    columns = [
        Column("Ref", 7),
        Column("Action", 38),
        Column("Lead", 20),
        Column("Due", 23),
        Column("Status", 12),
    ]
    rows = [
        Row(
            [
                Cell(plain(s.action.ref), row_header=True),
                Cell(plain(_one_line(s.action.text))),
                Cell(_leads(ctx, s.action.leads)),
                Cell(_due(ctx, s.action, {})),
                Cell(status=_swatch_of(s.status) if s.status else None),
            ]
        )
        for s in found
    ]
    return [Heading(2, title), Table(f"{title}: overdue and most serious actions", columns, rows)]


def _leads_key(ctx: _Context, block: dict[str, Any]) -> list[Block]:
    """A key to the initials the paper uses for leads: who each is, where the registry knows."""
    ids = dict.fromkeys(lead.person for a in _selected(ctx) for lead in a.leads)
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
        for p in sorted(known, key=lambda p: p.initials.lower())
    ]
    title = block.get("title", "Lead officers")
    columns = [Column("Initials", 12), Column("Name", 38), Column("Role", 50)]
    return [Heading(2, title), Table(title, columns, rows)]


_BLOCKS: dict[str, Callable[[_Context, dict[str, Any]], list[Block]]] = {
    "title": _title,
    "introduction": _introduction,
    "status-key": _status_key,
    "recommendation-summary": _summary,
    "action-table": _action_table,
    "recommendation-sections": _sections,
    "notes": _notes,
    "glossary": _glossary,
    "leads-key": _leads_key,
    "summary": _overview,
    "changes": _changes,
    "exceptions": _exceptions,
    "closing": _closing,
}
