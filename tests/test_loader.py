"""The YAML loader keeps plan values as written and locates every value."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from planreport.plan import loader as loader_module
from planreport.problems import Problems
from tests.conftest import load_document as load


def _load(tmp_path: Path, text: str):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    return load(path, problems, "plan.yaml"), problems


def test_refs_and_dates_stay_text(tmp_path: Path) -> None:
    doc, problems = _load(
        tmp_path,
        "ref: 1.10\nother: 1.1\ndue: 2020-04-30\nyear: 2020\nword: no\nflag: true\nnone:\n",
    )
    assert problems == []
    assert doc.data == {
        "ref": "1.10",
        "other": "1.1",
        "due": "2020-04-30",
        "year": "2020",
        "word": "no",
        "flag": True,
        "none": None,
    }


def test_positions_are_one_based_for_values_and_keys(tmp_path: Path) -> None:
    doc, _ = _load(tmp_path, "title: T\nactions:\n  - ref: '1'\n    text: Do it\n")
    assert str(doc.where(("actions", 0, "text"))) == "plan.yaml:4:11"
    assert str(doc.key_where(("actions", 0, "text"))) == "plan.yaml:4:5"
    assert str(doc.where(("actions", 0, "missing"))) == "plan.yaml:3:5"


def test_duplicate_key_names_both_lines_and_keeps_first(tmp_path: Path) -> None:
    doc, problems = _load(tmp_path, "title: First\nintro: x\ntitle: Second\n")
    assert doc.data["title"] == "First"
    assert [(p.rule, str(p.location)) for p in problems] == [("duplicate-key", "plan.yaml:3:1")]
    assert "here and on line 1" in problems[0].message


_TOO_DEEP = (
    "error: [yaml-too-deep] the values here are nested more than 40 levels deep; no plan "
    "needs that. Check the indentation."
)
_BLOCK_DEEP = "".join(f"{'  ' * i}k{i}:\n" for i in range(60)) + "  " * 60 + "leaf: 1\n"


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
@pytest.mark.parametrize(
    ("text", "where"),
    [
        # libyaml (PyYAML 6.0.4 on) stops deep flow nesting itself, before planreport sees it.
        ("x: " + "[" * 30000 + "]" * 30000 + "\n", "plan.yaml:1:"),
        ("x: " + "[" * 500 + "]" * 500 + "\n", "plan.yaml:1:"),
        (_BLOCK_DEEP, "plan.yaml:41:81"),
    ],
    ids=["flow-30000", "flow-500", "block-60"],
)
def test_deep_nesting_stops_with_the_same_message_whichever_parser_stops_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loader: str, text: str, where: str
) -> None:
    if not hasattr(yaml, loader):
        pytest.skip(f"this PyYAML has no {loader}")
    monkeypatch.setattr(loader_module, "_Loader", getattr(yaml, loader))
    doc, problems = _load(tmp_path, text)
    assert doc.data is None
    assert [p.rule for p in problems] == ["yaml-too-deep"]
    problem = problems[0]
    line = f"{problem.location}: {problem.severity}: [{problem.rule}] {problem.message}"
    assert line.startswith(where) and line.endswith(_TOO_DEEP)


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufefftitle: Café\n".encode())
    problems = Problems()
    assert load(path, problems).data == {"title": "Café"}
    assert problems == []


def test_quoted_keys_and_values_are_read_and_located_as_plain_ones(tmp_path: Path) -> None:
    doc, problems = _load(tmp_path, "'title': \"T\"\nintro: 'x'\ntitle: again\n")
    assert doc.data == {"title": "T", "intro": "x"}
    assert str(doc.where(("title",))) == "plan.yaml:1:10"
    assert str(doc.key_where(("intro",))) == "plan.yaml:2:1"
    assert [(p.rule, str(p.location)) for p in problems] == [("duplicate-key", "plan.yaml:3:1")]
