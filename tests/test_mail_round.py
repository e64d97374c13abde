"""The update round by email, end to end, against a real SMTP server on localhost.

From this repository's plans: `request --send` delivers each lead's form; `apply` of two
returned forms marks them in the round; `remind` writes only to the others; a rerun sends
nothing twice; the calendars parse; no password appears in any file the commands write.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import icalendar
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.conftest import run_planreport
from tests.mail_server import Handler, example_copy, free_port, mail_config
from tests.office_fixtures import fill_xlsx

PASSWORD = "correct-horse-7Qz"  # the test server's; it must never reach a file
PAPER = "stockton-ofsted-2013-09"
ROUND = f"rounds/{PAPER}-2013-09-20.yaml"
LEADS = ("case-file-auditors", "jh", "lk", "mg", "rb", "smcl", "sw")


def _login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    """The server's check of the user name and password."""
    ok = auth_data.login == b"policy" and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


@pytest.fixture
def council(tmp_path: Path) -> tuple[Path, Handler]:
    """A copy of the example plans, configured to send through a server on localhost."""
    root = example_copy(tmp_path / "council")
    handler = Handler()
    port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_login,
        auth_require_tls=False,
    )
    controller.start()
    mail_config(root, port, "  user: policy\n  password_env: COUNCIL_SMTP_PASSWORD\n")
    yield root, handler
    controller.stop()


def _run(root: Path, *args: str) -> str:
    """Run planreport in root with the password in the environment; its output."""
    env = {**os.environ, "COUNCIL_SMTP_PASSWORD": PASSWORD}
    result = run_planreport(*args, cwd=root, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_round_by_email_from_the_example_repository(
    council: tuple[Path, Handler], tmp_path: Path
) -> None:
    root, server = council
    sent = _run(
        root, "request", "--paper", PAPER, "--due", "2013-10-18", "--date", "2013-09-20", "--send"
    )
    assert f"Sent 7 of 7 forms; the round is recorded in {ROUND}." in sent
    addresses = sorted(r for m in server.received for r in m.recipients)
    assert addresses == [f"stockton-{lead}@example.org" for lead in LEADS]
    rb = next(m for m in server.received if m.recipients == ["stockton-rb@example.org"])
    assert rb.message["From"] == "Policy Team <policy@example.org>"
    assert rb.message["To"] == "RB <stockton-rb@example.org>"
    assert rb.message["Subject"].startswith("Update needed by 18 October 2013: Action Plan")
    assert "Dear RB," in rb.text
    assert "progress on the 4 actions you lead" in rb.text
    assert "send it back by 18 October 2013" in rb.text
    assert "- Recommendation 5, action 1: due " in rb.text
    assert "<li>Recommendation 5, action 1: due " in rb.html
    assert list(rb.attachments()) == [f"{PAPER}-stockton-rb.xlsx"]

    # Two leads fill in the form they were emailed and send it back.
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    returned = []
    for lead, ref in (("rb", "Recommendation 5, action 1"), ("mg", "Recommendation 9, action 4")):
        message = next(
            m for m in server.received if m.recipients == [f"stockton-{lead}@example.org"]
        )
        ((name, data),) = message.attachments().items()
        (downloads / name).write_bytes(data)
        answers = {ref: {"Progress update": f"Progress reported by {lead.upper()}."}}
        returned.append(str(fill_xlsx(downloads / name, answers, downloads / name)))
    applied = _run(root, "apply", *returned, "--date", "2013-10-01")
    assert "Applied 2 of 2 answers from 2 forms" in applied
    shown = _run(root, "round")
    assert "RB (stockton-rb): returned, applied 1 October 2013 (1 change)" in shown
    assert "MG (stockton-mg): returned, applied 1 October 2013 (1 change)" in shown
    assert "JH (stockton-jh): outstanding (sent " in shown
    assert "7 forms: 7 sent, 2 returned, 5 outstanding." in shown

    # The reminder goes only to the five whose forms are outstanding, with the form again.
    before = len(server.received)
    reminded = _run(root, "remind", "--date", "2013-10-10")
    chased = server.received[before:]
    assert sorted(r for m in chased for r in m.recipients) == [
        f"stockton-{lead}@example.org" for lead in LEADS if lead not in ("rb", "mg")
    ]
    assert "Sent 5 of 5 reminders." in reminded
    jh = next(m for m in chased if m.recipients == ["stockton-jh@example.org"])
    assert jh.message["Subject"].startswith("Reminder: your update form due 18 October 2013")
    assert list(jh.attachments()) == [f"{PAPER}-stockton-jh.xlsx"]

    # A rerun sends nothing twice.
    count = len(server.received)
    again = _run(
        root, "request", "--paper", PAPER, "--due", "2013-10-18", "--date", "2013-09-20", "--send"
    )
    assert "already sent to stockton-rb on " in again
    assert "Sent 0 of 0 forms (7 sent before)" in again
    assert "RB (stockton-rb): returned, applied 1 October 2013" in _run(root, "round")
    assert "was reminded today already" in _run(root, "remind", "--date", "2013-10-10")
    assert len(server.received) == count

    # Reminders of dates, with a calendar per lead.
    dates = _run(root, "remind", "--before", "14", "--date", "2013-10-10")
    assert "wrote build/calendars/stockton-rb.ics" in dates
    calendar = icalendar.Calendar.from_ical((root / "build/calendars/stockton-jh.ics").read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    (form_back,) = [e for s, e in events.items() if s.startswith("Return your update form (")]
    assert form_back.decoded("DTSTART") == date(2013, 10, 18)
    assert all(isinstance(e.decoded("DTSTART"), date) for e in events.values())
    rb_calendar = icalendar.Calendar.from_ical(
        (root / "build/calendars/stockton-rb.ics").read_bytes()
    )
    assert not any(str(e["SUMMARY"]).startswith("Return") for e in rb_calendar.walk("VEVENT"))

    # No password in any file the commands wrote.
    for path in root.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
