"""Writing outputs safely: atomic replacement, and one build at a time per folder."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

LOCK_FILE = ".planreport.lock"


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
        try:
            yield
        finally:
            fcntl.lockf(lock, fcntl.LOCK_UN)


@contextlib.contextmanager
def exclusive(folder: Path, names: list[str]) -> Iterator[None]:
    """Hold an exclusive lock per name (a plan's id) in folder, taken in sorted order.

    The locks are flock locks on files in folder: a second holder waits for the first,
    and the kernel drops them when their process ends, however it ends.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        for name in sorted(set(names)):
            safe = re.sub(r"[^A-Za-z0-9_-]", "_", name)
            handle = stack.enter_context(open(folder / f".apply-{safe}.lock", "a"))
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


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
