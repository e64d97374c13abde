"""Sending over STARTTLS and implicit TLS to a server on localhost with its own certificate.

The certificate is made for the test and trusted through SSL_CERT_FILE, as a council
would name its own bundle; a certificate that is not trusted stops every message.
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.conftest import run_planreport
from tests.mail_server import Handler, example_copy, free_port, mail_config, self_signed

REQUEST = ("request", "--paper", "stockton-ofsted-2013-09", "--date", "2013-09-20")


def _login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    """Let the test's user in with the test's password."""
    return AuthResult(success=(auth_data.login, auth_data.password) == (b"policy", b"s3cret"))


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_encrypted_sending_with_a_login(tmp_path: Path, security: str) -> None:
    root = example_copy(tmp_path / "council")
    cert, key = self_signed(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler, port = Handler(), free_port()
    tls = {"tls_context": context, "require_starttls": True}
    # aiosmtpd offers AUTH on an implicit TLS connection only if told TLS is not needed
    implicit = {"ssl_context": context, "auth_require_tls": False}
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=_login,
        **(tls if security == "starttls" else implicit),
    )
    controller.start()
    try:
        mail_config(root, port, "  user: policy\n  password_env: TEST_SMTP_PASSWORD\n")
        config = root / "planreport.yaml"
        config.write_text(config.read_text().replace("security: none", f"security: {security}"))
        env = {**os.environ, "SSL_CERT_FILE": str(cert), "TEST_SMTP_PASSWORD": "s3cret"}
        result = run_planreport(*REQUEST, "--lead", "stockton-rb", "--send", cwd=root, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        assert [m.recipients for m in handler.received] == [["stockton-rb@example.org"]]
        untrusted = run_planreport(
            *REQUEST, "--lead", "stockton-mg", "--send", cwd=root, env={**env, "SSL_CERT_FILE": ""}
        )
    finally:
        controller.stop()
    assert untrusted.returncode == 1
    assert (
        f"not sent to stockton-mg@example.org (stockton-mg): could not make an encrypted "
        f"connection to 127.0.0.1 port {port} (CERTIFICATE_VERIFY_FAILED)." in untrusted.stdout
    )
