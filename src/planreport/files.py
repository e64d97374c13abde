"""The one place planreport opens files: regular files inside trusted folders only.

A plan repository is untrusted input, so a link out of it, a pipe, a device or a file
over the size limit is refused with a reason a plan owner can act on, never read.
"""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path

MAX_BYTES = 5 * 1024 * 1024
PACKAGED = Path(str(resources.files("planreport")))  # planreport's own files


class FileRefused(Exception):
    """A file planreport will not read; rule and message say why, in a user's words."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


def read(path: Path, trusted: tuple[Path, ...], limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file inside one of the trusted folders (links followed)."""
    real = Path(os.path.realpath(path))
    if not any(real.is_relative_to(folder) for folder in trusted):
        raise FileRefused(
            "outside-project",
            f"this is a link to {real}, which is outside the project; planreport reads "
            "only files inside it. Put the file itself here instead of a link.",
        )
    try:
        handle = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise _unreadable(exc) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(
                "not-a-file",
                "this is not an ordinary file (it is a folder, device or pipe); "
                "planreport reads only ordinary files. Replace it with a file or remove it.",
            )
        if info.st_size > limit:
            raise FileRefused("file-too-large", _too_large(info.st_size, limit))
        return _read_all(handle, limit)
    except OSError as exc:  # opened, yet the system refuses to read it (rights, I/O)
        raise _unreadable(exc) from None
    finally:
        os.close(handle)


def packaged(name: str) -> Path:
    """Where one of planreport's own files (schema, templates) is installed."""
    return PACKAGED / name


def read_packaged(name: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of one of planreport's own files, read as every file is."""
    return read(packaged(name), (PACKAGED.resolve(),), limit)


def _unreadable(exc: OSError) -> FileRefused:
    """The refusal for a file the operating system would not open or read."""
    return FileRefused("file-unreadable", f"cannot read this file: {exc.strerror or exc}.")


def _read_all(handle: int, limit: int) -> bytes:
    """Read a whole file from a descriptor, refusing one that grows past limit."""
    chunks, size = [], 0
    while chunk := os.read(handle, 1 << 20):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise FileRefused("file-too-large", _too_large(size, limit))
    return b"".join(chunks)


def _too_large(size: int, limit: int) -> str:
    """Message for a file over the size limit."""
    return (
        f"this file is {size // 1024} KiB; the most a plan file may be is "
        f"{limit // 1024 // 1024} MiB. Split the plan into a folder of smaller files."
    )
