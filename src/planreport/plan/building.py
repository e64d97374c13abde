"""Stage 3, building: the typed plan model made from schema-valid documents.

Shapes are known (the schema has passed), so values are read directly; dates are parsed
here and any that cannot be read are kept with their error for the date rules to report.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planreport.plan import dates
from planreport.plan.dates import DateError
from planreport.plan.loader import Document, Path_
from planreport.plan.model import (
    DELIVERY_KEYS,
    UNKNOWN,
    UNKNOWN_ALLOWED,
    Action,
    DateField,
    GlossaryEntry,
    Lead,
    Milestone,
    Note,
    Part,
    Period,
    Person,
    Plan,
    Recommendation,
    Revision,
    StatusLevel,
    StatusScheme,
    Theme,
    Update,
    Withdrawal,
)
from planreport.problems import Location


class _Reader:
    """Reads one document's values into model objects, keeping locations."""

    def __init__(self, doc: Document, plan: Plan) -> None:
        self.doc = doc
        self.plan = plan

    def at(self, path: Path_) -> Location:
        """Where the value at path was written."""
        return self.doc.where(path)

    def date(self, data: dict[str, Any], key: str, path: Path_) -> DateField | None:
        """Parse the date under key, keeping any error for the date rules."""
        text = data.get(key)
        if text is None:
            return None
        where = (*path, key)
        word = text.strip().lower()
        if (word == dates.ONGOING and key == "due") or (word == UNKNOWN and key in UNKNOWN_ALLOWED):
            found = DateField(text, self.doc, where)
        else:
            try:
                found = DateField(text, self.doc, where, dates.parse(text))
            except DateError as exc:
                found = DateField(text, self.doc, where, None, exc)
        self.plan.date_fields.append(found)
        return found

    def leads(self, items: list[Any], path: Path_) -> list[Lead]:
        """Leads written as ids or as {person, role, note}."""
        found = []
        for i, item in enumerate(items):
            where = self.at((*path, i))
            if isinstance(item, str):
                found.append(Lead(item, where))
            else:
                found.append(
                    Lead(
                        item["person"],
                        where,
                        item.get("role"),
                        item.get("note"),
                        item.get("organisation"),
                    )
                )
        return found

    def top(self, data: dict[str, Any]) -> None:
        """Read the plan-level keys of the main file."""
        plan = self.plan
        plan.title = data.get("title")
        plan.short_title = data.get("short_title")
        plan.organisations = list(data.get("organisations", []))
        plan.responds_to = dict(data.get("responds_to", {}))
        plan.introduction = data.get("introduction")
        plan.closing = data.get("closing")
        settings = data.get("settings", {})
        plan.action_numbering = settings.get("action_numbering", "plan")
        plan.stale_after_days = int(settings.get("stale_after_days", 90))
        if "status_scheme" in data:
            scheme = data["status_scheme"]
            levels = [
                StatusLevel(
                    lv["key"],
                    lv["label"],
                    self.at(("status_scheme", "levels", i)),
                    lv.get("meaning"),
                    lv.get("colour"),
                    lv.get("done", False),
                    lv.get("on_track", False),
                )
                for i, lv in enumerate(scheme["levels"])
            ]
            plan.status_scheme = StatusScheme(levels, scheme.get("name"))
        for i, item in enumerate(data.get("custom_fields", [])):
            plan.custom_fields[item["key"]] = (item["label"], self.at(("custom_fields", i)))
        for i, item in enumerate(data.get("reporting_periods", [])):
            when = self.date(item, "date", ("reporting_periods", i))
            label = item.get("label") or (when.value.words() if when and when.value else when.text)
            plan.periods.append(Period(when, label, self.at(("reporting_periods", i))))
        # in date order, however written: each period runs on from the one before
        plan.periods.sort(key=lambda p: p.date.value.last if p.date and p.date.value else date.max)

    def parts(self, data: dict[str, Any]) -> None:
        """Read the lists a plan file may hold, appending to the plan."""
        for i, item in _readable(data, "themes"):
            theme = Theme(
                item["id"], item["title"], self.at(("themes", i)), item.get("description")
            )
            theme.custom = self.custom(item, ("themes", i))
            self.plan.themes.append(theme)
        for i, item in _readable(data, "recommendations"):
            rec = self.recommendation(item, ("recommendations", i))
            self.plan.recommendations.append(rec)
            if any(key in item for key in DELIVERY_KEYS):
                self.plan.actions.append(self.delivery(item, rec, ("recommendations", i)))
        for i, item in _readable(data, "actions"):
            self.plan.actions.append(self.action(item, ("actions", i)))
        for i, item in _readable(data, "notes"):
            self.plan.notes.append(Note(item["ref"], item["text"], self.at(("notes", i))))
        for i, item in _readable(data, "glossary"):
            self.plan.glossary.append(
                GlossaryEntry(item["term"], item["meaning"], self.at(("glossary", i)))
            )

    def custom(self, data: dict[str, Any], path: Path_) -> dict[str, tuple[str, Location]]:
        """An item's values for the plan's custom fields, with where each key was written."""
        return {
            k: (v, self.doc.key_where((*path, "custom", k)))
            for k, v in data.get("custom", {}).items()
        }

    def delivery(self, data: dict[str, Any], rec: Recommendation, path: Path_) -> Action:
        """The action a recommendation tracked as one row stands for: itself."""
        rec.delivered_by_itself = True
        text = rec.text or " ".join(f"{p.ref}. {p.text}" for p in rec.parts)
        measures = _bulleted(rec.measures)
        action = self.action(
            {**data, "text": text, "addresses": [rec.ref], "measures": measures}, path
        )
        action.is_recommendation = True
        return action

    def recommendation(self, data: dict[str, Any], path: Path_) -> Recommendation:
        """Read one recommendation."""
        return Recommendation(
            ref=data["ref"],
            text=data.get("text", ""),
            location=self.at(path),
            kind=data.get("kind", "recommendation"),
            theme=data.get("theme"),
            theme_location=self.at((*path, "theme")) if "theme" in data else None,
            priority=data.get("priority"),
            timescale=data.get("timescale"),
            start=self.date(data, "start", path),
            due=self.date(data, "due", path),
            review=self.date(data, "review", path),
            accountable=self.leads(data.get("accountable", []), (*path, "accountable")),
            outcomes=_texts(data.get("outcomes")),
            measures=_texts(data.get("measures")),
            parts=[
                Part(p["ref"], p["text"], self.at((*path, "parts", i)))
                for i, p in enumerate(data.get("parts", []))
            ],
            custom=self.custom(data, path),
        )

    def action(self, data: dict[str, Any], path: Path_) -> Action:
        """Read one action with its revisions, milestones and updates."""
        addresses = [
            (ref, self.at((*path, "addresses", i)))
            for i, ref in enumerate(data.get("addresses", []))
        ]
        action = Action(
            ref=data["ref"],
            text=data["text"],
            location=self.at(path),
            addresses=addresses,
            theme=data.get("theme"),
            theme_location=self.at((*path, "theme")) if "theme" in data else None,
            leads=self.leads(data.get("leads", []), (*path, "leads")),
            outputs=data.get("outputs"),
            outcome=data.get("outcome"),
            impact=data.get("impact"),
            measures=data.get("measures"),
            evidence=data.get("evidence"),
            timescale=data.get("timescale"),
            start=self.date(data, "start", path),
            due=self.date(data, "due", path),
            review=self.date(data, "review", path),
            status=data.get("status"),
            status_location=self.at((*path, "status")) if "status" in data else None,
            completed=self.date(data, "completed", path),
            added=self.date(data, "added", path),
            custom=self.custom(data, path),
        )
        action.revisions = [
            self.revision(r, (*path, "revisions", i))
            for i, r in enumerate(data.get("revisions", []))
        ]
        action.milestones = [
            self.milestone(m, (*path, "milestones", i))
            for i, m in enumerate(data.get("milestones", []))
        ]
        if "withdrawn" in data:
            where = (*path, "withdrawn")
            gone = data["withdrawn"]
            action.withdrawn = Withdrawal(
                self.date(gone, "date", where),
                gone["reason"],
                self.at(where),
                gone.get("merged_into"),
            )
        action.updates = [
            Update(
                self.date(u, "date", (*path, "updates", i)),
                self.at((*path, "updates", i)),
                u.get("text"),
                u.get("status"),
                self.at((*path, "updates", i, "status")) if "status" in u else None,
            )
            for i, u in enumerate(data.get("updates", []))
        ]
        action.updates.sort(key=_update_order)  # written newest first or in any order
        return action

    def revision(self, data: dict[str, Any], path: Path_) -> Revision:
        """Read one revision of a due date."""
        return Revision(
            self.date(data, "due", path),
            self.at(path),
            self.date(data, "review", path),
            data.get("timescale"),
            data.get("reason"),
            self.date(data, "agreed", path),
        )

    def milestone(self, data: dict[str, Any], path: Path_) -> Milestone:
        """Read one milestone."""
        return Milestone(
            data["text"],
            self.at(path),
            data.get("timescale"),
            self.date(data, "start", path),
            self.date(data, "due", path),
            self.date(data, "review", path),
            bool(data.get("done", False)),
            self.date(data, "completed", path),
        )


def _readable(data: dict[str, Any], key: str) -> list[tuple[int, Any]]:
    """The items of a list with their index, leaving out those cut for schema errors."""
    return [(i, item) for i, item in enumerate(data.get(key, [])) if item is not None]


def _update_order(update: Update) -> date:
    """Updates in date order (an unreadable date last: it is reported as an error)."""
    return update.date.value.first if update.date and update.date.value else date.max


def build_plan(plan_id: str, main: Document, parts: list[Document]) -> Plan:
    """Assemble a plan from its main document and any part documents of a folder plan."""
    plan = Plan(plan_id, Location(main.path), [main.path, *(p.path for p in parts)])
    reader = _Reader(main, plan)
    reader.top(main.data)
    reader.parts(main.data)
    for doc in parts:
        _Reader(doc, plan).parts(doc.data)
    _set_action_keys(plan)
    _resolve_names(plan)
    plan.started = _started(plan)
    return plan


def _resolve_names(plan: Plan) -> None:
    """Statuses and themes written as printed ('Green', 'Governance') become their keys."""
    scheme = plan.status_scheme
    themes = {name.casefold(): t.id for t in plan.themes for name in (t.id, t.title)}
    for action in plan.actions:
        action.status = scheme.key_for(action.status)
        for update in action.updates:
            update.status = scheme.key_for(update.status)
    for item in (*plan.actions, *plan.recommendations):
        if item.theme and item.theme not in {t.id for t in plan.themes}:
            item.theme = themes.get(item.theme.strip().casefold(), item.theme)


def _started(plan: Plan) -> date | None:
    """When the plan's history starts: its first report date, addition, start or update."""
    fields = [plan.responds_to.get(key) for key in ("published", "date")]
    found = [dates.parse(text).first for text in fields if isinstance(text, str) and _reads(text)]
    for action in plan.actions:
        for field_ in (action.added, action.start, *(u.date for u in action.updates)):
            if field_ and field_.value:
                found.append(field_.value.first)
    return min(found, default=None)


def _reads(text: str) -> bool:
    """Whether a date can be read."""
    try:
        dates.parse(text)
    except DateError:
        return False
    return True


def _set_action_keys(plan: Plan) -> None:
    """Key actions by ref, or by recommendation and ref where numbering restarts in each."""
    parent = {p.ref: r.ref for r in plan.recommendations for p in r.parts}
    for action in plan.actions:
        action.key = action.ref
        if plan.action_numbering == "per-recommendation" and action.addresses:
            first = action.addresses[0][0]
            action.key = f"{parent.get(first, first)}/{action.ref}"


def build_people(doc: Document) -> dict[str, Person]:
    """The people registry from a schema-valid people.yaml document."""
    return {
        pid: Person(
            pid,
            doc.key_where(("people", pid)),
            p.get("name"),
            p.get("role"),
            p.get("organisation"),
            p.get("initials"),
            p.get("email"),
        )
        for pid, p in doc.data["people"].items()
    }


def _texts(value: str | list[str] | None) -> list[str]:
    """A key written as one text or as a list of them, as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _bulleted(texts: list[str]) -> str | None:
    """A recommendation's list of texts as one action text: the item, or a bullet list."""
    if len(texts) < 2:
        return texts[0] if texts else None
    return "\n".join(f"- {t}" for t in texts)
