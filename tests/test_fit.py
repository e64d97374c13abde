"""Columns narrower than their words are found before anyone prints the paper."""

from __future__ import annotations

from pathlib import Path

import pytest

from planreport.paper import fit
from planreport.problems import Problems
from tests.conftest import load_document, load_layout


def _plan(tmp_path: Path, text: str):
    """A plan from YAML text."""
    from planreport.plan import building, validate

    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    doc = load_document(path, problems, "plan.yaml")
    assert validate.validate(doc, "plan", problems), problems
    return building.build_plan("plan", doc, [])


def test_word_widths_follow_the_font() -> None:
    assert 15.0 < fit.text_mm("September", size=9) < 16.0
    assert 17.0 < fit.text_mm("September") < 17.5  # at the default 10 pt
    assert fit.text_mm("iiii") < fit.text_mm("MMMM")
    assert fit.text_mm("Lead", bold=True) > fit.text_mm("Lead")


def test_a_status_column_too_narrow_for_its_labels_is_named(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "title: T\nactions:\n  - {ref: '1', text: Do it., due: 2020-03, status: blue}\n",
    )
    layout_path = tmp_path / "layout.yaml"
    layout_path.write_text(
        "table_type_size: 9\nblocks:\n  - type: action-table\n    columns:\n"
        "      - {field: text, heading: Action, width: 90}\n"
        "      - {field: status, heading: S, width: 3}\n"
    )
    problems = Problems()
    layout = load_layout(layout_path, problems, "layout.yaml")
    fit.narrow_columns(layout, [plan], {}, problems)
    [problem] = problems
    assert (problem.rule, problem.location.line) == ("column-too-narrow", 6)
    assert problem.message.startswith(
        "the column 'S' is 5 mm wide inside its cell padding (3% of the table), but 'Blue' "
        "in action 1 needs 7 mm at 9 pt"
    )


def test_wide_enough_columns_say_nothing(tmp_path: Path) -> None:
    plan = _plan(tmp_path, "title: T\nactions:\n  - {ref: '1', text: Do it., due: 2020-03}\n")
    layout_path = tmp_path / "layout.yaml"
    layout_path.write_text(
        "blocks:\n  - type: action-table\n    columns:\n"
        "      - {field: text, heading: Action, width: 70}\n"
        "      - {field: due, heading: Due, width: 30}\n"
    )
    problems = Problems()
    fit.narrow_columns(load_layout(layout_path, problems, "layout.yaml"), [plan], {}, problems)
    assert problems == []


def test_a_long_word_in_an_addressed_recommendation_or_theme_is_found(tmp_path: Path) -> None:
    plan = _plan(
        tmp_path,
        "title: T\nthemes:\n  - {id: care, title: Safeguardingandchildprotectionarrangements}\n"
        "recommendations:\n  - {ref: '1', text: Short.}\n"
        "  - {ref: '2', text: Strengthenthemultiagencysafeguardingarrangements.}\n"
        "actions:\n  - {ref: '1', text: Do it., due: 2020-03, addresses: ['2'], theme: care}\n"
        "  - {ref: '2', text: Do it., due: 2020-03, addresses: ['1']}\n",
    )
    layout_path = tmp_path / "layout.yaml"
    layout_path.write_text(
        "blocks:\n  - type: action-table\n    columns:\n"
        "      - {field: text, heading: Action, width: 80}\n"
        "      - {field: recommendation, heading: Rec, width: 10}\n"
        "      - {field: theme, heading: Theme, width: 10}\n"
    )
    problems = Problems()
    fit.narrow_columns(load_layout(layout_path, problems, "layout.yaml"), [plan], {}, problems)
    assert [
        (p.location.line, p.message.split(", but ")[1].split(" needs")[0]) for p in problems
    ] == [
        (5, "'Strengthenthemultiagencysafeguardingarrangements.' in action 1"),
        (6, "'Safeguardingandchildprotectionarrangements' in action 1"),
    ]


def test_fit_measures_what_each_field_s_registry_entry_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A field added to the registry is measured by its own texts: no second list in fit."""
    from planreport.paper import fields, layouts

    plan = _plan(tmp_path, "title: T\nactions:\n  - {ref: '1', text: Do it., due: 2020-03}\n")
    motto = fields.ActionField(
        fields.ACTION_FIELDS["text"].cell, lambda *_: ["Antidisestablishmentarianism"], "a motto"
    )
    monkeypatch.setitem(fields.ACTION_FIELDS, "motto", motto)
    block = layouts.make_block(
        "action-table", columns=(layouts.ColumnSpec(kind="motto", heading="M", width=8),)
    )
    layout = layouts.Layout(blocks=(block,))
    problems = Problems()
    fit.narrow_columns(layout, [plan], {}, problems)
    [problem] = problems
    assert problem.rule == "column-too-narrow"
    assert "'Antidisestablishmentarianism' in action 1 needs" in problem.message
