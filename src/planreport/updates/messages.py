"""Email messages to leads: a letter of paragraphs and lists, as plain text and HTML.

Every message is made with the standard library's `EmailMessage` (headers encoded as RFC
2047 needs, no hand-made MIME). Names and subjects come from plans and people.yaml, which
are untrusted: each header value is one line (line breaks and control characters become
spaces), and each address must be an address alone, or the message is not made.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from planreport.updates.mailconfig import MailSettings

# An address alone: no name, spaces, angle brackets or line breaks (people.schema.json's).
ADDRESS = re.compile(r'[^\s@<>()\[\],;:"\\]+@[^\s@<>()\[\],;:"\\.]+(\.[^\s@<>()\[\],;:"\\.]+)+')
# Line breaks and control characters a header must not hold (CR and LF would start a header).
_BREAKS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
MAX_SUBJECT = 200


class BadAddress(ValueError):
    """An address that is not one address alone; the message says which."""


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message."""

    filename: str
    data: bytes
    maintype: str
    subtype: str


@dataclass
class Letter:
    """What a message says: to whom, its subject, and its parts (a paragraph or a list)."""

    to_name: str
    to_address: str
    subject: str
    parts: list[str | list[str] | tuple[str, ...]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    def say(self, *paragraphs: str) -> None:
        """Add paragraphs."""
        self.parts += paragraphs

    def points(self, items: list[str]) -> None:
        """Add a list."""
        if items:
            self.parts.append(list(items))

    def steps(self, items: list[str]) -> None:
        """Add numbered steps."""
        self.parts.append(tuple(items))


def one_line(text: str, limit: int = 500) -> str:
    """Text made safe for a header: one line, spaces collapsed, at most limit characters."""
    flat = " ".join(_BREAKS.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def capital(text: str) -> str:
    """Text with its first letter a capital: 'action 1.10' as a line starts it."""
    return text[:1].upper() + text[1:]


def address(value: str, name: str | None = None) -> Address:
    """An address with its display name; BadAddress if value is not one address alone."""
    if not ADDRESS.fullmatch(value):
        raise BadAddress(f"'{one_line(value, 80)}' is not an email address")
    local, _at, domain = value.rpartition("@")
    return Address(display_name=one_line(name or ""), username=local, domain=domain)


def plain(letter: Letter) -> str:
    """The letter as plain text: paragraphs apart, list items as '- ' lines."""
    blocks = []
    for part in letter.parts:
        if isinstance(part, list):
            blocks.append("\n".join(f"- {item}" for item in part))
        elif isinstance(part, tuple):
            blocks.append("\n".join(f"{n}. {item}" for n, item in enumerate(part, 1)))
        else:
            blocks.append(part)
    return "\n\n".join(blocks) + "\n"


def as_html(letter: Letter) -> str:
    """The letter as a small HTML document, every text escaped."""
    body = []
    for part in letter.parts:
        if isinstance(part, list | tuple):
            items = "".join(f"<li>{html.escape(item)}</li>" for item in part)
            tag = "ol" if isinstance(part, tuple) else "ul"
            body.append(f"<{tag}>{items}</{tag}>")
        else:
            text = "<br>".join(html.escape(line) for line in part.split("\n"))
            body.append(f"<p>{text}</p>")
    title = html.escape(one_line(letter.subject, MAX_SUBJECT))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n"
        '<body style="font-family: Arial, sans-serif; font-size: 12pt">\n'
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def compose(settings: MailSettings, letter: Letter) -> EmailMessage:
    """The message: headers from the settings and letter, plain text, HTML, attachments."""
    if not settings.sender:
        raise BadAddress("there is no from address in planreport.yaml's mail section")
    message = EmailMessage()
    sender = address(settings.sender, settings.sender_name)
    message["From"] = sender
    message["To"] = address(letter.to_address, letter.to_name)
    if settings.reply_to:
        message["Reply-To"] = address(settings.reply_to, settings.sender_name)
    message["Subject"] = one_line(letter.subject, MAX_SUBJECT)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid("planreport", domain=sender.domain)
    message.set_content(plain(letter))
    message.add_alternative(as_html(letter), subtype="html")
    for item in letter.attachments:
        message.add_attachment(
            item.data,
            maintype=item.maintype,
            subtype=item.subtype,
            filename=one_line(item.filename, 200),
        )
    return message


def as_bytes(message: EmailMessage) -> bytes:
    """The message as a .eml file holds it (UTF-8 headers only where an address needs them)."""
    addresses = [a.addr_spec for key in ("From", "To") for a in message[key].addresses]
    if all(spec.isascii() for spec in addresses):
        return message.as_bytes()
    return message.as_bytes(policy=message.policy.clone(utf8=True))
