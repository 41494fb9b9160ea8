"""The home page and the health check."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from forum.extensions import db
from forum.posts.views import render_question_list

bp = Blueprint("site", __name__)

# What the welcome promises: only what Knowhow does today. Add a line per feature.
WELCOME_POINTS = (
    "Ask a question; colleagues answer and comment.",
    "Accept the answer that helped, so the next person finds it first.",
    "Tags group questions by topic, so the people who know it see them.",
    "Posts can be improved by editing, and every edit is kept in its history.",
    "What you are typing is kept as a draft until you post it.",
)


@bp.route("/")
def home():
    """Show the newest questions, with a welcome for visitors."""
    return render_question_list("site/home.html", welcome_points=WELCOME_POINTS)


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
