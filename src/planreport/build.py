"""`planreport build`: compose every paper and write it as PDF, Word and HTML.

Each paper is built by `build_paper`, a script of stage calls; papers are built in
parallel across cores, and a paper whose inputs have not changed is skipped.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path

from . import __version__, check, compose, html_writer, output, papers
from .problems import Problem, Problems

CACHE_FILE = ".planreport-build.json"


@dataclass(frozen=True)
class Options:
    """What to build and where."""

    plans: Path = Path("plans")
    templates: Path = Path("templates")
    out: Path = Path("build")
    paper_ids: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    force: bool = False
    shard: tuple[int, int] = (1, 1)
    jobs: int = 0


@dataclass
class PaperResult:
    """What happened to one paper."""

    id: str
    written: list[Path] = field(default_factory=list)
    skipped: bool = False
    problems: list[Problem] = field(default_factory=list)
    error: str | None = None


@dataclass
class BuildResult:
    """Everything a build did."""

    papers: list[PaperResult]
    problems: list[Problem]

    @property
    def failed(self) -> bool:
        """Whether any paper or definition failed."""
        return bool(self.problems) or any(p.error or p.problems for p in self.papers)


def build(options: Options, progress: Callable[[PaperResult], None] | None = None) -> BuildResult:
    """Build the chosen papers; report each one to progress as it finishes."""
    problems = Problems()
    every = _specs(options, problems)
    specs = [papers.with_previous(s, every) for s in _chosen(every, options, problems)]
    with output.locked(options.out):
        cache = output.read_json(options.out / CACHE_FILE)
        jobs = [Job(s.path, options, _fingerprint(s, options), _formats(s, options)) for s in specs]
        results = []
        todo = []
        for job in jobs:
            if not options.force and _fresh(job, cache):
                results.append(PaperResult(job.path.stem, skipped=True))
                _tell(progress, results[-1])
            else:
                todo.append(job)
        fingerprints = {job.path.stem: job.fingerprint for job in todo}
        for result in _run(todo, options):
            results.append(result)
            _tell(progress, result)
            if not (result.error or result.problems):
                cache[result.id] = fingerprints[result.id]
        if todo:
            output.write_json(options.out / CACHE_FILE, cache)
    results.sort(key=lambda r: r.id)
    return BuildResult(results, list(problems))


@dataclass(frozen=True)
class Job:
    """One paper to build (picklable, for the worker processes)."""

    path: Path
    options: Options
    fingerprint: str
    formats: tuple[str, ...]


def _tell(progress: Callable[[PaperResult], None] | None, result: PaperResult) -> None:
    """Report a finished paper, if anyone is listening."""
    if progress:
        progress(result)


def _specs(options: Options, problems: Problems) -> list[papers.PaperSpec]:
    """Every valid paper definition; the errors of the papers asked for go to problems."""
    files = papers.paper_files(options.plans)
    for wanted in options.paper_ids:
        if wanted not in {p.stem for p in files}:
            raise check.UsageError(
                f"there is no paper '{wanted}' in {options.plans / papers.PAPERS_FOLDER}"
                f" (papers: {', '.join(sorted(p.stem for p in files)) or 'none'})."
            )
    specs = []
    for path in files:
        own = Problems()
        spec = papers.load_paper(path, own, check.display(path))
        if not options.paper_ids or path.stem in options.paper_ids:
            problems.extend(own)
        if spec is not None:
            specs.append(spec)
    return specs


def _chosen(
    specs: list[papers.PaperSpec], options: Options, problems: Problems
) -> list[papers.PaperSpec]:
    """The papers named by --paper, then this runner's shard of them."""
    if options.paper_ids:
        specs = [s for s in specs if s.id in options.paper_ids]
    index, count = options.shard
    return [s for i, s in enumerate(sorted(specs, key=lambda s: s.id)) if i % count == index - 1]


def _fingerprint(spec: papers.PaperSpec, options: Options) -> str:
    """A hash of everything a paper's output depends on."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(repr((sorted(_formats(spec, options)), spec.previous_as_at)).encode())
    for path in sorted(_inputs(spec, options)):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _inputs(spec: papers.PaperSpec, options: Options) -> Iterator[Path]:
    """The files a paper is built from: paper, plans, people, layout and templates."""
    yield spec.path
    sources, _ = check.discover([options.plans])
    for source in sources:
        if source.id in spec.plans:
            yield source.main
            yield from source.parts
    people = check.find_people(options.plans)
    if people:
        yield people
    for folder in html_writer.template_dirs(options.templates):
        yield from (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _fresh(job: Job, cache: dict) -> bool:
    """Whether a paper's outputs were built from these very inputs and still exist."""
    return cache.get(job.path.stem) == job.fingerprint and all(
        (job.options.out / f"{job.path.stem}.{fmt}").is_file() for fmt in job.formats
    )


def _formats(spec: papers.PaperSpec, options: Options) -> tuple[str, ...]:
    """The paper's formats that --format allows."""
    return tuple(f for f in spec.formats if not options.formats or f in options.formats)


def _run(jobs: list[Job], options: Options) -> Iterator[PaperResult]:
    """Build papers, in parallel when there is more than one and more than one core."""
    workers = options.jobs or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield build_paper(job.path, job.options)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(build_paper, job.path, job.options) for job in jobs]
        for future in futures:
            yield future.result()


def build_paper(path: Path, options: Options) -> PaperResult:
    """Build one paper: load, compose, render and write each format."""
    result = PaperResult(path.stem)
    problems = Problems()
    spec = papers.load_paper(path, problems, check.display(path))
    if spec is not None:
        spec = papers.with_previous(spec, _specs(options, Problems()))
    plans = _plans(spec, options, problems) if spec else None
    layout = _layout(spec, options, problems) if spec else None
    people = _people(options, problems)
    if problems or spec is None or plans is None or layout is None or people is None:
        result.problems = list(problems)
        return result
    paper = compose.compose(spec, plans, people, layout)
    dirs = html_writer.template_dirs(options.templates)
    try:
        for fmt in _formats(spec, options):
            target = options.out / f"{spec.id}.{fmt}"
            output.write_atomic(target, _render(fmt, paper, dirs, spec, options))
            result.written.append(target)
    except html_writer.RenderError as exc:
        result.error = str(exc)
    return result


def _render(
    fmt: str, paper: compose.Paper, dirs: list[Path], spec: papers.PaperSpec, options: Options
) -> bytes:
    """The paper's bytes in one format."""
    moment = datetime.combine(spec.as_at, time(12), tzinfo=UTC)
    if fmt == "html":
        return html_writer.render_html(paper, dirs, "screen", moment).encode("utf-8")
    if fmt == "pdf":
        return html_writer.write_pdf(
            html_writer.render_html(paper, dirs, "print", moment), dirs, moment
        )
    from . import word_writer

    return word_writer.write_docx(paper, word_writer.reference_document(options.templates), moment)


def _plans(spec: papers.PaperSpec, options: Options, problems: Problems) -> list | None:
    """The paper's plans, loaded and checked; None if any is missing or has errors."""
    sources = {s.id: s for s in check.discover([options.plans])[0]}
    if not papers.known_plans(spec, sources, check.display(options.plans), problems):
        return None
    plans = [check.load_plan(sources[plan_id], problems) for plan_id in spec.plans]
    return None if None in plans else plans


def _people(options: Options, problems: Problems) -> dict | None:
    """The people registry for the plans folder."""
    path = check.find_people(options.plans)
    return check._Registries(problems).get(path) if path else {}


def _layout(spec: papers.PaperSpec, options: Options, problems: Problems) -> dict | None:
    """The paper's layout, loaded and validated."""
    path = papers.find_layout(spec, options.templates, problems)
    return papers.load_layout(path, problems, check.display(path)) if path else None
