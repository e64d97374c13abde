"""planreport.yaml's mail section: its defaults, check's located errors, and what sending needs."""

from __future__ import annotations

from pathlib import Path

from planreport.plan import config
from planreport.project import Project
from planreport.updates import mailconfig
from tests.conftest import run_planreport


def _project(tmp_path: Path, mail: str) -> Path:
    """A project with no plans and this mail section."""
    (tmp_path / "plans").mkdir(parents=True)
    (tmp_path / "planreport.yaml").write_text(f"mail:\n{mail}", encoding="utf-8")
    return tmp_path


def test_the_mail_settings_and_their_defaults(tmp_path: Path) -> None:
    root = _project(tmp_path, "  host: smtp.example.org\n  from: policy@example.org\n")
    loaded = config.load(Project(root))
    assert loaded.problems == []
    assert loaded.value is not None
    settings = mailconfig.settings(loaded.value)
    assert (settings.host, settings.port, settings.security) == (
        "smtp.example.org",
        587,
        "starttls",
    )
    assert (settings.password_env, settings.timeout) == ("PLANREPORT_SMTP_PASSWORD", 30)
    tls = mailconfig.settings(
        config.load(Project(_project(tmp_path / "t", "  security: tls\n"))).value
    )
    assert tls.port == 465


def test_check_refuses_unencrypted_mail_to_another_computer(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "  host: smtp.example.org\n  port: 25\n  security: none\n  from: policy@example.org\n",
    )
    result = run_planreport("check", "planreport.yaml", cwd=root)
    assert result.returncode == 1
    assert (
        "planreport.yaml:4:13: error: [mail-insecure] security 'none' sends the messages and "
        "the password unencrypted to smtp.example.org, another computer. Use 'starttls' or "
        "'tls'; 'none' is only for a server on this computer (localhost)."
    ) in result.stdout
    sent = run_planreport("request", "--send", cwd=root)
    assert sent.returncode == 2
    assert "[mail-insecure]" not in sent.stderr
    assert "planreport.yaml:4:13: security 'none' sends the messages" in sent.stderr


def test_none_is_allowed_to_this_computer(tmp_path: Path) -> None:
    for host in ("localhost", "127.0.0.1", "::1"):
        root = _project(tmp_path / host, f"  host: '{host}'\n  security: none\n")
        assert mailconfig.problems(config.load(Project(root)).value) == []


def test_bad_values_are_located_errors(tmp_path: Path) -> None:
    root = _project(
        tmp_path,
        "  host: smtp.example.org\n  port: 70000\n  from: Policy <policy@example.org>\n"
        "  password_env: hunter2 is my password\n  securty: tls\n",
    )
    result = run_planreport("check", "planreport.yaml", cwd=root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith("planreport.yaml:3:9: error: [bad-value]") for line in lines)
    assert any(
        line.startswith("planreport.yaml:4:9: error: [bad-value]")
        and "write the address the messages are from alone" in line
        for line in lines
    )
    assert any(
        line.startswith("planreport.yaml:5:17: error: [bad-value]")
        and "the NAME of the environment variable" in line
        for line in lines
    )
    assert any(line.startswith("planreport.yaml:6:3: error: [unknown-key]") for line in lines)


def test_sending_needs_a_server_and_a_from_address(tmp_path: Path) -> None:
    root = _project(tmp_path, "  port: 25\n")
    result = run_planreport("request", "--send", cwd=root)
    assert result.returncode == 2
    assert result.stderr == (
        "planreport request: planreport.yaml's mail section has no 'host' and 'from', so "
        "planreport cannot send the messages. Add them (docs/configuration.md).\n"
    )
