"""Writers: one module per output format, each turning a paper into bytes.

Every writer module (or package) here declares its format once, as a literal
`FORMAT = Format(name=..., suffix=..., description=..., default=..., order=...)`, and
defines `WRITER` with `write(paper, context) -> bytes`. The formats are found by
listing this package; the paper schema's `formats`, the CLI's `--format` choices and the
default formats follow (scripts/compile_schemas.py writes the schema; a test fails if
it is stale).

Listing the formats (`formats()`, `names()`, `suffix()`) reads each declaration from
the module's source without running it, so it loads no writer and no rendering library
(WeasyPrint, python-docx, Jinja): the writers load them when they first write.
"""

from __future__ import annotations

import ast
import pkgutil
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from planreport import files

if TYPE_CHECKING:
    from planreport.paper.model import Paper


@dataclass(frozen=True)
class Format:
    """An output format as its writer module declares it."""

    name: str  # as papers and --format give it: "pdf"
    suffix: str  # the file suffix: ".pdf"
    description: str  # one line for help text
    default: bool = True  # built when a paper names no formats
    order: int = 100  # where it is listed and built, lowest first
    module: str = ""  # the module that declares it (filled in when found)


class RenderError(Exception):
    """Rendering a paper failed; the message names what went wrong."""


# planreport's own fonts (Liberation Sans, SIL Open Font License 1.1).
PACKAGED_FONTS = Path(__file__).resolve().parent.parent / "fonts"


@dataclass(frozen=True)
class RenderContext:
    """What every writer needs besides the paper."""

    templates: tuple[Path, ...]  # template folders, the project's first, planreport's last
    reference: Path  # the Word reference document to take styles from
    moment: datetime  # the fixed creation time written into outputs
    # font folders, the project's templates/fonts/ first, planreport's last: the only
    # other files a PDF may read while it is laid out
    fonts: tuple[Path, ...] = (PACKAGED_FONTS,)
    # the files the paper's text is written in (plans, people, the paper, its layout), to
    # say where a character is written when a warning is about it
    sources: tuple[Path, ...] = ()
    # the project's folder: sources are read only from inside it, as every project file is
    project: Path | None = None


def font_dirs(templates: tuple[Path, ...]) -> tuple[Path, ...]:
    """The font folders for these template folders: each one's fonts/, then planreport's."""
    found = [folder / "fonts" for folder in templates if (folder / "fonts").is_dir()]
    return tuple(dict.fromkeys([*found, PACKAGED_FONTS]))


_warnings: list[str] = []


def warn(message: str) -> None:
    """Note a warning about the paper being written (the build reports it; it does not fail)."""
    _warnings.append(message)


def take_warnings() -> list[str]:
    """The warnings noted since the last call, in order; the list is emptied."""
    taken = list(_warnings)
    _warnings.clear()
    return taken


class Writer(Protocol):
    """An output format's writer; its name, suffix and description are its FORMAT's."""

    name: str
    suffix: str
    description: str

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper in this format; raise RenderError if it cannot be written."""
        ...


def formats() -> tuple[Format, ...]:
    """Every declared format, in order (read from the writers' source, running none)."""
    return _declared(__name__, tuple(__path__))


@cache
def _declared(package: str, paths: tuple[str, ...]) -> tuple[Format, ...]:
    """The FORMAT declared by each module directly under the package's folders."""
    found = []
    for info in pkgutil.iter_modules(list(paths)):
        folder = Path(info.module_finder.path)  # type: ignore[union-attr]
        source = folder / info.name / "__init__.py" if info.ispkg else folder / f"{info.name}.py"
        declared = _declaration(files.read(source, (folder.resolve(),)).decode("utf-8"))
        if declared is not None:
            found.append(Format(**declared, module=f"{package}.{info.name}"))
    return tuple(sorted(found, key=lambda f: (f.order, f.name)))


# A module's `FORMAT = Format(...)`, on one line or closed by a `)` line of its own (as
# ruff formats it): found by text, so that listing formats parses no whole module.
_DECLARATION = re.compile(r"^FORMAT = Format\((?:[^\n]*\)$|(?s:.*?)^\)$)", re.MULTILINE)


def _declaration(source: str) -> dict[str, object] | None:
    """The literal keyword arguments of a module's top-level `FORMAT = Format(...)`."""
    found = _DECLARATION.search(source)
    if found is None:
        return None
    call = ast.parse(found.group()).body[0].value  # type: ignore[attr-defined]
    return {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}


def registry() -> dict[str, Writer]:
    """Every writer by name, in the formats' order (this loads the writers' modules)."""
    return {f.name: import_module(f.module).WRITER for f in formats()}


def names() -> tuple[str, ...]:
    """The format names, in order: pdf, docx, html."""
    return tuple(f.name for f in formats())


def defaults() -> tuple[str, ...]:
    """The formats built when a paper names none."""
    return tuple(f.name for f in formats() if f.default)


def suffix(name: str) -> str:
    """The file suffix of a format (".pdf"), without loading its writer."""
    return next(f.suffix for f in formats() if f.name == name)


def get(name: str) -> Writer:
    """The writer for a format name; RenderError naming the known formats if there is none."""
    writers = registry()
    if name not in writers:
        raise RenderError(
            f"there is no output format '{name}'; the formats are {', '.join(writers)}."
        )
    return writers[name]
