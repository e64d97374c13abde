"""`request --send` against a real SMTP server on localhost: what it received, and failures.

A refused recipient, a server refusing everything, a server too slow to answer, one that
drops the connection mid-message, and one that is not there; leads with no address;
names and titles trying header injection; names, addresses and subjects beyond ASCII.
"""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

import pytest

from tests.conftest import run_planreport
from tests.mail_server import Handler, example_copy, free_port, mail_config, smtp_server

PAPER = "stockton-ofsted-2013-09"
REQUEST = ("request", "--paper", PAPER, "--due", "2013-10-18", "--date", "2013-09-20")
LEADS = ("case-file-auditors", "jh", "lk", "mg", "rb", "smcl", "sw")


@pytest.fixture
def council(tmp_path: Path) -> Path:
    """A copy of the example plans to make and send forms from."""
    return example_copy(tmp_path / "council")


def _person(root: Path, lead: str, fields: str) -> None:
    """Replace one Stockton lead's entry in people.yaml."""
    people = root / "plans" / "people.yaml"
    text = re.sub(rf"(?m)^  {lead}: \{{.*$", f"  {lead}: {{{fields}}}", people.read_text("utf-8"))
    people.write_text(text, encoding="utf-8")


def _to(handler: Handler) -> list[str]:
    """Every recipient the server took, sorted."""
    return sorted(r for m in handler.received for r in m.recipients)


def _address(lead: str) -> str:
    """A Stockton lead's example address."""
    return f"stockton-{lead}@example.org"


def test_a_refused_recipient_does_not_stop_the_others_and_is_sent_on_a_rerun(
    council: Path,
) -> None:
    with smtp_server(Handler(refuse={_address("jh")})) as (handler, port):
        mail_config(council, port)
        first = run_planreport(*REQUEST, "--send", cwd=council)
        assert first.returncode == 1
        assert (
            "not sent to stockton-jh@example.org (stockton-jh): the server refused the address "
            "stockton-jh@example.org (550 5.1.1 No such user here)." in first.stdout
        )
        assert "Sent 6 of 7 forms;" in first.stdout
        assert _to(handler) == [_address(lead) for lead in LEADS if lead != "jh"]
        handler.refuse.clear()
        second = run_planreport(*REQUEST, "--send", cwd=council)
        assert second.returncode == 0, second.stdout + second.stderr
        assert "Sent 1 of 1 form (6 sent before)" in second.stdout
        assert _to(handler) == [_address(lead) for lead in LEADS]


def test_a_server_refusing_everything_sends_nothing_and_records_nothing_sent(
    council: Path,
) -> None:
    with smtp_server(Handler(refuse_all=True)) as (handler, port):
        mail_config(council, port)
        result = run_planreport(*REQUEST, "--send", cwd=council)
    assert result.returncode == 1
    assert result.stdout.count("the server refused the message (554 5.7.1 Message refused).") == 7
    assert "Sent 0 of 7 forms;" in result.stdout
    assert handler.received == []
    assert "sent:" not in (council / f"rounds/{PAPER}-2013-09-20.yaml").read_text("utf-8")


def test_a_dropped_connection_fails_that_message_and_the_rest_go(council: Path) -> None:
    with smtp_server(Handler(drop_first=1)) as (handler, port):
        mail_config(council, port)
        result = run_planreport(*REQUEST, "--send", cwd=council)
    assert result.returncode == 1
    assert (
        "not sent to stockton-case-file-auditors@example.org (stockton-case-file-auditors): "
        "the server closed the connection before taking the message" in result.stdout
    )
    assert _to(handler) == [_address(lead) for lead in LEADS if lead != "case-file-auditors"]


def test_a_server_that_does_not_answer_in_time(council: Path) -> None:
    with smtp_server(Handler(stall=4)) as (_handler, port):
        mail_config(council, port)
        result = run_planreport(*REQUEST, "--lead", "stockton-rb", "--send", cwd=council)
    assert result.returncode == 1
    assert (
        "not sent to stockton-rb@example.org (stockton-rb): the server did not answer within "
        "2 seconds." in result.stdout
    )


def test_no_server_fails_every_message_with_the_reason(council: Path) -> None:
    port = free_port()
    mail_config(council, port)
    result = run_planreport(*REQUEST, "--send", cwd=council)
    assert result.returncode == 1
    reason = f"could not reach the server at 127.0.0.1 port {port} (Connection refused)."
    assert result.stdout.count(reason) == 7
    assert "Sent 0 of 7 forms;" in result.stdout


def test_a_lead_with_no_address_is_reported_where_to_add_it(council: Path) -> None:
    _person(council, "stockton-rb", "initials: RB")
    with smtp_server() as (handler, port):
        mail_config(council, port)
        result = run_planreport(*REQUEST, "--send", cwd=council)
    assert result.returncode == 1
    assert (
        "plans/people.yaml:52:3: error: [no-email] RB ('stockton-rb') has no email address, so "
        f"their form (build/forms/{PAPER}-stockton-rb.xlsx) was not sent. Add 'email:' under "
        "'stockton-rb' in people.yaml and run the command again (nothing already sent goes "
        "twice), or send it yourself."
    ) in result.stdout
    assert _to(handler) == [_address(lead) for lead in LEADS if lead != "rb"]


def test_names_and_titles_cannot_add_headers(council: Path) -> None:
    _person(
        council,
        "stockton-rb",
        r'name: "RB\r\nBcc: evil@example.net", email: stockton-rb@example.org',
    )
    paper = council / "plans" / "papers" / f"{PAPER}.yaml"
    text = paper.read_text("utf-8")
    paper.write_text(f'title: "Update\\r\\nBcc: evil2@example.net"\n{text}', encoding="utf-8")
    with smtp_server() as (handler, port):
        mail_config(council, port)
        result = run_planreport(*REQUEST, "--lead", "stockton-rb", "--send", cwd=council)
        assert result.returncode == 0, result.stdout + result.stderr
    (received,) = handler.received
    assert received.recipients == [_address("rb")]
    assert received.message["Bcc"] is None
    assert received.message["To"] == '"RB Bcc: evil@example.net" <stockton-rb@example.org>'
    assert received.message["Subject"] == (
        "Update needed by 18 October 2013: Update Bcc: evil2@example.net"
    )


def test_names_addresses_and_subjects_beyond_ascii(council: Path) -> None:
    _person(council, "stockton-rb", "name: Siân Żółćowska, email: siân@example.org")
    paper = council / "plans" / "papers" / f"{PAPER}.yaml"
    paper.write_text(
        f"title: Plan d’amélioration – Ärger\n{paper.read_text('utf-8')}", encoding="utf-8"
    )
    with smtp_server() as (handler, port):
        mail_config(council, port)
        result = run_planreport(*REQUEST, "--lead", "stockton-rb", "--send", cwd=council)
        assert result.returncode == 0, result.stdout + result.stderr
    (received,) = handler.received
    assert received.recipients == ["siân@example.org"]
    assert received.message["To"].addresses[0].display_name == "Siân Żółćowska"
    assert received.message["Subject"] == (
        "Update needed by 18 October 2013: Plan d’amélioration – Ärger"
    )
    assert "Dear Siân Żółćowska," in received.text


def test_a_dry_run_writes_each_message_to_read_and_sends_nothing(council: Path) -> None:
    mail_config(council, free_port())  # nothing listens: a dry run must not connect
    result = run_planreport(*REQUEST, "--send", "--dry-run", cwd=council)
    assert result.returncode == 0, result.stdout + result.stderr
    folder = council / "build" / "mail" / f"{PAPER}-2013-09-20"
    assert sorted(p.name for p in folder.iterdir()) == [f"stockton-{x}.eml" for x in LEADS]
    message = email.message_from_bytes(
        (folder / "stockton-rb.eml").read_bytes(), policy=email.policy.default
    )
    assert message["To"] == "RB <stockton-rb@example.org>"
    assert "Please fill in the attached form" in message.get_body(("plain",)).get_content()
    (attached,) = message.iter_attachments()
    assert attached.get_filename() == f"{PAPER}-stockton-rb.xlsx"
    assert "This was a dry run: nothing was emailed." in result.stdout
    assert "sent:" not in (council / f"rounds/{PAPER}-2013-09-20.yaml").read_text("utf-8")


def test_a_password_variable_that_is_not_set_is_named(council: Path) -> None:
    with smtp_server() as (handler, port):
        mail_config(council, port, "  user: policy\n  password_env: NOT_SET_IN_THIS_TEST\n")
        result = run_planreport(*REQUEST, "--lead", "stockton-rb", "--send", cwd=council)
    assert result.returncode == 1
    assert (
        "planreport.yaml gives the user 'policy' but the environment variable "
        "NOT_SET_IN_THIS_TEST holding the password is not set." in result.stdout
    )
    assert handler.received == []
