"""The `planreport` command: the only place that prints or exits."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from planreport import __version__, writers
from planreport.output import WriteFailed
from planreport.updates import formats

if TYPE_CHECKING:
    from planreport.commands.build import PaperResult
    from planreport.project import Project

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="planreport",
        description="Action plans as validated YAML; committee update papers from them.",
    )
    parser.add_argument("--version", action="version", version=f"planreport {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="the plan repository: the folder holding plans/ (default: the current folder)",
    )
    check = commands.add_parser(
        "check",
        parents=[common],
        help="check plans for errors and warnings",
        description="Check every plan, people.yaml, paper and layout under PATH: schema, dates, "
        "references, leads and statuses. Exit 0 if clean, 1 if problems were found, 2 on a "
        "usage error.",
    )
    check.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders in the project (default: plans/ and templates/)",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        help="output format (default: github under GitHub Actions, otherwise text)",
    )
    check.add_argument("--strict", action="store_true", help="fail on warnings as well as errors")
    check.add_argument(
        "--as-at",
        metavar="DATE",
        type=_as_at,
        help="the date date-based warnings use, as YYYY-MM-DD (default: today)",
    )
    status = commands.add_parser(
        "status",
        parents=[common],
        help="list overdue, due-soon and stale actions by lead officer",
        description="For chasing updates before a paper deadline: every action that is "
        "overdue, due soon, stale or past its review date, grouped by lead, with counts by "
        "status. Exit 0, or 1 if the plans have errors, 2 on a usage error.",
    )
    status.add_argument(
        "paths", nargs="*", type=Path, metavar="PLAN", help="plan files or folders (default: plans)"
    )
    status.add_argument(
        "--as-at",
        metavar="DATE",
        type=_as_at,
        help="the date to assess at, YYYY-MM-DD (default: today)",
    )
    status.add_argument(
        "--within",
        type=_days,
        default=30,
        metavar="DAYS",
        help="'due soon' means due within this many days (default 30)",
    )
    status.add_argument(
        "--lead", metavar="ID", help="only this lead officer (an id from people.yaml)"
    )
    status.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="output format (default: text)",
    )
    changes = commands.add_parser(
        "diff",
        parents=[common],
        help="what a change does to the plans, in committee language",
        description="Compare the plans with those at a git commit (default: where this branch "
        "left main): actions added or removed, due dates moved (with the reason), statuses "
        "changed, updates added. Exit 0, or 2 if the comparison cannot be made.",
    )
    changes.add_argument(
        "ref", nargs="?", metavar="REF", help="the commit, branch or tag to compare with"
    )
    changes.add_argument(
        "--format",
        choices=("text", "markdown"),
        default="text",
        help="text, or Markdown for a pull request",
    )
    build = commands.add_parser(
        "build",
        parents=[common],
        help="build committee papers as PDF, Word and HTML",
        description="Build every paper defined in plans/papers/ (or those named) into the "
        "build folder. Papers whose inputs have not changed are skipped. Exit 0 if every "
        "paper was built, 1 if any failed, 2 on a usage error.",
    )
    build.add_argument(
        "--paper",
        action="append",
        default=[],
        metavar="ID",
        help="build only this paper (repeatable)",
    )
    build.add_argument(
        "--format",
        action="append",
        default=[],
        choices=writers.names(),
        help="build only this format (repeatable)",
    )
    build.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="where to write (default: build/ in the project)",
    )
    build.add_argument(
        "--force", action="store_true", help="rebuild even papers whose inputs have not changed"
    )
    build.add_argument(
        "--shard",
        type=_shard,
        default=(1, 1),
        metavar="K/N",
        help="build only the K-th of N shares of the papers (for parallel CI runners)",
    )
    build.add_argument(
        "--jobs",
        type=_jobs,
        default=0,
        metavar="N",
        help="papers built at once (default: one per core)",
    )
    importer = commands.add_parser(
        "import",
        parents=[common],
        help="bring an existing plan in from Word, Excel or CSV",
        description="Read the plan tables of a Word (.docx), Excel (.xlsx) or CSV file and "
        "write them as a new plan in plans/ (new people go into plans/people.yaml), then "
        "check it and list what is left to complete. Exit 0 if the plan checks clean, 1 if "
        "it was written with errors to fix, 2 if nothing was written.",
    )
    importer.add_argument("source", type=Path, metavar="SOURCE", help="the .docx, .xlsx or .csv")
    importer.add_argument("--id", dest="plan_id", metavar="ID", help="the plan's id (file name)")
    importer.add_argument(
        "--folder", action="store_true", help="write a folder plan: one file per recommendation"
    )
    importer.add_argument("--force", action="store_true", help="replace an existing plan")
    importer.add_argument(
        "--as-at",
        metavar="DATE",
        type=_as_at,
        help="the date undated progress was written, YYYY-MM-DD (default: the document's)",
    )
    importer.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="HEADING=FIELD",
        help="read a column as this field, e.g. --map 'Lead officer(s)=leads' (repeatable)",
    )
    importer.add_argument(
        "--mapping", type=Path, metavar="FILE", help="a YAML file of column mappings"
    )
    importer.add_argument(
        "--statuses",
        choices=("brag", "rag", "numbered", "words"),
        help="the status scheme to use (default: proposed from what the source shows)",
    )
    importer.add_argument("--title", help="the plan's title (default: the document's)")
    request = commands.add_parser(
        "request",
        parents=[common],
        help="make update forms (Excel or Word) for lead officers to fill in",
        description="For a paper (--paper) or plans (default: every plan), write one form per "
        "lead listing their open actions, for them to give progress, a status, a new date or "
        "a completion date. Exit 0 if the forms were written, 1 if a plan has errors, 2 on a "
        "usage error.",
    )
    request.add_argument(
        "plans", nargs="*", type=Path, metavar="PLAN", help="plan files or folders (default: plans)"
    )
    request.add_argument("--paper", metavar="ID", help="the plans of this paper, one form per lead")
    request.add_argument("--lead", metavar="ID", help="only this lead's form (id in people.yaml)")
    request.add_argument(
        "--format",
        choices=tuple(formats.FORMATS),
        default=formats.DEFAULT,
        help=formats.described(),
    )
    request.add_argument(
        "--due", metavar="DATE", type=_as_at, help="the date to return the form by, YYYY-MM-DD"
    )
    request.add_argument(
        "--date", metavar="DATE", type=_as_at, help="the date the form is made (default: today)"
    )
    request.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write (default: build/forms/)"
    )
    apply = commands.add_parser(
        "apply",
        parents=[common],
        help="write the answers on returned forms into the plans",
        description="Read returned update forms and add each answer to its plan as a dated "
        "update, a revised due date or a completion, editing only those lines; then check "
        "the plans. An answer that does not check, or whose action changed since the form "
        "was made, is reported and not applied. Exit 0 if every answer was applied, 1 if any "
        "was not, 2 on a usage error.",
    )
    apply.add_argument("forms", nargs="+", type=Path, metavar="FORM", help="the returned forms")
    apply.add_argument(
        "--date",
        metavar="DATE",
        type=_as_at,
        help="the date the updates are recorded at, YYYY-MM-DD (default: today)",
    )
    apply.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    return parser


MAX_WITHIN_DAYS = 3660


def _days(value: str) -> int:
    """Parse a number of days, from 0 to about ten years."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of days, e.g. 30")
    if int(value) > MAX_WITHIN_DAYS:
        raise argparse.ArgumentTypeError(
            f"'{value}' days is too far ahead; give at most {MAX_WITHIN_DAYS} (ten years)"
        )
    return int(value)


def _jobs(value: str) -> int:
    """Parse --jobs: at least 1, at most the number of cores."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of papers at once, e.g. 2")
    return min(int(value), os.cpu_count() or 1)


def _shard(value: str) -> tuple[int, int]:
    """Parse --shard K/N."""
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not K/N, e.g. 1/3") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"'{value}': K must be between 1 and N")
    return index, count


def _as_at(value: str) -> date:
    """Parse --as-at: a day in the years plans can use."""
    from planreport.plan.dates import FIRST_YEAR, LAST_YEAR, in_range

    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2013-09-18"
        ) from None
    if not in_range(day):
        raise argparse.ArgumentTypeError(
            f"'{value}' is outside the years plans can use ({FIRST_YEAR} to {LAST_YEAR})"
        )
    return day


def main(argv: list[str] | None = None) -> int:
    """Run planreport; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_USAGE
    from planreport.project import Project, UsageError

    try:
        project = Project.open(args.project)
        commands = {
            "check": _check,
            "build": _build,
            "status": _status,
            "diff": _diff,
            "import": _import,
            "request": _request,
            "apply": _apply,
        }
        return commands[args.command](project, args)
    except UsageError as exc:
        print(f"planreport {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except WriteFailed as exc:  # a full disk, a read-only folder: the files there are as they were
        print(f"planreport {args.command}: {_write_failed(exc)}", file=sys.stderr)
        return EXIT_PROBLEMS if args.command == "build" else EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, not bad input: say so briefly
        if os.environ.get("PLANREPORT_DEBUG"):
            raise
        print(
            f"planreport: internal error ({type(exc).__name__}: {exc}). This is a bug in "
            "planreport, not in your plan; please report it. Set PLANREPORT_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return EXIT_USAGE


def _write_failed(exc: WriteFailed) -> str:
    """The located line for a file that could not be written: path, rule and what to do."""
    from planreport.commands import report
    from planreport.problems import Location, Problem, Severity
    from planreport.project import display

    where = Location(display(exc.path))
    return report.line(Problem(where, Severity.ERROR, exc.rule, exc.message()))


def _check(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport check` and print its report."""
    from planreport.commands import report
    from planreport.commands.check import check

    result = check(project, args.paths, args.as_at or date.today())
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    output = {"text": report.text, "json": report.as_json, "github": report.github}[fmt](result)
    sys.stdout.write(output)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        try:
            with open(summary, "a", encoding="utf-8") as handle:
                handle.write(report.github_summary(result))
        except OSError as exc:
            print(
                f"planreport check: cannot add the table of problems to the job summary "
                f"({summary}): {exc.strerror}. The annotations above still list them.",
                file=sys.stderr,
            )
    failing = result.count("error") + (result.count("warning") if args.strict else 0)
    return EXIT_PROBLEMS if failing else EXIT_OK


def _build(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport build`, naming each output written."""
    from planreport.commands.build import Options, build

    options = Options(
        out=args.out or project.root / "build",
        paper_ids=tuple(args.paper),
        formats=tuple(args.format),
        force=args.force,
        shard=args.shard,
        jobs=args.jobs,
    )
    interactive = sys.stdout.isatty() and not os.environ.get("CI")
    line = _StatusLine() if interactive and sys.stderr.isatty() else None
    result = build(
        project,
        options,
        progress=lambda paper: _progress(paper, interactive, line),
        waiting=lambda: print(
            f"Another build is writing to {options.out}; waiting for it to finish.",
            file=sys.stderr,
        ),
        started=line.show if line else None,
    )
    if line:
        line.clear()
    built = sum(1 for p in result.papers if p.written and not p.failed)
    skipped = sum(1 for p in result.papers if p.skipped)
    failed = sum(1 for p in result.papers if p.failed)
    print(f"Built {built} paper{'s' * (built != 1)}, {skipped} unchanged, {failed} failed.")
    return EXIT_PROBLEMS if result.failed else EXIT_OK


class _StatusLine:
    """One line on the terminal saying which paper the build is on: "[2/5] stockton-… …"."""

    def __init__(self) -> None:
        self.width = 0

    def show(self, number: int, total: int, paper_id: str) -> None:
        """Replace the line with the paper now being written."""
        text = f"[{number}/{total}] {paper_id} …"
        self.clear()
        sys.stderr.write(text)
        sys.stderr.flush()
        self.width = len(text)

    def clear(self) -> None:
        """Remove the line, so that what is printed next starts clean."""
        if self.width:
            sys.stderr.write("\r" + " " * self.width + "\r")
            sys.stderr.flush()
            self.width = 0


def _progress(paper: PaperResult, interactive: bool, line: _StatusLine | None = None) -> None:
    """Say what happened to one paper as soon as it is done."""
    if line:
        line.clear()
    if paper.skipped:
        if interactive:
            print(f"  {paper.id}: unchanged")
        return
    from planreport import escape
    from planreport.commands import report

    for problem in paper.problems:
        print(report.line(problem))
    for error in paper.errors:
        print(f"{paper.id}: error: {error}")
    for warning in paper.warnings:  # whole lines: "where: warning: [rule] message"
        print(escape.terminal(warning))
    for path in paper.written:
        print(f"wrote {path}")


def _status(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport status` and print the report."""
    from planreport.commands import report
    from planreport.commands import status as status_report
    from planreport.commands.check import check
    from planreport.problems import nearest

    as_at = args.as_at or date.today()
    result = check(project, args.paths or [project.plans_dir], as_at, plans_only=True)
    if result.broken:  # the other plans are still reported; errors go first (stderr if data)
        errors = [p for p in result.problems if p.severity.value == "error"]
        where = sys.stdout if args.format == "text" else sys.stderr
        where.write(report.text(type(result)(errors, result.plans, result.files)))
        print(status_report.left_out(result.broken), file=where)
    if args.lead and args.lead not in result.people:
        print(
            f"planreport status: no lead '{args.lead}' in people.yaml."
            f"{nearest(args.lead, result.people)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    plans = [p for p in result.plans if p.id not in result.broken]
    built = status_report.build_report(plans, result.people, as_at, args.within, args.lead)
    writer = {
        "text": status_report.as_text,
        "json": status_report.as_json,
        "csv": status_report.as_csv,
    }
    sys.stdout.write(writer[args.format](built))
    return EXIT_PROBLEMS if result.broken else EXIT_OK


def _diff(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport diff` and print the changes."""
    from planreport.commands import diff as plan_diff

    try:
        ref, found = plan_diff.diff(project, args.ref)
    except plan_diff.DiffError as exc:
        print(f"planreport diff: {exc}", file=sys.stderr)
        return EXIT_USAGE
    writer = plan_diff.as_markdown if args.format == "markdown" else plan_diff.as_text
    sys.stdout.write(writer(ref, found))
    return EXIT_OK


def _import(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport import`: write the plan, check it, say what is left to complete."""
    from planreport import escape
    from planreport.commands import report
    from planreport.commands.check import check
    from planreport.importers import ImportFailed, Options, import_plan, summary

    options = Options(
        args.source, args.plan_id, args.folder, args.force, args.as_at, args.map,
        args.mapping, args.statuses, args.title,
    )  # fmt: skip
    try:
        outcome = import_plan(project, options)
    except ImportFailed as exc:
        print(f"planreport import: {escape.terminal(exc.message)}", file=sys.stderr)
        return EXIT_USAGE
    shown = summary.read_lines(outcome) + summary.wrote_lines(outcome)
    print("\n".join(escape.terminal(line) for line in shown))  # names and headings are input
    as_at = outcome.check_as_at()
    result = check(type(project)(project.root), [outcome.plan_path], as_at)  # files changed
    print(f"\n{escape.terminal(summary.check_heading(outcome, as_at))}")
    sys.stdout.write(report.text(result))
    print("\n" + "\n".join(escape.terminal(line) for line in summary.todo_lines(outcome)))
    return EXIT_PROBLEMS if result.count("error") else EXIT_OK


def _request(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport request`: write the forms and name each one."""
    from planreport.commands import report
    from planreport.updates import report as forms_report
    from planreport.updates.request import Options, request

    options = Options(
        out=args.out or project.root / "build" / "forms",
        plans=tuple(args.plans),
        paper=args.paper,
        lead=args.lead,
        format=args.format,
        due=args.due,
        made=args.date or date.today(),
    )
    result = request(project, options)
    if result.errors:
        for problem in result.errors:
            print(report.line(problem))
        print("Fix these errors first: planreport request makes forms only for plans that check.")
        return EXIT_PROBLEMS
    sys.stdout.write(forms_report.request_text(result))
    return EXIT_OK


def _apply(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport apply`: apply the answers, say what changed and why not, then check."""
    from planreport.commands import report
    from planreport.updates import report as forms_report
    from planreport.updates.apply import Options, apply

    result = apply(project, Options(tuple(args.forms), args.date or date.today(), args.dry_run))
    for problem in result.plan_errors:
        print(report.line(problem))
    sys.stdout.write(forms_report.apply_text(result, args.dry_run))
    if result.check is not None:
        print()
        sys.stdout.write(report.text(result.check))
    if result.write_failed:
        print(f"planreport apply: {_write_failed(result.write_failed)}", file=sys.stderr)
    return EXIT_PROBLEMS if result.failed else EXIT_OK
