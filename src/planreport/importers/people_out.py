"""New people added to people.yaml, the rest of the file kept exactly as it was.

The usual people.yaml ends with its `people:` mapping, so new entries are appended as
text, indented like the others, under a comment saying where they came from. In any
other shape (a mapping written on one line, a `...` after it) they are added by the text
edit `apply` uses, which keeps every other character of the file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from planreport.importers import yaml_out, yaml_text
from planreport.importers.errors import ImportFailed
from planreport.importers.leads import NewPerson
from planreport.plan import loader
from planreport.problems import Problems
from planreport.project import Project, display
from planreport.updates.yaml_edit import EditError, Editor


def people_text(project: Project, path: Path, new: list[NewPerson], name: str) -> tuple[str, Any]:
    """people.yaml with the new people added at the end (the rest kept byte for byte)."""
    shown = yaml_text.comment_safe(name)
    comment = f"# Added by planreport import from {shown} on {date.today().isoformat()}."
    if not path.exists():
        entries, values = yaml_out.people_entries(new, 2)
        head = f"# {yaml_out.modeline(path, project.root, yaml_out.PEOPLE_SCHEMA)}\npeople:\n"
        return head + f"  {comment}\n" + entries, {"people": yaml_text.plain(values)}
    text = project.read_bytes(path).decode("utf-8-sig")
    problems = Problems()
    doc = loader.parse(text.encode("utf-8"), display(path), problems)
    keys = list(doc.data) if isinstance(doc.data, dict) else []
    people = doc.data.get("people") if keys else None
    if keys and keys[-1] == "people" and isinstance(people, dict) and people:
        first = next(iter(people))
        indent = (doc.key_position(("people", first)) or (1, 3))[1] - 1
        entries, values = yaml_out.people_entries(new, indent)
        body = text if text.endswith("\n") else text + "\n"
        expected = {**doc.data, "people": {**people, **yaml_text.plain(values)}}
        appended = body + f"\n{' ' * indent}{comment}\n" + entries
        check = Problems()
        if loader.parse(appended.encode("utf-8"), display(path), check).data == expected:
            return appended, expected
    return _edited(doc, text, new, comment)


def _edited(doc: loader.Document, text: str, new: list[NewPerson], comment: str) -> tuple[str, Any]:
    """people.yaml with the new people added by a text edit, when appending is not safe.

    The edit (updates/yaml_edit.py, as `apply` uses) puts them after the last person,
    inside the `people:` mapping, and leaves every other character as it was; a mapping
    written on one line gets them on that line, with no room for the comment.
    """
    _entries, values = yaml_out.people_entries(new, 0)
    editor = Editor(text, doc.path, doc.data)
    last = next(reversed(doc.data["people"]), "")
    for n, (person, entry) in enumerate(yaml_text.plain(values).items()):
        editor.add_key(("people",), person, entry, last, comment[2:] if n == 0 else "")
    try:
        return editor.result(), editor.expected
    except EditError as exc:
        raise ImportFailed(
            f"{exc} Add the new people ({', '.join(p.id for p in new)}) to it by hand, "
            "then import again."
        ) from None
