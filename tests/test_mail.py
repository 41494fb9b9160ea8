"""Outgoing mail: SMTP delivery, the mail folder without a server, mail URLs."""

import logging
import socket
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from forum.mail import MailError, MailServer, parse_mail_url, send_mail


def free_port() -> int:
    """Return a local TCP port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_mail_goes_out_as_plain_text_with_an_html_alternative(app, smtp_server):
    """A message with HTML is multipart/alternative: plain text first, then HTML."""
    app.config["MAIL_URL"] = smtp_server.url
    app.config["MAIL_FROM"] = "Knowhow <knowhow@example.com>"
    send_mail("ana@example.com", "Hello", "Plain words.", "<p>Rich words.</p>")
    [message] = smtp_server.messages
    assert message["From"] == "Knowhow <knowhow@example.com>"
    assert message["To"] == "ana@example.com"
    assert message["Subject"] == "Hello"
    assert message["Message-ID"].endswith("@example.com>")
    assert message["Date"]
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert message.get_body(("plain",)).get_content().strip() == "Plain words."
    assert message.get_body(("html",)).get_content().strip() == "<p>Rich words.</p>"


def test_mail_without_html_is_plain_text(app, smtp_server):
    """A message without HTML is a single text/plain part."""
    app.config["MAIL_URL"] = smtp_server.url
    send_mail("ana@example.com", "Hello", "Only plain words.")
    [message] = smtp_server.messages
    assert message.get_content_type() == "text/plain"
    assert message.get_content().strip() == "Only plain words."


def test_without_a_mail_server_mail_is_saved_to_the_mail_folder(app, caplog):
    """With no FORUM_MAIL_URL, each message becomes an .eml file, and is logged."""
    assert app.config["MAIL_URL"] is None
    with caplog.at_level(logging.WARNING, logger="forum"):
        send_mail("ana@example.com", "Hello", "Plain words.", "<p>Rich.</p>")
        send_mail("bo@example.com", "Hi", "More words.")
    paths = sorted(Path(app.config["MAIL_DIR"]).glob("*.eml"))
    assert len(paths) == 2
    assert all(path.stat().st_mode & 0o777 == 0o600 for path in paths)
    messages = [
        message_from_bytes(p.read_bytes(), policy=default_policy) for p in paths
    ]
    assert {m["To"] for m in messages} == {"ana@example.com", "bo@example.com"}
    assert "No mail server is configured" in caplog.text
    assert str(paths[0]) in caplog.text or str(paths[1]) in caplog.text


def test_a_mail_server_that_is_down_raises_mail_error(app):
    """When the mail server cannot be reached, send_mail raises MailError."""
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{free_port()}"
    app.config["MAIL_TIMEOUT_SECONDS"] = 2
    with pytest.raises(MailError, match="Could not send mail through 127.0.0.1"):
        send_mail("ana@example.com", "Hello", "Plain words.")


def test_a_bad_mail_url_raises_mail_error(app):
    """A FORUM_MAIL_URL with an unknown scheme raises MailError saying so."""
    app.config["MAIL_URL"] = "http://mail.example.com"
    with pytest.raises(MailError, match="must start with smtp://"):
        send_mail("ana@example.com", "Hello", "Plain words.")


@pytest.fixture
def auth_smtp_server():
    """Run an SMTP server that asks for a login and records the credentials."""
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        """Accept any login and remember it (called by aiosmtpd)."""
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)

    class Handler:
        """Accept every message."""

        async def handle_DATA(self, server, session, envelope):
            """Accept the message."""
            return "250 Message accepted"

    port = free_port()
    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    yield port, logins
    controller.stop()


def test_the_mail_login_is_percent_decoded(app, auth_smtp_server):
    """The user and password in FORUM_MAIL_URL are percent-decoded before login."""
    port, logins = auth_smtp_server
    app.config["MAIL_URL"] = (
        f"smtp://knowhow%40example.com:p%40ss%3Aw%2Fd@127.0.0.1:{port}"
    )
    send_mail("ana@example.com", "Hello", "Plain words.")
    assert logins == [("knowhow@example.com", "p@ss:w/d")]


@pytest.mark.parametrize(
    ("url", "server"),
    [
        (
            "smtp://mail.example.com",
            MailServer("mail.example.com", 25, "none", None, None),
        ),
        (
            "smtp://u:p@mail.example.com:2525?starttls=1",
            MailServer("mail.example.com", 2525, "starttls", "u", "p"),
        ),
        (
            "smtp+starttls://u%40x.com:p%25@mail.example.com",
            MailServer("mail.example.com", 587, "starttls", "u@x.com", "p%"),
        ),
        (
            "smtps://u:@mail.example.com",
            MailServer("mail.example.com", 465, "tls", "u", ""),
        ),
        (
            "SMTPS://mail.example.com:1465",
            MailServer("mail.example.com", 1465, "tls", None, None),
        ),
    ],
)
def test_mail_urls_name_host_port_security_and_login(url, server):
    """A mail URL gives host, port (by scheme by default), TLS mode and login."""
    assert parse_mail_url(url) == server


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mail.example.com", "must start with"),
        ("imap://mail.example.com", "must start with"),
        ("smtp://", "names no host"),
        ("smtp://mail.example.com:port", "not a number"),
    ],
)
def test_bad_mail_urls_are_refused_with_a_reason(url, message):
    """A mail URL without a known scheme, a host or a numeric port is refused."""
    with pytest.raises(ValueError, match=message):
        parse_mail_url(url)
