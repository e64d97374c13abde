"""Reading lead officers: splitting a cell into people and matching them to people.yaml.

"RB / KS / MG", "Nina Martin /Jacqui Jensen", "Director of Children's Services and Head
of Safeguarding", "Paul Johnson, Service Director, ..." and "Pam Rosseter (independent)"
each become leads. A lead is matched to an existing person exactly (by name, initials,
role, or as papers print them), then by initials worked out from names, then by close
spelling; anyone else is added as a new person with a readable id.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from planreport.plan.model import Person

_PREFIX = re.compile(r"^(?:lead\s+officers?|leads?|lead\s+agency|owner|officers?)\s*:\s*", re.I)
_INITIALS = re.compile(r"^[A-Z](?:[A-Z]|[a-z]{1,2}(?=[A-Z]))*[A-Z]?$")
_NOTE = re.compile(r"^(?P<base>.+?)\s*\((?P<note>[^()]+)\)$")
# fmt: off
_ROLE_WORDS = frozenset((
    "director", "head", "manager", "managers", "officer", "officers", "lead", "leads", "chair",
    "chief", "executive", "service", "services", "team", "teams", "group", "board",
    "coordinator", "co-ordinator", "commissioner", "commissioning", "council", "partnership",
    "all", "designated", "independent", "virtual", "corporate", "strategic", "principal",
    "senior", "assistant", "deputy", "support", "auditors", "auditor", "panel", "committee",
    "unit", "department", "directorate", "nurse", "teacher", "teachers", "worker", "workers",
    "social", "practitioner", "practitioners", "safeguarding", "police", "health", "ccg", "nhs",
    "trust", "authority", "hr", "reviewing", "school", "schools", "children", "adults",
    "members", "member", "staff", "city", "county", "borough", "of", "and", "the", "for",
))
# Words naming a service area, never part of a person's name: "Lifelong Learning".
_SUBJECT_WORDS = frozenset((
    "learning", "lifelong", "skills", "education", "quality", "performance", "inclusion",
    "development", "wellbeing", "care", "improvement", "families", "family", "communities",
    "community", "housing", "standards", "planning", "resources", "operations", "provision",
    "practice", "policy", "strategy", "partnerships", "assurance", "governance", "finance",
    "transformation", "prevention", "intervention", "help", "youth", "justice",
    "public", "adult", "needs", "disabilities", "protection", "people", "workforce",
    "business", "intelligence", "legal", "customer", "communications", "engagement",
    "integration", "operational", "commissioned", "access", "specialist", "targeted",
))
# Words that make a line an organisation: "Vale of York CCG", "North Yorkshire Police".
_AGENCY_WORDS = frozenset((
    "council", "ccg", "icb", "nhs", "police", "constabulary", "trust", "probation", "crc",
    "nps", "cafcass", "university", "college", "academy", "hospital", "foundation",
    "ltd", "limited", "cic", "charity",
))
# Words that make a line a post, even at an agency: "Chief Executive, Harrogate NHS Trust".
_POST_WORDS = frozenset((
    "director", "head", "manager", "officer", "chief", "executive", "lead", "chair",
    "coordinator", "co-ordinator", "commissioner", "nurse", "worker", "practitioner",
    "principal", "deputy", "assistant", "designated", "named",
))
# fmt: on
# "(M.S) CYC (K.McN) CCG": initials in brackets, each followed by the agency leading.
_INITIALS_AGENCY = re.compile(
    r"\(\s*(?P<initials>[A-Z][A-Za-z.]{0,9})\s*\)\s*(?P<agency>[^()\n,;]+?)\s*(?:[,;]\s*|(?=\()|$)"
)
_TITLES = frozenset({"dr", "cllr", "mr", "mrs", "ms", "miss", "prof", "councillor"})


@dataclass
class Lead:
    """One lead as read from a cell: who, and a role or note the cell gives for this action."""

    person: str
    role: str | None = None
    note: str | None = None
    remark: str | None = None  # how the match was made, when a person should check it
    organisation: str | None = None  # the agency leading for this action, as the cell names it


@dataclass
class NewPerson:
    """Someone the source names who is not in people.yaml yet."""

    id: str
    name: str | None = None
    role: str | None = None
    initials: str | None = None
    source: str = ""


@dataclass
class People:
    """The people registry, with everyone the import adds to it."""

    registry: dict[str, Person]
    prefix: str
    new: dict[str, NewPerson] = field(default_factory=dict)
    _index: dict[str, set[str]] = field(default_factory=dict)
    _initials: dict[str, set[str]] = field(default_factory=dict)
    _names: dict[str, str] = field(default_factory=dict)
    _seen: dict[str, Lead] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Index every way the registry's people can be written."""
        for person in self.registry.values():
            self._add(person.id, person.name, person.role, person.organisation, person.initials)

    def _add(
        self,
        pid: str,
        name: str | None,
        role: str | None,
        organisation: str | None,
        initials: str | None,
    ) -> None:
        """Index one person under their name, initials, role and their combinations."""
        forms = [name, initials, role]
        forms += [f"{name}, {role}" if name and role else None]
        forms += [f"{role}, {organisation}" if role and organisation else None]
        forms += [f"{name}, {organisation}" if name and organisation else None]
        forms += [f"{name} - {organisation}" if name and organisation else None]
        forms += [f"{name}, {role}, {organisation}" if name and role and organisation else None]
        for form in forms:
            if form:
                self._index.setdefault(_norm(form), set()).add(pid)
        if name:
            self._names[_norm(name)] = pid
            for guess in _initials_of(name):
                self._initials.setdefault(guess.lower(), set()).add(pid)

    def read(self, text: str, where: str) -> list[Lead]:
        """The leads a cell names, in order, each matched or added."""
        leads: list[Lead] = []
        previous: list[Lead] = []
        for line in text.split("\n"):
            line = _PREFIX.sub("", line.strip(" •-–\t"))
            if not line:
                continue
            if previous and is_agency(line) and not self._known(line):
                for lead in previous:
                    lead.organisation = lead.organisation or line.strip(" ,.;")
                continue
            previous = self._line(line, where)
            leads += [x for x in previous if all(x.person != y.person for y in leads)]
        return leads

    def _line(self, line: str, where: str) -> list[Lead]:
        """The leads one line of a cell names, with the agency each is from if it says."""
        pairs = agency_pairs(line)
        if pairs:
            found = [self.match(initials, where) for initials, _agency in pairs]
            for lead, (_initials, agency) in zip(found, pairs, strict=True):
                if lead is not None:
                    lead.organisation = agency
            return [lead for lead in found if lead is not None]
        found = [self.match(piece, where) for piece in split(line, self._known)]
        return [lead for lead in found if lead is not None]

    def _known(self, text: str) -> bool:
        """Whether text names someone in the registry exactly."""
        return _norm(text) in self._index

    def match(self, text: str, where: str) -> Lead | None:
        """One written lead matched to a person, or a new person."""
        text = text.strip(" .,;:")
        if not re.search(r"[A-Za-z]", text):
            return None
        if text in self._seen:
            found = self._seen[text]
            return Lead(found.person, found.role, found.note, found.remark)
        note_match = _NOTE.match(text)
        lead = self._exact(text)
        if lead is None and note_match and not _INITIALS.match(note_match.group("base")):
            lead = self._find(note_match.group("base"))
            if lead is not None:
                lead.note = note_match.group("note")
        if lead is None:
            lead = self._find(text)
        if lead is None and note_match:
            base, note = note_match.group("base"), note_match.group("note")
            lead = Lead(self._create(base, where), note=note)
        elif lead is None:
            lead = Lead(self._create(text, where), remark=_unsure(text))
        self._seen[text] = lead
        return Lead(lead.person, lead.role, lead.note, lead.remark)

    def _exact(self, text: str) -> Lead | None:
        """A lead written exactly as the registry has them (name, role, initials, ...)."""
        exact = self._index.get(_norm(text), set())
        if len(exact) == 1:
            return Lead(next(iter(exact)))
        if len(exact) > 1:
            pid = sorted(exact)[0]
            return Lead(pid, remark=f"'{text}' could be any of {', '.join(sorted(exact))}: check")
        return None

    def _find(self, text: str) -> Lead | None:
        """A lead matched exactly, by name and role, by initials or by close spelling."""
        key = _norm(text)
        exact = self._exact(text)
        if exact is not None:
            return exact
        parts = re.split(r"(\s+[–-]\s+|,\s*)", text, maxsplit=1)
        if len(parts) == 3:
            head, rest = parts[0], parts[2]
            pid = self._names.get(_norm(head))
            if pid is not None:
                return Lead(pid, role=self._role_given(pid, rest))
        if _INITIALS.match(text):
            guesses = self._initials.get(text.lower(), set())
            if len(guesses) == 1:
                pid = next(iter(guesses))
                return Lead(pid, remark=f"'{text}' read as the initials of {self._label(pid)}")
        close = difflib.get_close_matches(key, list(self._names), n=2, cutoff=0.88)
        if len(close) == 1 and len(key) > 6:
            pid = self._names[close[0]]
            return Lead(pid, remark=f"'{text}' read as {self._label(pid)} (close spelling): check")
        return None

    def _label(self, pid: str) -> str:
        """A person as a remark names them."""
        person = self.registry.get(pid)
        name = person.name if person else (self.new[pid].name if pid in self.new else None)
        return f"{name} ({pid})" if name else pid

    def _role_given(self, pid: str, rest: str) -> str | None:
        """The role a cell gives after a name, if it differs from the registry's."""
        person = self.registry.get(pid)
        known = [person.role, person.organisation] if person else []
        if person and person.role and person.organisation:
            known.append(f"{person.role}, {person.organisation}")
        if pid in self.new:
            known.append(self.new[pid].role)
        if _norm(rest) in {_norm(k) for k in known if k}:
            return None
        return rest

    def _create(self, text: str, where: str) -> str:
        """Add someone the registry lacks, with a readable id; return the id."""
        name = role = initials = None
        parts = re.split(r"\s+[–-]\s+|,\s*", text, maxsplit=1)
        if _INITIALS.match(text) and len(text) <= 5:
            initials = text
            base = f"{self.prefix}-{text.lower()}" if self.prefix else text.lower()
        elif len(parts) == 2 and looks_like_name(parts[0]):
            name, role = parts[0], parts[1]
            base = slug(name)
        elif looks_like_name(text):
            name = text
            base = slug(name)
        else:
            role = text
            base = slug(" ".join(text.split()[:6]))
        pid = self._free(base or "person")
        self.new[pid] = NewPerson(pid, name, role, initials, where)
        self._add(pid, name, role, None, initials)
        return pid

    def _free(self, base: str) -> str:
        """An id not yet used: base, else base-2, base-3, ..."""
        pid, n = base[:60].strip("-"), 1
        while pid in self.registry or pid in self.new:
            n += 1
            pid = f"{base[:56].strip('-')}-{n}"
        return pid


def agency_pairs(line: str) -> list[tuple[str, str]]:
    """'(M.S) CYC (K.McN) CCG' as [('MS', 'CYC'), ('KMcN', 'CCG')]; [] for any other line."""
    pairs: list[tuple[str, str]] = []
    at = 0
    for match in _INITIALS_AGENCY.finditer(line):
        if line[at : match.start()].strip(" ,;"):
            return []
        pairs.append((match.group("initials").replace(".", ""), match.group("agency").strip()))
        at = match.end()
    if line[at:].strip() or not all(_INITIALS.match(i) for i, _agency in pairs):
        return []
    return pairs


def is_agency(line: str) -> bool:
    """Whether a line names an organisation: 'Vale of York CCG', 'North Yorkshire Police'."""
    words = {w.strip("(),.").casefold() for w in line.split()}
    return bool(words & _AGENCY_WORDS) and not words & _POST_WORDS


def _slashes(line: str, is_known: object) -> list[str]:
    """A line split at '/', ';' and '+', keeping 'Head of Service MASH/ SA' as one post."""
    check = is_known if callable(is_known) else (lambda _text: False)
    pieces = re.split(r"(\s*[;/]\s*|\s+\+\s+)", line)
    out = [pieces[0]]
    for separator, part in zip(pieces[1::2], pieces[2::2], strict=True):
        if separator.strip() == "/" and _continues_post(out[-1], part.strip(), check):
            out[-1] = f"{out[-1]}/{part.strip()}"
        else:
            out.append(part)
    return out


def _continues_post(before: str, after: str, check: Callable[[str], bool]) -> bool:
    """Whether an acronym after '/' is part of the post before it ('MASH/ SA')."""
    words = before.split()
    return (
        re.fullmatch(r"[A-Z]{2,5}", after) is not None
        and len(words) > 1
        and re.fullmatch(r"[A-Z]{2,6}", words[-1]) is not None
        and not _INITIALS.match(before.strip())
        and not looks_like_name(before)
        and not check(after)
    )


def split(text: str, known: object = None) -> list[str]:
    """The separate leads a cell names: by line, '/', ';', initials, 'and' between posts."""
    is_known = known if callable(known) else (lambda _text: False)
    out: list[str] = []
    for line in text.split("\n"):
        line = _PREFIX.sub("", line.strip(" •-–\t"))
        for part in _slashes(line, is_known):
            part = part.strip(" ,.")
            if not part:
                continue
            tokens = part.split()
            if len(tokens) > 1 and all(_INITIALS.match(t.strip(",")) for t in tokens):
                out += [t.strip(",") for t in tokens]
            elif is_known(part) or "," in part or _NOTE.match(part):
                out.append(part)
            else:
                out += _split_and(part, is_known)
    return out


def _split_and(part: str, is_known: object) -> list[str]:
    """'A and B' as leads when each piece is a person or a post, else as written.

    Of the ways to split at 'and', the one with the most pieces, each a person or post:
    "Principal Social Worker and Head of Quality and Safeguarding" is two posts, the
    second with its own 'and'; "Director of Schools and Lifelong Learning" is one post.
    """
    pieces = [p.strip() for p in re.split(r"(\s+(?:and|&)\s+)", part)]
    if len(pieces) < 3 or len(pieces) > 9:  # no 'and', or more than four: as written
        return [part]
    check = is_known if callable(is_known) else (lambda _text: False)
    words, joins = pieces[::2], pieces[1::2]
    best = [part]
    for cuts in range(1, 1 << len(joins)):
        split, current = [], words[0]
        for index, join in enumerate(joins):
            if cuts >> index & 1:
                split.append(current)
                current = words[index + 1]
            else:
                current = f"{current} {join} {words[index + 1]}"
        split.append(current)
        if len(split) > len(best) and all(
            check(p) or looks_like_name(p) or _starts_role(p) or _ends_role(p) for p in split
        ):
            best = split
    return best


def _unsure(text: str) -> str | None:
    """A remark when a new lead is neither a name, initials nor a post: a person checks it."""
    words = {w.strip("(),.'’").lower() for w in text.split()}
    if _INITIALS.match(text) or looks_like_name(text) or words & (_ROLE_WORDS | _SUBJECT_WORDS):
        return None
    if "," in text and looks_like_name(re.split(r",\s*", text)[0]):
        return None
    return f"'{text}' is not a name, initials or a post planreport knows: check who it is"


def _starts_role(text: str) -> bool:
    """Whether text begins like a post: 'Head of ...', 'Director of ...'."""
    words = text.split()
    return bool(words) and words[0].lower() in _ROLE_WORDS and len(words) >= 2


def _ends_role(text: str) -> bool:
    """Whether text ends like a post, its words capitalised: 'Carers Lead', 'Team Manager'."""
    words = text.split()
    return (
        len(words) >= 2
        and words[-1].lower() in _POST_WORDS
        and all(word[:1].isupper() for word in words)
    )


def looks_like_name(text: str) -> bool:
    """Whether text is a person's name: two to four capitalised words, no post words."""
    words = [w for w in text.replace(".", " ").split() if w.lower() not in _TITLES]
    if not 2 <= len(words) <= 4 or any(ch.isdigit() for ch in text):
        return False
    if any(w.lower().strip("'’") in _ROLE_WORDS | _SUBJECT_WORDS for w in words):
        return False
    return all(w[0].isupper() and not w.isupper() for w in words if w)


def slug(text: str) -> str:
    """A readable id: 'Nick O'Reilly' -> 'nick-oreilly'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def _norm(text: str) -> str:
    """A written name, role or initials in the form they are compared in."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("–", "-")
    return re.sub(r"\s+", " ", text).strip(" .,;:").casefold()


def _initials_of(name: str) -> set[str]:
    """The ways initials are made from a name: 'Sue McLean' -> {'SM', 'SMcL'}."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _TITLES]
    if len(words) < 2:
        return set()
    simple = "".join(w[0] for w in words).upper()
    long = "".join(re.match(r"[A-Z][a-z]*(?=[A-Z])[A-Z]|[A-Za-z]", w).group(0) for w in words)
    return {simple, long}
