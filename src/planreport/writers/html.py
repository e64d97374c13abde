"""The HTML writer: a paper as one self-contained page, through a Jinja template.

Templates come from the project's templates/ folder when it has them, else from
planreport's own. Jinja is loaded only when a paper is first rendered.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from planreport import files
from planreport.paper import charts
from planreport.paper.model import Heading, Paper, contrast, kind, unwritten
from planreport.plan import richtext
from planreport.writers import PACKAGED_FONTS, Format, RenderContext, RenderError, fonts, warn

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "paper.html.j2"
STYLESHEET = "paper.css"


@cache
def environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """A sandboxed Jinja environment over dirs: escapes everything, refuses undefined names.

    Project templates are untrusted input, so they run in Jinja's sandbox (no access to
    Python internals) and are read through files.read (no link out of the folders).
    """
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=_loader(dirs),
        autoescape=True,
        undefined=_strict(),
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["kind"] = kind
    env.globals["contrast"] = contrast
    env.globals["chart_image"] = _chart_image
    env.globals["chart_alt"] = charts.alt
    env.globals["chart_legend"] = charts.legend
    env.globals["text_after_first"] = lambda rich: type(rich)(rich.blocks[1:])
    env.filters["lines"] = lines
    env.filters["printed"] = richtext.printed  # links' addresses, on paper
    return env


def lines(text: str) -> str:
    """Text with each line break the paper model carries as <br>, the rest escaped."""
    from markupsafe import Markup, escape

    if "\n" not in text:
        return text
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


def _chart_image(chart: charts.Chart, font: str) -> str:
    """A chart as an SVG data: URI, for an <img> (tagged Figure, with its alt, in the PDF)."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(
        charts.svg(chart, font).encode("utf-8")
    ).decode("ascii")


def font_css(
    paper: Paper, media: str, font_dirs: tuple[Path, ...], fallback: str | None = None
) -> str:
    """The rules setting the paper's font: its files by @font-face for print, its name for both.

    The family name comes from a layout (checked by the layout schema) and is cleaned
    again here; plan text never reaches a stylesheet. For print, fallback names the
    packaged family (fonts.FALLBACK_FAMILY) that the characters the paper's family lacks
    are drawn from, loaded and listed after it, or is None when no character needs it.
    """
    family = fonts.css_string(paper.font) or fonts.DEFAULT_FAMILY
    faces = ""
    if media == "print":
        try:
            faces = fonts.face_rules(family, font_dirs) + "\n"
            if fallback:
                faces += fonts.fallback_rules() + "\n"
        except fonts.FontError as exc:
            raise RenderError(str(exc)) from None
        stack = f'"{family}"' + (f', "{fonts.css_string(fallback)}"' if fallback else "")
    else:
        stack = f'"{family}", Arial, sans-serif'
    return f"{faces}html {{ font-family: {stack}; }}\n@page {{ font-family: {stack}; }}"


def _strict() -> type:
    """Jinja's StrictUndefined (imported only when rendering)."""
    import jinja2

    return jinja2.StrictUndefined


def _loader(dirs: tuple[Path, ...]) -> jinja2.BaseLoader:
    """A template loader reading each template through files.read, from the first folder."""
    import jinja2
    from jinja2.loaders import split_template_path

    class SafeLoader(jinja2.BaseLoader):
        """Templates from the template folders only, read as regular files."""

        def get_source(self, environment: jinja2.Environment, template: str) -> tuple:
            """The template's source, its file name and an always-fresh marker."""
            pieces = split_template_path(template)  # refuses '..' in names
            for folder in dirs:
                path = folder.joinpath(*pieces)
                if path.is_file() or path.is_symlink():
                    text = _read(path, dirs).decode("utf-8", errors="replace")
                    return text, str(path), _unchanged(path)
            raise jinja2.TemplateNotFound(template)

    return SafeLoader()


def _unchanged(path: Path) -> Callable[[], bool]:
    """Whether the template file is as it was when it was read (for Jinja's cache)."""
    before = os.stat(path).st_mtime_ns

    def check() -> bool:
        try:
            return os.stat(path).st_mtime_ns == before
        except OSError:
            return False

    return check


def _read(path: Path, dirs: tuple[Path, ...]) -> bytes:
    """A template file's bytes, refusing links out of the template folders and odd files."""
    try:
        return files.read(path, tuple(d.resolve() for d in dirs))
    except files.FileRefused as exc:
        raise RenderError(f"{path}: {exc.message}") from None


def stylesheet(dirs: tuple[Path, ...]) -> str:
    """The paper stylesheet from the first folder that has one."""
    for folder in dirs:
        path = folder / STYLESHEET
        if path.is_file() or path.is_symlink():
            return _read(path, dirs).decode("utf-8", errors="replace")
    raise RenderError(f"no {STYLESHEET} in {', '.join(map(str, dirs))}")


def warn_unknown_blocks(paper: Paper, file: str) -> None:
    """Warn of each block the template cannot write (of no kind it knows): it is left out."""
    for block in paper.blocks:
        if kind(block) is None:
            warn(unwritten(block, file))


def render_html(
    paper: Paper,
    dirs: tuple[Path, ...],
    media: str,
    moment: datetime,
    font_dirs: tuple[Path, ...] = (PACKAGED_FONTS,),
    fallback: str | None = None,
) -> str:
    """The paper as one HTML document ('print' for PDF, 'screen' for the web).

    moment is the fixed creation date written into the document, so that the same
    inputs always give the same bytes. font_dirs are where the paper's font files are
    looked for, and fallback the family drawing what its font lacks (print only).
    """
    import jinja2

    try:
        template = environment(tuple(dirs)).get_template(TEMPLATE)
        return template.render(
            paper=paper,
            css=stylesheet(dirs),
            fonts=font_css(paper, media, font_dirs, fallback),
            media=media,
            created=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
            targets=_targets(paper),
        )
    except jinja2.exceptions.SecurityError as exc:
        raise RenderError(
            f"template error: the template did something not allowed ({exc})"
        ) from exc
    except jinja2.TemplateError as exc:
        where = f" ({exc.filename}:{exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise RenderError(f"template error{where}: {exc}") from exc


def _targets(paper: Paper) -> dict[str, str]:
    """Each heading anchor's text: what a link to it says to a screen reader."""
    return {b.anchor: b.text for b in paper.blocks if isinstance(b, Heading) and b.anchor}


FORMAT = Format(
    name="html",
    suffix=".html",
    description="a web page for reading on screen",
    default=True,
    order=3,
)


class HtmlWriter:
    """A self-contained web page, for reading on screen."""

    name = FORMAT.name
    suffix = FORMAT.suffix
    description = FORMAT.description

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper as UTF-8 HTML for the screen."""
        warn_unknown_blocks(paper, f"{paper.id}{self.suffix}")
        html = render_html(paper, context.templates, "screen", context.moment, context.fonts)
        return html.encode("utf-8")


WRITER = HtmlWriter()
