"""Shared helpers for the planreport tests."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import docx
import pypdf
import pytest

from planreport.commands.build import Options, build
from planreport.paper import layouts
from planreport.paper.layouts import Layout
from planreport.plan import loader, validate
from planreport.problems import Problems
from planreport.project import Project

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"

# The example papers of this repository (plans/papers/*.yaml).
PAPERS = [
    "derby-cyp-improvement-2011-12",
    "derby-exceptions-2011-12",
    "nottingham-city-iicsa-2019",
    "nottinghamshire-iicsa-2020-01",
    "stockton-ofsted-2013-09",
]


@pytest.fixture(scope="session", autouse=True)
def form_key_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A config folder of the tests' own, so forms are signed with a key made for the tests."""
    folder = tmp_path_factory.mktemp("config")
    saved = {
        name: os.environ.pop(name, None) for name in ("XDG_CONFIG_HOME", "PLANREPORT_FORM_KEY")
    }
    os.environ["XDG_CONFIG_HOME"] = str(folder)
    yield folder
    for name, value in saved.items():
        _restore(name, value)


# "Nothing outside the project is written, temporaries included": the whole session runs
# with TMPDIR (and Python's tempfile.tempdir) pointing at a folder of its own, and fails
# at the end if anything is left in it. A check of the system's /tmp after the tests
# (in .ci/run) would not do: other programs on the machine write there at the same time.
# (A file made and removed again is missed either way: tests of their own watch for
# those, such as openpyxl's in test_updates.) A folder of the session's own
# sees only what this session's processes made: planreport run in-process, and every
# planreport run as a subprocess, which inherits TMPDIR (run_planreport passes it on even
# to a test that gives its own environment, unless that names its own TMPDIR). pytest's
# own base folder (tmp_path's) is fixed before TMPDIR moves, so it stays out.
@pytest.fixture(scope="session", autouse=True)
def session_temporaries(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A temporary folder for the session's processes; fails if anything is left in it."""
    tmp_path_factory.getbasetemp()  # pytest's own, under the system's temporary folder
    folder = Path(tempfile.mkdtemp(prefix="planreport-tests-"))
    saved = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved[0]
        _restore("TMPDIR", saved[1])
        left = sorted(path.name for path in folder.iterdir())
        shutil.rmtree(folder, ignore_errors=True)
    assert left == [], f"the tests left these in the temporary folder: {', '.join(left)}"


def _restore(name: str, value: str | None) -> None:
    """Set an environment variable back as it was (unset if it was not set)."""
    os.environ.pop(name, None)
    if value is not None:
        os.environ[name] = value


def _digests(folder: Path) -> dict[str, str]:
    """Each file in a folder, by name, with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def history_papers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The papers of tests/cases/history (one with a chart under its summary), built once."""
    out = tmp_path_factory.mktemp("history")
    result = build(Project(CASES / "history"), Options(out=out, force=True))
    assert not result.failed, [(p.id, p.error, p.problems) for p in result.papers]
    built = _digests(out)
    yield out
    assert _digests(out) == built, "a test changed the shared history papers; copy them first"


@pytest.fixture(scope="session")
def example_papers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The example papers of this repository, built once in all their formats.

    Shared by every test that reads them (test_build, test_pdf_structure, test_word):
    read them, never change them. A test that must change, rebuild or build them with
    other options does so in its own folder. At the end of the session the folder must
    hold exactly the bytes it was built with.
    """
    out = tmp_path_factory.mktemp("example-papers")
    result = build(Project(ROOT), Options(out=out, force=True))
    assert not result.failed, [(p.id, p.error, p.problems) for p in result.papers]
    built = _digests(out)
    yield out
    assert _digests(out) == built, "a test changed the shared example papers; copy them first"


def planreport_command() -> list[str]:
    """The installed `planreport` console script, beside the running Python."""
    script = Path(sys.executable).parent / "planreport"
    if not script.exists():
        pytest.fail(
            f"planreport is not installed beside {sys.executable}; run pip install -e '.[test]'"
        )
    return [str(script)]


def run_planreport(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the installed command and capture its output (with the session's TMPDIR)."""
    if env is not None and "TMPDIR" in os.environ:
        env = {"TMPDIR": os.environ["TMPDIR"], **env}
    return subprocess.run(
        [*planreport_command(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def clean_words(words: list[str]) -> list[str]:
    """Words without page references, which each format writes its own way."""
    return [w for w in words if w not in ("Page", "page", "?", "Actions", ",")]


def pdf_text(path: Path) -> str:
    """All the text of a PDF."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def docx_text(path: Path) -> list[str]:
    """Every paragraph and table cell of a Word file's body, in order (merged cells once).

    Without the zero-width spaces the writer puts after a slash in a word too wide for its
    cell (where the PDF may break the line too).
    """
    texts = []
    for para in docx.Document(path).element.body.iter(f"{W}p"):
        parent = para.getparent()
        merge = parent.find(f"{W}tcPr/{W}vMerge") if parent.tag == f"{W}tc" else None
        if merge is not None and merge.get(f"{W}val") is None:
            continue  # a cell continuing a vertical merge: its text is in the first cell
        texts.append(  # a line break is a space between words, as a reader sees it
            "".join(
                (e.text or "") if e.tag == f"{W}t" else " " for e in para.iter(f"{W}t", f"{W}br")
            ).replace("\u200b", "")  # a break opportunity, not a character
        )
    return texts


class _Text(HTMLParser):
    """The text inside <main> as a reader sees it: no table captions, nothing hidden.

    A visually hidden span is read to screen readers only.

    printed: as on paper, each link out with its address in brackets after its text,
    unless the text is the address.
    """

    BLOCKS = frozenset({"p", "li", "td", "th", "h1", "h2", "h3", "div", "tr", "ol", "ul", "br"})

    def __init__(self, printed: bool = False) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.inside = 0
        self.skip = 0
        self.printed = printed
        self.link: tuple[str, int] | None = None  # an open link out: its address, first part
        self.spans: list[bool] = []  # each open span: whether it is visually hidden

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.inside += tag == "main"
        self.skip += tag == "caption"
        if tag == "span":
            self.spans.append("visually-hidden" in (dict(attrs).get("class") or "").split())
            self.skip += self.spans[-1]
        href = dict(attrs).get("href") or ""
        if tag == "a" and self.printed and re.match(r"https?:|mailto:", href):
            self.link = (href, len(self.parts))
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.inside -= tag == "main"
        self.skip -= tag == "caption"
        if tag == "span" and self.spans:
            self.skip -= self.spans.pop()
        if tag == "a" and self.link:
            href, start = self.link
            address = href.removeprefix("mailto:")
            if "".join(self.parts[start:]).strip() not in (href, address):
                self.parts.append(f" ({address})")
            self.link = None
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.inside and not self.skip:
            self.parts.append(data)


def html_words(path: Path, printed: bool = False) -> list[str]:
    """The words of an HTML paper's main text, as a reader sees them (printed: on paper)."""
    parser = _Text(printed)
    parser.feed(path.read_text(encoding="utf-8"))
    return clean_words("".join(parser.parts).split())


def load_document(path: Path, problems: Problems, name: str | None = None) -> loader.Document:
    """A test's own YAML fixture, parsed (planreport itself reads through its Project)."""
    return loader.parse(path.read_bytes(), name or str(path), problems)


def load_layout(path: Path, problems: Problems, name: str | None = None) -> Layout | None:
    """A layout fixture, parsed, validated and typed; None if it has errors."""
    doc = load_document(path, problems, name)
    if doc.blocked or not validate.validate(doc, "layout", problems):
        return None
    return layouts.from_document(doc, problems)
