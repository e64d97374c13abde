"""`planreport build` says which paper it is on, on a terminal only (issue 8, item 9)."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from tests.conftest import CASES, planreport_command

PROJECT = CASES / "project"


def _run(tmp_path: Path, terminal: bool, **env: str) -> str:
    """Everything the build wrote to stdout and stderr."""
    command = [*planreport_command(), "build", "--force", "--jobs", "1", "--format", "html"]
    command += ["--out", str(tmp_path / "out")]
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    environment.update(env)
    if not terminal:
        done = subprocess.run(command, cwd=PROJECT, env=environment, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr
    main, other = pty.openpty()
    process = subprocess.Popen(command, cwd=PROJECT, env=environment, stdout=other, stderr=other)
    os.close(other)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait() == 0
    os.close(main)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_a_terminal_sees_which_paper_and_how_far(tmp_path: Path) -> None:
    shown = _run(tmp_path, terminal=True)
    assert "[1/3] sample-exceptions …" in shown and "[3/3] sample-paper …" in shown
    assert "Built 3 papers" in shown


def test_piped_output_and_ci_stay_quiet(tmp_path: Path) -> None:
    for shown in (_run(tmp_path, terminal=False), _run(tmp_path, terminal=True, CI="true")):
        assert "[1/" not in shown and "…" not in shown
        assert "Built 3 papers" in shown
