"""Returned update forms are untrusted, and two applies may run at once: nothing is lost."""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import itertools
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
import zlib
from datetime import date
from pathlib import Path

import pytest
import yaml

from planreport import output
from planreport.project import Project
from planreport.updates import apply as applying
from planreport.updates import form as forms
from tests import office_fixtures as office
from tests.conftest import planreport_command, run_planreport


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project with one plan of two actions, one led by Ann and one by Bob."""
    return office.plan_project(tmp_path, "two", office.TWO)


def _forms(root: Path) -> dict[str, Path]:
    """Each lead's form, made with `planreport request`, by lead id."""
    result = run_planreport("request", "--date", "2026-11-01", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return {path.stem.rpartition("-")[2]: path for path in (root / "build/forms").glob("*.xlsx")}


def _filled(root: Path, lead: str, ref: str, text: str) -> Path:
    """A lead's form with a progress update for one action."""
    return office.fill_xlsx(
        _forms(root)[lead], {ref: {"Progress update": text}}, root / f"{lead}.xlsx"
    )


def test_two_applies_at_once_both_land(project: Path) -> None:
    ann = _filled(project, "ann", "1", "Ann's news.")
    bob = _filled(project, "bob", "2", "Bob's news.")
    runs = [
        subprocess.Popen(
            [*planreport_command(), "apply", str(form), "--date", "2026-11-20"],
            cwd=project,
            stdout=subprocess.PIPE,
            text=True,
        )
        for form in (ann, bob)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    text = (project / "plans/two.yaml").read_text()
    assert "Ann's news." in text and "Bob's news." in text


def test_a_plan_changed_between_reading_and_writing_is_not_overwritten(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = _filled(project, "ann", "1", "Ann's news.")
    plan = project / "plans/two.yaml"
    checking = applying._check_edited

    def meanwhile(*args: object) -> applying.Checked:
        """Another program saves the plan while apply is working."""
        plan.write_text(office.TWO.replace("Do that.", "Do that now."))
        return checking(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(applying, "_check_edited", meanwhile)
    result = applying.apply(Project(project), applying.Options((form,), date(2026, 11, 20)))
    assert "Do that now." in plan.read_text()
    assert "Ann's news." not in plan.read_text()
    assert result.applied == 0 and not result.written
    (finding,) = result.findings
    assert "plans/two.yaml was changed by another program" in finding.message


def _as_bobs_action(project: Path) -> tuple[dict, Path]:
    """Ann's form answered on its row, and her hidden data pointed at Bob's action 2."""
    ann = _filled(project, "ann", "1", "Forged news.")
    body = office.hidden_body(ann)
    bob = office.hidden_body(_forms(project)["bob"])
    body["rows"] = bob["rows"]
    return body, ann


def test_a_form_resigned_with_plain_sha256_is_refused(project: Path) -> None:
    body, ann = _as_bobs_action(project)
    packed = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    payload = base64.urlsafe_b64encode(zlib.compress(packed, 9)).decode("ascii")
    check = hashlib.sha256(packed).hexdigest()[:16]
    forged = office.with_hidden(ann, [f"{forms.PREFIX}{payload}.{check}"], project / "forged.xlsx")
    result = run_planreport("apply", str(forged), "--date", "2026-11-20", cwd=project)
    assert result.returncode == 1
    assert "forged.xlsx: not applied: the hidden data in this form has been changed" in (
        result.stdout
    )
    assert "Forged news." not in (project / "plans/two.yaml").read_text()


def test_an_answer_for_an_action_the_forms_lead_does_not_lead_is_refused(project: Path) -> None:
    body, ann = _as_bobs_action(project)
    signed = office.with_hidden(ann, [forms.seal(body)], project / "signed.xlsx")
    result = run_planreport("apply", str(signed), "--date", "2026-11-20", cwd=project)
    assert result.returncode == 1
    assert result.stdout.startswith(
        "signed.xlsx: row 9 (action 2): not applied: this form was made for 'ann', who is not "
        "a lead of this action (its leads: bob)."
    )
    assert "Forged news." not in (project / "plans/two.yaml").read_text()


def test_the_form_key_is_made_private_outside_the_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    key = forms.form_key()
    path = tmp_path / "config/planreport/form-key"
    assert path.read_bytes().strip() == key and len(key) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert forms.form_key() == key
    monkeypatch.setenv("PLANREPORT_FORM_KEY", "another secret")
    assert forms.sign(b"data") != hmac.new(key, b"data", hashlib.sha256).hexdigest()[:32]


def _apply(root: Path, form: Path) -> subprocess.CompletedProcess:
    """Run `planreport apply` on one form in root."""
    return run_planreport("apply", str(form), "--date", "2026-11-20", cwd=root)


def _no_internal_error(result: subprocess.CompletedProcess) -> None:
    """The run ended with a message of its own, not planreport's internal error."""
    assert "internal error" not in result.stdout + result.stderr, result.stderr


def test_hidden_data_that_is_a_list_is_refused(project: Path) -> None:
    ann = _filled(project, "ann", "1", "News.")
    listed = office.with_hidden(ann, [forms.seal([1, 2])], project / "listed.xlsx")  # type: ignore[arg-type]
    result = _apply(project, listed)
    _no_internal_error(result)
    assert "listed.xlsx: not applied: the hidden data in this form has been changed" in (
        result.stdout
    )


def test_hidden_data_that_unpacks_huge_is_refused_unread(project: Path) -> None:
    ann = _filled(project, "ann", "1", "News.")
    office.with_hidden(ann, office.hidden_bomb(200 << 20), project / "bomb.xlsx")
    result = _apply(project, project / "bomb.xlsx")
    _no_internal_error(result)
    assert "bomb.xlsx: not applied: the hidden data in this form unpacks to over 8 MiB" in (
        result.stdout
    )


def test_a_part_that_unpacks_too_big_is_refused(project: Path) -> None:
    ann = _filled(project, "ann", "1", "News.")
    big = office.rezipped(
        ann, project / "big.xlsx", "xl/styles.xml", lambda d: d + b" " * (40 << 20)
    )
    result = _apply(project, big)
    assert "big.xlsx: not applied: this file unpacks to 40 MiB" in result.stdout


def test_a_workbook_with_a_malformed_tag_is_refused_plainly(project: Path) -> None:
    ann = _filled(project, "ann", "1", "News.")
    sheet = "xl/worksheets/sheet1.xml"
    bad = office.rezipped(
        ann, project / "bad.xlsx", sheet, lambda d: d.replace(b"</c>", b"</x>", 1)
    )
    result = _apply(project, bad)
    _no_internal_error(result)
    assert "bad.xlsx: not applied: this workbook cannot be read: part of it is damaged " in (
        result.stdout
    )
    assert "mismatched tag" in result.stdout


@pytest.mark.parametrize("size", ["A1:XFD1048576", "A1:K8"])
def test_a_forms_declared_sheet_size_is_not_trusted(project: Path, size: str) -> None:
    ann = _filled(project, "ann", "1", "News past the size.")
    dimension = re.compile(rb'<dimension ref="[^"]*"/>')
    forged = office.rezipped(
        ann,
        project / "sized.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda d: dimension.sub(f'<dimension ref="{size}"/>'.encode(), d).replace(
            b"</sheetData>", b'<row r="1048000"><c r="A1048000"><v>1</v></c></row></sheetData>'
        ),
    )
    start = time.monotonic()
    result = _apply(project, forged)
    # unguarded, openpyxl walks the declared billion cells for minutes (and gigabytes);
    # guarded it takes a second or two, more on a loaded CI machine: the bound is loose
    assert time.monotonic() - start < 60
    assert "Applied 1 of 1 answer from 1 form" in result.stdout, result.stdout
    assert "News past the size." in (project / "plans/two.yaml").read_text()


def test_a_formula_with_no_saved_value_is_reported(project: Path) -> None:
    form = _forms(project)["ann"]
    filled = office.fill_xlsx(form, {"1": {"New status": '=UPPER("green")'}}, project / "f.xlsx")
    result = _apply(project, filled)
    assert result.returncode == 1
    assert result.stdout.startswith(
        'f.xlsx: row 9 (action 1): not applied: New status: this cell holds a formula (=UPPER("'
    )
    assert "Applied 0 of 1 answer" in result.stdout


def test_a_status_with_an_invisible_character_is_shown(project: Path) -> None:
    form = _forms(project)["ann"]
    filled = office.fill_xlsx(form, {"1": {"New status": "Green\u200b"}}, project / "z.xlsx")
    result = _apply(project, filled)
    assert result.returncode == 1
    assert (
        "z.xlsx: row 9 (action 1): New status: 'Green\\u200b' is not a status of this plan (it "
        "holds an invisible character, U+200B," in result.stdout
    )


@pytest.mark.parametrize(
    ("kind", "part", "plain"),
    [("docx", "word", "wordprocessingml.document"), ("xlsx", "xl", "spreadsheetml.sheet")],
)
def test_a_macro_enabled_form_is_refused_plainly(
    project: Path, kind: str, part: str, plain: str
) -> None:
    made = run_planreport("request", "--format", kind, "--out", "build/f", cwd=project)
    assert made.returncode == 0, made.stderr
    macro = "ms-word.document" if kind == "docx" else "ms-excel.sheet"
    forged = office.rezipped(
        project / f"build/f/two-ann.{kind}",
        project / f"ann.{kind[:-1]}m",
        "[Content_Types].xml",
        lambda d: d.replace(f"{plain}.main".encode(), f"{macro}.macroEnabled.main".encode()),
    )
    result = _apply(project, forged)
    _no_internal_error(result)
    assert result.returncode == 1
    assert f"ann.{kind[:-1]}m: not applied: this is a macro-enabled " in result.stdout
    assert "damaged" not in result.stdout


def test_request_out_naming_a_file_is_a_usage_error(project: Path) -> None:
    (project / "forms.txt").write_text("not a folder")
    result = run_planreport("request", "--out", "forms.txt", cwd=project)
    _no_internal_error(result)
    assert result.returncode == 2
    assert "forms.txt is a file, not a folder" in result.stderr


def test_an_apply_killed_while_writing_is_finished_by_the_next(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = _filled(project, "ann", "1", "Written in full.")
    plan = project / "plans/two.yaml"
    (project / "plans/.two.yaml.old.tmp").write_text("left by a killed write")
    replacing = os.replace

    def killed(source: str, target: str | Path) -> None:
        """The process dies as it moves the new plan into place."""
        if Path(target) == plan:
            raise KeyboardInterrupt
        replacing(source, target)

    monkeypatch.setattr(output.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        applying.apply(Project(project), applying.Options((form,), date(2026, 11, 20)))
    monkeypatch.setattr(output.os, "replace", replacing)
    assert "Written in full." not in plan.read_text()
    result = applying.apply(Project(project), applying.Options((), date(2026, 11, 20)))
    assert "Written in full." in plan.read_text()
    assert "an earlier apply was stopped while writing this plan" in str(result.findings[0])
    assert not list((project / "build").glob("*.journal"))
    applying.apply(Project(project), applying.Options((form,), date(2026, 11, 20)))
    assert not list((project / "plans").glob(".*.tmp"))
    assert plan.read_text().count("Written in full.") == 1


# --- apply killed with SIGKILL while it writes a folder plan ------------------------------

PAUSING = """\
import os, sys, tempfile, time
from pathlib import Path
from planreport import output
from planreport.cli import main

stop, seen, writing = int(sys.argv[1]), [0], [0]  # writing: how deep in write_all

def pausing(name, real):
    def call(*args, **kwargs):
        if writing[0]:
            if seen[0] == stop:
                print("paused before", name, flush=True)
                time.sleep(60)
            seen[0] += 1
        return real(*args, **kwargs)
    return call

def write_all(*args):
    writing[0] += 1  # write_all writes its journal with write_all too
    try:
        return real_write_all(*args)
    finally:
        writing[0] -= 1

tempfile.mkstemp = pausing("mkstemp", tempfile.mkstemp)
os.replace = pausing("os.replace", os.replace)
Path.unlink = pausing("unlink", Path.unlink)
real_write_all, output.write_all = output.write_all, write_all
sys.exit(main(sys.argv[2:]))
"""

FOLDER_FILES = {"plan.yaml": "title: Folder plan\n"} | {
    f"recommendation-0{n}.yaml": (
        'recommendations:\n  - {ref: "1", text: Do better.}\nactions:\n' + office.ANN_ACTION
    ).replace('"1"', f'"{n}"')
    for n in (1, 2, 3)
}


def _folder_plan(root: Path) -> Path:
    """A project whose one plan is a folder of three files, an action of Ann's in each."""
    (root / "plans/folder").mkdir(parents=True)
    (root / "plans/people.yaml").write_text(office.PEOPLE)
    for name, text in FOLDER_FILES.items():
        (root / "plans/folder" / name).write_text(text)
    return root


def _killed_at(root: Path, form: Path, stop: int) -> bool:
    """Apply form in root, killed with SIGKILL before the stop-th write step; False if done."""
    child = subprocess.Popen(
        [sys.executable, "-c", PAUSING, str(stop), "apply", str(form), "--date", "2026-11-20"],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(60, child.kill)
    watchdog.start()
    try:
        paused = any(line.startswith("paused before") for line in child.stdout)
    finally:
        watchdog.cancel()
    if paused:
        os.kill(child.pid, signal.SIGKILL)
    assert child.wait() == (-signal.SIGKILL if paused else 0)
    return paused


def _plan_state(root: Path) -> dict[str, object]:
    """Each file of the folder plan, parsed."""
    return {
        name: yaml.safe_load((root / "plans/folder" / name).read_text()) for name in FOLDER_FILES
    }


def test_an_apply_killed_at_any_point_leaves_its_plan_wholly_old_or_wholly_new(
    tmp_path: Path,
) -> None:
    template = _folder_plan(tmp_path / "template")
    (form,) = _forms(template).values()
    answers = {ref: {"Progress update": f"News {ref}."} for ref in "123"}
    filled = office.fill_xlsx(form, answers, tmp_path / "filled.xlsx")
    old = _plan_state(template)
    new = copy.deepcopy(old)
    for n in (1, 2, 3):
        action = new[f"recommendation-0{n}.yaml"]["actions"][0]  # type: ignore[index]
        action["updates"] = [{"date": date(2026, 11, 20), "text": f"News {n}."}]
    outcomes = set()
    for stop in itertools.count():
        root = tmp_path / f"killed-{stop}"
        shutil.copytree(template, root)
        if not _killed_at(root, filled, stop):
            break
        after = _apply(root, tmp_path / "none.xlsx")  # any apply finishes or undoes the write
        _no_internal_error(after)
        state = _plan_state(root)
        assert state in (old, new), (stop, state)
        outcomes.add("new" if state == new else "old")
        assert sorted(p.name for p in root.rglob("*.tmp")) == [], stop
        assert sorted(p.name for p in root.rglob("*.journal")) == [], stop
    assert stop > 8 and outcomes == {"old", "new"}, (stop, outcomes)
