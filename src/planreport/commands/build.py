"""`planreport build`: check each paper, compose it, and write it in each of its formats.

`build` reads as the stages in order. A paper whose inputs have not changed is skipped
before anything is loaded; a paper that `check` rejects is reported, never rendered;
the others are composed here and written by the writers in parallel across cores.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import hashlib
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from time import sleep
from typing import TYPE_CHECKING

import planreport
from planreport import __version__, output, writers
from planreport.files import FileRefused
from planreport.paper import definitions
from planreport.problems import Problem
from planreport.project import Project, UsageError

if TYPE_CHECKING:  # a no-op rebuild imports neither checking, composing nor any writer
    from planreport.commands.check import CheckedPaper
    from planreport.paper.model import Paper

CACHE_FILE = ".planreport-build.json"


@dataclass(frozen=True)
class Options:
    """What to build and where."""

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
    errors: list[str] = field(default_factory=list)  # one per format that could not be written
    warnings: list[str] = field(default_factory=list)  # written, with something to look at

    @property
    def error(self) -> str | None:
        """What went wrong in writing the paper, all formats in one line; None if nothing."""
        return "; ".join(self.errors) or None

    @property
    def failed(self) -> bool:
        """Whether the paper could not be built, in one of its formats or at all."""
        return bool(self.errors or self.problems)


@dataclass
class BuildResult:
    """Everything a build did."""

    papers: list[PaperResult]

    @property
    def failed(self) -> bool:
        """Whether any paper failed."""
        return any(p.failed for p in self.papers)


@dataclass(frozen=True)
class Job:
    """One composed paper to write (picklable, for the worker processes)."""

    paper: Paper
    formats: tuple[str, ...]
    context: writers.RenderContext
    out: Path


Progress = Callable[[PaperResult], None]
Started = Callable[[int, int, str], None]  # (number, of how many, paper id)


def build(
    project: Project,
    options: Options,
    progress: Progress | None = None,
    waiting: Callable[[], None] | None = None,
    started: Started | None = None,
) -> BuildResult:
    """Build the chosen papers; report each one to progress as it finishes.

    waiting is told when another build holds the output folder and this one waits;
    started, when the writing of a paper begins (one at a time) or ends (in parallel):
    its number, how many papers are being written, and its id.
    """
    if options.out.exists() and not options.out.is_dir():
        raise UsageError(f"{options.out} is a file; name a folder to build into (--out DIR).")
    try:
        with _fewer_collections():
            return _build(project, options, progress, waiting, started)
    except OSError as exc:  # the output folder itself: read-only, full, not allowed
        where = exc.filename or options.out
        raise UsageError(f"cannot write to {where}: {exc.strerror or exc}.") from None


# Python's cyclic garbage collector runs after every 700 new objects by default, and
# now and then walks every object alive. A build makes millions (the plan, the paper
# model, WeasyPrint's boxes) and frees few in cycles: at 5,000 actions the Word build
# spent 1.3 to 1.6 s of about 7 s collecting. While building, the youngest objects are
# collected after every 50,000 new ones, and the older generations (where the plan and
# paper models end up: walking them took 0.18 s of each 5,000-action Word build) hardly
# ever. That costs little memory: 2 % more at the peak of a 1,000-action PDF build.
BUILD_GC_THRESHOLD = (50_000, 1_000, 1_000)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the garbage collector less often for the duration, then as before."""
    before = gc.get_threshold()
    gc.set_threshold(*BUILD_GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _build(
    project: Project,
    options: Options,
    progress: Progress | None,
    waiting: Callable[[], None] | None,
    started: Started | None = None,
) -> BuildResult:
    """The build itself, holding the output folder's lock."""
    results: list[PaperResult] = []
    with output.locked(options.out, waiting), output.private_temporaries(options.out) as temp:
        cache = output.read_json(options.out / CACHE_FILE)
        before = dict(cache)
        fingerprints: dict[str, str] = {}
        jobs: list[Job] = []
        for path, spec in _chosen(project, options):
            if spec is not None:
                fingerprints[spec.id] = _fingerprint(project, spec, options)
                if not options.force and _fresh(spec, fingerprints[spec.id], cache, options):
                    _finish(PaperResult(spec.id, skipped=True), results, progress)
                    continue
            from planreport.commands.check import check_paper

            checked = check_paper(project, path, warnings=False)
            if checked.errors or spec is None:
                _finish(PaperResult(path.stem, problems=checked.errors), results, progress)
                continue
            jobs.append(_job(project, checked, spec, options))
            del checked
        for result in _write_all(jobs, options.jobs, started, temp):
            _finish(result, results, progress)
            _remember(cache, result, fingerprints[result.id])
        if cache != before:  # not `if jobs`: writing one at a time empties the list
            output.write_json(options.out / CACHE_FILE, cache)
    return BuildResult(sorted(results, key=lambda r: r.id))


def _remember(cache: dict, result: PaperResult, fingerprint: str) -> None:
    """Record what a written paper was built from; forget it if a format failed.

    A paper that failed in any format is built again next time, even if nothing changed:
    its outputs are not all from these inputs (a failed format keeps its older file).
    """
    if result.failed:
        cache.pop(result.id, None)
    else:
        cache[result.id] = fingerprint


def _finish(result: PaperResult, results: list[PaperResult], progress: Progress | None) -> None:
    """Record a finished paper and tell whoever is listening."""
    results.append(result)
    if progress:
        progress(result)


def _chosen(project: Project, options: Options) -> list[tuple[Path, definitions.PaperSpec | None]]:
    """The papers to build, named by --paper (else all), then this runner's shard of them.

    Each comes with its definition, or None if the definition has errors.
    """
    files = {path.stem: path for path in project.paper_files()}
    for wanted in options.paper_ids:
        if wanted not in files:
            raise UsageError(
                f"there is no paper '{wanted}' in {project.plans_dir.name}/papers"
                f" (papers: {', '.join(sorted(files)) or 'none'})."
            )
    specs = {name: definitions.load(project, path).value for name, path in files.items()}
    every = [spec for spec in specs.values() if spec is not None]
    names = sorted(n for n in files if not options.paper_ids or n in options.paper_ids)
    index, count = options.shard
    return [
        (files[n], specs[n] and definitions.with_previous(specs[n], every))
        for i, n in enumerate(names)
        if i % count == index - 1
    ]


def _formats(spec: definitions.PaperSpec, options: Options) -> tuple[str, ...]:
    """The paper's formats (if it names none: the default ones, or any --format names)."""
    if spec.formats is not None:
        formats = spec.formats
    else:
        formats = writers.names() if options.formats else writers.defaults()
    return tuple(f for f in formats if not options.formats or f in options.formats)


def _fingerprint(project: Project, spec: definitions.PaperSpec, options: Options) -> str:
    """A hash of everything a paper's output depends on ('' if an input cannot be read)."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(_code_stamp().encode())
    digest.update(repr((sorted(_formats(spec, options)), spec.previous_as_at)).encode())
    try:
        for path in sorted(set(_inputs(project, spec))):
            digest.update(str(path).encode())
            digest.update(project.read_bytes(path))
    except FileRefused:
        return ""
    return digest.hexdigest()


@functools.cache
def _code_stamp() -> str:
    """planreport's own code as installed: each module's name, size and time of change.

    A paper built by other code (an upgrade, or a developer's edit) is built again.
    """
    package = Path(planreport.__file__).parent
    stamps = []
    for path in sorted(package.rglob("*.py")):
        info = path.stat()
        stamps.append(f"{path.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}")
    return "\n".join(stamps)


def _inputs(project: Project, spec: definitions.PaperSpec) -> Iterator[Path]:
    """The files a paper is built from: paper, plans, people, layout and templates."""
    yield spec.path
    yield from _sources(project, spec)
    for folder in project.template_dirs():
        yield from (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _sources(project: Project, spec: definitions.PaperSpec) -> Iterator[Path]:
    """The files a paper's text is written in besides its own: plans, people, layout."""
    sources = project.plan_sources()
    for plan_id in spec.plans:
        if plan_id in sources:
            yield from sources[plan_id].files
            people = project.people_file(sources[plan_id].main)
            if people:
                yield people
    layout = project.layout_file(spec.layout)
    if layout:
        yield layout
    if spec.cover and spec.cover.text.is_file():
        yield spec.cover.text


def _fresh(spec: definitions.PaperSpec, fingerprint: str, cache: dict, options: Options) -> bool:
    """Whether a paper's outputs were built from these very inputs and still exist."""
    return (
        bool(fingerprint)
        and cache.get(spec.id) == fingerprint
        and all(
            (options.out / f"{name}{writers.suffix(fmt)}").is_file()
            for fmt in _formats(spec, options)
            for name in _names(spec)
        )
    )


def _names(spec: definitions.PaperSpec) -> list[str]:
    """The names of a paper's files: its id, and its cover report's if built apart."""
    apart = spec.cover is not None and spec.cover.separate
    return [spec.id, *([spec.id + definitions.COVER_FILE] if apart else [])]


def _job(
    project: Project, checked: CheckedPaper, spec: definitions.PaperSpec, options: Options
) -> Job:
    """Compose a checked paper into the paper model, ready for the writers."""
    from planreport.paper import compose

    paper = compose.compose(spec, checked.plans, checked.people, checked.layout, checked.cover)
    moment = datetime.combine(spec.as_at, time(12), tzinfo=UTC)
    templates = project.template_dirs()
    context = writers.RenderContext(
        templates,
        project.reference_document(),
        moment,
        writers.font_dirs(templates),
        tuple(dict.fromkeys([*_sources(project, spec), spec.path])),
        project.root,
    )
    return Job(paper, _formats(spec, options), context, options.out)


def _write_all(
    jobs: list[Job], workers: int, started: Started | None, temp: Path
) -> Iterator[PaperResult]:
    """Write the papers, in parallel when there is more than one and more than one core.

    Written one at a time, each job is let go (popped from jobs) as soon as its paper is
    written, so that the models of papers already written do not stay in memory. Worker
    processes keep their temporaries in temp and end when this process ends.
    """
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    if workers <= 1 or len(jobs) <= 1:
        total = len(jobs)
        for number in range(1, total + 1):
            job = jobs.pop(0)
            if started and total > 1:
                started(number, total, job.paper.id)
            yield write_paper(job)
            del job
        return
    with ProcessPoolExecutor(workers, initializer=_worker, initargs=(os.getpid(), temp)) as pool:
        for number, result in enumerate(pool.map(write_paper, jobs), 1):
            if started:
                started(number, len(jobs), result.id)
            yield result


# The build process a worker serves (None outside a worker), and Linux's prctl request
# for a signal when that process ends.
_parent: int | None = None
PR_SET_PDEATHSIG = 1


def _worker(parent: int, temp: Path) -> None:
    """Start a worker: temporaries in the build's folder, and its life tied to the build's.

    On Linux the kernel kills the worker when the build process ends, even by SIGKILL;
    elsewhere a thread watches for the worker being orphaned. Either way write_paper
    checks before each write, and a worker whose build already ended ends at once.
    """
    global _parent
    _parent = parent
    tempfile.tempdir = os.environ["TMPDIR"] = str(temp)
    if not _kill_when_parent_ends():
        threading.Thread(target=_watch_parent, daemon=True).start()
    _end_if_orphaned()


def _kill_when_parent_ends() -> bool:
    """Ask Linux to SIGKILL this process when its parent ends; whether it agreed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent() -> None:
    """End this worker soon after its build process ends (where the kernel will not)."""
    while True:
        _end_if_orphaned()
        sleep(0.5)


def _end_if_orphaned() -> None:
    """End this worker now if the build it serves has ended: it must write nothing more."""
    if _parent is not None and os.getppid() != _parent:
        os._exit(1)


def write_paper(job: Job) -> PaperResult:
    """Write one composed paper in each format; one that fails stops no other.

    WriteFailed (the disk refusing to take a file) stops the build.
    """
    from planreport.paper.model import parts

    result = PaperResult(job.paper.id)
    try:
        for part in parts(job.paper, definitions.COVER_FILE):
            for name in job.formats:
                try:
                    result.written.append(_write_format(job, part, name))
                except writers.RenderError as exc:
                    result.errors.append(str(exc))
    finally:
        result.warnings = writers.take_warnings()
    return result


def _write_format(job: Job, paper: Paper, name: str) -> Path:
    """Write the paper (or a part of it) in one format; the file, RenderError, or WriteFailed."""
    writer = writers.get(name)
    target = job.out / f"{paper.id}{writer.suffix}"
    data = _render(writer, paper, job.context, target)
    _end_if_orphaned()
    output.write_atomic(target, data)
    return target


def _render(
    writer: writers.Writer, paper: Paper, context: writers.RenderContext, target: Path
) -> bytes:
    """The paper in one format; WriteFailed for target if the disk refuses its temporaries."""
    try:
        return writer.write(paper, context)
    except OSError as exc:
        if exc.errno not in output.DISK_ERRORS:
            raise
        raise output.WriteFailed(target, exc.errno, exc.strerror) from None
