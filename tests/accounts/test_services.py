"""Account rules: registration, passwords, login limits, resets, sessions, roles."""

import logging
import string
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from urllib.parse import urlsplit

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from forum.accounts import services
from forum.accounts.models import LoginAttempt, User
from forum.errors import Conflict, NotFound, RateLimited, ValidationError
from forum.extensions import db, utcnow

PASSWORD = "correct horse battery"  # the make_user factory's default
NOW = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
# The rule is fast, but a busy test machine must not fail it on a deadline.
unhurried = settings(deadline=None)


def _fail(email, address="10.0.0.1", *, now=NOW, password="wrong password"):
    """Make one failed login attempt and check that it failed."""
    with pytest.raises(ValidationError):
        services.authenticate(email, password, address, now=now)


def _attempts() -> int:
    """Return how many failed login attempts are stored."""
    return db.session.scalar(select(func.count()).select_from(LoginAttempt))


# ---- registration and passwords ----------------------------------------------


def test_password_is_stored_as_a_scrypt_hash(app):
    """A password is stored only as a Werkzeug scrypt hash, never in clear."""
    user = services.register_user("Ana Lima", "ana@example.com", PASSWORD)
    stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored.startswith("scrypt:")
    assert PASSWORD not in stored
    assert user.check_password(PASSWORD)
    assert not user.check_password("correct horse battery!")


def test_register_cleans_email_and_display_name(app):
    """Registration lower-cases the email and collapses spaces in the display name.

    New members start at 1 reputation, as on Stack Overflow.
    """
    user = services.register_user("  Ana   Lima ", " Ana@Example.COM ", PASSWORD)
    assert user.email == "ana@example.com"
    assert user.display_name == "Ana Lima"
    assert user.role == "member"
    assert user.reputation == 1


@pytest.mark.parametrize("password", ["short1!", "", "abcdefg"])
def test_short_password_is_refused_at_registration(app, password):
    """A password shorter than 8 characters is refused at registration."""
    with pytest.raises(ValidationError) as caught:
        services.register_user("Ana Lima", "ana@example.com", password)
    assert "at least 8" in caught.value.errors["password"]
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.mark.parametrize(
    "password", ["password", "PASSWORD", "qwertyuiop", "aaaaaaaaaa"]
)
def test_common_password_is_refused_at_registration(app, password):
    """A common password (in any case) or one of fewer than 3 characters is refused."""
    with pytest.raises(ValidationError) as caught:
        services.register_user("Ana Lima", "ana@example.com", password)
    assert "too common" in caught.value.errors["password"]


def test_password_may_not_contain_the_email_name(app):
    """A password containing the email's local part is refused."""
    with pytest.raises(ValidationError) as caught:
        services.register_user("Ana Lima", "analima@example.com", "my-analima-pass")
    assert "email" in caught.value.errors["password"]


@pytest.mark.parametrize("email", ["not-an-email", "ana@", "@example.com", ""])
def test_invalid_email_is_refused(app, email):
    """Registration refuses an email that is not an address."""
    with pytest.raises(ValidationError) as caught:
        services.register_user("Ana Lima", email, PASSWORD)
    assert caught.value.errors["email"] == "Enter a valid email address."


@pytest.mark.parametrize("name", ["A", " ", "x" * 41, "--"])
def test_display_name_must_be_2_to_40_characters_with_a_letter(app, name):
    """A display name needs 2 to 40 characters and at least one letter or digit."""
    with pytest.raises(ValidationError) as caught:
        services.register_user(name, "ana@example.com", PASSWORD)
    assert "display_name" in caught.value.errors


def test_duplicate_email_is_refused_clearly(app, make_user):
    """A second account with the same email (in any case) is refused with a message."""
    make_user(email="ana@example.com")
    with pytest.raises(Conflict) as caught:
        services.register_user("Other Ana", "ANA@example.com", PASSWORD)
    assert "already exists" in caught.value.errors["email"]


def test_roles_are_member_moderator_and_admin(app, make_user):
    """Members, moderators and admins exist; admins also moderate; nothing else."""
    member = make_user()
    moderator = make_user(role="moderator")
    admin = make_user(role="admin")
    assert (member.is_moderator, member.is_admin) == (False, False)
    assert (moderator.is_moderator, moderator.is_admin) == (True, False)
    assert (admin.is_moderator, admin.is_admin) == (True, True)
    with pytest.raises(ValidationError) as caught:
        services.register_user("Ana Lima", "ana@example.com", PASSWORD, role="owner")
    assert "role" in caught.value.errors


# ---- password rule, as properties --------------------------------------------


@unhurried
@given(st.text(max_size=services.PASSWORD_MIN - 1))
def test_every_password_shorter_than_8_characters_is_refused(password):
    """Every password shorter than 8 characters is refused."""
    assert services.password_problem(password, email="sam@example.com")


@unhurried
@given(st.sampled_from(sorted(services.common_passwords())), st.booleans())
def test_every_common_password_is_refused(password, upper):
    """Every entry of the common-password list is refused, in any case."""
    assert services.password_problem(password.upper() if upper else password)


@unhurried
@given(
    st.text(
        alphabet=string.ascii_letters + string.digits + string.punctuation + " ",
        min_size=services.PASSWORD_MIN,
        max_size=services.PASSWORD_MAX,
    )
)
def test_long_random_passwords_are_accepted(password):
    """A long password of 3+ distinct characters, not common or the email, is fine."""
    lowered = password.lower()
    assume(len(set(lowered)) >= 3)
    assume(lowered not in services.common_passwords())
    assume("samira" not in lowered)
    assert services.password_problem(password, email="samira@example.com") == ""


# ---- logging in and rate limits ----------------------------------------------


def test_right_password_logs_in_with_any_email_case(app, make_user):
    """The right password logs in, whatever the case of the email."""
    user = make_user(email="ana@example.com")
    assert services.authenticate(" ANA@example.com", PASSWORD, "10.0.0.1") == user


def test_wrong_password_and_unknown_email_give_the_same_message(app, make_user):
    """A wrong password and an unknown email get one message that reveals neither."""
    user = make_user()
    with pytest.raises(ValidationError) as wrong:
        services.authenticate(user.email, "not the password", "10.0.0.1")
    with pytest.raises(ValidationError) as unknown:
        services.authenticate("nobody@example.com", PASSWORD, "10.0.0.1")
    assert wrong.value.message == unknown.value.message
    assert wrong.value.errors == unknown.value.errors


def test_five_failures_block_the_account_even_with_the_right_password(app, make_user):
    """After 5 failures for an account, even the right password is rate-limited."""
    user = make_user()
    for i in range(5):
        _fail(user.email, f"10.0.0.{i}", now=NOW + timedelta(seconds=i))
    with pytest.raises(RateLimited) as caught:
        services.authenticate(user.email, PASSWORD, "10.9.9.9", now=NOW)
    assert "Too many failed attempts" in caught.value.message
    assert caught.value.retry_after == 15 * 60


def test_the_lockout_message_points_to_forgot_password(app, make_user):
    """A locked-out member is sent to "Forgot your password?", not to an admin."""
    user = make_user()
    for _ in range(5):
        _fail(user.email)
    with pytest.raises(RateLimited) as caught:
        services.authenticate(user.email, PASSWORD, "10.0.0.1", now=NOW)
    assert "Forgot your password?" in caught.value.message
    assert "administrator" not in caught.value.message


def test_the_account_limit_ends_after_the_window(app, make_user):
    """15 minutes after the failures, the right password works again: no lockout."""
    user = make_user()
    for i in range(5):
        _fail(user.email, now=NOW + timedelta(seconds=i))
    with pytest.raises(RateLimited):
        services.authenticate(user.email, PASSWORD, "10.0.0.1", now=NOW)
    later = NOW + timedelta(minutes=15, seconds=5)
    assert services.authenticate(user.email, PASSWORD, "10.0.0.1", now=later) == user


OFFICE = "10.6.6.6"


def test_colleagues_failures_do_not_lock_members_out_of_a_shared_address(
    app, make_user
):
    """Members with no failures log in from an address where colleagues failed a lot."""
    colleagues = [make_user() for _ in range(6)]
    for _ in range(4):
        for colleague in colleagues:
            # Past the address limit, a colleague's own next try is refused.
            with pytest.raises((ValidationError, RateLimited)):
                services.authenticate(colleague.email, "wrong", OFFICE, now=NOW)
    assert _attempts() >= 20  # the address is over its limit
    for _ in range(7):
        member = make_user()
        assert services.authenticate(member.email, PASSWORD, OFFICE, now=NOW) == member


def test_spraying_accounts_from_one_address_gets_one_try_each_and_is_logged(
    app, make_user, caplog
):
    """Once an address is over its limit, each account gets one try from it, logged."""
    accounts = [make_user() for _ in range(30)]
    with caplog.at_level(logging.WARNING, logger="forum"):
        for account in accounts:
            _fail(account.email, OFFICE)
        for account in accounts:
            with pytest.raises(RateLimited) as caught:
                services.authenticate(account.email, PASSWORD, OFFICE, now=NOW)
            assert "from your network" in caught.value.message
    warnings = [r for r in caplog.records if OFFICE in r.getMessage()]
    assert len(warnings) >= 30
    assert all(r.levelno == logging.WARNING for r in warnings)
    # The limit is on that address only: elsewhere the owner still gets in.
    owner = accounts[0]
    assert services.authenticate(owner.email, PASSWORD, "10.0.0.2", now=NOW) == owner


def test_an_address_over_its_limit_locks_nothing_after_the_window(app, make_user):
    """After the window, accounts sprayed from an address can log in from it again."""
    accounts = [make_user() for _ in range(25)]
    for account in accounts:
        _fail(account.email, OFFICE)
    with pytest.raises(RateLimited):
        services.authenticate(accounts[-1].email, PASSWORD, OFFICE, now=NOW)
    later = NOW + timedelta(minutes=15, seconds=1)
    for account in accounts:
        assert services.authenticate(account.email, PASSWORD, OFFICE, now=later)


def test_reset_requests_do_not_count_as_failed_logins(app, make_user):
    """Password reset requests are limited apart from logins and never block them."""
    user = make_user()
    for _ in range(5):
        services.request_password_reset(user.email, "10.0.0.1", now=NOW)
    assert services.authenticate(user.email, PASSWORD, "10.0.0.1", now=NOW) == user


def test_a_successful_login_resets_the_account_counter(app, make_user):
    """A successful login clears the account's failures, so 4 more do not block it."""
    user = make_user()
    for _ in range(4):
        _fail(user.email)
    services.authenticate(user.email, PASSWORD, "10.0.0.1", now=NOW)
    for _ in range(4):
        _fail(user.email)
    assert services.authenticate(user.email, PASSWORD, "10.0.0.1", now=NOW) == user


def test_old_login_attempts_are_trimmed(app):
    """Failures older than a day are deleted, so the table does not grow forever."""
    for i in range(3):
        _fail(f"old{i}@example.com", now=NOW - timedelta(days=2))
    assert _attempts() == 3
    _fail("new@example.com", now=NOW)
    assert _attempts() == 1


# ---- passwords, sessions and profiles ----------------------------------------


def test_change_password_needs_the_current_one(app, make_user):
    """Changing the password needs the current password and a good new one."""
    user = make_user()
    with pytest.raises(ValidationError) as wrong:
        services.change_password(user, "not it at all", "a brand new secret")
    assert "current_password" in wrong.value.errors
    with pytest.raises(ValidationError) as weak:
        services.change_password(user, PASSWORD, "password")
    assert "new_password" in weak.value.errors
    assert user.check_password(PASSWORD)


def test_change_password_reports_every_problem_at_once(app, make_user):
    """A wrong current password and a weak new one are both reported, in one go."""
    user = make_user()
    with pytest.raises(ValidationError) as both:
        services.change_password(user, "not it at all", "short")
    assert both.value.errors == {
        "current_password": "This is not your current password.",
        "new_password": "Use at least 8 characters.",
    }
    with pytest.raises(ValidationError) as empty:
        services.change_password(user, "", "")
    assert empty.value.errors == {
        "current_password": "Enter your current password.",
        "new_password": "Choose a new password.",
    }
    assert user.check_password(PASSWORD)


def test_change_password_ends_the_old_sessions(app, make_user):
    """A new password replaces the hash and invalidates every existing session id."""
    user = make_user()
    old_session = user.get_id()
    assert services.load_session_user(old_session) == user
    services.change_password(user, PASSWORD, "a brand new secret")
    assert user.password_hash.startswith("scrypt:")
    assert user.check_password("a brand new secret")
    assert not user.check_password(PASSWORD)
    assert services.load_session_user(old_session) is None
    assert services.load_session_user(user.get_id()) == user


def test_log_out_everywhere_ends_every_session(app, make_user):
    """Logging out everywhere invalidates every existing session id."""
    user = make_user()
    old_session = user.get_id()
    services.log_out_everywhere(user)
    assert services.load_session_user(old_session) is None


@pytest.mark.parametrize("session_id", ["", "abc", "1", "1:", ":token", "99:token"])
def test_malformed_session_ids_load_nobody(app, make_user, session_id):
    """A malformed or unknown session id loads no user."""
    make_user()
    assert services.load_session_user(session_id) is None


def test_last_seen_is_recorded_at_most_every_five_minutes(app, make_user):
    """Last seen moves only when the previous record is over 5 minutes old."""
    user = make_user()
    user.last_seen_at = NOW
    db.session.commit()
    services.touch_last_seen(user, now=NOW + timedelta(minutes=4))
    assert user.last_seen_at == NOW
    services.touch_last_seen(user, now=NOW + timedelta(minutes=6))
    assert user.last_seen_at == NOW + timedelta(minutes=6)


def test_profile_about_is_rendered_and_sanitised(app, make_user):
    """The about text is stored as Markdown and rendered to sanitised HTML."""
    user = make_user()
    about = "I run **payroll**.\n\n<script>alert(1)</script> [x](javascript:alert(2))"
    services.update_profile(user, "Payroll Pat", about)
    assert user.display_name == "Payroll Pat"
    assert user.about_markdown == about
    assert "<strong>payroll</strong>" in user.about_html
    assert "<script" not in user.about_html
    assert "javascript:" not in user.about_html


def test_profile_refuses_bad_display_name_and_long_about(app, make_user):
    """A profile needs a 2-40 character name and an about text of at most 5000."""
    user = make_user(display_name="Kept Name")
    with pytest.raises(ValidationError) as caught:
        services.update_profile(user, "A", "x" * 5001)
    assert set(caught.value.errors) == {"display_name", "about"}
    db.session.refresh(user)
    assert user.display_name == "Kept Name"


# ---- password resets ---------------------------------------------------------

NEW_PASSWORD = "a fresh start at last"


def _token(link: str) -> str:
    """Return the token at the end of a reset link."""
    return urlsplit(link).path.rsplit("/", 1)[1]


def _saved_mail(app) -> list:
    """Return the messages saved to the mail folder, oldest first."""
    from pathlib import Path

    folder = Path(app.config["MAIL_DIR"])
    paths = sorted(folder.glob("*.eml")) if folder.exists() else []
    return [message_from_bytes(p.read_bytes(), policy=default_policy) for p in paths]


def test_a_reset_link_sets_the_password_and_ends_every_session(app, make_user):
    """A reset link sets a new password, ends old sessions and clears login failures."""
    user = make_user()
    old_session = user.get_id()
    for _ in range(5):
        _fail(user.email, now=utcnow())
    token = _token(services.issue_reset_link(user.email))
    assert services.check_reset_token(token) == user
    assert services.reset_password(token, NEW_PASSWORD) == user
    assert user.check_password(NEW_PASSWORD)
    assert services.load_session_user(old_session) is None
    assert _attempts() == 0
    assert services.authenticate(user.email, NEW_PASSWORD, "10.0.0.1") == user


def test_a_reset_link_works_once(app, make_user):
    """A reset link is dead once it has been used."""
    user = make_user()
    token = _token(services.issue_reset_link(user.email))
    services.reset_password(token, NEW_PASSWORD)
    with pytest.raises(NotFound) as caught:
        services.reset_password(token, "another new secret")
    assert "already been used" in caught.value.message
    assert user.check_password(NEW_PASSWORD)


def test_a_reset_link_dies_when_the_password_changes(app, make_user):
    """Any password change ends the reset links sent before it."""
    user = make_user()
    token = _token(services.issue_reset_link(user.email))
    services.change_password(user, PASSWORD, NEW_PASSWORD)
    with pytest.raises(NotFound) as caught:
        services.check_reset_token(token)
    assert "changed since it was sent" in caught.value.message


def test_a_reset_link_works_for_one_hour(app, make_user):
    """A reset link works for 60 minutes and then says it has expired."""
    user = make_user()
    token = _token(services.issue_reset_link(user.email))
    soon = utcnow() + timedelta(minutes=59)
    assert services.check_reset_token(token, now=soon) == user
    late = utcnow() + timedelta(minutes=61)
    with pytest.raises(NotFound) as caught:
        services.reset_password(token, NEW_PASSWORD, now=late)
    assert "expired" in caught.value.message
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize("kind", ["garbage", "tampered", "other salt", "empty"])
def test_a_forged_reset_link_is_refused(app, make_user, kind):
    """A reset token that this site did not sign for resets is refused as not valid."""
    user = make_user()
    token = _token(services.issue_reset_link(user.email))
    payload = {"user": user.id, "password": "0" * 16}
    forged = {
        "garbage": "not-a-token",
        "tampered": token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "other salt": URLSafeTimedSerializer(app.secret_key, "other").dumps(payload),
        "empty": "",
    }[kind]
    with pytest.raises(NotFound) as caught:
        services.reset_password(forged, NEW_PASSWORD)
    assert "not valid" in caught.value.message
    assert user.check_password(PASSWORD)


def test_a_reset_checks_the_new_password(app, make_user):
    """A weak new password is refused and the link keeps working."""
    user = make_user()
    token = _token(services.issue_reset_link(user.email))
    for password, message in (("", "Choose a new password."), ("short", "at least")):
        with pytest.raises(ValidationError) as caught:
            services.reset_password(token, password)
        assert message in caught.value.errors["password"]
    assert services.reset_password(token, NEW_PASSWORD) == user


def test_a_reset_request_without_a_mail_server_saves_and_logs_the_link(
    app, make_user, caplog
):
    """With no mail server, the message goes to the mail folder and the log."""
    user = make_user(display_name="Ana Lima")
    with caplog.at_level(logging.WARNING, logger="forum"):
        services.request_password_reset(user.email.upper(), "10.0.0.1")
    [message] = _saved_mail(app)
    assert message["To"] == user.email
    assert message["Subject"] == "Reset your Knowhow password"
    text = message.get_body(preferencelist=("plain",)).get_content()
    link = next(word for word in text.split() if "/account/reset-password/" in word)
    assert services.check_reset_token(_token(link)) == user
    assert any(link in record.getMessage() for record in caplog.records)


def test_an_unknown_email_gets_a_notice_and_no_link(app, make_user, caplog):
    """An email without an account gets a notice without a link, and no error."""
    make_user()
    with caplog.at_level(logging.WARNING, logger="forum"):
        services.request_password_reset("nobody@example.com", "10.0.0.1")
    [message] = _saved_mail(app)
    assert message["To"] == "nobody@example.com"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "no Knowhow account uses this address" in text
    assert "/account/reset-password/" not in text
    assert "/account/reset-password/" not in caplog.text


def test_a_reset_request_needs_a_valid_email(app):
    """A reset request for something that is not an email is refused and not sent."""
    with pytest.raises(ValidationError) as caught:
        services.request_password_reset("not an email", "10.0.0.1")
    assert caught.value.errors["email"] == "Enter a valid email address."
    assert _saved_mail(app) == []


def test_reset_requests_are_limited_per_email(app, make_user):
    """An email gets 5 reset requests an hour, from any address; then it waits."""
    user = make_user()
    for i in range(5):
        services.request_password_reset(user.email, f"10.0.0.{i}", now=NOW)
    with pytest.raises(RateLimited) as caught:
        services.request_password_reset(user.email, "10.0.0.9", now=NOW)
    assert caught.value.retry_after == 60 * 60
    assert len(_saved_mail(app)) == 5
    later = NOW + timedelta(minutes=61)
    services.request_password_reset(user.email, "10.0.0.9", now=later)
    assert len(_saved_mail(app)) == 6


def test_reset_requests_are_limited_per_address(app):
    """An address gets 20 reset requests an hour, across emails; others are served."""
    for i in range(20):
        services.request_password_reset(f"who{i}@example.com", OFFICE, now=NOW)
    with pytest.raises(RateLimited):
        services.request_password_reset("who99@example.com", OFFICE, now=NOW)
    services.request_password_reset("who99@example.com", "10.0.0.2", now=NOW)


def test_a_mail_failure_is_logged_not_raised(app, make_user, caplog):
    """When the mail server is down, a reset request logs the error and returns."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app.config["MAIL_URL"] = f"smtp://127.0.0.1:{port}"
    user = make_user()
    with caplog.at_level(logging.ERROR, logger="forum"):
        services.request_password_reset(user.email, "10.0.0.1")
    assert f"Password reset mail to {user.email} failed" in caplog.text


def test_reset_links_use_the_configured_base_url(app, make_user):
    """Links use FORUM_BASE_URL, else SERVER_NAME, else where `make run` serves."""
    user = make_user()
    assert services.issue_reset_link(user.email).startswith(
        "http://127.0.0.1:5000/account/reset-password/"
    )
    app.config["SERVER_NAME"] = "forum.example.com"
    assert services.issue_reset_link(user.email).startswith(
        "http://forum.example.com/account/reset-password/"
    )
    app.config["BASE_URL"] = "https://example.com/knowhow"
    assert services.issue_reset_link(user.email).startswith(
        "https://example.com/knowhow/account/reset-password/"
    )


def test_issue_reset_link_refuses_an_unknown_email(app):
    """A reset link for an email without an account is refused by name."""
    with pytest.raises(NotFound) as caught:
        services.issue_reset_link("nobody@example.com")
    assert "nobody@example.com" in caught.value.message


# ---- roles and administrators ------------------------------------------------


def test_set_role_changes_the_role(app, make_user):
    """set_role gives an existing account a role."""
    user = make_user(email="mod@example.com")
    assert services.set_role("MOD@example.com", "moderator").role == "moderator"
    assert user.is_moderator


def test_set_role_refuses_unknown_accounts_and_roles(app, make_user):
    """set_role refuses an unknown email and an unknown role."""
    make_user(email="mod@example.com")
    with pytest.raises(NotFound):
        services.set_role("nobody@example.com", "admin")
    with pytest.raises(ValidationError):
        services.set_role("mod@example.com", "owner")


def test_create_admin_creates_or_promotes(app, make_user):
    """create_admin makes a new admin, or promotes an existing account as it is."""
    admin = services.create_admin(
        "boss@example.com", "long secret for the admin", "Boss"
    )
    assert (admin.display_name, admin.role) == ("Boss", "admin")
    assert admin.password_hash.startswith("scrypt:")
    member = make_user(email="pat@example.com")
    promoted = services.create_admin("pat@example.com", "ignored password!")
    assert promoted == member
    assert promoted.role == "admin"
    assert promoted.check_password(PASSWORD)


# ---- stashed forms -----------------------------------------------------------


def test_a_stash_is_given_back_once_and_only_for_its_path(app):
    """A stashed form comes back once, only at its own path, without other fields."""
    form = {"title": "T", "body": "B", "tags": "x", "password": "p", "csrf_token": "c"}
    token = services.stash_form("/questions/ask", form)
    assert services.take_stash(token, "/questions/1/edit") == {}
    assert services.take_stash(token, "/questions/ask") == {
        "title": "T",
        "body": "B",
        "tags": "x",
    }
    assert services.take_stash(token, "/questions/ask") == {}
    assert services.take_stash("no-such-token", "/questions/ask") == {}


def test_a_stash_expires_after_a_day(app):
    """A stash older than a day is not given back."""
    token = services.stash_form("/questions/ask", {"title": "T"}, now=NOW)
    later = NOW + timedelta(days=1, minutes=1)
    assert services.take_stash(token, "/questions/ask", now=later) == {}
