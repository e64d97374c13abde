"""Writing outputs safely: atomic replacement, and one build at a time per folder."""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from planreport import files

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


def write_all(targets: dict[Path, bytes], journal: Path) -> None:
    """Write several files so that all change or none, even if the process is killed.

    A journal names each target and its digest before; each file's new bytes go to a
    temporary beside it; the journal is written again naming the temporaries too; then
    they are moved into place and the journal removed. `recover` finishes a run killed
    after the second journal and removes the temporaries of one killed before it.
    """
    staged = {str(target): ["", _digest(target)] for target in targets}
    write_json(journal, staged)
    try:
        for target, data in targets.items():
            staged[str(target)][0] = _stage(target, data)
        write_json(journal, staged)
    except BaseException:
        for temporary, _before in staged.values():
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        journal.unlink(missing_ok=True)
        raise
    for target, (temporary, _before) in staged.items():
        os.replace(temporary, target)
    journal.unlink()


def _digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, '' if there is no such file, else why it is unread."""
    if not path.is_file():
        return ""
    try:
        return hashlib.sha256(_read(path)).hexdigest()
    except files.FileRefused as refused:
        return refused.rule


def _read(path: Path) -> bytes:
    """A file's bytes, read as every file is, trusting only the folder it is in."""
    return files.read(path, (Path(os.path.realpath(path.parent)),))


def _stage(target: Path, data: bytes) -> str:
    """A temporary beside target holding data, on disk (fsynced)."""
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(temporary, 0o644)
    return temporary


def recover(journal: Path, root: Path) -> list[Path]:
    """Finish a `write_all` killed part-way; the files it completed (none if none were left).

    Only files inside root are touched, each only from a temporary of its own beside it;
    every other temporary of a journalled target (and of the journal) is removed.
    """
    remove_stale(journal)
    done = []
    for target, entry in read_json(journal).items():
        temporary, before = [*entry, "", ""][:2] if isinstance(entry, list) else ("", "")
        path, staged = Path(target), Path(str(temporary))
        if not (path.is_absolute() and Path(os.path.realpath(path.parent)).is_relative_to(root)):
            continue
        ours = (
            staged.parent == path.parent
            and staged.name.startswith(f".{path.name}.")
            and staged.name.endswith(".tmp")
        )
        if ours and staged.is_file() and not staged.is_symlink() and _digest(path) == before:
            os.replace(staged, path)  # not yet replaced, and nobody has changed it since
            done.append(path)
        remove_stale(path)
    journal.unlink(missing_ok=True)
    return done


def remove_stale(target: Path) -> None:
    """Remove temporaries of target left by a write that was killed."""
    for stale in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def lock_name(name: str) -> str:
    """A plan id made safe as part of a file name."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", name)


@contextlib.contextmanager
def exclusive(folder: Path, names: list[str]) -> Iterator[None]:
    """Hold an exclusive lock per name (a plan's id) in folder, taken in sorted order.

    The locks are flock locks on files in folder: a second holder waits for the first,
    and the kernel drops them when their process ends, however it ends.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        for name in sorted(set(names)):
            handle = stack.enter_context(open(folder / f".apply-{lock_name(name)}.lock", "a"))
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def read_json(path: Path) -> dict:
    """A JSON object from path, or {} if it is missing or damaged."""
    try:
        value = json.loads(_read(path).decode("utf-8"))
    except (files.FileRefused, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def write_json(path: Path, value: dict) -> None:
    """Write a JSON object atomically."""
    write_atomic(path, (json.dumps(value, indent=1, sort_keys=True) + "\n").encode("utf-8"))
