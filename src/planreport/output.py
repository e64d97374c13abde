"""Writing outputs safely: atomic replacement, and one build at a time per folder."""

from __future__ import annotations

import contextlib
import errno
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
from typing import IO

from planreport import files

LOCK_FILE = ".planreport.lock"
TEMP_PREFIX = ".tmp-"  # a build's private temporary folder: .tmp-<its process id>

# What the operating system's refusal to write means, in a user's words: the rule it is
# reported under, what happened and what to do.
WRITE_REASONS = {
    errno.ENOSPC: ("disk-full", "the disk is full", "Free some space and run the command again."),
    errno.EDQUOT: (
        "disk-full",
        "your share of the disk (its quota) is used up",
        "Free some of your space, or ask for a larger quota, and run the command again.",
    ),
    errno.EFBIG: (
        "disk-full",
        "the file would be larger than this disk allows",
        "Run the command on a disk that takes larger files.",
    ),
    errno.EROFS: (
        "read-only",
        "the folder is read-only (its disk is mounted read-only)",
        "Run the command on a copy you can write to, or have the disk made writable.",
    ),
    errno.EACCES: (
        "cannot-write",
        "planreport is not allowed to write in this folder",
        "Check the folder's permissions and run the command again.",
    ),
}
WRITE_REASONS[errno.EPERM] = WRITE_REASONS[errno.EACCES]
# Refusals that concern the disk, not the file: a writer's own temporaries meet them too.
DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})


class WriteFailed(Exception):
    """A file planreport could not write (a full disk, a read-only folder); nothing changed.

    Its arguments are plain values, so that it crosses from a build's worker processes.
    """

    def __init__(self, path: Path, code: int | None, strerror: str | None) -> None:
        super().__init__(path, code, strerror)
        self.path, self.code, self.strerror = path, code, strerror

    @property
    def rule(self) -> str:
        """The rule it is reported under: disk-full, read-only or cannot-write."""
        return self.reason()[0]

    def message(self) -> str:
        """What happened and what to do, as one plain sentence or two."""
        _rule, what, todo = self.reason()
        return (
            f"{what}, so planreport could not write this file; the files already there are "
            f"unchanged. {todo}"
        )

    def reason(self) -> tuple[str, str, str]:
        """The rule, what happened and what to do, for this refusal."""
        if self.code in WRITE_REASONS:
            return WRITE_REASONS[self.code]
        why = (self.strerror or "the system refused").rstrip(".")
        return ("cannot-write", f"the system refused to write it ({why})", "Run the command again.")


@contextlib.contextmanager
def writing(path: Path) -> Iterator[None]:
    """Report the system's refusal to write path (or a file for it) as WriteFailed."""
    try:
        yield
    except OSError as exc:
        raise WriteFailed(path, exc.errno, exc.strerror) from None


def write_atomic(target: Path, data: bytes) -> None:
    """Write data to target so readers see the old file or the new one, never a part."""
    write_all({target: data})


@contextlib.contextmanager
def locked(folder: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the folder's build lock; a second build waits, then cleans stale temporaries.

    The lock is a POSIX record lock, held by this process only: worker processes do not
    inherit it, so a build killed mid-way never leaves its workers holding the folder.
    waiting is called once if another build holds the lock.
    """
    with _lock_file(folder / LOCK_FILE) as lock:
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
def private_temporaries(folder: Path) -> Iterator[Path]:
    """Send this process's temporary files (and its children's) to folder/.tmp-<pid>.

    Python's tempfile and TMPDIR point there for the duration; the folder is removed
    when it ends, however it ends. Ones left in folder by killed processes go first.
    """
    private = folder / f"{TEMP_PREFIX}{os.getpid()}"
    with writing(folder):  # reported as the folder the command writes to
        folder.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(folder)
        _remove(private)  # left by an earlier process of this id, or a link planted there
        private.mkdir(mode=0o700)
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
        _remove(private)


def remove_stale_temporaries(folder: Path) -> None:
    """Remove the private temporary folders in folder whose process has ended.

    A live process's folder is left alone, whatever the command: a `diff` or `request`
    may be using one in the folder a build is about to use. (A process id is only known
    within its own machine and container: two containers must not share a folder.)
    """
    for stale in folder.glob(f"{TEMP_PREFIX}*"):
        owner = stale.name.removeprefix(TEMP_PREFIX)
        if owner.isdigit() and not _running(int(owner)):
            _remove(stale)


def remove_file(path: Path, within: Path) -> None:
    """Remove a file (a link, not what it points to) and the folders it leaves empty, to within."""
    with writing(path):
        path.unlink(missing_ok=True)
    folder = path.parent
    while folder != within and folder.is_relative_to(within) and not any(folder.iterdir()):
        with writing(folder):
            folder.rmdir()
        folder = folder.parent


def _remove(path: Path) -> None:
    """Remove a folder and what it holds, or a file or link (never what a link points to)."""
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(OSError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether a process with this id is alive (perhaps another user's; not a zombie)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:  # another user's
        pass
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether the process has ended but not yet been reaped (Linux; False elsewhere)."""
    proc = Path(f"/proc/{pid}")
    try:
        state = files.read(proc / "stat", (proc,), 4096).rsplit(b")", 1)[1].split()[0]
    except (files.FileRefused, IndexError):
        return False
    return state == b"Z"


def write_all(targets: dict[Path, bytes], journal: Path | None = None) -> None:
    """Write several files so that all change or none; WriteFailed if one cannot be.

    With a journal, it first names each target and its digest before; each file's new
    bytes then go to a temporary beside it (a full disk or read-only folder stops here, and
    the temporaries are removed); the journal is written again naming the temporaries too;
    then they are moved into place and the journal removed. `recover` finishes a run
    killed after the second journal and removes the temporaries of one killed before it,
    so with a journal the files change all or none even if the process is killed.
    """
    staged = {str(target): ["", _digest(target) if journal else ""] for target in targets}
    if journal is not None:
        write_json(journal, staged)
    try:
        for target, data in targets.items():
            staged[str(target)][0] = _stage(target, data)
        if journal is not None:
            write_json(journal, staged)
    except BaseException:
        for temporary, _before in staged.values():
            with contextlib.suppress(OSError):
                if temporary:
                    os.unlink(temporary)
        if journal is not None:
            with contextlib.suppress(OSError):
                journal.unlink(missing_ok=True)
        raise
    for target, (temporary, _before) in staged.items():  # the journal's to finish from here
        with writing(Path(target)):
            os.replace(temporary, target)
    if journal is not None:
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
    """A temporary beside target holding data, on disk (fsynced); WriteFailed if it cannot be."""
    with writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
        )
    try:
        with writing(target), os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
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
            with writing(path):
                os.replace(staged, path)  # not yet replaced, and nobody has changed it since
            done.append(path)
        remove_stale(path)
    with writing(journal):
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
    with contextlib.ExitStack() as stack:
        for name in sorted(set(names)):
            handle = stack.enter_context(_lock_file(folder / f".apply-{lock_name(name)}.lock"))
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _lock_file(path: Path) -> IO[str]:
    """A lock file opened (made, with its folder, if need be); WriteFailed if it cannot be."""
    with writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "a")  # the caller closes it; its contents are never read


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
