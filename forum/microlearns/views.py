"""Catalogue, microlearn, curator and rating pages, and the embeddable widget."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from forum.errors import Conflict, ValidationError
from forum.extensions import db
from forum.microlearns import services
from forum.microlearns.forms import MicrolearnForm, RatingForm
from forum.microlearns.models import FORMAT_LABELS, FORMATS
from forum.posts.services import TAG_MAX, TAG_RE
from forum.web import CONTENT_SECURITY_POLICY, apply_errors, form_status, page_number

bp = Blueprint("microlearns", __name__)

SORT_LABELS = {"newest": "Newest", "rated": "Best rated", "discussed": "Most discussed"}
THREAD_SORT_LABELS = {"votes": "Votes", "activity": "Activity"}
# The rating form's radio buttons: (value, label).
RATING_CHOICES = (
    ("5", "5 – very useful"),
    ("4", "4 – useful"),
    ("3", "3 – somewhat useful"),
    ("2", "2 – not very useful"),
    ("1", "1 – not useful"),
)
ACCURACY_CHOICES = (
    ("accurate", "Still accurate"),
    ("outdated", "Outdated"),
    ("", "Not sure"),
)
# The widget is read by people short on time: a handful of threads is enough.
EMBED_THREADS = 5


def _user():
    """Return the current user object, or None for anonymous visitors."""
    return current_user._get_current_object() if current_user.is_authenticated else None


@bp.context_processor
def microlearn_helpers() -> dict:
    """Give the microlearn templates their helpers."""
    return {
        "can_curate": services.can_curate,
        "format_labels": FORMAT_LABELS,
        "player_allowed": services.player_allowed,
    }


def with_directives(policy: str, **directives: str) -> str:
    """Return a Content-Security-Policy with some directives replaced or added."""
    parts = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            parts[name] = value
    for name, value in directives.items():
        parts[name.replace("_", "-")] = value
    return "; ".join(f"{name} {value}".strip() for name, value in parts.items())


def _catalogue_filters() -> dict:
    """Return the catalogue filters from the query string, ignoring bad values."""
    sort = request.args.get("sort", "newest")
    format_ = request.args.get("format", "")
    tag = request.args.get("tag", "").strip().lower()
    min_rating = request.args.get("min_rating", "")
    return {
        "sort": sort if sort in services.SORTS else "newest",
        "format": format_ if format_ in FORMATS else None,
        "tag": tag if len(tag) <= TAG_MAX and TAG_RE.fullmatch(tag) else None,
        "short": request.args.get("short") == "1",
        "min_rating": float(min_rating) if min_rating in services.MIN_RATINGS else None,
    }


def _filter_args(filters: dict) -> dict:
    """Return the query arguments that repeat the filters in a link."""
    args = {
        "format": filters["format"],
        "tag": filters["tag"],
        "short": "1" if filters["short"] else None,
        "min_rating": request.args.get("min_rating") if filters["min_rating"] else None,
    }
    return {name: value for name, value in args.items() if value}


@bp.route("/learn")
def catalogue():
    """List the microlearns in the catalogue, filtered and sorted."""
    filters = _catalogue_filters()
    pagination = db.paginate(
        services.catalogue(**filters),
        page=page_number(),
        per_page=current_app.config["MICROLEARNS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "microlearns/catalogue.html",
        pagination=pagination,
        filters=filters,
        filter_args=_filter_args(filters),
        filtered=any(value for name, value in filters.items() if name != "sort"),
        sorts=SORT_LABELS,
        tag_names=services.tag_names_in_use(),
        min_ratings=services.MIN_RATINGS,
    )


def render_microlearn(microlearn, rating_form=None):
    """Render a microlearn's page, with the rating form as sent when it had errors."""
    sort = request.args.get("sort", "votes")
    sort = sort if sort in services.THREAD_SORTS else "votes"
    viewer = _user()
    own = services.rating_by(microlearn, viewer)
    if rating_form is None:
        rating_form = RatingForm(formdata=None)
        if own is not None:
            rating_form.value.data = str(own.value)
            rating_form.accuracy.data = own.accuracy or ""
            rating_form.review.data = own.review_markdown
    response = make_response(
        render_template(
            "microlearns/microlearn.html",
            microlearn=microlearn,
            threads=services.threads_of(microlearn, sort, limit=20),
            thread_sort=sort,
            thread_sorts=THREAD_SORT_LABELS,
            reviews=services.ratings_of(microlearn, viewer),
            own_rating=own,
            rating_form=rating_form,
            rating_choices=[
                (rating_form.value, RATING_CHOICES),
                (rating_form.accuracy, ACCURACY_CHOICES),
            ],
        ),
        422 if rating_form.errors else 200,
    )
    if services.player_allowed(microlearn.player_url):
        host = urlsplit(microlearn.player_url).netloc.lower()
        response.headers["Content-Security-Policy"] = with_directives(
            CONTENT_SECURITY_POLICY, frame_src=f"'self' https://{host}"
        )
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response


@bp.route("/learn/<key>")
def microlearn(key: str):
    """Show a microlearn, its threads and its ratings; retired ones too."""
    item = services.get_microlearn(key)
    if key != item.key:
        return redirect(url_for("microlearns.microlearn", key=item.key), 301)
    return render_microlearn(item)


@bp.route("/learn/<key>/ask")
def ask(key: str):
    """Send the member to the ask form with the microlearn pre-linked."""
    item = services.get_microlearn(key)
    return redirect(url_for("posts.ask", microlearn=item.key))


@bp.route("/learn/new", methods=["GET", "POST"])
@login_required
def new():
    """Add a microlearn to the catalogue."""
    if not services.can_curate(_user()):
        abort(403)
    form = MicrolearnForm()
    if form.validate_on_submit():
        try:
            item = services.create_microlearn(_user(), form.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash("The microlearn is in the catalogue.", "success")
            return redirect(url_for("microlearns.microlearn", key=item.key))
    return render_template(
        "microlearns/edit.html", form=form, microlearn=None
    ), form_status(form)


@bp.route("/learn/<key>/edit", methods=["GET", "POST"])
@login_required
def edit(key: str):
    """Edit a microlearn."""
    item = services.get_microlearn(key)
    if not services.can_curate(_user()):
        abort(403)
    form = MicrolearnForm()
    if request.method == "GET":
        form = MicrolearnForm(
            data={
                "key": item.key,
                "title": item.title,
                "objective": item.objective,
                "format": item.format,
                "content_url": item.content_url,
                "player_url": item.player_url or "",
                "duration_minutes": item.duration_minutes or "",
                "tags": " ".join(tag.name for tag in item.tags),
                "audience": item.audience,
                "source": item.source,
                "updated_on": item.updated_on.isoformat() if item.updated_on else "",
                "version": item.version,
            }
        )
    if form.validate_on_submit():
        try:
            services.update_microlearn(_user(), item, form.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash("Your changes are saved.", "success")
            return redirect(url_for("microlearns.microlearn", key=item.key))
    return render_template(
        "microlearns/edit.html", form=form, microlearn=item
    ), form_status(form)


@bp.route("/learn/<key>/retire", methods=["POST"])
@login_required
def retire(key: str):
    """Take a microlearn out of the catalogue."""
    item = services.get_microlearn(key)
    services.retire_microlearn(_user(), item)
    flash("Retired: it is out of the catalogue; its page and threads stay.", "info")
    return redirect(url_for("microlearns.microlearn", key=item.key))


@bp.route("/learn/<key>/restore", methods=["POST"])
@login_required
def restore(key: str):
    """Put a retired microlearn back into the catalogue."""
    item = services.get_microlearn(key)
    services.restore_microlearn(_user(), item)
    flash("Restored: it is back in the catalogue.", "success")
    return redirect(url_for("microlearns.microlearn", key=item.key))


@bp.route("/learn/<key>/rate", methods=["GET", "POST"])
@login_required
def rate(key: str):
    """Rate a microlearn, or change your rating."""
    item = services.get_microlearn(key)
    if request.method == "GET":
        return redirect(url_for("microlearns.microlearn", key=item.key, _anchor="rate"))
    form = RatingForm()
    if form.validate_on_submit():
        try:
            services.rate_microlearn(
                _user(),
                item,
                form.value.data,
                form.accuracy.data or "",
                form.review.data or "",
            )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as error:
            flash(error.message, "warning")
            return redirect(url_for("microlearns.microlearn", key=item.key))
        else:
            flash("Thanks: your rating is saved.", "success")
            return redirect(
                url_for("microlearns.microlearn", key=item.key, _anchor="rate")
            )
    return render_microlearn(item, rating_form=form)


@bp.route("/learn/reviews/<int:rating_id>/hide", methods=["POST"])
@login_required
def hide_review(rating_id: int):
    """Hide a review's text."""
    rating = services.get_rating(rating_id)
    services.hide_review(_user(), rating)
    flash("The review is hidden; its stars still count.", "info")
    return redirect(
        url_for(
            "microlearns.microlearn",
            key=rating.microlearn.key,
            _anchor=f"review-{rating.id}",
        )
    )


@bp.route("/learn/reviews/<int:rating_id>/unhide", methods=["POST"])
@login_required
def unhide_review(rating_id: int):
    """Show a hidden review again."""
    rating = services.get_rating(rating_id)
    services.unhide_review(_user(), rating)
    flash("The review is visible again.", "success")
    return redirect(
        url_for(
            "microlearns.microlearn",
            key=rating.microlearn.key,
            _anchor=f"review-{rating.id}",
        )
    )


@bp.route("/learn/outdated")
@login_required
def outdated():
    """List the microlearns that members marked outdated, for curators to act on."""
    if not services.can_curate(_user()):
        abort(403)
    return render_template("microlearns/outdated.html", items=services.outdated_queue())


@bp.route("/learn/<key>/outdated/resolve", methods=["POST"])
@login_required
def resolve_outdated(key: str):
    """Take a microlearn off the outdated queue."""
    item = services.get_microlearn(key)
    services.resolve_outdated(_user(), item)
    flash(f"“{item.title}” is off the queue until someone marks it again.", "info")
    return redirect(url_for("microlearns.outdated"))


@bp.route("/embed/learn/<key>")
def embed(key: str):
    """Show a microlearn's top threads in a small page made for an LMS iframe."""
    item = services.get_microlearn(key)
    response = make_response(
        render_template(
            "embed/learn.html",
            microlearn=item,
            threads=services.threads_of(item, "votes", limit=EMBED_THREADS),
        )
    )
    origins = current_app.config["EMBED_ALLOWED_ORIGINS"]
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors " + (" ".join(origins) or "'none'")
    )
    return response
