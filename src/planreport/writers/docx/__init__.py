"""The Word writer: a paper as a .docx document, in the styles of a reference document.

package.py opens the reference document and sets the page, fonts and metadata through
python-docx; body.py writes the whole body (paragraphs, runs, links, bookmarks, tables
with repeated headers, merged and shaded cells, charts as pictures) as WordprocessingML
text through an escaping element builder (markup.py), put into the saved package at
once: python-docx has no API for much of it, and adds elements one at a time. rows.py
estimates table rows' heights from the styles styles.py resolves. python-docx is loaded
only when a paper is first written.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from planreport.paper.model import Paper
from planreport.writers import Format, RenderContext
from planreport.writers.docx import package
from planreport.writers.docx.body import Blocks
from planreport.writers.docx.cover import A4_TWIPS, write_cover
from planreport.writers.docx.pages import Page


def write_docx(paper: Paper, reference: Path, moment: datetime, dirs: tuple[Path, ...]) -> bytes:
    """The paper as .docx bytes; the same inputs always give the same bytes."""
    document = package.open_reference(reference, dirs)
    font = paper.word_font
    cover_header = package.prepare(document, paper, moment, font)
    writer = Blocks(document, paper)
    if paper.cover:
        write_cover(writer, paper.cover, cover_header)
    for block in paper.blocks:
        writer.block(block)
    writer.end()
    first = None
    if paper.cover and paper.blocks:  # the cover's portrait pages, then the appendix's
        section = document.sections[0]
        width, height = (twips * 635 for twips in A4_TWIPS)
        first = Page(
            (width - section.left_margin - section.right_margin) / 12700,
            (height - section.top_margin - section.bottom_margin) / 12700,
        )
    body = writer.body(first)
    if writer.crossrefs:
        package.update_fields_on_opening(document)
    return package.save(document, body, font)


FORMAT = Format(
    name="docx",
    suffix=".docx",
    description="a Word document, for officers to edit",
    default=True,
    order=2,
)


class DocxWriter:
    """A Word document in the styles of the project's reference document."""

    name = FORMAT.name
    suffix = FORMAT.suffix
    description = FORMAT.description

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper as .docx bytes, styled by the context's reference document."""
        return write_docx(paper, context.reference, context.moment, context.templates)


WRITER = DocxWriter()
