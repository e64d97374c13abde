"""The round's record, `planreport round`, `remind --before` and the calendars it writes."""

from __future__ import annotations

import email
import email.policy
from datetime import date
from pathlib import Path

import icalendar
import pytest

from planreport.plan import loading
from planreport.project import Project
from planreport.updates import ical, rounds
from tests.conftest import ROOT, run_planreport
from tests.mail_server import example_copy, mail_config, smtp_server

PAPER = "stockton-ofsted-2013-09"
REQUEST = ("request", "--paper", PAPER, "--due", "2013-10-18", "--date", "2013-09-20")


@pytest.fixture
def council(tmp_path: Path) -> Path:
    """A copy of the example plans."""
    return example_copy(tmp_path / "council")


def test_making_forms_records_the_round_without_sending(council: Path) -> None:
    made = run_planreport(*REQUEST, "--lead", "stockton-rb", cwd=council)
    assert made.returncode == 0, made.stderr
    record = council / f"rounds/{PAPER}-2013-09-20.yaml"
    loaded = rounds.load(Project(council), record)
    assert (loaded.name, loaded.made, loaded.return_by) == (
        PAPER,
        date(2013, 9, 20),
        date(2013, 10, 18),
    )
    (entry,) = loaded.forms
    assert (entry.lead, entry.name, entry.email, entry.actions, entry.sent) == (
        "stockton-rb",
        "RB",
        "stockton-rb@example.org",
        4,
        None,
    )
    assert entry.file == f"build/forms/{PAPER}-stockton-rb.xlsx"
    shown = run_planreport("round", cwd=council)
    assert "  RB (stockton-rb): outstanding (not sent by email)" in shown.stdout
    assert "1 form: 0 sent, 0 returned, 1 outstanding." in shown.stdout


def test_forms_for_every_plan_are_recorded_one_round_per_plan(council: Path) -> None:
    made = run_planreport("request", "--date", "2013-09-20", cwd=council)
    assert made.returncode == 0, made.stderr
    assert sorted(p.name for p in (council / "rounds").iterdir()) == [
        "derby-cyp-improvement-2011-2013-09-20.yaml",
        "nottingham-city-iicsa-2019-2013-09-20.yaml",
        "nottinghamshire-iicsa-2019-2013-09-20.yaml",
        "stockton-ofsted-2013-2013-09-20.yaml",
    ]


def test_a_damaged_record_is_a_located_error(council: Path) -> None:
    assert run_planreport(*REQUEST, "--lead", "stockton-rb", cwd=council).returncode == 0
    record = council / f"rounds/{PAPER}-2013-09-20.yaml"
    record.write_text(
        record.read_text("utf-8").replace("actions: 4", "actions: four"), encoding="utf-8"
    )
    shown = run_planreport("round", cwd=council)
    assert shown.returncode == 1
    assert shown.stdout.startswith(f"rounds/{PAPER}-2013-09-20.yaml:14:12: error: [bad-value] ")
    assert "'actions' 'four' is not allowed here: write a whole number, e.g. 4." in shown.stdout


def test_check_reads_a_round_record_as_a_round_not_a_plan(council: Path) -> None:
    assert run_planreport(*REQUEST, "--lead", "stockton-rb", cwd=council).returncode == 0
    name = f"rounds/{PAPER}-2013-09-20.yaml"
    clean = run_planreport("check", name, cwd=council)
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.endswith("Checked 1 round record in 1 file: 0 errors, 0 warnings.\n")
    record = council / name
    record.write_text(
        record.read_text("utf-8").replace("actions: 4", "actions: four"), encoding="utf-8"
    )
    expected = f"{name}:14:12: error: [bad-value] "
    named = run_planreport("check", name, cwd=council)
    assert (named.returncode, named.stdout.startswith(expected)) == (1, True), named.stdout
    whole = run_planreport("check", cwd=council)  # the whole project includes rounds/
    assert whole.returncode == 1
    assert [line for line in whole.stdout.splitlines() if "error:" in line] == [
        named.stdout.splitlines()[0]
    ]


def test_no_round_yet_says_how_to_start_one(council: Path) -> None:
    shown = run_planreport("round", cwd=council)
    assert shown.returncode == 2
    assert shown.stderr == (
        "planreport round: there is no update round yet (rounds/ is empty). Make the forms "
        "first: planreport request --send.\n"
    )


def test_remind_before_lists_each_leads_actions_due_and_overdue(council: Path) -> None:
    with smtp_server() as (handler, port):
        mail_config(council, port)
        result = run_planreport("remind", "--before", "14", "--date", "2013-12-20", cwd=council)
    assert result.returncode == 0, result.stdout + result.stderr
    smcl = next(m for m in handler.received if m.recipients == ["stockton-smcl@example.org"])
    assert smcl.message["Subject"].endswith("you lead overdue or due by 3 January 2014")
    assert "As at 20 December 2013, these actions you lead are overdue" in smcl.text
    assert (
        "Action Plan in response to the recommendations of the January 2013 Ofsted Inspection "
        "of Local Authority arrangements for the protection of children:\n\n"
        "- Recommendation 1, action 4: overdue, was due November 2013\n"
        "- Recommendation 1, action 7: due December 2013\n"
    ) in smcl.text
    assert list(smcl.attachments()) == ["action-dates.ics"]
    calendar = icalendar.Calendar.from_ical(smcl.attachments()["action-dates.ics"])
    assert calendar.to_ical() == (council / "build/calendars/stockton-smcl.ics").read_bytes()
    due = [e for e in calendar.walk("VEVENT") if "action 7 " in str(e["SUMMARY"])]
    assert [(str(e["SUMMARY"]), e.decoded("DTSTART")) for e in due] == [
        ("Due: Recommendation 1, action 7 (stockton-ofsted-2013)", date(2013, 12, 31))
    ]


def test_calendar_events_keep_their_uids_and_escape_text() -> None:
    project = Project(ROOT)
    source = project.plan_sources()["derby-cyp-improvement-2011"]
    plan = loading.load_plan(project, source).value
    from planreport.plan import standing

    found = [s for s in standing.assess(plan, date(2011, 12, 1)) if not s.done]
    events = [event for s in found for event in ical.action_dates(plan, s)]
    tricky = ical.Dated("x/1/due", date(2012, 1, 31), "Due: a, b; c\\d", "Line one\nLine two")
    first = ical.calendar('Nina; Martin, "Head"', [*events, tricky], date(2011, 12, 1))
    again = ical.calendar('Nina; Martin, "Head"', [*events, tricky], date(2012, 1, 5))
    parsed = icalendar.Calendar.from_ical(first)
    assert str(parsed["X-WR-CALNAME"]) == 'Action plan dates: Nina; Martin, "Head"'
    uids = [str(e["UID"]) for e in parsed.walk("VEVENT")]
    assert len(uids) == len(set(uids)) == len(events) + 1
    assert uids == [str(e["UID"]) for e in icalendar.Calendar.from_ical(again).walk("VEVENT")]
    (odd,) = [e for e in parsed.walk("VEVENT") if str(e["SUMMARY"]).startswith("Due: a,")]
    assert (str(odd["SUMMARY"]), str(odd["DESCRIPTION"])) == (
        "Due: a, b; c\\d",
        "Line one\nLine two",
    )
    assert b"SUMMARY:Due: a\\, b\\; c\\\\d" in first


def test_nothing_is_written_through_a_link_out_of_the_project(
    council: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (council / "rounds").symlink_to(elsewhere)
    made = run_planreport(*REQUEST, "--lead", "stockton-rb", cwd=council)
    assert made.returncode == 2
    assert made.stderr == (
        f"planreport request: rounds/{PAPER}-2013-09-20.yaml leads outside the project (a "
        "link?); planreport writes only inside it. Replace the link with a folder.\n"
    )
    assert list(elsewhere.iterdir()) == []


def test_a_reminder_after_the_return_date_says_it_was_due(council: Path) -> None:
    mail_config(council, 1)  # a dry run connects to nothing
    assert run_planreport(*REQUEST, "--lead", "stockton-rb", cwd=council).returncode == 0
    result = run_planreport("remind", "--date", "2013-10-25", "--dry-run", cwd=council)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = council / f"build/mail/reminders-{PAPER}-2013-09-20"
    assert f"wrote build/mail/reminders-{PAPER}-2013-09-20/stockton-rb.eml" in result.stdout
    message = email.message_from_bytes(
        (folder / "stockton-rb.eml").read_bytes(), policy=email.policy.default
    )
    text = message.get_body(("plain",)).get_content()
    assert "has not come back yet. It was due back on 18 October 2013. It is attached" in text
    assert [part.get_filename() for part in message.iter_attachments()] == [
        f"{PAPER}-stockton-rb.xlsx"
    ]
    assert "reminded" not in (council / f"rounds/{PAPER}-2013-09-20.yaml").read_text("utf-8")
