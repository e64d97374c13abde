"""The fixed phrases of a paper: each a template a layout or a paper may reword.

planreport's own words in a paper (the title block's lines, "Recommendation 1 - " before
a recommendation's text, "revised from", "Not rated") are templates with placeholders,
filled by `layouts.fill`. A layout's `wording:` rewords them for every paper that uses
it, a paper's `wording:` for that paper; the defaults here are today's wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Phrase:
    """One configurable phrase: its default wording, its placeholders and where it shows."""

    default: str | None  # None: worded from the plan (response_to)
    placeholders: tuple[str, ...]
    shows: str
    may_be_empty: bool = False  # '' drops it (a title-block line, a label); else text is lost


PHRASES: dict[str, Phrase] = {
    "recommendation_label": Phrase(
        "Recommendation {ref} - ",
        ("ref",),
        "before a numbered recommendation's text in a `recommendation` column",
        may_be_empty=True,
    ),
    "recommendation_group": Phrase(
        "Recommendation {ref}", ("ref",), "a group of actions addressing one recommendation"
    ),
    "recommendations_group": Phrase(
        "Recommendations {refs}",
        ("refs",),
        "a group of actions addressing several recommendations ({refs}: '1, 4, 13')",
    ),
    "recommendation_item": Phrase(
        "Recommendation {ref} – ",
        ("ref",),
        "before each recommendation listed under a group's heading",
    ),
    "other_actions": Phrase(
        "Other actions", (), "a group of actions with no theme or recommendation"
    ),
    "response_to": Phrase(
        None,
        ("name", "by", "date"),
        "the title block's line naming what the plan responds to; '' drops it",
        may_be_empty=True,
    ),
    "committee_meeting": Phrase(
        "{committee}, {date}", ("committee", "date"), "the title block's committee and meeting"
    ),
    "meeting": Phrase(
        "Meeting: {date}", ("date",), "the title block's meeting date, with no committee"
    ),
    "progress_as_at": Phrase(
        "Progress as at {date}",
        ("date",),
        "the title block's as-at line; '' drops it",
        may_be_empty=True,
    ),
    "revised_from": Phrase(
        "{new}, revised from {old}", ("new", "old"), "a revised date, with the one it replaced"
    ),
    "date_range": Phrase("{start} to {end}", ("start", "end"), "a `dates` column's range"),
    "update_label": Phrase(
        "{date}: ",
        ("date",),
        "before each update in `updates` and `text-and-updates` columns; '' for none",
        may_be_empty=True,
    ),
    "not_rated": Phrase("Not rated", (), "a `status-by-period` cell for a period with no rating"),
}


def phrases(*given: Mapping[str, str]) -> dict[str, str | None]:
    """Every phrase's wording: the defaults, then each mapping given over them in turn."""
    words: dict[str, str | None] = {key: phrase.default for key, phrase in PHRASES.items()}
    for mapping in given:
        words.update(mapping)
    return words
