"""From a source's paragraphs and tables to a draft plan: the import's reading of structure.

Tables are read in document order with what the text around them says: a heading
"Recommendation 2 – ..." or "Recommendations 1, 4, 13" says which recommendations the
next table's actions address, "5a. ..." names a lettered part, "Outcome: ..." and
"... how will we know?" introduce outcomes and measures, a "Notes" heading numbered
notes. Inside tables, a row that is one cell across the table is a theme (or, last in
the table, the plan's closing text), a heading row repeated on a later page is read
once, and several tables make one plan. The same action printed twice (an exceptions
table and the full table) is read once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from planreport.importers import cells, draft, losses, mapping, settle, statuses, timescales
from planreport.importers import vocabulary as v
from planreport.importers.action_rows import ActionRows
from planreport.importers.cells import NOTE_MARK, REC_HEADING
from planreport.importers.errors import ImportFailed
from planreport.importers.grid import Cell, Para, Row, Source, Table
from planreport.importers.leads import People, slug
from planreport.importers.mapping import Overrides, TableMap

MAX_ROWS = 2000
_PRIORITY = re.compile(
    r"^(?:for\s+)?(?:immediate|improvement|within|priority|urgent|high|medium|low|short|"
    r"\d+\s+months?|three|six|nine|twelve)\b",
    re.IGNORECASE,
)
# A theme repeated where a table goes on over a page: "Staffing Review (continued)".
_CONTINUED = re.compile(r"\s*\((?:continued|cont(?:'d|d|\.)?)\)\s*$", re.IGNORECASE)
_PART = re.compile(r"^(?P<ref>\d+[a-z])\s*[.)]\s+(?P<text>.+)$", re.DOTALL)
_LETTER = re.compile(r"^(?P<letter>[a-z])\s*[.)]\s+")
_TABLE_REF = re.compile(r"\((?P<ref>\d+[a-z]?)\)|recommendation (?P<rec>\d+[a-z]?)$", re.I)
_NOTE_LINE = re.compile(r"^(?P<ref>\d{1,3})\s*\\?[.)]\s+(?P<text>.+)$", re.DOTALL)
_AS_AT = re.compile(r"\bas at\b", re.IGNORECASE)
_STATUS_LINE = statuses.STATUS_LINE


@dataclass
class Settings:
    """What the user said about this import."""

    as_at: date | None = None
    statuses: str | None = None
    title: str | None = None


@dataclass
class Reading:
    """What reading a source found: the draft plan and each table's map."""

    plan: draft.Plan
    maps: list[tuple[Table, TableMap]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    as_at: date | None = None
    as_at_from: str = ""


class Assembler(ActionRows):
    """Walks a source in order, keeping the context its headings set."""

    def __init__(
        self, source: Source, people: People, overrides: Overrides, settings: Settings
    ) -> None:
        self.source = source
        self.people = people
        self.overrides = overrides
        self.settings = settings
        self.plan = draft.Plan()
        self.reading = Reading(self.plan)
        self.recs: dict[str, draft.Recommendation] = {}
        self.defined: list[str] = []
        self.rec_by_text: dict[str, str] = {}
        self.refs: list[str] = []
        self.rec_numbers = False  # the action table's Ref column numbers its recommendations
        self.rec: draft.Recommendation | None = None
        self.section: str | None = None
        self.theme: str | None = None
        self.key_rows: list[tuple[str, str | None, str | None]] = []
        self.key_name: str | None = None
        self.last_heading: str | None = None
        self.previous_map: TableMap | None = None
        self.undated: list[str] = []
        self.closing_candidate: tuple[str, str] | None = None
        self.doc_as_at: date | None = None
        self.last_action: draft.Action | None = None
        self.last_signature: tuple[str, ...] = ()
        self.headings = losses.Headings()

    # --- the walk ------------------------------------------------------------------

    def run(self) -> Reading:
        """Read every block, then settle statuses, refs, duplicates and notes."""
        for block in self.source.blocks:
            if isinstance(block, Para):
                self.paragraph(block)
            else:
                self.table(block)
        self.plan.lost += self.source.notes
        self.finish()
        return self.reading

    def paragraph(self, para: Para) -> None:
        """Take what a paragraph outside the tables says about what follows."""
        text = para.plain.strip()
        self.headings.paragraph(None, False)
        if self.section == "notes" and self._note(para, text):
            return
        if para.heading == 1 and para.style.lower() == "title" and not self.plan.title:
            self.plan.title, self.plan.title_from = text, "the document's title"
        if _AS_AT.search(text) and self.doc_as_at is None and len(text) < 120:
            found = [f for f in timescales.find_dates(text) if len(f.text) == 10]
            if found:
                self.doc_as_at = found[-1].first
        if (match := _STATUS_LINE.match(text)) and len(self.key_rows) < 12:
            self.key_rows.append((match.group("label"), match.group("meaning").strip(), None))
            return
        if match := REC_HEADING.match(text):
            self._recommendation_heading(match, para)
            return
        lower = text.lower()
        if re.match(r"^to address the following", lower):
            self.section = "address-list"
        elif re.match(r"^outcomes?\b", lower) and len(text) < 90:
            self.section = "outcomes"
        elif "how will we know" in lower and len(text) < 90:
            self.section = "measures"
        elif re.fullmatch(r"(?:foot)?notes?:?", lower):
            self.section = "notes"
        elif (
            (match := _PART.match(text))
            and self.rec
            and match.group("ref").startswith(self.rec.ref)
        ):
            ref = match.group("ref")
            self.rec.parts.append((ref, cells.strip_prefix(para.markdown, ref)))
            self.refs, self.section = [ref], None
        elif (
            (match := _LETTER.match(text))
            and self.rec
            and self.section in ("rec-text", "parts")
            and not para.heading
        ):
            ref = f"{self.rec.ref}{match.group('letter')}"
            self.rec.parts.append((ref, _LETTER.sub("", para.markdown, count=1).strip()))
            self.section = "parts"
        elif para.heading:
            self.section = None
            self.last_heading = text
            if not self.plan.title and para.heading == 1:
                self.plan.title, self.plan.title_from = text, "the document's first heading"
            elif text != self.plan.title:
                self.headings.paragraph(text, True)
        elif self.section == "rec-text" and self.rec is not None:
            self.rec.text = f"{self.rec.text}\n\n{para.markdown}".strip()
        elif self.section in ("outcomes", "measures") and self.rec is not None:
            getattr(self.rec, self.section).append(para.markdown)
        elif not self.plan.title and not self.source.tables and len(text) < 200:
            self.plan.title, self.plan.title_from = text, "the document's first line"
        elif len(text) <= 80 and not text.endswith((".", ":", ";", ",")):
            self.headings.paragraph(text, False)

    def _note(self, para: Para, text: str) -> bool:
        """A numbered note, or more of the last one; False if the notes have ended."""
        if para.heading:
            self.section = None
            return False
        if match := _NOTE_LINE.match(para.markdown):
            self.plan.notes.append((match.group("ref"), match.group("text").strip()))
            return True
        if self.plan.notes:
            ref, body = self.plan.notes[-1]
            line = f"- {para.markdown}" if para.bullet else para.markdown
            joiner = "\n" if para.bullet and body.split("\n")[-1].startswith("- ") else "\n\n"
            self.plan.notes[-1] = (ref, f"{body}{joiner}{line}")
            return True
        return bool(text)

    def _recommendation_heading(self, match: re.Match[str], para: Para) -> None:
        """'Recommendation No. 1 - for immediate improvement', 'Recommendations 1, 4, 13'."""
        refs = cells.refs(match.group("refs"))
        rest = (match.group("rest") or "").strip()
        if self.section == "address-list" and len(refs) == 1:
            rec = self._define(refs[0])
            if rest and not rec.text:
                rec.text = cells.strip_rec_prefix(para.markdown)
            return
        self.section = None
        self.rec = None
        if len(refs) > 1:
            self.refs = refs
            for ref in refs:
                self._rec(ref)
            return
        rec = self._define(refs[0])
        self.refs, self.rec = refs, rec
        if not rest:
            self.section = "rec-text"
        elif _PRIORITY.match(rest) and len(rest) <= 60:
            rec.priority = rec.priority or rest
            self.section = "rec-text"
        elif not rec.text:
            rec.text = cells.strip_rec_prefix(para.markdown)

    # --- tables --------------------------------------------------------------------

    def table(self, table: Table) -> None:
        """Read one table as what its map says it holds."""
        found = mapping.read_map(table, self.overrides, self.previous_map)
        data = [
            row for i, row in enumerate(table.rows) if not found.header or i > max(found.header)
        ]
        if found.kind == mapping.ACTIONS and not self._has_actions(found, data):
            found = TableMap(mapping.OTHER)
        self.reading.maps.append((table, found))
        if len(data) > MAX_ROWS:
            row = data[MAX_ROWS]
            raise ImportFailed(
                f"{self.source.name}: {table.name} has more than {MAX_ROWS:,} rows (row "
                f"{row.number} is past the limit). planreport imports at most {MAX_ROWS:,} "
                "rows from one table: a plan that size is usually several plans. Split the "
                "table, or import each part into its own plan."
            )
        reader: dict[str, Callable[[Table, TableMap, list[Row]], None]] = {
            mapping.ACTIONS: self.action_rows,
            mapping.RECOMMENDATIONS: self.recommendation_rows,
            mapping.STATUS_KEY: self.key_table,
            mapping.GLOSSARY: self.glossary_table,
        }
        if found.kind in reader:
            if found.header and found.header[0] > 0:
                self._above(table.rows[: found.header[0]])
            actions = found.kind == mapping.ACTIONS
            self.headings.table(table, actions, found.continued, found.signature)
            self._table_refs(table, found)
            if found.kind == mapping.ACTIONS:
                self.plan.lost += losses.columns(table, found, data)
            reader[found.kind](table, found, data)
            if found.kind == mapping.ACTIONS:
                self.previous_map = found
        else:
            self.reading.skipped.append(table.name)
        self.section = None

    def _table_refs(self, table: Table, found: TableMap) -> None:
        """'What we will do (5a)' or a caption ending 'recommendation 5a': what it addresses."""
        known = {r for rec in self.recs.values() for r, _t in rec.parts} | set(self.recs)
        for words in [c.heading for c in found.of(v.TEXT)] + [table.caption]:
            match = _TABLE_REF.search(words.strip())
            ref = match and (match.group("ref") or match.group("rec"))
            if ref and ref in known:
                self.refs = [ref]
                return

    def _above(self, rows: list[Row]) -> None:
        """Rows above a table's heading row: a title (a spreadsheet's first line), headings."""
        for row in rows:
            cell = next((c for c in row.cells if not c.empty), None)
            if cell is None:
                continue
            words = cell.plain.replace("\n", " ")
            if not self.plan.title and len(words) <= 200 and not REC_HEADING.match(words):
                self.plan.title, self.plan.title_from = words, "the line above the table"
            elif words != self.plan.title:
                self.paragraph(Para(cell.markdown, cell.plain, heading=2))

    @staticmethod
    def _has_actions(found: TableMap, rows: list[Row]) -> bool:
        """Whether any row has words in the action (or milestones) column."""
        columns = found.of(v.TEXT) or found.of(v.MILESTONES)
        return any(
            not cells.cell(row, column).empty and not cells.is_category(row)
            for row in rows
            for column in columns
        )

    def recommendation_rows(self, table: Table, found: TableMap, rows: list[Row]) -> None:
        """Every recommendation in a summary table of recommendations."""
        theme: str | None = None
        text_col = found.first(v.RECOMMENDATION)
        for row in rows:
            if cells.repeats_heading(row, found):
                continue
            if cells.is_category(row):
                theme = self._theme(cells.category_cell(row).plain.replace("\n", " "))
                continue
            cell = cells.cell(row, text_col) if text_col else Cell()
            ref_col = found.first(v.REF)
            ref = cells.cell(row, ref_col).plain.strip().rstrip(".") if ref_col else None
            text = cell.markdown
            if not ref and found.refs_in_text:
                ref, _rest = mapping.split_ref(cell.plain)
                text = cells.strip_prefix(cell.markdown, ref) if ref else text
            if not ref:
                ref = self._finding(cell.markdown, cell.plain) if cell.plain else None
                if ref is None:
                    continue
            rec = self._define(ref)
            rec.where = rec.where or f"{table.name}, row {row.number}"
            rec.text = rec.text or text
            rec.theme = rec.theme or theme
            for column in found.of(v.PRIORITY):
                rec.priority = rec.priority or (cells.cell(row, column).plain or None)
            for column in found.of(v.ACCOUNTABLE) + found.of(v.LEADS):
                for lead in self.people.read(cells.cell(row, column).plain, rec.where):
                    if lead.person not in {x.person for x in rec.accountable}:
                        rec.accountable.append(lead)
                        if lead.remark:
                            rec.notes.append(lead.remark)
            for column in found.of(v.TIMESCALE):
                words = cells.cell(row, column).plain.replace("\n", " ").strip()
                if words:
                    reading = timescales.read_timescale(words)
                    rec.timescale, rec.start, rec.due = reading.words, reading.start, reading.due
                    rec.review = reading.review
                    if rec.due == "ongoing" and not rec.review:
                        rec.due = None

    def key_table(self, table: Table, found: TableMap, rows: list[Row]) -> None:
        """The document's own status key: each status, its meaning and its shading."""
        meaning = found.first(v.MEANING)
        for row in rows:
            label = row.cells[0]
            words = cells.cell(row, meaning).plain if meaning else None
            written = _STATUS_LINE.match(label.plain.strip()) if not words else None
            if not found.columns and not written:
                continue  # a key written as lines: its title ('Key') is not a status
            if written:  # one cell 'Red – Not on track': the label and its meaning
                self.key_rows.append((written["label"], written["meaning"].strip(), label.fill))
            else:
                self.key_rows.append((label.plain, words, label.fill))
        self.key_name = self.last_heading

    def glossary_table(self, table: Table, found: TableMap, rows: list[Row]) -> None:
        """Abbreviations and what they mean."""
        meaning = found.first(v.MEANING)
        for row in rows:
            term = row.cells[0].plain.replace("\n", " ").strip()
            words = cells.cell(row, meaning).plain.replace("\n", " ").strip() if meaning else ""
            if term and words:
                self.plan.glossary.append((term, words))

    # --- the parts of the plan ---------------------------------------------------------

    def _rec(self, ref: str) -> draft.Recommendation:
        """The recommendation with this ref, made if new (named, not yet set out)."""
        if ref not in self.recs:
            self.recs[ref] = draft.Recommendation(ref=ref)
        return self.recs[ref]

    def _define(self, ref: str) -> draft.Recommendation:
        """The recommendation the source sets out here: the plan lists it in this order."""
        if ref not in self.defined:
            self.defined.append(ref)
        return self._rec(ref)

    def _theme(self, title: str) -> str:
        """The id of the theme with this title, made if new.

        "Staffing Review (continued)", as a paper repeats a theme at the top of a page (its
        first words and an ellipsis if long), is the theme it continues.
        """
        title = _CONTINUED.sub("", title)
        for tid, existing in self.plan.themes.items():
            if existing.casefold() == title.casefold():
                return tid
        if title.endswith("…"):
            for tid, existing in self.plan.themes.items():
                if existing.casefold().startswith(title[:-1].rstrip().casefold()):
                    return tid
        base = slug(title)[:60].strip("-") or "theme"
        tid, n = base, 1
        while tid in self.plan.themes:
            n += 1
            tid = f"{base[:56]}-{n}"
        self.plan.themes[tid] = title
        return tid

    # --- after reading -----------------------------------------------------------------

    def finish(self) -> None:
        """Settle what needs the whole document: dates, statuses, duplicates, refs, notes."""
        plan = self.plan
        self._as_at()
        plan.actions = settle.merge_duplicates(plan.actions)
        self._parts_known()
        order = self.defined + [ref for ref in self.recs if ref not in self.defined]
        plan.recommendations = [self.recs[ref] for ref in order if ref]
        self._statuses()
        settle.settle_refs(plan)
        self._notes()
        self._heading_themes()
        self._closing()
        for action in plan.actions:
            settle.done_needs_no_date(action, plan.scheme)
        for rec in plan.recommendations:
            if not rec.text and not rec.parts:
                rec.todos.append("the source does not give this recommendation's text; add text:")
        if self.settings.title:
            plan.title, plan.title_from = self.settings.title, "--title"

    def _heading_themes(self) -> None:
        """Headings between action tables as themes; every heading not kept is listed."""
        themes = self.headings.themes()
        for action in self.plan.actions:
            table = action.where.split(", row")[0]
            if action.theme is None and table in themes:
                action.theme = self._theme(themes[table])
        kept = {self.plan.title or "", self.key_name or "", *self.plan.themes.values()}
        self.plan.lost += self.headings.finish(themes, kept)

    def _as_at(self) -> None:
        """Date the updates from undated progress columns."""
        if self.settings.as_at is not None:
            self.reading.as_at, self.reading.as_at_from = self.settings.as_at, "--as-at"
        elif self.doc_as_at is not None:
            self.reading.as_at = self.doc_as_at
            self.reading.as_at_from = "the document's 'as at' date"
        if not any(u.date == "AS-AT" for a in self.plan.actions for u in a.updates):
            return
        if self.reading.as_at is None:
            columns = "the column" if len(self.undated) == 1 else "the columns"
            verb = "gives" if len(self.undated) == 1 else "give"
            raise ImportFailed(
                f"{self.source.name}: {columns} {', '.join(self.undated)} {verb} progress "
                "without saying when it was written. Say what date it is as at with "
                "--as-at YYYY-MM-DD."
            )
        for action in self.plan.actions:
            for update in action.updates:
                if update.date == "AS-AT":
                    update.date = self.reading.as_at.isoformat()

    def _parts_known(self) -> None:
        """Make sure every part an action addresses belongs to a recommendation."""
        parts = {ref for rec in self.recs.values() for ref, _text in rec.parts}
        for action in self.plan.actions:
            for ref in action.addresses:
                if ref not in parts and ref not in self.recs:
                    self._rec(ref)

    def _statuses(self) -> None:
        """Choose the status scheme and turn every status found into one of its keys."""
        plan = self.plan
        document = statuses.from_key(self.key_rows, self.key_name) if self.key_rows else None
        raws = [a.raw for a in plan.actions if a.raw] + [
            u.raw for a in plan.actions for u in a.updates if u.raw
        ]
        plan.scheme = statuses.propose(raws, self.settings.statuses, document)
        if plan.scheme is None:
            return
        for action in plan.actions:
            for holder in [action, *action.updates]:
                if holder.raw is None:
                    continue
                key, remark = plan.scheme.key_for(holder.raw)
                holder.status = key
                if remark and key is None:
                    action.todos.append(f"{remark}; add it to status_scheme or choose a status")
                elif remark:
                    action.notes.append(remark)

    def _notes(self) -> None:
        """Footnotes kept as notes; a superscript number with no note stays a number."""
        plan = self.plan
        for ref, text in self.source.footnotes.items():
            if ref not in {r for r, _t in plan.notes}:
                plan.notes.append((ref, text))
        known = {ref for ref, _text in plan.notes}

        def resolve(text: str | None) -> str | None:
            if not text or "[^" not in text:
                return text
            return NOTE_MARK.sub(lambda m: m.group(0) if m.group(1) in known else m.group(1), text)

        for action in plan.actions:
            action.text = resolve(action.text) or ""
            action.texts = {k: resolve(t) or "" for k, t in action.texts.items()}
            for update in action.updates:
                update.text = resolve(update.text)
        for rec in plan.recommendations:
            rec.text = resolve(rec.text) or ""

    def _closing(self) -> None:
        """A last row across the table becomes the closing text; unused themes go."""
        plan = self.plan
        used = {a.theme for a in plan.actions} | {r.theme for r in plan.recommendations}
        if self.closing_candidate is not None:
            theme, text = self.closing_candidate
            if theme not in used:
                plan.closing = text
        plan.themes = {tid: title for tid, title in plan.themes.items() if tid in used}
