"""Post rules: asking, answering, commenting, accepting, editing, deleting, tags."""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import timedelta

from markupsafe import Markup, escape
from sqlalchemy import Select, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from forum.accounts.models import User
from forum.errors import Conflict, NotFound, PermissionDenied, ValidationError
from forum.extensions import db, utcnow
from forum.markup import render_inline, render_markdown
from forum.microlearns import links
from forum.posts.models import ANSWER, QUESTION, Comment, Post, PostView, Revision, Tag
from forum.reputation import services as ledger
from forum.reputation.privileges import MissingPrivilege, can, is_live_accepted_answer

TITLE_MIN, TITLE_MAX = 15, 150
BODY_MIN, BODY_MAX = 30, 30000
COMMENT_MIN, COMMENT_MAX = 15, 600
TAGS_MIN, TAGS_MAX = 1, 5
TAG_MAX = 35
TAG_RE = re.compile(r"^[a-z0-9+#.\-]+$")
SUMMARY_MAX = 300
EXCERPT_MAX = 500
WIKI_MAX = 30000
VIEW_WINDOW = timedelta(hours=1)
ACCEPTED_NOT_DELETABLE = (
    "Accepted answers can't be deleted by their author. "
    "Edit it instead, or ask a moderator."
)
SORTS = ("newest", "active", "unanswered", "score")
TAG_SORTS = ("popular", "name")


# ---- validation ----


def parse_tags(text: str | list[str]) -> list[str]:
    """Split tag input on spaces or commas into unique lower-case names."""
    raw = text if isinstance(text, list) else re.split(r"[\s,]+", text or "")
    names: list[str] = []
    for name in raw:
        name = name.strip().lower()
        if name and name not in names:
            names.append(name)
    return names


def _tags_problem(names: list[str]) -> str:
    """Return why a list of tag names is not acceptable, or an empty string."""
    if len(names) < TAGS_MIN:
        return "Add at least one tag so the right people find your question."
    if len(names) > TAGS_MAX:
        return f"Use at most {TAGS_MAX} tags."
    for name in names:
        if len(name) > TAG_MAX:
            return f"Tag “{name[:40]}” is longer than {TAG_MAX} characters."
        if not TAG_RE.match(name):
            return (
                f"Tag “{name[:40]}” may use only lower-case letters, digits and + # . -"
            )
    return ""


def _length_problem(text: str, low: int, high: int) -> str:
    """Return why a text's length is out of bounds, or an empty string."""
    if len(text) < low:
        return f"Use at least {low} characters; you have {len(text)}."
    if len(text) > high:
        return f"Use at most {high:,} characters; you have {len(text):,}."
    return ""


def _clean_title(title: str) -> str:
    """Collapse the white space in a title."""
    return " ".join((title or "").split())


def _clean_body(body: str) -> str:
    """Normalise line endings and trim a Markdown body."""
    return (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _check_question(
    title: str, body: str, tags: list[str], link_problem: str = ""
) -> None:
    """Raise ValidationError listing every field of a question that is wrong."""
    errors = {"microlearn": link_problem} if link_problem else {}
    if problem := _length_problem(title, TITLE_MIN, TITLE_MAX):
        errors["title"] = problem
    if problem := _length_problem(body, BODY_MIN, BODY_MAX):
        errors["body"] = problem
    if problem := _tags_problem(tags):
        errors["tags"] = problem
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)


def _check_body(body: str) -> None:
    """Raise ValidationError if an answer body has the wrong length."""
    if problem := _length_problem(body, BODY_MIN, BODY_MAX):
        raise ValidationError(problem, {"body": problem})


def slugify(title: str) -> str:
    """Return a URL slug for a title."""
    ascii_title = (
        unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:80].rstrip("-") or "question"


# ---- private helpers shared by the public services ----


def _tags_for(names: list[str], now) -> list[Tag]:
    """Return Tag rows for the names, creating the missing ones."""
    existing = {
        tag.name: tag
        for tag in db.session.scalars(select(Tag).where(Tag.name.in_(names)))
    }
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = Tag(name=name, created_at=now)
            db.session.add(tag)
        tags.append(tag)
    # The order every page shows, so a post in memory matches one loaded again.
    return sorted(tags, key=lambda tag: tag.name)


def _recount_tags(tags) -> None:
    """Recompute the question counts of the given tags."""
    from forum.posts.models import post_tags

    db.session.flush()
    for tag in tags:
        tag.question_count = db.session.scalar(
            select(func.count())
            .select_from(post_tags)
            .join(Post, Post.id == post_tags.c.post_id)
            .where(post_tags.c.tag_id == tag.id, Post.deleted_at.is_(None))
        )


def _recount_answers(question: Post) -> None:
    """Recompute the number of visible answers of a question."""
    db.session.flush()
    question.answer_count = db.session.scalar(
        select(func.count())
        .select_from(Post)
        .where(Post.parent_id == question.id, Post.deleted_at.is_(None))
    )


def _add_revision(post: Post, author: User, summary: str, now) -> Revision:
    """Record the post's current state as its next revision."""
    number = (
        db.session.scalar(
            select(func.max(Revision.number)).where(Revision.post_id == post.id)
        )
        or 0
    ) + 1
    revision = Revision(
        post_id=post.id,
        number=number,
        author_id=author.id,
        summary=summary[:SUMMARY_MAX],
        title=post.title,
        tags_text=" ".join(sorted(tag.name for tag in post.tags)),
        body_markdown=post.body_markdown,
        created_at=now,
    )
    db.session.add(revision)
    return revision


def _refusal(user: User | None, privilege: str, anonymous: str, **kw):
    """Return the error for a refused action: log in, or earn the privilege."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PermissionDenied(anonymous)
    return MissingPrivilege(user, privilege, **kw)


def _check_new_tags(user: User, names: list[str]) -> None:
    """Refuse tags that do not exist yet unless the user may create tags."""
    existing = set(db.session.scalars(select(Tag.name).where(Tag.name.in_(names))))
    new = [name for name in names if name not in existing]
    if not new or can(user, "create_tags"):
        return
    quoted = ", ".join(f"“{name}”" for name in new)
    which = f"{quoted} is a new tag" if len(new) == 1 else f"{quoted} are new tags"
    reason = MissingPrivilege(user, "create_tags").message
    raise MissingPrivilege(
        user,
        "create_tags",
        f"{which}. {reason} Choose existing tags instead.",
        field="tags",
    )


def _question_of(post: Post) -> Post:
    """Return the question a post belongs to."""
    return post if post.type == QUESTION else db.session.get(Post, post.parent_id)


# ---- writes ----


def ask_question(
    author: User, title: str, body: str, tags, *, microlearn: str = "", now=None
) -> Post:
    """Post a new question with its first revision, maybe about a microlearn.

    microlearn is the key the member typed; empty asks about no microlearn.
    """
    if not can(author, "ask"):
        raise _refusal(author, "create_posts", "Log in to ask a question.")
    now = now or utcnow()
    title, body, names = _clean_title(title), _clean_body(body), parse_tags(tags)
    microlearn_id, link_problem = links.check_link(microlearn)
    _check_question(title, body, names, link_problem)
    _check_new_tags(author, names)
    question = Post(
        type=QUESTION,
        author_id=author.id,
        title=title,
        body_markdown=body,
        body_html=render_markdown(body),
        created_at=now,
        last_activity_at=now,
        microlearn_id=microlearn_id,
    )
    question.tags = _tags_for(names, now)
    db.session.add(question)
    db.session.flush()
    _add_revision(question, author, "Asked", now)
    _recount_tags(question.tags)
    links.recount_questions(microlearn_id)
    db.session.commit()
    return question


def post_answer(author: User, question: Post, body: str, *, now=None) -> Post:
    """Answer a question."""
    if question.type != QUESTION or (
        question.is_deleted and not can(author, "moderate")
    ):
        raise NotFound("That question does not exist.")
    if not can(author, "answer", question):
        raise _refusal(author, "create_posts", "Log in to answer.")
    now = now or utcnow()
    body = _clean_body(body)
    _check_body(body)
    answer = Post(
        type=ANSWER,
        parent_id=question.id,
        author_id=author.id,
        body_markdown=body,
        body_html=render_markdown(body),
        created_at=now,
        last_activity_at=now,
    )
    db.session.add(answer)
    db.session.flush()
    _add_revision(answer, author, "Answered", now)
    _recount_answers(question)
    question.last_activity_at = now
    db.session.commit()
    return answer


def add_comment(author: User, post: Post, body: str, *, now=None) -> Comment:
    """Comment on a question or an answer."""
    if post.is_deleted and not can(author, "moderate"):
        raise NotFound("That post does not exist.")
    if not can(author, "comment", post):
        raise _refusal(
            author,
            "comment_everywhere",
            "Log in to comment.",
            message=MissingPrivilege(author, "comment_everywhere").message
            + " You can always comment on your own posts and on the answers to your"
            " questions.",
            field="body",
        )
    now = now or utcnow()
    body = " ".join((body or "").split())
    if problem := _length_problem(body, COMMENT_MIN, COMMENT_MAX):
        raise ValidationError(problem, {"body": problem})
    comment = Comment(
        post_id=post.id,
        author_id=author.id,
        body_markdown=body,
        body_html=render_inline(body),
        created_at=now,
    )
    db.session.add(comment)
    post.comment_count += 1
    _question_of(post).last_activity_at = now
    db.session.commit()
    return comment


def delete_comment(user: User, comment: Comment, *, now=None) -> Comment:
    """Hide a comment; its author or a moderator may."""
    if comment.deleted_at is not None:
        return comment
    if not can(user, "delete_comment", comment):
        raise PermissionDenied(
            "Only the comment's author or a moderator may delete it."
        )
    comment.deleted_at = now or utcnow()
    post = db.session.get(Post, comment.post_id)
    post.comment_count = max(0, post.comment_count - 1)
    db.session.commit()
    return comment


def accept_answer(user: User, answer: Post, *, now=None) -> Post:
    """Mark an answer as the accepted one of its question, replacing any other."""
    if answer.type != ANSWER or answer.is_deleted:
        raise NotFound("That answer does not exist.")
    question = _question_of(answer)
    if not can(user, "accept", question):
        raise PermissionDenied("Only the person who asked may accept an answer.")
    now = now or utcnow()
    question.accepted_answer_id = answer.id
    question.last_activity_at = now
    ledger.record_acceptance(question, now)
    db.session.commit()
    return question


def unaccept_answer(user: User, question: Post, *, now=None) -> Post:
    """Remove the acceptance from a question's answer."""
    if not can(user, "accept", question):
        raise PermissionDenied("Only the person who asked may change the acceptance.")
    question.accepted_answer_id = None
    ledger.record_unacceptance(question, now or utcnow())
    db.session.commit()
    return question


def edit_post(
    editor: User,
    post: Post,
    *,
    body: str,
    summary: str = "",
    title: str | None = None,
    tags=None,
    microlearn: str | None = None,
    now=None,
) -> Revision:
    """Change a post and store the change as a new revision.

    microlearn is the key of the microlearn a question is about ("" for none);
    None leaves the link as it is.
    """
    check_edit_allowed(editor, post)
    now = now or utcnow()
    body = _clean_body(body)
    summary = " ".join((summary or "").split())
    link_id, link_problem = post.microlearn_id, ""
    if post.type == QUESTION:
        title, names = _clean_title(title), parse_tags(tags)
        if microlearn is not None:
            link_id, link_problem = links.check_link(microlearn, post.microlearn_id)
        _check_question(title, body, names, link_problem)
        _check_new_tags(editor, names)
    else:
        _check_body(body)
    if len(summary) > SUMMARY_MAX:
        raise ValidationError(
            "The edit summary is too long.",
            {"summary": f"Use at most {SUMMARY_MAX} characters."},
        )
    unchanged = body == post.body_markdown and (
        post.type != QUESTION
        or (title == post.title and sorted(names) == sorted(t.name for t in post.tags))
    )
    relinked = link_id != post.microlearn_id
    if unchanged and not relinked:
        raise ValidationError(
            "Nothing was changed.", {"body": "Change something before saving."}
        )
    if relinked:
        old_link, post.microlearn_id = post.microlearn_id, link_id
        links.recount_questions(old_link, link_id)
    return _apply_edit(
        editor,
        post,
        body,
        title,
        names if post.is_question else None,
        summary or ("Changed the microlearn link" if unchanged else "Edited"),
        now,
    )


def check_edit_allowed(editor: User | None, post: Post) -> None:
    """Refuse an edit the editor may not make, saying what it would take."""
    if can(editor, "edit", post):
        return
    if post.is_deleted or editor is None or not editor.is_authenticated:
        raise PermissionDenied("You may not edit this post.")
    raise MissingPrivilege(editor, "edit_any_post")


def _apply_edit(editor, post, body, title, names, summary, now) -> Revision:
    """Write new content to a post, record the revision and commit."""
    post.body_markdown = body
    post.body_html = render_markdown(body)
    old_tags = list(post.tags)
    if post.type == QUESTION:
        post.title = title
        post.tags = _tags_for(names, now)
    post.last_edited_at = now
    post.last_editor_id = editor.id
    _question_of(post).last_activity_at = now
    db.session.flush()
    revision = _add_revision(post, editor, summary, now)
    if post.type == QUESTION:
        _recount_tags(set(old_tags) | set(post.tags))
    links.resolve_on_edit(post, editor, now)
    db.session.commit()
    return revision


def rollback_post(editor: User, post: Post, number: int, *, now=None) -> Revision:
    """Restore an earlier revision of a post as a new revision."""
    check_edit_allowed(editor, post)
    target = db.session.scalar(
        select(Revision).where(Revision.post_id == post.id, Revision.number == number)
    )
    if target is None:
        raise NotFound("That revision does not exist.")
    names = parse_tags(target.tags_text) if post.type == QUESTION else None
    if post.type == QUESTION and not names:
        names = [tag.name for tag in post.tags]
    return _apply_edit(
        editor,
        post,
        target.body_markdown,
        target.title,
        names,
        f"Rolled back to revision {number}",
        now or utcnow(),
    )


def delete_post(user: User, post: Post, *, now=None) -> Post:
    """Soft-delete a post so that only its author and moderators still see it.

    A deleted accepted answer stays the question's accepted answer, so undeleting it
    brings the acceptance back; while it is deleted nothing shows it as accepted.
    """
    if not can(user, "delete", post):
        if post.author_id == user.id and is_live_accepted_answer(post):
            raise PermissionDenied(ACCEPTED_NOT_DELETABLE)
        raise PermissionDenied("Only the author or a moderator may delete this post.")
    if post.is_deleted:
        return post
    now = now or utcnow()
    post.deleted_at = now
    post.deleted_by_id = user.id
    question = _question_of(post)
    if post.type == ANSWER:
        _recount_answers(question)
    else:
        _recount_tags(post.tags)
        links.recount_questions(post.microlearn_id)
    ledger.reverse_post_events(post, now)
    db.session.commit()
    return post


def undelete_post(user: User, post: Post, *, now=None) -> Post:
    """Bring back a soft-deleted post."""
    if not can(user, "undelete", post):
        raise PermissionDenied("Only the author or a moderator may undelete this post.")
    if not post.is_deleted:
        return post
    if post.type == ANSWER and _question_of(post).is_deleted:
        raise Conflict("Undelete the question first.")
    post.deleted_at = None
    post.deleted_by_id = None
    if post.type == ANSWER:
        _recount_answers(_question_of(post))
    else:
        _recount_tags(post.tags)
        links.recount_questions(post.microlearn_id)
    ledger.restore_post_events(post, now or utcnow())
    db.session.commit()
    return post


def record_view(question_id: int, viewer: str, *, now=None) -> bool:
    """Count a view of a question once per viewer per hour; tell whether it counted."""
    now = now or utcnow()
    viewer = viewer[:64]
    seen = db.session.scalar(
        select(PostView).where(
            PostView.post_id == question_id, PostView.viewer == viewer
        )
    )
    if seen is not None and seen.viewed_at > now - VIEW_WINDOW:
        return False
    counted = db.session.execute(
        update(Post)
        .where(Post.id == question_id, Post.type == QUESTION, Post.deleted_at.is_(None))
        .values(view_count=Post.view_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not counted:
        db.session.rollback()
        return False
    if seen is None:
        db.session.add(PostView(post_id=question_id, viewer=viewer, viewed_at=now))
    else:
        seen.viewed_at = now
    try:
        db.session.commit()
    except IntegrityError:
        # Another request from the same viewer counted this view a moment ago.
        db.session.rollback()
        return False
    return True


def edit_tag(user: User, tag: Tag, excerpt: str, wiki: str) -> Tag:
    """Change a tag's excerpt and wiki."""
    if not can(user, "edit_tag_wikis"):
        raise _refusal(user, "edit_tag_wikis", "Log in to edit tag wikis.")
    excerpt = " ".join((excerpt or "").split())
    wiki = _clean_body(wiki)
    errors = {}
    if len(excerpt) > EXCERPT_MAX:
        errors["excerpt"] = f"Use at most {EXCERPT_MAX} characters."
    if len(wiki) > WIKI_MAX:
        errors["wiki"] = f"Use at most {WIKI_MAX:,} characters."
    if errors:
        raise ValidationError("Please correct the marked fields.", errors)
    tag.excerpt = excerpt
    tag.wiki_markdown = wiki
    tag.wiki_html = render_markdown(wiki)
    db.session.commit()
    return tag


# ---- reads ----


def _visible_questions() -> Select:
    """Return the statement for questions nobody deleted, with what a list shows."""
    return (
        select(Post)
        .where(Post.type == QUESTION, Post.deleted_at.is_(None))
        .options(joinedload(Post.author), selectinload(Post.tags))
    )


def questions(sort: str = "newest", tag: str | None = None) -> Select:
    """Return the statement for a question list in one of the sorts."""
    stmt = _visible_questions()
    if tag:
        stmt = stmt.where(Post.tags.any(Tag.name == tag))
    if sort == "active":
        return stmt.order_by(Post.last_activity_at.desc(), Post.id.desc())
    if sort == "score":
        return stmt.order_by(Post.score.desc(), Post.created_at.desc(), Post.id.desc())
    if sort == "unanswered":
        # A deleted accepted answer does not count: the question is open again.
        answer = aliased(Post)
        good_answer = exists().where(
            answer.parent_id == Post.id,
            answer.deleted_at.is_(None),
            or_(answer.score > 0, answer.id == Post.accepted_answer_id),
        )
        stmt = stmt.where(~good_answer)
    return stmt.order_by(Post.created_at.desc(), Post.id.desc())


def has_questions(tag: str | None = None) -> bool:
    """Tell whether any visible question exists, with the tag if one is given."""
    stmt = select(Post.id).where(Post.type == QUESTION, Post.deleted_at.is_(None))
    if tag:
        stmt = stmt.where(Post.tags.any(Tag.name == tag))
    return db.session.scalar(stmt.limit(1)) is not None


def questions_by(user: User) -> Select:
    """Return the statement for a member's visible questions, newest first."""
    return (
        _visible_questions()
        .where(Post.author_id == user.id)
        .order_by(Post.created_at.desc(), Post.id.desc())
    )


def answers_by(user: User) -> Select:
    """Return the statement for a member's visible answers with their questions."""
    question = aliased(Post)
    return (
        select(Post)
        .join(question, Post.parent.of_type(question))
        .where(
            Post.type == ANSWER,
            Post.author_id == user.id,
            Post.deleted_at.is_(None),
            question.deleted_at.is_(None),
        )
        .options(contains_eager(Post.parent.of_type(question)))
        .order_by(Post.created_at.desc(), Post.id.desc())
    )


def accepted_among(questions: list[Post]) -> set[int]:
    """Return the ids of the questions whose accepted answer is not deleted."""
    answer_ids = [q.accepted_answer_id for q in questions if q.accepted_answer_id]
    if not answer_ids:
        return set()
    return set(
        db.session.scalars(
            select(Post.parent_id).where(
                Post.id.in_(answer_ids), Post.deleted_at.is_(None)
            )
        )
    )


@dataclass
class Activity:
    """How much a member has contributed."""

    questions: int = 0
    answers: int = 0
    accepted: int = 0
    comments: int = 0


def activity_of(user: User) -> Activity:
    """Count a member's visible questions, answers, accepted answers and comments."""
    question = aliased(Post)
    counts = db.session.execute(
        select(
            func.count().filter(Post.type == QUESTION),
            func.count().filter(Post.type == ANSWER),
        ).where(Post.author_id == user.id, Post.deleted_at.is_(None))
    ).one()
    accepted = db.session.scalar(
        select(func.count())
        .select_from(Post)
        .join(question, question.accepted_answer_id == Post.id)
        .where(Post.author_id == user.id, Post.deleted_at.is_(None))
    )
    comments = db.session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(Comment.author_id == user.id, Comment.deleted_at.is_(None))
    )
    return Activity(counts[0], counts[1], accepted, comments)


@dataclass
class QuestionPage:
    """Everything the question page shows, loaded in a fixed number of queries."""

    question: Post
    answers: list[Post]
    comments: dict[int, list[Comment]] = field(default_factory=dict)
    # The accepted answer's id while that answer is not deleted, else None.
    accepted_answer_id: int | None = None


def get_post(post_id: int, viewer: User | None = None) -> Post:
    """Return a post the viewer may see, or raise NotFound."""
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound("That post does not exist.")
    if post.is_deleted and not can(viewer, "see_deleted", post):
        raise NotFound("That post was deleted.")
    if post.type == ANSWER:
        question = db.session.get(Post, post.parent_id)
        if question.is_deleted and not can(viewer, "see_deleted", question):
            raise NotFound("That post was deleted.")
    return post


def get_comment(comment_id: int) -> Comment:
    """Return a visible comment or raise NotFound."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.deleted_at is not None:
        raise NotFound("That comment does not exist.")
    return comment


def load_question_page(question_id: int, viewer: User | None) -> QuestionPage:
    """Load a question with its answers and comments for the viewer."""
    question = db.session.scalar(
        select(Post)
        .where(Post.id == question_id, Post.type == QUESTION)
        .options(
            joinedload(Post.author),
            joinedload(Post.last_editor),
            selectinload(Post.tags),
        )
    )
    if question is None or (
        question.is_deleted and not can(viewer, "see_deleted", question)
    ):
        raise NotFound("That question does not exist or was deleted.")
    answer_stmt = (
        select(Post)
        .where(Post.parent_id == question.id, Post.type == ANSWER)
        .options(joinedload(Post.author), joinedload(Post.last_editor))
    )
    if not (viewer and getattr(viewer, "is_authenticated", False)):
        answer_stmt = answer_stmt.where(Post.deleted_at.is_(None))
    elif not can(viewer, "see_deleted"):
        answer_stmt = answer_stmt.where(
            or_(Post.deleted_at.is_(None), Post.author_id == viewer.id)
        )
    answers = list(db.session.scalars(answer_stmt))
    accepted_id = next(
        (
            a.id
            for a in answers
            if a.id == question.accepted_answer_id and not a.is_deleted
        ),
        None,
    )
    answers.sort(
        key=lambda a: (
            a.id != accepted_id,
            -a.score,
            a.created_at,
            a.id,
        )
    )
    post_ids = [question.id, *(answer.id for answer in answers)]
    comments: dict[int, list[Comment]] = {post_id: [] for post_id in post_ids}
    for comment in db.session.scalars(
        select(Comment)
        .where(Comment.post_id.in_(post_ids), Comment.deleted_at.is_(None))
        .options(joinedload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    ):
        comments[comment.post_id].append(comment)
    return QuestionPage(question, answers, comments, accepted_id)


def revisions_of(post: Post) -> list[Revision]:
    """Return a post's revisions, oldest first, with their authors."""
    return list(
        db.session.scalars(
            select(Revision)
            .where(Revision.post_id == post.id)
            .options(joinedload(Revision.author))
            .order_by(Revision.number)
        )
    )


def tags(sort: str = "popular", prefix: str = "") -> Select:
    """Return the statement for tags in use, by popularity or name, by prefix."""
    stmt = select(Tag).where(Tag.question_count > 0)
    prefix = (prefix or "").strip().lower()
    if prefix:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Tag.name.like(f"{escaped}%", escape="\\"))
    if sort == "name":
        return stmt.order_by(Tag.name)
    return stmt.order_by(Tag.question_count.desc(), Tag.name)


def get_tag(name: str) -> Tag:
    """Return the tag with this name or raise NotFound."""
    name = (name or "").lower()
    tag = None
    if len(name) <= TAG_MAX and TAG_RE.match(name):
        tag = db.session.scalar(select(Tag).where(Tag.name == name))
    if tag is None:
        raise NotFound(f"There is no tag “{name[:40]}”.")
    return tag


# ---- revision comparison ----


def _diff_words(old: str, new: str) -> Markup:
    """Return HTML marking the words removed from old and added in new."""
    split = re.compile(r"(\s+)")
    a, b = split.split(old or ""), split.split(new or "")
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, a, b, autojunk=False
    ).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(Markup("<del>%s</del>") % "".join(a[i1:i2]))
        if j2 > j1:
            parts.append(Markup("<ins>%s</ins>") % "".join(b[j1:j2]))
    return Markup("").join(parts)


@dataclass
class RevisionDiff:
    """What changed between two revisions, as HTML with ins and del marks."""

    old: Revision
    new: Revision
    title: Markup | None
    tags: Markup | None
    body: Markup


def compare_revisions(old: Revision, new: Revision) -> RevisionDiff:
    """Return the word-level differences between two revisions."""
    title = _diff_words(old.title or "", new.title or "") if new.title else None
    tags = _diff_words(old.tags_text, new.tags_text) if new.tags_text else None
    return RevisionDiff(
        old, new, title, tags, _diff_words(old.body_markdown, new.body_markdown)
    )


def suggest_tags(prefix: str, limit: int = 8) -> list[Tag]:
    """Return the most used tags that start with the prefix."""
    prefix = (prefix or "").strip().lower()
    if not prefix:
        return []
    return list(db.session.scalars(tags("popular", prefix).limit(limit)))
