"""The registry of plan checks: each check is one function registered by `@check`.

`@check` names the rule ids only that check reports, with what each catches (registered
in problems.RULE_IDS), and whether it only warns or needs the whole plan. The checks
are in plan/date_rules.py and plan/reference_rules.py; plan/rules.py runs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from planreport import problems as rule_ids
from planreport.plan import standing
from planreport.plan.model import Person, Plan
from planreport.problems import Location, Problems


@dataclass(frozen=True)
class RuleContext:
    """What rules need besides the plan: the people registry and the as-at date."""

    people: dict[str, Person] | None
    as_at: date
    people_path: str | None = None
    standings: tuple[standing.Standing, ...] = ()


PlanCheck = Callable[["Plan", "RuleContext", Problems], None]


@dataclass(frozen=True)
class Check:
    """One registered check: its function, and when it runs."""

    function: PlanCheck
    rules: tuple[str, ...]  # the rule ids only it reports
    warns_only: bool  # only warns (all that need where each action stands)
    # looks across the plan (does anything address this, is that ref declared): on a plan
    # with parts cut out for schema errors it would report what was cut
    whole_plan: bool


CHECKS: list[Check] = []


def check(
    catches: dict[str, str] | None = None, *, warns_only: bool = False, whole_plan: bool = False
) -> Callable[[PlanCheck], PlanCheck]:
    """Register a check with the rule ids only it reports, each with what it catches."""

    def register(function: PlanCheck) -> PlanCheck:
        for rule, description in (catches or {}).items():
            rule_ids.register(rule, description)
        CHECKS.append(Check(function, tuple(catches or {}), warns_only, whole_plan))
        return function

    return register


def line_of(location: Location, other: Location) -> str:
    """'line 12' in the same file, or 'path line 12' in another."""
    if location.path == other.path:
        return f"line {other.line}"
    return f"{other.path} line {other.line}"
