"""The `planreport` command: the only place that prints or exits."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from typing import TYPE_CHECKING

from planreport.arguments import parser
from planreport.output import WriteFailed

if TYPE_CHECKING:
    from planreport.commands.build import PaperResult
    from planreport.problems import Problem
    from planreport.project import Project
    from planreport.updates.answers import ApplyResult

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    """Run planreport; return the exit status."""
    args = parser().parse_args(argv)
    if args.command is None:
        parser().print_help()
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
            "round": _round,
            "remind": _remind,
            "site": _site,
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


def _returned(project: Project, result: ApplyResult, day: date) -> None:
    """Mark the forms apply read as returned in their rounds (`planreport round` shows it)."""
    from planreport.commands import report
    from planreport.updates import rounds
    from planreport.updates.apply import mark_returned

    try:
        mark_returned(project, result, day)
    except rounds.RoundRefused as exc:
        for problem in exc.problems:
            print(report.line(problem), file=sys.stderr)
    except WriteFailed as exc:
        print(f"planreport apply: {_write_failed(exc)}", file=sys.stderr)


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
        args.mapping, args.statuses, args.title, args.hidden,
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
    from planreport.updates import send
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
    mailing = args.send or args.dry_run
    if mailing:
        send.ready(project, args.dry_run)  # before any form is written
    result = request(project, options)
    if result.errors:
        for problem in result.errors:
            print(report.line(problem))
        print("Fix these errors first: planreport request makes forms only for plans that check.")
        return EXIT_PROBLEMS
    sys.stdout.write(forms_report.request_text(result))
    sent = send.record_and_send(project, result, options, mailing, args.dry_run)
    if sent is None or not mailing:
        return EXIT_OK
    return _mailed(sent.problems, send.summary(sent, args.dry_run), sent.failed)


def _mailed(problems: list[Problem], lines: list[str], failed: bool) -> int:
    """Print what a command that emails leads did: each letter, each lead not written to."""
    from planreport import escape
    from planreport.commands import report

    for problem in problems:
        print(report.line(problem))
    print("\n".join(escape.terminal(line) for line in lines))
    return EXIT_PROBLEMS if failed else EXIT_OK


def _apply(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport apply`: apply the answers, say what changed and why not, then check."""
    from planreport.commands import report
    from planreport.updates import report as forms_report
    from planreport.updates.apply import Options, apply

    day = args.date or date.today()
    result = apply(project, Options(tuple(args.forms), day, args.dry_run))
    for problem in result.plan_errors:
        print(report.line(problem))
    sys.stdout.write(forms_report.apply_text(result, args.dry_run))
    if result.check is not None:
        print()
        sys.stdout.write(report.text(result.check))
    if result.write_failed:
        print(f"planreport apply: {_write_failed(result.write_failed)}", file=sys.stderr)
    if not args.dry_run:
        _returned(project, result, day)
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def _round(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport round`: show the round's forms, sent, returned and outstanding."""
    from planreport.commands import report
    from planreport.updates import remind, rounds

    try:
        chosen = remind.chosen_round(project, args.name)
        others = [r for r in rounds.every(project) if r.path != chosen.path]
    except rounds.RoundRefused as exc:
        for problem in exc.problems:
            print(report.line(problem))
        return EXIT_PROBLEMS
    sys.stdout.write(_escaped(rounds.as_text(chosen, others)))
    return EXIT_OK


def _remind(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport remind`: outstanding forms, or (--before) the dates falling due."""
    from planreport.commands import report
    from planreport.updates import remind, rounds

    today = args.date or date.today()
    try:
        if args.before is not None:
            result = remind.dates(project, args.before, today, args.dry_run)
        else:
            result = remind.outstanding(project, args.round, today, args.dry_run)
    except rounds.RoundRefused as exc:
        for problem in exc.problems:
            print(report.line(problem))
        return EXIT_PROBLEMS
    return _mailed(result.problems, remind.summary(result, args.dry_run), result.failed)


def _escaped(text: str) -> str:
    """Text from files made safe for the terminal, line by line."""
    from planreport import escape

    return "".join(escape.terminal(line) + "\n" for line in text.splitlines())


def _site(project: Project, args: argparse.Namespace) -> int:
    """Run `planreport site`: report problems, then what was written."""
    from planreport import escape
    from planreport.commands import report
    from planreport.site.build import build_site

    out = args.out or project.root / "build" / "site"
    result = build_site(project, out, args.papers or project.root / "build", args.as_at)
    for problem in result.problems:
        print(report.line(problem))
    if result.left_out:
        print(escape.terminal(f"Left out for their errors: {', '.join(result.left_out)}."))
    print(
        f"Built the site of {result.plans} plan{'s' * (result.plans != 1)} in {out}: "
        f"{_count(len(result.written), 'file')} written, {result.unchanged} unchanged, "
        f"{len(result.removed)} removed."
    )
    return EXIT_PROBLEMS if result.failed else EXIT_OK


def _count(n: int, noun: str) -> str:
    """'1 file', '2 files'."""
    return f"{n} {noun}{'s' * (n != 1)}"
