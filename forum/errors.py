"""Domain exceptions and their mapping to HTTP responses."""

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from forum.extensions import db


class DomainError(Exception):
    """Base of every rule the domain refuses; carries a message for the user."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str = "", errors: dict | None = None):
        super().__init__(message or self.__doc__)
        self.message = message or (self.__doc__ or "").strip()
        self.errors = errors or {}


class ValidationError(DomainError):
    """The input does not satisfy the rules."""

    status = 422
    code = "invalid"


class NotFound(DomainError):
    """That does not exist, or you may not see it."""

    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    """You may not do that."""

    status = 403
    code = "forbidden"


class Conflict(DomainError):
    """That conflicts with the current state."""

    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """Too many attempts; wait a little and try again."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str = "", retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after


TITLES = {
    400: ("Bad request", "We could not understand that request."),
    403: ("Not allowed", "You do not have permission to do that."),
    404: (
        "Page not found",
        "We could not find that page. It may have been moved or deleted.",
    ),
    405: ("Not allowed", "That action is not available here."),
    409: ("Conflict", "That conflicts with the current state of the page."),
    413: ("Too large", "What you sent is larger than 1 MB. Shorten it and try again."),
    422: ("Check your input", "Some of what you sent is not valid."),
    429: ("Slow down", "Too many attempts. Wait a little and try again."),
    500: (
        "Something went wrong",
        "An unexpected error happened on our side. "
        "Your data is safe; try again in a moment.",
    ),
}


def wants_json() -> bool:
    """Tell whether the current request should get a JSON error."""
    return request.path.startswith("/api/") or request.path == "/healthz"


def error_response(status: int, message: str | None = None, code: str | None = None):
    """Render an error page or a JSON error with the given status."""
    title, default = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    message = message or default
    if wants_json():
        response = jsonify(
            {
                "error": {
                    "code": code or title.lower().replace(" ", "_"),
                    "message": message,
                }
            }
        )
        response.status_code = status
        return response
    return (
        render_template(
            "errors/error.html", status=status, title=title, message=message
        ),
        status,
    )


def register_error_handlers(app: Flask) -> None:
    """Map domain exceptions and HTTP errors to pages and JSON in one place."""

    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        """Show a domain refusal with its status."""
        response = error_response(error.status, error.message, error.code)
        if isinstance(error, RateLimited):
            response = app.make_response(response)
            response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        """Show a friendly page for every HTTP error."""
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            error.code or 500
        )
        message = None if error.code in TITLES else error.description
        response = app.make_response(error_response(error.code or 500, message, code))
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception):
        """Log an unexpected error and show a calm 500 page."""
        app.logger.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        return error_response(500, code="server_error")
