"""The writers behind one interface: registry, names, errors, lazy loading, adding one."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from planreport import writers
from planreport.commands import build
from planreport.paper.model import Heading, Paper, Swatch, contrast
from planreport.project import Project, packaged_templates
from tests.conftest import ROOT

MOMENT = datetime(2020, 1, 31, 12, tzinfo=UTC)


def _context() -> writers.RenderContext:
    """Planreport's own templates and reference document."""
    own = packaged_templates()
    return writers.RenderContext((own,), own / "reference.docx", MOMENT)


def _paper() -> Paper:
    """A one-heading paper."""
    return Paper("tiny", "A tiny paper", None, "Tiny", [], None, "en-GB", False, [Heading(1, "Hi")])


def test_names_are_the_formats_the_paper_schema_allows() -> None:
    for schema in (ROOT / "schema", ROOT / "src" / "planreport" / "schema"):
        definition = json.loads((schema / "paper.schema.json").read_text(encoding="utf-8"))
        formats = definition["properties"]["formats"]
        assert tuple(formats["items"]["enum"]) == writers.names(), schema
        assert formats["maxItems"] == len(writers.names()), schema
    assert writers.names()[:3] == writers.defaults() == ("pdf", "docx", "html")


def test_each_writer_has_its_own_name_and_suffix() -> None:
    found = writers.registry()
    assert list(found) == list(writers.names())
    assert len({w.suffix for w in found.values()}) == len(found)
    for name, writer in found.items():
        assert writer.name == name
        declared = next(f for f in writers.formats() if f.name == name)
        assert (writer.suffix, writer.description) == (declared.suffix, declared.description)
        assert writer.suffix == writers.suffix(name)
        assert writer.description
        assert writers.get(name) is writer


def test_an_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(writers.RenderError, match=r"no output format 'nope'.*pdf, docx, html"):
        writers.get("nope")


def test_importing_the_writers_loads_no_rendering_library() -> None:
    code = (
        "import sys\nfrom planreport import writers\n"
        "writers.names(); writers.registry(); writers.get('pdf')\n"
        "print(','.join(m for m in ('weasyprint', 'docx', 'jinja2') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


TXT_WRITER = """
from planreport.writers import Format

FORMAT = Format(name="txt", suffix=".text", description="plain text", default=False, order=9)


class TxtWriter:
    name = FORMAT.name
    suffix = FORMAT.suffix
    description = FORMAT.description

    def write(self, paper, context):
        return paper.title.encode("utf-8")


WRITER = TxtWriter()
"""


def test_adding_a_format_is_one_module_that_declares_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "txt.py").write_text(TXT_WRITER, encoding="utf-8")
    monkeypatch.setattr(writers, "__path__", [*writers.__path__, str(tmp_path)])
    try:
        assert writers.names()[-1] == "txt"
        assert "txt" not in writers.defaults()  # built only when a paper or --format names it
        assert writers.suffix("txt") == ".text"  # a suffix need not be the name
        assert writers.get("txt").write(_paper(), _context()) == b"A tiny paper"
        unnamed, only = SimpleNamespace(formats=None), SimpleNamespace(formats=("txt",))
        assert build._formats(unnamed, SimpleNamespace(formats=())) == writers.defaults()
        assert build._formats(unnamed, only) == ("txt",)  # a paper naming none, --format txt
        assert build._formats(SimpleNamespace(formats=("pdf",)), only) == ()
    finally:
        sys.modules.pop("planreport.writers.txt", None)


def test_listing_the_formats_runs_no_writer_module() -> None:
    code = (
        "import sys\nfrom planreport import writers\n"
        "writers.names(); writers.defaults(); writers.suffix('pdf')\n"
        "print(sorted(m for m in sys.modules if m.startswith('planreport.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    # the writers' sources are read through planreport.files, as every file is
    assert result.stdout.strip() == "['planreport.files', 'planreport.writers']"


@pytest.mark.render
def test_every_writer_writes_through_the_interface() -> None:
    context = _context()
    out = {name: writers.get(name).write(_paper(), context) for name in writers.names()}
    assert out["html"].startswith(b"<!DOCTYPE html>")
    assert b"2020-01-31T12:00:00Z" in out["html"]
    assert out["pdf"].startswith(b"%PDF-")
    assert out["docx"].startswith(b"PK")
    again = {name: writers.get(name).write(_paper(), context) for name in writers.names()}
    assert again == out


def test_a_template_folder_without_templates_is_a_render_error(tmp_path: Path) -> None:
    context = writers.RenderContext((tmp_path,), tmp_path / "reference.docx", MOMENT)
    for name in ("html", "pdf"):
        with pytest.raises(writers.RenderError, match="template error"):
            writers.get(name).write(_paper(), context)


def test_a_project_reference_document_is_used_when_there_is_one(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    project = Project(tmp_path)
    assert project.reference_document() == packaged_templates() / "reference.docx"
    assert project.template_dirs() == (packaged_templates(),)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "reference.dotx").write_bytes(b"")
    assert project.reference_document() == tmp_path / "templates" / "reference.dotx"
    (tmp_path / "templates" / "reference.docx").write_bytes(b"")
    assert project.reference_document() == tmp_path / "templates" / "reference.docx"
    assert project.template_dirs() == (tmp_path / "templates", packaged_templates())


def test_status_text_is_black_or_white_whichever_reads_better() -> None:
    assert contrast(None) == "#000000"
    assert contrast("#FFC000") == "#000000"  # amber
    assert contrast("#0070C0") == "#FFFFFF"  # blue
    # by contrast ratio, not brightness: white on red is 4.0:1, black 5.25:1 (WCAG AA: 4.5)
    assert Swatch("Red", "#FF0000").ink == "#000000"


def test_no_module_imports_another_modules_private_names() -> None:
    for path in sorted((ROOT / "src" / "planreport").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module != "__future__":
                private = [
                    a.name
                    for a in node.names
                    if a.name.startswith("_") and not a.name.endswith("__")
                ]
                assert not private, f"{path.relative_to(ROOT)} imports {private}"
