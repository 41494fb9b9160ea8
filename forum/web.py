"""Request plumbing the views share: drafts, expired forms, form errors, filters."""

import hashlib
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from flask import (
    Flask,
    Request,
    current_app,
    flash,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter

from forum.accounts import services as accounts
from forum.errors import error_response
from forum.extensions import login_manager, utcnow

# Every page's policy unless a view sets its own (the microlearn player and widget).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' http: https: data:; "
    "style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'self'; frame-ancestors 'self'; form-action 'self'"
)


def init_app(app: Flask) -> None:
    """Wire the request class, headers, expired-form recovery and template helpers."""
    from forum.reputation.privileges import can

    app.request_class = CleanRequest
    app.url_map.converters["int"] = BoundedInt
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Log in to continue."
    login_manager.login_message_category = "info"
    app.register_error_handler(CSRFError, recover_expired_form)

    @app.after_request
    def security_headers(response):
        """Send headers that keep pages from being framed or sniffed."""
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # A page that names its own frame-ancestors (the embed widget) decides
        # who may frame it; browsers that ignore frame-ancestors would obey a
        # SAMEORIGIN here and refuse the frames it allows.
        policy = response.headers.get("Content-Security-Policy", "")
        if "frame-ancestors" not in policy:
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    from forum.markup import to_plain_text
    from forum.posts.services import slugify

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.filters["slug"] = slugify
    app.jinja_env.filters["plain"] = to_plain_text
    app.jinja_env.filters["timeago"] = timeago
    app.jinja_env.filters["isotime"] = isotime
    app.jinja_env.filters["exacttime"] = exacttime
    app.jinja_env.filters["compact"] = compact_number
    app.jinja_env.globals["can"] = can
    app.jinja_env.globals["drafts_to_clear"] = drafts_to_clear
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["time_tag"] = time_tag


class CleanParameters(ImmutableMultiDict):
    """Query and form values without NUL characters.

    A browser never sends NUL in meaningful text, and PostgreSQL refuses to store
    or compare strings that contain it; dropping it here keeps every view safe.
    """

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        super().__init__(
            (
                key.replace("\x00", ""),
                value.replace("\x00", "") if isinstance(value, str) else value,
            )
            for key, value in MultiDict(mapping).items(multi=True)
        )


class CleanRequest(Request):
    """The request class: its query and form values carry no NUL characters."""

    parameter_storage_class = CleanParameters


class BoundedInt(IntegerConverter):
    """An int URL part that fits the database's integer columns."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def safe_next(target: str | None, default: str = "/") -> str:
    """Return target if it is a path on this site, else the default."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return default
    if "\\" in target:
        return default
    return target


def viewer_key() -> str:
    """Identify the current viewer for view counting without storing an address."""
    if current_user.is_authenticated:
        return f"u:{current_user.id}"
    raw = f"{request.remote_addr}|{request.user_agent.string}".encode()
    return "a:" + hashlib.sha256(raw).hexdigest()[:40]


def client_address() -> str:
    """Return the address the request came from."""
    return request.remote_addr or "unknown"


def apply_errors(form, error) -> None:
    """Attach a domain ValidationError's field messages to the form's fields."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message] if field.errors else [message]


def url_for_path(path: str, **args) -> str:
    """Return a site path with query arguments."""
    return f"{path}?{urlencode(args)}" if args else path


def restored(path: str) -> dict:
    """Return the stashed text for the form at this path, if the URL names one."""
    token = request.args.get("restore")
    return accounts.take_stash(token, path) if token else {}


def recover_expired_form(error: CSRFError):
    """Keep the text of a form whose session expired and send its author back to it."""
    has_text = any(request.form.get(name) for name in accounts.STASHED_FIELDS)
    if request.path.startswith("/api/") or request.method != "POST" or not has_text:
        return error_response(400, "The form expired. Reload the page and try again.")
    user = current_user._get_current_object() if current_user.is_authenticated else None
    token = accounts.stash_form(request.path, request.form.to_dict(), user)
    target = url_for_path(request.path, restore=token)
    if user is None:
        flash("Your session expired. Log in and your text will be waiting.", "warning")
        return redirect(url_for("accounts.login", next=target))
    flash(
        "The page had expired, so nothing was sent. Your text is below: send it again.",
        "warning",
    )
    return redirect(target)


def clear_draft(key: str) -> None:
    """Ask the next page to drop the browser's saved draft for a form."""
    keys = session.get("clear_drafts", [])
    if key not in keys:
        session["clear_drafts"] = [*keys, key][-10:]


def drafts_to_clear() -> str:
    """Return, once, the draft keys that the page should drop."""
    return " ".join(session.pop("clear_drafts", []))


def form_status(form) -> int:
    """Return 422 when a submitted form had errors, else 200."""
    return 422 if form.is_submitted() and form.errors else 200


def whole_number(value: str | None, default: int, *, high: int = 10**6) -> int:
    """Return value as a whole number from 1 to high, or the default."""
    # isdigit() alone accepts "²", which int() refuses: ASCII digits only.
    if value and value.isascii() and value.isdigit() and len(value) <= 9:
        number = int(value)
        if 1 <= number <= high:
            return number
    return default


def page_number() -> int:
    """Return the requested page number, 1 for anything that is not a valid one."""
    return whole_number(request.args.get("page"), 1)


def query_args() -> dict:
    """Return the query arguments that are safe to carry into a URL we build."""
    # Names that any route of this endpoint takes from the path, like "slug".
    path_names = set(request.view_args or {})
    for rule in current_app.url_map.iter_rules(request.endpoint):
        path_names |= rule.arguments
    return {
        key: value
        for key, value in request.args.items()
        if not key.startswith("_") and key not in path_names
    }


def page_url(endpoint_args: dict, page: int) -> str:
    """Return the current URL with another page number."""
    args = {**query_args(), **(request.view_args or {}), **endpoint_args, "page": page}
    return url_for(request.endpoint, **args)


def timeago(value: datetime | None, now: datetime | None = None) -> str:
    """Describe a time relative to now, like “3 hours ago”."""
    if value is None:
        return ""
    now = now or utcnow()
    seconds = int((now - value).total_seconds())
    if seconds < 0:
        return "just now"
    for limit, size, unit in (
        (60, 1, None),
        (3600, 60, "min"),
        (86400, 3600, "hour"),
        (86400 * 30, 86400, "day"),
        (86400 * 365, 86400 * 30, "month"),
        (10**12, 86400 * 365, "year"),
    ):
        if seconds < limit:
            if unit is None:
                return "just now"
            count = seconds // size
            if unit == "min":
                return f"{count} min ago"
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return exacttime(value)


def isotime(value: datetime | None) -> str:
    """Return an ISO 8601 timestamp in UTC."""
    if value is None:
        return ""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def exacttime(value: datetime | None) -> str:
    """Return a readable exact UTC time."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%d %b %Y at %H:%M UTC")


def compact_number(value: int) -> str:
    """Shorten large counts: 1234 becomes 1.2k."""
    if value < 1000:
        return str(value)
    if value < 1_000_000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value / 1_000_000:.1f}m".replace(".0m", "m")


def time_tag(value: datetime | None) -> Markup:
    """Return a <time> element with relative text and the exact time on hover."""
    if value is None:
        return Markup("")
    return Markup('<time datetime="%s" title="%s">%s</time>') % (
        isotime(value),
        exacttime(value),
        timeago(value),
    )
