"""Compose a paper: plans, a paper definition and a layout make one paper model.

The blocks are built by `blocks` (one builder per block type) from cells made by
`columns`; the layout arrives typed and checked (`layouts`), so composing cannot fail
on it.
"""

from __future__ import annotations

import dataclasses

from planreport.paper import cover, fit
from planreport.paper.blocks import BLOCKS
from planreport.paper.context import Context
from planreport.paper.cover import CoverSource
from planreport.paper.definitions import PaperSpec
from planreport.paper.layouts import Block as LayoutBlock
from planreport.paper.layouts import Layout, make_block
from planreport.paper.model import DEFAULT_FONT, WORD_FONT, Block, Heading, Paper
from planreport.paper.title import capitalised, title_lines
from planreport.paper.wording import phrases
from planreport.plan.model import Person, Plan

PROGRESS_BLOCKS = ("summary", "changes", "exceptions")
HEADER_PT = 10.0  # the running header's type size (paper.css, the Word reference's Header)
HEADER_MM = {True: 267.0, False: 180.0}  # its line on A4, landscape or not, inside margins
# The paper's own front matter, which the progress blocks follow.
FRONT_MATTER = ("title", "introduction", "status-key")


def compose(
    spec: PaperSpec,
    plans: list[Plan],
    people: dict[str, Person],
    layout: Layout,
    cover_source: CoverSource | None = None,
) -> Paper:
    """Build the paper model for a paper definition, with its checked cover report if it has one.

    With a cover report the plan is its appendix, labelled "Appendix 1" unless the paper
    gives its own label.
    """
    if cover_source and not spec.appendix:
        spec = dataclasses.replace(spec, appendix=cover.DEFAULT_APPENDIX)
    first = plans[0]
    title = spec.title or first.title or first.id
    subtitle = capitalised(spec.subtitle) or None
    blocks: list[Block] = []
    progress = False
    placed = with_progress(layout)
    listed = any(block.type == "exceptions" for block in placed)
    in_cover = cover.placed(cover_source) if cover_source else {}
    contexts = []
    for plan in plans:
        ctx = Context(plan, people, spec, layout, with_exceptions=listed)
        contexts.append(ctx)
        progress = progress or ctx.reports_progress
        if len(plans) > 1:
            blocks.append(Heading(1, plan.title or plan.id))
        for block in placed:
            if block.type not in in_cover:  # printed once, in the cover report
                blocks += BLOCKS[block.type](ctx, block)
    return Paper(
        id=spec.id,
        title=title,
        subtitle=subtitle,
        running_header=running_header(title, subtitle, layout.landscape),
        lines=title_lines(spec, phrases(layout.wording, spec.wording), progress),
        author=_author(spec, plans),
        language=spec.language,
        landscape=layout.landscape,
        blocks=blocks,
        keywords=[o for p in plans for o in p.organisations],
        font=layout.font or DEFAULT_FONT,
        word_font=layout.font or WORD_FONT,
        table_size=layout.table_type_size,
        cover=cover_source and cover.compose(cover_source, contexts, title),
        marking=cover.marking(cover_source.spec) if cover_source else None,
    )


def running_header(title: str, subtitle: str | None, landscape: bool) -> str:
    """The line at the top of every page: title and subtitle, on one line.

    Without the subtitle if both do not fit on a line, and the title cut at a word's end
    with an ellipsis if it alone does not (the title block gives it whole).
    """
    room = HEADER_MM[landscape]
    both = f"{title} – {subtitle}" if subtitle else title
    for line in (both, title):
        if fit.text_mm(line, size=HEADER_PT) <= room:
            return line
    words = title.split()
    while len(words) > 1 and fit.text_mm(" ".join(words) + "…", size=HEADER_PT) > room:
        words.pop()
    return " ".join(words).rstrip(",;:–-") + "…"


def with_progress(layout: Layout) -> list[LayoutBlock]:
    """The layout's blocks, with summary, changes and exceptions after its front matter.

    The front matter is the run of title, introduction and status key the layout starts
    with: a clerk reads the paper's own title, introduction and key first, then the
    progress, then the plan. Unless the layout places any progress block itself, or
    turns them off with progress: false.
    """
    blocks = list(layout.blocks)
    if not layout.progress or any(b.type in PROGRESS_BLOCKS for b in blocks):
        return blocks
    at = 0
    while at < len(blocks) and blocks[at].type in FRONT_MATTER:
        at += 1
    return blocks[:at] + [make_block(kind) for kind in PROGRESS_BLOCKS] + blocks[at:]


def _author(spec: PaperSpec, plans: list[Plan]) -> str | None:
    """Who the paper is from: its contact line, else the councils whose plans it holds."""
    parts = [spec.author.get(k) for k in ("name", "role", "email", "phone")]
    councils = dict.fromkeys(o for plan in plans for o in plan.organisations)
    return ", ".join(p for p in parts if p) or ", ".join(councils) or spec.committee
