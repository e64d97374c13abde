"""Time `planreport import` of a 50-page PDF plan, as a whole process, against its floor.

The plan is one ruled table of actions (ref, action, lead, timescale, progress, a RAG
cell shaded and worded), its header row repeated on every page, written by WeasyPrint as
a council's PDF would be. The floor is pdfplumber alone opening the same file and
extracting every table of every page (`page.extract_tables()`), the least any importer
built on it does. Goal: at most 10 s for 50 pages.
Run: .venv/bin/python benchmarks/import_pdf_speed.py [--pages 50] [--runs 5]
"""

from __future__ import annotations

import argparse
import html
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_speed import MONTHS, RAG, print_figures, time_command

GOAL_SECONDS = 10.0
ROWS_A_PAGE = 10  # rows of the generated table a page holds (50 pages: 47 to 52)
STYLE = """
@page { size: A4 landscape; margin: 15mm; }
body { font-family: sans-serif; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.75pt solid #000; padding: 3pt; vertical-align: top; }
th { background: #D9D9D9; }
"""


def write_plan(path: Path, pages: int) -> tuple[Path, int]:
    """A PDF plan of about this many pages; its path and the number of actions."""
    import weasyprint

    actions = pages * ROWS_A_PAGE
    rows = []
    for n in range(1, actions + 1):
        word, fill = RAG[n % len(RAG)]
        cells = [
            f"{n // 10 + 1}.{n % 10 + 1}",
            f"Action {n}: review the arrangements for this area and report to the board with "
            "findings and recommendations for improvement across the service.",
            f"Officer Number{n % 40}<br>Head of Service {n % 7}",
            f"End of {MONTHS[n % 4]} {2024 + n % 2}",
            "Work under way; the review group met and agreed its terms of reference.",
        ]
        row = "".join(f"<td>{cell}</td>" for cell in cells)
        rows.append(f'<tr>{row}<td style="background:#{fill}">{word}</td></tr>')
    heads = ("Ref", "Action required", "Lead officer", "Timescale", "Progress made", "RAG")
    page = (
        f"<html lang=en><head><title>Plan</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape('Generated improvement plan')}</h1><table><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in heads)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>"
    )
    weasyprint.HTML(string=page).write_pdf(path)
    return path, actions


def main() -> None:
    """Make the PDF, time the import against its floor and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    script = str(Path(sys.executable).parent / "planreport")
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "repository"
        (project / "plans").mkdir(parents=True)
        (project / "plans" / "people.yaml").write_text("people:\n  x: {name: X Y}\n")
        source, actions = write_plan(Path(tmp) / "plan.pdf", args.pages)
        import pdfplumber

        with pdfplumber.open(source) as pdf:
            pages = len(pdf.pages)
        size = source.stat().st_size // 1024
        floor_code = (
            "import pdfplumber, sys\n"
            "with pdfplumber.open(sys.argv[1]) as pdf:\n"
            "    tables = [page.extract_tables() for page in pdf.pages]\n"
        )
        rows = {
            "python -c pass (interpreter floor)": [sys.executable, "-c", "pass"],
            "pdfplumber alone: open, extract every table (library floor)": [
                sys.executable, "-c", floor_code, str(source),
            ],
            f"planreport import ({pages} pages, {actions} actions, {size} KiB), with check": [
                script, "import", str(source), "--id", "bench", "--force",
                "--as-at", "2024-01-31",
            ],
        }  # fmt: skip
        results = {name: time_command(cmd, args.runs, project) for name, cmd in rows.items()}
    print_figures(f"planreport import speed (PDF), {args.runs} runs each", results, GOAL_SECONDS)
    print(" for 50 pages")


if __name__ == "__main__":
    main()
