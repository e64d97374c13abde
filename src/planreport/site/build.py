"""`planreport site`: the plans checked, the site's model made, every file written if changed.

Reads as the stages in order. Plans `check` rejects are left out and their errors
reported; the papers `build` wrote are copied in. Each file is written only when its bytes
differ from what the last run wrote (a manifest of digests in the site's folder), so a
rebuild rewrites only changed pages and a web server's caches stay valid; files the last
run wrote that this one does not are removed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from planreport import files, output, writers
from planreport.commands import check
from planreport.paper import definitions
from planreport.plan import config
from planreport.problems import Location, Problem, Problems
from planreport.project import Project, UsageError, display
from planreport.site import opendata, pages, settings
from planreport.site.model import PaperFile, Site, SitePaper, make_site

MANIFEST = ".planreport-site.json"
PAPER_LIMIT = 200 * 1024 * 1024  # a built paper copied into the site
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "html": "Web page"}  # as a reader knows them
STATIC = ("govuk-frontend.min.css", "govuk-frontend.LICENCE.txt", "narrow.js", "search.js")


@dataclass
class SiteResult:
    """What a site build did."""

    out: Path
    problems: list[Problem]
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    plans: int = 0
    left_out: list[str] = field(default_factory=list)  # ids of plans with errors

    @property
    def failed(self) -> bool:
        """Whether anything stopped a plan or file from being published."""
        return any(p.severity.value == "error" for p in self.problems)


def build_site(
    project: Project, out: Path, papers_dir: Path, as_at: date | None = None
) -> SiteResult:
    """Build the site into out as at a date (default: configured, else today), with papers."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file; name a folder to build the site into (--out DIR).")
    problems = Problems()
    loaded = config.load(project)
    problems.extend(loaded.problems)
    chosen = settings.from_config(loaded.value or config.Config(), problems)
    as_at = as_at or chosen.as_at or date.today()
    checked = check.check(project, [project.plans_dir], as_at, True)
    problems.extend(p for p in checked.problems if p.severity.value == "error")
    plans = [p for p in checked.plans if p.id not in checked.broken]
    titles = {p.id: p.title or p.id for p in checked.plans}
    papers = _papers(project, papers_dir, titles, problems)
    site = make_site(chosen, plans, checked.people, [p for p, _ in papers], as_at)
    where = (loaded.value or config.Config()).where("site", "logo")
    produced = dict(_files(project, site, papers, problems, where))
    result = SiteResult(out, list(problems), plans=len(plans), left_out=list(checked.broken))
    with output.writing(out):
        out.mkdir(parents=True, exist_ok=True)
    with output.locked(out):
        _write(out, produced, result)
    return result


def _papers(
    project: Project, folder: Path, titles: dict[str, str], problems: Problems
) -> list[tuple[SitePaper, dict[str, bytes]]]:
    """Every paper definition that loads, with the bytes of each file `build` wrote for it."""
    found = []
    for path in project.paper_files():
        loaded = definitions.load(project, path)
        spec = loaded.value
        if spec is None:
            problems.extend(p for p in loaded.problems if p.severity.value == "error")
            continue
        # A paper with no title is headed by its plans' (as its own title block is).
        title = spec.title or "; ".join(titles.get(i, i) for i in spec.plans)
        paper, data = SitePaper(spec, title), {}
        for fmt in spec.formats or writers.defaults():
            built = folder / f"{spec.id}{writers.suffix(fmt)}"
            if not built.is_file():
                continue
            try:
                data[built.name] = project.read_bytes(built, PAPER_LIMIT)
            except files.FileRefused as refused:
                problems.warning(Location(display(built)), refused.rule, refused.message)
                continue
            label = FORMAT_NAMES.get(fmt, fmt.upper())
            paper.files.append(PaperFile(label, built.name, len(data[built.name])))
        found.append((paper, data))
    return found


def _files(
    project: Project,
    site: Site,
    papers: list[tuple[SitePaper, dict[str, bytes]]],
    problems: Problems,
    where: Location,
) -> list[tuple[str, bytes]]:
    """Every file of the site, by its path from the site's root."""
    logo = _logo(project, site.settings.logo, problems, where)
    found = list(pages.pages(site, logo[0] if logo else None))
    found += [(f"assets/{name}", files.read_packaged(f"site/static/{name}")) for name in STATIC]
    base = files.read_packaged("site/static/site.css").decode("utf-8")
    found.append(("assets/site.css", (base + pages.stylesheet(site)).encode("utf-8")))
    index = json.dumps(pages.search_index(site), ensure_ascii=False, sort_keys=True)
    found.append(("data/search-index.json", (index + "\n").encode("utf-8")))
    script = index.replace("<", "\\u003c")
    found.append(("assets/search-index.js", f"window.PLANREPORT_SEARCH = {script};\n".encode()))
    schema = files.read_packaged(f"schema/{opendata.SCHEMA_NAME}")
    found.append((f"schema/{opendata.SCHEMA_NAME}", schema))
    for plan in site.plans:
        found.append((f"data/{plan.slug}.json", opendata.plan_json(site, plan)))
        found.append((f"data/{plan.slug}.csv", opendata.actions_csv(site, [plan])))
        path = f"plans/{plan.slug}/feed.atom"
        found.append((path, opendata.feed(site, [plan], path, f"{plan.title}: changes")))
    found.append(("data/actions.csv", opendata.actions_csv(site, site.plans)))
    found.append(("feed.atom", opendata.feed(site, site.plans, "feed.atom", site.settings.title)))
    found += [(f"papers/{name}", data) for _paper, built in papers for name, data in built.items()]
    if logo:
        found.append(logo)
    return found


def _logo(
    project: Project, name: str | None, problems: Problems, where: Location
) -> tuple[str, bytes] | None:
    """The council's logo file, read from the project; None (reported) if it cannot be."""
    if not name:
        return None
    path = project.root / name
    try:
        data = project.read_bytes(path, 2 * 1024 * 1024)
    except files.FileRefused as refused:
        problems.error(where, refused.rule, f"the logo '{name}': {refused.message}")
        return None
    return f"assets/logo{path.suffix.lower()}", data


def _write(out: Path, produced: dict[str, bytes], result: SiteResult) -> None:
    """Write each file whose bytes changed; remove what the last run wrote and this did not."""
    before = output.read_json(out / MANIFEST)
    after = {path: hashlib.sha256(data).hexdigest() for path, data in produced.items()}
    for path, data in produced.items():
        target = out / path
        if before.get(path) == after[path] and target.is_file():
            result.unchanged += 1
            continue
        output.write_atomic(target, data)
        result.written.append(target)
    for path in sorted(set(before) - set(after)):
        target = out / path
        if target.resolve().is_relative_to(out.resolve()):
            output.remove_file(target, out)
            result.removed.append(target)
    output.write_json(out / MANIFEST, after)
