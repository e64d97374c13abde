"""Writing outputs safely: atomic replacement, and one build at a time per folder."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_FILE = ".planreport.lock"
TEMP_PREFIX = ".tmp-"  # a build's private temporary folder: .tmp-<its process id>


def write_atomic(target: Path, data: bytes) -> None:
    """Write data to target so readers see the old file or the new one, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def locked(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the folder's build lock; a second build waits, then cleans stale temporaries.

    The lock is a POSIX record lock, held by this process only: worker processes do not
    inherit it, so a build killed mid-way never leaves its workers holding the folder.
    waiting is called once if another build holds the lock.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "w") as lock:
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            if waiting:
                waiting()
            fcntl.lockf(lock, fcntl.LOCK_EX)
        for stale in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()
        for stale in folder.glob(f"{TEMP_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        try:
            yield
        finally:
            fcntl.lockf(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def private_temporaries(folder: Path) -> Iterator[Path]:
    """Send this process's temporary files (and its children's) to folder/.tmp-<pid>.

    Python's tempfile and TMPDIR point there for the duration; the folder is removed
    when it ends, however it ends. One left by a killed build goes when the next build
    takes the lock.
    """
    private = folder / f"{TEMP_PREFIX}{os.getpid()}"
    private.mkdir(mode=0o700, exist_ok=True)
    before = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = str(private)
    try:
        yield private
    finally:
        tempfile.tempdir = before[0]
        if before[1] is None:
            del os.environ["TMPDIR"]
        else:
            os.environ["TMPDIR"] = before[1]
        shutil.rmtree(private, ignore_errors=True)


def read_json(path: Path) -> dict:
    """A JSON object from path, or {} if it is missing or damaged."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def write_json(path: Path, value: dict) -> None:
    """Write a JSON object atomically."""
    write_atomic(path, (json.dumps(value, indent=1, sort_keys=True) + "\n").encode("utf-8"))
