"""The update-form formats: each registered once, with its writer and reader module.

`request` writes a form with its format's `write`, `apply` reads one with `read`, and the
CLI's `--format` choices, default and help come from FORMATS. A format's module defines
`write(form, project) -> bytes` and `read(data) -> RawForm`; it is imported only when a
form is first written or read, so listing the formats loads no Office library.
To add a format: its module in updates/, one entry here, and its package's main part in
form.package_kind (how a returned file is recognised).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planreport.project import Project
    from planreport.updates.form import Form, RawForm


@dataclass(frozen=True)
class FormFormat:
    """One update-form format."""

    name: str  # as --format gives it and form.package_kind names it: "xlsx"
    suffix: str  # the file suffix: ".xlsx"
    short: str  # the application, for help text: "Excel"
    label: str  # what such a file is, for messages: "an Excel workbook"
    module: str  # the module with its write and read
    uses_reference: bool = False  # written in the styles of the Word reference document

    @property
    def noun(self) -> str:
        """What such a file is, without its article: "Excel workbook"."""
        return self.label.split(" ", 1)[1]

    def write(self, form: Form, project: Project | None = None) -> bytes:
        """The form in this format."""
        return import_module(self.module).write(form, project)

    def read(self, data: bytes) -> RawForm:
        """A returned form's hidden data and rows."""
        return import_module(self.module).read(data)


FORMATS: dict[str, FormFormat] = {
    f.name: f
    for f in (
        FormFormat("xlsx", ".xlsx", "Excel", "an Excel workbook", "planreport.updates.xlsx_form"),
        FormFormat(
            "docx",
            ".docx",
            "Word",
            "a Word document",
            "planreport.updates.docx_form",
            uses_reference=True,
        ),
    )
}
DEFAULT = "xlsx"


def _or(words: list[str]) -> str:
    """'a, b or c'."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def described() -> str:
    """The formats for help text: 'Excel (default) or Word'."""
    return _or([f"{f.short} (default)" if f.name == DEFAULT else f.short for f in FORMATS.values()])


def refused_kind() -> str:
    """Why a returned file of no known form format is refused, naming the formats."""
    kinds = _or([f"{f.label} ({f.suffix})" for f in FORMATS.values()])
    suffixes = _or([f.suffix for f in FORMATS.values()])
    return (
        f"this is not {kinds}, so it is not a form planreport made. If the lead saved it in "
        f"another format, ask them to save it as {suffixes}."
    )


def check_package(data: bytes, kind: str) -> None:
    """Refuse a file that is not a plain Office package of the kind named, or unpacks too big."""
    from planreport import ooxml  # here, so that listing the formats loads neither
    from planreport.updates.form import FormRefused

    what = FORMATS[kind]
    try:
        package = ooxml.safe_package(data)
    except ooxml.Damaged:
        raise FormRefused(
            f"this is not {what.label} file (it cannot be opened as one), so it is not "
            "a form planreport made. Save it again as .xlsx or .docx and try again."
        ) from None
    except ooxml.TooBig as exc:
        raise FormRefused(
            f"this file unpacks to {exc.unpacked // ooxml.MiB} MiB; no update form is that "
            "large, so it was not read."
        ) from None
    if ooxml.MAIN_PARTS[kind] not in package.names:
        raise FormRefused(
            f"this file is not {what.label} file inside, so it is not a form planreport "
            "made. Save it again in the format it was sent in."
        )
    main = ooxml.main_type(data, kind)
    if main is not None and "macroEnabled" in main:
        raise FormRefused(
            f"this is a macro-enabled {what.noun} (.{kind[:-1]}m), not the .{kind} form "
            f"planreport made; planreport does not read macro-enabled files. Save it as .{kind} "
            "(File, Save As) and apply that."
        )
    if main is not None and main != ooxml.MAIN_TYPES[kind]:
        raise FormRefused(
            f"this is not an ordinary {what.noun} (its main part is '{main}'), so it is not "
            f"a form planreport made. Save it as .{kind} (File, Save As) and apply that."
        )
