"""Office packages (.docx, .xlsx): what kind a zip is, how far it may unpack, writing one stably.

Every Office file planreport reads (an imported plan, a returned form, a reference
document) is opened here first, so that all three refuse the same zip bombs; every one it
writes (a paper, a form) is re-zipped here, so that the same content is the same bytes.
Standard library only (lxml for the content types), so that `check` stays fast.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

# Every entry of a package written by planreport has this time (zip's earliest).
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
MiB = 1024 * 1024
MAX_UNPACKED = 100 * MiB  # the most any package may unpack to
MAX_PART = 32 * MiB  # the most one part of a package may unpack to
FREE_UNPACKED = 8 * MiB  # any package may unpack to this much, whatever its size
MAX_RATIO = 50  # beyond that, unpacked bytes per byte of file (real Office files: 5 to 15)
MAX_ENTRIES = 20000
MAX_TYPES_BYTES = 1024 * 1024  # the most [Content_Types].xml is read
MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
MAIN_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
# What a zip cannot be opened for: zipfile raises each of these for some damage.
DAMAGE = (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError)


class Damaged(Exception):
    """A file that cannot be opened as a zip; the message is the library's complaint."""


class TooBig(Exception):
    """A package that would unpack to more than planreport reads (a 'zip bomb')."""

    def __init__(self, unpacked: int, entries: int, allowed: int) -> None:
        super().__init__(f"unpacks to {unpacked} bytes in {entries} parts (allowed {allowed})")
        self.unpacked = unpacked
        self.entries = entries
        self.allowed = allowed


@dataclass(frozen=True)
class Package:
    """What a zip's directory says: its parts' names and unpacked sizes, and its own size."""

    names: frozenset[str]
    sizes: tuple[int, ...]
    size: int

    @property
    def unpacked(self) -> int:
        """The bytes all its parts unpack to."""
        return sum(self.sizes)

    @property
    def kind(self) -> str | None:
        """The kind of package by its main part: docx, xlsx, or None if it has neither."""
        return next((kind for kind, part in MAIN_PARTS.items() if part in self.names), None)


def open_package(data: bytes) -> Package:
    """The directory of a zip; Damaged if it cannot be opened."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            items = archive.infolist()
    except DAMAGE as exc:
        raise Damaged(str(exc).strip() or type(exc).__name__) from None
    return Package(
        frozenset(i.filename for i in items), tuple(i.file_size for i in items), len(data)
    )


def kind(data: bytes) -> str | None:
    """Whether bytes are a Word document ("docx"), an Excel workbook ("xlsx") or neither."""
    try:
        return open_package(data).kind
    except Damaged:
        return None


def allowed(size: int) -> int:
    """The most a package of size bytes may unpack to."""
    return min(MAX_UNPACKED, max(FREE_UNPACKED, MAX_RATIO * size))


def check_size(package: Package) -> None:
    """TooBig if a package would unpack to far more than any Office file planreport reads."""
    most = allowed(package.size)
    if (
        len(package.sizes) > MAX_ENTRIES
        or package.unpacked > most
        or max(package.sizes, default=0) > MAX_PART
    ):
        raise TooBig(package.unpacked, len(package.sizes), most)


def safe_package(data: bytes) -> Package:
    """The directory of a zip that is safe to unpack; Damaged or TooBig if it is not."""
    package = open_package(data)
    check_size(package)
    return package


def main_type(data: bytes, kind: str) -> str | None:
    """The content type a package declares for its main part, if it declares one."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("[Content_Types].xml")
            if info.file_size > MAX_TYPES_BYTES:
                return None
            xml = package.read(info)
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, etree.XMLSyntaxError, *DAMAGE):
        return None
    for element in root:
        if str(element.get("PartName", "")).lstrip("/") == MAIN_PARTS[kind]:
            return str(element.get("ContentType", ""))
    return None


def rezip(data: bytes, change: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:
    """The same package with fixed timestamps, so equal documents are equal bytes.

    Each part named in change is replaced by its function's result.
    """
    change = change or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            content = source.read(item)
            if item.filename in change:
                content = change[item.filename](content)
            target.writestr(fixed, content)
    return out.getvalue()
