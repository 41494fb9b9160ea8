"""The search results page, the help page, and similar and related questions."""

import logging

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_sqlalchemy.pagination import Pagination

from forum.accounts import services as accounts
from forum.posts.services import TAG_MAX, TAGS_MAX, slugify
from forum.search import services
from forum.search.backends import FACET_SAMPLE, SORTS
from forum.search.query import MAX_QUERY_CHARS
from forum.web import whole_number

bp = Blueprint("search", __name__)
log = logging.getLogger(__name__)

SORT_LABELS = {"relevance": "Relevance", "newest": "Newest", "votes": "Votes"}
ASK_TITLE_MAX = 150


class ResultPages(Pagination):
    """Page links for results the search service already fetched."""

    def _query_items(self) -> list:
        """Return the results of this page."""
        return self._query_args["items"]

    def _query_count(self) -> int:
        """Return how many results the page links may reach."""
        return self._query_args["total"]


@bp.route("/search")
def search():
    """Search questions and answers: ?q=&sort=relevance|newest|votes&page=."""
    text = request.args.get("q", "")[:MAX_QUERY_CHARS]
    sort = request.args.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    page = whole_number(request.args.get("page"), 1, high=services.MAX_PAGE)
    viewer = (
        current_user._get_current_object() if current_user.is_authenticated else None
    )
    found = services.search_posts(text, viewer, sort=sort, page=page)
    pages = ResultPages(
        page=found.page,
        per_page=found.per_page,
        error_out=False,
        items=found.results,
        total=min(found.total, services.MAX_PAGE * found.per_page),
    )
    return render_template(
        "search/results.html",
        q=text,
        found=found,
        pagination=pages,
        sort=sort,
        sorts=SORT_LABELS,
        ask_title=found.query.plain_text()[:ASK_TITLE_MAX],
        facet_sample=FACET_SAMPLE,
    )


@bp.route("/help/search")
def help_page():
    """Explain the search query language with examples."""
    return render_template("search/help.html")


@bp.route("/search/similar")
def similar():
    """List questions like a title being typed, as JSON: ?title=&tags=&exclude=."""
    title = request.args.get("title", "")[:ASK_TITLE_MAX]
    tags = request.args.get("tags", "")[: (TAG_MAX + 1) * TAGS_MAX]
    exclude = whole_number(request.args.get("exclude"), 0) or None
    found = services.similar_questions(title, tags, exclude=exclude)
    return {
        "items": [
            {
                "id": question.id,
                "title": question.title,
                "url": url_for(
                    "posts.question",
                    question_id=question.id,
                    slug=slugify(question.title),
                ),
                "answer_count": question.answer_count,
                "score": question.score,
            }
            for question in found
        ]
    }


@bp.route("/search/similar", methods=["POST"])
@login_required
def check_similar():
    """Keep the ask form's text and show it again with the questions like its title."""
    ask_path = url_for("posts.ask")[len(request.script_root) :]
    token = accounts.stash_form(
        ask_path, request.form.to_dict(), current_user._get_current_object()
    )
    # The stash keeps title, body and tags; the microlearn key rides along.
    microlearn = request.form.get("microlearn", "")[:200] or None
    return redirect(
        url_for(
            "posts.ask",
            restore=token,
            microlearn=microlearn,
            _anchor="similar-questions",
        )
    )


@bp.app_template_global("similar_questions")
def similar_questions_for(title: str) -> list:
    """Return the questions like a title for a page, or none if search fails."""
    if not (title or "").strip():
        return []
    try:
        return services.similar_questions(title)
    except Exception:
        # A side list must not take the ask form down with it.
        log.exception("Similar questions failed")
        return []


@bp.app_template_global("related_questions")
def related_questions_for(question) -> list:
    """Return the questions related to a question for its page, or none on failure."""
    try:
        return services.related_questions(question)
    except Exception:
        # A side list must not take the question page down with it.
        log.exception("Related questions failed")
        return []
