"""Opening a source file as what it is: a Word document, an Excel workbook, a CSV file or a PDF.

The file's first bytes decide, not only its name: a PDF (%PDF-) is read by pdf_tables;
an old .doc or .xls, a password-protected file (both are OLE compound files), or a zip
that is not what its name says each get a message saying what to do. A zip whose contents
would unpack to far more than its size is refused (planreport.ooxml's limits) before any
library opens it.
"""

from __future__ import annotations

from planreport import ooxml
from planreport.importers.csv_tables import read_csv
from planreport.importers.docx_tables import read_docx
from planreport.importers.errors import ImportFailed
from planreport.importers.grid import Source
from planreport.importers.pdf_tables import read_pdf
from planreport.importers.xlsx_tables import read_xlsx

WORD = (".docx", ".docm")
EXCEL = (".xlsx", ".xlsm")
CSV = (".csv",)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_source(
    name: str, suffix: str, data: bytes, max_rows: int, keep_hidden: bool = True
) -> Source:
    """The source's paragraphs and tables (hidden ones kept or not); ImportFailed if unreadable."""
    suffix = suffix.lower()
    kind = _kind(name, suffix, data)
    if kind == "pdf":
        return read_pdf(data, name, max_rows)
    if kind == "csv":
        if b"\x00" in data[:4096]:
            raise ImportFailed(f"{name}: this is not a CSV text file (it holds binary data).")
        return read_csv(data, name, max_rows)
    _check_zip(name, data)
    try:
        if kind == "docx":
            return read_docx(data, name, keep_hidden)
        return read_xlsx(data, name, max_rows, keep_hidden)
    except ImportFailed:
        raise
    except Exception as exc:  # the file is untrusted: any failure to parse it means damage
        what = "a Word document" if kind == "docx" else "an Excel workbook"
        raise ImportFailed(
            f"{name}: cannot be read as {what}; the file is damaged ({_reason(exc)}). Open it "
            f"in {'Word' if kind == 'docx' else 'Excel'} and save it again, then import that copy."
        ) from exc


def _kind(name: str, suffix: str, data: bytes) -> str:
    """docx, xlsx, csv or pdf, from the name and the first bytes; else ImportFailed."""
    if data.startswith(_OLE):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00" in data[: 1 << 20] or suffix in (*WORD, *EXCEL):
            raise ImportFailed(
                f"{name}: this file is password-protected (encrypted), so it cannot be read. "
                "Open it, remove the password (File > Info > Protect), save it, and import "
                "that copy."
            )
        raise ImportFailed(
            f"{name}: this is an old Word 97-2003 or Excel 97-2003 file. Open it and save it "
            "as a .docx (Word) or .xlsx (Excel) file, then import that."
        )
    if data[:1024].lstrip(b"\x00\t\n\r ").startswith(b"%PDF-"):
        return "pdf"
    is_zip = data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06")
    if suffix in CSV and not is_zip:
        return "csv"
    if is_zip:
        members = _members(name, data)
        for kind, part in ooxml.MAIN_PARTS.items():
            if part in members:
                return kind
        if "content.xml" in members:
            raise ImportFailed(
                f"{name}: this is an OpenDocument file. Save it as .docx or .xlsx (File > Save "
                "As in LibreOffice), then import that."
            )
    if suffix == ".pdf":
        raise ImportFailed(
            f"{name}: this is not a PDF, although its name ends .pdf (it may be damaged, or "
            "another kind of file renamed). Ask for the plan's Word, Excel or PDF file again, "
            "then import that."
        )
    if suffix in WORD or suffix in EXCEL:
        what = "a Word document" if suffix in WORD else "an Excel workbook"
        raise ImportFailed(
            f"{name}: this is not {what}, although its name ends {suffix} (it may be damaged, "
            "or another kind of file renamed). Open it and save it as a "
            f"{'.docx' if suffix in WORD else '.xlsx'} file, then import that."
        )
    raise ImportFailed(
        f"{name}: planreport imports Word (.docx), Excel (.xlsx), CSV (.csv) and PDF files; this "
        f"is {'a ' + suffix + ' file' if suffix else 'a file with no extension'}. Save the plan "
        "in one of those formats, then import it."
    )


def _members(name: str, data: bytes) -> frozenset[str]:
    """The names inside a zip file."""
    try:
        return ooxml.open_package(data).names
    except ooxml.Damaged as exc:
        raise ImportFailed(
            f"{name}: the file is damaged ({_reason(exc)}); it cannot be opened. Open it in "
            "Word or Excel and save it again, then import that copy."
        ) from exc


def _check_zip(name: str, data: bytes) -> None:
    """Refuse a zip that would unpack to far more than any plan (a 'zip bomb')."""
    try:
        ooxml.check_size(ooxml.open_package(data))
    except ooxml.TooBig as exc:
        raise ImportFailed(
            f"{name}: this file would unpack to {exc.unpacked // ooxml.MiB:,} MiB in "
            f"{exc.entries:,} parts, far more than any plan; it is not imported."
        ) from None


def _reason(exc: BaseException) -> str:
    """A library's complaint, short enough for one line."""
    text = str(exc).strip().split("\n")[0] or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."
