"""Reading dates as plans word them: 'End of April 2013', '04/02/20', 'Q3 2013/14'.

A timescale cell becomes plan dates at the precision it gives (a day, a month, a
financial quarter or year, a calendar year), a start where the words say so ('wef',
'from', 'onwards'), 'ongoing', a completion, and revisions written as papers print them
('January 2014, revised from April 2013 (reason)'). Nothing is invented: words with no
readable date give no date, and say what a person must add.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from planreport.plan import dates
from planreport.plan.model import UNKNOWN

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {"sept": 9}
_MONTH = r"(?P<{0}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR4 = r"(?P<{0}>(?:19|20)\d\d)"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "day",
        re.compile(
            r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:(?:\s+of)?\s+|-)"
            + _MONTH.format("m")
            + r"(?:,?\s+|-)(?P<y>(?:19|20)\d\d|\d\d)\b",
            re.IGNORECASE,
        ),
    ),
    ("iso-day", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")),
    ("numeric", re.compile(r"(?<![\d/])(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d\d)\b")),
    (
        "quarter",
        re.compile(
            r"\b(?:Q|quarter\s*)(?P<q>[1-4])\s*,?\s*(?P<fy>(?:19|20)\d\d\s*[/-]\s*\d\d(?:\d\d)?)",
            re.IGNORECASE,
        ),
    ),
    (
        "quarter-after",
        re.compile(r"\b(?P<fy>(?:19|20)\d\d/\d\d)\s*Q(?P<q>[1-4])\b", re.IGNORECASE),
    ),
    (
        "month-range",
        re.compile(
            r"\b"
            + _MONTH.format("m1")
            + r"(?:\s+"
            + _YEAR4.format("y1")
            + r")?\s*(?:[/–—-]|to|and)\s*"
            + _MONTH.format("m2")
            + r",?\s+"
            + _YEAR4.format("y2")
            + r"\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b" + _MONTH.format("m") + r"(?:,?\s+|-)(?P<y>(?:19|20)\d\d|'?\d\d)(?![\d/])",
            re.IGNORECASE,
        ),
    ),
    ("iso-month", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])\b(?!-)")),
    ("financial-year", re.compile(r"\b(?P<fy>(?:19|20)\d\d\s*[/-]\s*\d\d(?:\d\d)?)\b")),
    ("year", re.compile(r"(?<![\d/£$-])\b(?P<y>(?:19|20)\d\d)\b(?![/\d]|-\d)")),
]
_START = re.compile(
    r"(?:\bfrom|\bwef|\bw\.e\.f\.?|with effect from|\bcommenc\w*|\bstart\w*|\bbegin\w*|"
    r"\bfollowing|\bafter)(?:\s+(?!by\b|until\b|before\b|end\b)\w+){0,2}\s*[(]?\s*$",
    re.IGNORECASE,
)
# A number after these words labels a stage, not a day: "Phase 2 Mar 2017" is March 2017.
_LABEL = re.compile(
    r"\b(?:phase|stage|step|part|tier|level|wave|round|priority|year|no|number|item)\.?\s*$",
    re.IGNORECASE,
)
_ONWARDS = re.compile(r"^\s*(?:onwards|on\s*wards)\b", re.IGNORECASE)
_REVIEW = re.compile(r"\breview(?:ed)?(?:\s+\w+){0,2}\s*$", re.IGNORECASE)
_DONE = re.compile(r"^\s*(?:completed?|done|achieved|closed)\b(?!\s+by\b)", re.IGNORECASE)
_ONGOING = re.compile(r"\b(?:on-?going|continuous|continuing)\b", re.IGNORECASE)
_REVISED = re.compile(
    r"^(?P<new>.+?),?\s+revised\s+from\s+(?P<old>.+?)(?:\s*\((?P<reason>.+)\))?\.?$", re.IGNORECASE
)
_TBC = re.compile(r"\b(?:to be (?:confirmed|determined|agreed)|tbc|tbd|tba)\b", re.IGNORECASE)
_RELATIVE = re.compile(
    r"\b(?:this|next|current) (?:financial |calendar )?(?:year|quarter|month)\b|"
    r"\b(?:one|two|three|four|six|nine|twelve|\d+) (?:weeks?|months?|days?|years?)\b|"
    r"\bimmediate(?:ly)?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Found:
    """A date found in words: where, its plan form ('2013-09') and its first and last day."""

    start: int
    end: int
    text: str
    first: date
    last: date


@dataclass
class Revision:
    """A revised due date read from a timescale: the new date, and the reason if given."""

    due: str
    words: str
    reason: str | None = None
    previous: str | None = None


@dataclass
class Reading:
    """What a timescale's words say, as plan dates, and what a person must still add."""

    words: str
    start: str | None = None
    due: str | None = None
    review: str | None = None
    completed: str | None = None
    done: bool = False
    revisions: list[Revision] = field(default_factory=list)
    todo: str | None = None


def find_dates(text: str) -> list[Found]:
    """Every readable date in text, in order, each read at the precision written."""
    found: list[Found] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            if kind == "day" and _LABEL.search(text[: match.start()]):
                continue  # the number labels a stage; the month after it is read alone
            for item in _read(kind, match):
                found.append(item)
            taken.append((match.start(), match.end()))
    if any(len(item.text) > 4 for item in found):  # a bare year counts only on its own
        found = [item for item in found if len(item.text) > 4]
    return sorted(found, key=lambda item: item.start)


def _read(kind: str, match: re.Match[str]) -> list[Found]:
    """The date or dates one match gives, or none if it is not a real date."""
    groups = match.groupdict()
    try:
        if kind in ("day", "iso-day", "numeric"):
            month = _month(groups["m"])
            text = f"{_year(groups['y'])}-{month:02d}-{int(groups['d']):02d}"
            return [_found(match, text)]
        if kind in ("quarter", "quarter-after"):
            fy = _financial_year(groups["fy"])
            return [_found(match, f"{fy} Q{groups['q']}")]
        if kind == "month-range":
            year2 = _year(groups["y2"])
            year1 = _year(groups["y1"]) if groups["y1"] else year2
            month1, month2 = _month(groups["m1"]), _month(groups["m2"])
            if not groups["y1"] and month1 > month2:
                year1 -= 1
            middle = match.start("m2")
            return [
                _found(match, f"{year1}-{month1:02d}", end=middle),
                _found(match, f"{year2}-{month2:02d}", start=middle),
            ]
        if kind in ("month", "iso-month"):
            return [_found(match, f"{_year(groups['y'])}-{_month(groups['m']):02d}")]
        if kind == "financial-year":
            return [_found(match, _financial_year(groups["fy"]))]
        return [_found(match, groups["y"])]
    except (ValueError, dates.DateError):
        return []


def _found(match: re.Match[str], text: str, start: int = -1, end: int = -1) -> Found:
    """A Found for a plan date text; DateError if it is not a real date."""
    span = dates.parse(text)
    first = match.start() if start < 0 else start
    last = match.end() if end < 0 else end
    return Found(first, last, text, span.first, span.last)


def _month(value: str) -> int:
    """A month number from a name, abbreviation or digits."""
    if value.isdigit():
        number = int(value)
        if not 1 <= number <= 12:
            raise ValueError(value)
        return number
    return _MONTHS[value.lower().rstrip(".")]


def _year(value: str) -> int:
    """A four-digit year; two digits are read as 20YY."""
    digits = value.lstrip("'")
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _financial_year(value: str) -> str:
    """'2013/14', '2013-14' or '2013/2014' as the plan form '2013/14'."""
    first, second = re.split(r"\s*[/-]\s*", value.strip())
    if len(second) == 4:
        second = second[2:]
    text = f"{first}/{second}"
    dates.parse(text)
    return text


def read_timescale(words: str) -> Reading:
    """A timescale's words read into plan dates, keeping the words."""
    lines = [line.strip() for line in words.split("\n") if line.strip()]
    reading = Reading(" ".join(line for line in lines if not _REVISED.match(line)))
    kept: list[str] = []
    for line in lines:
        revision = _revision(line)
        if revision is not None:
            reading.revisions.append(revision)
        else:
            kept.append(line)
    _read_words(" ".join(kept), reading)
    for revision in reading.revisions:
        if revision.previous and reading.due is None:
            reading.due, reading.todo = revision.previous, None
            if reading.start == revision.previous:
                reading.start = None
    return reading


def _revision(line: str) -> Revision | None:
    """A revision line as papers print it: 'January 2014, revised from April 2013 (reason)'."""
    match = _REVISED.match(line)
    if not match:
        return None
    new = find_dates(match.group("new"))
    if not new:
        return None
    old = find_dates(match.group("old"))
    reason = match.group("reason")
    return Revision(
        new[-1].text, line, reason.strip() if reason else None, old[0].text if old else None
    )


def _read_words(text: str, reading: Reading) -> None:
    """Fill reading from one stretch of words."""
    found = find_dates(text)
    ongoing = bool(_ONGOING.search(text))
    done = bool(_DONE.match(text))
    reading.done = done
    if not found:
        if ongoing and not done:
            reading.due, reading.review = dates.ONGOING, UNKNOWN
            reading.todo = _NO_REVIEW
        elif not done and text:
            reading.todo = _why_no_date(text)
        return
    due: list[Found] = []
    for item in found:
        before, after = text[: item.start], text[item.end :]
        if ongoing and _REVIEW.search(before):
            reading.review = reading.review or item.text
        elif _START.search(before) or _ONWARDS.match(after):
            reading.start = reading.start or item.text
        else:
            due.append(item)
    if len(found) == 2 and not due and _is_range(text, found):
        due = [found[1]]
        reading.start = found[0].text
    if due:
        if done:
            reading.completed = due[-1].text
        latest = max(due, key=lambda item: item.last)
        reading.due = latest.text
        if len(due) > 1 and not _is_range(text, found):
            listed = ", ".join(f"'{text[item.start : item.end]}'" for item in due)
            reading.todo = f"the source gives several dates ({listed}); due is the latest: check"
        elif len(found) == 2 and _is_range(text, found) and found[0] in due:
            reading.start = found[0].text
    elif ongoing and not done:
        reading.due = dates.ONGOING
        if not reading.review:
            reading.review, reading.todo = UNKNOWN, _NO_REVIEW
    elif not done:
        reading.todo = "the source gives a start but no due date; add due:"


_NO_REVIEW = "the source gives no review date; replace 'unknown' with it"


def _is_range(text: str, found: list[Found]) -> bool:
    """Whether two dates are written as one range ('June/July 2011', 'A - B')."""
    if len(found) != 2:
        return False
    between = text[found[0].end : found[1].start]
    return bool(re.fullmatch(r"\s*(?:[/–—-]|to|and|until)\s*", between, re.IGNORECASE)) or (
        found[0].end == found[1].start
    )


def _why_no_date(text: str) -> str:
    """What a person must add when words give no date."""
    if _TBC.search(text):
        return "the source says the date is still to be confirmed; add due: when it is known"
    if _RELATIVE.search(text):
        return "the source gives a time with no fixed date; add due: with the date it means"
    return NO_DATE


NO_DATE = "the source gives no date; add due: YYYY-MM (or due: ongoing with review:)"
_DATED = re.compile(
    r"\d|\b(?:" + "|".join(_MONTHS) + r"|spring|summer|autumn|winter|term|week|w/c)\b", re.I
)


def unread(words: str, reading: Reading) -> bool:
    """Whether words that look like a date ('w/c 3rd', 'Spring 2017') gave none."""
    return reading.todo == NO_DATE and reading.due is None and bool(_DATED.search(words))
