"""How councils write a plan's cells: dates, leads and statuses in the forms real plans use.

Each form turns a held-out action's truth (tests/heldout_content.py) into the words a
file shows. A file style picks one form per field, and forms rotate from row to row, so
one file holds several ways of writing a date or a lead, as hand-kept plans do.
"""

from __future__ import annotations

from datetime import date

from tests.heldout_content import Person

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def _day(due: str) -> date:
    """A 'YYYY-MM-DD' or 'YYYY-MM' date (the month's first day)."""
    parts = [int(p) for p in due.split("-")]
    return date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)


def _ordinal(day: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 31st."""
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def due_words(due: str | None, variant: int) -> str:
    """A due date as a plan writes it; variant picks among the forms for its precision."""
    if due is None:
        return ("To be confirmed", "TBC", "To be agreed")[variant % 3]
    if due == "ongoing":
        return ("Ongoing", "On-going")[variant % 2]
    if " Q" in due:
        year, quarter = due.split(" ")
        return (f"{quarter} {year}", due, f"{year} {quarter}")[variant % 3]
    when = _day(due)
    month, year = _MONTHS[when.month - 1], when.year
    if due.count("-") == 2:
        forms = (
            f"{_ordinal(when.day)} {month} {year}",
            when.strftime("%d/%m/%Y"),
            f"{when.day} {month} {year}",
            when.strftime("%d/%m/%y"),
        )
    else:
        forms = (
            f"{month} {year}",
            f"End of {month} {year}",
            f"{month[:3]} {year}",
            f"{month[:3]}-{str(year)[2:]}",
            f"By {month} {year}",
        )
    return forms[variant % len(forms)]


def dotted_due_words(due: str | None, variant: int) -> str:
    """A due date as some trackers type it: '31.03.2024', 'Mar 24', 'Q2 24/25'."""
    if due is None or due == "ongoing" or " Q" in due:
        return due_words(due, variant)
    when = _day(due)
    if due.count("-") == 2:
        return when.strftime("%d.%m.%Y")
    return f"{_MONTHS[when.month - 1][:3]} {str(when.year)[2:]}"


def lead_words(leads: tuple[Person, ...], form: str) -> tuple[str, list[tuple[str, str | None]]]:
    """A leads cell in a form, and what each lead must be read as: (identity, agency or None).

    Forms: 'name' (one per line), 'name-role' ("Name, Role" lines), 'name-bracket-role'
    ("Name (Role)" lines), 'role' (posts joined by ' / '), 'role-and' (posts joined by
    ' and '), 'initials-agency' ("(J.H) WBC (D.O) ICB"), 'initials-slash' ("JH/DO"),
    'initials' ("JH, DO").
    """
    if form == "name":
        return "\n".join(p.name for p in leads), [(p.name, None) for p in leads]
    if form == "name-role":
        return "\n".join(f"{p.name}, {p.role}" for p in leads), [(p.name, None) for p in leads]
    if form == "role":
        return " / ".join(p.role for p in leads), [(p.role, None) for p in leads]
    if form == "name-bracket-role":
        text = "\n".join(f"{p.name} ({p.role})" for p in leads)
        return text, [(p.name, None) for p in leads]
    if form == "role-and":
        return " and ".join(p.role for p in leads), [(p.role, None) for p in leads]
    if form == "initials-slash":
        return "/".join(p.initials for p in leads), [(p.initials, None) for p in leads]
    if form == "initials-agency":
        text = " ".join(f"({'.'.join(p.initials)}) {p.agency}" for p in leads)
        return text, [(p.initials, p.agency) for p in leads]
    return ", ".join(p.initials for p in leads), [(p.initials, None) for p in leads]


RAG_FILLS = {"Red": "FF0000", "Amber": "FFC000", "Green": "00B050", "Blue": "0070C0"}


def status_words(status: str | None, form: str) -> str:
    """A status cell's words: 'word' (Green, Complete), 'letter' (G, C) or 'fill' (none)."""
    if status is None or form == "fill":
        return ""
    if form == "letter":
        return "C" if status == "Blue" else status[0]
    return "Complete" if status == "Blue" else status
