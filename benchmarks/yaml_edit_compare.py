"""Which way of writing answers into plan YAML keeps the rest of each file as it was.

For every action of every plan in plans/ (file plans and the folder plan's part files,
flow-style and block-style entries), one at a time: append an update, add a revision
and a completion date, with (a) ruamel.yaml's round-trip mode, configured to reproduce
these files unchanged, and (b) planreport's targeted text edit (updates/yaml_edit.py).
Counts, per approach:

- identical: the unified diff against the original only adds lines (nothing outside
  the change is rewritten);
- well placed: no added line follows a blank line or a comment that belongs to the
  next entry (the new update sits with its action, not after the gap before the next);
- reads back: the edited file loads to exactly the original values plus the new ones;
- the time per edit (load, change, write out).

    .venv/bin/python benchmarks/yaml_edit_compare.py
"""

from __future__ import annotations

import copy
import difflib
import io
import time
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from planreport.plan import loader
from planreport.problems import Problems
from planreport.updates.yaml_edit import Editor

ROOT = Path(__file__).resolve().parent.parent
UPDATE = {
    "date": "2026-11-23",
    "text": "Audit completed: 40 cases, findings to CMT.",
    "status": "green",
}
REVISION = {"due": "2027-03", "reason": "The supplier delivered late.", "agreed": "2026-11-23"}
COMPLETED = "2026-11-20"


def plan_files() -> list[Path]:
    """Every plan file in plans/ that holds actions."""
    found = []
    for path in sorted((ROOT / "plans").rglob("*.yaml")):
        if path.parent.name != "papers" and path.name != "people.yaml":
            data = read(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("actions"):
                found.append(path)
    return found


def read(text: str) -> object:
    """The values planreport reads from text."""
    return loader.parse(text.encode("utf-8"), "x", Problems()).data


def intended(text: str, index: int) -> object:
    """The original values with the update, revision and completion added."""
    data = copy.deepcopy(read(text))
    action = data["actions"][index]
    action.setdefault("updates", []).append(dict(UPDATE))
    action.setdefault("revisions", []).append(dict(REVISION))
    action["completed"] = COMPLETED
    return data


def with_ruamel(text: str, index: int) -> str:
    """The edit through ruamel.yaml's round trip, set up to keep these files unchanged."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    data = yaml.load(text)
    action = data["actions"][index]
    for key, item in (("updates", UPDATE), ("revisions", REVISION)):
        if key in action:
            action[key].append(CommentedMap(item))
        else:
            action[key] = [CommentedMap(item)]
    action["completed"] = COMPLETED
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def with_text_edit(text: str, index: int) -> str:
    """The edit through planreport's targeted text edit."""
    editor = Editor(text, "x")
    path = ("actions", index)
    action = editor.value(path)
    order = list(action)
    for key, item, anchor in (
        ("revisions", REVISION, ("review", "due", "start", "timescale")),
        ("updates", UPDATE, ("milestones", "revisions", "review", "due")),
    ):
        if key in action:
            editor.append_item((*path, key), item)
        else:
            after = next((k for k in anchor if k in action), order[-1])
            editor.add_key(path, key, [item], after)
    if "completed" in action:
        editor.replace_scalar((*path, "completed"), COMPLETED)
    else:
        editor.add_key(path, "completed", COMPLETED, order[-1])
    return editor.result()


def judge(before: str, after: str) -> tuple[bool, bool]:
    """(only lines added, every added block well placed)."""
    old, new = before.splitlines(), after.splitlines()
    only_added, placed = True, True
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, _j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op != "insert" or i1 != i2:
            only_added = False
        previous = new[j1 - 1].strip() if j1 else ""
        if previous == "" or previous.startswith("#"):
            placed = False
    return only_added, placed


def main() -> None:
    """Run both approaches on every action and print a table."""
    files = plan_files()
    results = {}
    for name, edit in (
        ("ruamel.yaml round trip", with_ruamel),
        ("targeted text edit", with_text_edit),
    ):
        total = identical = placed = reads = 0
        elapsed = 0.0
        for path in files:
            text = path.read_text(encoding="utf-8")
            for index in range(len(read(text)["actions"])):
                started = time.perf_counter()
                after = edit(text, index)
                elapsed += time.perf_counter() - started
                only, good = judge(text, after)
                total += 1
                identical += only
                placed += good
                reads += read(after) == intended(text, index)
        results[name] = (total, identical, placed, reads, elapsed)
    print(f"{len(files)} plan files, every action edited in turn (update, revision, completion)")
    print("| approach | edits | only lines added | well placed | reads back | ms per edit |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, (total, identical, placed, reads, elapsed) in results.items():
        per_edit = elapsed / total * 1000
        print(f"| {name} | {total} | {identical} | {placed} | {reads} | {per_edit:.1f} |")


if __name__ == "__main__":
    main()
