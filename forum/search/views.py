"""The search results page and the search help page."""

from flask import Blueprint, render_template, request
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination

from forum.search import services
from forum.search.backends import SORTS
from forum.search.query import MAX_QUERY_CHARS
from forum.web import whole_number

bp = Blueprint("search", __name__)

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
    )


@bp.route("/help/search")
def help_page():
    """Explain the search query language with examples."""
    return render_template("search/help.html")
