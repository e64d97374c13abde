"""What needs the whole plan read first: one copy of each action, refs, done actions.

An action printed twice (an exceptions table and the full table) is kept once, from the
plan's own table; actions the source does not number are numbered; refs that restart
under each recommendation set per-recommendation numbering; a completed action needs
no due date.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from planreport.importers import draft, statuses
from planreport.importers.cells import NOTE_MARK
from planreport.plan import dates
from planreport.plan.model import UNKNOWN


def date_order(text: str) -> date:
    """Updates in date order (an update to be dated by --as-at counts as the latest)."""
    if text == "AS-AT":
        return date.max
    return dates.parse(text).first


def merge_duplicates(actions: list[draft.Action]) -> list[draft.Action]:
    """One action for each ref and text printed more than once, keeping the fullest copy."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, action in enumerate(actions):
        if action.ref and action.text:
            groups.setdefault((action.ref, _letters(action.text)), []).append(i)
    drop: set[int] = set()
    # The plan's own table is the one that holds the most actions; an exceptions or
    # summary table repeats a few of them.
    tables = Counter(action.table_kind for action in actions)
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        keep = max(indexes, key=lambda i: (tables[actions[i].table_kind], actions[i].richness()))
        for i in indexes:
            if i != keep:
                _fill_gaps(actions[keep], actions[i])
        places = "; ".join(actions[i].where for i in indexes)
        actions[keep].notes.append(f"printed more than once in the source ({places}); read once")
        drop.update(i for i in indexes if i != keep)  # the fullest copy is the plan's own table
    return [a for i, a in enumerate(actions) if i not in drop]


def _letters(text: str) -> str:
    """Text as letters and digits only, note markers left out, to find the same text twice."""
    return re.sub(r"[^a-z0-9]", "", NOTE_MARK.sub("", text).casefold())


def _fill_gaps(keep: draft.Action, other: draft.Action) -> None:
    """Take from another copy of an action what the kept copy lacks."""
    for name in ("theme", "timescale", "start", "due", "review", "raw", "completed"):
        if getattr(keep, name) is None and getattr(other, name) is not None:
            setattr(keep, name, getattr(other, name))
    if not keep.addresses:
        keep.addresses = other.addresses
    if not keep.leads:
        keep.leads = other.leads
    for key, value in other.texts.items():
        keep.texts.setdefault(key, value)
    for key, value in other.custom.items():
        keep.custom.setdefault(key, value)
    if not keep.updates:
        keep.updates = other.updates
    if not keep.milestones:
        keep.milestones = other.milestones


def settle_refs(plan: draft.Plan) -> None:
    """Refs for actions the source does not number; per-recommendation numbering found."""
    missing = [a for a in plan.actions if not a.ref]
    if missing and len(missing) == len(plan.actions):
        for n, action in enumerate(plan.actions, start=1):
            action.ref = str(n)
        plan.remarks.append(
            f"the source numbers no actions; they are numbered 1 to {len(plan.actions)} in order"
        )
    else:
        used = {a.ref for a in plan.actions}
        n = 0
        for action in missing:
            n += 1
            while f"new-{n}" in used:
                n += 1
            action.ref = f"new-{n}"
            action.todos.append("the source gives this action no ref; give it one")
    seen: dict[str, list[draft.Action]] = {}
    for action in plan.actions:
        seen.setdefault(action.ref or "", []).append(action)
    repeated = {ref: group for ref, group in seen.items() if len(group) > 1}
    if not repeated:
        return
    restarts = all(
        all(a.addresses for a in group) and len({a.addresses[0] for a in group}) == len(group)
        for group in repeated.values()
    )
    if restarts:
        plan.per_recommendation = True
        return
    for ref, group in repeated.items():
        for action in group[1:]:
            action.todos.append(f"the ref '{ref}' is used by more than one action; make it unique")


def done_needs_no_date(action: draft.Action, scheme: statuses.Scheme | None) -> None:
    """A completed action needs no due date: drop the date to-dos, and 'ongoing'."""
    done_keys = {level.key for level in scheme.levels if level.done} if scheme else set()
    latest = next((u.status for u in reversed(action.updates) if u.status), None)
    status = action.status or latest
    done = status in done_keys or bool(action.completed)
    if not done:
        return
    if action.due == "ongoing" and action.review in (None, UNKNOWN):
        action.due, action.review = None, None
    action.todos = [t for t in action.todos if "add due:" not in t and "review" not in t]
    has_date = bool(action.completed) or any(u.status in done_keys for u in action.updates)
    if not has_date:  # 'Complete' with no date: record that the source gives none
        action.completed = UNKNOWN
        action.todos.append(
            "the source marks this complete but gives no date; replace 'unknown' with it"
        )
