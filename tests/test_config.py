"""The project's configuration, planreport.yaml: loaded, defaulted and checked with places."""

from __future__ import annotations

from pathlib import Path

from planreport.plan import config
from planreport.project import Project
from tests.conftest import ROOT, run_planreport


def _project(tmp_path: Path, text: str | None) -> Path:
    """A project with no plans and this configuration (none if text is None)."""
    (tmp_path / "plans").mkdir()
    if text is not None:
        (tmp_path / "planreport.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_the_example_repository_names_its_publisher() -> None:
    loaded = config.load(Project(ROOT))
    assert loaded.problems == []
    assert loaded.value is not None
    assert loaded.value.council.name == "planreport example plans"


def test_a_project_without_the_file_has_the_defaults(tmp_path: Path) -> None:
    loaded = config.load(Project(_project(tmp_path, None)))
    assert loaded.value == config.Config()
    assert loaded.value.section("site") == {}


def test_a_section_keeps_its_values_and_their_places(tmp_path: Path) -> None:
    text = "council:\n  name: Derby City Council\n  website: https://www.derby.gov.uk/\n"
    loaded = config.load(Project(_project(tmp_path, text)))
    assert loaded.value is not None
    assert loaded.value.council == config.Council("Derby City Council", "https://www.derby.gov.uk/")
    assert loaded.value.section("council")["name"] == "Derby City Council"
    assert (
        loaded.value.where("council", "website").line,
        loaded.value.where("council", "website").col,
    ) == (3, 12)


def test_check_reports_each_mistake_where_it_is(tmp_path: Path) -> None:
    root = _project(tmp_path, "council:\n  nmae: Derby\n  website: www.derby.gov.uk\nsite: 3\n")
    result = run_planreport("check", cwd=root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "planreport.yaml:2:3: error: [unknown-key] 'nmae' is not a key planreport knows in "
        "'council'. Did you mean 'name'?"
    )
    assert lines[1] == (
        "planreport.yaml:3:12: error: [bad-value] 'council': 'website' 'www.derby.gov.uk' is "
        "not allowed here: Its website's full address, starting https://, e.g. "
        "'https://www.derby.gov.uk/'."
    )
    assert (
        lines[2]
        == "planreport.yaml:4:7: error: [wrong-type] 'site' should be a set of keys and values."
    )
    assert lines[-1] == "Checked 0 plans in 1 file: 3 errors, 0 warnings."
