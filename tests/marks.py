"""Marks for the kinds of slow test, registered in pyproject.toml ([tool.pytest.ini_options])."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T", bound=Callable)

NO_SOFFICE = "LibreOffice is not installed; .ci/slow installs it and runs this test"


def libreoffice(test: T) -> T:
    """Mark a test as needing LibreOffice (`-m libreoffice`); skip it when soffice is missing."""
    missing = shutil.which("soffice") is None
    return pytest.mark.libreoffice(pytest.mark.skipif(missing, reason=NO_SOFFICE)(test))


CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
NO_BROWSER = (
    "Debian's chromium and chromium-driver are not installed (/usr/bin/chromium, "
    "/usr/bin/chromedriver); .ci/run installs them and runs this test"
)


def browser(test: T) -> T:
    """Mark a test as driving headless Chromium (`-m browser`); skip it when it is missing."""
    import os

    missing = not (os.access(CHROMIUM, os.X_OK) and os.access(CHROMEDRIVER, os.X_OK))
    return pytest.mark.browser(pytest.mark.skipif(missing, reason=NO_BROWSER)(test))
