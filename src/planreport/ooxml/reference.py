"""The Word reference document: read, checked, and given the styles it lacks, for every user.

`build` (the Word writer), `request --format docx` and `check` all load it here, so that
they agree on what is wrong with it. Styles a council's template lacks are copied in from
planreport's own reference document, with a warning naming them. Uses only the standard
library (no python-docx), so that `check` stays fast; the package is checked in
planreport.ooxml first, as every Office file is.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from planreport import files, ooxml
from planreport.problems import Location, Problem, Problems

# Every style a paper or a form is written in (writers/docx/styles.py STYLES, updates/docx_form.py).
NEEDED = (
    "Title", "Subtitle", "Normal", "List Bullet", "Heading 1", "Heading 2", "Heading 3",
    "Caption", "Table Grid", "Table Text", "Table Heading", "Table Bullet",
)  # fmt: skip
STYLES_PART = "word/styles.xml"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_STYLE = re.compile(rb"<w:style\b[^>]*?(?:/>|>.*?</w:style>)", re.S)
_NAME = re.compile(rb'<w:name w:val="([^"]*)"')
_ID = re.compile(rb'w:styleId="([^"]*)"')
_LINKS = re.compile(rb'<w:(basedOn|next|link) w:val="([^"]*)"/>')
_END = re.compile(rb"</(?:[\w.-]+:)?styles>\s*$")


class ReferenceRefused(Exception):
    """A reference document planreport cannot use; problem says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(f"{problem.location}: [{problem.rule}] {problem.message}")
        self.problem = problem


@dataclass(frozen=True)
class Reference:
    """A reference document as a .docx package holding every style planreport needs."""

    shown: str  # the path as messages show it
    data: bytes
    missing: tuple[str, ...]  # the styles copied in from planreport's own

    def warnings(self) -> list[Problem]:
        """The warning that styles were copied in (none if none were)."""
        problems = Problems()
        if self.missing:
            problems.warning(
                Location(self.shown),
                "reference-styles-missing",
                f"this reference document lacks the Word styles {', '.join(self.missing)}; "
                "papers and forms use planreport's own. Add them to it to style them yourself.",
            )
        return problems


def load(path: Path, trusted: tuple[Path, ...], default: Path, shown: str) -> Reference:
    """The reference document at path, with the styles it lacks taken from default.

    shown is the path as messages show it; ReferenceRefused if it cannot be used.
    """
    try:
        data = files.read(path, trusted, ooxml.MAX_UNPACKED)
    except files.FileRefused as exc:
        raise _refused(shown, exc.rule, exc.message) from None
    parts = _parts(data, shown)
    if path.suffix == ".dotx":
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"wordprocessingml.template.main+xml", b"wordprocessingml.document.main+xml"
        )
    names = _names(parts[STYLES_PART], shown)
    missing = tuple(n for n in NEEDED if n.lower() not in names)
    if missing:
        own = _parts(
            files.read(default, (default.parent.resolve(),), ooxml.MAX_UNPACKED), str(default)
        )
        parts[STYLES_PART] = _copy_styles(parts[STYLES_PART], own[STYLES_PART], missing, names)
    elif path.suffix != ".dotx":
        return Reference(shown, data, ())
    return Reference(shown, _package(data, parts), missing)


def _refused(shown: str, rule: str, message: str) -> ReferenceRefused:
    """The refusal of a reference document, located at its file."""
    problems = Problems()
    problems.error(Location(shown), rule, message)
    return ReferenceRefused(problems[0])


def _damaged(shown: str, detail: str) -> ReferenceRefused:
    """The refusal of a reference document that is not a Word document."""
    return _refused(
        shown,
        "reference-damaged",
        f"this is not a Word document planreport can open ({detail}). Save your corporate "
        "template from Word as .docx (or .dotx) into templates/, or delete it to use "
        "planreport's own.",
    )


def _parts(data: bytes, shown: str) -> dict[str, bytes]:
    """The parts of a package by name; ReferenceRefused if it is damaged or too big."""
    try:
        ooxml.safe_package(data)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = {item.filename: package.read(item) for item in package.infolist()}
    except ooxml.TooBig as exc:
        raise _refused(
            shown,
            "file-too-large",
            f"this file unpacks to {exc.unpacked // ooxml.MiB} MiB; a reference document "
            f"needs far less (at most {exc.allowed // ooxml.MiB} MiB). Save your "
            "template again without embedded media, or use planreport's own.",
        ) from None
    except (ooxml.Damaged, *ooxml.DAMAGE) as exc:
        raise _damaged(shown, str(exc)) from None
    for name in ("[Content_Types].xml", STYLES_PART):
        if name not in parts:
            raise _damaged(shown, f"it has no {name}")
    return parts


def _names(styles: bytes, shown: str) -> dict[str, str]:
    """The style ids of a styles part by lower-case name (Word stores 'heading 1')."""
    try:
        root = ElementTree.fromstring(styles)
    except ElementTree.ParseError as exc:
        raise _damaged(shown, f"its styles are damaged: {exc}") from None
    found = {}
    for style in root.iter(f"{{{_W}}}style"):
        name = style.find(f"{{{_W}}}name")
        if name is not None:
            found[name.get(f"{{{_W}}}val", "").lower()] = style.get(f"{{{_W}}}styleId", "")
    return found


def _copy_styles(styles: bytes, own: bytes, missing: tuple[str, ...], ids: dict[str, str]) -> bytes:
    """styles with planreport's definitions of the missing styles added at the end.

    A copied style based on another (basedOn, next, link) points at the document's own
    style of that name, or loses the link if the document has none and none is copied.
    """
    blocks = {_NAME.search(b).group(1).decode().lower(): b for b in _STYLE.findall(own)}
    own_names = {_ID.search(b).group(1): n for n, b in blocks.items() if _ID.search(b)}
    wanted = {n.lower() for n in missing}

    def relink(match: re.Match[bytes]) -> bytes:
        name = own_names.get(match.group(2), "")
        if name in wanted:
            return match.group(0)
        if name in ids:
            return b'<w:%s w:val="%s"/>' % (match.group(1), ids[name].encode())
        return b""

    added = b"".join(_LINKS.sub(relink, block) for n, block in blocks.items() if n in wanted)
    if f'xmlns:w="{_W}"'.encode() not in styles[:2000]:
        added = added.replace(b"<w:style ", f'<w:style xmlns:w="{_W}" '.encode())
    end = _END.search(styles)
    if end is None:
        return styles
    return styles[: end.start()] + added + styles[end.start() :]


def _package(original: bytes, parts: dict[str, bytes]) -> bytes:
    """The package again with its parts replaced, each entry as it was otherwise."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, parts[item.filename])
    return out.getvalue()
