"""The `planreport` command: the only place that prints or exits."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="planreport",
        description="Action plans as validated YAML; committee update papers from them.",
    )
    parser.add_argument("--version", action="version", version=f"planreport {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser(
        "check",
        help="check plans for errors and warnings",
        description="Check every plan (and people.yaml) under PATH: schema, dates, references, "
        "leads and statuses. Exit 0 if clean, 1 if problems were found, 2 on a usage error.",
    )
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="plan files or folders (default: plans)"
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
    return parser


def _as_at(value: str) -> date:
    """Parse --as-at."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2013-09-18"
        ) from None


def main(argv: list[str] | None = None) -> int:
    """Run planreport; return the exit status."""
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return EXIT_USAGE
    try:
        return _check(args)
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


def _check(args: argparse.Namespace) -> int:
    """Run `planreport check` and print its report."""
    from . import report
    from .check import UsageError, check

    paths = args.paths or [Path("plans")]
    try:
        result = check(paths, args.as_at or date.today())
    except UsageError as exc:
        print(f"planreport check: {exc}", file=sys.stderr)
        return EXIT_USAGE
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    output = {"text": report.text, "json": report.as_json, "github": report.github}[fmt](result)
    sys.stdout.write(output)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if fmt == "github" and summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(report.github_summary(result))
    failing = result.count("error") + (result.count("warning") if args.strict else 0)
    return EXIT_PROBLEMS if failing else EXIT_OK
