"""Facts from the plans that a cover report's text can use, so it cannot contradict its appendix.

Each fact is a `{placeholder}` filled from the same standings and exception list the
paper's own progress blocks use (`progress`), and each generated block (`{exceptions_list}`,
`{progress_since_last_report}`, `{redated_list}`) is built by the same code as the
appendix's. A fact the paper cannot support (no next meeting, no earlier paper) has no
value, and `check` says so where the text uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planreport.paper import exceptions, layouts, progress
from planreport.paper.context import Context, date_words
from planreport.paper.definitions import PaperSpec
from planreport.paper.model import Block, Heading, Table, Text
from planreport.plan import dates, standing
from planreport.plan.model import Plan, StatusLevel
from planreport.plan.richtext import Bullets, Para, Rich, Run

# Each fact's placeholder and what it gives (docs/cover-report.md lists them).
FACTS: dict[str, str] = {
    "title": "the report's title",
    "committee": "the committee",
    "meeting": "the meeting date, e.g. 18 September 2013",
    "next_meeting": "the committee's next meeting (the paper's next_meeting)",
    "as_at": "the date progress is reported to",
    "previous_as_at": "the as-at date of the last paper to this committee",
    "appendix": "the appendix label and title, e.g. 'Appendix 1 – Ofsted action plan'",
    "actions": "how many actions the plans hold",
    "completed": "how many are completed",
    "open": "how many are open",
    "overdue": "how many open actions are past their due date",
    "revised": "how many open actions have a revised due date",
    "exceptions": "how many open actions the paper lists as exceptions",
    "completed_since_last": "how many actions were completed since the last paper",
    "status_counts": "actions by status, e.g. '67 completed (Blue), 10 on track (Green)'",
}
TITLES = {"changes": "Progress since the last report", "exceptions": "Exceptions"}
# The progress block each generated block repeats, by its placeholder.
KINDS = {"progress_since_last_report": "changes", "exceptions_list": "exceptions"}
# Each generated block's placeholder and what it gives.
BLOCKS: dict[str, str] = {
    "progress_since_last_report": "a table of what changed since the last paper",
    "exceptions_list": "a table of the exceptions, each with why",
    "redated_list": "a list of open actions whose due date was revised, with the reasons",
}


PREVIOUS = "previous_as_at: (or an earlier paper to the same committee)"
# Each placeholder that needs something of the paper: the setting that gives it, and what
# to add when it is not given.
NEEDS: dict[str, tuple[str, str]] = {
    "committee": ("committee", "committee:"),
    "meeting": ("meeting", "meeting:"),
    "next_meeting": ("next_meeting", "next_meeting:"),
    "previous_as_at": ("previous_as_at", PREVIOUS),
    "completed_since_last": ("previous_as_at", PREVIOUS),
    "progress_since_last_report": ("previous_as_at", PREVIOUS),
}


def placeholders(plans: list[Plan]) -> dict[str, bool]:
    """Every placeholder a cover report on these plans may use, and whether it is a block."""
    keys = dict.fromkeys(_key(lv) for plan in plans for lv in plan.status_scheme.levels)
    counts = {f"count_{key}": False for key in keys}
    return {**dict.fromkeys(FACTS, False), **counts, **dict.fromkeys(BLOCKS, True)}


def unsupported(spec: PaperSpec) -> dict[str, str]:
    """The placeholders this paper gives no value, each with what the paper needs."""
    return {name: needs for name, (setting, needs) in NEEDS.items() if not getattr(spec, setting)}


@dataclass
class Facts:
    """Every fact placeholder's value, and each generated block's maker."""

    values: dict[str, str]
    blocks: dict[str, Callable[[], list[Block]]]


def gather(contexts: list[Context], title: str, appendix: str) -> Facts:
    """The facts of the plans as the paper reports them (one context per plan)."""
    spec = contexts[0].spec
    found = [s for ctx in contexts for s in ctx.standings]
    open_ = [s for s in found if not s.done]
    values = {
        "title": title,
        "committee": spec.committee or "",
        "meeting": _day(spec.meeting),
        "next_meeting": _day(spec.next_meeting),
        "as_at": _day(spec.as_at),
        "previous_as_at": _day(spec.previous_as_at),
        "appendix": appendix,
        "actions": str(len(found)),
        "completed": str(len(found) - len(open_)),
        "open": str(len(open_)),
        "overdue": str(sum(s.overdue for s in open_)),
        "revised": str(sum(s.revisions > 0 for s in open_)),
        "exceptions": str(sum(len(exceptions.exception_list(ctx)) for ctx in contexts)),
        "completed_since_last": _completed_since(contexts),
        "status_counts": _status_counts(contexts),
    }
    values |= {f"count_{key}": str(n) for key, n in _by_key(contexts).items()}
    blocks = {
        "progress_since_last_report": lambda: _generated(contexts, progress.changes, "changes"),
        "exceptions_list": lambda: _generated(contexts, exceptions.exceptions, "exceptions"),
        "redated_list": lambda: _redated(contexts),
    }
    return Facts(values, blocks)


def _day(day: object) -> str:
    """A date in words, or '' for none."""
    return dates.day_words(day) if day else ""  # type: ignore[arg-type]


def _completed_since(contexts: list[Context]) -> str:
    """Actions completed after the last paper's as-at date, or '' with no last paper."""
    since = contexts[0].spec.previous_as_at
    if since is None:
        return ""
    done = sum(
        len(standing.changes_between(ctx.plan, since, ctx.as_at).completed) for ctx in contexts
    )
    return str(done)


def _by_key(contexts: list[Context]) -> dict[str, int]:
    """How many actions have each status level, by the level's key (every level of the scheme)."""
    counts: dict[str, int] = {}
    for ctx in contexts:
        for level in ctx.plan.status_scheme.levels:
            counts.setdefault(_key(level), 0)
        for s in ctx.standings:
            if s.status:
                counts[_key(s.status)] = counts.get(_key(s.status), 0) + 1
    return counts


def _key(level: StatusLevel) -> str:
    """A status level's key as a placeholder name writes it ('in-progress': 'in_progress')."""
    return level.key.replace("-", "_")


def _status_counts(contexts: list[Context]) -> str:
    """'67 completed (Blue), 10 on track (Green) and 4 with no status', in the scheme's order."""
    counts: dict[str, int] = {}
    for ctx in contexts:
        for level in ctx.plan.status_scheme.levels:
            counts.setdefault(_counted(level), 0)
        for s in ctx.standings:
            label = _counted(s.status) if s.status else ""
            counts[label] = counts.get(label, 0) + 1
    parts = [f"{n} {label}" for label, n in counts.items() if label and n]
    if counts.get(""):
        parts.append(f"{counts['']} with no status")
    return progress.and_words(parts) if parts else "no actions"


def _counted(level: StatusLevel) -> str:
    """A status after a count: what it means, then its name ('completed (Blue)'); else its name."""
    if not level.meaning:
        return level.label
    first, _, rest = level.meaning.partition(" ")
    meaning = first if first.isupper() and len(first) > 1 else first.lower()  # "RAG" stays
    return f"{meaning} {rest}".rstrip() + f" ({level.label})"


def _generated(contexts: list[Context], build: Callable, kind: str) -> list[Block]:
    """A progress block built as the appendix builds it, introduced by the officer's text alone.

    No heading of its own (it would read as another of the section's subsections) and no
    introducing sentence after the officer's; a paper of several plans keeps each plan's
    name as a heading, one level down.
    """
    out: list[Block] = []
    several = len(contexts) > 1
    for ctx in contexts:
        title = TITLES[kind] + (f": {ctx.plan.title or ctx.plan.id}" if several else "")
        made = build(ctx, layouts.make_block(kind, title=title))
        out += [b for b in made if _kept(b, several)]
    return out


def _kept(block: Block, several: bool) -> bool:
    """Whether a generated block's part stays in the cover: not its own heading or intro."""
    if isinstance(block, Heading):
        return several
    if isinstance(block, Text):
        return block.style != "intro"
    return not isinstance(block, Table) or bool(block.rows)


def _redated(contexts: list[Context]) -> list[Block]:
    """Each open action whose due date was revised: its new date, the old one and why."""
    items = []
    for ctx in contexts:
        for s in ctx.standings:
            action = s.action
            if s.done or not s.revisions:
                continue
            last = action.revisions[-1] if action.revisions else None
            dated = date_words(action.current_due(), action.current_review())
            text = f"{progress.qualified_ref(ctx, action)}: now due {dated}"
            if action.due:
                text += f", first due {date_words(action.due)}"
            if last and last.reason:
                text += f". {progress.one_line(last.reason)}"
            items.append((Para((Run(text.rstrip(".") + "."),)),))
    if not items:
        return [Text(Rich((Para((Run("No open action has had its due date revised."),)),)))]
    return [Text(Rich((Bullets(tuple(items)),)))]
