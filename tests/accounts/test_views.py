"""Account pages: register, log in and out, passwords, resets, sessions, profiles."""

import logging
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select

from forum.accounts.models import LoginAttempt, User
from forum.extensions import db

PASSWORD = "correct horse battery"  # the make_user factory's default
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def devices(app, make_app):
    """Return a factory of test clients that behave like separate browsers."""
    # Requests from the `client` fixture reuse the test's app context, so `g`, where
    # Flask-Login caches the user, carries one client's login into another's
    # requests. A second app on the same database pushes a fresh context per request.
    return make_app().test_client


def log_in(client, email, password=PASSWORD, *, remember=False, url="/login"):
    """Post the login form from a client."""
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post(url, data=data)


def set_cookies(response) -> dict[str, str]:
    """Return the Set-Cookie headers of a response by cookie name."""
    headers = response.headers.getlist("Set-Cookie")
    return {header.split("=", 1)[0]: header for header in headers}


def is_logged_in(client) -> bool:
    """Tell whether a client can open a page that needs a login."""
    response = client.get("/account/profile")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/login")
        return False
    assert response.status_code == 200
    return True


def text(response) -> str:
    """Return a response's body as text."""
    return response.get_data(as_text=True)


# ---- registering -------------------------------------------------------------


def test_register_page_shows_the_form(client):
    """The register page asks for a display name, an email and a password."""
    page = text(client.get("/register"))
    for name in ("display_name", "email", "password"):
        assert f'name="{name}"' in page


def test_registering_creates_a_member_and_logs_them_in(devices):
    """Registering stores a hashed password, makes a member and logs them in."""
    browser = devices()
    response = browser.post(
        "/register",
        data={
            "display_name": "Ana Lima",
            "email": "Ana@Example.com",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert is_logged_in(browser)
    user = db.session.scalar(select(User).where(User.email == "ana@example.com"))
    assert user.role == "member"
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_short_password_keeps_what_was_typed(client):
    """A short password is refused with 422 and the form keeps name and email."""
    response = client.post(
        "/register",
        data={"display_name": "Ana Lima", "email": "ana@example.com", "password": "x1"},
    )
    assert response.status_code == 422
    page = text(response)
    assert "Use at least 8 characters." in page
    assert 'value="Ana Lima"' in page
    assert 'value="ana@example.com"' in page
    assert 'value="x1"' not in page
    assert "Your other entries are kept; type your password again." in page
    assert "Nothing you typed has been lost." not in page
    assert db.session.scalar(select(User)) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "password", "This password is too common"),
        ("email", "not-an-email", "Enter a valid email address."),
        ("display_name", "A", "Use 2 to 40 characters."),
        ("display_name", "", "Enter the name others will see."),
        ("email", "", "Enter your email address."),
        ("password", "", "Choose a password."),
    ],
)
def test_every_register_field_shows_its_error(client, field, value, message):
    """Each register field shows its own error and the other fields keep their text."""
    data = {
        "display_name": "Ana Lima",
        "email": "ana@example.com",
        "password": PASSWORD,
    }
    data[field] = value
    response = client.post("/register", data=data)
    assert response.status_code == 422
    page = text(response)
    assert message in page
    assert f'id="{field}-error"' in page
    for other in ("display_name", "email"):
        if other != field:
            assert f'value="{escape(data[other])}"' in page


def test_duplicate_email_is_explained(client, make_user):
    """Registering an email that has an account says so and keeps the form."""
    make_user(email="ana@example.com")
    response = client.post(
        "/register",
        data={
            "display_name": "Ana Two",
            "email": "ANA@example.com",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 422
    page = text(response)
    assert "An account with this email already exists. Log in instead." in page
    assert 'value="Ana Two"' in page
    assert 'value="ANA@example.com"' in page


# ---- logging in and out ------------------------------------------------------


def test_login_cookie_is_httponly_and_samesite_lax(client, make_user):
    """The session cookie is HttpOnly and SameSite=Lax, and not Secure over HTTP."""
    user = make_user()
    response = log_in(client, user.email)
    assert response.status_code == 302
    session_cookie = set_cookies(response)["session"]
    assert "HttpOnly" in session_cookie
    assert "SameSite=Lax" in session_cookie
    assert "Secure" not in session_cookie


def test_without_remember_me_no_remember_cookie_is_set(client, make_user):
    """Logging in without "keep me logged in" sets no remember cookie."""
    user = make_user()
    response = log_in(client, user.email)
    assert "remember_token" not in set_cookies(response)
    assert client.get_cookie("remember_token") is None


def test_remember_me_sets_a_remember_cookie(client, make_user):
    """Logging in with "keep me logged in" sets an HttpOnly, Lax remember cookie."""
    user = make_user()
    response = log_in(client, user.email, remember=True)
    cookie = set_cookies(response)["remember_token"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_cookies_are_secure_over_https(app, make_app, make_user, monkeypatch):
    """With FORUM_HTTPS=1 the session and remember cookies are Secure."""
    monkeypatch.setenv("FORUM_HTTPS", "1")
    https_app = make_app()
    assert https_app.config["SESSION_COOKIE_SECURE"] is True
    assert https_app.config["REMEMBER_COOKIE_SECURE"] is True
    user = make_user()
    response = log_in(https_app.test_client(), user.email, remember=True)
    cookies = set_cookies(response)
    assert "Secure" in cookies["session"]
    assert "Secure" in cookies["remember_token"]


def test_wrong_password_keeps_the_email(client, make_user):
    """A wrong password is refused with 422 and the form keeps the email."""
    user = make_user()
    response = log_in(client, user.email, "not my password")
    assert response.status_code == 422
    page = text(response)
    assert "Email or password is incorrect." in page
    assert f'value="{user.email}"' in page
    assert 'value="not my password"' not in page
    assert "Your other entries are kept; type your password again." in page
    assert "Nothing you typed has been lost." not in page


def test_sixth_failed_login_is_rate_limited(client, make_user):
    """After 5 failures the next login, even right, gets 429 and keeps the email."""
    user = make_user()
    for _ in range(5):
        assert log_in(client, user.email, "not my password").status_code == 422
    response = log_in(client, user.email)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "900"
    page = text(response)
    assert "Too many failed attempts" in page
    assert "Forgot your password?" in page
    assert 'href="/account/forgot-password"' in page
    assert f'value="{user.email}"' in page
    assert not is_logged_in(client)


def test_login_follows_a_local_next(client, make_user):
    """After logging in, a local `next` path is followed."""
    user = make_user()
    response = log_in(client, user.email, url="/login?next=/questions/ask")
    assert response.headers["Location"] == "/questions/ask"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"],
)
def test_login_ignores_an_offsite_next(client, make_user, target):
    """A `next` that leaves the site is ignored: login goes home instead."""
    user = make_user()
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_register_ignores_an_offsite_next(client):
    """Registering with an offsite `next` goes home instead."""
    response = client.post(
        "/register",
        query_string={"next": "https://evil.example/"},
        data={
            "display_name": "Ana Lima",
            "email": "a@example.com",
            "password": PASSWORD,
        },
    )
    assert response.headers["Location"] == "/"


def test_logging_out_ends_the_session(devices, make_user):
    """Logging out (by POST) ends the session in that browser."""
    user = make_user()
    browser = devices()
    log_in(browser, user.email)
    assert is_logged_in(browser)
    assert browser.get("/logout").status_code == 405
    response = browser.post("/logout")
    assert response.headers["Location"] == "/"
    assert not is_logged_in(browser)


def test_login_required_pages_send_visitors_to_log_in(client):
    """A visitor opening a members' page is sent to log in and then back."""
    for path in ("/account/profile", "/account/password", "/questions/ask"):
        response = client.get(path)
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        assert location.path == "/login"
        assert parse_qs(location.query)["next"] == [path]


# ---- passwords and sessions --------------------------------------------------


def test_change_password_shows_field_errors(client, auth, make_user):
    """A wrong current password or a weak new one is refused with 422."""
    user = make_user()
    auth.login(user)
    wrong = client.post(
        "/account/password",
        data={"current_password": "nope nope", "new_password": "a new secret here"},
    )
    assert wrong.status_code == 422
    assert "This is not your current password." in text(wrong)
    weak = client.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "short"},
    )
    assert weak.status_code == 422
    assert "Use at least 8 characters." in text(weak)
    empty = client.post("/account/password", data={})
    assert empty.status_code == 422
    assert "Enter your current password." in text(empty)
    assert "Choose a new password." in text(empty)


def test_change_password_reports_every_problem_at_once(client, auth, make_user):
    """A wrong current password and a short new one are both shown, in one answer."""
    user = make_user()
    auth.login(user)
    response = client.post(
        "/account/password",
        data={"current_password": "nope nope", "new_password": "short"},
    )
    assert response.status_code == 422
    page = text(response)
    assert "This is not your current password." in page
    assert "Use at least 8 characters." in page
    assert "Please fix 2 problems below." in page
    assert "For your security, type your passwords again." in page
    empty = text(client.post("/account/password", data={"new_password": "short"}))
    assert "Enter your current password." in empty
    assert "Use at least 8 characters." in empty


def test_changing_the_password_ends_other_sessions_only(devices, make_user):
    """A password change keeps this browser logged in and logs out every other."""
    user = make_user()
    mine, other = devices(), devices()
    log_in(mine, user.email)
    log_in(other, user.email)
    assert is_logged_in(other)
    response = mine.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a new secret here"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/users/{user.id}"
    assert is_logged_in(mine)
    assert not is_logged_in(other)
    assert log_in(other, user.email).status_code == 422
    assert log_in(other, user.email, "a new secret here").status_code == 302


def test_log_out_everywhere_ends_every_session(devices, make_user):
    """ "Log out everywhere" ends the sessions of every browser, this one included."""
    user = make_user()
    mine, other = devices(), devices()
    log_in(mine, user.email)
    log_in(other, user.email)
    response = mine.post("/account/logout-everywhere")
    assert response.headers["Location"] == "/login"
    assert not is_logged_in(mine)
    assert not is_logged_in(other)


@pytest.mark.parametrize("ending", ["logout-everywhere", "password"])
def test_remember_cookies_stop_working_when_sessions_end(devices, make_user, ending):
    """A remember cookie stops working after a password change or log out everywhere."""
    user = make_user()
    mine, other = devices(), devices()
    log_in(mine, user.email)
    log_in(other, user.email, remember=True)
    # Without its session cookie, the remembered browser still gets in.
    other.delete_cookie("session")
    assert other.get_cookie("remember_token") is not None
    assert is_logged_in(other)
    if ending == "password":
        mine.post(
            "/account/password",
            data={"current_password": PASSWORD, "new_password": "a new secret here"},
        )
    else:
        mine.post("/account/logout-everywhere")
    other.delete_cookie("session")
    assert other.get_cookie("remember_token") is not None
    assert not is_logged_in(other)


def test_changing_the_password_keeps_this_browser_remembered(devices, make_user):
    """After a password change, "keep me logged in" still works in this browser."""
    user = make_user()
    mine = devices()
    log_in(mine, user.email, remember=True)
    mine.post(
        "/account/password",
        data={"current_password": PASSWORD, "new_password": "a new secret here"},
    )
    mine.delete_cookie("session")
    assert is_logged_in(mine)


# ---- forgotten passwords -----------------------------------------------------

NEW_PASSWORD = "a fresh start at last"
RESET_LINK = re.compile(r"https?://\S+/account/reset-password/\S+")
NEUTRAL = "If an account uses that email, we have sent it a link"


def reset_link(message) -> str:
    """Return the reset link in a message's plain-text part."""
    body = message.get_body(preferencelist=("plain",)).get_content()
    return RESET_LINK.search(body).group(0)


def relative(url: str) -> str:
    """Return the path and query of a URL, for the test client."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def mailbox(app, smtp_server):
    """Send the app's mail to a real SMTP server and return what it receives."""
    app.config["MAIL_URL"] = smtp_server.url
    return smtp_server


def test_login_page_links_to_forgot_password(client):
    """The login page offers "Forgot your password?", which asks for an email."""
    page = text(client.get("/login"))
    assert '<a href="/account/forgot-password">Forgot your password?</a>' in page
    form = text(client.get("/account/forgot-password"))
    assert 'name="email"' in form
    assert "Send reset link" in form


def test_a_forgotten_password_is_reset_through_a_mailed_link(
    client, devices, make_user, mailbox
):
    """A member asks for a link, follows it from the mail, sets a password, is in."""
    user = make_user(display_name="Ana Lima", email="ana@example.com")
    other = devices()
    log_in(other, user.email)
    response = client.post(
        "/account/forgot-password", data={"email": "Ana@Example.com"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert NEUTRAL in text(client.get("/login"))

    [message] = mailbox.messages
    assert message["To"] == "ana@example.com"
    assert message["Subject"] == "Reset your Knowhow password"
    assert message.get_content_type() == "multipart/alternative"
    link = reset_link(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert str(escape(link)) in html

    form = client.get(relative(link))
    assert form.status_code == 200
    assert form.headers["Cache-Control"] == "no-store"
    assert "Choose a new password" in text(form)
    done = client.post(relative(link), data={"password": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.headers["Location"] == "/"
    assert "Your new password is set and you are logged in." in text(client.get("/"))
    assert is_logged_in(client)
    assert not is_logged_in(other)

    fresh = devices()
    assert log_in(fresh, user.email).status_code == 422
    assert log_in(fresh, user.email, NEW_PASSWORD).status_code == 302


def test_forgot_password_answers_the_same_with_or_without_an_account(
    app, make_app, make_user, smtp_server
):
    """Known and unknown emails get the same answer; only the mail differs."""
    make_user(email="ana@example.com")
    mailbox = smtp_server
    devices = make_app(MAIL_URL=mailbox.url).test_client
    answers = []
    for email in ("ana@example.com", "nobody@example.com"):
        browser = devices()
        response = browser.post("/account/forgot-password", data={"email": email})
        following = text(browser.get(response.headers["Location"]))
        flashed = re.search(r'<p class="flash flash-\w+">([^<]*)</p>', following)
        answers.append((response.status_code, response.headers["Location"], flashed[1]))
    assert answers[0] == answers[1]
    assert NEUTRAL in answers[0][2]
    assert [m["To"] for m in mailbox.messages] == [
        "ana@example.com",
        "nobody@example.com",
    ]
    assert RESET_LINK.search(mailbox.last_text()) is None


def test_forgot_password_keeps_a_bad_email_and_says_why(client):
    """An email that is not an address is refused with 422 and kept in the form."""
    response = client.post("/account/forgot-password", data={"email": "ana@"})
    assert response.status_code == 422
    page = text(response)
    assert "Enter a valid email address." in page
    assert 'value="ana@"' in page
    assert "Nothing you typed has been lost." in page


def test_forgot_password_is_rate_limited_per_email(client, make_user):
    """The sixth request for one email within the hour gets 429, email kept."""
    user = make_user()
    for _ in range(5):
        response = client.post("/account/forgot-password", data={"email": user.email})
        assert response.status_code == 302
    response = client.post("/account/forgot-password", data={"email": user.email})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "3600"
    page = text(response)
    assert "Too many password reset requests." in page
    assert f'value="{user.email}"' in page


def test_forgot_password_survives_a_mail_server_that_is_down(
    app, client, make_user, caplog
):
    """With the mail server down, the page answers as usual and the error is logged."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{port}"
    user = make_user()
    with caplog.at_level(logging.ERROR, logger="forum"):
        response = client.post("/account/forgot-password", data={"email": user.email})
    assert response.status_code == 302
    assert NEUTRAL in text(client.get("/login"))
    assert "Password reset mail" in caplog.text


def test_a_used_reset_link_shows_how_to_get_a_new_one(client, make_user, mailbox):
    """A reset link that was used shows a clear page that links to a new request."""
    user = make_user()
    client.post("/account/forgot-password", data={"email": user.email})
    path = relative(reset_link(mailbox.messages[-1]))
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302
    again = client.get(path)
    assert again.status_code == 404
    page = text(again)
    assert "already been used" in page
    assert 'href="/account/forgot-password"' in page
    assert client.post(path, data={"password": "yet another secret"}).status_code == 404


@pytest.mark.parametrize(
    ("token", "message"),
    [("garbage", "not valid"), ("a.b.c", "not valid"), ("%00%ff", "not valid")],
)
def test_a_bad_reset_link_shows_how_to_get_a_new_one(client, token, message):
    """A made-up reset link shows a clear page, never an error 500."""
    response = client.get(f"/account/reset-password/{token}")
    assert response.status_code == 404
    page = text(response)
    assert message in page
    assert "Get a new reset link" in page


def test_an_expired_reset_link_says_so(client, make_user, mailbox, monkeypatch):
    """A reset link older than an hour says it has expired."""
    import time

    user = make_user()
    client.post("/account/forgot-password", data={"email": user.email})
    path = relative(reset_link(mailbox.messages[-1]))
    later = time.time() + 61 * 60
    monkeypatch.setattr("forum.accounts.services.utcnow", lambda: _at(later))
    response = client.get(path)
    assert response.status_code == 404
    assert "expired" in text(response)


def _at(timestamp: float):
    """Return a UTC datetime for a POSIX timestamp."""
    from datetime import UTC, datetime

    return datetime.fromtimestamp(timestamp, UTC)


def test_a_weak_new_password_is_refused_and_the_link_still_works(
    client, make_user, mailbox
):
    """A weak new password on the reset form is refused with 422; the link lives."""
    user = make_user()
    client.post("/account/forgot-password", data={"email": user.email})
    path = relative(reset_link(mailbox.messages[-1]))
    weak = client.post(path, data={"password": "password"})
    assert weak.status_code == 422
    page = text(weak)
    assert "This password is too common" in page
    assert "For your security, type your password again." in page
    assert client.post(path, data={}).status_code == 422
    assert client.post(path, data={"password": NEW_PASSWORD}).status_code == 302


@settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(email=st.text(max_size=300), password=st.text(max_size=200), token=st.text())
def test_any_input_to_the_reset_pages_gets_an_answer_not_a_500(
    client, email, password, token
):
    """Whatever is typed or put in a reset link, the pages answer below 500."""
    forgot = client.post("/account/forgot-password", data={"email": email})
    assert forgot.status_code in (302, 422, 429)
    path = f"/account/reset-password/{quote(token, safe='')}"
    assert client.get(path).status_code in (404, 308)
    assert client.post(path, data={"password": password}).status_code in (404, 308)


# ---- the client address behind a proxy ---------------------------------------


def stored_address() -> str:
    """Return the address of the one stored failed login."""
    db.session.expire_all()
    return db.session.scalar(select(LoginAttempt.address))


def test_x_forwarded_for_is_ignored_by_default(client, make_user):
    """Without FORUM_TRUSTED_PROXIES, a client cannot choose its address by header."""
    user = make_user()
    client.post(
        "/login",
        data={"email": user.email, "password": "wrong"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert stored_address() == "127.0.0.1"


def test_x_forwarded_for_is_honoured_behind_one_trusted_proxy(
    app, make_app, make_user, monkeypatch
):
    """With FORUM_TRUSTED_PROXIES=1 the address the proxy added counts, nothing else."""
    monkeypatch.setenv("FORUM_TRUSTED_PROXIES", "1")
    proxied = make_app()
    assert proxied.config["TRUSTED_PROXIES"] == 1
    user = make_user()
    proxied.test_client().post(
        "/login",
        data={"email": user.email, "password": "wrong"},
        headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},
    )
    assert stored_address() == "203.0.113.7"


def test_a_trusted_proxy_sets_the_scheme_but_not_the_host_of_links(
    app, make_app, make_user, smtp_server
):
    """Behind a trusted proxy, links follow X-Forwarded-Proto, not X-Forwarded-Host."""
    proxied = make_app(TRUSTED_PROXIES=1, MAIL_URL=smtp_server.url)
    user = make_user()
    proxied.test_client().post(
        "/account/forgot-password",
        data={"email": user.email},
        headers={
            "X-Forwarded-For": "203.0.113.7",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "evil.example",
        },
    )
    assert reset_link(smtp_server.messages[-1]).startswith(
        "https://localhost/account/reset-password/"
    )


def test_a_bad_trusted_proxies_value_is_refused_clearly(make_app, monkeypatch):
    """FORUM_TRUSTED_PROXIES must be a whole number; anything else stops the start."""
    monkeypatch.setenv("FORUM_TRUSTED_PROXIES", "yes")
    with pytest.raises(RuntimeError, match="FORUM_TRUSTED_PROXIES must be a whole"):
        make_app()


# ---- profiles ----------------------------------------------------------------


def test_edit_profile_shows_and_saves(client, auth, make_user):
    """The edit page shows the current profile and saves a new one."""
    user = make_user(display_name="Pat")
    auth.login(user)
    page = text(client.get("/account/profile"))
    assert 'value="Pat"' in page
    response = client.post(
        "/account/profile",
        data={"display_name": "Pat Payroll", "about": "Ask me about *payslips*."},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/users/{user.id}"
    profile = text(client.get(f"/users/{user.id}"))
    assert "Pat Payroll" in profile
    assert "<em>payslips</em>" in profile


def test_edit_profile_keeps_what_was_typed(client, auth, make_user):
    """A bad profile is refused with 422 and the form keeps the typed text."""
    user = make_user(display_name="Pat")
    auth.login(user)
    response = client.post(
        "/account/profile", data={"display_name": "P", "about": "I <3 spreadsheets"}
    )
    assert response.status_code == 422
    page = text(response)
    assert "Use 2 to 40 characters." in page
    assert "Nothing you typed has been lost." in page
    assert 'value="P"' in page
    assert str(escape("I <3 spreadsheets")) in page
    db.session.refresh(user)
    assert user.display_name == "Pat"


# ---- forms whose session expired ---------------------------------------------

QUESTION = {
    "title": "Where do I find the fire-drill rota?",
    "body": 'The intranet link is dead & the wiki says "ask HR". Who knows?',
    "tags": "safety facilities",
}


def assert_form_holds(page: str, form: dict) -> None:
    """Check that a page's form holds exactly the given text."""
    assert f'value="{escape(form["title"])}"' in page
    assert f"{escape(form['body'])}</textarea>" in page
    assert f'value="{escape(form["tags"])}"' in page


def test_text_sent_after_the_session_expired_waits_for_login(devices, make_user):
    """A question sent while logged out comes back in the form after logging in."""
    user = make_user()
    browser = devices()
    response = browser.post("/questions/ask", data=QUESTION)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    [target] = parse_qs(location.query)["next"]
    assert re.fullmatch(r"/questions/ask\?restore=[\w-]+", target)
    logged_in = log_in(browser, user.email, url=response.headers["Location"])
    assert logged_in.headers["Location"] == target
    page = text(browser.get(target))
    assert_form_holds(page, QUESTION)
    assert QUESTION["title"] not in text(browser.get(target))


def test_text_sent_with_an_expired_form_comes_back(app, make_app, make_user):
    """A logged-in post with a bad CSRF token returns to the form with its text."""
    user = make_user()
    browser = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = CSRF_INPUT.search(text(browser.get("/login"))).group(1)
    response = browser.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    response = browser.post("/questions/ask", data=QUESTION)
    assert response.status_code == 302
    target = response.headers["Location"]
    assert re.fullmatch(r"/questions/ask\?restore=[\w-]+", target)
    page = text(browser.get(target))
    assert "The page had expired, so nothing was sent." in page
    assert_form_holds(page, QUESTION)


def test_profile_text_sent_with_an_expired_form_comes_back(app, make_app, make_user):
    """A profile edit sent with an expired form returns to the form with its text."""
    user = make_user(display_name="Pat")
    browser = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = CSRF_INPUT.search(text(browser.get("/login"))).group(1)
    browser.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
    )
    edit = {"display_name": "Pat Payroll", "about": "Ask me about *payslips*."}
    response = browser.post("/account/profile", data=edit)
    target = response.headers["Location"]
    assert re.fullmatch(r"/account/profile\?restore=[\w-]+", target)
    page = text(browser.get(target))
    assert "The page had expired, so nothing was sent." in page
    assert 'value="Pat Payroll"' in page
    assert f"{escape(edit['about'])}</textarea>" in page
