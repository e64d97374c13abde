"""Print `planreport import`'s accuracy on the held-out corpus, field by field, per style.

The corpus is tests/heldout_files.py: two plans written for it (tests/heldout_content.py)
as Word, Excel, CSV and PDF files in the styles councils use; with --libreoffice, the Word
and Excel ones are also saved again through LibreOffice. Each import is scored against the
truth kept beside its file (tests/heldout_score.py). The issue's bar: every action found
and no others, recommendation numbers kept, the other fields right at least 95% of the
time, no date invented. tests/test_import_heldout.py asserts it.
Run: .venv/bin/python benchmarks/import_accuracy.py [--libreoffice] [--details]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests import heldout_files, heldout_score
from tests.import_fixtures import through_libreoffice


def _scores(folder: Path, libreoffice: bool) -> list[heldout_score.Score]:
    """Every style made, imported and scored (and its LibreOffice copy, if asked)."""
    scores = []
    for style in heldout_files.STYLES:
        source, truth = heldout_files.make(style, folder / "files")
        scores.append(heldout_score.score(style, source, truth, folder / style))
        if libreoffice and source.suffix in (".docx", ".xlsx"):
            again = through_libreoffice(source, folder / "libreoffice", source.suffix[1:])
            name = f"{style} (LibreOffice)"
            scores.append(heldout_score.score(name, again, truth, folder / f"{style}-lo"))
    return scores


def main() -> None:
    """Make, import and score the corpus; print the table (and each miss with --details)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libreoffice", action="store_true", help="also save through soffice")
    parser.add_argument("--details", action="store_true", help="list every field read wrong")
    args = parser.parse_args()
    if args.libreoffice and shutil.which("soffice") is None:
        parser.error("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as folder:
        scores = _scores(Path(folder), args.libreoffice)
    print(heldout_score.table(scores))
    if args.details:
        for score in scores:
            misses = [*score.wrong, *(f"extra: {e}" for e in score.extra)]
            misses += [f"invented: {i}" for i in score.invented]
            for miss in misses:
                print(f"{score.style}: {miss}")


if __name__ == "__main__":
    main()
