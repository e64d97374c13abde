"""The cover report's text (plans/papers/<paper>.cover.md): its sections, read and checked.

The officer writes Markdown: a `## ` heading for each section of the report template,
`### ` for its subsections (the implications), and under each its text, or "None" /
"Not applicable". Every problem is located at the line and column where it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planreport.paper import layouts
from planreport.paper.report_templates import (
    BACKGROUND_PAPERS,
    RECOMMENDATIONS,
    ReportTemplate,
    Section,
)
from planreport.problems import Location, Problems, nearest, register

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
NUMBERED = re.compile(r"^(\d{1,3}(?:\.\d{1,3})*[.)]?)[ \t]+\S")
LISTED = re.compile(r"^(?:[-*+]|\d{1,3}[.)])[ \t]+\S")
NOTHING = re.compile(r"^(?:none|not applicable|n/?a|none arising)\b", re.I)
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

for _rule, _what in {
    "missing-cover-text": "a paper with a cover report whose text file is missing",
    "text-outside-section": "cover report text before its first section heading",
    "unknown-section": "a cover report heading that is not a section of its template",
    "section-order": "a cover report section out of the template's order",
    "missing-section": "a required cover report section left out",
    "empty-section": "a cover report section with no text (not even 'None')",
    "recommendations-not-numbered": "recommendations to the committee that are not numbered",
    "background-papers-not-listed": "background papers neither listed nor 'None'",
    "placeholder-not-alone": "a generated block's placeholder inside a sentence",
    "placeholder-no-value": "a fact placeholder this paper has no value for",
}.items():
    register(_rule, _what)


@dataclass
class Part:
    """A section (## heading) or subsection (### heading) as written, with its lines."""

    heading: str
    where: Location
    lines: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)
    subsections: list[Part] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Whether it has no words, in itself or in any subsection."""
        return not any(t.strip() for _, t in self.lines) and all(s.empty for s in self.subsections)


def read(text: str, path: str, problems: Problems) -> list[Part]:
    """The sections of the text, reporting text outside them and unreadable characters."""
    parts: list[Part] = []
    current: Part | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        bad = BAD_CHARS.search(line)
        if bad:
            problems.error(
                Location(path, number, bad.start() + 1),
                "bad-character",
                f"this line holds the control character U+{ord(bad.group()):04X}, which Word and "
                "PDF cannot show. Delete it.",
            )
            line = BAD_CHARS.sub("", line)
        heading = HEADING.match(line)
        if heading and len(heading.group(1)) not in (2, 3):
            problems.error(
                Location(path, number, 1),
                "unknown-section",
                f"'{line.strip()}' is not a heading a cover report uses: write '## ' for a "
                "section of the report template and '### ' for a subsection (the title is "
                "the paper's, or cover: header: title:).",
            )
        elif heading and len(heading.group(1)) == 2:
            current = Part(heading.group(2), Location(path, number, 1))
            parts.append(current)
        elif heading and len(heading.group(1)) == 3 and current is not None:
            current.subsections.append(Part(heading.group(2), Location(path, number, 1)))
        elif current is None:
            if line.strip():
                problems.error(
                    Location(path, number, 1),
                    "text-outside-section",
                    "this text comes before the first section: start the report with a "
                    "'## ' heading, e.g. '## Purpose of the report'.",
                )
        else:
            (current.subsections[-1] if current.subsections else current).lines.append(
                (number, line)
            )
    return parts


def check(
    parts: list[Part],
    template: ReportTemplate,
    names: dict[str, bool],
    path: str,
    problems: Problems,
) -> None:
    """Report every way the text breaks its template (names: each placeholder, is it a block)."""
    top = Location(path, 1, 1)
    matched = _sections(parts, template.sections, template.name, top, "##", problems)
    for part, section in matched:
        subs = _sections(
            part.subsections, section.subsections, template.name, part.where, "###", problems
        )
        if part.empty:
            problems.error(
                part.where,
                "empty-section",
                f"the section '{section.heading}' has no text. Write it, or write 'None' or "
                "'Not applicable'.",
            )
        for sub, subsection in subs:
            if sub.empty:
                problems.error(
                    sub.where,
                    "empty-section",
                    f"'{subsection.heading}' has no text. Write it, or write 'None' or "
                    "'Not applicable'.",
                )
        if section.kind == RECOMMENDATIONS and not part.empty:
            _numbered(part, problems)
        if section.kind == BACKGROUND_PAPERS and not part.empty:
            _listed(part, problems)
    for part in _all(parts):
        for number, line in part.lines:
            _placeholders(line, Location(path, number, 1), names, problems)


def _all(parts: list[Part]) -> list[Part]:
    """Every section and subsection."""
    return [p for part in parts for p in (part, *part.subsections)]


def key(heading: str) -> str:
    """A heading as compared: case and spacing ignored."""
    return " ".join(heading.split()).casefold()


def _sections(
    parts: list[Part],
    wanted: tuple[Section, ...],
    template: str,
    start: Location,
    mark: str,
    problems: Problems,
) -> list[tuple[Part, Section]]:
    """Each written part matched to its section; unknown, repeated, out of order, missing."""
    by_key = {key(s.heading): (i, s) for i, s in enumerate(wanted)}
    headings = [s.heading for s in wanted]
    found: list[tuple[Part, Section]] = []
    seen: dict[int, Part] = {}
    last = -1
    for part in parts:
        hit = by_key.get(key(part.heading))
        if hit is None:
            what = f"headings here: {', '.join(headings)}" if headings else "no headings here"
            problems.error(
                part.where,
                "unknown-section",
                f"'{part.heading}' is not a heading of report template '{template}'."
                f"{_suggest(part.heading, headings)} It has {what}.",
            )
            continue
        index, section = hit
        if index in seen:
            problems.error(
                part.where,
                "duplicate-section",
                f"'{section.heading}' is written twice (line {seen[index].where.line} and here). "
                "Put its text under one heading.",
            )
            continue
        if index < last:
            problems.error(
                part.where,
                "section-order",
                f"'{section.heading}' should come before '{wanted[last].heading}', as in report "
                f"template '{template}'. Move this section up.",
            )
        seen[index] = part
        last = max(last, index)
        found.append((part, section))
    for index, section in enumerate(wanted):
        if section.required and index not in seen:
            after = next((seen[i] for i in range(index + 1, len(wanted)) if i in seen), None)
            place = f"before '{after.heading}'" if after else "at the end"
            problems.error(
                after.where if after else start,
                "missing-section",
                f"the required section '{section.heading}' is missing. Add '{mark} "
                f"{section.heading}' {place}, with its text or 'None' / 'Not applicable'.",
            )
    return found


def _suggest(heading: str, headings: list[str]) -> str:
    """' Did you mean …?': the heading that starts with what was written, else the closest."""
    start = next((h for h in headings if key(h).startswith(key(heading))), None)
    return f" Did you mean '{start}'?" if start else nearest(heading, headings)


def paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The text's paragraphs, each with its first line; a numbered or listed line starts one."""
    found: list[tuple[int, list[str]]] = []
    for number, line in lines:
        if not line.strip():
            found.append((number, []))
        elif (
            not found
            or not found[-1][1]
            or LISTED.match(line.strip())
            or NUMBERED.match(line.strip())
        ):
            found.append((number, [line.strip()]))
        else:
            found[-1][1].append(line.strip())
    return [(n, " ".join(words)) for n, words in found if words]


def _numbered(part: Part, problems: Problems) -> None:
    """Recommendations: each paragraph numbered, after an optional introduction ending in ':'."""
    found = paragraphs(part.lines)
    if found and found[0][1].endswith(":") and not NUMBERED.match(found[0][1]):
        found = found[1:]
    for number, text in found:
        if not NUMBERED.match(text):
            problems.error(
                Location(part.where.path, number, 1),
                "recommendations-not-numbered",
                "each recommendation to the committee is numbered: start this one with its "
                "number, e.g. '1. Note the progress made'. An introduction such as 'That the "
                "committee:' may come first.",
            )
            return


def _listed(part: Part, problems: Problems) -> None:
    """Background papers: 'None', or one listed item each."""
    found = paragraphs(part.lines)
    if len(found) == 1 and NOTHING.match(found[0][1]):
        return
    if found and found[0][1].endswith(":") and not LISTED.match(found[0][1]):
        found = found[1:]
    for number, text in found:
        if not LISTED.match(text):
            problems.error(
                Location(part.where.path, number, 1),
                "background-papers-not-listed",
                "list each background paper on a line of its own starting '- ' (its title, "
                "date and where it can be inspected), or write 'None'.",
            )
            return


def _placeholders(line: str, where: Location, names: dict[str, bool], problems: Problems) -> None:
    """Each {placeholder} on the line known, a block's alone on its line."""
    shown = sorted(f"{{{n}}}" for n in names)
    for match in layouts.TOKEN.finditer(line):
        token, name = match.group(), match.group(1)
        if token in ("{{", "}}") or name is None:
            continue
        place = Location(where.path, where.line, match.start() + 1)
        if name not in names:
            problems.error(
                place,
                "unknown-placeholder",
                f"'{token}' is not a placeholder planreport fills.{nearest(token, shown)} "
                "See docs/cover-report.md for the placeholders; write {{ and }} for a brace.",
            )
        elif names[name] and line.strip() != token:
            problems.error(
                place,
                "placeholder-not-alone",
                f"'{token}' is a table or list: put it on a line of its own.",
            )
