"""Write a paper as HTML (a self-contained page) and as PDF (through WeasyPrint).

Templates come from the project's templates/ folder when it has them, else from
planreport's own. While rendering, only files under those folders and data: URIs can be
read: no network, no other local file.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2

from .paper import Paper

TEMPLATE = "paper.html.j2"
STYLESHEET = "paper.css"


class RenderError(Exception):
    """Rendering a paper failed; the message names the paper and what went wrong."""


def packaged_templates() -> Path:
    """planreport's own templates folder."""
    return Path(str(resources.files("planreport").joinpath("templates")))


def template_dirs(project: Path | None) -> list[Path]:
    """Where templates are looked for: the project's folder first."""
    dirs = [project] if project is not None and project.is_dir() else []
    return [*dirs, packaged_templates()]


@cache
def _environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    """A Jinja environment that escapes everything and refuses undefined names."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=False,
    )
    env.globals["kind"] = lambda block: type(block).__name__.lower()
    env.globals["contrast"] = _contrast
    return env


def _contrast(colour: str | None) -> str:
    """Black or white, whichever reads better on colour."""
    if not colour:
        return "#000000"
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if luminance > 0.45 else "#FFFFFF"


def stylesheet(dirs: list[Path]) -> str:
    """The paper stylesheet from the first folder that has one."""
    for folder in dirs:
        if (folder / STYLESHEET).is_file():
            return (folder / STYLESHEET).read_text(encoding="utf-8")
    raise RenderError(f"no {STYLESHEET} in {', '.join(map(str, dirs))}")


def render_html(paper: Paper, dirs: list[Path], media: str, moment: datetime) -> str:
    """The paper as one HTML document ('print' for PDF, 'screen' for the web).

    moment is the fixed creation date written into the document, so that the same
    inputs always give the same bytes.
    """
    try:
        template = _environment(tuple(dirs)).get_template(TEMPLATE)
        return template.render(
            paper=paper,
            css=stylesheet(dirs),
            media=media,
            created=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    except jinja2.TemplateError as exc:
        where = f" ({exc.filename}:{exc.lineno})" if getattr(exc, "lineno", None) else ""
        raise RenderError(f"template error{where}: {exc}") from exc


def write_pdf(html: str, dirs: list[Path], moment: datetime) -> bytes:
    """Lay out the HTML as a tagged PDF/UA-1 document; any WeasyPrint error fails it.

    Font subsetting stamps the time from SOURCE_DATE_EPOCH, set here to moment, so the
    same inputs give the same bytes.
    """
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    allowed = [d.resolve() for d in dirs]

    class _Fetcher(URLFetcher):
        """Fetch only data: URIs and files inside the template folders."""

        def fetch(self, url: str, headers: dict | None = None):  # type: ignore[override]
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url[len("file://") :].split("?")[0]).resolve()
                if any(path.is_relative_to(folder) for folder in allowed):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"refused to fetch {url}: only template files may be read")

    messages: list[str] = []
    handler = _Collect(messages)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        document = weasyprint.HTML(
            string=html, base_url=str(allowed[0]) + "/", url_fetcher=_Fetcher(fail_on_errors=True)
        )
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=False)
    except FatalURLFetchingError as exc:
        raise RenderError(str(exc)) from exc
    finally:
        logger.removeHandler(handler)
    if messages:
        raise RenderError("WeasyPrint reported: " + "; ".join(messages))
    return pdf


class _Collect(logging.Handler):
    """Collect WeasyPrint's errors and warnings so the build can fail on them."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the message, unless it is about the machine rather than the paper."""
        message = record.getMessage()
        if not message.startswith(_MACHINE_NOTICES):
            self.messages.append(message)


# Notices about the machine's libraries, not about the paper: the output is the same.
_MACHINE_NOTICES = ("Using fontTools instead of HarfBuzz-Subset",)
