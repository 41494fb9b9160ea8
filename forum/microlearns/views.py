"""Catalogue, microlearn, curator, rating and playlist pages, and the embed widget."""

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    get_template_attribute,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from jinja2 import Undefined
from markupsafe import Markup

from forum.errors import Conflict, DomainError, ValidationError
from forum.extensions import db
from forum.microlearns import cards, services
from forum.microlearns.forms import (
    AddToPlaylistForm,
    MicrolearnForm,
    NoteForm,
    PlaylistForm,
    RatingForm,
)
from forum.microlearns.models import (
    FORMAT_LABELS,
    FORMATS,
    LINK,
    PUBLIC,
    VISIBILITY_LABELS,
)
from forum.posts import services as posts
from forum.posts.models import QUESTION, Post
from forum.posts.services import TAG_MAX, TAG_RE, slugify
from forum.web import (
    CONTENT_SECURITY_POLICY,
    apply_errors,
    form_status,
    page_number,
    safe_next,
    whole_number,
)

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
    # Playlists show on the catalogue's front page, not on filtered or later pages.
    front = pagination.page == 1 and not any(
        value for name, value in filters.items() if name != "sort"
    )
    featured = services.featured_playlists() if front else []
    similar = (
        services.similar_playlists(_user(), exclude=tuple(p.id for p in featured))
        if front
        else []
    )
    return render_template(
        "microlearns/catalogue.html",
        featured_playlists=featured,
        similar_playlists=similar,
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
            services.update_microlearn(
                _user(), item, form.data, publish=bool(form.publish.data)
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if form.publish.data:
                waiting = services.open_health_count(item)
                flash(
                    f"{services.version_label(item.version)} is published. "
                    + (
                        f"{waiting} answer{'s' if waiting != 1 else ''} about it "
                        f"{'are' if waiting != 1 else 'is'} marked for a check on "
                        "the content health list."
                        if waiting
                        else "No answers about it needed marking."
                    ),
                    "success",
                )
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


# ---- playlists ----

VISIBILITY_HELP = {
    "private": "Only you can see it.",
    "link": "Anyone with its secret link can see it; it is listed nowhere.",
    "public": "Everyone can see it; it can appear on Learn.",
}


@bp.app_context_processor
def playlist_helpers() -> dict:
    """Give every template the member's playlists, for “Add to playlist”."""

    def my_playlists():
        """Return the logged-in member's playlists, or none."""
        return services.my_playlists(_user())

    return {"my_playlists": my_playlists, "visibility_labels": VISIBILITY_LABELS}


def _token() -> str | None:
    """Return the share token a form or link carried, if any."""
    return request.values.get("token") or None


def playlist_url(playlist, token: str | None = None, **args) -> str:
    """Return where the viewer reaches a playlist: by its share link if they came so."""
    if token and playlist.visibility == LINK:
        return url_for("microlearns.shared_playlist", token=token, **args)
    return url_for("microlearns.playlist", playlist_id=playlist.id, **args)


def _playlist_form_context() -> dict:
    """Return what the playlist form shows about the visibility choices."""
    return {"visibility_help": VISIBILITY_HELP}


@bp.route("/playlists")
def playlists():
    """List public playlists, and the member's own."""
    pagination = db.paginate(
        services.public_playlists(),
        page=page_number(),
        per_page=current_app.config["MICROLEARNS_PER_PAGE"],
        error_out=False,
    )
    return render_template(
        "microlearns/playlists.html",
        pagination=pagination,
        mine=services.my_playlists(_user()),
    )


@bp.route("/playlists/new", methods=["GET", "POST"])
@login_required
def new_playlist():
    """Start a playlist."""
    form = PlaylistForm()
    status = None
    if form.validate_on_submit():
        try:
            playlist = services.create_playlist(
                _user(), form.title.data, form.description.data, form.visibility.data
            )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as error:
            flash(error.message, "warning")
            status = 409
        else:
            flash(
                "Your playlist is ready. Add microlearns and questions to it "
                "with “Add to playlist” on their pages.",
                "success",
            )
            return redirect(playlist_url(playlist))
    return render_template(
        "microlearns/playlist_edit.html",
        form=form,
        playlist=None,
        **_playlist_form_context(),
    ), status or form_status(form)


def render_playlist(playlist, token=None, note_form=None, note_on=None):
    """Render a playlist page, with an item's note form as sent when it had errors."""
    viewer = _user()
    page = services.load_playlist_page(playlist, viewer, token)
    response = make_response(
        render_template(
            "microlearns/playlist.html",
            page=page,
            playlist=playlist,
            token=token,
            is_owner=services.owns_playlist(viewer, playlist),
            share_url=url_for(
                "microlearns.shared_playlist",
                token=playlist.share_token,
                _external=True,
            ),
            note_form=note_form or NoteForm(formdata=None),
            note_on=note_on,
            here=playlist_url(playlist, token),
        ),
        422 if note_form is not None and note_form.errors else 200,
    )
    if playlist.visibility != PUBLIC:
        # A private or unlisted playlist stays out of search engines and caches.
        response.headers["X-Robots-Tag"] = "noindex"
        response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/playlists/<int:playlist_id>")
def playlist(playlist_id: int):
    """Show a playlist to its owner, or to anyone while it is public."""
    return render_playlist(services.get_playlist(playlist_id, _user()))


@bp.route("/playlists/shared/<token>")
def shared_playlist(token: str):
    """Show a playlist shared by link to whoever has the link."""
    item = services.get_shared_playlist(token, _user())
    if item.visibility == PUBLIC:
        return redirect(url_for("microlearns.playlist", playlist_id=item.id))
    return render_playlist(item, token=token)


@bp.route("/playlists/<int:playlist_id>/edit", methods=["GET", "POST"])
@login_required
def edit_playlist(playlist_id: int):
    """Change a playlist's title, description and visibility."""
    item = services.get_playlist(playlist_id, _user())
    if not services.owns_playlist(_user(), item):
        abort(403)
    if request.method == "GET":
        form = PlaylistForm(
            data={
                "title": item.title,
                "description": item.description,
                "visibility": item.visibility,
            }
        )
    else:
        form = PlaylistForm()
    if form.validate_on_submit():
        try:
            services.update_playlist(
                _user(),
                item,
                form.title.data,
                form.description.data,
                form.visibility.data,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash("Your changes are saved.", "success")
            return redirect(playlist_url(item))
    return render_template(
        "microlearns/playlist_edit.html",
        form=form,
        playlist=item,
        **_playlist_form_context(),
    ), form_status(form)


@bp.route("/playlists/<int:playlist_id>/delete", methods=["POST"])
@login_required
def delete_playlist(playlist_id: int):
    """Delete a playlist."""
    item = services.get_playlist(playlist_id, _user())
    title = item.title
    services.delete_playlist(_user(), item)
    flash(f"The playlist “{title}” is deleted.", "info")
    return redirect(url_for("following.me"))


@bp.route("/playlists/<int:playlist_id>/link", methods=["POST"])
@login_required
def renew_share_link(playlist_id: int):
    """Replace a playlist's share link with a new one."""
    item = services.get_playlist(playlist_id, _user())
    services.renew_share_link(_user(), item)
    flash("The playlist has a new link; the old one no longer works.", "info")
    return redirect(playlist_url(item, _anchor="share"))


@bp.route("/playlists/<int:playlist_id>/copy", methods=["POST"])
@login_required
def copy_playlist(playlist_id: int):
    """Copy a playlist into a private one of my own."""
    token = _token()
    item = services.get_playlist(playlist_id, _user(), token)
    try:
        copy = services.copy_playlist(_user(), item, token=token)
    except Conflict as error:
        flash(error.message, "warning")
        return redirect(playlist_url(item, token))
    flash("This is your own private copy: reorder it, add to it, share it.", "success")
    return redirect(playlist_url(copy))


@bp.route("/playlists/<int:playlist_id>/feature", methods=["POST"])
@login_required
def feature_playlist(playlist_id: int):
    """Feature a public playlist on Learn."""
    item = services.get_playlist(playlist_id, _user())
    try:
        services.feature_playlist(_user(), item)
    except Conflict as error:
        flash(error.message, "warning")
    else:
        flash("Featured: it shows on Learn.", "success")
    return redirect(playlist_url(item))


@bp.route("/playlists/<int:playlist_id>/unfeature", methods=["POST"])
@login_required
def unfeature_playlist(playlist_id: int):
    """Stop featuring a playlist on Learn."""
    item = services.get_playlist(playlist_id, _user())
    services.unfeature_playlist(_user(), item)
    flash("It is no longer featured on Learn.", "info")
    return redirect(playlist_url(item))


def _add_target():
    """Return the (microlearn, question) that the add form names, or raise NotFound."""
    key = request.values.get("microlearn", "")
    if key:
        return services.get_microlearn(key), None
    post_id = whole_number(request.values.get("post"), 0, high=2**31 - 1)
    post = db.session.get(Post, post_id) if post_id else None
    if post is None or post.type not in services.PLAYLIST_POST_TYPES:
        abort(404)
    return None, post


@bp.route("/playlists/add", methods=["GET", "POST"])
@login_required
def add_to_playlist():
    """Add a microlearn or a question to one of my playlists, or to a new one."""
    user = _user()
    microlearn, post = _add_target()
    source = (
        url_for("microlearns.microlearn", key=microlearn.key)
        if microlearn is not None
        else url_for("posts.question", question_id=post.id, slug=slugify(post.title))
    )
    back = safe_next(request.values.get("next"), source)
    mine = services.my_playlists(user)
    form = AddToPlaylistForm()
    if request.method == "GET":
        form.playlist.data = str(mine[0].id) if mine else "new"
    if form.validate_on_submit():
        choice = form.playlist.data or "new"
        title = (form.title.data or "").strip()
        try:
            if choice == "new":
                item = services.add_to_new_playlist(
                    user, title, microlearn=microlearn, post=post, note=form.note.data
                )
            elif title:
                raise ValidationError(
                    "Please correct the marked fields.",
                    {
                        "playlist": "You typed a name for a new playlist: choose "
                        "“A new playlist” to make it, or clear the name."
                    },
                )
            else:
                playlist_id = whole_number(choice, 0, high=2**31 - 1)
                target = services.get_playlist(playlist_id, user)
                item = services.add_to_playlist(
                    user, target, microlearn=microlearn, post=post, note=form.note.data
                )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as error:
            form.playlist.errors = [error.message]
        else:
            flash(f"Added to your playlist “{item.playlist.title}”.", "success")
            return redirect(back)
    return render_template(
        "microlearns/playlist_add.html",
        form=form,
        microlearn=microlearn,
        post=post,
        back=back,
        mine=mine,
    ), form_status(form)


def _playlist_item(playlist_id: int, item_id: int, token: str | None = None):
    """Return a playlist the member may see and one of its items, or raise NotFound."""
    playlist = services.get_playlist(playlist_id, _user(), token)
    return playlist, services.get_playlist_item(playlist, item_id)


def _item_title(item) -> str:
    """Return what an item is called on the page."""
    return item.microlearn.title if item.microlearn is not None else item.post.title


@bp.route("/playlists/<int:playlist_id>/items/<int:item_id>/move", methods=["POST"])
@login_required
def move_playlist_item(playlist_id: int, item_id: int):
    """Move an item one place up or down."""
    playlist, item = _playlist_item(playlist_id, item_id)
    direction = request.form.get("direction", "")
    services.move_playlist_item(_user(), item, direction)
    flash(f"Moved “{_item_title(item)}” {direction}.", "info")
    return redirect(playlist_url(playlist, _anchor=f"item-{item.id}"))


@bp.route("/playlists/<int:playlist_id>/items/<int:item_id>/note", methods=["POST"])
@login_required
def edit_item_note(playlist_id: int, item_id: int):
    """Change the note on an item."""
    playlist, item = _playlist_item(playlist_id, item_id)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.edit_item_note(_user(), item, form.note.data or "")
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash("The note is saved.", "success")
            return redirect(playlist_url(playlist, _anchor=f"item-{item.id}"))
    return render_playlist(playlist, note_form=form, note_on=item.id)


@bp.route("/playlists/<int:playlist_id>/items/<int:item_id>/remove", methods=["POST"])
@login_required
def remove_playlist_item(playlist_id: int, item_id: int):
    """Take an item out of a playlist."""
    playlist, item = _playlist_item(playlist_id, item_id)
    title = _item_title(item)
    services.remove_playlist_item(_user(), item)
    flash(f"“{title}” is out of the playlist.", "info")
    return redirect(playlist_url(playlist, _anchor="items"))


@bp.route("/playlists/<int:playlist_id>/items/<int:item_id>/done", methods=["POST"])
@login_required
def mark_item_done(playlist_id: int, item_id: int):
    """Tick an item done, or untick it, for the learner."""
    token = _token()
    playlist, item = _playlist_item(playlist_id, item_id, token)
    done = request.form.get("done") == "1"
    services.mark_item_done(_user(), item, done, token=token)
    flash(
        f"{'Done' if done else 'Not done'}: “{_item_title(item)}”.",
        "success" if done else "info",
    )
    return redirect(playlist_url(playlist, token, _anchor=f"item-{item.id}"))


# ---- questions about microlearns ----


@bp.route("/learn/suggest")
def suggest():
    """Return catalogue items matching ?q=, for the ask form's autocomplete."""
    items = services.suggest_microlearns(request.args.get("q", ""))
    return jsonify(
        {
            "items": [
                {
                    "key": item.key,
                    "title": item.title,
                    "format": item.format,
                    "format_label": FORMAT_LABELS[item.format],
                    "duration_minutes": item.duration_minutes,
                }
                for item in items
            ]
        }
    )


@bp.route("/learn/<key>/link", methods=["POST"])
@login_required
def link_question(key: str):
    """Say that a question is about this microlearn (from the page's suggestions)."""
    item = services.get_microlearn(key)
    question_id = whole_number(request.form.get("question"), 0, high=2**31 - 1)
    question = posts.get_post(question_id, _user()) if question_id else None
    if question is None or question.type != QUESTION:
        abort(404)
    back = url_for(
        "posts.question", question_id=question.id, slug=slugify(question.title)
    )
    try:
        posts.edit_post(
            _user(),
            question,
            body=question.body_markdown,
            title=question.title,
            tags=[tag.name for tag in question.tags],
            microlearn=item.key,
            summary=f"About the microlearn “{item.title}”"[:300],
        )
    except DomainError as error:
        if not error.errors:
            raise
        flash(" ".join(error.errors.values()), "warning")
    else:
        flash(f"Your question is now about “{item.title}”.", "success")
    return redirect(back)


@bp.app_template_global()
def question_microlearn(question):
    """Return the microlearn a question is about, or None."""
    return services.microlearn_by_id(getattr(question, "microlearn_id", None))


@bp.app_template_global()
def linkable_microlearn(text):
    """Return the microlearn a question form's field names, for its card."""
    return services.linkable_microlearn(text)


@bp.app_template_global()
def related_microlearns(question):
    """Return microlearns matching an unlinked question's tags and title."""
    if question is None or question.microlearn_id is not None:
        return []
    return services.related_microlearns(question)


def _page_texts(page) -> list[str]:
    """Return the stored HTML of the posts on a question page."""
    posts_on_page = [getattr(page, "question", None), *getattr(page, "answers", [])]
    return [post.body_html for post in posts_on_page if post is not None]


@bp.app_template_filter("ml_cards")
def ml_cards(html, page=None) -> Markup:
    """Show the [[ml:KEY]] citations in stored, sanitised HTML as microlearn cards.

    The microlearns cited anywhere on the page load in one statement, kept for
    the request; unknown keys stay as the text the author wrote.
    """
    html = html or ""
    cache = g.setdefault("cited_microlearns", {})
    keys = services.cited_keys(html)
    # The first post of a page brings the keys of all the others.
    scanned = g.setdefault("cited_pages", set())
    if page and not isinstance(page, Undefined) and id(page) not in scanned:
        scanned.add(id(page))
        for text in _page_texts(page):
            keys |= services.cited_keys(text)
    missing = keys - cache.keys()
    if missing:
        found = services.microlearns_by_keys(missing)
        cache.update({key: found.get(key) for key in missing})
    if not keys:
        return Markup(html)
    cite = get_template_attribute("microlearns/_cite.html", "cite")

    def card(key: str, block: bool):
        """Return the card of a cited microlearn, or None for an unknown key."""
        item = cache.get(key)
        if item is None:
            return None
        return str(cite(item, block, FORMAT_LABELS[item.format]))

    return cards.replace_citations(html, card)


@bp.app_template_filter("ml_plain")
def ml_plain(text: str) -> str:
    """Show citations in plain text (an excerpt) as the keys they cite."""
    return cards.CITE_RE.sub(lambda match: match.group(1).lower(), text or "")


@bp.app_template_global()
def answer_health(page, post):
    """Return the content-health mark shown above an answer on its page, if any."""
    if post is None or post.is_question or not page or isinstance(page, Undefined):
        return None
    cache = g.setdefault("answer_health", {})
    question = page.question
    if question.id not in cache:
        cache[question.id] = services.health_marks_on(question, page.answers)
    return cache[question.id].get(post.id)


@bp.app_context_processor
def question_helpers() -> dict:
    """Give every template what microlearn cards and health markers need."""
    return {
        "can_check_answer": services.can_check_answer,
        "can_see_health": services.can_see_health,
        "format_labels": FORMAT_LABELS,
        "version_label": services.version_label,
    }


# ---- content health ----


@bp.route("/learn/health")
@login_required
def health():
    """List the answers that may be out of date since their microlearn changed."""
    if not services.can_see_health(_user()):
        abort(403)
    key = request.args.get("microlearn", "")
    item = services.get_microlearn(key) if key else None
    return render_template(
        "microlearns/health.html",
        marks=services.health_list(item),
        resolved=services.recently_resolved(item),
        microlearn=item,
    )


def _after_check(mark) -> str:
    """Return where to go after dealing with a mark: back where the member was."""
    answer = mark.answer
    question = answer.parent
    default = url_for(
        "posts.question",
        question_id=question.id,
        slug=slugify(question.title),
        _anchor=f"answer-{answer.id}",
    )
    return safe_next(request.form.get("next"), default)


@bp.route("/learn/health/<int:mark_id>/verify", methods=["POST"])
@login_required
def verify_answer(mark_id: int):
    """Say an answer is still right for the new version of its microlearn."""
    mark = services.get_health_mark(mark_id)
    try:
        services.verify_answer(_user(), mark)
    except Conflict as error:
        flash(error.message, "info")
    else:
        flash("Verified: the answer no longer shows the marker.", "success")
    return redirect(_after_check(mark))


@bp.route("/learn/health/<int:mark_id>/obsolete", methods=["POST"])
@login_required
def mark_obsolete(mark_id: int):
    """Say an answer describes an earlier version of its microlearn."""
    mark = services.get_health_mark(mark_id)
    try:
        services.mark_answer_obsolete(_user(), mark)
    except Conflict as error:
        flash(error.message, "info")
    else:
        flash("Marked obsolete: the answer says so until someone edits it.", "success")
    return redirect(_after_check(mark))
