"""Properties of the project itself: the shipped schema, modelines and fast checking."""

from __future__ import annotations

import ast
import json
import marshal
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import ROOT, load_document, run_planreport

PACKAGE_SCHEMA = ROOT / "src" / "planreport" / "schema"


def test_top_level_schema_matches_packaged_copy() -> None:
    for name in (
        "plan.schema.json",
        "people.schema.json",
        "paper.schema.json",
        "layout.schema.json",
        "project.schema.json",
    ):
        top = (ROOT / "schema" / name).read_text(encoding="utf-8")
        assert top == (PACKAGE_SCHEMA / name).read_text(encoding="utf-8"), (
            f"schema/{name} differs from src/planreport/schema/{name}; copy one over the other"
        )
        assert json.loads(top)["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_every_plan_file_points_editors_at_the_schema() -> None:
    files = sorted((ROOT / "plans").rglob("*.yaml")) + sorted((ROOT / "templates").rglob("*.yaml"))
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        schema = {"people.yaml": "people"}.get(path.name) or {
            "papers": "paper",
            "layouts": "layout",
        }.get(path.parent.name, "plan")
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == ROOT / "schema" / f"{schema}.schema.json", path


def test_check_never_imports_rendering_libraries() -> None:
    code = (
        "import sys\nfrom planreport.cli import main\n"
        "main(['check', 'plans', '--as-at', '2020-01-01'])\n"
        "heavy = [m for m in ('weasyprint', 'docx', 'jinja2') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines()[-1] == ""


def test_fast_schema_check_agrees_with_jsonschema() -> None:
    """The compiled fast path and jsonschema give the same verdict on every example."""
    import jsonschema

    from planreport.plan import validate
    from planreport.problems import Problems
    from tests.conftest import CASES

    files = [*sorted(CASES.rglob("*.yaml")), *sorted((ROOT / "plans").rglob("*.yaml"))]
    for path in files:
        doc = load_document(path, Problems())
        if doc.data is None or doc.blocked:
            continue
        name = "people" if path.name == "people.yaml" else "plan"
        thorough = jsonschema.Draft7Validator(validate.schema(name)).is_valid(doc.data)
        try:
            validate._fast_check(name)(doc.data)
            fast = True
        except Exception:
            fast = False
        assert fast == thorough, path


def test_compiled_checks_are_generated_from_the_current_schemas() -> None:
    from planreport.compiled import layout, paper, people, plan
    from planreport.plan import validate

    for name, module in (("plan", plan), ("people", people), ("paper", paper), ("layout", layout)):
        assert validate.schema_digest(name) == module.SCHEMA_SHA256, (
            f"src/planreport/compiled/{name}.py is out of date: run "
            ".venv/bin/python scripts/compile_schemas.py"
        )
        # Item names for messages nobody reads are not formatted for every list item.
        assert ".format(**locals())" not in Path(module.__file__).read_text(encoding="utf-8")


def test_no_generated_file_is_stale() -> None:
    """Schemas' registry-declared parts and compiled checks match a fresh generation."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compile_schemas.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_nothing_is_read_from_or_written_to_a_cache(tmp_path) -> None:
    """A compiled check planted in the cache folder is never run."""
    from tests.conftest import run_planreport

    cache = tmp_path / "planreport"
    cache.mkdir()
    planted = "import pathlib; pathlib.Path('{}').write_text('ran')".format(tmp_path / "ran")
    for name in ("plan-0", "people-0"):
        (cache / f"{name}.marshal").write_bytes(marshal.dumps(compile(planted, "x", "exec")))
    env = {"XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = run_planreport("check", "plans", "--as-at", "2020-01-01", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tmp_path / "ran").exists()
    assert sorted(p.name for p in cache.iterdir()) == ["people-0.marshal", "plan-0.marshal"]


def _pyproject() -> dict:
    """pyproject.toml's [project] table."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _names(specs: list[str]) -> set[str]:
    """The distribution names of requirements such as 'PyYAML>=6.0.1'."""
    return {re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0] for spec in specs}


def test_constraints_pin_every_dependency_and_test_extra() -> None:
    """constraints.txt (what the README installs) names every package pyproject asks for."""
    project = _pyproject()
    names = _names(list(project["dependencies"]) + list(project["optional-dependencies"]["test"]))
    pinned = {
        line.split("==")[0].lower().replace("_", "-").replace(".", "-")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    missing = sorted(
        n for n in names if n.lower().replace("_", "-").replace(".", "-") not in pinned
    )
    assert missing == [], f"run scripts/update-constraints: {missing} are not in constraints.txt"


# Distributions whose module has another name; the rest import as their name in lower case.
MODULE_OF = {
    "PyYAML": "yaml",
    "python-docx": "docx",
    "fonttools": "fontTools",
    "markdown-it-py": "markdown_it",
    "pdfminer.six": "pdfminer",
}


def _imported_modules() -> dict[str, str]:
    """Each third-party top-level module planreport's code imports, with one file importing it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "src" / "planreport").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top not in sys.stdlib_module_names and top != "planreport":
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_dependencies_are_what_the_code_imports() -> None:
    """Every third-party import is declared in pyproject.toml, and every dependency imported."""
    declared = {
        MODULE_OF.get(name, name.lower().replace("-", "_")): name
        for name in _names(_pyproject()["dependencies"])
    }
    imported = _imported_modules()
    undeclared = {module: imported[module] for module in sorted(set(imported) - set(declared))}
    assert undeclared == {}, "imported (module: a file) but not in pyproject's dependencies"
    unused = sorted(declared[module] for module in set(declared) - set(imported))
    assert unused == [], "in pyproject's dependencies but imported nowhere in src/planreport"
    assert {"yaml", "docx", "fontTools", "lxml", "pydyf", "weasyprint"} <= set(imported)


def _needs_soffice(test: ast.FunctionDef) -> bool:
    """Whether a test is named for LibreOffice, calls a helper that is, or runs soffice."""
    return test.name.startswith("test_") and (
        "libreoffice" in test.name
        or any(
            (isinstance(node, ast.Call) and "libreoffice" in ast.unparse(node.func))
            or (isinstance(node, ast.Constant) and node.value == "soffice")
            for node in ast.walk(test)
        )
    )


def test_the_slow_job_selects_every_test_that_needs_soffice() -> None:
    """.ci/slow runs `pytest -m libreoffice`: every test running LibreOffice has that mark."""
    unmarked = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        for node in ast.parse(path.read_bytes()).body:
            if not (isinstance(node, ast.FunctionDef) and _needs_soffice(node)):
                continue
            if "libreoffice" not in {ast.unparse(d) for d in node.decorator_list}:
                unmarked.append(f"{path.name}::{node.name}")
    assert unmarked == []


def test_an_unknown_layout_names_planreports_own_layouts_too(tmp_path: Path) -> None:
    """A project with no templates/ may still use planreport's packaged layouts."""
    (tmp_path / "plans" / "papers").mkdir(parents=True)
    (tmp_path / "plans" / "a.yaml").write_text(
        "title: A\nactions:\n  - {ref: '1', text: Do it., due: 2020-03}\n"
    )
    (tmp_path / "plans" / "papers" / "p.yaml").write_text(
        "title: P\nplans: [a]\nas_at: 2020-01-31\nlayout: nowhere\n"
    )
    result = run_planreport("check", "--as-at", "2020-01-31", cwd=tmp_path)
    assert (
        "plans/papers/p.yaml:4:9: error: [unknown-layout] there is no layout 'nowhere'. "
        "Layouts: standard." in result.stdout
    ), result.stdout + result.stderr


def test_a_project_without_templates_is_no_error(tmp_path: Path) -> None:
    """A folder the project does not have (templates/layouts) is not one it cannot read."""
    (tmp_path / "plans" / "papers").mkdir(parents=True)
    (tmp_path / "plans" / "papers" / "p.yaml").write_text(
        "plans: [missing]\nas_at: 2020-01-01\nlayout: standard\n", encoding="utf-8"
    )
    result = run_planreport("check", "plans/papers/p.yaml", cwd=tmp_path)
    assert "file-unreadable" not in result.stdout, result.stdout
    assert "[unknown-plan]" in result.stdout
