"""The comment-preserving YAML edit: only the intended lines change, and they read back."""

from __future__ import annotations

import copy
import difflib
from pathlib import Path

import pytest

from planreport.plan import loader
from planreport.problems import Problems
from planreport.updates.yaml_edit import EditError, Editor, clean_text
from tests.conftest import ROOT

UPDATE = {"date": "2026-11-23", "text": "Audit done: 40 cases, findings to CMT.", "status": "green"}
REVISION = {"due": "2027-03", "reason": "The supplier delivered late.", "agreed": "2026-11-23"}


def _read(text: str) -> object:
    """The values planreport reads from text."""
    return loader.parse(text.encode("utf-8"), "x", Problems()).data


def _plan_files() -> list[Path]:
    """Every example plan file with actions: file plans and the folder plan's parts."""
    found = []
    for path in sorted((ROOT / "plans").rglob("*.yaml")):
        if path.parent.name != "papers" and path.name != "people.yaml":
            data = _read(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("actions"):
                found.append(path)
    return found


def _edit_everything(text: str, index: int) -> str:
    """Append an update and a revision to action index and set its completion date."""
    editor = Editor(text, "x")
    path = ("actions", index)
    action = editor.value(path)
    for key, item, after in (
        ("revisions", REVISION, ("review", "due", "start", "timescale")),
        ("updates", UPDATE, ("milestones", "revisions", "review", "due")),
    ):
        if key in action:
            editor.append_item((*path, key), item)
        else:
            editor.add_key(path, key, [item], next((k for k in after if k in action), "text"))
    if "completed" in action:
        editor.replace_scalar((*path, "completed"), "2026-11-20")
    else:
        editor.add_key(path, "completed", "2026-11-20", list(action)[-1])
    return editor.result()


def _only_added(before: str, after: str) -> bool:
    """Whether the diff only adds lines, none of them after a blank line or a comment."""
    old, new = before.splitlines(), after.splitlines()
    for op, i1, i2, j1, _j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if op == "equal":
            continue
        if op != "insert" or i1 != i2:
            return False
        if j1 and (not new[j1 - 1].strip() or new[j1 - 1].strip().startswith("#")):
            return False
    return True


@pytest.mark.parametrize("path", _plan_files(), ids=lambda p: p.name)
def test_every_action_of_every_example_plan_is_edited_by_adding_lines_only(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for index in range(len(_read(text)["actions"])):
        after = _edit_everything(text, index)
        assert _only_added(text, after), (path.name, index)
        expected = copy.deepcopy(_read(text))
        action = expected["actions"][index]
        action.setdefault("updates", []).append(UPDATE)
        action.setdefault("revisions", []).append(REVISION)
        action["completed"] = "2026-11-20"
        assert _read(after) == expected


def test_flow_style_items_get_a_flow_style_sibling_when_it_fits() -> None:
    text = "actions:\n  - ref: '1'\n    updates:\n      - {date: 2013-09, text: Completed.}\n"
    editor = Editor(text, "x")
    editor.append_item(("actions", 0, "updates"), {"date": "2013-10", "text": "Done, at last."})
    assert editor.result() == text + '      - {date: 2013-10, text: "Done, at last."}\n'


def test_long_text_is_folded_and_lines_kept_literally() -> None:
    text = "actions:\n  - ref: '1'\n    text: Do it.\n"
    long = " ".join(["word"] * 40)
    editor = Editor(text, "x")
    editor.add_key(("actions", 0), "updates", [{"date": "2013-10", "text": long}], "text")
    editor.add_key(("actions", 0), "outcome", "First line.\n\n- a bullet: with a colon", "ref")
    result = editor.result()
    assert "      - date: 2013-10\n        text: >-\n          word word" in result
    assert "    outcome: |-\n      First line.\n\n      - a bullet: with a colon\n" in result
    data = _read(result)["actions"][0]
    assert data["updates"][0]["text"] == long
    assert data["outcome"] == "First line.\n\n- a bullet: with a colon"


@pytest.mark.parametrize(
    "value",
    ["yes", "null", "1.10", "- dash", "#hash", "a: b", "trailing:", "  padded", "tab\there", "'q'"],
)
def test_values_yaml_would_misread_are_quoted(value: str) -> None:
    text = "actions:\n  - ref: '1'\n    text: Do it.\n"
    editor = Editor(text, "x")
    editor.add_key(("actions", 0), "outcome", value, "text")
    assert _read(editor.result())["actions"][0]["outcome"] == value


def test_crlf_bom_and_a_missing_final_line_break_are_kept() -> None:
    text = "\ufeffactions:\r\n  - ref: '1'\r\n    text: Do it."
    editor = Editor(text, "x")
    editor.add_key(("actions", 0), "status", "green", "text")
    assert (
        editor.result()
        == "\ufeffactions:\r\n  - ref: '1'\r\n    text: Do it.\r\n    status: green\r\n"
    )


def test_a_flow_mapping_action_and_an_empty_flow_list_are_extended_in_place() -> None:
    text = "actions:\n  - {ref: '1', text: Do it., updates: []}\n"
    editor = Editor(text, "x")
    editor.append_item(("actions", 0, "updates"), {"date": "2013-10", "text": "Done"})
    editor.add_key(("actions", 0), "status", "green", "text")
    assert editor.result() == (
        "actions:\n  - {ref: '1', text: Do it., updates: [{date: 2013-10, text: Done}], "
        "status: green}\n"
    )


def test_a_mapping_is_added_under_a_key_on_one_line_or_in_block_style() -> None:
    """As import adds people: into an empty `{}`, or below the last key under a comment."""
    editor = Editor("people: {}  # none yet\n", "x")
    editor.add_key(("people",), "ann", {"name": "Ann"}, "", "ignored: no room on one line")
    editor.add_key(("people",), "bo", {"role": "Head: care"}, "")
    assert editor.result() == 'people: {ann: {name: Ann}, bo: {role: "Head: care"}}  # none yet\n'
    editor = Editor("people:\n  rb: {initials: RB}\n...\n", "x")
    editor.add_key(("people",), "ann", {"name": "Ann", "initials": "AN"}, "rb", "Added.")
    assert editor.result() == (
        "people:\n  rb: {initials: RB}\n  # Added.\n  ann:\n    name: Ann\n    initials: AN\n...\n"
    )


def test_comments_deeper_than_an_item_stay_with_it() -> None:
    text = (
        "actions:\n  - ref: '1'\n    updates:\n      - date: 2013-09\n"
        "        # said at the meeting\n\n  # the next action\n  - ref: '2'\n"
    )
    editor = Editor(text, "x")
    editor.append_item(("actions", 0, "updates"), {"date": "2013-10"})
    assert editor.result() == text.replace("meeting\n", "meeting\n      - date: 2013-10\n")


def test_replacing_a_value_changes_only_its_characters() -> None:
    text = 'actions:\n  - ref: "1"\n    status: green   # as agreed\n'
    editor = Editor(text, "x")
    editor.replace_scalar(("actions", 0, "status"), "amber")
    assert editor.result() == 'actions:\n  - ref: "1"\n    status: amber   # as agreed\n'


def test_a_block_value_is_not_replaced_in_place() -> None:
    editor = Editor("a: |\n  text\n", "x")
    with pytest.raises(EditError, match="not a one-line value"):
        editor.replace_scalar(("a",), "b")


def test_answer_text_is_cleaned_of_what_plans_cannot_hold() -> None:
    assert clean_text("\r\n  Line one.\x07\r\nLine two.\u2028Three\t.  \n\n\n\nFour") == (
        "Line one.\nLine two.\nThree .\n\nFour"
    )
