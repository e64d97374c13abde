"""Fonts: the family a paper is set in, its files, the fallback, and the glyphs they lack.

planreport ships Liberation Sans (SIL Open Font License 1.1, metric-compatible with
Arial) in planreport/fonts/. A council names another family with the layout key
`font:` and puts its files in the project's templates/fonts/. The PDF is laid out with
these files only, loaded by @font-face through the safe fetcher, in a font
configuration that holds no installed font: every machine lays out the same pages
and writes the same bytes, whatever fonts it has.

A character the family has no glyph for is drawn from the fallback font, DejaVu Sans
(one regular face, shipped beside Liberation Sans under its own permissive licence,
DejaVu-LICENSE.txt): ticks and crosses, check boxes, arrows, stars, shapes, maths,
box drawing, Armenian, Georgian and more. The PDF writer loads it only for a paper
that has such a character, so other papers are laid out exactly as before. A character
neither font has (most emoji, a rare script) is drawn as an empty box; the build says
where it is written, as a warning, and does not fail.
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

from planreport import files

PACKAGED = Path(__file__).resolve().parent.parent / "fonts"
DEFAULT_FAMILY = "Liberation Sans"
# The family a character the paper's family lacks is drawn from (planreport's own file).
FALLBACK_FAMILY = "DejaVu Sans"
EMPTY_CONFIG = PACKAGED / "fonts.conf"  # a fontconfig file naming no font folder
SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
MAX_FONT_BYTES = 32 * 1024 * 1024  # a font file larger than this is not read
# Characters every paper holds that no font needs to draw.
IGNORED = frozenset("\n\r\t\u00ad\u200b\u200c\u200d\u2060\ufeff")
# Variation selectors (the U+FE0F after an emoji, say) and tag characters: they change
# how the character before them looks and are never drawn themselves.
INVISIBLE = ((0xFE00, 0xFE0F), (0xE0000, 0xE007F), (0xE0100, 0xE01EF))


class FontError(Exception):
    """The paper's font cannot be found; the message says where it was looked for."""


@dataclass(frozen=True)
class Face:
    """One font file of a family: its weight (400, 700) and whether it is italic."""

    path: Path
    family: str
    weight: int
    italic: bool


def faces(family: str, dirs: Iterable[Path]) -> list[Face]:
    """The files of a family in the first folder that has any, regular first."""
    wanted = family.casefold()
    for folder in dirs:
        mine = [f for f in _folder_faces(folder, _stamp(folder)) if f.family.casefold() == wanted]
        if mine:
            return sorted(mine, key=lambda f: (f.italic, abs(f.weight - 400), f.path.name))
    looked = ", ".join(str(d) for d in dirs)
    known = sorted({f.family for d in dirs for f in _folder_faces(d, _stamp(d))})
    raise FontError(
        f"no font files for the family '{family}' in {looked}. Put its .ttf or .otf files "
        f"in templates/fonts/, or name one of: {', '.join(known) or 'none'}."
    )


def _stamp(folder: Path) -> tuple[tuple[str, int], ...]:
    """The folder's font files and their modification times (the cache key)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ()
    return tuple(
        (e.name, e.stat().st_mtime_ns)
        for e in entries
        if e.name.lower().endswith(SUFFIXES) and e.is_file()
    )


@cache
def _folder_faces(folder: Path, stamp: tuple[tuple[str, int], ...]) -> tuple[Face, ...]:
    """Every readable font file in a folder, with its family, weight and style."""
    found = []
    for name, _ in stamp:
        face = _face(folder / name, folder)
        if face:
            found.append(face)
    return tuple(found)


def _read(path: Path, folder: Path) -> bytes | None:
    """A font file's bytes, read as every file is (no link out of its folder, size cap)."""
    try:
        return files.read(path, (folder.resolve(),), MAX_FONT_BYTES)
    except files.FileRefused:
        return None


def read_font(path: Path) -> bytes | None:
    """A font file found by `faces`, read from its own folder (None if refused)."""
    return _read(path, path.parent)


def _face(path: Path, folder: Path) -> Face | None:
    """A font file's family, weight and style from its name and OS/2 tables (None if unreadable)."""
    from fontTools.ttLib import TTFont, TTLibError

    data = _read(path, folder)
    if data is None:
        return None
    try:
        with TTFont(BytesIO(data), lazy=True, fontNumber=0) as font:
            names = font["name"]
            family = names.getDebugName(16) or names.getDebugName(1)
            os2 = font.get("OS/2")
            weight = os2.usWeightClass if os2 else 400
            italic = bool(os2.fsSelection & 1) if os2 else "italic" in path.stem.lower()
    except (TTLibError, OSError, KeyError, AttributeError, AssertionError, ValueError):
        return None
    if not family:
        return None
    return Face(path.resolve(), family, weight, italic)


def face_rules(family: str, dirs: Iterable[Path]) -> str:
    """@font-face rules loading each file of family from its folder (as file: URLs)."""
    rules = []
    for face in faces(family, dirs):
        rules.append(
            "@font-face { "
            f'font-family: "{css_string(family)}"; '
            f'src: url("{face.path.as_uri()}"); '
            f"font-weight: {700 if face.weight >= 600 else 400}; "
            f"font-style: {'italic' if face.italic else 'normal'}; }}"
        )
    return "\n".join(rules)


def css_string(text: str) -> str:
    """text fit to stand inside a double-quoted CSS string."""
    return "".join(ch for ch in text if ch.isprintable() and ch not in '"\\<>{};')


@cache
def _coverage(paths: tuple[Path, ...]) -> frozenset[int]:
    """Every code point the files have a glyph for."""
    from fontTools.ttLib import TTFont

    points: set[int] = set()
    for path in paths:
        data = _read(path, path.parent)
        if data is None:
            continue
        with TTFont(BytesIO(data), lazy=True, fontNumber=0) as font:
            points.update(font.getBestCmap() or {})
    return frozenset(points)


def missing(text: str, family: str, dirs: Iterable[Path]) -> list[str]:
    """The characters in text that family has no glyph for, in order of code point."""
    covered = _coverage(tuple(f.path for f in faces(family, dirs)))
    return sorted(
        (ch for ch in set(text) if ord(ch) not in covered and not _invisible(ch)),
        key=ord,
    )


def _invisible(ch: str) -> bool:
    """Whether a character is never drawn by itself (a line break, a variation selector)."""
    if ch in IGNORED:
        return True
    point = ord(ch)
    return any(low <= point <= high for low, high in INVISIBLE)


@dataclass(frozen=True)
class Glyphs:
    """How a paper's characters are drawn beyond its family.

    fallback: the fallback family to load, if the paper needs it (None otherwise);
    missing: the characters in neither family, drawn as empty boxes, by code point.
    """

    fallback: str | None
    missing: tuple[str, ...]


def glyphs(text: str, family: str, dirs: Iterable[Path]) -> Glyphs:
    """Which fallback text needs and which of its characters no font has (FontError if none).

    The fallback's own coverage is read only when the family lacks a character.
    """
    lacking = missing(text, family, dirs)
    if not lacking or family.casefold() == FALLBACK_FAMILY.casefold():
        return Glyphs(None, tuple(lacking))
    covered = _coverage(tuple(f.path for f in faces(FALLBACK_FAMILY, (PACKAGED,))))
    neither = tuple(ch for ch in lacking if ord(ch) not in covered)
    return Glyphs(FALLBACK_FAMILY if len(neither) < len(lacking) else None, neither)


def fallback_rules() -> str:
    """@font-face rules loading the fallback family, from planreport's own folder only."""
    return face_rules(FALLBACK_FAMILY, (PACKAGED,))


def describe(ch: str) -> str:
    """'😀' (U+1F600 GRINNING FACE)."""
    name = unicodedata.name(ch, "")
    return f"'{ch}' (U+{ord(ch):04X}{' ' + name if name else ''})"


def isolated_configuration():  # -> weasyprint.text.fonts.FontConfiguration
    """A WeasyPrint font configuration that holds no installed font, only @font-face ones.

    fontconfig reads FONTCONFIG_FILE when a configuration is loaded: it is pointed at a
    file naming no font folder for that moment only, so that nothing else in the
    process (LibreOffice started by a test, say) sees the change.
    """
    from weasyprint.text.fonts import FontConfiguration

    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(EMPTY_CONFIG)
    try:
        return FontConfiguration()
    finally:
        if before is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = before


def discard(config) -> None:  # config: weasyprint.text.fonts.FontConfiguration
    """Remove the copies of font files WeasyPrint made for a configuration.

    WeasyPrint removes them only when the configuration is garbage collected, which a
    worker process ending never waits for: each paper left 1.6 MB in the temporary folder.
    """
    folder = getattr(config, "_folder", None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
