"""Account rules: registration, login, sessions, profiles and roles."""

import json
import re
import secrets
from datetime import timedelta
from functools import cache
from importlib.resources import files

from email_validator import EmailNotValidError, validate_email
from flask import current_app
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
from forum.markup import render_markdown

PASSWORD_MIN = 8
PASSWORD_MAX = 128
DISPLAY_NAME_MIN = 2
DISPLAY_NAME_MAX = 40
ABOUT_MAX = 5000
LAST_SEEN_EVERY = timedelta(minutes=5)
STASH_LIFETIME = timedelta(days=1)
STASHED_FIELDS = ("title", "body", "tags", "summary", "about", "display_name")


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


def authenticate(email: str, password: str, address: str, *, now=None) -> User:
    """Return the user with these credentials, counting failures against guessing."""
    now = now or utcnow()
    email = normalize_email(email)
    address = (address or "unknown")[:64]
    config = current_app.config
    since = now - timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    by_account = db.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.email == email, LoginAttempt.created_at > since)
    )
    by_address = db.session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(LoginAttempt.address == address, LoginAttempt.created_at > since)
    )
    if (
        by_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    ):
        minutes = config["LOGIN_WINDOW_MINUTES"]
        raise RateLimited(
            f"Too many failed attempts. Wait {minutes} minutes and try again, "
            "or reset your password with an administrator.",
            retry_after=minutes * 60,
        )
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.check_password(password or ""):
        db.session.add(LoginAttempt(email=email[:254], address=address, created_at=now))
        # Old failures are of no further use; trimming keeps the table small.
        db.session.execute(
            delete(LoginAttempt).where(
                LoginAttempt.created_at < now - timedelta(days=1)
            )
        )
        db.session.commit()
        raise ValidationError(
            "Email or password is incorrect.",
            {"password": "Email or password is incorrect."},
        )
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
    user.last_seen_at = now
    db.session.commit()
    return user


def change_password(user: User, current: str, new: str) -> User:
    """Set a new password and end every other session of the user."""
    if not user.check_password(current or ""):
        raise ValidationError(
            "Your current password is not correct.",
            {"current_password": "This is not your current password."},
        )
    problem = password_problem(
        new or "", email=user.email, display_name=user.display_name
    )
    if problem:
        raise ValidationError("Choose another password.", {"new_password": problem})
    user.set_password(new, _hash_method())
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
