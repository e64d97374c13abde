"""A real SMTP server on localhost for the email tests (aiosmtpd), keeping what it receives.

Its handler can refuse chosen recipients, refuse every message, answer too slowly, or
drop the connection in the middle of a message. Nothing reaches beyond this computer.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.conftest import ROOT


@dataclass
class Received:
    """One message the server took: the envelope and the parsed message."""

    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        """The plain-text body, with its lines ending as Python's do."""
        return self.message.get_body(("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        """The HTML body."""
        return self.message.get_body(("html",)).get_content()

    def attachments(self) -> dict[str, bytes]:
        """Each attachment's bytes by its file name."""
        return {
            part.get_filename(): part.get_payload(decode=True)
            for part in self.message.iter_attachments()
        }


@dataclass
class Handler:
    """What the server does: keep messages, or refuse, stall or drop as asked."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)  # recipients refused at RCPT
    refuse_all: bool = False  # every message refused at the end of DATA
    stall: float = 0.0  # seconds to wait before answering DATA
    drop_first: int = 0  # this many messages have their connection dropped mid-DATA

    async def handle_RCPT(self, server, session, envelope, address, options):
        """Refuse a recipient in refuse; take the rest."""
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Keep the message, unless asked to stall, drop or refuse."""
        if self.drop_first > 0:
            self.drop_first -= 1
            server.transport.abort()
            return "421 dropped"
        if self.stall:
            await asyncio.sleep(self.stall)
        if self.refuse_all:
            return "554 5.7.1 Message refused"
        text = envelope.original_content.decode("utf-8")  # UTF-8 headers under SMTPUTF8
        message = email.message_from_string(text, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def example_copy(root: Path) -> Path:
    """A copy of this repository's plans and templates at root, to make and send forms in."""
    shutil.copytree(ROOT / "plans", root / "plans")
    shutil.copytree(ROOT / "templates", root / "templates")
    return root


def free_port() -> int:
    """A port on localhost nothing is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(handler: Handler | None = None) -> Iterator[tuple[Handler, int]]:
    """A running server on 127.0.0.1 and its port; stopped at the end."""
    handler = handler or Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def mail_config(root: Path, port: int, extra: str = "") -> None:
    """Point the project's planreport.yaml at the test server on port."""
    (root / "planreport.yaml").write_text(
        "council:\n  name: Example Council\nmail:\n  host: 127.0.0.1\n"
        f"  port: {port}\n  security: none\n  from: policy@example.org\n"
        f"  from_name: Policy Team\n  timeout: 2\n{extra}",
        encoding="utf-8",
    )


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, and its key, made for the test."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert, secret = folder / "cert.pem", folder / "key.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    secret.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, secret
