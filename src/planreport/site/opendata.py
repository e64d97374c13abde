"""The open data: each plan as JSON (schema/plan-data-1.0.schema.json), actions as CSV, Atom.

Every value is the site model's, so the data says what the pages say. JSON keeps plan text
as written (Markdown-like emphasis and bullets included); CSV cells are escaped so that a
spreadsheet shows them as text, never runs them; Atom text is escaped by the XML writer.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from planreport import escape as escaping
from planreport.plan.model import DateField, StatusLevel
from planreport.site.history import Event, words
from planreport.site.model import Site, SiteAction, SitePlan, slug

SCHEMA_VERSION = "1.0"
SCHEMA_NAME = f"plan-data-{SCHEMA_VERSION}.schema.json"
CSV_COLUMNS = (
    "plan",
    "action",
    "text",
    "recommendations",
    "theme",
    "leads",
    "status",
    "status meaning",
    "due",
    "originally due",
    "times revised",
    "latest update date",
    "latest update",
    "completed",
    "withdrawn",
    "page",
)
FEED_ENTRIES = 50  # the newest changes each feed holds


def action_page(plan: SitePlan, action: SiteAction) -> str:
    """An action's page, relative to the site's root."""
    return f"plans/{plan.slug}/actions/{action.slug}.html"


def plan_json(site: Site, plan: SitePlan) -> bytes:
    """A plan as JSON valid against the published plan-data schema."""
    data = {
        "$schema": f"../schema/{SCHEMA_NAME}",
        "schema_version": SCHEMA_VERSION,
        "id": plan.plan.id,
        "title": plan.title,
        "organisations": plan.plan.organisations,
        "publisher": site.settings.council,
        "as_at": site.as_at.isoformat(),
        "licence": {"name": site.settings.licence[0], "url": site.settings.licence[1]},
        "statuses": [_status(level) for level in plan.plan.status_scheme.levels],
        "themes": [{"id": t.id, "title": t.title} for t in plan.plan.themes],
        "recommendations": [
            {"ref": r.ref, "kind": r.kind, "text": r.text, "theme": r.theme}
            for r in plan.plan.recommendations
        ],
        "actions": [_action(site, plan, a) for a in plan.actions],
    }
    # No indent: json's fast C encoder writes only compact JSON.
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def _status(level: StatusLevel) -> dict[str, Any]:
    """A status level as data."""
    return {
        "key": level.key,
        "label": level.label,
        "meaning": level.meaning,
        "colour": level.colour,
        "done": level.done,
    }


def _date(field: DateField | None) -> dict[str, Any] | None:
    """A plan date as written, in words, and the days it covers (when it can be read)."""
    if field is None:
        return None
    value = field.value
    return {
        "written": field.text,
        "words": words(field),
        "first": value.first.isoformat() if value else None,
        "last": value.last.isoformat() if value else None,
    }


def _action(site: Site, plan: SitePlan, item: SiteAction) -> dict[str, Any]:
    """An action as data: its place, leads, dates, status and whole history."""
    action = item.action
    gone = action.withdrawn
    return {
        "ref": action.qualified_ref,
        "text": action.text,
        "addresses": [ref for ref, _ in action.addresses],
        "theme": item.theme.id if item.theme else None,
        "leads": [{"id": lead.id, "name": lead.name} for lead in item.leads],
        "status": item.status.key,
        "status_label": item.status.label,
        "done": item.done,
        "overdue": item.overdue,
        "due": _date(action.current_due()),
        "original_due": _date(action.due),
        "revisions": [
            {"due": _date(r.due), "agreed": _date(r.agreed), "reason": r.reason}
            for r in action.revisions
        ],
        "milestones": [
            {"text": m.text, "due": _date(m.due), "done": m.done, "completed": _date(m.completed)}
            for m in action.milestones
        ],
        "updates": [
            {"date": _date(u.date), "status": u.status, "text": u.text} for u in action.updates
        ],
        "completed": _date(action.completed),
        "withdrawn": (
            {"date": _date(gone.date), "reason": gone.reason, "merged_into": gone.merged_into}
            if gone
            else None
        ),
        "history": [_event(e) for e in item.history],
        "page": _url(site, action_page(plan, item)),
    }


def _event(event: Event) -> dict[str, Any]:
    """One event of an action's history as data."""
    return {
        "date": event.day.isoformat(),
        "written": event.written,
        "kind": event.kind,
        "title": event.title,
        "text": event.text.plain() or None,
        "status": event.status.key if event.status else None,
    }


def _url(site: Site, path: str) -> str:
    """A page's address: absolute when the site's url is configured, else from the root."""
    return (site.settings.url or "") + path


def actions_csv(site: Site, plans: list[SitePlan]) -> bytes:
    """Every action of the plans, one row each, UTF-8 with a BOM so that Excel reads it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for plan in plans:
        for item in plan.actions:
            writer.writerow([escaping.csv_cell(cell) for cell in _row(site, plan, item)])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _row(site: Site, plan: SitePlan, item: SiteAction) -> list[str]:
    """An action's CSV cells."""
    action, latest = item.action, item.latest
    return [
        plan.plan.id,
        action.qualified_ref,
        item.text.plain(),
        ", ".join(ref for ref, _ in action.addresses),
        item.theme.title if item.theme else "",
        "; ".join(lead.name for lead in item.leads),
        item.status.label,
        item.status.meaning or "",
        item.due,
        item.original_due if action.revisions else "",
        str(len(action.revisions)),
        latest.when if latest else "",
        latest.text.plain() if latest else "",
        words(action.completed),
        words(action.withdrawn.date) if action.withdrawn else "",
        _url(site, action_page(plan, item)),
    ]


def feed(site: Site, plans: list[SitePlan], path: str, title: str) -> bytes:
    """An Atom feed of the plans' newest changes (path: the feed's own, from the root)."""
    found = [(p, a, e) for p in plans for a in p.actions for e in a.history]
    found.sort(key=lambda t: (t[2].day, t[0].slug, t[1].slug, t[2].number), reverse=True)
    up = "../" * path.count("/")
    newest = found[0][2].day if found else site.as_at
    own = _url(site, path) if site.settings.url else path.rsplit("/", 1)[-1]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title>",
        f"<id>{escape(_feed_id(site, path))}</id>",
        f"<updated>{_stamp(newest)}</updated>",
        f"<author><name>{escape(site.settings.council)}</name></author>",
        f'<link rel="self" href={quoteattr(own)}/>',
        f"<rights>{escape(site.settings.licence[0])}</rights>",
    ]
    for plan, item, event in found[:FEED_ENTRIES]:
        page = action_page(plan, item)
        href = _url(site, page) if site.settings.url else up + page
        anchor = f"{href}#event-{event.number}"
        text = event.text.plain()
        lines += [
            "<entry>",
            f"<title>{escape(f'{item.title}: {event.title}')}</title>",
            f"<id>{escape(_feed_id(site, f'{page}#event-{event.number}'))}</id>",
            f"<updated>{_stamp(event.day)}</updated>",
            f'<link rel="alternate" type="text/html" href={quoteattr(anchor)}/>',
            f"<summary>{escape(f'{event.when}. {plan.title}. {text}'.strip())}</summary>",
            "</entry>",
        ]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _stamp(day: date) -> str:
    """An Atom date-time for a day."""
    return f"{day.isoformat()}T00:00:00Z"


def _feed_id(site: Site, path: str) -> str:
    """A permanent id: the address when the site's url is known, else a tag URI."""
    if site.settings.url:
        return site.settings.url + path
    return f"tag:planreport,2026:{slug(site.settings.title)}/{path}"
