"""The HTML writer: a paper as one self-contained page, through a Jinja template.

Templates come from the project's templates/ folder when it has them, else from
planreport's own. Jinja is loaded only when a paper is first rendered.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..paper import Paper, contrast
from . import RenderContext, RenderError

if TYPE_CHECKING:
    import jinja2

TEMPLATE = "paper.html.j2"
STYLESHEET = "paper.css"


@cache
def environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """A Jinja environment over dirs that escapes everything and refuses undefined names."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["kind"] = lambda block: type(block).__name__.lower()
    env.globals["contrast"] = contrast
    return env


def stylesheet(dirs: tuple[Path, ...]) -> str:
    """The paper stylesheet from the first folder that has one."""
    for folder in dirs:
        if (folder / STYLESHEET).is_file():
            return (folder / STYLESHEET).read_text(encoding="utf-8")
    raise RenderError(f"no {STYLESHEET} in {', '.join(map(str, dirs))}")


def render_html(paper: Paper, dirs: tuple[Path, ...], media: str, moment: datetime) -> str:
    """The paper as one HTML document ('print' for PDF, 'screen' for the web).

    moment is the fixed creation date written into the document, so that the same
    inputs always give the same bytes.
    """
    import jinja2

    try:
        template = environment(tuple(dirs)).get_template(TEMPLATE)
        return template.render(
            paper=paper,
            css=stylesheet(dirs),
            media=media,
            created=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    except jinja2.TemplateError as exc:
        where = f" ({exc.filename}:{exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise RenderError(f"template error{where}: {exc}") from exc


class HtmlWriter:
    """A self-contained web page, for reading on screen."""

    name = "html"
    suffix = ".html"
    description = "a web page for reading on screen"

    def write(self, paper: Paper, context: RenderContext) -> bytes:
        """The paper as UTF-8 HTML for the screen."""
        return render_html(paper, context.templates, "screen", context.moment).encode("utf-8")


WRITER = HtmlWriter()
