"""Every file planreport reads is read through files.read (or Project.read_bytes on it).

files.read is the one place that refuses a link out of the project, a pipe or device,
and a file over the size limit. This scan of the source fails when a module reads a
file any other way: open() to read, Path.read_text/read_bytes/open, importlib.resources,
a jinja2 file loader, or a library (python-docx, openpyxl, zipfile, fontTools) given a
path instead of bytes already read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "planreport"
ONE_PLACE = PACKAGE / "files.py"
# Libraries that open a path themselves when given one: they must be given bytes (BytesIO).
PATH_OPENERS = {"load_workbook", "ZipFile", "TTFont", "docx.Document", "pdfplumber.PDF"}
# Names that are file-reading machinery in themselves.
READERS = {"resources", "FileSystemLoader", "PackageLoader", "read_text"}
WRITE_MODES = set("wax")
WRITE_FLAGS = {"O_WRONLY", "O_RDWR"}


def _sources() -> list[Path]:
    """Every module but files.py and the generated schema checks."""
    return sorted(p for p in PACKAGE.rglob("*.py") if p != ONE_PLACE and "compiled" not in p.parts)


def _name(node: ast.expr) -> str:
    """The last name of a called thing: 'open' for os.open, 'Document' for docx.Document."""
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _mode(call: ast.Call, position: int) -> str:
    """The mode string given to open() or fdopen(), '' if none or not a literal."""
    given = call.args[position] if len(call.args) > position else None
    given = next((k.value for k in call.keywords if k.arg == "mode"), given)
    return given.value if isinstance(given, ast.Constant) else ""


def _writes(call: ast.Call) -> bool:
    """Whether an open-like call opens for writing (so reads nothing)."""
    name, func = _name(call.func), call.func
    if name == "open" and isinstance(func, ast.Attribute) and _name(func.value) == "os":
        flags = {n.attr for n in ast.walk(call.args[1]) if isinstance(n, ast.Attribute)}
        return bool(flags & WRITE_FLAGS)
    return bool(set(_mode(call, 1)) & WRITE_MODES)


def _in_memory(call: ast.Call) -> bool:
    """Whether a library call reads bytes in memory (a BytesIO), or only writes."""
    first = call.args[0] if call.args else None
    return (isinstance(first, ast.Call) and _name(first.func) == "BytesIO") or _writes(call)


def _direct_reads(path: Path, root: Path = PACKAGE) -> list[str]:
    """Each place in a module that reads a file other than through files.read, in order."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        line = f"{path.relative_to(root)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Name | ast.Attribute | ast.alias):
            name = node.name if isinstance(node, ast.alias) else _name(node)
            if name.split(".")[-1] in READERS:
                found.append(f"{line}: {name}")
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        owner = _name(node.func.value) if isinstance(node.func, ast.Attribute) else ""
        if name in ("open", "fdopen") and owner not in ("Project", "cls") and not _writes(node):
            found.append(f"{line}: {name}() to read")
        elif name == "read_bytes" and not node.args:  # Path.read_bytes; Project's takes a path
            found.append(f"{line}: Path.read_bytes()")
        elif {name, f"{owner}.{name}"} & PATH_OPENERS and not _in_memory(node):
            found.append(f"{line}: {name}() given a path")
    return sorted(found, key=lambda place: int(place.split(":")[1]))


# Direct reads that must stay, each with the reason. Empty: keep it so.
ALLOWED: set[str] = set()


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_files_are_read_only_through_files_read(path: Path) -> None:
    """A module reads files only through files.read (Project.read_bytes, read_packaged)."""
    found = [place for place in _direct_reads(path) if place not in ALLOWED]
    assert not found, (
        "read these through planreport.files.read (or Project.read_bytes, "
        f"files.read_packaged for planreport's own files): {found}"
    )


def test_the_scan_finds_each_kind_of_direct_read(tmp_path: Path) -> None:
    """The scan itself catches every way of reading it looks for, and passes writes."""
    source = tmp_path / "planreport_module.py"
    source.write_text(
        "from importlib import resources\n"
        "open(p)\n"
        "open(p, 'rb')\n"
        "p.open()\n"
        "p.read_text()\n"
        "p.read_bytes()\n"
        "os.open(p, os.O_RDONLY)\n"
        "docx.Document(p)\n"
        "load_workbook(p)\n"
        "zipfile.ZipFile(p)\n"
        "jinja2.FileSystemLoader(p)\n"
        # none of these reads a file
        "open(p, 'w')\n"
        "os.open(p, os.O_WRONLY | os.O_CREAT)\n"
        "os.fdopen(h, 'wb')\n"
        "project.read_bytes(p)\n"
        "zipfile.ZipFile(io.BytesIO(data))\n"
        "zipfile.ZipFile(out, 'w')\n"
        "Project.open(p)\n"
        "Document(name)\n",  # planreport's own YAML document, not python-docx's
        encoding="utf-8",
    )
    found = _direct_reads(source, tmp_path)
    assert [place.split(":")[1] for place in found] == [
        str(n) for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
    ], found


def test_packaged_files_are_read_from_the_package_only() -> None:
    """read_packaged reads planreport's own files, and nothing above the package."""
    from planreport import files

    schema = files.read_packaged("schema/plan.schema.json")
    assert schema == (PACKAGE / "schema" / "plan.schema.json").read_bytes()
    with pytest.raises(files.FileRefused) as refused:
        files.read_packaged("../../pyproject.toml")
    assert refused.value.rule == "outside-project"


def test_json_state_that_is_a_pipe_or_a_link_out_is_not_read(tmp_path: Path) -> None:
    """The build cache or an apply journal that is a pipe or a link out reads as empty."""
    import os

    from planreport import output

    folder = tmp_path / "build"
    folder.mkdir()
    (tmp_path / "elsewhere.json").write_text('{"planted": 1}', encoding="utf-8")
    (folder / "link.json").symlink_to(tmp_path / "elsewhere.json")
    os.mkfifo(folder / "pipe.json")  # opening it to read would wait for a writer
    (folder / "real.json").write_text('{"kept": 1}', encoding="utf-8")
    assert output.read_json(folder / "link.json") == {}
    assert output.read_json(folder / "pipe.json") == {}
    assert output.read_json(folder / "real.json") == {"kept": 1}


def test_a_form_key_that_is_a_pipe_is_a_plain_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form key file that is not an ordinary file is refused in words, never waited on."""
    import os

    from planreport.project import UsageError
    from planreport.updates import form

    monkeypatch.delenv(form.KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "planreport").mkdir()
    os.mkfifo(tmp_path / form.KEY_FILE)
    with pytest.raises(UsageError, match="is not an ordinary file"):
        form.form_key()


def test_weasyprint_reads_only_ordinary_files_inside_its_folders(tmp_path: Path) -> None:
    """The PDF writer's fetcher reads a template file itself, and refuses a pipe or a link out."""
    import os

    pytest.importorskip("weasyprint")
    from weasyprint.urls import FatalURLFetchingError

    from planreport.writers.pdf import safe_fetcher

    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "paper.css").write_text("p { color: black }", encoding="utf-8")
    (tmp_path / "secret.css").write_text("secret", encoding="utf-8")
    (folder / "link.css").symlink_to(tmp_path / "secret.css")
    os.mkfifo(folder / "pipe.css")
    fetcher = safe_fetcher([folder.resolve()])
    fetched = fetcher.fetch((folder / "paper.css").as_uri())
    assert (fetched.read(), fetched.content_type) == (b"p { color: black }", "text/css")
    for name in ("link.css", "pipe.css", "../secret.css"):
        with pytest.raises(FatalURLFetchingError, match="refused to fetch"):
            fetcher.fetch(f"file://{folder}/{name}")
