"""Outgoing mail: one function, ``send_mail``, over SMTP or into a folder.

FORUM_MAIL_URL names the server:

- ``smtp://user:pass@host:25``: plain SMTP (add ``?starttls=1`` to upgrade to TLS);
- ``smtp+starttls://user:pass@host:587``: SMTP upgraded to TLS with STARTTLS;
- ``smtps://user:pass@host:465``: SMTP over TLS from the first byte.

The user and password are percent-decoded (write ``@`` as ``%40``). Without
FORUM_MAIL_URL each message is saved as an ``.eml`` file in FORUM_MAIL_DIR
(``instance/mail/``), so a fresh install works with nothing else running.
"""

import secrets
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

from forum.extensions import utcnow

SCHEMES = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
YES = {"1", "true", "yes", "on"}


class MailError(Exception):
    """A message could not be handed to the mail server."""


@dataclass(frozen=True)
class MailServer:
    """Where and how to connect to send mail."""

    host: str
    port: int
    security: str  # "none", "starttls" or "tls"
    username: str | None
    password: str | None


def parse_mail_url(url: str) -> MailServer:
    """Return the server a FORUM_MAIL_URL names, or raise ValueError saying why not."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(
            f"FORUM_MAIL_URL must start with smtp://, smtp+starttls:// or smtps://, "
            f"not {parts.scheme or 'nothing'}."
        )
    if not parts.hostname:
        raise ValueError("FORUM_MAIL_URL names no host.")
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError:
        raise ValueError("FORUM_MAIL_URL has a port that is not a number.") from None
    starttls = parse_qs(parts.query).get("starttls", [""])[-1].lower() in YES
    if scheme == "smtps":
        security = "tls"
    elif scheme == "smtp+starttls" or starttls:
        security = "starttls"
    else:
        security = "none"
    return MailServer(
        host=parts.hostname,
        port=port,
        security=security,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def mail_configured() -> bool:
    """Tell whether mail goes to a server rather than into the mail folder."""
    return bool(current_app.config.get("MAIL_URL"))


def build_message(to: str, subject: str, text: str, html: str | None = None):
    """Return a message with a plain-text body and, if given, an HTML alternative."""
    sender = current_app.config["MAIL_FROM"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(utcnow().timestamp(), localtime=False)
    message["Message-ID"] = make_msgid(domain=domain)
    # Tells mail servers and out-of-office replies that no person sent this.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def send_mail(to: str, subject: str, text: str, html: str | None = None) -> None:
    """Send one message, or save it to the mail folder; raise MailError on failure."""
    message = build_message(to, subject, text, html)
    url = current_app.config.get("MAIL_URL")
    if not url:
        path = _save(message)
        current_app.logger.warning(
            "No mail server is configured (FORUM_MAIL_URL): saved %r for %s to %s",
            subject,
            to,
            path,
        )
        return
    try:
        server = parse_mail_url(url)
    except ValueError as error:
        raise MailError(str(error)) from None
    try:
        _deliver(server, message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(
            f"Could not send mail through {server.host}:{server.port}: {error}"
        ) from error


def _deliver(server: MailServer, message: EmailMessage) -> None:
    """Hand the message to the SMTP server."""
    timeout = current_app.config["MAIL_TIMEOUT_SECONDS"]
    context = ssl.create_default_context()
    if server.security == "tls":
        connection = smtplib.SMTP_SSL(
            server.host, server.port, timeout=timeout, context=context
        )
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=timeout)
    with connection as smtp:
        if server.security == "starttls":
            smtp.starttls(context=context)
        if server.username:
            smtp.login(server.username, server.password or "")
        smtp.send_message(message)


def _save(message: EmailMessage) -> Path:
    """Write the message into the mail folder as an .eml file and return its path."""
    folder = Path(current_app.config["MAIL_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.eml"
    path = folder / name
    path.write_bytes(message.as_bytes())
    # Messages may hold sign-in links: readable by the app's user only.
    path.chmod(0o600)
    return path
