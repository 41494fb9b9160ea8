"""Account rules: registration, login, password resets, sessions, profiles, roles."""

import hashlib
import json
import re
import secrets
from datetime import timedelta
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context, render_template, url_for
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import delete, func, select

from forum.accounts.models import (
    ROLES,
    FormStash,
    LoginAttempt,
    User,
    new_session_token,
)
from forum.errors import Conflict, NotFound, RateLimited, ValidationError
from forum.extensions import db, utcnow
from forum.mail import MailError, mail_configured, send_mail
from forum.markup import render_markdown

PASSWORD_MIN = 8
PASSWORD_MAX = 128
DISPLAY_NAME_MIN = 2
DISPLAY_NAME_MAX = 40
ABOUT_MAX = 5000
LAST_SEEN_EVERY = timedelta(minutes=5)
STASH_LIFETIME = timedelta(days=1)
STASHED_FIELDS = ("title", "body", "tags", "summary", "about", "display_name")
ATTEMPTS_KEPT = timedelta(days=1)
RESET_SALT = "password-reset"
# Where `make run` serves: links built with no request, base URL or SERVER_NAME.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@cache
def common_passwords() -> frozenset[str]:
    """Return the set of the most common passwords."""
    text = files("forum.accounts").joinpath("common_passwords.txt").read_text()
    return frozenset(
        line.strip() for line in text.splitlines() if line and not line.startswith("#")
    )


def _hash_method() -> str:
    """Return the configured password hashing method (scrypt by default)."""
    return current_app.config["PASSWORD_HASH_METHOD"]


def normalize_email(email: str) -> str:
    """Return the email in the form it is stored and looked up in."""
    return (email or "").strip().lower()


def password_problem(password: str, *, email: str = "", display_name: str = "") -> str:
    """Return why a password is not acceptable, or an empty string."""
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    lowered = password.lower()
    if lowered in common_passwords() or len(set(lowered)) < 3:
        return "This password is too common; choose one that is harder to guess."
    local = normalize_email(email).split("@")[0]
    if (local and len(local) >= 4 and local in lowered) or (
        display_name and lowered == display_name.strip().lower()
    ):
        return "Do not use your name or email address in your password."
    return ""


def _display_name_problem(display_name: str) -> str:
    """Return why a display name is not acceptable, or an empty string."""
    if not DISPLAY_NAME_MIN <= len(display_name) <= DISPLAY_NAME_MAX:
        return f"Use {DISPLAY_NAME_MIN} to {DISPLAY_NAME_MAX} characters."
    if not re.search(r"\w", display_name):
        return "Use at least one letter or digit."
    return ""


def _checked_email(email: str) -> str:
    """Return the normalised email or raise if it is not an address."""
    email = normalize_email(email)
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(
            "Check the email address.", {"email": "Enter a valid email address."}
        ) from None
    return email


def register_user(
    display_name: str, email: str, password: str, *, role: str = "member", now=None
) -> User:
    """Create a member account and return it."""
    display_name = " ".join((display_name or "").split())
    errors = {}
    try:
        email = _checked_email(email)
    except ValidationError as error:
        errors.update(error.errors)
    if problem := _display_name_problem(display_name):
        errors["display_name"] = problem
    if problem := password_problem(
        password or "", email=email, display_name=display_name
    ):
        errors["password"] = problem
    if role not in ROLES:
        errors["role"] = f"Choose one of {', '.join(ROLES)}."
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(
            "An account with this email already exists.",
            {"email": "An account with this email already exists. Log in instead."},
        )
    now = now or utcnow()
    user = User(
        display_name=display_name,
        email=email,
        role=role,
        created_at=now,
        last_seen_at=now,
    )
    user.set_password(password, _hash_method())
    db.session.add(user)
    db.session.commit()
    return user


def _count_attempts(kind: str, since, **match) -> int:
    """Return how many attempts of a kind match since a moment."""
    conditions = [getattr(LoginAttempt, name) == value for name, value in match.items()]
    return db.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.kind == kind, LoginAttempt.created_at > since, *conditions)
    )


def _record_attempt(kind: str, email: str, address: str, now) -> None:
    """Store an attempt (uncommitted) and forget those too old to matter."""
    db.session.add(
        LoginAttempt(kind=kind, email=email[:254], address=address, created_at=now)
    )
    # Old attempts are of no further use; trimming keeps the table small.
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.created_at < now - ATTEMPTS_KEPT)
    )


def authenticate(email: str, password: str, address: str, *, now=None) -> User:
    """Return the user with these credentials, counting failures against guessing.

    Two limits slow guessing down, and neither locks anyone out for longer than
    the window (LOGIN_WINDOW_MINUTES):

    - Per account: after LOGIN_MAX_FAILURES_PER_ACCOUNT failures for an email,
      from any address, the email is refused until the window has passed.
    - Per address: a whole office can share one address, so colleagues' failures
      must not shut a member out. Once an address has LOGIN_MAX_FAILURES_PER_ADDRESS
      failures in the window, it gets one try per account: an account that already
      failed from there is refused from there until its failure leaves the window,
      while an account with no failure from there still gets its try, so a member
      who types the right password logs in. Spraying passwords across many accounts
      thus gets one guess per account per window instead of five, and every try
      from an address over its limit is logged as a warning.
    """
    now = now or utcnow()
    email = normalize_email(email)
    address = (address or "unknown")[:64]
    config = current_app.config
    minutes = config["LOGIN_WINDOW_MINUTES"]
    since = now - timedelta(minutes=minutes)
    if (
        _count_attempts("login", since, email=email)
        >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    ):
        raise RateLimited(
            f"Too many failed attempts for this account. Wait {minutes} minutes and "
            "try again, or choose a new password with “Forgot your password?”.",
            retry_after=minutes * 60,
        )
    by_address = _count_attempts("login", since, address=address)
    crowded = by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    if crowded:
        current_app.logger.warning(
            "Login attempt from %s, which has %d failed logins in %d minutes; "
            "each account gets one try from there.",
            address,
            by_address,
            minutes,
        )
        if _count_attempts("login", since, email=email, address=address):
            raise RateLimited(
                "Too many failed attempts from your network. Wait "
                f"{minutes} minutes and try again, or choose a new password with "
                "“Forgot your password?”.",
                retry_after=minutes * 60,
            )
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.check_password(password or ""):
        _record_attempt("login", email, address, now)
        db.session.commit()
        raise ValidationError(
            "Email or password is incorrect.",
            {"password": "Email or password is incorrect."},
        )
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.kind == "login", LoginAttempt.email == email
        )
    )
    user.last_seen_at = now
    db.session.commit()
    return user


def _new_password_problem(user: User, password: str) -> str:
    """Return why a user may not choose this password, or an empty string."""
    if not password:
        return "Choose a new password."
    return password_problem(password, email=user.email, display_name=user.display_name)


def change_password(user: User, current: str, new: str) -> User:
    """Set a new password and end every other session of the user."""
    errors = {}
    if not current:
        errors["current_password"] = "Enter your current password."
    elif not user.check_password(current):
        errors["current_password"] = "This is not your current password."
    if problem := _new_password_problem(user, new or ""):
        errors["new_password"] = problem
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    user.set_password(new, _hash_method())
    user.session_token = new_session_token()
    db.session.commit()
    return user


def _password_fingerprint(user: User) -> str:
    """Return a short digest of the password hash, which changes with the password."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _reset_serializer() -> URLSafeTimedSerializer:
    """Return the signer of password reset tokens."""
    return URLSafeTimedSerializer(current_app.secret_key, salt=RESET_SALT)


def _reset_link(user: User) -> str:
    """Return an absolute one-time link that lets the user choose a new password."""
    token = _reset_serializer().dumps(
        {"user": user.id, "password": _password_fingerprint(user)}
    )
    return _external_url("accounts.reset_password", token=token)


def _external_url(endpoint: str, **values) -> str:
    """Return an absolute URL of a page, for links that leave the site in mail."""
    config = current_app.config
    base = config["BASE_URL"]
    if not base and has_request_context():
        return url_for(endpoint, _external=True, **values)
    if not base and config.get("SERVER_NAME"):
        with current_app.test_request_context():
            return url_for(endpoint, _external=True, **values)
    # A made-up request at the base gives url_for the base's path prefix.
    base = urlsplit(base or DEFAULT_BASE_URL)
    with current_app.test_request_context(base_url=base.geturl()):
        return f"{base.scheme}://{base.netloc}{url_for(endpoint, **values)}"


def _reset_minutes() -> int:
    """Return how many minutes a reset link works for."""
    return current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]


def check_reset_token(token: str, *, now=None) -> User:
    """Return the member a reset link is for, or raise NotFound saying why it is dead.

    A link is signed, works for PASSWORD_RESET_MAX_AGE_MINUTES and carries a
    fingerprint of the password hash, so using it, or any other password change,
    ends it.
    """
    return _reset_user(token, now or utcnow())


def _reset_user(token: str, now) -> User:
    """Return the member a reset token is for, or raise NotFound saying why not."""
    try:
        payload, issued = _reset_serializer().loads(token or "", return_timestamp=True)
    except BadData:
        raise NotFound(
            "This password reset link is not valid. Check that you copied all of it."
        ) from None
    if now - issued > timedelta(minutes=_reset_minutes()):
        raise NotFound(
            f"This password reset link has expired: links work for {_reset_minutes()}"
            " minutes."
        )
    user_id = payload.get("user") if isinstance(payload, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not secrets.compare_digest(
        str(payload.get("password")), _password_fingerprint(user)
    ):
        raise NotFound(
            "This password reset link has already been used, or the password has "
            "changed since it was sent."
        )
    return user


def reset_password(token: str, password: str, *, now=None) -> User:
    """Set the password of the member a reset link is for and end their sessions."""
    user = _reset_user(token, now or utcnow())
    if problem := _new_password_problem(user, password or ""):
        raise ValidationError(
            "Please correct the marked fields.", {"password": problem}
        )
    user.set_password(password, _hash_method())
    user.session_token = new_session_token()
    # The failures that locked the account out are no longer of use.
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.kind == "login", LoginAttempt.email == user.email
        )
    )
    db.session.commit()
    return user


def request_password_reset(email: str, address: str, *, now=None) -> None:
    """Mail a reset link to the account with this email, within rate limits.

    The answer does not tell whether the email has an account. To keep the time
    it takes from telling either, an email without an account gets a short
    notice instead, through the same mail server. Requests are limited per email
    and per address (PASSWORD_RESET_MAX_PER_EMAIL, PASSWORD_RESET_MAX_PER_ADDRESS
    in PASSWORD_RESET_WINDOW_MINUTES). A mail failure is logged, not raised: the
    visitor sees the same answer.
    """
    now = now or utcnow()
    email = _checked_email(email)
    address = (address or "unknown")[:64]
    config = current_app.config
    minutes = config["PASSWORD_RESET_WINDOW_MINUTES"]
    since = now - timedelta(minutes=minutes)
    if (
        _count_attempts("reset", since, email=email)
        >= config["PASSWORD_RESET_MAX_PER_EMAIL"]
        or _count_attempts("reset", since, address=address)
        >= config["PASSWORD_RESET_MAX_PER_ADDRESS"]
    ):
        raise RateLimited(
            "Too many password reset requests. Check your mail for the links "
            f"already sent, or wait {minutes} minutes and try again.",
            retry_after=minutes * 60,
        )
    _record_attempt("reset", email, address, now)
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        link = _reset_link(user)
        subject = "Reset your Knowhow password"
        context = {"user": user, "link": link, "minutes": _reset_minutes()}
        template = "mail/password_reset"
    else:
        link = None
        subject = "Knowhow password reset"
        context = {"email": email, "register": _external_url("accounts.register")}
        template = "mail/no_account"
    try:
        send_mail(
            email,
            subject,
            render_template(f"{template}.txt", **context),
            render_template(f"{template}.html", **context),
        )
    except MailError as error:
        current_app.logger.error("Password reset mail to %s failed: %s", email, error)
    if link and not mail_configured():
        # With no mail server, the person running the site can pass the link on.
        current_app.logger.warning("Password reset link for %s: %s", email, link)


def issue_reset_link(email: str) -> str:
    """Return a one-time reset link for the account with this email."""
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound(f"No account with the email {email}.")
    return _reset_link(user)


def set_password(user: User, password: str) -> User:
    """Set a password without the current one (admin tools) and end every session."""
    problem = password_problem(
        password or "", email=user.email, display_name=user.display_name
    )
    if problem:
        raise ValidationError("Choose another password.", {"password": problem})
    user.set_password(password, _hash_method())
    user.session_token = new_session_token()
    db.session.commit()
    return user


def log_out_everywhere(user: User) -> User:
    """End every session of the user, on every device."""
    user.session_token = new_session_token()
    db.session.commit()
    return user


def update_profile(user: User, display_name: str, about: str) -> User:
    """Change the user's display name and about text."""
    display_name = " ".join((display_name or "").split())
    about = about or ""
    errors = {}
    if problem := _display_name_problem(display_name):
        errors["display_name"] = problem
    if len(about) > ABOUT_MAX:
        errors["about"] = f"Use at most {ABOUT_MAX} characters."
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    user.display_name = display_name
    user.about_markdown = about
    user.about_html = render_markdown(about)
    db.session.commit()
    return user


def set_role(email: str, role: str) -> User:
    """Give the account with this email a role."""
    if role not in ROLES:
        raise ValidationError(f"Role must be one of: {', '.join(ROLES)}.")
    user = db.session.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound(f"No account with the email {email}.")
    user.role = role
    db.session.commit()
    return user


def create_admin(email: str, password: str, display_name: str = "") -> User:
    """Create an administrator, or promote an existing account to one."""
    existing = db.session.scalar(
        select(User).where(User.email == normalize_email(email))
    )
    if existing is not None:
        existing.role = "admin"
        db.session.commit()
        return existing
    name = display_name or normalize_email(email).split("@")[0][:DISPLAY_NAME_MAX]
    return register_user(
        name.ljust(DISPLAY_NAME_MIN, "_"), email, password, role="admin"
    )


def load_session_user(session_id: str) -> User | None:
    """Return the user a session id names, if that session is still valid."""
    user_id, _, token = (session_id or "").partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not secrets.compare_digest(user.session_token, token):
        return None
    return user


def touch_last_seen(user: User, *, now=None) -> None:
    """Record that the user was active, at most every few minutes."""
    now = now or utcnow()
    if user.last_seen_at is None or now - user.last_seen_at > LAST_SEEN_EVERY:
        user.last_seen_at = now
        db.session.commit()


def stash_form(path: str, form: dict, user: User | None = None, *, now=None) -> str:
    """Keep a form's text on the server and return the token that gives it back."""
    now = now or utcnow()
    data = {k: str(form[k])[:40000] for k in STASHED_FIELDS if form.get(k)}
    token = secrets.token_urlsafe(24)
    db.session.add(
        FormStash(
            token=token,
            path=path[:500],
            data=json.dumps(data),
            user_id=user.id if user else None,
            created_at=now,
        )
    )
    db.session.execute(
        delete(FormStash).where(FormStash.created_at < now - STASH_LIFETIME)
    )
    db.session.commit()
    return token


def take_stash(token: str, path: str, *, now=None) -> dict:
    """Return and forget the text stashed for this form, or an empty dict."""
    now = now or utcnow()
    stash = db.session.scalar(select(FormStash).where(FormStash.token == (token or "")))
    if stash is None or stash.path != path or stash.created_at < now - STASH_LIFETIME:
        return {}
    data = json.loads(stash.data)
    db.session.delete(stash)
    db.session.commit()
    return data


def find_user(email: str) -> User | None:
    """Return the account with this email, if there is one."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def get_user(user_id: int) -> User:
    """Return the user with this id or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such member.")
    return user
