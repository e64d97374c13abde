"""The `planreport` command's arguments: every subcommand, its options and their help.

Only the parser and the checks of option values; `cli` parses, runs and prints.
"""

from __future__ import annotations

import argparse
import os
from datetime import date
from pathlib import Path

from planreport import __version__, writers
from planreport.updates import formats


def parser() -> argparse.ArgumentParser:
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
    importer.add_argument(
        "--hidden",
        choices=("read", "skip"),
        default="read",
        help="rows and text the source hides: read them as if shown, each listed (default), "
        "or leave them out, each listed",
    )
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
    request.add_argument(
        "--send",
        action="store_true",
        help="email each lead their form (through planreport.yaml's mail server); a lead "
        "already sent this round's form is not sent it again",
    )
    request.add_argument(
        "--dry-run",
        action="store_true",
        help="with --send: write each message as an .eml file in build/mail/ instead",
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
    _round_commands(commands, common)
    _site(commands, common)
    return parser


def _round_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """The update round's own commands: round and remind."""
    shown = commands.add_parser(
        "round",
        parents=[common],
        help="show an update round: which forms went out, came back, are outstanding",
        description="Show the latest update round recorded in rounds/ (or the one named): each "
        "lead's form, when it was sent and reminded, and whether it has come back and been "
        "applied. Exit 0, or 2 if there is no such round.",
    )
    shown.add_argument("name", nargs="?", metavar="ROUND", help="the round's file name in rounds/")
    remind = commands.add_parser(
        "remind",
        parents=[common],
        help="email the leads whose form is outstanding, or whose actions fall due",
        description="Without --before: send each lead whose form has not come back in the "
        "latest round (or --round) their form again, with the return date. With --before N: "
        "send each lead their actions overdue, due or due for review in the next N days, "
        "with a calendar (.ics) of all their actions' dates; every lead's calendar is written "
        "to build/calendars/. Exit 0 if everyone was written to, 1 if anyone was not, 2 on a "
        "usage error.",
    )
    remind.add_argument(
        "--before", type=_days, metavar="DAYS", help="remind of actions due in the next DAYS days"
    )
    remind.add_argument("--round", metavar="ROUND", help="the round (its file name in rounds/)")
    remind.add_argument(
        "--date", metavar="DATE", type=_as_at, help="the date to remind as at (default: today)"
    )
    remind.add_argument(
        "--dry-run", action="store_true", help="write each message as an .eml file in build/mail/"
    )


def _site(commands: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """`planreport site`: its options."""
    site = commands.add_parser(
        "site",
        parents=[common],
        help="build the website of every plan, with open data",
        description="Build a static, accessible website of every plan into build/site/: "
        "each plan and action with its whole history, the committee papers `build` wrote, "
        "search, each plan as JSON and CSV, and Atom feeds of changes. Only changed files "
        "are rewritten. Settings are in planreport.yaml's site: section. Exit 0 if every "
        "plan was published, 1 if a plan was left out for its errors, 2 on a usage error.",
    )
    site.add_argument(
        "--out", type=Path, metavar="DIR", help="where to write (default: build/site/)"
    )
    site.add_argument(
        "--papers",
        type=Path,
        metavar="DIR",
        help="where `planreport build` wrote the papers to copy in (default: build/)",
    )
    site.add_argument(
        "--as-at",
        metavar="DATE",
        type=_as_at,
        help="the date the site describes, YYYY-MM-DD: statuses, 'overdue' and 'what changed "
        "lately' as at that day (default: planreport.yaml's site: as_at, else today)",
    )


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
