"""The one definition of an action's status and done-ness, as at a day or as written."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest

from planreport.plan import building, model, standing
from planreport.problems import Problems
from tests.conftest import load_document

HEAD = "title: Status precedence\nactions:\n"


def _plan(actions: str) -> model.Plan:
    """A plan with the default (blue, green, amber, red) scheme and the given actions."""
    problems = Problems()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.yaml"
        path.write_text(HEAD + actions, encoding="utf-8")
        doc = load_document(path, problems, "plan.yaml")
    assert not problems, list(problems)
    return building.build_plan("plan", doc, [])


def _key(plan: model.Plan, day: date | None = None) -> str | None:
    """The key of the first action's status in force on day."""
    level = standing.status_at(plan, plan.actions[0], day)
    return level.key if level else None


TWO_UPDATES = """\
  - ref: "1"
    text: Two updates, no status of its own.
    updates:
      - {date: 2020-01-15, status: green}
      - {date: 2020-03-15, status: blue}
"""


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2020, 1, 14), None),  # before the first update: no status yet
        (date(2020, 1, 15), "green"),  # an update is in force from its own day
        (date(2020, 3, 14), "green"),
        (date(2020, 3, 15), "blue"),
        (date(2021, 1, 1), "blue"),
        (None, "blue"),  # as the plan is written now: the latest update
    ],
)
def test_the_latest_update_on_or_before_the_day_gives_the_status(
    day: date | None, key: str | None
) -> None:
    assert _key(_plan(TWO_UPDATES), day) == key


def test_an_update_dated_by_month_is_in_force_from_the_first_of_the_month() -> None:
    plan = _plan('  - ref: "1"\n    text: x\n    updates: [{date: 2013-09, status: blue}]\n')
    assert _key(plan, date(2013, 8, 31)) is None
    assert _key(plan, date(2013, 9, 1)) == "blue"


OWN_AND_EARLIER = """\
  - ref: "1"
    text: Its own status, and an earlier update's.
    status: amber
    updates:
      - {date: 2020-01-15, status: green}
"""


def test_the_actions_own_status_is_the_current_one() -> None:
    """`status` wins over every update's, once no update is dated after the day."""
    plan = _plan(OWN_AND_EARLIER)
    assert _key(plan) == "amber"
    assert _key(plan, date(2020, 2, 1)) == "amber"
    assert _key(plan, date(2020, 1, 15)) == "amber"


OWN_AND_LATER = """\
  - ref: "1"
    text: Its own status, and updates on either side of the day asked about.
    status: blue
    updates:
      - {date: 2020-01-15, status: green}
      - {date: 2020-06-15, status: amber}
"""


def test_a_later_updates_status_means_the_own_status_was_not_yet_in_force() -> None:
    plan = _plan(OWN_AND_LATER)
    assert _key(plan, date(2020, 1, 1)) is None  # nothing known yet; blue came after June
    assert _key(plan, date(2020, 3, 1)) == "green"
    assert _key(plan, date(2020, 6, 15)) == "blue"  # no update after the day: own status
    assert _key(plan) == "blue"


def test_status_written_says_where_the_status_in_force_was_written() -> None:
    plan = _plan(OWN_AND_LATER)
    action = plan.actions[0]
    assert standing.status_written(action) == ("blue", action.status_location)
    assert action.status_location.line == 5
    key, where = standing.status_written(action, date(2020, 3, 1))
    assert (key, where) == ("green", action.updates[0].status_location)
    assert where.line == 7
    assert standing.status_written(action, date(2020, 1, 1)) == (None, None)


def test_text_only_updates_do_not_change_the_status() -> None:
    plan = _plan(
        '  - ref: "1"\n    text: x\n    status: green\n    updates:\n'
        "      - {date: 2020-06-15, text: Still going.}\n"
    )
    assert _key(plan, date(2020, 1, 1)) == "green"


DONE_LATER = """\
  - ref: "1"
    text: Done in March.
    updates:
      - {date: 2020-01-15, status: green}
      - {date: 2020-03-15, status: blue}
"""


def test_done_is_a_done_status_in_force_on_the_day() -> None:
    plan = _plan(DONE_LATER)
    action = plan.actions[0]
    assert not standing.done_at(plan, action, date(2020, 1, 1))
    assert not standing.done_at(plan, action, date(2020, 2, 1))
    assert standing.done_at(plan, action, date(2020, 3, 15))
    assert standing.done_at(plan, action)


MILESTONES = """\
  - ref: "1"
    text: Every milestone done, no status.
    milestones:
      - {text: a, done: true}
      - {text: b, done: true}
  - ref: "2"
    text: One milestone open.
    milestones:
      - {text: a, done: true}
      - {text: b}
  - ref: "3"
    text: Every milestone done, but a status says otherwise.
    status: green
    milestones:
      - {text: a, done: true}
  - ref: "4"
    text: A status the scheme lacks.
    status: purple
  - ref: "5"
    text: Nothing at all.
"""


def test_with_no_status_at_all_done_means_every_milestone_done() -> None:
    plan = _plan(MILESTONES)
    done = [standing.done_at(plan, a) for a in plan.actions]
    assert done == [True, False, False, False, False]
    assert [standing.done_at(plan, a, date(2000, 1, 1)) for a in plan.actions] == done


def test_changes_list_progress_reported_without_a_change_of_status() -> None:
    plan = _plan(
        "  - ref: '1'\n    text: Steady.\n    due: 2020-06\n    updates:\n"
        "      - {date: 2019-11, text: Started., status: green}\n"
        "      - {date: 2020-01-10, text: Halfway., status: green}\n"
        "      - {date: 2020-02-01, text: Three quarters.}\n"
        "  - ref: '2'\n    text: Slipping.\n    due: 2020-06\n    updates:\n"
        "      - {date: 2019-11, text: Started., status: green}\n"
        "      - {date: 2020-01-10, text: Behind., status: amber}\n"
        "  - ref: '3'\n    text: Quiet.\n    due: 2020-06\n    updates:\n"
        "      - {date: 2019-11, text: Started., status: green}\n"
    )
    found = standing.changes_between(plan, date(2019, 12, 31), date(2020, 3, 31))
    assert [(a.ref, u.text) for a, u in found.progress] == [("1", "Three quarters.")]
    assert [(a.ref, b.key, c.key) for a, b, c in found.status_changes] == [("2", "green", "amber")]


DUE_BY_MONTH = """\
  - {ref: "1", text: Due in a month, due: 2020-01}
  - {ref: "2", text: Due on a day, due: 2020-01-31}
  - {ref: "3", text: Due in a quarter, due: 2019/20 Q4}
"""


@pytest.mark.parametrize(
    ("day", "soon", "overdue"),
    [
        (date(2019, 12, 1), [False, False, False], [False, False, False]),
        (date(2019, 12, 31), [True, False, False], [False, False, False]),  # January begins
        (date(2020, 1, 2), [True, True, False], [False, False, False]),
        (date(2020, 2, 1), [False, False, True], [True, True, False]),  # Q4 is Jan to Mar
        (date(2020, 4, 1), [False, False, False], [True, True, True]),
    ],
)
def test_a_month_or_quarter_is_due_soon_from_its_first_day_overdue_after_its_last(
    day: date, soon: list[bool], overdue: list[bool]
) -> None:
    plan = _plan(DUE_BY_MONTH)
    found = [standing.stand(plan, action, day) for action in plan.actions]
    assert [s.due_soon for s in found] == soon
    assert [s.overdue for s in found] == overdue
