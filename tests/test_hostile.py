"""Hostile and broken input: every command answers plainly, never hangs, reads nothing outside.

Each test is one class of input from issue 10 that once crashed, hung, or was unsafe.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from planreport import output
from planreport.cli import main
from planreport.commands.check import check
from planreport.project import Project
from tests import office_fixtures as office
from tests.conftest import run_planreport

PLAN = "title: OK\nactions:\n  - {ref: '1', text: First., due: 2020-03, leads: [ann]}\n"


def _env(**extra: str) -> dict[str, str]:
    """The environment without GitHub's variables, plus extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env.update(extra)
    return env


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project with one valid plan."""
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "people.yaml").write_text("people:\n  ann: {name: Ann}\n")
    (tmp_path / "plans" / "ok.yaml").write_text(PLAN)
    return tmp_path


def _no_internal_error(result: subprocess.CompletedProcess) -> None:
    """A command's output has no traceback and no 'internal error'."""
    text = result.stdout + result.stderr
    assert "Traceback" not in text and "internal error" not in text, text


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--as-at", "0001-01-01"],
        ["check", "--as-at", "9999-12-31"],
        ["status", "--within", "99999999999"],
        ["build", "--jobs", "-3"],
        ["build", "--jobs", "0"],
    ],
)
def test_out_of_range_arguments_are_usage_errors(project: Path, args: list[str]) -> None:
    result = run_planreport(*args, cwd=project, env=_env())
    assert result.returncode == 2
    _no_internal_error(result)
    assert "error: argument" in result.stderr


@pytest.mark.parametrize("due", ["0000-01", "9999/00", "9999/00 Q4", "2200-01-01", "1899"])
def test_dates_out_of_range_are_located_errors(project: Path, due: str) -> None:
    (project / "plans" / "ok.yaml").write_text(PLAN.replace("due: 2020-03", f"due: '{due}'"))
    result = run_planreport("check", "--as-at", "2020-01-01", cwd=project, env=_env())
    assert result.returncode == 1
    _no_internal_error(result)
    assert f"plans/ok.yaml:3:35: error: [date-impossible] '{due}' is not a date a plan can use" in (
        result.stdout
    )


def test_a_pipe_as_a_plan_file_does_not_hang(project: Path) -> None:
    os.mkfifo(project / "plans" / "pipe.yaml")
    start = time.monotonic()
    result = subprocess.run(
        [str(Path(sys.executable).parent / "planreport"), "check", "plans/pipe.yaml"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert time.monotonic() - start < 30
    assert "[not-a-file]" in result.stdout


def test_a_folder_that_cannot_be_listed_is_reported(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = project / "plans" / "locked"
    locked.mkdir()
    real_iterdir = Path.iterdir

    def iterdir(self: Path):
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    monkeypatch.chdir(project)
    result = check(Project(project), [], __import__("datetime").date(2020, 1, 1))
    [problem] = [p for p in result.problems if p.severity.value == "error"]
    assert (problem.location.path, problem.rule) == ("plans/locked", "file-unreadable")
    assert problem.message == "cannot read this folder: Permission denied."


def test_a_linked_folder_out_of_the_project_is_reported(project: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("title: Secret\n")
    (project / "plans" / "linked").symlink_to(outside)
    result = run_planreport("check", "--as-at", "2020-01-01", cwd=project, env=_env())
    assert result.returncode == 1
    assert f"plans/linked:1:1: error: [outside-project] this is a link to {outside}" in (
        result.stdout
    )
    assert "Secret" not in result.stdout


def test_an_empty_folder_does_not_pass_the_gate(project: Path) -> None:
    (project / "plans" / "typo").mkdir()
    for command in ("check", "status"):
        result = run_planreport(command, "plans/typo", cwd=project, env=_env())
        assert result.returncode == 2, command
        assert "so there is nothing to check. Check the path." in result.stderr


def test_newlines_and_escapes_in_keys_cannot_forge_lines_or_commands(project: Path) -> None:
    (project / "plans" / "ok.yaml").write_text(
        PLAN + '"x\\n::error file=forged.yaml::forged\\e[31m": 1\n'
    )
    text = run_planreport("check", "--as-at", "2020-01-01", cwd=project, env=_env())
    assert all(line.startswith(("plans/", "Checked")) for line in text.stdout.splitlines()), (
        text.stdout
    )
    assert "\x1b" not in text.stdout and "\\u001b[31m" in text.stdout
    github = run_planreport(
        "check", "--as-at", "2020-01-01", cwd=project, env=_env(GITHUB_ACTIONS="true")
    )
    lines = github.stdout.splitlines()
    assert not any(line.startswith("::error file=forged.yaml") for line in lines)
    assert sum(line.startswith("::") for line in lines) == 3  # bad-character, unknown-key, stale


def test_a_summary_that_cannot_be_written_is_said_once(project: Path) -> None:
    env = _env(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(project / "no" / "such" / "file"))
    result = run_planreport("check", "--as-at", "2020-01-01", cwd=project, env=env)
    assert result.returncode == 0
    assert result.stderr.startswith(
        "planreport check: cannot add the table of problems to the job summary"
    )


def test_json_stays_valid_with_a_file_name_that_is_not_utf8(project: Path) -> None:
    name = os.fsdecode(b"plans/caf\xe9.yaml")
    Path(project / name).write_text(PLAN)
    result = run_planreport(
        "check", "--as-at", "2020-01-01", "--format", "json", cwd=project, env=_env()
    )
    paths = {p["path"] for p in json.loads(result.stdout)["problems"]}
    assert "plans/caf\ufffd.yaml" in paths


def test_out_naming_a_file_is_a_usage_error(project: Path) -> None:
    (project / "papers.txt").write_text("")
    result = run_planreport("build", "--out", "papers.txt", cwd=project, env=_env())
    assert result.returncode == 2
    assert result.stderr == (
        "planreport build: papers.txt is a file; name a folder to build into (--out DIR).\n"
    )


def test_a_killed_build_leaves_no_lock_behind(tmp_path: Path) -> None:
    """The lock dies with the process that took it, even if its workers live on."""
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from planreport import output\n"
        "with output.locked(Path(sys.argv[1])):\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(20)\n"
        "        os._exit(0)\n"
        "    print('locked', flush=True)\n"
        "    time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    waited: list[bool] = []
    start = time.monotonic()
    with output.locked(tmp_path, waiting=lambda: waited.append(True)):
        pass
    assert time.monotonic() - start < 5
    assert waited == []


def test_no_bad_input_in_the_corpus_gives_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """Every invalid example, as a project's only plan, through check, status and build."""
    from planreport.cli import main
    from tests.conftest import CASES

    cases = [
        p for p in sorted((CASES / "invalid").iterdir()) if p.name not in ("papers", "layouts")
    ]
    for case in cases:
        project = tmp_path / case.stem
        (project / "plans" / "papers").mkdir(parents=True)
        (project / "plans" / "people.yaml").write_bytes((CASES / "people.yaml").read_bytes())
        target = project / "plans" / case.name
        if case.is_dir():
            shutil.copytree(case, target)
        else:
            target.write_bytes(case.read_bytes())
        (project / "plans" / "papers" / "paper.yaml").write_text(
            f"plans: [{case.stem}]\nas_at: 2020-01-01\nlayout: standard\nformats: [html]\n"
        )
        monkeypatch.chdir(project)
        for args in (["check", "--as-at", "2020-01-01"], ["status", "--as-at", "2020-01-01"]):
            assert main(args) in (0, 1), (case.name, args)
        assert main(["build"]) in (0, 1), case.name
        out = capsys.readouterr()
        assert "internal error" not in out.out + out.err, (case.name, out.err)


def test_missing_pango_names_the_packages_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from planreport import writers
    from planreport.writers import pdf

    real_import = builtins.__import__

    def no_pango(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': No such file")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(writers.RenderError, match=re.escape("apt-get install libpango-1.0-0")):
        pdf._weasyprint()


def test_people_above_the_project_are_never_used(tmp_path: Path) -> None:
    """A people.yaml in a folder above the project does not supply its people."""
    (tmp_path / "people.yaml").write_text("people:\n  ann: {name: Planted}\n")
    project = tmp_path / "council"
    (project / "plans").mkdir(parents=True)
    (project / "plans" / "ok.yaml").write_text(PLAN)
    result = run_planreport("check", "--as-at", "2020-01-01", cwd=project, env=_env())
    assert result.returncode == 1
    assert "[no-people-registry]" in result.stdout and "Planted" not in result.stdout


def test_updates_written_newest_first_are_read_in_date_order(project: Path) -> None:
    (project / "plans" / "ok.yaml").write_text(
        "title: OK\nactions:\n  - ref: '1'\n    text: First.\n    due: 2020-03\n"
        "    updates:\n"
        "      - {date: 2020-02-01, text: Later., status: amber}\n"
        "      - {date: 2019-11-01, text: Earlier., status: green}\n"
    )
    from datetime import date

    from planreport.plan import standing

    result = check(Project(project), [], date(2020, 3, 1))
    [plan] = result.plans
    assert [u.text for u in plan.actions[0].updates] == ["Earlier.", "Later."]
    assert standing.status_at(plan, plan.actions[0], date(2020, 3, 1)).key == "amber"


# --- import: hostile source files (issue 18) ---------------------------------------------


def _import(project: Path, source: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """planreport import run in the project: its exit code and all it printed."""
    from planreport.cli import main

    before = Path.cwd()
    os.chdir(project)
    try:
        code = main(["import", str(source)])
    finally:
        os.chdir(before)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "internal error" not in out + err, out + err
    return code, out + err


def _outside_untouched(project: Path) -> None:
    """Nothing was written next to the project (the sources live in its parent)."""
    assert sorted(p.name for p in project.parent.iterdir() if p.suffix == ".yaml") == []


def test_a_csv_field_over_the_field_limit_is_a_located_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "big.csv"
    source.write_text(office.HEADING + "1," + "x" * 200_000 + ",ann,2020-03\n")
    code, text = _import(project, source, capsys)
    assert code == 2
    assert "big.csv: row 2, column 2: this cell holds 200,000 characters" in text
    _outside_untouched(project)


def test_a_csv_heading_row_of_a_million_columns_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "wide.csv"
    source.write_text("Ref,Action" + ",a" * 1_000_000 + "\n1,Do it.\n")
    code, text = _import(project, source, capsys)
    assert code == 2
    assert "wide.csv: row 1 has 1,000,002 columns; a plan table has at most 200" in text


def test_a_csv_with_a_million_empty_columns_is_read(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "trailing.csv"
    source.write_text(office.HEADING.strip() + "," * 1_000_000 + "\n1,Do it.,ann,2020-03\n")
    _code, text = _import(project, source, capsys)
    assert "Wrote plans/trailing.yaml: 1 action." in text, text


def test_an_excel_cell_at_xfd1048576_reads_only_the_cells_held(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "far.xlsx"
    far = '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    office.xlsx(source, office.sheet_plan_rows() + far, "XFD1048576")
    start = time.monotonic()
    _code, text = _import(project, source, capsys)
    assert time.monotonic() - start < 20
    assert "Wrote plans/far.yaml: 1 action." in text, text


def test_excel_rows_with_a_cell_in_column_xfd_are_refused_by_where(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "xfd.xlsx"
    rows = "".join(f'<row r="{n}">{office.cell_xml(f"XFD{n}", "x")}</row>' for n in range(3, 2003))
    office.xlsx(source, office.sheet_plan_rows() + rows, "XFD2002")
    start = time.monotonic()
    code, text = _import(project, source, capsys)
    assert time.monotonic() - start < 20
    assert code == 2
    assert "xfd.xlsx: sheet 'Plan', cell XFD" in text
    assert "reach column 16,384; a plan table has at most 200 columns" in text


@pytest.mark.parametrize(
    "row",
    [
        "<w:tr>"
        + office.word_cell("wide", '<w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr>')
        + "</w:tr>",
        '<w:tr><w:trPr><w:gridBefore w:val="100000000"/></w:trPr>'
        + office.word_cell("late")
        + "</w:tr>",
    ],
)
def test_word_spans_of_a_hundred_million_columns_are_capped_to_the_grid(
    project: Path, capsys: pytest.CaptureFixture[str], row: str
) -> None:
    source = project.parent / "span.docx"
    office.docx(source, office.word_plan(row))
    start = time.monotonic()
    _code, text = _import(project, source, capsys)
    assert time.monotonic() - start < 20
    assert "Wrote plans/span.yaml: 1 action." in text, text


@pytest.mark.parametrize("mark", ["\u2028", "\x1b", "\x85"])
def test_line_separators_in_a_file_name_stay_inside_comments(
    project: Path, capsys: pytest.CaptureFixture[str], mark: str
) -> None:
    import yaml

    source = project.parent / f"plan{mark}  evil: {{name: Evil}}{mark}#.csv"
    source.write_text(office.HEADING + "1,Do it.,Bob Jones,2020-03\n")
    _code, text = _import(project, source, capsys)
    assert "cannot read back" not in text and "Added 1 person" in text, text
    people = yaml.safe_load((project / "plans" / "people.yaml").read_text())["people"]
    assert "evil" not in people and set(people) == {"ann", "bob-jones"}, people
    _outside_untouched(project)


def test_control_characters_in_a_word_caption_stay_inside_comments(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "caption.docx"
    table = office.word_plan("").replace(
        "<w:tblGrid>",
        '<w:tblPr><w:tblCaption w:val="Plan\u2028evil: 1\x85x\u202e"/></w:tblPr><w:tblGrid>',
    )
    office.docx(source, table)
    _code, text = _import(project, source, capsys)
    assert "cannot read back" not in text and "Wrote plans/caption.yaml" in text, text


def test_import_never_writes_through_a_plans_folder_linked_out_of_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "council"
    project.mkdir()
    (project / "plans").symlink_to(outside)
    source = tmp_path / "linked.csv"
    source.write_text(office.HEADING + "1,Do it.,,2020-03\n")
    code, text = _import(project, source, capsys)
    assert code == 2 and "outside the project's plans folder" in text, text
    assert list(outside.iterdir()) == []


def test_import_never_replaces_a_linked_people_file(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = project / "plans" / "people.yaml"
    real = project / "registry.yaml"
    real.write_bytes(people.read_bytes())
    people.unlink()
    people.symlink_to(real)
    before = real.read_bytes()
    source = project.parent / "linkedpeople.csv"
    source.write_text(office.HEADING + "1,Do it.,Bob Jones,2020-03\n")
    code, text = _import(project, source, capsys)
    assert code == 2 and "plans/people.yaml is a link; planreport will not write" in text, text
    assert people.is_symlink() and real.read_bytes() == before
    assert not (project / "plans" / "linkedpeople.yaml").exists()


def test_import_prints_names_headings_and_leads_escaped(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "p\x1b]0;owned\x07\nWrote plans-forged.yaml: 9 actions.\u202e.csv"
    source.write_text("Ref,Action\x1b[2J,Lead,Due\n1,Do it.,Bob\u202eJones\x1b[31m,2020-03\n")
    _code, text = _import(project, source, capsys)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text, text
    assert not any(line.startswith("Wrote plans-forged") for line in text.splitlines()), text
    assert "\\u001b]0;owned\\u0007\\u000aWrote plans-forged" in text, text


def test_an_import_failure_prints_the_file_name_escaped(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "bad\x1b[31m\nWrote plans-x.yaml.csv"
    source.write_text("nothing like a plan\n")
    code, text = _import(project, source, capsys)
    assert code == 2 and "\x1b" not in text, text
    assert not any(line.startswith("Wrote") for line in text.splitlines()), text


def test_a_small_word_file_of_millions_of_empty_paragraphs_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project.parent / "empty.docx"
    office.docx(source, office.word_plan("") + "<w:p/>" * 3_000_000)
    start = time.monotonic()
    code, text = _import(project, source, capsys)
    assert time.monotonic() - start < 10
    assert code == 2 and "empty.docx: this file would unpack to 17 MiB" in text, text


def test_six_hundred_nested_word_tables_are_a_plain_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inner = office.word_cell("x")
    for _ in range(600):
        inner = f"<w:tc><w:tbl><w:tr>{inner}</w:tr></w:tbl><w:p/></w:tc>"
    source = project.parent / "nested.docx"
    office.docx(source, office.word_plan("") + f"<w:tbl><w:tr>{inner}</w:tr></w:tbl>")
    code, text = _import(project, source, capsys)
    assert code == 2 and "nested.docx: cannot be read as a Word document" in text, text


def test_an_excel_merged_range_of_the_whole_sheet_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    source = project.parent / "merged.xlsx"
    merge = '<mergeCells count="1"><mergeCell ref="E1:XFD1048576"/></mergeCells>'
    office.xlsx(source, office.sheet_plan_rows(), "D2", merge)
    start = time.monotonic()
    code, text = _import(project, source, capsys)
    assert time.monotonic() - start < 10
    assert code == 2 and "merged.xlsx: the merged cells E1:XFD1048576" in text, text


@pytest.mark.parametrize("command", ["check", "status"])
def test_a_file_the_os_refuses_to_read_is_a_located_error(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    (project / "plans" / "x").mkdir()
    locked = project / "plans" / "x" / "plan.yaml"
    locked.write_text(PLAN)
    inode, real_read = locked.stat().st_ino, os.read

    def read(handle: int, size: int) -> bytes:  # open succeeds (as root), reading fails
        if os.fstat(handle).st_ino == inode:
            raise PermissionError(13, "Permission denied")
        return real_read(handle, size)

    monkeypatch.setattr(os, "read", read)
    monkeypatch.chdir(project)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    code = main([command, "--as-at", "2020-01-01"])
    out = capsys.readouterr()
    assert "internal error" not in out.out + out.err
    assert code == 1
    assert (
        "plans/x/plan.yaml:1:1: error: [file-unreadable] cannot read this file: Permission denied."
    ) in out.out


def test_a_folder_that_cannot_be_searched_is_reported(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locked = project / "plans" / "locked"
    locked.mkdir()
    (locked / "plan.yaml").write_text(PLAN)
    real_stat, real_iterdir = Path.stat, Path.iterdir

    def stat(self: Path, **kwargs: bool) -> os.stat_result:  # mode 0: nothing inside is seen
        if self.parent == locked:
            raise PermissionError(13, "Permission denied")
        return real_stat(self, **kwargs)

    def iterdir(self: Path):
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_iterdir(self)

    monkeypatch.setattr(Path, "stat", stat)
    monkeypatch.setattr(Path, "iterdir", iterdir)
    monkeypatch.chdir(project)
    result = check(Project(project), [], __import__("datetime").date(2020, 1, 1))
    [problem] = [p for p in result.problems if p.severity.value == "error"]
    assert (problem.location.path, problem.rule) == ("plans/locked", "file-unreadable")


def test_errors_among_many_actions_cost_no_more_each() -> None:
    from planreport.plan import reference_rules as rules
    from planreport.problems import NEAREST_MAX_CHOICES, nearest

    refs = [str(i) for i in range(NEAREST_MAX_CHOICES + 1)]
    assert nearest("1O", refs) == ""  # no scan of every ref for each unknown one
    assert nearest("10x", refs[:20]) == " Did you mean '10'?"
    chain = {str(i): str(i + 1) for i in range(20_000)}  # each merged into the next
    assert rules._merge_circles(chain) == {}
    chain["20000"] = "19998"
    assert rules._merge_circles(chain)["19999"] == (["19998", "19999", "20000"], 1)
