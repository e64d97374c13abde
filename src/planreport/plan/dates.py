"""Plan dates: day, month, financial quarter, financial year and calendar year, and ranges.

A plan date covers a span of days: '2013-09' is 1 to 30 September 2013, '2013/14 Q3' is
1 October to 31 December 2013. Rules compare spans; papers word them the UK way.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

ONGOING = "ongoing"
FORMS = (
    "2013-09-18 (a day), 2013-09 (a month), 2013/14 Q3 (a financial quarter), "
    "2013/14 (a financial year), 2013 (a calendar year), or a range such as 2020-02 to 2020-05"
)
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_FY = re.compile(r"(\d{4})/(\d{2})")
_QUARTER = re.compile(r"(\d{4})/(\d{2}) ?Q(\d)", re.IGNORECASE)
_YEAR = re.compile(r"(\d{4})")
_QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}
# Years a plan date can be in: far wider than any plan needs, narrow enough that date
# arithmetic (a financial year's end, "due within 30 days") never leaves Python's range.
FIRST_YEAR, LAST_YEAR = 1900, 2199


class DateError(ValueError):
    """A date that is not written in a known form, or is not a real date."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@dataclass(frozen=True)
class PlanDate:
    """A span of days written at some precision."""

    first: date
    last: date
    precision: str  # day | month | quarter | financial-year | year | range
    text: str

    def words(self) -> str:
        """The date in GOV.UK style: '18 September 2013', 'February to May 2020'."""
        if self.precision == "day":
            return day_words(self.first)
        if self.precision == "month":
            return month_words(self.first)
        if self.precision == "quarter":
            months = _span_words(self.first, self.last)
            quarter = self.text.upper().replace(" ", "").split("Q")[1]
            return f"Q{quarter} {_fy_label(self.last)} ({months})"
        if self.precision == "financial-year":
            return _fy_label(self.first)
        if self.precision == "year":
            return str(self.first.year)
        return _range_words(self.text)


# English month names, whatever the machine's locale (calendar.month_name follows it,
# and asks strftime for the name on every use).
MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def day_words(day: date) -> str:
    """A day in GOV.UK style: '18 September 2013'."""
    return f"{day.day} {MONTHS[day.month]} {day.year}"


def month_words(day: date) -> str:
    """The month a day is in: 'September 2013'."""
    return f"{MONTHS[day.month]} {day.year}"


@lru_cache(maxsize=4096)
def parse(text: str) -> PlanDate:
    """Parse a plan date or range; raise DateError saying what is wrong."""
    value = text.strip()
    if " to " in value:
        start_text, _, end_text = value.partition(" to ")
        start, end = parse_single(start_text.strip()), parse_single(end_text.strip())
        if start.first > end.last:
            raise DateError(
                "date-range-reversed",
                f"the range '{text}' ends before it starts; write the earlier date first.",
            )
        return PlanDate(start.first, end.last, "range", value)
    return parse_single(value)


def parse_single(value: str) -> PlanDate:
    """Parse one date (not a range)."""
    if m := _DAY.fullmatch(value):
        year, month, day = (int(g) for g in m.groups())
        _check_year(value, year)
        _check_month(value, month)
        last_day = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last_day:
            raise DateError(
                "date-impossible",
                f"'{value}' is not a real date: {MONTHS[month]} {year} has {last_day} days.",
            )
        return PlanDate(date(year, month, day), date(year, month, day), "day", value)
    if m := _MONTH.fullmatch(value):
        year, month = int(m.group(1)), int(m.group(2))
        _check_year(value, year)
        _check_month(value, month)
        return PlanDate(date(year, month, 1), _month_end(year, month), "month", value)
    if m := _QUARTER.fullmatch(value):
        year, quarter = _fy_start(value, m.group(1), m.group(2)), int(m.group(3))
        if quarter not in _QUARTER_MONTHS:
            raise DateError(
                "date-impossible",
                f"'{value}' names quarter {quarter}; financial quarters are Q1 (April to June) "
                "to Q4 (January to March).",
            )
        first_month, last_month = _QUARTER_MONTHS[quarter]
        cal_year = year + 1 if quarter == 4 else year
        return PlanDate(
            date(cal_year, first_month, 1), _month_end(cal_year, last_month), "quarter", value
        )
    if m := _FY.fullmatch(value):
        year = _fy_start(value, m.group(1), m.group(2))
        return PlanDate(date(year, 4, 1), date(year + 1, 3, 31), "financial-year", value)
    if m := _YEAR.fullmatch(value):
        year = int(m.group(1))
        _check_year(value, year)
        return PlanDate(date(year, 1, 1), date(year, 12, 31), "year", value)
    if value.lower() == ONGOING:
        raise DateError(
            "date-format",
            "'ongoing' can only be a due date (due: ongoing, with a review date). Write a date "
            f"here: {FORMS}.",
        )
    raise DateError(
        "date-format",
        f"'{value}' is not a date planreport can read. Write it as {FORMS}. "
        "Keep the wording as published under 'timescale'.",
    )


def in_range(day: date) -> bool:
    """Whether a day falls in the years plans can use."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def _check_year(value: str, year: int) -> None:
    """Raise unless the year is one a plan can use."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(
            "date-impossible",
            f"'{value}' is not a date a plan can use: its year must be between {FIRST_YEAR} "
            f"and {LAST_YEAR}. Check the year.",
        )


def _check_month(value: str, month: int) -> None:
    """Raise unless month is 1 to 12."""
    if not 1 <= month <= 12:
        raise DateError(
            "date-impossible", f"'{value}' is not a real date: there is no month {month}."
        )


def _fy_start(value: str, first: str, second: str) -> int:
    """The calendar year a financial year starts in, checking '2019/20' is consecutive."""
    year = int(first)
    _check_year(value, year)
    if int(second) != (year + 1) % 100:
        raise DateError(
            "date-impossible",
            f"'{value}' is not a financial year: after {year} comes {year}/{(year + 1) % 100:02d}.",
        )
    return year


def _month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _fy_label(day: date) -> str:
    """The financial year containing day, as '2019/20'."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _span_words(first: date, last: date) -> str:
    """Months from first to last: 'October to December 2013'."""
    if first.year == last.year:
        return f"{MONTHS[first.month]} to {MONTHS[last.month]} {last.year}"
    return f"{MONTHS[first.month]} {first.year} to {MONTHS[last.month]} {last.year}"


def _range_words(text: str) -> str:
    """A range in words, dropping a repeated year: 'February to May 2020'."""
    start, _, end = text.partition(" to ")
    first, last = parse_single(start.strip()), parse_single(end.strip())
    if first.precision == last.precision == "month" and first.first.year == last.first.year:
        return _span_words(first.first, last.last)
    if first.precision == last.precision == "day" and first.first.year == last.first.year:
        return f"{first.first.day} {MONTHS[first.first.month]} to {last.words()}"
    return f"{first.words()} to {last.words()}"
