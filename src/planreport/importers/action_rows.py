"""Reading the rows of an action table into draft actions: refs, text, leads, dates, progress.

A row split over a page break continues the action above it; a row one cell across is a
category (a theme); the same action printed twice is read once. Part of the Assembler,
which keeps the context (recommendation, theme, table map) these methods read.
"""

from __future__ import annotations

import re

from planreport.importers import cells, draft, mapping, settle, statuses, timescales
from planreport.importers import vocabulary as v
from planreport.importers.cells import REC_HEADING, REF_TOKEN
from planreport.importers.grid import Cell, Row, Table
from planreport.importers.leads import slug
from planreport.importers.mapping import Column, TableMap

_QUALIFIED = re.compile(
    r"^Recommendation\s+(?P<rec>[A-Za-z0-9.]+?),\s*action\s+(?P<ref>[A-Za-z0-9.]+?)\.?$", re.I
)
# A recommendation's number as a Ref column gives it: "R1", "Rec 2", "Recommendation 3a".
_REC_NUMBER = re.compile(r"^(?:R|Rec\.?|Recommendation)\s*\d+[a-z]?$", re.I)
_PLAIN_NUMBER = re.compile(r"^\d+[a-z]?\.?$", re.I)

# fmt: off
_STOPWORDS = frozenset((
    "a", "an", "the", "to", "of", "in", "for", "and", "or", "on", "at", "by", "with", "from",
    "has", "have", "had", "been", "is", "are", "was", "were", "be", "not", "no", "as", "it",
    "its", "this", "that", "those", "these", "their", "they", "them", "there", "which", "who",
))
# fmt: on


class ActionRows:
    """The Assembler's reading of action rows (mixed into Assembler, which holds the state)."""

    def action_rows(self, table: Table, found: TableMap, rows: list[Row]) -> None:
        """Every action in an action table (a row split over a page break continues one)."""
        previous = self.last_action if self.last_signature == found.signature else None
        first = previous is not None  # the first row may finish the last table's last row
        self.rec_numbers = _numbers_recommendations(found, rows)
        for row in rows:
            if cells.repeats_heading(row, found):
                continue
            if cells.is_category(row):
                self._category_row(row)
                previous = None
                continue
            self.closing_candidate = None
            action = self.action(table, found, row, previous, first)
            first = False
            if action is not None:
                action.table_kind = found.signature
                self.plan.actions.append(action)
                previous = action
        self.last_action, self.last_signature = previous, found.signature

    def _category_row(self, row: Row) -> None:
        """A row that is one cell across the table: a theme, recommendations, or closing."""
        cell = cells.category_cell(row)
        text = cell.plain.replace("\n", " ").strip()
        if match := REC_HEADING.match(text):
            refs = cells.refs(match.group("refs"))
            for ref in refs:
                rec = self._rec(ref)
                if match.group("rest") and len(refs) == 1 and not rec.text:
                    rec = self._define(ref)
                    rec.text = cells.strip_rec_prefix(cell.markdown)
            self.refs = refs
            return
        self.theme = self._theme(text)
        self.closing_candidate = (self.theme, cell.markdown)

    def action(
        self,
        table: Table,
        found: TableMap,
        row: Row,
        previous: draft.Action | None,
        first: bool = False,
    ) -> draft.Action | None:
        """One row read into an action (None if it continues the row before)."""
        text_col = found.first(v.TEXT)
        action = draft.Action(where=f"{table.name}, row {row.number}")
        text_cell = cells.cell(row, text_col) if text_col else Cell()
        extra = [cells.cell(row, column).markdown for column in found.of(v.TEXT)[1:]]
        action.text = "\n\n".join(t for t in [text_cell.markdown, *extra] if t)
        ref_col = found.first(v.REF)
        qualified = _QUALIFIED.match(cells.cell(row, ref_col).plain) if ref_col else None
        if qualified:
            action.ref = qualified.group("ref")
            action.addresses = [self._rec(qualified.group("rec")).ref]
        elif ref_col is not None:
            action.ref = cells.clean_ref(cells.cell(row, ref_col).plain, action)
        elif found.refs_in_text and text_cell.plain:
            ref, _rest = mapping.split_ref(text_cell.plain)
            if ref:
                action.ref = cells.clean_ref(ref, action)
                opening = cells.strip_prefix(text_cell.markdown, ref)
                action.text = "\n\n".join(t for t in [opening, *extra] if t)
        has_refs = (ref_col is not None and not self.rec_numbers) or found.refs_in_text
        if previous is not None and self._continues(action, has_refs, first):
            self._append(previous, row, found, action.where)
            return None
        if not action.text and not found.of(v.MILESTONES):
            if any(not cell.empty for cell in row.cells):
                action.todos.append("the source gives no action text; add text:")
            else:
                return None
        self._addresses(action, row, found)
        self._fields(action, row, found)
        return action

    def _continues(self, action: draft.Action, has_refs: bool, first: bool) -> bool:
        """Whether a row is the rest of the row above, split across a page.

        It has no ref where rows have them, and its words go on mid-sentence or it opens
        a table that goes on from the last one (a page break with the heading repeated).
        """
        if action.ref or not has_refs:
            return False
        return first or not action.text or action.text[:1].islower()

    def _append(self, previous: draft.Action, row: Row, found: TableMap, where: str) -> None:
        """Add a page-split row's words to the action it continues."""
        extra = draft.Action()
        self._rec_rest(previous, row, found)
        text_col = found.first(v.TEXT)
        if text_col is not None:
            words = cells.cell(row, text_col).markdown
            if words:
                previous.text = f"{previous.text} {words}".strip()
        self._fields(extra, row, found)
        for key, value in extra.texts.items():
            previous.texts[key] = f"{previous.texts.get(key, '')} {value}".strip()
        previous.milestones += extra.milestones
        for update in extra.updates:
            same = next((u for u in previous.updates if u.date == update.date), None)
            if same and update.text:
                same.text = f"{same.text or ''}\n\n{update.text}".strip()
            elif not same:
                previous.updates.append(update)
        previous.leads += [
            lead for lead in extra.leads if lead.person not in {x.person for x in previous.leads}
        ]
        previous.notes.append(f"{where} continues this row (split across a page?): check")
        self.plan.lost.append(
            f"{where}: read as the rest of {previous.where} (a row split across a page?); "
            "check that action's words"
        )

    def _rec_rest(self, previous: draft.Action, row: Row, found: TableMap) -> None:
        """The rest of a recommendation's words, split across a page with its action."""
        column = found.first(v.RECOMMENDATION)
        words = cells.cell(row, column).markdown if column is not None else ""
        if not words or not previous.addresses or previous.addresses[0] not in self.recs:
            return
        if REC_HEADING.match(cells.cell(row, column).plain):
            return
        rec = self.recs[previous.addresses[0]]
        rec.text = f"{rec.text} {words}".strip() if rec.text else words

    def _addresses(self, action: draft.Action, row: Row, found: TableMap) -> None:
        """The recommendations an action addresses: its own column, else the heading above."""
        column = found.first(v.RECOMMENDATION)
        number = self._number_beside(action, row, found)
        if column is not None and number is not None:
            rec = self._define(number)
            rec.text = rec.text or cells.cell(row, column).markdown or None
            action.addresses = [number]
            self.refs = [number]  # a blank cell below means the same
        elif column is not None and not cells.cell(row, column).empty:
            action.addresses = self._rec_cell(cells.cell(row, column))
            self.refs = list(action.addresses)  # a blank cell below means the same
        elif not action.addresses:
            action.addresses = list(self.refs)
            if column is not None and self.refs:
                listed = ", ".join(self.refs)
                action.notes.append(
                    f"its recommendation cell is blank: read as the one above ({listed})"
                )

    def _number_beside(self, action: draft.Action, row: Row, found: TableMap) -> str | None:
        """The recommendation's number a Ref column gives beside its unnumbered words ('R1').

        The action then has no ref of its own: it is numbered with the others.
        """
        column = found.first(v.RECOMMENDATION)
        words = cells.cell(row, column).plain.strip() if column is not None else ""
        if not action.ref or not words:
            return None
        if not _REC_NUMBER.match(action.ref) and not (
            self.rec_numbers and _PLAIN_NUMBER.match(action.ref)
        ):
            return None
        if REC_HEADING.match(words) or mapping.split_ref(words)[0]:
            return None
        number, action.ref = action.ref.rstrip("."), None
        return number

    def _rec_cell(self, cell: Cell) -> list[str]:
        """The refs a recommendation cell names, defining the recommendation if it is new."""
        plain = cell.plain.replace("\n", " ").strip()
        if match := REC_HEADING.match(plain):
            refs = cells.refs(match.group("refs"))
            if match.group("rest") and len(refs) == 1:
                rec = self._define(refs[0])
                rec.text = rec.text or cells.strip_rec_prefix(cell.markdown)
            return refs
        if re.fullmatch(REF_TOKEN + r"(?:\s*(?:,|and|&)\s*" + REF_TOKEN + r")*", plain):
            return [self._rec(ref).ref for ref in cells.refs(plain)]
        ref, rest = mapping.split_ref(plain)
        if ref and rest:
            rec = self._define(ref)
            rec.text = rec.text or cells.strip_prefix(cell.markdown, ref)
            return [ref]
        return [self._finding(cell.markdown, plain)]

    def _finding(self, markdown: str, plain: str) -> str:
        """A finding quoted in full where a recommendation would be: its ref, made if new."""
        key = cells.fold_text(plain)
        if key in self.rec_by_text:
            return self.rec_by_text[key]
        words = [w for w in slug(plain).split("-") if w not in _STOPWORDS][:3]
        base = "-".join(words) or "finding"
        ref, n = base, 1
        while ref in self.recs:
            n += 1
            ref = f"{base}-{n}"
        rec = self._define(ref)
        rec.kind, rec.text = "finding", markdown
        rec.notes.append(
            "a finding the source quotes without a number; its ref is made from its words"
        )
        self.rec_by_text[key] = ref
        return ref

    def _fields(self, action: draft.Action, row: Row, found: TableMap) -> None:
        """Everything but the ref, text and addresses."""
        for column in found.of(v.THEME):
            words = cells.cell(row, column).plain.replace("\n", " ").strip()
            if words:
                action.theme = self.theme = self._theme(words)  # a blank cell below: the same
        if action.theme is None and self.theme is not None:
            action.theme = self.theme
        self._leads(action, row, found)
        for name in v.TEXT_FIELDS:
            parts = [cells.cell(row, c).markdown for c in found.of(name)]
            joined = "\n\n".join(p for p in parts if p)
            if joined:
                action.texts[name] = joined
        timescale = found.first(v.TIMESCALE)  # a second one is listed as not imported
        if timescale is not None:
            self._timescale(action, row, timescale)
        for name in (v.START, v.COMPLETED):
            column = found.first(name)
            if column is not None:
                self._date_column(action, row, column)
        for column in found.of(v.MILESTONES):
            action.milestones += cells.milestones(cells.cell(row, column))
        for column in found.of(v.CUSTOM) + found.of(v.PRIORITY):
            words = cells.cell(row, column).markdown
            key = column.key or v.custom_key(column.heading)
            if words:
                action.custom[key] = words
                self.plan.custom_fields.setdefault(key, column.heading or key)
        self._progress(action, row, found)
        self._status_in_timescale(action, row, found)
        if not found.of(v.TIMESCALE) and not action.milestones and not action.due:
            action.todos.append("the source has no timescale for this action; add due:")

    def _leads(self, action: draft.Action, row: Row, found: TableMap) -> None:
        """The leads a row names; one read with a guess is listed for a person to check."""
        for column in found.of(v.LEADS) + found.of(v.ACCOUNTABLE):
            for lead in self.people.read(cells.cell(row, column).plain, action.where):
                if lead.person in {x.person for x in action.leads}:
                    continue
                action.leads.append(lead)
                if lead.remark:
                    action.notes.append(lead.remark)
                    self.plan.lost.append(f"{action.where}, {column.place}: {lead.remark}")

    def _date_column(self, action: draft.Action, row: Row, column: Column) -> None:
        """A start or completion date column: the date, or a to-do if its words give none."""
        cell = cells.cell(row, column)
        if cell.value_date is not None:
            day, precision = cell.value_date
            found = day.isoformat() if precision == "day" else f"{day:%Y-%m}"
        else:
            dates = timescales.find_dates(cell.plain)
            found = (dates[0] if column.field == v.START else dates[-1]).text if dates else None
        if found is None and cell.plain.strip():
            words = cell.plain.replace("\n", " ").strip()[:60]
            action.todos.append(
                f"'{words}' in {column.place} is not a date; add {column.field}: if there is one"
            )
        elif found is not None and column.field == v.START:
            action.start = found
        elif found is not None:
            action.completed = found

    def _status_in_timescale(self, action: draft.Action, row: Row, found: TableMap) -> None:
        """'Complete' written in the timescale column is the action's status if none is given."""
        if action.raw is not None or any(update.raw for update in action.updates):
            return
        for column in found.of(v.TIMESCALE):
            word = cells.done_word(cells.cell(row, column).plain)
            if word:
                action.raw = statuses.Raw(word)
                action.notes.append(f"status '{word}' read from the timescale column")
                return

    def _timescale(self, action: draft.Action, row: Row, column: Column) -> None:
        """A timescale cell read into dates, its words kept; words not read are listed."""
        cell = cells.cell(row, column)
        if cell.value_date is not None:
            day, precision = cell.value_date
            action.timescale = cell.plain
            action.due = day.isoformat() if precision == "day" else f"{day:%Y-%m}"
            return
        reading = timescales.read_timescale(cell.plain)
        if not reading.words and not reading.revisions:
            action.todos.append("the source gives no timescale; add due:")
            return
        words = reading.words
        if len(words) > 500:
            words = words[:497] + "..."
            action.notes.append("the timescale was over 500 characters and is cut short")
        action.timescale = words or None
        action.start = reading.start
        action.due = reading.due
        action.review = reading.review
        if reading.completed:
            action.completed = reading.completed
        for revision in reading.revisions:
            action.revisions.append(draft.Revision(revision.due, None, revision.reason))
            if not revision.reason:
                action.todos.append("the source gives no reason for the revised date; add reason:")
        if reading.todo:
            action.todos.append(reading.todo)
        if timescales.unread(words, reading):
            self.plan.lost.append(
                f"{action.where}, {column.place}: '{words[:60]}' could not be read as a date; "
                "add due: with the date it means"
            )

    def _progress(self, action: draft.Action, row: Row, found: TableMap) -> None:
        """Dated updates from progress and status columns; an undated one uses --as-at."""
        progress = [(c.date, cells.cell(row, c).markdown, c) for c in found.of(v.PROGRESS)]
        raws = [
            (c.date, statuses.Raw(cells.cell(row, c).plain or None, cells.cell(row, c).fill), c)
            for c in found.of(v.STATUS)
        ]
        by_date: dict[str, draft.Update] = {}
        for when, text, column in progress:
            if not text:
                continue
            key = when or self._undated(column)
            update = by_date.setdefault(key, draft.Update(key))
            update.text = f"{update.text}\n\n{text}" if update.text else text
        dated = sorted(by_date) if by_date else []
        for when, raw, _column in raws:
            if not raw.text and not statuses.fill_colour(raw.fill):
                continue
            if when:
                by_date.setdefault(when, draft.Update(when)).raw = raw
            elif dated:
                by_date[dated[-1]].raw = raw
            elif progress or self.settings.as_at is not None:
                for _when, _text, undated in progress:
                    self._undated(undated)
                by_date.setdefault("AS-AT", draft.Update("AS-AT")).raw = raw
            else:
                action.raw = raw
        if not raws:
            for update in by_date.values():
                word = cells.done_word(update.text)
                if word:
                    update.raw = statuses.Raw(word)
                    if statuses.normal(update.text) != word:
                        action.notes.append(f"status '{word}' read from the update's first word")
        action.updates = [by_date[key] for key in sorted(by_date, key=settle.date_order)]

    def _undated(self, column: Column) -> str:
        """The date an undated progress column is given: --as-at, else the document's."""
        name = f"'{column.heading}'" if column.heading else f"column {column.index + 1}"
        if name not in self.undated:
            self.undated.append(name)
        return "AS-AT"


def _numbers_recommendations(found: TableMap, rows: list[Row]) -> bool:
    """Whether the Ref column numbers the recommendations, not the actions.

    It does when its cells start exactly where the recommendation's cells start (merged
    down, left blank under the first, or both repeated, over the same rows), each a plain
    number beside the recommendation's words, and some recommendation has more than one
    action row: a "No." column of 1, 2, 3 beside "Recommendation", as councils merge them.
    """
    ref_col, rec_col = found.first(v.REF), found.first(v.RECOMMENDATION)
    if ref_col is None or rec_col is None:
        return False
    starts = shared = 0
    above = ("", "")
    for row in rows:
        if cells.repeats_heading(row, found) or cells.is_category(row):
            continue
        ref, rec = cells.cell(row, ref_col), cells.cell(row, rec_col)
        ref_starts, rec_starts = _starts(ref), _starts(rec)
        if (ref.plain, rec.plain) == above and ref_starts and rec_starts:
            ref_starts = rec_starts = False  # both repeated from the row above: one value
        above = (ref.plain, rec.plain) if ref_starts else above
        if ref_starts != rec_starts:
            return False
        if not ref_starts:
            shared += 1
        elif not _PLAIN_NUMBER.match(ref.plain.strip()) or REC_HEADING.match(rec.plain):
            return False
        else:
            starts += 1
    return starts > 0 and shared > 0


def _starts(cell: Cell) -> bool:
    """Whether a cell starts a value: it has words and is not merged down from above."""
    return not cell.continued and not cell.empty
