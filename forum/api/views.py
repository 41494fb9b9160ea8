"""Read API, version 1: questions with their answers and comments."""

from flask import Blueprint, current_app, request, url_for
from flask_login import current_user

from forum.api import microlearns, reputation
from forum.extensions import csrf, db
from forum.posts import services as posts
from forum.posts.models import QUESTION
from forum.search import services as search_services
from forum.search.backends import SORTS as SEARCH_SORTS
from forum.web import isotime, whole_number

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
bp.register_blueprint(microlearns.bp)
bp.register_blueprint(reputation.bp)

# The highest page a list serves: larger offsets only burden the database.
MAX_PAGE = 99999


def _author(user) -> dict:
    """Describe a post's author."""
    return {
        "id": user.id,
        "display_name": user.display_name,
        "reputation": user.reputation,
    }


def _comment(comment) -> dict:
    """Describe a comment."""
    return {
        "id": comment.id,
        "body_markdown": comment.body_markdown,
        "body_html": comment.body_html,
        "author": _author(comment.author),
        "created_at": isotime(comment.created_at),
    }


def _summary(question, accepted_answer_id: int | None) -> dict:
    """Describe a question as a list shows it, with its visible accepted answer."""
    return {
        "id": question.id,
        "title": question.title,
        "score": question.score,
        "view_count": question.view_count,
        "answer_count": question.answer_count,
        "accepted_answer_id": accepted_answer_id,
        "tags": [tag.name for tag in question.tags],
        "author": _author(question.author),
        "created_at": isotime(question.created_at),
        "last_activity_at": isotime(question.last_activity_at),
        "url": url_for(
            "posts.question",
            question_id=question.id,
            slug=posts.slugify(question.title),
            _external=True,
        ),
    }


@bp.route("/questions")
def questions():
    """List questions: ?sort=newest|active|unanswered|score&tag=&page=."""
    sort = request.args.get("sort", "newest")
    if sort not in posts.SORTS:
        return _error(
            400, "bad_sort", f"sort must be one of: {', '.join(posts.SORTS)}."
        )
    page = whole_number(request.args.get("page", "1"), 0, high=MAX_PAGE)
    if not page:
        return _error(
            400, "bad_page", f"page must be a whole number from 1 to {MAX_PAGE}."
        )
    tag = request.args.get("tag", "").strip().lower() or None
    if tag and not _is_tag_text(tag):
        return _error(400, "bad_tag", "tag must be a tag name, like onboarding.")
    per_page = current_app.config["QUESTIONS_PER_PAGE"]
    pagination = db.paginate(
        posts.questions(sort, tag),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    # An accepted answer that was deleted is not shown as accepted.
    accepted = posts.accepted_among(pagination.items)
    return {
        "items": [
            _summary(q, q.accepted_answer_id if q.id in accepted else None)
            for q in pagination.items
        ],
        "page": pagination.page,
        "per_page": per_page,
        "total": pagination.total,
        "pages": pagination.pages,
        "sort": sort,
        "tag": tag,
    }


@bp.route("/questions/<int:question_id>")
def question(question_id: int):
    """Return a question with its answers and comments."""
    page = posts.load_question_page(question_id, None)
    question = page.question
    if question.type != QUESTION:
        return _error(404, "not_found", "That question does not exist.")
    return {
        **_summary(question, page.accepted_answer_id),
        "body_markdown": question.body_markdown,
        "body_html": question.body_html,
        "comments": [_comment(c) for c in page.comments[question.id]],
        "answers": [
            {
                "id": answer.id,
                "body_markdown": answer.body_markdown,
                "body_html": answer.body_html,
                "score": answer.score,
                "is_accepted": answer.id == page.accepted_answer_id,
                "author": _author(answer.author),
                "created_at": isotime(answer.created_at),
                "comments": [_comment(c) for c in page.comments[answer.id]],
            }
            for answer in page.answers
        ],
    }


@bp.route("/tags")
def tags():
    """List tags by popularity, optionally those starting with ?prefix=."""
    prefix = request.args.get("prefix", "")[:35]
    limit = min(whole_number(request.args.get("limit"), 8), 50)
    found = (
        posts.suggest_tags(prefix, limit)
        if _is_tag_text(prefix.strip().lower())
        else []
    )
    return {
        "items": [
            {
                "name": tag.name,
                "question_count": tag.question_count,
                "excerpt": tag.excerpt,
            }
            for tag in found
        ]
    }


@bp.route("/search")
def search():
    """Search questions and answers: ?q=&sort=relevance|newest|votes&page=."""
    sort = request.args.get("sort", "relevance")
    if sort not in SEARCH_SORTS:
        return _error(
            400, "bad_sort", f"sort must be one of: {', '.join(SEARCH_SORTS)}."
        )
    high = search_services.MAX_PAGE
    page = whole_number(request.args.get("page", "1"), 0, high=high)
    if not page:
        return _error(400, "bad_page", f"page must be a whole number from 1 to {high}.")
    viewer = (
        current_user._get_current_object() if current_user.is_authenticated else None
    )
    found = search_services.search_posts(
        request.args.get("q", ""), viewer, sort=sort, page=page
    )
    return {
        "items": [
            {
                "type": result.post.type,
                "id": result.post.id,
                "question_id": result.question.id,
                "title": result.question.title,
                "snippet_html": str(result.snippet),
                "score": result.post.score,
                "tags": [tag.name for tag in result.question.tags],
                "is_accepted": result.accepted,
                "author": _author(result.post.author),
                "created_at": isotime(result.post.created_at),
                "url": url_for(
                    "posts.question",
                    question_id=result.question.id,
                    slug=posts.slugify(result.question.title),
                    _anchor=None if result.is_question else f"answer-{result.post.id}",
                    _external=True,
                ),
            }
            for result in found.results
        ],
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
        "pages": found.pages,
        "sort": found.sort,
        "suggestion": found.suggestion,
        "notes": found.query.notes,
        "facets": [{"tag": tag, "count": count} for tag, count in found.facets],
    }


def _is_tag_text(text: str) -> bool:
    """Tell whether text could be (the start of) a tag name."""
    # Anything else matches no tag, so the database need not be asked.
    return len(text) <= posts.TAG_MAX and posts.TAG_RE.fullmatch(text) is not None


def _error(status: int, code: str, message: str):
    """Return a JSON error in the API's shape."""
    return {"error": {"code": code, "message": message}}, status
