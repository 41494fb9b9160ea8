"""The inbox: a member's notifications, and the unread count in the top bar."""

import logging

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db
from forum.notifications import services
from forum.web import page_number

bp = Blueprint("notifications", __name__)

PER_PAGE = 30

log = logging.getLogger(__name__)


def _user():
    """Return the logged-in member."""
    return current_user._get_current_object()


@bp.app_template_global()
def unread_notifications() -> int:
    """Return the logged-in member's unread count, once per request."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        try:
            g.unread_notifications = services.unread_count(_user())
        except SQLAlchemyError:
            # The count must never turn a page (or an error page) into a failure.
            log.warning("Could not count unread notifications", exc_info=True)
            db.session.rollback()
            g.unread_notifications = 0
    return g.unread_notifications


def _back() -> str:
    """Return the inbox page the member was on."""
    page = page_number()
    return url_for("notifications.inbox", page=page if page > 1 else None)


@bp.route("/inbox")
@login_required
def inbox():
    """List the member's notifications, newest first, unread ones marked."""
    pagination = db.paginate(
        services.inbox_for(_user()),
        page=page_number(),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("notifications/inbox.html", pagination=pagination)


@bp.route("/inbox/read", methods=["POST"])
@login_required
def mark_all_read():
    """Mark every notification read."""
    marked = services.mark_all_read(_user())
    if marked:
        flash(f"Marked {marked} notification{'s' if marked != 1 else ''} read.", "info")
    return redirect(url_for("notifications.inbox"))


@bp.route("/inbox/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id: int):
    """Mark one notification read and stay on the inbox page."""
    services.mark_read(_user(), notification_id)
    return redirect(_back() + f"#notification-{notification_id}")
