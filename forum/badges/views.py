"""Badge pages, and the hook that records the day of each member's visit."""

import logging

from flask import Blueprint, render_template, request, session
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from forum.badges import rules, services
from forum.extensions import db, utcnow
from forum.web import page_number

bp = Blueprint("badges", __name__)

HOLDERS_PER_PAGE = 50
# The session remembers the last day recorded, so only a browser's first request
# of a UTC day touches the database.
VISIT_KEY = "visit_day"

log = logging.getLogger(__name__)


def _user():
    """Return the current user object, or None for anonymous visitors."""
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.before_app_request
def record_visit_day():
    """Record the day of a logged-in member's visit, once per UTC day."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    mark = f"{current_user.id}:{utcnow().date().isoformat()}"
    if session.get(VISIT_KEY) == mark:
        return
    try:
        services.record_visit(_user())
    except SQLAlchemyError:
        # A missed visit day must not cost the member the page they asked for.
        log.warning("Could not record a visit day", exc_info=True)
        db.session.rollback()
        return
    session[VISIT_KEY] = mark


@bp.route("/badges")
def index():
    """List every badge by class, with how many members hold each."""
    return render_template(
        "badges/index.html",
        catalogue=services.catalogue(),
        held=services.held_by(_user()),
        levels=rules.LEVELS,
    )


@bp.route("/badges/<slug>")
def badge(slug: str):
    """Show a badge and the members who earned it, newest first."""
    badge = services.get_badge(slug)
    pagination = db.paginate(
        services.holders_of(badge),
        page=page_number(),
        per_page=HOLDERS_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "badges/badge.html",
        badge=badge,
        pagination=pagination,
        held=badge.slug in services.held_by(_user()),
    )
