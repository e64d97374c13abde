"""A small YAML writer for the plan format: block style, comments, text wrapped to read.

It writes only what plans hold (mappings, lists, strings and true) and chooses each
string's style: plain where that is safe, folded (`>-`) for long text, literal (`|-`)
for text with paragraphs or bullets (each on one line: a `|` block keeps its line
breaks), double-quoted otherwise. ruamel.yaml does this
too, but took 2 of the 3 seconds an import of 500 actions needed; this writes the same
file in a few hundredths of a second. Its output is always read back with planreport's
own loader and compared with what was meant before anything is written.
"""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

from planreport import escape

WIDTH = 92
_RESERVED = frozenset(["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"])
_PLAIN = re.compile(r"^[A-Za-z0-9(][^\n]*$")
_NUMBERISH = re.compile(r"^[0-9][0-9.,:/ _+-]*$|^\d{4}-\d\d?-\d\d?|^\d\S*$")
_PLAIN_DATE = re.compile(
    r"^\d{4}(?:-\d\d|/\d\d(?: Q[1-4])?)(?: to \d{4}(?:-\d\d(?:-\d\d)?|/\d\d(?: Q[1-4])?))?$"
)
_UNSAFE = re.compile(r": |\s#|:$|^[-?:,\[\]{}#&*!|>'\"%@`]|\s$|[\x7f-\x9f\u2028\u2029\ufeff]")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff]")


class Folded(str):
    """Text written folded (`>-`): one paragraph over several lines."""


class Literal(str):
    """Text written literally (`|-`): its paragraphs and bullets kept."""


class Quoted(str):
    """Text always written in double quotes (refs, days, colours)."""


class Map(dict):
    """A mapping, with comments before keys, comments after values and a flow style."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.flow = False
        self.before: dict[str, list[str]] = {}
        self.after: dict[str, str] = {}


class Seq(list):
    """A list, with comments before items and a flow style."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.flow = False
        self.before: dict[int, list[str]] = {}


def text(value: str, column: int, key: str = "text") -> str:
    """Text in the style that reads best where its lines start at column."""
    if "\n" in value:  # a | block keeps its lines: each paragraph and bullet is one line
        return Literal(value)
    if column + len(key) + 2 + len(value) <= WIDTH:
        return value
    return Folded(value)


def dump(doc: Map, header: list[str]) -> str:
    """A document as YAML text, the header lines first as comments."""
    lines = [f"# {comment_safe(line)}".rstrip() if line else "" for line in header]
    _map(doc, 0, lines)
    return "\n".join(lines) + "\n"


def _comments(lines: list[str], comments: list[str], pad: str) -> None:
    """Comment lines at an indentation (an empty string is a blank line)."""
    for comment in comments:
        lines.append(f"{pad}# {comment_safe(comment)}".rstrip() if comment else "")


def _map(node: Map, indent: int, lines: list[str], first: str | None = None) -> None:
    """A block mapping; first is the '- ' prefix of a list item holding it."""
    pad = " " * indent
    for i, (key, value) in enumerate(node.items()):
        lead = first if (first is not None and i == 0) else pad
        if i or first is None:
            _comments(lines, node.before.get(key, []), pad)
        start = len(lines)
        _entry(f"{lead}{key}:", value, indent + 2, lines)
        if key in node.after:
            lines[start] += f"  # {node.after[key]}"


def _entry(prefix: str, value: Any, indent: int, lines: list[str]) -> None:
    """A key (or list dash) and its value."""
    if isinstance(value, Map) and not value.flow:
        lines.append(prefix)
        _map(value, indent, lines)
    elif isinstance(value, Seq) and not value.flow:
        lines.append(prefix)
        _seq(value, indent, lines)
    elif isinstance(value, Map | Seq):
        lines.append(f"{prefix} {_flow(value)}")
    else:
        block = _block(value, indent)
        if block is None:
            lines.append(f"{prefix} {_scalar(value)}")
        else:
            lines.append(f"{prefix} {block[0]}")
            lines += block[1:]


def _seq(node: Seq, indent: int, lines: list[str]) -> None:
    """A block list, items two spaces in from their key."""
    pad = " " * indent
    for i, item in enumerate(node):
        _comments(lines, node.before.get(i, []), pad)
        if isinstance(item, Map) and not item.flow and item:
            first = next(iter(item))
            _comments(lines, item.before.get(first, []), pad)
            _map(item, indent + 2, lines, first=f"{pad}- ")
        else:
            _entry(f"{pad}-", item, indent + 2, lines)


def _flow(node: Map | Seq) -> str:
    """A short mapping or list on one line."""
    if isinstance(node, Map):
        return "{" + ", ".join(f"{k}: {_scalar(v, flow=True)}" for k, v in node.items()) + "}"
    return "[" + ", ".join(_scalar(v, flow=True) for v in node) + "]"


def flow_width(node: Map | Seq) -> int:
    """How wide a mapping or list is on one line."""
    return len(_flow(node))


def _scalar(value: Any, flow: bool = False) -> str:
    """A scalar on one line: plain where safe, else double-quoted."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, Quoted):
        return _quoted(str(value))
    value = str(value)
    if _PLAIN_DATE.match(value):
        return value
    if (
        _PLAIN.match(value)
        and not _NUMBERISH.match(value)
        and not _UNSAFE.search(value)
        and value.lower() not in _RESERVED
        and not (flow and _FLOW_UNSAFE.search(value))
    ):
        return value
    return _quoted(value)


def _quoted(value: str) -> str:
    """A double-quoted scalar (JSON's escapes are YAML's), line separators escaped too."""
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", json.dumps(value, ensure_ascii=False))


def _block(value: Any, indent: int) -> list[str] | None:
    """A folded or literal block: its indicator then its lines; None for a one-line scalar."""
    pad = " " * indent
    if isinstance(value, Literal):
        if not value or value[0].isspace() or _ESCAPE.search(value):
            return None
        out = ["|-"]
        for line in value.split("\n"):
            out.append(f"{pad}{line}".rstrip() if line.strip() else "")
        return out
    if isinstance(value, Folded):
        room = max(WIDTH - indent, 40)
        lines = textwrap.wrap(value, room, break_long_words=False, break_on_hyphens=False)
        if " ".join(lines) != value or _ESCAPE.search(value) or not lines:
            return None
        return [">-", *(f"{pad}{line}" for line in lines)]
    return None


def plain(node: Any) -> Any:
    """The values a node holds, as the loader gives them back (to check what was written)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool):
        return node
    return str(node)


def comment_lines(lines: list[str], width: int = WIDTH - 8) -> list[str]:
    """Comment text wrapped to the line length, continuation lines indented."""
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(
            comment_safe(line),
            width,
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
    return out


def comment_safe(text: str) -> str:
    """Text for a YAML comment: line separators and control characters shown, not obeyed."""
    return escape.terminal(text)
