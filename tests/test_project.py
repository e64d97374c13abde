"""Properties of the project itself: the shipped schema, modelines and fast checking."""

from __future__ import annotations

import json
import marshal
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, load_document

PACKAGE_SCHEMA = ROOT / "src" / "planreport" / "schema"


def test_top_level_schema_matches_packaged_copy() -> None:
    for name in (
        "plan.schema.json",
        "people.schema.json",
        "paper.schema.json",
        "layout.schema.json",
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


def test_constraints_pin_every_dependency_and_test_extra() -> None:
    """constraints.txt (what the README installs) names every package pyproject asks for."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"]) + list(project["optional-dependencies"]["test"])
    names = {re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0] for spec in wanted}
    pinned = {
        line.split("==")[0].lower().replace("_", "-").replace(".", "-")
        for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line
    }
    missing = sorted(
        n for n in names if n.lower().replace("_", "-").replace(".", "-") not in pinned
    )
    assert missing == [], f"run scripts/update-constraints: {missing} are not in constraints.txt"
