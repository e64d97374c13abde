"""Comment-preserving edits to a plan file: lines added, one value replaced in place.

The file is never dumped again. Each edit inserts new lines after the last line of a
node, or replaces the characters of one scalar, at places found from the parser's marks;
comments, key order, quoting and the layout of everything else stay byte for byte as
they were. The edited text is parsed again and compared with the values intended before
it is handed back, so an edit that would change anything else is refused, not written.

(ruamel.yaml's round-trip mode was measured against this on every example plan: it kept
untouched files identical, but put new list items after the blank line and comments that
separate one action from the next, and took seconds per large file; docs/updates.md.)
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from planreport.plan import loader
from planreport.problems import Problems

Path_ = tuple[str | int, ...]
WIDTH = 100  # the longest line an edit writes on one line (the project's line length)
WRAP = 88  # where long text is folded onto the next line
_PARSER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INDICATORS = tuple("-?:,[]{}#&*!|>'\"%@`")
_RESERVED = {"true", "false", "null", "~", "yes", "no", "on", "off", "y", "n"}
_NUMBER = re.compile(r"[-+]?(\d[\d_]*)?\.?\d*([eE][-+]?\d+)?|0[xob][0-9a-fA-F_]+|\.(inf|nan)")
_LINE_BREAKS = str.maketrans({"\u0085": "\n", "\u2028": "\n", "\u2029": "\n\n"})
# Characters YAML cannot hold unescaped, and those Word and PDF refuse (see loader).
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)


class EditError(Exception):
    """An edit that cannot be made safely; the message says why."""


@dataclass
class Node:
    """Where one value is written: first character, column and end of its content."""

    kind: str  # "map", "seq" or "scalar"
    start: int
    col: int
    end: int  # just after the last character of the value's content
    flow: bool = False
    block_scalar: bool = False


class Editor:
    """One plan file's text, the edits to make to it, and the values they should give."""

    def __init__(self, text: str, name: str, data: Any = None) -> None:
        """Start editing text (name is for messages; data, if given, is what text holds)."""
        self.name = name
        self.original = text
        self.bom = text.startswith("\ufeff")
        self.text = text[1:] if self.bom else text
        self.newline = "\r\n" if "\r\n" in self.text[: self.text.find("\n") + 1] else "\n"
        self.nodes = _nodes(self.text)
        self.data = _parse(self.text, name).data if data is None else data
        self.expected = copy.deepcopy(self.data)
        self.document: loader.Document | None = None  # the edited text, read back
        self.text_after = ""  # the edited text, once result() has made it
        # (start, end, -indent, order, new text): of two insertions at one place, the more
        # indented goes first, as it continues the structure the place ends.
        self.edits: list[tuple[int, int, int, int, str]] = []

    # --- what the file holds ------------------------------------------------------

    def value(self, path: Path_) -> Any:
        """The value at path as the file holds it now (before these edits)."""
        found = self.data
        for step in path:
            found = found[step]
        return found

    def has(self, path: Path_) -> bool:
        """Whether the file has a value at path."""
        return path in self.nodes

    # --- edits -------------------------------------------------------------------------

    def append_item(self, seq: Path_, item: dict[str, str]) -> None:
        """Add item at the end of the list at seq, written like the items before it."""
        node = self.nodes[seq]
        count = len(self.value(seq))
        _target(self.expected, seq).append(dict(item))
        if node.flow:
            comma = ", " if count else ""
            self._insert(node.end - 1, comma + _flow_map(item), node.col)
            return
        last = self.nodes[(*seq, count - 1)]
        dash = node.col
        keys = last.col if last.kind == "map" and not last.flow else dash + 2
        lines = None
        if last.kind == "map" and last.flow:
            flow = _flow_map(item)
            if flow is not None and dash + 2 + len(flow) <= WIDTH:
                lines = [" " * dash + "- " + flow]
        if lines is None:
            lines = _block_map(item, keys)
            lines[0] = " " * dash + "-" + " " * (keys - dash - 1) + lines[0][keys:]
        self._insert(self._after((*seq, count - 1), dash), self._lines(lines), dash)

    def add_key(
        self,
        mapping: Path_,
        key: str,
        value: str | dict[str, str] | list[dict[str, str]],
        after: str,
        comment: str = "",
    ) -> None:
        """Add key: value to the mapping at mapping, on new lines after the key after.

        A comment goes on its own line above the new key; a mapping written on one line
        has no room for one, so there the comment is left out.
        """
        node = self.nodes[mapping]
        target = _target(self.expected, mapping)
        comma = ", " if target else ""
        target[key] = copy.deepcopy(value)
        if node.flow:
            if isinstance(value, str):
                rendered = _flow_scalar(value)
            elif isinstance(value, dict):
                rendered = _flow_map(value)
            else:
                rendered = "[" + ", ".join(_flow_map(v) or "" for v in value) + "]"
            if rendered is None or "[, " in rendered or ", ]" in rendered:
                raise EditError(f"{self.name}: cannot add '{key}' to a mapping written on one line")
            self._insert(node.end - 1, f"{comma}{key}: {rendered}", node.col)
            return
        col = node.col
        if isinstance(value, str):
            lines = _entry(key, value, col)
        elif isinstance(value, dict):
            lines = [" " * col + f"{key}:", *_block_map(value, col + 2)]
        else:
            dash = col + _sequence_offset(self.text, self.nodes)
            lines = [" " * col + f"{key}:"]
            for item in value:
                item_lines = _block_map(item, dash + 2)
                item_lines[0] = " " * dash + "- " + item_lines[0][dash + 2 :]
                lines += item_lines
        if comment:
            lines.insert(0, " " * col + "# " + comment)
        self._insert(self._after((*mapping, after), col), self._lines(lines), col)

    def replace_scalar(self, path: Path_, value: str) -> None:
        """Replace the scalar at path with value, on its own line, leaving the rest alone."""
        node = self.nodes[path]
        if node.kind != "scalar" or node.block_scalar:
            raise EditError(f"{self.name}: the value at {_dotted(path)} is not a one-line value")
        *parent, last = path
        _target(self.expected, tuple(parent))[last] = value
        rendered = _flow_scalar(value) if node.flow else _inline(value)
        self.edits.append((node.start, node.end, 0, len(self.edits), rendered))

    # --- the result ------------------------------------------------------------------

    def result(self) -> str:
        """The edited text, after checking it holds exactly the values intended."""
        pieces, cursor = [], 0
        for start, end, _indent, _order, new in sorted(self.edits):
            if start < cursor:
                raise EditError(f"{self.name}: two edits overlap near character {start}")
            pieces += [self.text[cursor:start], new]
            cursor = end
        pieces.append(self.text[cursor:])
        text = "".join(pieces)
        self.document = _parse(text, self.name)
        if self.document.data != self.expected:
            raise EditError(
                f"{self.name}: the edited file would not read back as intended, so it was "
                "not changed. This is a bug in planreport; please report it."
            )
        self.text_after = ("\ufeff" if self.bom else "") + text
        return self.text_after

    # --- where lines go --------------------------------------------------------------

    def _insert(self, at: int, new: str, indent: int) -> None:
        """Insert new text, indented by indent, at a character index."""
        self.edits.append((at, at, -indent, len(self.edits), new))

    def _lines(self, lines: list[str]) -> str:
        """Lines joined and ended with the file's own line break."""
        return "".join(line + self.newline for line in lines)

    def _after(self, path: Path_, floor: int) -> int:
        """Where a line after the value at path goes: after its last line and own comments.

        Comment lines indented deeper than floor belong to the value; blank lines and
        shallower comments belong to what follows, so new lines go before them.
        """
        node = self.nodes[path]
        text = self.text
        at = _line_end(text, max(node.end - 1, node.start))
        while at < len(text):
            end = _line_end(text, at)
            line = text[at:end].rstrip("\r\n")
            body = line.lstrip(" ")
            if not (body.startswith("#") and len(line) - len(body) > floor):
                break
            at = end
        if at == len(text) and text and not text.endswith("\n"):
            self._insert(at, self.newline, 1_000_000)
        return at


# --- reading the marks ---------------------------------------------------------------


def _parse(text: str, name: str) -> loader.Document:
    """What planreport's loader reads from text; EditError if it reports a problem."""
    problems = Problems()
    doc = loader.parse(text.encode("utf-8"), name, problems)
    if problems:
        raise EditError(f"{name}: {problems[0].message}")
    return doc


def _nodes(text: str) -> dict[Path_, Node]:
    """Every value's node by path, from the parser's events."""
    nodes: dict[Path_, Node] = {}
    stack: list[list[Any]] = []  # [path, node, pending key, count]
    try:
        events = list(yaml.parse(text, Loader=_PARSER))
    except yaml.YAMLError as exc:
        raise EditError(f"cannot read the file to edit it: {exc}") from None
    for ev in events:
        if isinstance(ev, yaml.ScalarEvent):
            if stack and stack[-1][1].kind == "map" and stack[-1][2] is None:
                stack[-1][2] = ev.value
                continue
            node = _scalar(ev, text)
            _attach(stack, nodes, node)
        elif isinstance(ev, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            kind = "map" if isinstance(ev, yaml.MappingStartEvent) else "seq"
            mark = ev.start_mark
            node = Node(kind, mark.index, mark.column, mark.index, bool(ev.flow_style))
            path = _attach(stack, nodes, node)
            stack.append([path, node, None, 0])
        elif isinstance(ev, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            _path, node, _key, _count = stack.pop()
            if node.flow:
                node.end = ev.end_mark.index
            if stack:
                stack[-1][1].end = max(stack[-1][1].end, node.end)
    return nodes


def _scalar(ev: Any, text: str) -> Node:
    """A scalar's node; a block scalar ends at its last character that is not a space."""
    start, end = ev.start_mark.index, ev.end_mark.index
    block = ev.style in ("|", ">")
    if block:
        while end > start and text[end - 1] in " \t\r\n":
            end -= 1
    return Node("scalar", start, ev.start_mark.column, end, block_scalar=block)


def _attach(stack: list[list[Any]], nodes: dict[Path_, Node], node: Node) -> Path_:
    """Record node under its path in the parent on top of the stack; return the path."""
    if not stack:
        nodes[()] = node
        return ()
    frame = stack[-1]
    parent: Node = frame[1]
    if parent.kind == "map":
        path = (*frame[0], frame[2])
        frame[2] = None
    else:
        path = (*frame[0], frame[3])
        frame[3] += 1
    if node.kind == "scalar":
        node.flow = parent.flow
    nodes[path] = node
    parent.end = max(parent.end, node.end)
    return path


def _line_end(text: str, index: int) -> int:
    """The index just after the line break ending the line that holds index."""
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


def _sequence_offset(text: str, nodes: dict[Path_, Node]) -> int:
    """How far this file indents a block list under its key (2 if it has none to copy)."""
    for path, node in nodes.items():
        if node.kind == "seq" and not node.flow and path and isinstance(path[-1], str):
            parent = nodes.get(path[:-1])
            if parent is not None and parent.kind == "map" and not parent.flow:
                return max(0, node.col - parent.col)
    return 2


def _target(data: Any, path: Path_) -> Any:
    """The container at path in data."""
    for step in path:
        data = data[step]
    return data


def _dotted(path: Path_) -> str:
    """A path for messages: actions.3.status."""
    return ".".join(str(p) for p in path)


# --- writing values --------------------------------------------------------------------


def _plain(value: str) -> bool:
    """Whether value can be written without quotes and read back as the same text."""
    return bool(
        value
        and value == value.strip()
        and "\n" not in value
        and "\t" not in value
        and not value.startswith(_INDICATORS)
        and ": " not in value
        and " #" not in value
        and not value.endswith(":")
        and value.lower() not in _RESERVED
        and not _NUMBER.fullmatch(value)
        and not _CONTROL.search(value)
    )


def _quoted(value: str) -> str:
    """A double-quoted scalar (JSON's escapes are YAML's), line separators escaped too."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("\u0085", "\\N")
        .replace("\u2028", "\\L")
        .replace("\u2029", "\\P")
    )


def _inline(value: str) -> str:
    """A scalar written on the line of its key: plain if it can be, else double-quoted."""
    return value if _plain(value) else _quoted(value)


def _flow_scalar(value: str) -> str:
    """A scalar inside {...} or [...]: plain if it has no flow indicators, else quoted."""
    if _plain(value) and not any(c in value for c in ",[]{}"):
        return value
    return _quoted(value)


def _flow_map(item: dict[str, str]) -> str:
    """A mapping on one line: {date: 2013-09, text: Completed., status: completed}."""
    return "{" + ", ".join(f"{k}: {_flow_scalar(v)}" for k, v in item.items()) + "}"


def _block_map(item: dict[str, str], col: int) -> list[str]:
    """A block mapping's lines, each key at col."""
    lines: list[str] = []
    for key, value in item.items():
        lines += _entry(key, value, col)
    return lines


def _entry(key: str, value: str, col: int) -> list[str]:
    """key: value at col: on one line if it fits, else as a folded or literal block."""
    pad = " " * col
    head = f"{pad}{key}: "
    if "\n" not in value:
        one = _inline(value)
        if len(head) + len(one) <= WIDTH or (_plain(value) and " " not in value):
            return [head + one]
        if "  " not in value and value == value.strip() and not _CONTROL.search(value):
            return [f"{pad}{key}: >-", *_folded(value, col + 2)]
        return [head + one]
    inner = " " * (col + 2)
    lines = [line.rstrip() for line in value.split("\n")]
    if not lines[0] or lines[0] != lines[0].lstrip() or _CONTROL.search(value) or "\t" in value:
        return [head + _quoted(value)]
    return [f"{pad}{key}: |-", *(inner + line if line else "" for line in lines)]


def _folded(value: str, col: int) -> list[str]:
    """Text folded at single spaces into lines that end before WRAP."""
    pad = " " * col
    lines, current = [], ""
    for word in value.split(" "):
        if current and len(pad) + len(current) + 1 + len(word) > WRAP:
            lines.append(pad + current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(pad + current)
    return lines


def clean_text(text: str) -> str:
    """Answer text as a plan holds it: no control characters, no stray spaces or lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    text = text.translate(_LINE_BREAKS).replace("\t", " ")
    text = _CONTROL.sub("", text)
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)
