"""The `mail` section of planreport.yaml typed for sending, and the rules `check` adds to it.

The password is never in the file: only the name of the environment variable holding it,
read when a message is sent.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass

from planreport.plan.config import Config
from planreport.problems import Problem, Severity

DEFAULT_PASSWORD_ENV = "PLANREPORT_SMTP_PASSWORD"
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_TIMEOUT = 30


@dataclass(frozen=True)
class MailSettings:
    """How to reach the council's SMTP server, and whom messages are from."""

    host: str | None = None
    port: int = DEFAULT_PORTS["starttls"]
    security: str = "starttls"
    user: str | None = None
    password_env: str = DEFAULT_PASSWORD_ENV
    sender: str | None = None
    sender_name: str | None = None
    reply_to: str | None = None
    timeout: int = DEFAULT_TIMEOUT

    def password(self) -> str | None:
        """The password, from its environment variable (None if it is not set)."""
        return os.environ.get(self.password_env) or None


def settings(config: Config) -> MailSettings:
    """The mail section with its defaults filled in."""
    section = config.section("mail")
    security = section.get("security", "starttls")
    return MailSettings(
        host=section.get("host"),
        port=int(section.get("port", DEFAULT_PORTS[security])),
        security=security,
        user=section.get("user"),
        password_env=section.get("password_env", DEFAULT_PASSWORD_ENV),
        sender=section.get("from"),
        sender_name=section.get("from_name"),
        reply_to=section.get("reply_to"),
        timeout=int(section.get("timeout", DEFAULT_TIMEOUT)),
    )


def missing(config: Config, dry_run: bool = False) -> str | None:
    """What sending (or a dry run) needs that the mail section lacks, as a sentence."""
    mail = settings(config)
    wanted = (("from", mail.sender),) if dry_run else (("host", mail.host), ("from", mail.sender))
    needed = [key for key, value in wanted if not value]
    if not needed:
        return None
    keys = " and ".join(f"'{key}'" for key in needed)
    return (
        f"planreport.yaml's mail section has no {keys}, so planreport cannot "
        f"{'write' if dry_run else 'send'} the messages. Add "
        f"{'it' if len(needed) == 1 else 'them'} (docs/configuration.md)."
    )


def problems(config: Config) -> list[Problem]:
    """What `check` adds to the mail section's schema: no unencrypted mail off this computer."""
    mail = settings(config)
    if mail.security != "none" or mail.host is None or is_local(mail.host):
        return []
    where = config.where("mail", "security")
    return [
        Problem(
            where,
            Severity.ERROR,
            "mail-insecure",
            f"security 'none' sends the messages and the password unencrypted to "
            f"{mail.host}, another computer. Use 'starttls' or 'tls'; 'none' is only for a "
            "server on this computer (localhost).",
        )
    ]


def is_local(host: str) -> bool:
    """Whether host names this computer: localhost or a loopback address."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
