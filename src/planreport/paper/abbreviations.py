"""Abbreviations a paper prints that nothing in it explains.

A committee member meets "CMT", "HoS" or "DSCB" in a paper and cannot ask what they
mean. An abbreviation is explained when a plan's glossary defines it, when the paper
spells it out before it in brackets, the words' initials its letters ("Common Assessment
Framework (CAF)", "permitted admission levels (PAL)"), or when it is
a person's initials that the paper's leads key lists (`unnamed-initials` covers leads
it names nowhere) or a status's name (the status key explains those).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from planreport.paper.model import Chart, Heading, Notes, Paper, Table, Text
from planreport.plan.model import Plan

# A word of letters (an apostrophe or ampersand inside) with two or more capitals.
_WORD = re.compile(r"(?<![\w&'])([A-Za-z][A-Za-z&]*[A-Za-z]|[A-Z]{2})(?![\w&])")
_ROMAN = re.compile(r"^[IVXLC]+$")
_NAME = re.compile(r"^(Ma?c|O)[A-Z][a-z]+$")  # McLeary, MacKenzie: names, not abbreviations
# Words written in capitals for emphasis in plans ("COMPLETED", "NOT STARTED").
_SHOUTED = frozenset(
    (
        "A",
        "I",
        "AND",
        "ARE",
        "ALL",
        "ALSO",
        "ANY",
        "BUT",
        "BY",
        "DATE",
        "DONE",
        "FOR",
        "FROM",
        "HAS",
        "HIGH",
        "IN",
        "IS",
        "IT",
        "KEY",
        "LOW",
        "NEW",
        "NO",
        "NOT",
        "NOW",
        "OF",
        "ON",
        "ONE",
        "OR",
        "OUT",
        "SEE",
        "THE",
        "THIS",
        "TO",
        "TWO",
        "WAS",
        "WILL",
        "WITH",
        "YES",
        "RAG",
        "BRAG",
    )
)
_BRACKETED = re.compile(r"\(([A-Za-z&]{2,8})\)")
_LINKING = frozenset(("of", "and", "for", "the", "in", "on", "to", "&", "a", "an"))
MOST_LISTED = 12
LONGEST_CAPITALS = 6  # a word in capitals this long, beside another, is shouted


def abbreviation(word: str) -> bool:
    """Whether a word reads as an abbreviation: short, and half or more of it capitals."""
    letters = [c for c in word if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return (
        2 <= len(letters) <= 8
        and capitals >= 2
        and capitals * 2 >= len(letters)
        and word.upper() not in _SHOUTED
        and not _ROMAN.match(word)
        and not _NAME.match(word)
    )


def paper_texts(paper: Paper) -> Iterator[str]:
    """Every text the paper prints, in order (title block, then each block)."""
    yield from (t for t in (paper.title, paper.subtitle, *paper.lines) if t)
    if paper.cover is not None:
        yield paper.cover.title
        yield from (rich.plain() for _, rich in paper.cover.header)
    for block in [*(paper.cover.blocks if paper.cover else []), *paper.blocks]:
        if isinstance(block, Heading):
            yield block.text
        elif isinstance(block, Text):
            yield block.rich.plain()
        elif isinstance(block, Table):
            yield from (c.heading for c in block.columns)
            yield from (cell.content.plain() for row in block.rows for cell in row.cells)
        elif isinstance(block, Notes):
            yield from (rich.plain() for _, rich in block.notes)
        elif isinstance(block, Chart):
            yield from (bar.label for bar in block.bars)


def unexplained(paper: Paper, plans: Iterable[Plan], keyed: Iterable[str]) -> list[str]:
    """The abbreviations the paper prints that nothing explains, in order of first use.

    keyed: the initials the paper's leads key explains (a person's initials in
    people.yaml explain nothing in a paper that prints no key to them).
    """
    plans = list(plans)
    known = {g.term.strip() for p in plans for g in p.glossary}
    known |= set(keyed)
    known |= {lv.label for p in plans for lv in p.status_scheme.levels}
    upper = {k.upper() for k in known}  # in any case: HOS is HoS, CAMHs is CAMHS
    found: dict[str, str] = {}  # each word as first written, by its singular
    for text in paper_texts(paper):
        upper |= {abbr.upper() for abbr in _initialled(text)}
        for word in _abbreviations(text):
            single = word[:-1] if word.endswith("s") and abbreviation(word[:-1]) else word
            if word.upper() not in upper and single.upper() not in upper:
                found.setdefault(single, word)
    return list(found.values())


def _initialled(text: str) -> Iterator[str]:
    """Abbreviations in brackets after the words whose initials they are, in any case.

    "permitted admission levels (PAL)" and "Social worker (SW)" explain PAL and SW.
    """
    for match in _BRACKETED.finditer(text):
        abbr = match.group(1)
        letters = [c for c in abbr if c.isupper()]
        before = re.findall(r"[\w'-]+|&", text[: match.start()])[-3 * len(letters) :]
        words = [w for w in before if w.lower() not in _LINKING]
        if len(letters) >= 2 and [w[0].upper() for w in words[-len(letters) :]] == letters:
            yield abbr


def _abbreviations(text: str) -> Iterator[str]:
    """The words of text that read as abbreviations, leaving out phrases set in capitals.

    "LOOKED AFTER CHILDREN SERVICES" is a heading in capitals, not four abbreviations:
    a run of words in capitals is one when any of them is six letters or longer.
    """
    words = _WORD.findall(text)
    run: list[str] = []
    for word in [*words, ""]:
        if word.isupper() and len(word) > 1:
            run.append(word)
            continue
        shouted = len(run) > 1 and any(len(w) >= LONGEST_CAPITALS for w in run)
        yield from (w for w in run if not shouted and abbreviation(w))
        run = []
        if word and abbreviation(word):
            yield word


def listed(words: list[str]) -> str:
    """'CMT, DCS and HoS'; past MOST_LISTED, the rest counted."""
    shown = words[:MOST_LISTED]
    more = len(words) - len(shown)
    if more:
        return f"{', '.join(shown)} and {more} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
