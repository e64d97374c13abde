"""The site's HTML pages, its stylesheet of colours and its search index, as bytes by path.

Templates are planreport's own (templates/site/), read through files.read_packaged by the
sandboxed, autoescaping environment the paper writer uses; plan text reaches them only as
values, never as markup, style or script.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from markupsafe import Markup

from planreport import files
from planreport.paper.model import contrast
from planreport.plan.dates import day_words
from planreport.plan.model import StatusLevel
from planreport.site import opendata
from planreport.site.history import words
from planreport.site.model import Site, SiteAction, SitePaper, SitePlan, slug

RECENT = 20  # changes listed on the home page
ACTION_STATUS = {  # schema.org's ActionStatusType for an action's state
    "done": "https://schema.org/CompletedActionStatus",
    "active": "https://schema.org/ActiveActionStatus",
    "potential": "https://schema.org/PotentialActionStatus",
    "withdrawn": "https://schema.org/FailedActionStatus",
}


def _environment() -> Any:
    """An autoescaping Jinja environment over planreport's own site templates.

    Only planreport's packaged templates are used (read through files.read_packaged), never
    a project's, so no untrusted template runs and Jinja's sandbox (which made rendering
    half as fast again) is not needed; every value is escaped, undefined names refused.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(day=day_words, status_class=slug, size=size, recent_events=recent)
    return env


def _template(name: str) -> str:
    """One of the site's templates, read as every packaged file is."""
    return files.read_packaged(f"templates/site/{name}").decode("utf-8")


def size(n: int) -> str:
    """A file's size for a link: '312 KB', '1.2 MB'."""
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    return f"{max(1, round(n / 1000))} KB"


def recent(site: Site) -> list[tuple[SitePlan, SiteAction, Any]]:
    """The newest changes across every plan, for the home page."""
    found = [(p, a, e) for p in site.plans for a, e in p.recent(site.since)]
    found.sort(key=lambda t: (t[2].day, t[0].slug, t[1].slug, t[2].number), reverse=True)
    return found[:RECENT]


def pages(site: Site, logo: str | None) -> Iterator[tuple[str, bytes]]:
    """Every page of the site: (its path from the root, its bytes)."""
    env = _environment()
    macros = env.get_template("macros.html.j2").module

    def page(path: str, template: str, title: str, kind: str, **values: Any) -> tuple[str, bytes]:
        root = "../" * path.count("/")
        html = env.get_template(template).render(
            site=site, root=root, title=title, page=kind, logo=logo, **values
        )
        return path, html.encode("utf-8")

    yield page("index.html", "home.html.j2", "Plans", "home")
    yield page("papers.html", "papers.html.j2", "Committee papers", "papers", groups=_groups(site))
    yield page("search.html", "search.html.j2", "Search actions", "search")
    yield page("accessibility.html", "accessibility.html.j2", "Accessibility statement", "about")
    yield page(
        "data.html",
        "data.html.j2",
        "Open data",
        "data",
        schema_name=opendata.SCHEMA_NAME,
        schema_version=opendata.SCHEMA_VERSION,
    )
    for plan in site.plans:
        yield from _plan_pages(plan, page, macros)


def _plan_pages(plan: SitePlan, page: Any, macros: Any) -> Iterator[tuple[str, bytes]]:
    """A plan's page, its narrowed pages and its actions' pages."""
    base = f"plans/{plan.slug}"
    groups = _groups_of(plan)
    options = _options(plan, groups)
    values = {"plan": plan, **options}
    # Each action's card is made once and shown on every page of the plan's folder.
    cards = {item.slug: macros.card(plan, item, "../../", "h3") for item in plan.actions}
    everything = [cards[item.slug] for item in plan.actions]
    yield page(
        f"{base}/index.html",
        "plan.html.j2",
        plan.title,
        "plan",
        shown=everything,
        narrowed=None,
        **values,
    )
    for kind, label, choices in (
        ("status", "Status", "statuses"),
        ("theme", "Theme", "themes"),
        ("lead", "Lead", "leads"),
    ):
        for value, text, _href, _n in options[choices]:
            shown = [cards[a.slug] for a in groups[kind, value]]
            title = f"Actions with {label.lower()}: {text}"
            yield page(
                f"{base}/{kind}-{value}.html",
                "plan.html.j2",
                f"{title} – {plan.title}",
                "plan",
                shown=shown,
                narrowed=title,
                **values,
            )
    recs = {r.ref: r for r in plan.plan.recommendations}
    for item in plan.actions:
        yield page(
            opendata.action_page(plan, item),
            "action.html.j2",
            f"{item.title} – {plan.title}",
            "action",
            plan=plan,
            item=item,
            recommendations=[recs[r] for r, _ in item.action.addresses if r in recs],
            facts=_facts(item),
            revisions=[
                {"due": words(r.due), "agreed": words(r.agreed), "reason": r.reason}
                for r in item.action.revisions
            ],
            milestones=[
                {"text": m.text, "done": m.done, "when": words(m.completed if m.done else m.due)}
                for m in item.action.milestones
            ],
            json_ld=json_ld(plan, item),
        )


def _groups_of(plan: SitePlan) -> dict[tuple[str, str], list[SiteAction]]:
    """The plan's actions by each (status, theme or lead, its value) that narrows them."""
    groups: dict[tuple[str, str], list[SiteAction]] = {}
    for item in plan.actions:
        keys = [("status", slug(item.status.key))]
        keys += [("theme", slug(item.theme.id))] if item.theme else []
        keys += [("lead", lead.slug) for lead in dict.fromkeys(item.leads)]
        for key in keys:
            groups.setdefault(key, []).append(item)
    return groups


def _options(
    plan: SitePlan, groups: dict[tuple[str, str], list[SiteAction]]
) -> dict[str, list[tuple[str, str, str, int]]]:
    """The choices that narrow a plan's actions: (value, words, page, how many)."""
    base = f"plans/{plan.slug}"
    statuses = [(slug(level.key), _label(level)) for level, _n in plan.counts]
    themes = [(s, t.title) for t, s in plan.themes]
    leads = [(lead.slug, lead.name) for lead in plan.leads]
    return {
        name: [
            (v, text, f"{base}/{kind}-{v}.html", len(groups.get((kind, v), [])))
            for v, text in found
        ]
        for name, kind, found in (
            ("statuses", "status", statuses),
            ("themes", "theme", themes),
            ("leads", "lead", leads),
        )
    }


def _label(level: StatusLevel) -> str:
    """A status as a choice names it: 'Amber: Slippage'."""
    if level.meaning and level.meaning != level.label:
        return f"{level.label}: {level.meaning}"
    return level.label


def _facts(item: SiteAction) -> list[tuple[str, str]]:
    """The action's other dated facts, for its summary."""
    action = item.action
    out = []
    if action.start:
        out.append(("Starts", words(action.start)))
    if action.completed:
        out.append(("Completed", words(action.completed)))
    if action.withdrawn:
        gone = action.withdrawn
        what = f"Merged into action {gone.merged_into}" if gone.merged_into else "Withdrawn"
        out.append((what, f"{words(gone.date)}: {gone.reason}"))
    return out


def _groups(site: Site) -> list[tuple[str, list[SitePaper]]]:
    """The papers by committee (papers naming none last), newest meeting first in each."""
    groups: dict[str, list[SitePaper]] = {}
    for paper in site.papers:
        groups.setdefault(paper.spec.committee or "Papers not naming a committee", []).append(paper)
    ordered = sorted(groups.items(), key=lambda g: (g[0].startswith("Papers not"), g[0]))
    return [(name, sorted(found, key=_when, reverse=True)) for name, found in ordered]


def _when(paper: SitePaper) -> tuple[date, str]:
    """A paper's meeting (else its as-at date), then its id, for order."""
    return (paper.spec.meeting or paper.spec.as_at, paper.spec.id)


def json_ld(plan: SitePlan, item: SiteAction) -> Markup:
    """The action as schema.org JSON-LD, safe inside a <script> element."""
    if item.withdrawn:
        state = "withdrawn"
    elif item.done:
        state = "done"
    else:
        state = "active" if item.history or item.action.status else "potential"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Action",
        "name": f"{item.title}: {item.text.plain()}"[:300],
        "description": item.text.plain(),
        "actionStatus": ACTION_STATUS[state],
        "isPartOf": {"@type": "CreativeWork", "name": plan.title},
    }
    if item.leads:
        data["agent"] = [{"@type": "Person", "name": lead.name} for lead in item.leads]
    due = item.action.current_due()
    if due and due.value:
        data["endTime" if item.done else "scheduledTime"] = due.value.last.isoformat()
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def search_index(site: Site) -> list[dict[str, str]]:
    """Every action, with the words a search looks in (lower case)."""
    out = []
    for plan in site.plans:
        for item in plan.actions:
            text = item.text.plain()
            latest = item.latest.text.plain() if item.latest else ""
            leads = " ".join(lead.name for lead in item.leads)
            out.append(
                {
                    "title": item.title,
                    "plan": plan.title,
                    "status": item.status.label,
                    "due": item.due,
                    "text": text[:300],
                    "url": opendata.action_page(plan, item),
                    "search": " ".join((item.title, text, leads, latest, plan.title)).lower(),
                }
            )
    return out


def stylesheet(site: Site) -> str:
    """The council's colour and every plan's status colours, after the site's own rules."""
    brand = site.settings.colour
    rules = [
        f":root {{ --site-brand: {brand}; --site-brand-text: {contrast(brand)}; }}",
    ]
    for plan in site.plans:
        for level in plan.plan.status_scheme.levels:
            colour = level.colour or "#FFFFFF"
            border = "#0B0C0C"
            rules.append(
                f".status--{plan.slug}--{slug(level.key)} {{ background: {colour}; "
                f"color: {contrast(colour)}; border: 1px solid {border}; }}"
            )
    return "\n".join(rules) + "\n"
