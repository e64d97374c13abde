"""What the site shows, made once from the checked plans, people and paper definitions.

Every page, the open data and the feeds read this model; nothing here is HTML. Where an
action stands comes from `plan.standing` as at the site's date, dates in words from
`plan.dates`, each action's history from `history`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from planreport.paper.definitions import PaperSpec
from planreport.plan import richtext, standing
from planreport.plan.model import Action, Person, Plan, StatusLevel, Theme
from planreport.site.history import Event, events, words
from planreport.site.settings import Settings

NO_STATUS = StatusLevel("none", "No status given", None, None, None)
WITHDRAWN = StatusLevel("withdrawn", "Withdrawn", None, "Taken out of the plan", None)
_UNSAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """A file or anchor name from any text: lower-case letters, digits and hyphens."""
    return _UNSAFE.sub("-", text.lower()).strip("-") or "x"


@dataclass(frozen=True)
class Lead:
    """A lead officer as the site names them, with the id pages are made for."""

    id: str
    slug: str
    name: str


@dataclass(frozen=True)
class PaperFile:
    """One built file of a paper, copied into the site."""

    format: str
    name: str  # its file name in papers/
    size: int


@dataclass
class SitePaper:
    """A committee paper: its definition and the files `build` wrote for it."""

    spec: PaperSpec
    title: str
    files: list[PaperFile] = field(default_factory=list)


@dataclass
class SiteAction:
    """One action as every page shows it."""

    action: Action
    slug: str
    status: StatusLevel
    done: bool
    overdue: bool
    withdrawn: bool
    text: richtext.Rich
    theme: Theme | None
    leads: list[Lead]
    due: str
    original_due: str
    history: list[Event]
    latest: Event | None
    papers: list[SitePaper] = field(default_factory=list)

    @property
    def title(self) -> str:
        """How the pages name it: 'Action 1.2'."""
        name = self.action.name
        return name[0].upper() + name[1:]


@dataclass
class SitePlan:
    """A plan, its actions and what narrows them."""

    plan: Plan
    slug: str
    title: str
    actions: list[SiteAction]
    counts: list[tuple[StatusLevel, int]]
    themes: list[tuple[Theme, str]]  # (theme, its page's slug)
    leads: list[Lead]
    papers: list[SitePaper] = field(default_factory=list)

    def recent(self, since: date) -> list[tuple[SiteAction, Event]]:
        """Each action's history after since, newest first."""
        found = [(a, e) for a in self.actions for e in a.history if e.day > since]
        return sorted(found, key=lambda pair: (pair[1].day, pair[1].number), reverse=True)


@dataclass
class Site:
    """Everything the site shows."""

    settings: Settings
    as_at: date
    plans: list[SitePlan]
    papers: list[SitePaper]

    @property
    def since(self) -> date:
        """The first day 'what changed lately' does not cover."""
        from datetime import timedelta

        return self.as_at - timedelta(days=self.settings.recent_days)


def make_site(
    settings: Settings,
    plans: list[Plan],
    people: dict[str, Person],
    papers: list[SitePaper],
    as_at: date,
) -> Site:
    """The site's model: every plan as at the date, with the papers on each."""
    made = [make_plan(plan, people, as_at, papers) for plan in plans]
    return Site(settings, as_at, made, papers)


def make_plan(
    plan: Plan, people: dict[str, Person], as_at: date, papers: list[SitePaper]
) -> SitePlan:
    """A plan as the site shows it."""
    themes = {t.id: t for t in plan.themes}
    by_rec = {r.ref: r.theme for r in plan.recommendations if r.theme}
    on_plan = [p for p in papers if plan.id in p.spec.plans]
    slugs: set[str] = set()
    actions = [
        _action(
            plan, a, people, as_at, themes, by_rec, on_plan, _unique(slug(a.qualified_ref), slugs)
        )
        for a in plan.actions
        if not (a.added and a.added.value and a.added.value.first > as_at)
    ]
    counted = Counter(a.status.key for a in actions)
    levels = [*plan.status_scheme.levels, NO_STATUS, WITHDRAWN]
    leads = {lead.id: lead for a in actions for lead in a.leads}
    used = {a.theme.id for a in actions if a.theme}
    return SitePlan(
        plan=plan,
        slug=slug(plan.id),
        title=plan.title or plan.short_title or plan.id,
        actions=actions,
        counts=[(level, counted[level.key]) for level in levels if counted[level.key]],
        themes=[(t, slug(t.id)) for t in plan.themes if t.id in used],
        leads=sorted(leads.values(), key=lambda lead: lead.name.casefold()),
        papers=on_plan,
    )


def _action(
    plan: Plan,
    action: Action,
    people: dict[str, Person],
    as_at: date,
    themes: dict[str, Theme],
    by_rec: dict[str, str],
    papers: list[SitePaper],
    name: str,
) -> SiteAction:
    """One action as the site shows it."""
    stood = standing.stand(plan, action, as_at)
    gone = standing.withdrawn_by(action, as_at)
    status = WITHDRAWN if gone else stood.status or NO_STATUS
    history = events(plan, action, as_at)
    theme_id = action.theme or next((by_rec[r] for r, _ in action.addresses if r in by_rec), None)
    updates = [e for e in history if e.kind == "update"]
    return SiteAction(
        action=action,
        slug=name,
        status=status,
        done=stood.done,
        overdue=stood.overdue and not gone,
        withdrawn=gone,
        text=richtext.parse(action.text),
        theme=themes.get(theme_id) if theme_id else None,
        leads=[_lead(lead.person, people) for lead in action.leads],
        due=words(action.current_due()),
        original_due=words(action.due),
        history=history,
        latest=updates[-1] if updates else None,
        papers=[p for p in papers if _in_paper(action, p.spec)],
    )


def _lead(person: str, people: dict[str, Person]) -> Lead:
    """A lead's name from the people registry (their id if it has none)."""
    known = people.get(person)
    return Lead(person, slug(person), known.display() if known else person)


def _in_paper(action: Action, spec: PaperSpec) -> bool:
    """Whether the action was in its plan on the paper's date (so the paper reported on it)."""
    added = action.added and action.added.value and action.added.value.first > spec.as_at
    return not added and not standing.withdrawn_by(action, spec.as_at)


def _unique(name: str, taken: set[str]) -> str:
    """name, or name-2, name-3 ... if already taken; recorded as taken."""
    found, n = name, 1
    while found in taken:
        n += 1
        found = f"{name}-{n}"
    taken.add(found)
    return found
