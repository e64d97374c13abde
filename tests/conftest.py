"""Shared helpers for the planreport tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"


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
    """Run the installed command and capture its output."""
    return subprocess.run(
        [*planreport_command(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
