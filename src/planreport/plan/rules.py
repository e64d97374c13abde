"""Stage 4: rules JSON Schema cannot express, applied to the typed plan model.

Each rule is one check registered by `@check` (plan/checks.py) in date_rules.py or
reference_rules.py, with the rule ids it reports. Each problem has an id, a severity and
a location, and says what to do in plain English.
"""

from __future__ import annotations

from dataclasses import replace

from planreport.plan import date_rules, reference_rules, standing
from planreport.plan.checks import CHECKS, RuleContext
from planreport.plan.model import Plan
from planreport.problems import Problems

MODULES = (reference_rules, date_rules)  # imported to register their checks


def check_plan(plan: Plan, ctx: RuleContext, problems: Problems, warnings: bool = True) -> None:
    """Apply every rule to one plan (to a partial plan, those that need no other part).

    warnings False: only the rules that can find errors (a build needs no more).
    """
    if warnings:
        ctx = replace(ctx, standings=tuple(standing.assess(plan, ctx.as_at)))
    for registered in CHECKS:
        if plan.partial and registered.whole_plan:
            continue
        if warnings or not registered.warns_only:
            registered.function(plan, ctx, problems)
