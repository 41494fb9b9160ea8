"""Question, answer, comment, revision and tag pages."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from forum.errors import DomainError, NotFound, ValidationError
from forum.extensions import db
from forum.markup import render_markdown
from forum.microlearns import links
from forum.posts import services
from forum.posts.forms import (
    AnswerForm,
    AskForm,
    CommentForm,
    EditAnswerForm,
    EditQuestionForm,
    TagForm,
)
from forum.posts.models import QUESTION
from forum.reputation import services as ledger
from forum.reputation.privileges import MissingPrivilege
from forum.web import (
    apply_errors,
    clear_draft,
    form_status,
    page_number,
    query_args,
    restored,
    viewer_key,
    whole_number,
)

bp = Blueprint("posts", __name__)

SORT_LABELS = {
    "newest": "Newest",
    "active": "Active",
    "unanswered": "Unanswered",
    "score": "Score",
}
# What a list in each sort is called in its heading and the browser's title.
LIST_TITLES = {
    "newest": "Newest questions",
    "active": "Recently active questions",
    "unanswered": "Unanswered questions",
    "score": "Highest-scored questions",
}
TAG_SORT_LABELS = {"popular": "Popular", "name": "Name"}


def _user():
    """Return the current user object, or None for anonymous visitors."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def question_url(question, anchor: str | None = None, **args) -> str:
    """Return the canonical URL of a question."""
    return url_for(
        "posts.question",
        question_id=question.id,
        slug=services.slugify(question.title),
        _anchor=anchor,
        **args,
    )


def _sort(default: str = "newest") -> str:
    """Return the requested question sort, or the default if it is unknown."""
    sort = request.args.get("sort", default)
    return sort if sort in services.SORTS else default


def render_question_list(template: str, tag=None, **context):
    """Render a paginated question list in the requested sort."""
    sort = _sort()
    tag_name = tag.name if tag else None
    pagination = db.paginate(
        services.questions(sort, tag_name),
        page=page_number(),
        per_page=current_app.config["QUESTIONS_PER_PAGE"],
        error_out=False,
    )
    # No unanswered questions is good news only where there are questions at all.
    all_answered = (
        sort == "unanswered"
        and not pagination.total
        and services.has_questions(tag_name)
    )
    return render_template(
        template,
        pagination=pagination,
        accepted=services.accepted_among(pagination.items),
        all_answered=all_answered,
        sort=sort,
        sorts=SORT_LABELS,
        list_title=LIST_TITLES[sort],
        tag=tag,
        **context,
    )


@bp.route("/questions")
def questions():
    """List questions in a sort, optionally filtered by a tag."""
    tag_name = request.args.get("tag", "").strip().lower()
    if tag_name:
        return redirect(url_for("posts.tagged", tag_name=tag_name, sort=_sort()))
    return render_question_list("posts/questions.html")


@bp.route("/questions/tagged/<tag_name>")
def tagged(tag_name: str):
    """List the questions with a tag."""
    tag = services.get_tag(tag_name)
    return render_question_list("posts/questions.html", tag=tag)


@bp.route("/questions/ask", methods=["GET", "POST"])
@login_required
def ask():
    """Ask a new question."""
    form = AskForm()
    if request.method == "GET":
        for name, value in restored(request.path).items():
            if hasattr(form, name):
                getattr(form, name).data = value
        # /learn/<key>/ask sends members here with the microlearn pre-linked.
        if request.args.get("microlearn") and not form.microlearn.data:
            form.microlearn.data = request.args["microlearn"][:200]
            _, problem = links.check_link(form.microlearn.data)
            if problem:
                form.microlearn.errors = [problem]
    if form.validate_on_submit():
        try:
            question = services.ask_question(
                _user(),
                form.title.data,
                form.body.data,
                form.tags.data,
                microlearn=form.microlearn.data or "",
            )
        except DomainError as error:
            if not error.errors:
                raise
            apply_errors(form, error)
        else:
            clear_draft("ask")
            flash("Your question is posted.", "success")
            return redirect(question_url(question))
    return render_template("posts/ask.html", form=form), form_status(form)


@bp.route("/questions/<int:question_id>")
@bp.route("/questions/<int:question_id>/<slug>")
def question(question_id: int, slug: str | None = None):
    """Show a question with its answers and comments."""
    # Count first: the count commits, and a commit would expire the loaded page.
    services.record_view(question_id, viewer_key())
    try:
        page = services.load_question_page(question_id, _user())
    except NotFound:
        # /questions/<id> of an answer is a link people share: take them there.
        post = services.get_post(question_id, _user())
        return redirect(url_for("posts.post_link", post_id=post.id))
    if slug != services.slugify(page.question.title):
        return redirect(question_url(page.question, **query_args()), 301)
    return render_thread(page)


def render_thread(page, *, answer_form=None, comment_form=None, comment_on=None):
    """Render the question page, with the answer or one comment form filled in.

    A form that comes back with an error or with restored text is shown in its
    place in the thread, so the member keeps the thread in view while fixing it.
    """
    # formdata=None: an empty form must not pick up the text of another form's POST.
    if answer_form is None:
        answer_form = AnswerForm(formdata=None)
    if comment_form is None:
        comment_form = CommentForm(formdata=None)
    status = 422 if answer_form.errors or comment_form.errors else 200
    post_ids = [page.question.id, *(answer.id for answer in page.answers)]
    comment_ids = [c.id for comments in page.comments.values() for c in comments]
    my_votes, my_comment_votes = ledger.votes_of(_user(), post_ids, comment_ids)
    return render_template(
        "posts/question.html",
        page=page,
        question=page.question,
        answer_form=answer_form,
        comment_form=comment_form,
        comment_on=comment_on,
        my_votes=my_votes,
        my_comment_votes=my_comment_votes,
    ), status


@bp.route("/posts/<int:post_id>")
def post_link(post_id: int):
    """Redirect a post's short link to its place on the question page."""
    post = services.get_post(post_id, _user())
    if post.type == QUESTION:
        return redirect(question_url(post))
    question = services.get_post(post.parent_id, _user())
    return redirect(question_url(question, anchor=f"answer-{post.id}"))


@bp.route("/questions/<int:question_id>/answer", methods=["GET", "POST"])
@login_required
def answer(question_id: int):
    """Answer a question; errors and restored text show on the question page."""
    question = services.get_post(question_id, _user())
    if question.type != QUESTION:
        abort(404)
    form = AnswerForm()
    if request.method == "GET":
        form.body.data = restored(request.path).get("body", "")
        if not form.body.data:
            return redirect(question_url(question, anchor="your-answer"))
    elif form.validate_on_submit():
        try:
            answer = services.post_answer(_user(), question, form.body.data)
        except DomainError as error:
            if not error.errors:
                raise
            apply_errors(form, error)
        else:
            clear_draft(f"answer-{question.id}")
            flash("Your answer is posted.", "success")
            return redirect(question_url(question, anchor=f"answer-{answer.id}"))
    page = services.load_question_page(question.id, _user())
    return render_thread(page, answer_form=form)


@bp.route("/posts/<int:post_id>/comments", methods=["GET", "POST"])
@login_required
def comment(post_id: int):
    """Comment on a post; errors and restored text show on the question page."""
    post = services.get_post(post_id, _user())
    question = post if post.type == QUESTION else services.get_post(post.parent_id)
    anchor = f"{post.type}-{post.id}"
    form = CommentForm()
    if request.method == "GET":
        form.body.data = restored(request.path).get("body", "")
        if not form.body.data:
            return redirect(question_url(question, anchor=anchor))
    elif form.validate_on_submit():
        try:
            comment = services.add_comment(_user(), post, form.body.data)
        except DomainError as error:
            # A missing privilege comes back at the form too, with the text kept.
            if not error.errors:
                raise
            apply_errors(form, error)
        else:
            clear_draft(f"comment-{post.id}")
            flash("Your comment is posted.", "success")
            return redirect(question_url(question, anchor=f"comment-{comment.id}"))
    page = services.load_question_page(question.id, _user())
    return render_thread(page, comment_form=form, comment_on=post.id)


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@login_required
def delete_comment(comment_id: int):
    """Delete a comment."""
    comment = services.get_comment(comment_id)
    post = services.get_post(comment.post_id, _user())
    services.delete_comment(_user(), comment)
    flash("Comment deleted.", "info")
    question = post if post.type == QUESTION else services.get_post(post.parent_id)
    return redirect(question_url(question))


@bp.route("/answers/<int:answer_id>/accept", methods=["POST"])
@login_required
def accept(answer_id: int):
    """Accept an answer, or remove the acceptance when it is already accepted."""
    answer = services.get_post(answer_id, _user())
    question = services.get_post(answer.parent_id or 0, _user())
    if question.accepted_answer_id == answer.id and not answer.is_deleted:
        services.unaccept_answer(_user(), question)
        flash("Acceptance removed.", "info")
    else:
        services.accept_answer(_user(), answer)
        flash("Answer accepted. Thanks for closing the loop!", "success")
    return redirect(question_url(question, anchor=f"answer-{answer.id}"))


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    """Edit a question or an answer."""
    post = services.get_post(post_id, _user())
    question = post if post.type == QUESTION else services.get_post(post.parent_id)
    form = EditQuestionForm() if post.type == QUESTION else EditAnswerForm()
    if request.method == "GET":
        form.body.data = post.body_markdown
        if post.type == QUESTION:
            form.title.data = post.title
            form.tags.data = " ".join(tag.name for tag in post.tags)
            form.microlearn.data = links.key_of(post.microlearn_id)
        for name, value in restored(request.path).items():
            if hasattr(form, name):
                getattr(form, name).data = value
    if form.validate_on_submit():
        question_fields = (
            {
                "title": form.title.data,
                "tags": form.tags.data,
                "microlearn": form.microlearn.data or "",
            }
            if post.type == QUESTION
            else {}
        )
        try:
            services.edit_post(
                _user(),
                post,
                body=form.body.data,
                summary=form.summary.data,
                **question_fields,
            )
        except DomainError as error:
            if not error.errors:
                raise
            apply_errors(form, error)
        else:
            clear_draft(f"edit-{post.id}")
            flash("Your edit is saved.", "success")
            anchor = None if post.type == QUESTION else f"answer-{post.id}"
            return redirect(question_url(question, anchor=anchor))
    else:
        services.check_edit_allowed(_user(), post)
    return render_template(
        "posts/edit.html", form=form, post=post, question=question
    ), form_status(form)


@bp.route("/posts/<int:post_id>/revisions")
def revisions(post_id: int):
    """Show a post's history and the differences between two revisions."""
    post = services.get_post(post_id, _user())
    question = post if post.type == QUESTION else services.get_post(post.parent_id)
    history = services.revisions_of(post)
    by_number = {revision.number: revision for revision in history}
    newest = history[-1].number
    new = _revision_arg("b", newest)
    old = _revision_arg("a", max(1, new - 1))
    if old not in by_number or new not in by_number:
        abort(404)
    diff = services.compare_revisions(by_number[old], by_number[new])
    return render_template(
        "posts/revisions.html",
        post=post,
        question=question,
        history=history,
        diff=diff,
    )


def _revision_arg(name: str, default: int) -> int:
    """Return a revision number from the query string."""
    return whole_number(request.args.get(name), default)


@bp.route("/posts/<int:post_id>/rollback/<int:number>", methods=["POST"])
@login_required
def rollback(post_id: int, number: int):
    """Restore an earlier revision as a new revision."""
    post = services.get_post(post_id, _user())
    try:
        services.rollback_post(_user(), post, number)
    except ValidationError as error:
        flash(error.message, "warning")
    else:
        flash(f"Rolled back to revision {number}.", "success")
    return redirect(url_for("posts.revisions", post_id=post.id))


@bp.route("/posts/<int:post_id>/delete", methods=["POST"])
@login_required
def delete(post_id: int):
    """Soft-delete a post."""
    post = services.get_post(post_id, _user())
    services.delete_post(_user(), post)
    flash("Deleted. You can still undelete it from its page.", "info")
    if post.type == QUESTION:
        return redirect(question_url(post))
    question = services.get_post(post.parent_id, _user())
    return redirect(question_url(question, anchor=f"answer-{post.id}"))


@bp.route("/posts/<int:post_id>/undelete", methods=["POST"])
@login_required
def undelete(post_id: int):
    """Bring back a soft-deleted post."""
    post = services.get_post(post_id, _user())
    services.undelete_post(_user(), post)
    flash("Undeleted.", "success")
    return redirect(url_for("posts.post_link", post_id=post.id))


@bp.route("/posts/preview", methods=["POST"])
@login_required
def preview():
    """Render Markdown exactly as it will be stored, for the live preview."""
    text = request.form.get("text", "")[: services.BODY_MAX + 1000]
    return jsonify({"html": render_markdown(text)})


@bp.route("/tags")
def tags():
    """List tags by popularity or name, filtered by a prefix."""
    sort = request.args.get("sort", "popular")
    sort = sort if sort in services.TAG_SORTS else "popular"
    prefix = request.args.get("q", "")[:35]
    pagination = db.paginate(
        services.tags(sort, prefix), page=page_number(), per_page=60, error_out=False
    )
    return render_template(
        "posts/tags.html",
        pagination=pagination,
        sort=sort,
        sorts=TAG_SORT_LABELS,
        prefix=prefix,
    )


@bp.route("/tags/<tag_name>")
def tag_info(tag_name: str):
    """Show a tag's excerpt and wiki."""
    tag = services.get_tag(tag_name)
    return render_template("posts/tag.html", tag=tag)


@bp.route("/tags/<tag_name>/edit", methods=["GET", "POST"])
@login_required
def edit_tag(tag_name: str):
    """Edit a tag's excerpt and wiki."""
    tag = services.get_tag(tag_name)
    if not services.can(_user(), "edit_tag_wikis"):
        raise MissingPrivilege(_user(), "edit_tag_wikis")
    form = TagForm()
    if request.method == "GET":
        form.excerpt.data = tag.excerpt
        form.wiki.data = tag.wiki_markdown
    if form.validate_on_submit():
        try:
            services.edit_tag(_user(), tag, form.excerpt.data, form.wiki.data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            flash("Tag saved.", "success")
            return redirect(url_for("posts.tag_info", tag_name=tag.name))
    return render_template("posts/edit_tag.html", form=form, tag=tag), form_status(form)
