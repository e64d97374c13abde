"""The cover report: read and checked with its template, then composed into the paper model.

`check` finds its text beside the paper definition, its template, its header fields,
contact officer and publication status, and every section and placeholder of its text
(`cover_text`); `compose` turns it into the model's `Cover`, its facts and generated
blocks made from the plans as the appendix makes them (`cover_facts`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planreport.files import FileRefused
from planreport.paper import cover_facts, cover_text, definitions, layouts, report_templates
from planreport.paper.context import Context
from planreport.paper.definitions import CoverSpec, PaperSpec
from planreport.paper.model import NOT_FOR_PUBLICATION, Block, Cover, Heading, Text
from planreport.paper.report_templates import RECOMMENDATIONS, ReportTemplate
from planreport.plan import dates
from planreport.plan.model import Plan
from planreport.plan.richtext import Para, Rich, Run, parse, plain, prefixed
from planreport.problems import Location, Problems, nearest, register
from planreport.project import Project, display

for _rule, _what in {
    "unknown-report-template": "a paper naming a report template that does not exist",
    "missing-header-field": "a header field the report template requires, not given",
    "unknown-header-field": "a cover header field the report template does not have",
    "contact-incomplete": "a contact officer with no name, or no telephone or email",
    "exempt-paragraph": "an exempt report with no Schedule 12A paragraph (or one not exempt)",
    "cover-over-page-limit": "a cover report longer than its template's page limit",
    "cover-text-unused": "a cover report's text beside a paper with no cover: key",
}.items():
    register(_rule, _what)

SCHEDULE_12A = "Schedule 12A to the Local Government Act 1972"
BLOCK_LINE = re.compile(r"^\s*\{([A-Za-z_][A-Za-z0-9_]*)\}\s*$")
DEFAULT_APPENDIX = "Appendix 1"


@dataclass
class CoverSource:
    """A checked cover report: its settings, template and sections as written."""

    spec: CoverSpec
    template: ReportTemplate
    parts: list[cover_text.Part]


def check(
    project: Project, spec: PaperSpec, plans: list[Plan], problems: Problems
) -> CoverSource | None:
    """The paper's cover report checked; None if it has none or cannot be composed."""
    cover = spec.cover
    if cover is None:
        _unused(spec, problems)
        return None
    before = len(problems)
    where = cover.template_location or cover.location
    loaded = report_templates.find(project, cover.template, where, problems)
    template = loaded.value if loaded else None
    problems += loaded.problems if loaded else []
    parts = _read(project, cover, problems)
    if template is not None:
        _header(spec, template, problems)
    _contact(cover, problems)
    _exempt(cover, problems)
    if template is None or parts is None or not plans:
        return None
    others = [definitions.load(project, p).value for p in project.paper_files()]
    definitions.with_previous(spec, [o for o in others if o is not None])  # as build does
    path = display(cover.text)
    cover_text.check(parts, template, cover_facts.placeholders(plans), path, problems)
    _no_value(parts, cover_facts.unsupported(spec), path, problems)
    errors = [p for p in problems[before:] if p.severity.value == "error"]
    return None if errors else CoverSource(cover, template, parts)


def _unused(spec: PaperSpec, problems: Problems) -> None:
    """Warn of a cover report's text beside a paper that has no cover: it would not be built."""
    text = spec.path.with_name(spec.path.stem + definitions.COVER_SUFFIX)
    if text.is_file():
        problems.warning(
            spec.location,
            "cover-text-unused",
            f"{text.name} is not built: this paper has no 'cover:' key. Add 'cover:' with the "
            "report's header fields (see docs/cover-report.md), or delete the file.",
        )


def _read(project: Project, cover: CoverSpec, problems: Problems) -> list[cover_text.Part] | None:
    """The cover report's sections as written; None after reporting why they cannot be read."""
    shown = display(cover.text)
    if not cover.text.exists() and not cover.text.is_symlink():
        problems.error(
            cover.location,
            "missing-cover-text",
            f"this paper has a cover report, so its text goes in {cover.text.name} beside this "
            "file: create it, with a '## ' heading for each section of the report template "
            "(see docs/cover-report.md).",
        )
        return None
    try:
        raw = project.read_bytes(cover.text)
    except FileRefused as exc:
        problems.error(Location(shown), exc.rule, exc.message)
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.error(
            Location(shown), "not-utf8", "this file is not saved as UTF-8. Save it as UTF-8."
        )
        return None
    return cover_text.read(text.lstrip("\ufeff"), shown, problems)


def _header(spec: PaperSpec, template: ReportTemplate, problems: Problems) -> None:
    """Every required header field given, and no field the template lacks."""
    cover = spec.cover
    assert cover is not None
    fields = [h.field for h in template.header]
    for name, where in cover.header_locations.items():
        if name not in fields and name not in ("title", "committee", "meeting"):
            problems.error(
                where,
                "unknown-header-field",
                f"'{name}' is not a header field of report template '{template.name}'."
                f"{nearest(name, fields)} Its fields: {', '.join(fields)}.",
            )
    given = {
        "committee": spec.committee or cover.header.get("committee"),
        "meeting": spec.meeting or cover.header.get("meeting"),
        "title": True,
        "publication": True,
        "contact": cover.contact,
    }
    for item in template.header:
        value = given[item.field] if item.field in given else cover.header.get(item.field)
        if item.required and not value:
            where = (
                "to the paper definition (or under cover: header: if it has none)"
                if item.field in ("committee", "meeting")
                else "under cover: header: (write 'Not applicable' if it is)"
            )
            problems.error(
                cover.location,
                "missing-header-field",
                f"report template '{template.name}' asks for '{item.label}': add "
                f"'{item.field}:' {where}.",
            )


def _contact(cover: CoverSpec, problems: Problems) -> None:
    """A contact officer with a name, and a telephone number or email address."""
    contact = cover.contact
    if not contact:
        return  # a template that asks for one reports it missing
    if not contact.get("name") or not (contact.get("phone") or contact.get("email")):
        lacking = "name" if not contact.get("name") else "telephone number or email address"
        problems.error(
            cover.location,
            "contact-incomplete",
            f"the contact officer has no {lacking}. Give their name, and a phone or email "
            "under cover: contact:, so that members and the public can reach them.",
        )


def _exempt(cover: CoverSpec, problems: Problems) -> None:
    """An exempt report names its Schedule 12A paragraph; a paragraph only when exempt."""
    if cover.exempt and cover.exempt_paragraph is None:
        problems.error(
            cover.location,
            "exempt-paragraph",
            f"an exempt report names the paragraph of {SCHEDULE_12A} that applies: add "
            "'exempt_paragraph:' (1 to 7) under cover:, or remove 'exempt: true'.",
        )
    elif not cover.exempt and cover.exempt_paragraph is not None:
        problems.error(
            cover.location,
            "exempt-paragraph",
            "'exempt_paragraph:' is given but the report is not marked 'exempt: true'. "
            "Add it if the report is not for publication, or remove the paragraph.",
        )


def _no_value(
    parts: list[cover_text.Part], missing: dict[str, str], path: str, problems: Problems
) -> None:
    """Each fact used that this paper cannot support, located, with what to add."""
    for part in parts:
        for sub in (part, *part.subsections):
            for number, line in sub.lines:
                for match in layouts.TOKEN.finditer(line):
                    name = match.group(1)
                    if name in missing:
                        problems.error(
                            Location(path, number, match.start() + 1),
                            "placeholder-no-value",
                            f"'{{{name}}}' has no value in this paper: add "
                            f"{missing[name]} to the paper definition, or reword.",
                        )


# --- composing -----------------------------------------------------------------------


def compose(source: CoverSource, contexts: list[Context], appendix_title: str) -> Cover:
    """The cover report in the paper model, from the contexts the appendix is composed in."""
    cover, spec = source.spec, contexts[0].spec
    title = cover.header.get("title") or spec.title or appendix_title
    appendix = f"{spec.appendix or DEFAULT_APPENDIX} – {appendix_title}"
    facts = cover_facts.gather(contexts, title, appendix)
    blocks: list[Block] = []
    for part, section in _matched(source):
        blocks.append(Heading(2, section.heading))
        blocks += _body(part.lines, facts, section.kind == RECOMMENDATIONS, 3)
        for sub in part.subsections:
            blocks.append(Heading(3, sub.heading))
            blocks += _body(sub.lines, facts, False, 4)
    return Cover(
        title=title,
        header=_header_rows(spec, source.template, title),
        blocks=blocks,
        appendix=appendix,
        council=", ".join(dict.fromkeys(o for c in contexts for o in c.plan.organisations)) or None,
        source=display(cover.text),
        separate=cover.separate,
        page_limit=source.template.page_limit,
    )


def placed(source: CoverSource) -> dict[str, str]:
    """Each progress block the cover report prints, with the heading it is printed under."""
    found: dict[str, str] = {}
    for part in source.parts:
        for sub in (part, *part.subsections):
            for _, line in sub.lines:
                alone = BLOCK_LINE.match(line)
                if alone and alone.group(1) in cover_facts.KINDS:
                    found.setdefault(cover_facts.KINDS[alone.group(1)], sub.heading)
    return found


def marking(cover: CoverSpec) -> str | None:
    """'Not for publication: exempt under paragraph 3 of Schedule 12A …', or None."""
    if not cover.exempt:
        return None
    return (
        f"{NOT_FOR_PUBLICATION}: exempt information under paragraph {cover.exempt_paragraph} "
        f"of {SCHEDULE_12A}"
    )


def _matched(source: CoverSource) -> list[tuple[cover_text.Part, report_templates.Section]]:
    """Each written section with its template section (a checked text has only known ones)."""
    by_key = {cover_text.key(s.heading): s for s in source.template.sections}
    return [(p, by_key[cover_text.key(p.heading)]) for p in source.parts]


def _header_rows(spec: PaperSpec, template: ReportTemplate, title: str) -> list[tuple[str, Rich]]:
    """The header table's rows: each field the template names that has a value."""
    cover = spec.cover
    assert cover is not None
    values = {
        "committee": spec.committee or cover.header.get("committee", ""),
        "meeting": dates.day_words(spec.meeting)
        if spec.meeting
        else cover.header.get("meeting", ""),
        "title": title,
        "publication": "No. " + (marking(cover) or "") if cover.exempt else "Yes",
    }
    rows = []
    for item in template.header:
        if item.field == "contact":
            text = _contact_text(cover.contact)
        else:
            text = plain(
                values[item.field] if item.field in values else cover.header.get(item.field, "")
            )
        if text.blocks:
            rows.append((item.label, text))
    return rows


def _contact_text(contact: dict[str, str]) -> Rich:
    """The contact officer: name and role, then telephone and email on lines of their own."""
    lines = [", ".join(contact[k] for k in ("name", "role") if contact.get(k))]
    if contact.get("phone"):
        lines.append(f"Telephone: {contact['phone']}")
    if contact.get("email"):
        lines.append(f"Email: {contact['email']}")
    return Rich(tuple(Para((Run(line),)) for line in lines if line))


def _body(
    lines: list[tuple[int, str]], facts: cover_facts.Facts, numbered: bool, level: int
) -> list[Block]:
    """A section's text as blocks: Markdown with facts filled, generated blocks in place.

    A generated block's heading is at level, under the section's (or subsection's) own.
    """
    out: list[Block] = []
    chunk: list[str] = []

    def flush() -> None:
        text = layouts.fill("\n".join(chunk), facts.values).strip()
        chunk.clear()
        if text:
            out.extend(_numbered(text) if numbered else [Text(parse(text, breaks=False))])

    for _, line in lines:
        alone = BLOCK_LINE.match(line)
        if alone and alone.group(1) in facts.blocks:
            flush()
            _introducing(out)
            made = facts.blocks[alone.group(1)]()
            out += [Heading(level, b.text) if isinstance(b, Heading) else b for b in made]
        else:
            chunk.append(line)
    flush()
    return out


def _introducing(out: list[Block]) -> None:
    """The paragraph right before a generated block introduces it: kept on its page.

    Split from the paragraphs before it, so that only it moves with the block's first rows.
    """
    last = out[-1] if out else None
    if not isinstance(last, Text) or last.style != "body" or not last.rich.blocks:
        return
    *before, final = last.rich.blocks
    out[-1:] = [*([Text(Rich(tuple(before)))] if before else []), Text(Rich((final,)), "intro")]


def _numbered(text: str) -> list[Block]:
    """Recommendations: each numbered paragraph kept with its number as written."""
    out: list[Block] = []
    for _, para in cover_text.paragraphs(list(enumerate(text.split("\n")))):
        number = cover_text.NUMBERED.match(para)
        if number:
            label = number.group(1)
            rest = para[len(label) :].strip()
            label = label if label[-1] in ".)" else label + "."
            out.append(Text(prefixed(f"{label} ", parse(rest, breaks=False)), "numbered"))
        else:
            out.append(Text(parse(para, breaks=False)))
    return out
