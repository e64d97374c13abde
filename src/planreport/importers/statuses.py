"""Reading statuses from cell text and shading, and the status scheme they belong to.

A RAG cell may say 'Green', 'G' or 'Complete', or say nothing and be shaded green. The
import collects every status it finds, proposes a scheme (BRAG, RAG, numbered or words;
or the one the document's own status key gives, or the one the user names) and maps each
status to a key of that scheme.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass, field, replace

from planreport.importers.leads import slug
from planreport.plan.model import DEFAULT_LEVELS, StatusLevel

_DEFAULT = {level.key: level for level in DEFAULT_LEVELS}  # the plan format's own BRAG scheme
_COLOURS = {key: level.colour for key, level in _DEFAULT.items()}
_COLOUR_WORDS = {
    "blue": "blue",
    "b": "blue",
    "green": "green",
    "g": "green",
    "amber": "amber",
    "a": "amber",
    "yellow": "amber",
    "orange": "amber",
    "red": "red",
    "r": "red",
}
DONE_WORDS = frozenset({"complete", "completed", "done", "achieved", "closed", "met", "finished"})
_DONE_LETTER = "c"  # "C" among R, A, G and B letters: Complete
_ON_TRACK = frozenset({"on track", "on target", "on schedule"})
# A status key written as lines or cells: 'Red – Not on track', 'Blue: Completed'.
STATUS_LINE = re.compile(
    r"^(?P<label>Blue|Green|Amber|Red|Black|Grey|Gray|Purple)\s*[–—:-]\s*(?P<meaning>.{1,60})$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Raw:
    """A status as the source shows it: its words, its shading, or both."""

    text: str | None
    fill: str | None = None


Level = StatusLevel  # the plan model's own status level, without a location


@dataclass
class Scheme:
    """The status scheme an import writes, and how it was chosen."""

    kind: str
    levels: list[Level]
    name: str | None = None
    how: str = ""
    unmatched: dict[Raw, str] = field(default_factory=dict)

    def key_for(self, raw: Raw) -> tuple[str | None, str | None]:
        """The scheme key for a status as found, and a remark if a person should check it."""
        text = normal(raw.text)
        hue = fill_colour(raw.fill)
        by_text = self._by_text(text) if text else None
        if by_text and hue and self.kind != "numbered":
            level = next(level for level in self.levels if level.key == by_text)
            if level.colour and fill_colour(level.colour) not in (None, hue):
                return by_text, f"the cell says '{raw.text}' but is shaded {hue}"
        if by_text:
            return by_text, None
        if text:
            return None, f"the source's status '{raw.text}' is not in the status scheme"
        if hue:
            for level in self.levels:
                if level.colour and fill_colour(level.colour) == hue:
                    return level.key, f"status read from the cell's {hue} shading alone"
            return None, f"the cell is shaded {hue}, which no status in the scheme is"
        return None, None

    def _by_text(self, text: str) -> str | None:
        """The key whose label, key or meaning the text is."""
        folded = text.casefold()
        for level in self.levels:
            if folded in (level.key, level.label.casefold()):
                return level.key
        colour = _COLOUR_WORDS.get(folded)
        for level in self.levels:
            if colour and (level.key == colour or fill_colour(level.colour) == colour):
                return level.key
        if folded in DONE_WORDS or (folded == _DONE_LETTER and self.kind == "brag"):
            return next((level.key for level in self.levels if level.done), None)
        for level in self.levels:
            if level.meaning and folded == level.meaning.casefold():
                return level.key
        return None


# Words in a status column that say there is no status yet: an open action with none.
_NONE = frozenset({"no status", "no status given", "not rated", "none", "n/a", "na", "tbc", "open"})


def normal(text: str | None) -> str:
    """A status as written, tidied: 'Blue Blue' -> 'Blue', 'Green.' -> 'Green'; '' for none."""
    if not text:
        return ""
    words = re.sub(r"\s+", " ", text).strip(" .;:-–").split(" ")
    if len(words) > 1 and len({w.casefold() for w in words}) == 1:
        words = words[:1]
    joined = " ".join(words)
    return "" if joined.casefold() in _NONE else joined


def fill_colour(fill: str | None) -> str | None:
    """The RAG colour a shading is closest to (None for white, greys and other hues)."""
    if not fill or not re.fullmatch(r"#[0-9A-Fa-f]{6}", fill):
        return None
    red, green, blue = (int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.35 or lightness > 0.93 or lightness < 0.12:
        return None
    degrees = hue * 360
    if degrees < 15 or degrees >= 340:
        return "red"
    if degrees < 65:
        return "amber"
    if degrees < 170:
        return "green"
    if degrees < 260:
        return "blue"
    return None


def is_status(raw: Raw) -> bool:
    """Whether a cell reads as a status: a colour word or letter, a done word, or a shading."""
    text = normal(raw.text).casefold()
    if not text:
        return fill_colour(raw.fill) is not None
    return text in _COLOUR_WORDS or text in DONE_WORDS or text in _ON_TRACK or text.isdigit()


def propose(raws: list[Raw], named: str | None, document: Scheme | None) -> Scheme | None:
    """The scheme to write: the one named, else the document's key, else one that fits."""
    texts = [normal(raw.text) for raw in raws if normal(raw.text)]
    hues = [fill_colour(raw.fill) for raw in raws if not normal(raw.text) and raw.fill]
    if named:
        return _named(named, texts)
    if document is not None:
        return document
    if not texts and not any(hues):
        return None
    folded = {t.casefold() for t in texts}
    colours = {_COLOUR_WORDS[t] for t in folded if t in _COLOUR_WORDS} | {h for h in hues if h}
    if folded and all(t.isdigit() for t in folded):
        return _coloured(_named("numbered", texts), raws)
    if _DONE_LETTER in folded and all(len(t) == 1 and t in _COLOUR_WORDS for t in folded - {"c"}):
        folded = (folded - {_DONE_LETTER}) | {"complete"}  # C for Complete beside R, A, G
    if all(t in _COLOUR_WORDS or t in DONE_WORDS for t in folded):
        blue = "blue" in colours or bool(folded & DONE_WORDS)
        if colours or not folded:
            return _named("brag" if blue else "rag", texts)
    return _words(texts, raws)


def _coloured(scheme: Scheme, raws: list[Raw]) -> Scheme:
    """The scheme with each level's colour, where its cells are filled (as a tracker's 1 to 4)."""
    for level in scheme.levels:
        level.colour = next(
            (r.fill for r in raws if normal(r.text) == level.label and fill_colour(r.fill)), None
        )
    return scheme


def _named(kind: str, texts: list[str]) -> Scheme:
    """A scheme by name: brag, rag, numbered or words."""
    if kind in ("brag", "rag"):
        levels = [replace(level) for level in DEFAULT_LEVELS if kind == "brag" or not level.done]
        how = "RAG ratings" if kind == "rag" else "BRAG ratings (Blue for completed)"
        return Scheme(kind, levels, None, how)
    if kind == "numbered":
        top = max([int(t) for t in texts if t.isdigit()] + [4])
        levels = [Level(str(n), str(n)) for n in range(1, min(top, 20) + 1)]
        return Scheme(kind, levels, None, "a numbered scale (add each number's meaning)")
    return _words(texts, [])


def _words(texts: list[str], raws: list[Raw]) -> Scheme:
    """A scheme of the words the source uses, in the order first met."""
    levels: list[Level] = []
    seen: set[str] = set()
    for text in texts:
        key = slug(text)[:60] or "status"
        if key in seen:
            continue
        seen.add(key)
        folded = text.casefold()
        colour = next(
            (r.fill for r in raws if normal(r.text).casefold() == folded and fill_colour(r.fill)),
            None,
        )
        levels.append(
            Level(
                key,
                text,
                None,
                colour=colour,
                done=folded in DONE_WORDS,
                on_track=folded in _ON_TRACK,
            )
        )
    return Scheme("words", levels, None, "the words the source uses")


def means_on_track(words: str) -> bool:
    """Whether a key's words say on track: 'On track', never 'Not on track' or 'Off track'."""
    folded = " ".join(re.sub(r"[^\w\s]", " ", words.casefold()).split())
    for phrase in _ON_TRACK:
        for match in re.finditer(rf"\b{phrase}\b", folded):
            if not re.search(r"\b(?:not|off|behind|no longer|isn't)\s*$", folded[: match.start()]):
                return True
    return False


def means_done(label: str, meaning: str | None) -> bool:
    """Whether a key's status means done: its label or its whole meaning is a done word.

    'Blue - Completed' is done; 'Green - On track or achieved' is not: it covers open
    actions too, so they keep their dates.
    """
    if label.casefold() in DONE_WORDS:
        return True
    words = re.sub(r"[^\w\s]", " ", (meaning or "").casefold()).split()
    if not words or means_on_track(meaning or "") or {"not", "yet", "or"} & set(words):
        return False
    return words[0] in DONE_WORDS


def from_key(rows: list[tuple[str, str | None, str | None]], name: str | None) -> Scheme | None:
    """The scheme a document's own status key gives: (label, meaning, shading) per status."""
    levels: list[Level] = []
    for label, meaning, fill in rows:
        text = normal(label)
        if not text or slug(text) in {level.key for level in levels}:
            continue
        folded = f"{text} {meaning or ''}".casefold()
        levels.append(
            Level(
                slug(text)[:60],
                text,
                None,
                meaning or None,
                fill
                if fill_colour(fill)
                else (_COLOURS.get(_COLOUR_WORDS.get(text.casefold(), ""))),
                done=means_done(text, meaning),
                on_track=means_on_track(folded),
            )
        )
    if not levels:
        return None
    return Scheme("document", levels, name, "the document's own status key")
