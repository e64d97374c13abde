"""Stage 2: check loaded values against the JSON Schema, in words a plan owner can act on."""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import re
from functools import cache
from importlib import import_module
from typing import Any

import fastjsonschema

from planreport import files
from planreport.plan.loader import Document, Path_
from planreport.problems import Problems

_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a set of keys and values",
    "boolean": "true or false",
    "integer": "a whole number",
    "number": "a number",
}
_ITEM_NAMES = {
    "actions": "action",
    "recommendations": "recommendation",
    "milestones": "milestone",
    "updates": "update",
    "revisions": "revision",
    "themes": "theme",
    "notes": "note",
    "glossary": "glossary entry",
    "levels": "status level",
    "leads": "lead",
    "accountable": "accountable officer",
    "parts": "part",
    "blocks": "block",
    "columns": "column",
    "custom_fields": "custom field",
}


@cache
def schema(name: str) -> dict[str, Any]:
    """The packaged JSON Schema called name ('plan' or 'people')."""
    return json.loads(_schema_text(name))


@cache
def _fast_check(name: str) -> Any:
    """A compiled validator: a fast yes or no for the common case of a valid file.

    The code is generated from the schema by scripts/compile_schemas.py and shipped in
    planreport.compiled; nothing is read from or written to a cache. If the schema has
    changed since (while developing), the check is generated in memory instead.
    """
    module = import_module(f"planreport.compiled.{name}")
    entry = _function_name(schema(name)["$id"])
    if schema_digest(name) == module.SCHEMA_SHA256:
        return getattr(module, entry)
    namespace: dict[str, Any] = {}
    exec(compile(fastjsonschema.compile_to_code(schema(name)), f"<{name}>", "exec"), namespace)
    return namespace[entry]


def schema_digest(name: str) -> str:
    """The SHA-256 of the packaged schema file's text."""
    text = _schema_text(name)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _schema_text(name: str) -> str:
    """The packaged schema file's text."""
    return files.read_packaged(f"schema/{name}.schema.json").decode("utf-8")


def _function_name(uri: str) -> str:
    """The name fastjsonschema gives the validator of the schema with this $id."""
    return "validate_" + re.sub(r"[^a-zA-Z0-9_]", "_", uri)


@cache
def _validator(name: str) -> Any:
    """A draft-07 validator that finds every error with its path, for files that fail."""
    import jsonschema  # imported only when a file fails the fast check: it takes 0.1 s

    full = schema(name)
    inlined = _inline({k: v for k, v in full.items() if k != "definitions"}, full)
    return jsonschema.Draft7Validator(
        inlined, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def _inline(node: Any, root: dict[str, Any]) -> Any:
    """Replace each local $ref with its definition (the schemas are not recursive)."""
    if isinstance(node, dict):
        if "$ref" in node:
            target = _inline(root["definitions"][node["$ref"].rsplit("/", 1)[1]], root)
            return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return {k: _inline(v, root) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, root) for v in node]
    return node


def validate(doc: Document, schema_name: str, problems: Problems) -> bool:
    """Add a problem for every way doc breaks the schema; True if it has none."""
    if doc.data is None:
        return False
    try:
        _fast_check(schema_name)(doc.data)
        return True
    except fastjsonschema.JsonSchemaException:
        pass  # find every error, with its location, the thorough way
    before = len(problems)
    for error in _validator(schema_name).iter_errors(doc.data):
        _report(doc, error, problems)
        _cut(doc, error)
    return len(problems) == before


# Lists whose items can be cut out one by one, leaving the rest of a plan checkable.
_ITEM_LISTS = ("themes", "recommendations", "actions", "notes", "glossary")


def _cut(doc: Document, error: Any) -> None:
    """Record the part of doc an error is in: an unknown key, or one item of a top list."""
    if doc.cuts is None:
        return
    path: Path_ = tuple(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = (
            set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
        )
        doc.cuts += [(*path, key) for key in error.instance if key not in allowed]
    elif len(path) >= 2 and path[0] in _ITEM_LISTS and isinstance(path[1], int):
        doc.cuts.append(path[:2])
    else:
        doc.cuts = None


def cut(doc: Document) -> Any:
    """A copy of doc's data with its recorded cuts made: unknown keys dropped, list items None.

    Items become None rather than being removed, so that every other value keeps its path
    and so its line and column.
    """
    data = copy.deepcopy(doc.data)
    for path in sorted(doc.cuts or [], key=len, reverse=True):
        parent = data
        for step in path[:-1]:
            parent = parent[step] if parent is not None else None
        if isinstance(parent, dict):
            parent.pop(path[-1], None)
        elif isinstance(parent, list) and isinstance(path[-1], int):
            parent[path[-1]] = None
    return data


def _report(doc: Document, error: Any, problems: Problems) -> None:
    """Translate one jsonschema error into one or more problems."""
    path: Path_ = tuple(error.absolute_path)
    what = describe(doc.data, path)
    kind = error.validator
    sub = error.schema if isinstance(error.schema, dict) else {}
    if kind == "additionalProperties":
        allowed = sorted(sub.get("properties", {}))
        for key in sorted(set(error.instance) - set(allowed)):
            place = f"in {what}" if path else "at the top of the file"
            problems.error(
                doc.key_where((*path, key)), "unknown-key", _unknown_key(key, allowed, place)
            )
    elif kind == "required":
        missing = error.message.split("'")[1]
        problems.error(
            doc.where(path),
            "missing-key",
            f"{what} needs '{missing}'. Add a line '{missing}: ...'.",
        )
    elif kind == "type":
        rule = "empty-value" if error.instance is None else "wrong-type"
        problems.error(
            doc.where(path), rule, _wrong_type(error.instance, error.validator_value, what)
        )
    elif kind == "enum":
        choices = [str(c) for c in error.validator_value]
        near = difflib.get_close_matches(str(error.instance), choices, n=1, cutoff=0.5)
        hint = f" Did you mean '{near[0]}'?" if near else ""
        problems.error(
            doc.where(path),
            "not-allowed-value",
            f"{what} is '{error.instance}', which is not one of: {', '.join(choices)}.{hint}",
        )
    elif kind in ("maxLength", "maxItems", "maxProperties"):
        problems.error(
            doc.where(path),
            "too-long",
            f"{what} is longer than a plan allows ({_size(kind, error.validator_value)}). "
            "Shorten it or split it up.",
        )
    elif kind in ("minLength", "minItems"):
        problems.error(
            doc.where(path), "empty-value", f"{what} is empty. Fill it in or remove the line."
        )
    else:
        problems.error(doc.where(path), _rule_for(sub), _bad_value(error, sub, what))


def _unknown_key(key: str, allowed: list[str], place: str) -> str:
    """Message for a key the schema does not know, with the closest known key."""
    near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if near:
        return f"'{key}' is not a key planreport knows {place}. Did you mean '{near[0]}'?"
    return (
        f"'{key}' is not a key planreport knows {place}. Keys allowed here: {', '.join(allowed)}."
    )


def _wrong_type(instance: Any, expected: Any, what: str) -> str:
    """Message for a value of the wrong kind."""
    wanted = expected if isinstance(expected, list) else [expected]
    words = " or ".join(_TYPE_WORDS.get(t, t) for t in wanted)
    if instance is None:
        return f"{what} is empty. Write {words} after the colon, or remove the line."
    if "string" in wanted and isinstance(instance, bool):
        return f"{what} should be {words}; put it in quotes, e.g. '{str(instance).lower()}'."
    if wanted == ["string", "array"]:
        return f"{what} should be {words}: one text, or each item on its own line after '- '."
    if "array" in wanted and isinstance(instance, (str, dict)):
        return f"{what} should be a list: put each item on its own line starting with '- '."
    return f"{what} should be {words}."


def _size(kind: str, limit: int) -> str:
    """Words for a size limit."""
    return {"maxLength": f"{limit} characters", "maxItems": f"{limit} items"}.get(
        kind, f"{limit} keys"
    )


def _rule_for(sub: dict[str, Any]) -> str:
    """Rule id for a pattern failure, from which kind of value the pattern is for."""
    definitions = schema("plan")["definitions"]
    patterns = {
        definitions["ref"]["pattern"]: "bad-ref",
        definitions["key"]["pattern"]: "bad-id",
        definitions["status_level"]["properties"]["colour"]["pattern"]: "bad-colour",
    }
    return patterns.get(sub.get("pattern", ""), "bad-value")


def _bad_value(error: Any, sub: dict[str, Any], what: str) -> str:
    """Message for a value with the wrong shape."""
    rule = _rule_for(sub)
    value = error.instance
    if rule == "bad-ref":
        return (
            f"'{value}' is not a reference planreport can use: start with a letter or digit "
            "and use only letters, digits and . - / (e.g. '1.10', '7a', 'R4'). Words such as "
            "'Action' belong in the paper's layout, not in the ref."
        )
    if rule == "bad-id":
        return (
            f"{what} '{value}' is not a valid id: use lower-case letters, digits and hyphens, "
            "e.g. 'nina-martin'."
        )
    if rule == "bad-colour":
        return f"{what} '{value}' is not a colour: write it as #RRGGBB, e.g. '#00B050'."
    if error.validator == "format" or sub.get("pattern") == "^https?://":
        return f"{what} '{value}' is not a web address: it should start with https://."
    return f"{what} '{value}' is not allowed here: {sub.get('description', error.message)}"


def describe(data: Any, path: Path_) -> str:
    """Name the place at path in a plan owner's words, e.g. "action 1.10, update 2: 'status'"."""
    if len(path) >= 2 and path[0] == "people":
        rest = describe(data, path[2:]) if len(path) > 2 else ""
        return f"person '{path[1]}'" + (f", {rest}" if rest else "")
    parts: list[str] = []
    node = data
    for i, step in enumerate(path):
        parent = path[i - 1] if i else None
        if isinstance(step, int):
            parts[-1:] = [
                _item_name(str(parent), step, node[step] if _indexable(node, step) else None)
            ]
        else:
            parts.append(f"'{step}'")
        node = node[step] if _indexable(node, step) else None
    if not parts:
        return "the file"
    return ", ".join(parts[:-1]) + (": " if len(parts) > 1 else "") + parts[-1]


def _indexable(node: Any, step: str | int) -> bool:
    """Whether node[step] exists."""
    if isinstance(step, int):
        return isinstance(node, list) and step < len(node)
    return isinstance(node, dict) and step in node


def _item_name(list_key: str, index: int, item: Any) -> str:
    """Name a list item: 'action 1.10', 'update 2 (2013-08)', 'lead 1'."""
    noun = _ITEM_NAMES.get(list_key, f"item in '{list_key}'")
    if isinstance(item, dict):
        for key in ("ref", "key", "id", "term"):
            if isinstance(item.get(key), str):
                return f"{noun} {item[key]}"
        if isinstance(item.get("date"), str):
            return f"{noun} {index + 1} ({item['date']})"
    return f"{noun} {index + 1}"
