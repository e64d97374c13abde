"""What `request` and `apply` print, as strings (the CLI prints them)."""

from __future__ import annotations

import difflib

from planreport import escape
from planreport.project import display
from planreport.updates.answers import ApplyResult
from planreport.updates.request import RequestResult


def request_text(result: RequestResult) -> str:
    """One line per form written, then a summary."""
    lines = []
    for path, form in result.written:
        count = len(form.rows)
        lines.append(
            f"wrote {display(path)}: {count} action{'s' * (count != 1)} for {form.lead_name}"
        )
    actions = len({(r.plan, r.key) for _p, form in result.written for r in form.rows})
    forms = len(result.written)
    if forms:
        leads = len({form.lead for _p, form in result.written})
        lines.append(
            f"Made {forms} form{'s' * (forms != 1)} for {leads} lead{'s' * (leads != 1)} "
            f"({actions} open action{'s' * (actions != 1)})."
        )
    else:
        lines.append("No open actions to ask about, so no forms were made.")
    if result.unled:
        lines.append(
            f"{result.unled} open action{'s have' if result.unled != 1 else ' has'} no lead, so "
            "no form asks about them. Give each a lead in the plan."
        )
    return "\n".join(lines) + "\n"


def apply_text(result: ApplyResult, dry_run: bool) -> str:
    """What was (or would be) changed, every answer not applied and why, and a summary."""
    lines = [escape.terminal(str(f)) for f in result.findings]
    if result.findings and result.changes:
        lines.append("")
    verb = "would change" if dry_run else "changed"
    lines += [escape.terminal(str(change)) for change in result.changes]
    if dry_run:
        for path, (before, after) in result.edits.items():
            name = display(path)
            lines.append("")
            lines += [
                escape.terminal(line.rstrip("\n"))
                for line in difflib.unified_diff(
                    before.splitlines(True), after.splitlines(True), f"a/{name}", f"b/{name}"
                )
            ]
    files = len(result.edits)
    answers = result.answers
    summary = (
        f"{'Would apply' if dry_run else 'Applied'} {result.applied} of {answers} "
        f"answer{'s' * (answers != 1)} from {result.forms} form{'s' * (result.forms != 1)}; "
        f"{verb} {files} file{'s' * (files != 1)}. {answers - result.applied - result.noted} "
        f"not applied, {result.noted} already applied or repeated."
    )
    if result.refused:
        summary += f" {result.refused} file{'s' * (result.refused != 1)} refused."
    lines += ["", summary]
    if dry_run:
        lines.append("This was a dry run: nothing was written.")
    return "\n".join(lines).lstrip("\n") + "\n"
