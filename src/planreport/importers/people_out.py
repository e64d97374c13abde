"""New people added to people.yaml, the rest of the file kept exactly as it was.

The usual people.yaml ends with its `people:` mapping, so new entries are appended as
text, indented like the others, under a comment saying where they came from. Any other
shape is rewritten with ruamel.yaml's round-trip mode, which keeps comments, key order
and quoting (PyYAML would drop the comments).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from planreport.importers import yaml_out, yaml_text
from planreport.importers.leads import NewPerson
from planreport.plan import loader
from planreport.problems import Problems
from planreport.project import Project, display


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
    return _rewritten(text, new, comment), None


def _rewritten(text: str, new: list[NewPerson], comment: str) -> str:
    """people.yaml rewritten with ruamel.yaml, comments kept, when appending is not safe.

    ruamel.yaml's round-trip mode keeps a file's comments, key order and quoting, which
    PyYAML cannot; it is used only here, for a people.yaml whose `people:` is not last.
    """
    import io

    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    data = yaml.load(text) or CommentedMap()
    registry = data.get("people")
    if not isinstance(registry, CommentedMap):
        registry = CommentedMap(registry or {})
        data["people"] = registry
    for person in new:
        registry[person.id] = CommentedMap(
            (k, getattr(person, k)) for k in ("name", "role", "initials") if getattr(person, k)
        )
    registry.yaml_set_comment_before_after_key(new[0].id, before=comment[2:], indent=2)
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
