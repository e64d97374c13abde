"""What real plans call their columns, and which plan field each heading means.

Headings are compared after folding case, '&' and punctuation: 'Lead Officer(s)' and
'lead officers' are the same heading. A heading with a date ('Update September 2013',
'RAG June 2020') is a dated progress or status column. Anything unknown becomes one of
the plan's own custom fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planreport.importers.timescales import find_dates

REF = "ref"
RECOMMENDATION = "recommendation"
TEXT = "text"
LEADS = "leads"
TIMESCALE = "timescale"
START = "start"
PROGRESS = "progress"
STATUS = "status"
MILESTONES = "milestones"
THEME = "theme"
PRIORITY = "priority"
ACCOUNTABLE = "accountable"
COMPLETED = "completed"
MEANING = "meaning"
IGNORE = "ignore"
CUSTOM = "custom"
TEXT_FIELDS = ("outputs", "outcome", "impact", "measures", "evidence")

# Field -> what it means, for the printed mapping and --map's help.
FIELDS: dict[str, str] = {
    REF: "the action's ref",
    RECOMMENDATION: "the recommendation it addresses",
    TEXT: "the action",
    LEADS: "lead officers",
    TIMESCALE: "the timescale, read into dates",
    START: "the start date",
    PROGRESS: "a progress update",
    STATUS: "the status",
    MILESTONES: "dated milestones",
    "outputs": "outputs",
    "outcome": "outcome",
    "impact": "impact",
    "measures": "measures",
    "evidence": "evidence",
    THEME: "the theme",
    PRIORITY: "the recommendation's priority",
    ACCOUNTABLE: "accountable officers",
    COMPLETED: "the completion date",
    IGNORE: "not imported",
    CUSTOM: "a custom field",
}

# fmt: off
_EXACT: dict[str, tuple[str, ...]] = {
    REF: (
        "no", "ref", "reference", "ref no", "number", "action no", "action number",
        "action ref", "id", "item", "item no", "rec no", "recommendation no", "rec",
        "rec ref", "rec number", "recommendation ref", "recommendation number",
    ),
    RECOMMENDATION: (
        "recommendation", "recommendations", "recommendation addressed", "area for improvement",
        "areas for improvement", "finding", "findings", "issue", "issue identified",
        "area of concern", "requirement", "what needs to improve", "inspection recommendation",
        "what is the issue", "what is the problem", "what are the issues",
    ),
    TEXT: (
        "action", "actions", "action required", "actions required", "what we will do",
        "what will we do", "key actions", "action to be taken", "actions to be taken",
        "planned action", "planned actions", "activity", "task", "improvement action",
        "how will we do it", "what", "how we will do it", "how will we do this",
        "how will it be done", "how are we going to do it", "what are we going to do",
        "what we are going to do", "what do we need to do", "what we need to do",
        "what needs to be done", "what needs to happen", "what will be done",
        "what will happen", "what action will be taken", "what actions will be taken",
        "what action will we take", "what actions will we take",
    ),
    LEADS: (
        "lead", "leads", "lead officer", "lead officers", "who", "who is responsible",
        "responsible officer", "responsible officers", "responsible", "owner", "action owner",
        "lead agency and officer", "lead person", "lead manager", "by whom", "responsibility",
        "officer",
    ),
    TIMESCALE: (
        "timescale", "timescales", "by when", "target date", "deadline", "due date", "due",
        "when", "completion date", "target completion date", "date", "by", "timeframe",
        "time frame", "end date", "target", "proposed timescale", "date due",
    ),
    START: ("start date", "start", "date started", "from"),
    PROGRESS: (
        "progress", "progress made", "update", "updates", "progress update", "comments",
        "commentary", "progress to date", "current position", "position", "latest update",
        "narrative", "progress and evidence", "update on progress", "what has been done",
        "what we have done", "what have we done", "what has happened", "where are we now",
        "progress so far",
    ),
    STATUS: (
        "rag", "rag rating", "rag status", "status", "rating", "brag", "brag rating",
        "brag status", "current status", "progress rating", "overall status",
        "progress indicator", "rag indicator", "status indicator", "progress rag",
        "red amber green", "rag rated", "traffic light",
    ),
    MILESTONES: ("milestones", "key milestones", "milestone"),
    "outputs": ("output", "outputs", "deliverable", "deliverables"),
    "outcome": (
        "outcome", "outcomes", "outcome required", "expected outcome", "intended outcome",
        "desired outcome", "what difference will this make", "what difference will it make",
    ),
    "impact": ("impact", "impact and outcome", "impact and outcomes", "outcome and impact"),
    "measures": (
        "measure", "measures", "how will we know", "how we will know", "measures of success",
        "success measures", "success measure", "success criteria", "kpi", "kpis",
        "how will we measure success", "performance measure", "performance measures",
    ),
    "evidence": (
        "evidence", "evidence of progress", "evidence of completion", "source of evidence",
    ),
    THEME: (
        "theme", "themes", "priority area", "area", "category", "workstream", "work stream",
        "strand", "section", "group",
    ),
    PRIORITY: ("priority", "recommended timescale", "urgency"),
    ACCOUNTABLE: ("accountable officer", "accountable officers", "accountable"),
    COMPLETED: ("date completed", "completed", "actual completion date", "date of completion"),
    MEANING: ("meaning", "description", "definition", "key", "means"),
    IGNORE: ("page", "page reference", "page reference for action plan", "page ref"),
}
# fmt: on
_LOOKUP = {phrase: name for name, phrases in _EXACT.items() for phrase in phrases}
# Words that identify a heading when it is not in the list, tried in this order.
_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"\b(?:b?rag|indicator)\b", STATUS),  # 'Progress indicator', 'Progress RAG'
    (r"^(?:update|progress)\b", PROGRESS),
    (r"\b(?:status|rating)\b", STATUS),
    (r"\bmilestones?\b", MILESTONES),
    (r"\b(?:timescales?|deadline|target date|by when|due)\b", TIMESCALE),
    (r"\b(?:lead|leads|responsib\w*|owner|who)\b", LEADS),
    (r"\bhow will we know\b|\bmeasures?\b|\bsuccess\b", "measures"),
    (r"\bimpact\b", "impact"),
    (r"\boutcomes?\b", "outcome"),
    (r"\boutputs?\b", "outputs"),
    (r"\bevidence\b", "evidence"),
    (r"\bprogress\b|\bupdate\b|\bcomments?\b", PROGRESS),
    (r"\btheme\b", THEME),
    (r"\brecommendations?\b|\bareas? for improvement\b", RECOMMENDATION),
    (r"\bactions?\b|\bwhat we will do\b", TEXT),
)
_GLOSSARY_TERMS = ("abbreviation", "abbreviations", "acronym", "acronyms", "term", "terms")
_DATED = (PROGRESS, STATUS)


@dataclass(frozen=True)
class Meaning:
    """What a heading means: a field, and for a dated column, the date it gives."""

    field: str
    date: str | None = None
    how: str = "vocabulary"  # vocabulary | keyword | unknown | given


def fold(heading: str) -> str:
    """A heading in the form headings are compared in."""
    text = heading.lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"\(s\)", "s", text)
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text).replace("'", "")
    return re.sub(r"\s+", " ", text).strip()


def meaning(heading: str) -> Meaning:
    """The field a column heading means (CUSTOM if it is not known)."""
    folded = fold(heading)
    if not folded:
        return Meaning(IGNORE, how="unknown")
    if folded in _LOOKUP:
        return Meaning(_LOOKUP[folded])
    for pattern, field in _KEYWORDS:
        if re.search(pattern, folded):
            found = find_dates(heading) if field in _DATED else []
            return Meaning(field, found[-1].text if found else None, "keyword")
    return Meaning(CUSTOM, how="unknown")


def is_glossary_term(heading: str) -> bool:
    """Whether a heading names the terms of an abbreviations table."""
    return fold(heading) in _GLOSSARY_TERMS


def custom_key(heading: str) -> str:
    """A custom field's key from its heading: 'Evidence and impact' -> 'evidence-and-impact'."""
    words = fold(heading).split()[:6]
    key = "-".join(words) or "column"
    return key[:60].strip("-") or "column"
