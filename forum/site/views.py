"""The home page and the health check."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from forum.extensions import db
from forum.posts.views import render_question_list

bp = Blueprint("site", __name__)


@bp.route("/")
def home():
    """Show the newest questions, with a welcome for visitors."""
    return render_question_list("site/home.html")


@bp.route("/healthz")
def healthz():
    """Report whether the application and its database answer."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # noqa: BLE001 - any failure means unhealthy
        db.session.rollback()
        return jsonify(
            {"status": "error", "database": f"error: {type(error).__name__}"}
        ), 503
    return jsonify({"status": "ok", "database": "ok"})
