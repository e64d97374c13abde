"""Plan text (a small Markdown subset) as a tree every output format can write.

markdown-it-py parses; raw HTML is off, so `<script>` stays text, and only http(s) and
mailto links become links. The result is plain data: paragraphs and bullet lists of runs.
A blank line starts a paragraph and every other line break is kept as a line break, so a
YAML `|` block prints its lines as written; `>` and plain YAML text are joined into one
line by YAML itself, before they get here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt

_SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)
_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
# One line with no character the enabled Markdown rules act on (emphasis, links, notes,
# autolinks, escapes, line breaks), no space at either end, and not a list item: the text
# is its own single run, as markdown-it would make it, without parsing.
_NO_MARKUP = re.compile(r"(?!\s)[^\n\r*_\[\]<>\\`]*(?<!\s)\Z")
_LIST_START = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?:\s|\Z)")


# Run, Para, Bullets and Rich are values: never change one in place (parses are cached and
# shared). They are not frozen only because a build makes hundreds of thousands, and a
# frozen dataclass takes about five times as long to make.
@dataclass(slots=True)
class Run:
    """A stretch of text with one style."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    note: str | None = None  # a note reference such as "1", shown as a superscript


@dataclass(slots=True)
class Para:
    """A paragraph of runs."""

    runs: tuple[Run, ...]

    def plain(self, notes: bool = True) -> str:
        """The paragraph's text without styling (and without note markers if notes is False)."""
        return "".join(r.text for r in self.runs if notes or not r.note)


@dataclass(slots=True)
class Bullets:
    """A bullet list; each item is a tuple of paragraphs."""

    items: tuple[tuple[Para, ...], ...]


Block = Para | Bullets


@dataclass(slots=True)
class Rich:
    """Rich text: a sequence of paragraphs and bullet lists."""

    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def plain(self, notes: bool = True) -> str:
        """All the text, paragraphs separated by new lines."""
        lines: list[str] = []
        for block in self.blocks:
            if isinstance(block, Para):
                lines.append(block.plain(notes))
            else:
                lines += ["• " + " ".join(p.plain(notes) for p in item) for item in block.items]
        return "\n".join(lines)

    def __bool__(self) -> bool:
        """True if there is any text."""
        return bool(self.blocks)


def prefixed(prefix: str, rich: Rich) -> Rich:
    """Rich text with prefix put before its first paragraph."""
    if not prefix:
        return rich
    if rich.blocks and isinstance(rich.blocks[0], Para):
        first = Para((Run(prefix), *rich.blocks[0].runs))
        return Rich((first, *rich.blocks[1:]))
    return Rich((Para((Run(prefix.rstrip(" –-")),)), *rich.blocks))


def without_notes(rich: Rich) -> Rich:
    """Rich text without its note markers (for text quoted where its notes are not)."""

    def para(old: Para) -> Para:
        """The paragraph without note runs."""
        return Para(tuple(r for r in old.runs if not r.note))

    return Rich(
        tuple(
            para(b) if isinstance(b, Para) else Bullets(tuple(tuple(map(para, i)) for i in b.items))
            for b in rich.blocks
        )
    )


def printed(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Runs as a paper prints them: each link's address in brackets after its text.

    A reader of paper cannot follow "The full report can be found here", so the PDF and
    Word print "… here (https://…)"; the web page keeps the link alone. Not when the text
    already is the address (give or take its scheme, "www." and a final "/"); a mailto
    link's address is printed without "mailto:".
    """
    if not any(run.link for run in runs):  # most text
        return runs
    out: list[Run] = []
    words: list[str] = []  # the text of the link being read
    for at, run in enumerate(runs):
        out.append(run)
        if not run.link or run.note:
            continue
        words.append(run.text)
        if at + 1 < len(runs) and runs[at + 1].link == run.link and not runs[at + 1].note:
            continue
        if _bare("".join(words)) != _bare(run.link):
            out.append(Run(f" ({_MAILTO.sub('', run.link)})"))
        words = []
    return tuple(out)


_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_SCHEME = re.compile(r"^(?:https?://|mailto:)?(?:www\.)?", re.IGNORECASE)


def _bare(address: str) -> str:
    """An address or link text without its scheme, "www.", a final "/" or spaces, in lower case."""
    return _SCHEME.sub("", address.strip()).rstrip("/").lower()


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark with raw HTML off and only the block rules plans use."""
    md = MarkdownIt("commonmark", {"html": False})
    md.disable(
        ["code", "fence", "blockquote", "hr", "heading", "lheading", "html_block", "table"],
        ignoreInvalid=True,
    )
    md.disable(["html_inline", "image", "backticks", "entity"], ignoreInvalid=True)
    return md


def plain(text: str) -> Rich:
    """Text shown as one paragraph exactly as given (no Markdown)."""
    return Rich((Para((Run(text),)),)) if text else Rich()


def parse(text: str | None, breaks: bool = True) -> Rich:
    """Parse plan text into rich text.

    breaks keeps each line break within a paragraph, as plan text needs (a YAML `|`
    block); without it a line break is a space, as in a Markdown file (a cover report),
    whose writer wraps lines where the editor does.
    """
    if not text:
        return Rich()
    plain_text = _NO_MARKUP.match(text) and not _LIST_START.match(text)
    if plain_text and (breaks or "\n" not in text):  # most plan text
        return Rich((Para((Run(text),)),))
    return _parse(text, breaks)


@lru_cache(maxsize=8192)
def _parse(text: str, breaks: bool = True) -> Rich:
    """Rich text from Markdown, by markdown-it."""
    tokens = _parser().parse(text)
    blocks: list[Block] = []
    stack: list[list] = []  # open lists: each a list of items (lists of Para)
    for token in tokens:
        if token.type == "bullet_list_open" or token.type == "ordered_list_open":
            stack.append([])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            items = stack.pop()
            bullets = Bullets(tuple(tuple(item) for item in items))
            if stack:
                stack[-1][-1].extend(_flatten(bullets))
            else:
                blocks.append(bullets)
        elif token.type == "list_item_open":
            stack[-1].append([])
        elif token.type == "inline":
            para = Para(tuple(_runs(token.children or [], breaks)))
            if stack:
                stack[-1][-1].append(para)
            else:
                blocks.append(para)
    return Rich(tuple(blocks))


def _flatten(bullets: Bullets) -> list[Para]:
    """A nested list as paragraphs prefixed with a dash (Word and PDF keep one level)."""
    return [Para((Run("– "), *item[0].runs)) for item in bullets.items if item]


def _runs(children: list, breaks: bool = True) -> list[Run]:
    """Runs from an inline token's children; a soft line break a space unless breaks."""
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            link = href if _SAFE_LINK.match(href) else None
        elif kind == "link_close":
            link = None
        elif kind in ("softbreak", "hardbreak"):  # a line break is kept, as YAML's | keeps it
            kept = breaks or kind == "hardbreak"
            runs.append(Run("\n" if kept else " ", bool(bold), bool(italic), link))
        elif kind in ("text", "code_inline"):
            runs += _with_notes(child.content, bool(bold), bool(italic), link)
    return _merge(runs)


def _with_notes(text: str, bold: bool, italic: bool, link: str | None) -> list[Run]:
    """Split [^1] note markers out of text as note runs."""
    runs = []
    last = 0
    for match in _NOTE.finditer(text):
        if match.start() > last:
            runs.append(Run(text[last : match.start()], bold, italic, link))
        runs.append(Run(match.group(1), note=match.group(1)))
        last = match.end()
    if last < len(text):
        runs.append(Run(text[last:], bold, italic, link))
    return runs


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs that share a style."""
    merged: list[Run] = []
    for run in runs:
        prev = merged[-1] if merged else None
        if (
            prev
            and not run.note
            and not prev.note
            and (prev.bold, prev.italic, prev.link)
            == (
                run.bold,
                run.italic,
                run.link,
            )
        ):
            merged[-1] = Run(prev.text + run.text, run.bold, run.italic, run.link)
        else:
            merged.append(run)
    return merged
