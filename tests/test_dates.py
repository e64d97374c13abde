"""Plan dates: every precision, real-date checks and GOV.UK wording."""

from __future__ import annotations

from datetime import date

import pytest

from planreport.plan.dates import DateError, parse


@pytest.mark.parametrize(
    ("text", "first", "last", "words"),
    [
        ("2013-09-18", date(2013, 9, 18), date(2013, 9, 18), "18 September 2013"),
        ("2013-09", date(2013, 9, 1), date(2013, 9, 30), "September 2013"),
        (
            "2013/14 Q3",
            date(2013, 10, 1),
            date(2013, 12, 31),
            "Q3 2013/14 (October to December 2013)",
        ),
        ("2013/14 Q4", date(2014, 1, 1), date(2014, 3, 31), "Q4 2013/14 (January to March 2014)"),
        ("2019/20", date(2019, 4, 1), date(2020, 3, 31), "2019/20"),
        ("1999/00", date(1999, 4, 1), date(2000, 3, 31), "1999/00"),
        ("2020", date(2020, 1, 1), date(2020, 12, 31), "2020"),
        ("2020-02 to 2020-05", date(2020, 2, 1), date(2020, 5, 31), "February to May 2020"),
        (
            "2019-12 to 2020-01",
            date(2019, 12, 1),
            date(2020, 1, 31),
            "December 2019 to January 2020",
        ),
        (
            "2020-02-03 to 2020-02-10",
            date(2020, 2, 3),
            date(2020, 2, 10),
            "3 February to 10 February 2020",
        ),
        ("2024-02-29", date(2024, 2, 29), date(2024, 2, 29), "29 February 2024"),
    ],
)
def test_dates_parse_to_spans_and_words(text: str, first: date, last: date, words: str) -> None:
    found = parse(text)
    assert (found.first, found.last, found.words()) == (first, last, words)


@pytest.mark.parametrize(
    ("text", "rule", "message"),
    [
        (
            "2013-02-30",
            "date-impossible",
            "'2013-02-30' is not a real date: February 2013 has 28 days.",
        ),
        ("2013-13", "date-impossible", "'2013-13' is not a real date: there is no month 13."),
        (
            "2019/21",
            "date-impossible",
            "'2019/21' is not a financial year: after 2019 comes 2019/20.",
        ),
        (
            "2019/20 Q5",
            "date-impossible",
            "'2019/20 Q5' names quarter 5; financial quarters are Q1 "
            "(April to June) to Q4 (January to March).",
        ),
        (
            "2020-05 to 2020-02",
            "date-range-reversed",
            "the range '2020-05 to 2020-02' ends before it starts; write the earlier date first.",
        ),
        ("18/09/2013", "date-format", None),
        ("Sept 2013", "date-format", None),
        (
            "ongoing",
            "date-format",
            "'ongoing' can only be a due date (due: ongoing, with a review date). Write a date here: 2013-09-18 (a day), 2013-09 (a month), 2013/14 Q3 (a financial quarter), 2013/14 (a financial year), 2013 (a calendar year), or a range such as 2020-02 to 2020-05.",
        ),
    ],
)
def test_bad_dates_say_what_is_wrong(text: str, rule: str, message: str | None) -> None:
    with pytest.raises(DateError) as caught:
        parse(text)
    assert caught.value.rule == rule
    if message:
        assert caught.value.message == message
    else:
        assert caught.value.message.startswith(f"'{text}' is not a date planreport can read.")
