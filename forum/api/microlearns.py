"""Read API for the microlearn catalogue, readable cross-origin by allowed LMSs.

Nested in the API blueprint, so its paths start with /api/v1/microlearns.
"""

from urllib.parse import urljoin

from flask import Blueprint, current_app, request, url_for

from forum.errors import error_response
from forum.extensions import db
from forum.microlearns import services
from forum.microlearns.models import FORMATS
from forum.posts.services import TAG_MAX, TAG_RE, slugify
from forum.web import isotime, whole_number

bp = Blueprint("microlearns", __name__, url_prefix="/microlearns")

# The highest page a list serves, as for questions.
MAX_PAGE = 99999
MAX_THREADS = 50


@bp.after_request
def allow_origins(response):
    """Let the allowed LMS origins read responses; no cookies, GET only."""
    response.vary.add("Origin")
    origin = request.headers.get("Origin", "")
    if origin and origin.lower() in current_app.config["EMBED_ALLOWED_ORIGINS"]:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def _describe(microlearn) -> dict:
    """Describe a microlearn for an LMS or app."""
    key = microlearn.key
    average = microlearn.average_rating
    return {
        "key": key,
        "title": microlearn.title,
        "objective": microlearn.objective,
        "format": microlearn.format,
        # Content the site serves itself is stored as a path: give LMSs all of it.
        "content_url": urljoin(request.host_url, microlearn.content_url),
        "player_url": microlearn.player_url
        if services.player_allowed(microlearn.player_url)
        else None,
        "duration_minutes": microlearn.duration_minutes,
        "tags": [tag.name for tag in microlearn.tags],
        "audience": microlearn.audience,
        "source": microlearn.source,
        "updated_on": microlearn.updated_on.isoformat()
        if microlearn.updated_on
        else None,
        "version": microlearn.version,
        "retired": microlearn.is_retired,
        "rating": {
            "average": round(average, 2) if average is not None else None,
            "count": microlearn.rating_count,
            "still_accurate": microlearn.accurate_count,
            "outdated": microlearn.outdated_count,
        },
        "question_count": microlearn.question_count,
        "created_at": isotime(microlearn.created_at),
        "url": url_for("microlearns.microlearn", key=key, _external=True),
        "ask_url": url_for("microlearns.ask", key=key, _external=True),
        "embed_url": url_for("microlearns.embed", key=key, _external=True),
        "threads_url": url_for("api.microlearns.threads", key=key, _external=True),
    }


@bp.route("")
def catalogue():
    """List the catalogue: ?tag=&format=&sort=newest|rated|discussed&page=."""
    sort = request.args.get("sort", "newest")
    if sort not in services.SORTS:
        return _error("bad_sort", f"sort must be one of: {', '.join(services.SORTS)}.")
    format_ = request.args.get("format", "").strip().lower() or None
    if format_ and format_ not in FORMATS:
        return _error("bad_format", f"format must be one of: {', '.join(FORMATS)}.")
    tag = request.args.get("tag", "").strip().lower() or None
    if tag and not (len(tag) <= TAG_MAX and TAG_RE.fullmatch(tag)):
        return _error("bad_tag", "tag must be a tag name, like onboarding.")
    page = whole_number(request.args.get("page", "1"), 0, high=MAX_PAGE)
    if not page:
        return _error("bad_page", f"page must be a whole number from 1 to {MAX_PAGE}.")
    per_page = current_app.config["MICROLEARNS_PER_PAGE"]
    pagination = db.paginate(
        services.catalogue(sort=sort, format=format_, tag=tag),
        page=page,
        per_page=per_page,
        error_out=False,
    )
    return {
        "items": [_describe(microlearn) for microlearn in pagination.items],
        "page": pagination.page,
        "per_page": per_page,
        "total": pagination.total,
        "pages": pagination.pages,
        "sort": sort,
        "format": format_,
        "tag": tag,
    }


@bp.route("/<key>")
def microlearn(key: str):
    """Return one microlearn by its key, retired ones too."""
    return _describe(services.get_microlearn(key))


@bp.route("/<key>/threads")
def threads(key: str):
    """List the questions about a microlearn: ?sort=votes|activity&limit=."""
    item = services.get_microlearn(key)
    sort = request.args.get("sort", "votes")
    if sort not in services.THREAD_SORTS:
        return _error(
            "bad_sort", f"sort must be one of: {', '.join(services.THREAD_SORTS)}."
        )
    limit = whole_number(request.args.get("limit", "10"), 0, high=MAX_THREADS)
    if not limit:
        return _error(
            "bad_limit", f"limit must be a whole number from 1 to {MAX_THREADS}."
        )
    return {
        "key": item.key,
        "sort": sort,
        "items": [
            {
                "id": thread.question.id,
                "title": thread.question.title,
                "url": url_for(
                    "posts.question",
                    question_id=thread.question.id,
                    slug=slugify(thread.question.title),
                    _external=True,
                ),
                "score": thread.question.score,
                "answer_count": thread.question.answer_count,
                "has_accepted": thread.has_accepted,
                "last_activity": isotime(thread.question.last_activity_at),
            }
            for thread in services.threads_of(item, sort, limit)
        ],
    }


def _error(code: str, message: str):
    """Return a 400 JSON error in the API's shape."""
    return error_response(400, message, code)
