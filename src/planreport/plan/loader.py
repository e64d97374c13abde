"""Stage 1: read a YAML file into plain values, remembering where each value was written.

Values are built from the parser's events rather than by PyYAML's constructor, so that
duplicate keys, anchors, aliases, merge keys, tags, excessive nesting and characters
Word and PDF cannot hold are all reported with their line and column, and so that
refs like 1.10 and dates like 2013-09 stay text exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from planreport.problems import Location, Problems

try:  # libyaml's parser is about ten times faster than the pure-Python one.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 40
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NULL = {"", "~", "null", "Null", "NULL"}
_ALLOWED_TAGS = {None, "!", "tag:yaml.org,2002:str"}
_PLAIN: dict[str, Any] = {word: True for word in _TRUE} | {word: False for word in _FALSE}
_PLAIN |= {word: None for word in _NULL}
_SCALAR, _ALIAS = yaml.events.ScalarEvent, yaml.events.AliasEvent
_MAPPING_START, _MAPPING_END = yaml.events.MappingStartEvent, yaml.events.MappingEndEvent
_SEQUENCE_START, _SEQUENCE_END = yaml.events.SequenceStartEvent, yaml.events.SequenceEndEvent
_DOCUMENT_START, _STREAM_END = yaml.events.DocumentStartEvent, yaml.events.StreamEndEvent
# Characters python-docx refuses and WeasyPrint chokes on (engineering notes).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Path_ = tuple[str | int, ...]
_new_tuple = tuple.__new__


@dataclass
class Document:
    """One loaded YAML file: its values and where each was written."""

    path: str
    data: Any = None
    # Where values were written: for each mapping's or list's path, its values' (line,
    # column) by key or in order; and each mapping's keys'. Kept per container, so that
    # reading a value costs one store, not a tuple of its whole path.
    marks: dict[Path_, dict[Any, tuple[int, int]] | list[tuple[int, int]]] = field(
        default_factory=dict
    )
    key_marks: dict[Path_, dict[Any, tuple[int, int]]] = field(default_factory=dict)
    root: tuple[int, int] | None = None  # where the whole document's value starts
    valid: bool = False
    blocked: bool = False  # structure too unsafe to validate: anchors, tags, merge keys
    # Where the schema errors are, as the parts to cut for the rest to be checked: unknown
    # keys and whole list items. None if an error is elsewhere (then nothing is usable).
    cuts: list[Path_] | None = field(default_factory=list)

    def position(self, path: Path_) -> tuple[int, int] | None:
        """(line, column) of the value at path, if it was written."""
        if not path:
            return self.root
        marks: Any = self.marks.get(path[:-1])
        step = path[-1]
        if marks.__class__ is dict:
            return marks.get(step)
        if marks is not None and step.__class__ is int and 0 <= step < len(marks):
            return marks[step]
        return None

    def key_position(self, path: Path_) -> tuple[int, int] | None:
        """(line, column) of the key that holds path, if it was written."""
        keys = self.key_marks.get(tuple(path[:-1])) if path else None
        return keys.get(path[-1]) if keys else None

    def where(self, path: Path_) -> Location:
        """Location of the value at path, or of its nearest ancestor."""
        path = tuple(path)
        for end in range(len(path), -1, -1):
            found = self.position(path[:end])
            if found:  # Location(...), without its __new__: the model asks for thousands
                return _new_tuple(Location, (self.path, *found))
        return Location(self.path)

    def key_where(self, path: Path_) -> Location:
        """Location of the key that holds path, falling back to the value."""
        found = self.key_position(path)
        return Location(self.path, *found) if found else self.where(path)


def parse(raw: bytes, name: str, problems: Problems) -> Document:
    """Parse one YAML file's bytes; problems found are added to problems."""
    doc = Document(name)
    text = _decode(raw, name, problems)
    if text is not None:
        _Builder(doc, problems).run(text)
    return doc


def _decode(raw: bytes, name: str, problems: Problems) -> str | None:
    """Return the file's text, or None after reporting that it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(
            Location(name, line, col),
            "not-utf8",
            "this file is not saved as UTF-8 text. Save it again choosing the UTF-8 encoding.",
        )
        return None


class _Builder:
    """Builds plain Python values from parser events, recording (line, column) positions."""

    def __init__(self, doc: Document, problems: Problems) -> None:
        self.doc = doc
        self.problems = problems
        # frames: [container, path, pending key, its values' marks, its keys' marks]
        self.stack: list[list[Any]] = []
        self.documents = 0

    def run(self, text: str) -> None:
        """Parse text, filling in the document or reporting why it cannot be read."""
        parser = _Loader(text)
        try:
            self.read(parser.get_event)
        except yaml.MarkedYAMLError as exc:
            self.syntax_error(exc, text)
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, exc.position) + 1
            col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
            self.problems.error(
                Location(self.doc.path, line, col),
                "bad-character",
                f"this file contains a control character (U+{exc.character:04X}) that Word and "
                "PDF cannot hold. Delete it; it usually comes from pasting text.",
            )
            self.doc.data = None
        finally:
            parser.dispose()

    def read(self, next_event: Any) -> None:
        """Build values from the events until the stream ends or reading must stop.

        Most events are plain scalars, mappings and lists inside a mapping or a list,
        handled here in one loop (this is where a large plan's load spends its time); the
        rest, and anything to report, go to event().
        """
        stack, plain, allowed = self.stack, _PLAIN, _ALLOWED_TAGS
        event = next_event()
        while event.__class__ is not _STREAM_END:
            # A plain scalar in a mapping or list (double-quoted text can hold escaped
            # control characters, and anchors and tags are refused: event() sees to those).
            if (
                event.__class__ is _SCALAR
                and stack
                and event.anchor is None
                and event.tag in allowed
                and event.style != '"'
            ):
                frame = stack[-1]
                container, _, pending, marks, keys = frame
                mark = event.start_mark
                pos = (mark.line + 1, mark.column + 1)
                if pending is not None:  # a mapping's value
                    frame[2] = None
                    if pending.__class__ is not _Duplicate:
                        value = event.value
                        if not event.style and event.implicit[0]:
                            value = plain.get(value, value)
                        container[pending] = value
                        marks[pending] = pos
                elif container.__class__ is dict:  # a key
                    key = event.value
                    if key in keys or key == "<<":
                        self.key(frame, event, pos)
                    else:
                        keys[key] = pos
                        frame[2] = key
                else:  # a list's item
                    value = event.value
                    if not event.style and event.implicit[0]:
                        value = plain.get(value, value)
                    marks.append(pos)
                    container.append(value)
            elif (
                (event.__class__ is _MAPPING_START or event.__class__ is _SEQUENCE_START)
                and stack
                and event.anchor is None
                and event.tag in allowed
                and len(stack) < MAX_DEPTH
                and (stack[-1][2].__class__ is str or stack[-1][0].__class__ is list)
            ):  # a mapping or list in a mapping (under a key) or in a list
                frame = stack[-1]
                container, path, pending, marks, _ = frame
                mark = event.start_mark
                pos = (mark.line + 1, mark.column + 1)
                if event.__class__ is _MAPPING_START:
                    child, child_marks, child_keys = {}, {}, {}
                else:
                    child, child_marks, child_keys = [], [], None
                if pending is not None:
                    frame[2] = None
                    child_path = (*path, pending)
                    container[pending] = child
                    marks[pending] = pos
                else:
                    child_path = (*path, len(container))
                    marks.append(pos)
                    container.append(child)
                self.doc.marks[child_path] = child_marks
                if child_keys is not None:
                    self.doc.key_marks[child_path] = child_keys
                stack.append([child, child_path, None, child_marks, child_keys])
            elif event.__class__ is _MAPPING_END or event.__class__ is _SEQUENCE_END:
                stack.pop()
            elif not self.event(event):
                return
            event = next_event()

    def loc(self, pos: tuple[int, int]) -> Location:
        """A Location in this file."""
        return Location(self.doc.path, *pos)

    def syntax_error(self, exc: yaml.MarkedYAMLError, text: str) -> None:
        """Report a YAML syntax error in words a plan owner can act on."""
        mark = exc.problem_mark or exc.context_mark
        where = self.loc((mark.line + 1, mark.column + 1)) if mark else Location(self.doc.path)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        if "nesting depth" in what:  # libyaml 0.2.5+ (PyYAML 6.0.4) stops deep flow nesting
            self.too_deep(where)
            return
        lines = text.splitlines()
        line = lines[mark.line] if mark and mark.line < len(lines) else ""
        if "\t" in line[: len(line) - len(line.lstrip())] or "'\\t'" in what:
            hint = "This line is indented with a tab; indent with spaces only."
        elif "escape" in what:
            hint = "Check the backslash escapes in this quoted text, or use single quotes."
        elif "quoted scalar" in what:
            hint = "A quote mark is opened and not closed; close it, or remove it."
        else:
            hint = (
                "Check the indentation of this line and the one above, and put text "
                "containing ': ' or starting with * & ! [ { > | ' or % in quotes."
            )
        self.problems.error(where, "yaml-syntax", f"this YAML cannot be read ({what}). {hint}")
        self.doc.data = None

    def event(self, ev: Any) -> bool:
        """Handle one event; return False to stop reading."""
        cls = ev.__class__
        if cls is _SCALAR:
            mark = ev.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if ev.anchor is not None or ev.tag not in _ALLOWED_TAGS:
                self.disallowed(ev, pos)
            return self.scalar(ev, pos)
        if cls is _MAPPING_END or cls is _SEQUENCE_END:
            self.stack.pop()
            return True
        if cls is _MAPPING_START or cls is _SEQUENCE_START:
            mark = ev.start_mark
            pos = (mark.line + 1, mark.column + 1)
            if ev.anchor is not None or ev.tag not in _ALLOWED_TAGS:
                self.disallowed(ev, pos)
            return self.container({} if cls is _MAPPING_START else [], pos)
        if cls is _ALIAS:
            pos = (ev.start_mark.line + 1, ev.start_mark.column + 1)
            self.doc.blocked = True
            self.problems.error(
                self.loc(pos),
                "yaml-alias",
                f"aliases (*{ev.anchor}) are not allowed in plan files. "
                "Write the value out in full.",
            )
            return self.attach(None, pos)
        if cls is _DOCUMENT_START:
            self.documents += 1
            if self.documents > 1:
                self.problems.error(
                    self.loc((ev.start_mark.line + 1, ev.start_mark.column + 1)),
                    "yaml-multiple-documents",
                    "a plan file holds one YAML document; remove this '---' and what follows, "
                    "or move it to its own file.",
                )
                return False
        return True

    def container(self, container: Any, pos: tuple[int, int]) -> bool:
        """Open a mapping or list; refuse one used as a key, or nested too deep."""
        if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is None:
            self.problems.error(
                self.loc(pos),
                "yaml-complex-key",
                "a key here is a list or a mapping; keys must be plain words. Check the "
                "indentation and that a '?' or '- ' has not crept in before the key.",
            )
            self.doc.data = None
            return False
        path = self.child_path()
        self.attach(container, pos)
        if len(self.stack) >= MAX_DEPTH:
            self.too_deep(self.loc(pos))
            return False
        marks: Any = {} if container.__class__ is dict else []
        keys: Any = {} if container.__class__ is dict else None
        self.doc.marks[path] = marks
        if keys is not None:
            self.doc.key_marks[path] = keys
        self.stack.append([container, path, None, marks, keys])
        return True

    def too_deep(self, where: Location) -> None:
        """Report nesting deeper than any plan needs (found by this reader or by libyaml)."""
        self.problems.error(
            where,
            "yaml-too-deep",
            f"the values here are nested more than {MAX_DEPTH} levels deep; no plan needs "
            "that. Check the indentation.",
        )
        self.doc.data = None

    def disallowed(self, ev: Any, pos: tuple[int, int]) -> None:
        """Report anchors and tags, which plans do not need."""
        self.doc.blocked = True
        if ev.anchor is not None:
            self.problems.error(
                self.loc(pos),
                "yaml-anchor",
                f"anchors (&{ev.anchor}) are not allowed in plan files. Remove it and write each "
                "value out in full.",
            )
        if ev.tag not in _ALLOWED_TAGS:
            self.problems.error(
                self.loc(pos),
                "yaml-tag",
                f"tags such as '{ev.tag}' are not allowed in plan files. Remove the tag.",
            )

    def scalar(self, ev: Any, pos: tuple[int, int]) -> bool:
        """Handle a scalar, as a mapping key or as a value."""
        value = ev.value
        if not ev.style and ev.implicit[0]:
            value = _PLAIN.get(value, value)
        if value.__class__ is str and _BAD_CHARS.search(value):
            char = _BAD_CHARS.search(value).group()
            self.problems.error(
                self.loc(pos),
                "bad-character",
                f"this text contains a character (U+{ord(char):04X}) that Word and PDF cannot "
                "hold. Delete it; it usually comes from pasting text.",
            )
            value = _BAD_CHARS.sub("", value)
        if self.stack:
            frame = self.stack[-1]
            if frame[2] is None and frame[0].__class__ is dict:
                return self.key(frame, ev, pos)
        return self.attach(value, pos)

    def key(self, frame: list[Any], ev: Any, pos: tuple[int, int]) -> bool:
        """Record a mapping key, reporting merge keys and duplicates."""
        key = ev.value
        if key == "<<" and not ev.style:
            self.doc.blocked = True
            self.problems.error(
                self.loc(pos),
                "yaml-merge-key",
                "merge keys (<<) are not allowed in plan files. Write the keys out in full.",
            )
        first = frame[4].get(key)
        if first is not None:
            self.problems.error(
                self.loc(pos),
                "duplicate-key",
                f"'{key}' is given twice in the same place, here and on line {first[0]}; "
                "only one can count. Keep one and delete the other (merges often cause this).",
            )
            frame[2] = _Duplicate(key)
            return True
        frame[4][key] = pos
        frame[2] = key
        return True

    def child_path(self) -> Path_:
        """The path the next value attached to the top frame will have."""
        if not self.stack:
            return ()
        container, path, pending = self.stack[-1][:3]
        if isinstance(container, dict):
            return (*path, pending)
        return (*path, len(container))

    def attach(self, value: Any, pos: tuple[int, int]) -> bool:
        """Put a value into its parent (or make it the document) and note its position."""
        if not self.stack:
            self.doc.data = value
            self.doc.root = pos
            return True
        frame = self.stack[-1]
        container, _, pending, marks = frame[:4]
        if container.__class__ is dict:
            frame[2] = None
            if pending.__class__ is _Duplicate:
                return True
            container[pending] = value
            marks[pending] = pos
        else:
            marks.append(pos)
            container.append(value)
        return True


@dataclass(frozen=True)
class _Duplicate:
    """Marks a duplicate key whose value is read but not kept."""

    key: str
