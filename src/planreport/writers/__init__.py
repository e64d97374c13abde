"""Writers: one module per output format, each turning a paper into bytes.

Every writer has a name ("pdf"), the suffix of its files (".pdf"), a description, and
`write(paper, context) -> bytes`. To add a format, write a module here that defines
`WRITER` and add its name to `MODULES`.

Importing this package, or asking for `names()`, loads no rendering library (WeasyPrint,
python-docx, Jinja): the writers load them when they first write.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from planreport.paper.model import Paper

# The writers' modules under planreport.writers, in the order formats are listed and built;
# each module is named as the format its WRITER writes.
MODULES: tuple[str, ...] = ("pdf", "docx", "html")


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
    """An output format."""

    name: str  # the format's name, as papers and --format give it: "pdf"
    suffix: str  # the file suffix: ".pdf"
    description: str  # one line for help text

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper in this format; raise RenderError if it cannot be written."""
        ...


def registry() -> dict[str, Writer]:
    """Every writer by name, in the order of MODULES."""
    return dict(_registry(MODULES))


@cache
def _registry(modules: tuple[str, ...]) -> dict[str, Writer]:
    """The writers of the given modules, by name."""
    found: dict[str, Writer] = {}
    for module in modules:
        writer = import_module(module if "." in module else f"{__name__}.{module}").WRITER
        found[writer.name] = writer
    return found


def names() -> tuple[str, ...]:
    """The format names, in order: pdf, docx, html (each writer's module is named as its format).

    Read from MODULES, so that listing the formats loads no writer.
    """
    return MODULES


def suffix(name: str) -> str:
    """The file suffix of a format (".pdf"), without loading its writer.

    Every writer's suffix is a dot and its name (a test keeps it so), so that a build
    can tell whether a paper's files exist before it loads any rendering library.
    """
    return f".{name}"


def get(name: str) -> Writer:
    """The writer for a format name; RenderError naming the known formats if there is none."""
    writers = registry()
    if name not in writers:
        raise RenderError(
            f"there is no output format '{name}'; the formats are {', '.join(writers)}."
        )
    return writers[name]
