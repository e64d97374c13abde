"""A full disk and a read-only folder, for real: `build`, `import`, `apply` change nothing.

Each test copies a small project into a tmpfs of its own, mounted inside a user and mount
namespace (`unshare`), so that no privilege is needed and nothing outside is touched.
There the disk is filled (leaving one page) or remounted read-only, and the commands
that write (`request` too) are run as a user runs them. Every file is hashed before and after, inside the
namespace; the results come out as JSON to the test's own folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import import_fixtures as fixtures
from tests.conftest import CASES, ROOT, run_planreport
from tests.test_updates import fill_xlsx

SIZE = "2m"  # the tmpfs: room for the project and its papers
LEFT = 4096  # what a full disk leaves free: one page, less than any file written here
FORM = "returned/sample-smcl.xlsx"
SOURCE = "incoming/Front door plan.csv"
COMMANDS = {  # each run as a user runs it: what it is called, and its arguments
    "build": ["build", "--force", "--jobs", "2"],  # every paper, in parallel where it can be
    "build-word": ["build", "--paper", "sample-paper", "--format", "docx", "--force"],
    "import": ["import", SOURCE, "--id", "front-door"],
    "apply": ["apply", FORM, "--date", "2011-12-10"],
    "request": ["request", "--lead", "smcl"],
}
# The exit status each command documents for a file it could not write.
EXIT = {"build": 1, "import": 2, "apply": 1, "request": 2}
# What each prints besides the error: apply still says what it did with each answer.
STDOUT = {
    "apply": "Applied 0 of 1 answer from 1 form; changed 0 files. 1 not applied, 0 already "
    "applied or repeated.\n"
}
# The file each is writing when the disk refuses it.
FULL = {
    "build": "build/sample-exceptions.pdf",  # WeasyPrint's copies of its fonts fill the disk
    "build-word": "build/sample-paper.docx",  # the paper itself does
    "import": "plans/people.yaml",  # after the plan's own file was staged, which then goes
    "apply": "plans/sample.yaml",
    "request": "build/forms/sample-smcl.xlsx",
}
READ_ONLY = {
    "build": "build/.planreport.lock",
    "build-word": "build/.planreport.lock",
    "import": "plans/front-door.yaml",
    "apply": "build/.apply-sample.lock",
    "request": "build/forms",  # the folder its temporaries (openpyxl's) are made in first
}
SAID = {
    "disk-full": "the disk is full, so planreport could not write this file; the files "
    "already there are unchanged. Free some space and run the command again.",
    "read-only": "the folder is read-only (its disk is mounted read-only), so planreport "
    "could not write this file; the files already there are unchanged. Run the command on "
    "a copy you can write to, or have the disk made writable.",
}


def _namespaces_work() -> str:
    """'' if a user and mount namespace with a tmpfs can be made here, else why not."""
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", "mount -t tmpfs x /mnt"],
        capture_output=True,
        text=True,
        check=False,
    )
    return "" if probe.returncode == 0 else f"no user namespaces here: {probe.stderr.strip()}"


WHY_NOT = _namespaces_work()
pytestmark = pytest.mark.skipif(bool(WHY_NOT), reason=f"needs a tmpfs of its own ({WHY_NOT})")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project with its papers built, a form returned with an answer, a source."""
    root = tmp_path_factory.mktemp("full-disk") / "council"
    shutil.copytree(CASES / "project", root)
    for args in (["build", "--paper", "sample-paper"], ["request", "--lead", "smcl"]):
        done = run_planreport(*args, cwd=root)
        assert done.returncode == 0, done.stdout + done.stderr
    (root / FORM).parent.mkdir()
    answer = {"Progress update": "Supervision audits restarted."}
    fill_xlsx(root / "build/forms/sample-smcl.xlsx", {"2.1": answer}, root / FORM)
    fixtures.csv_export(root / SOURCE)
    return root


def inside(mode: str, source: str, mount: str, results: str) -> None:
    """In the namespace: mount, copy, fill or make read-only, run each command, hash."""
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", mount], check=True)
    shutil.copytree(source, mount, dirs_exist_ok=True)
    root = Path(mount)
    found: dict[str, dict] = {}
    for name, args in COMMANDS.items():
        before = _digests(root)
        if mode == "full":
            _fill(root / ".filler")
        else:
            subprocess.run(["mount", "-o", "remount,ro", mount], check=True)
        done = subprocess.run(
            [sys.executable, "-m", "planreport", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        after = _digests(root)
        found[name] = {
            "status": done.returncode,
            "stdout": done.stdout,
            "stderr": done.stderr,
            "before": before,
            "after": after,
        }
        if mode == "full":
            (root / ".filler").unlink()
        else:
            subprocess.run(["mount", "-o", "remount,rw", mount], check=True)
    Path(results).write_text(json.dumps(found), encoding="utf-8")


def _fill(filler: Path) -> None:
    """Fill the disk, then free LEFT bytes of it."""
    # unbuffered: a buffered file's close flushes what the full disk refused, and fails
    with open(filler, "wb", buffering=0) as stream:
        try:
            while stream.write(b"\0" * 65536):
                pass
        except OSError:
            pass
    os.truncate(filler, filler.stat().st_size - LEFT)
    free = os.statvfs(filler.parent)
    assert free.f_bavail * free.f_frsize == LEFT


def _digests(root: Path) -> dict[str, str]:
    """Every file and folder under root (but the filler): a file's SHA-256, '/' for a folder."""
    return {
        str(path.relative_to(root)): "/"
        if path.is_dir()
        else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.name != ".filler"
    }


def _run(project: Path, mode: str, tmp_path: Path) -> dict[str, dict]:
    """Run the commands on a full or read-only copy of project; what each did."""
    mount, results = tmp_path / "mount", tmp_path / "results.json"
    mount.mkdir()
    code = f"from tests.test_full_disk import inside; inside({mode!r}, {str(project)!r}, "
    code += f"{str(mount)!r}, {str(results)!r})"
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not any(mount.iterdir()), "the tmpfs was mounted outside the namespace"
    return json.loads(results.read_text(encoding="utf-8"))


def _assert_refused(found: dict, name: str, path: str, rule: str) -> None:
    """The command failed with its status, said so in one located line, and changed nothing."""
    command = COMMANDS[name][0]
    assert found["status"] == EXIT[command], found
    message = f"{path}:1:1: error: [{rule}] {SAID[rule]}"
    assert found["stderr"] == f"planreport {command}: {message}\n"
    assert found["stdout"] == STDOUT.get(command, "")
    new = set(found["after"]) - set(found["before"])
    assert new <= {"build/.apply-sample.lock"}, new  # the lock apply keeps, as always
    assert {k: found["after"][k] for k in found["before"]} == found["before"]


@pytest.fixture(scope="module")
def full_disk(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """What each command did on a full disk."""
    return _run(project, "full", tmp_path_factory.mktemp("full"))


@pytest.fixture(scope="module")
def read_only(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """What each command did in a read-only project."""
    return _run(project, "read-only", tmp_path_factory.mktemp("read-only"))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_full_disk_changes_nothing_and_says_so(full_disk: dict, name: str) -> None:
    _assert_refused(full_disk[name], name, FULL[name], "disk-full")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_read_only_folder_changes_nothing_and_says_so(read_only: dict, name: str) -> None:
    _assert_refused(read_only[name], name, READ_ONLY[name], "read-only")
