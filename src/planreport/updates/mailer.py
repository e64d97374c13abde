"""Sending messages through the council's SMTP server, one at a time, each reported.

One connection serves a run. A recipient the server refuses, or a message it drops or
times out on, is that message's failure and the next is still sent (on a new connection
if the server closed this one); a server that cannot be reached or refuses the login
fails every message left, with the reason. Nothing here prints or writes files.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType

from planreport.updates.mailconfig import MailSettings


class CannotConnect(Exception):
    """The server cannot be reached, or will not let planreport in: no message can go."""


class NotSent(Exception):
    """A message the server did not take; the others may still go."""


class Mailer:
    """A connection to the SMTP server, opened on the first message and kept for the rest."""

    def __init__(self, settings: MailSettings) -> None:
        self.settings = settings
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def send(self, message: EmailMessage) -> None:
        """Send one message; NotSent or CannotConnect saying why not, in a user's words."""
        smtp = self.smtp or self._connect()
        try:
            refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise NotSent(_refusal("refused the address", exc.recipients)) from None
        except smtplib.SMTPSenderRefused as exc:
            raise NotSent(
                f"the server refused the from address ({_reply(exc.smtp_code, exc.smtp_error)})"
            ) from None
        except smtplib.SMTPDataError as exc:
            raise NotSent(
                f"the server refused the message ({_reply(exc.smtp_code, exc.smtp_error)})"
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise NotSent(
                "the address has characters outside ASCII and the server does not accept "
                "such addresses (SMTPUTF8)"
            ) from None
        except (smtplib.SMTPServerDisconnected, ConnectionError) as exc:
            self.close()
            if "timed out" in str(exc):  # smtplib reports a read that timed out so
                raise NotSent(self._late()) from None
            raise NotSent(
                "the server closed the connection before taking the message "
                f"({exc or 'no reason given'})"
            ) from None
        except TimeoutError:
            self.close()
            raise NotSent(self._late()) from None
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise NotSent(f"the server answered {_reply(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPException as exc:
            self.close()
            raise NotSent(f"the server would not take it ({exc})") from None
        if refused:
            raise NotSent(_refusal("refused the address", refused))

    def _late(self) -> str:
        """Why a message did not go when the server took too long."""
        return f"the server did not answer within {self.settings.timeout} seconds"

    def close(self) -> None:
        """End the connection, politely if the server is still there."""
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _connect(self) -> smtplib.SMTP:
        """Connect, encrypt and log in as the settings say; CannotConnect saying why not."""
        mail = self.settings
        where = f"{mail.host} port {mail.port}"
        password = mail.password()
        if mail.user and password is None:
            raise CannotConnect(
                f"planreport.yaml gives the user '{mail.user}' but the environment variable "
                f"{mail.password_env} holding the password is not set. Set it in the shell "
                "that runs planreport (never in a file in the repository)."
            )
        try:
            smtp = self._open()
            if mail.user and password is not None:
                smtp.login(mail.user, password)
        except smtplib.SMTPAuthenticationError as exc:
            raise CannotConnect(
                f"the server at {where} refused the user name or password "
                f"({_reply(exc.smtp_code, exc.smtp_error)}). Check 'user' in planreport.yaml "
                f"and the password in {mail.password_env}."
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise CannotConnect(
                f"the server at {where} does not offer a login (AUTH) on this connection. "
                "Check 'security' (most servers offer it only once the connection is "
                "encrypted) and whether 'user' is needed at all."
            ) from None
        except ssl.SSLError as exc:
            raise CannotConnect(
                f"could not make an encrypted connection to {where} ({exc.reason or exc}). "
                "Check 'security' and 'port' in planreport.yaml with your IT team."
            ) from None
        except TimeoutError:
            raise CannotConnect(
                f"the server at {where} did not answer within {mail.timeout} seconds."
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            why = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
            raise CannotConnect(
                f"could not reach the server at {where} ({why}). Check 'host' and 'port' in "
                "planreport.yaml."
            ) from None
        self.smtp = smtp
        return smtp

    def _open(self) -> smtplib.SMTP:
        """The connection, encrypted as the settings say."""
        mail = self.settings
        assert mail.host is not None  # checked before any message is made
        if mail.security == "tls":
            return smtplib.SMTP_SSL(
                mail.host, mail.port, timeout=mail.timeout, context=ssl.create_default_context()
            )
        smtp = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout)
        if mail.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        return smtp


def _reply(code: int, text: bytes | str) -> str:
    """A server's reply as '550 no such user'."""
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}".strip()


def _refusal(what: str, refused: dict[str, tuple[int, bytes]]) -> str:
    """'the server refused the address x (550 ...)'."""
    return "; ".join(
        f"the server {what} {who} ({_reply(*reply)})" for who, reply in refused.items()
    )
