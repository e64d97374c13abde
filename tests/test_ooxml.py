"""Office packages: one kind test, one set of zip-bomb limits, one stable re-zip, for all."""

from __future__ import annotations

import io
import zipfile

import pytest

from planreport import ooxml
from planreport.project import packaged_templates

REFERENCE = packaged_templates() / "reference.docx"


def _zip(parts: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of these parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def test_a_package_is_a_word_document_or_a_workbook_by_its_main_part() -> None:
    assert ooxml.kind(REFERENCE.read_bytes()) == "docx"
    assert ooxml.kind(_zip({"xl/workbook.xml": b"<workbook/>"})) == "xlsx"
    assert ooxml.kind(_zip({"content.xml": b"<office/>"})) is None
    assert ooxml.kind(b"not a zip") is None
    with pytest.raises(ooxml.Damaged):
        ooxml.open_package(REFERENCE.read_bytes()[:500])


def test_the_main_part_type_tells_a_macro_enabled_document() -> None:
    data = REFERENCE.read_bytes()
    assert ooxml.main_type(data, "docx") == ooxml.MAIN_TYPES["docx"]
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {item.filename: source.read(item) for item in source.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main", b"ms-word.document.macroEnabled.main"
    )
    assert "macroEnabled" in ooxml.main_type(_zip(parts), "docx")
    assert ooxml.main_type(_zip({"word/document.xml": b"<w/>"}), "docx") is None


def test_a_small_file_may_unpack_to_eight_mib_and_fifty_times_its_size_beyond() -> None:
    assert ooxml.allowed(1000) == ooxml.FREE_UNPACKED
    assert ooxml.allowed(1 << 20) == 50 << 20
    assert ooxml.allowed(10 << 20) == ooxml.MAX_UNPACKED == 100 << 20
    ooxml.safe_package(_zip({"a.xml": b" " * (8 << 20)}))  # highly compressible, but small


@pytest.mark.parametrize(
    ("parts", "method", "unpacked", "entries"),
    [
        ({"a.xml": b"\0" * (9 << 20)}, zipfile.ZIP_DEFLATED, 9 << 20, 1),  # ratio
        ({f"{n}.xml": b"" for n in range(20001)}, zipfile.ZIP_STORED, 0, 20001),  # entries
    ],
)
def test_a_zip_bomb_is_refused_with_what_it_would_unpack_to(
    parts: dict[str, bytes], method: int, unpacked: int, entries: int
) -> None:
    with pytest.raises(ooxml.TooBig) as refused:
        ooxml.safe_package(_zip(parts, method))
    assert (refused.value.unpacked, refused.value.entries) == (unpacked, entries)
    assert refused.value.allowed == ooxml.allowed(len(_zip(parts, method)))


def test_one_part_over_32_mib_is_refused_even_uncompressed() -> None:
    data = _zip({"big.bin": b"x" * (ooxml.MAX_PART + 1)}, zipfile.ZIP_STORED)
    with pytest.raises(ooxml.TooBig):
        ooxml.check_size(ooxml.open_package(data))


def test_rezip_fixes_every_time_and_mode_and_changes_only_the_parts_named() -> None:
    first = _zip({"a.xml": b"<a/>", "b.xml": b"<b/>"})
    again = ooxml.rezip(first, {"b.xml": lambda old: old + b"<!-- more -->"})
    assert ooxml.rezip(first, {"b.xml": lambda old: old + b"<!-- more -->"}) == again
    with zipfile.ZipFile(io.BytesIO(again)) as package:
        assert [i.date_time for i in package.infolist()] == [ooxml.FIXED_TIME] * 2
        assert {i.external_attr >> 16 for i in package.infolist()} == {0o644}
        assert package.read("a.xml") == b"<a/>"
        assert package.read("b.xml") == b"<b/><!-- more -->"
