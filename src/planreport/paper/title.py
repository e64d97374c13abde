"""The title block: appendix label, title, subtitle, committee, meeting and as-at lines."""

from __future__ import annotations

import re
from collections.abc import Mapping

from planreport.paper import layouts
from planreport.paper.context import Context
from planreport.paper.definitions import PaperSpec
from planreport.paper.model import Block, Heading, Text
from planreport.plan import dates
from planreport.plan.richtext import plain


def title_lines(spec: PaperSpec, words: Mapping[str, str | None], progress: bool) -> list[str]:
    """Committee, meeting date and (if the plans report progress) as-at date, as worded.

    The as-at line is left out when progress is as at the meeting date a line above gives.
    """

    def say(key: str, **values: str) -> str:
        """One phrase filled in."""
        return layouts.fill(words[key] or "", values)

    lines = []
    if spec.committee and spec.meeting:
        meeting = dates.day_words(spec.meeting)
        lines.append(say("committee_meeting", committee=spec.committee, date=meeting))
    elif spec.committee:
        lines.append(spec.committee)
    elif spec.meeting:
        lines.append(say("meeting", date=dates.day_words(spec.meeting)))
    as_at = dates.day_words(spec.as_at)
    if progress and not (spec.meeting == spec.as_at and any(as_at in line for line in lines)):
        lines.append(say("progress_as_at", date=as_at))
    return [line for line in lines if line.strip()]


def paper_title(ctx: Context, block: layouts.Block) -> list[Block]:
    """The paper's heading and the lines under it, each saying something the lines above do not.

    A line whose words all appear in an earlier line is left out (a committee and meeting
    line under a subtitle naming both); a subtitle starts with a capital.
    """
    spec, plan = ctx.spec, ctx.plan
    out: list[Block] = []
    if block.organisation and plan.organisations:
        out.append(Text(plain(", ".join(plan.organisations)), "organisation"))
    if spec.appendix:
        out.append(Text(plain(spec.appendix), "label"))
    title = spec.title or plan.title or plan.id
    out.append(Heading(1, title))
    said = [*(b.rich.plain() for b in out if isinstance(b, Text)), title]
    responds = plan.responds_to
    line = _response_to(ctx, responds) if responds.get("name") and not spec.subtitle else ""
    lines = [(capitalised(spec.subtitle or line), "subtitle")]
    lines += [(meta, "meta") for meta in title_lines(spec, ctx.words, ctx.reports_progress)]
    for text, style in lines:
        if text.strip() and not _words(text) <= set().union(*map(_words, said)):
            out.append(Text(plain(text), style))
            said.append(text)
    return out


def capitalised(text: str | None) -> str:
    """text with a capital first letter, as a line of its own is printed ('' for None)."""
    return (text or "")[:1].upper() + (text or "")[1:]


def _words(text: str) -> set[str]:
    """A line's words, in lower case, without punctuation (to find a line saying nothing new)."""
    return set(re.findall(r"\w+", text.lower()))


def _response_to(ctx: Context, responds: dict[str, str]) -> str:
    """What the plan responds to ("Response to the Ofsted inspection carried out in July 2013")."""
    when = dates.parse(responds["date"]).words() if responds.get("date") else ""
    template = ctx.words["response_to"]
    if template is not None:
        return layouts.fill(
            template, {"name": responds["name"], "by": responds.get("by", ""), "date": when}
        )
    by = f"the {responds['by']} " if responds.get("by") and len(responds["by"]) < 12 else ""
    return f"Response to {by}{responds['name']}" + (f" carried out in {when}" if when else "")
