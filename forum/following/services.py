"""Following rules and the start page: what a member follows and what is new there."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from forum.accounts.models import User
from forum.errors import Conflict, NotFound, PermissionDenied
from forum.extensions import db, utcnow
from forum.following.models import (
    KINDS,
    MICROLEARN,
    PLAYLIST,
    QUESTION,
    TAG,
    TARGET_COLUMNS,
    Follow,
    StartPageVisit,
)
from forum.microlearns import services as microlearns
from forum.microlearns.models import PRIVATE, Microlearn, Playlist, PlaylistItem
from forum.posts.models import ANSWER, Post, Tag
from forum.posts.models import QUESTION as QUESTION_TYPE

# On a first visit, "new" means this recent.
FIRST_VISIT_WINDOW = timedelta(days=14)
# Visits closer together than this are one sitting: reloading /me keeps showing
# what was new when the sitting began.
SITTING = timedelta(minutes=30)
# How many entries each section of the start page shows.
SECTION_MAX = 10
FOLLOWS_MAX = 200


def _signed_in(user: User | None) -> bool:
    """Tell whether user is a logged-in member."""
    return user is not None and getattr(user, "is_authenticated", False)


def _column(kind: str):
    """Return the Follow column that holds targets of a kind, or raise NotFound."""
    if kind not in KINDS:
        raise NotFound("You can follow tags, microlearns, questions and playlists.")
    return getattr(Follow, TARGET_COLUMNS[kind])


def _check_target(user: User, kind: str, target_id: int, token: str | None) -> None:
    """Raise unless the target exists and the member may follow it."""
    if kind == TAG:
        found = db.session.get(Tag, target_id) is not None
    elif kind == MICROLEARN:
        found = db.session.get(Microlearn, target_id) is not None
    elif kind == QUESTION:
        post = db.session.get(Post, target_id)
        found = post is not None and post.type == QUESTION_TYPE and not post.is_deleted
    else:
        playlist = db.session.get(Playlist, target_id)
        found = playlist is not None and microlearns.can_view_playlist(
            user, playlist, token
        )
        if found and playlist.owner_id == user.id:
            raise Conflict("It is your own playlist: it is on your start page already.")
    if not found:
        raise NotFound(f"That {kind} does not exist, or you cannot see it.")


def follow(
    user: User | None,
    kind: str,
    target_id: int,
    *,
    token: str | None = None,
    now=None,
) -> Follow:
    """Follow a tag, microlearn, question or playlist; following twice is one follow.

    A playlist shared by link needs its token, as seeing it does.
    """
    if not _signed_in(user):
        raise PermissionDenied("Log in to follow things.")
    column = _column(kind)
    _check_target(user, kind, target_id, token)
    existing = db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, column == target_id)
    )
    if existing is not None:
        return existing
    row = Follow(user_id=user.id, created_at=now or utcnow())
    setattr(row, TARGET_COLUMNS[kind], target_id)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:
        # The same member followed it a moment ago, in another tab.
        db.session.rollback()
        row = db.session.scalar(
            select(Follow).where(Follow.user_id == user.id, column == target_id)
        )
    return row


def unfollow(user: User | None, kind: str, target_id: int) -> None:
    """Stop following something; unfollowing what I do not follow changes nothing."""
    if not _signed_in(user):
        raise PermissionDenied("Log in to follow things.")
    column = _column(kind)
    db.session.execute(
        delete(Follow).where(Follow.user_id == user.id, column == target_id)
    )
    db.session.commit()


def is_following(user: User | None, kind: str, target_id: int) -> bool:
    """Tell whether the member follows the target."""
    if not _signed_in(user):
        return False
    column = _column(kind)
    return (
        db.session.scalar(
            select(Follow.id).where(Follow.user_id == user.id, column == target_id)
        )
        is not None
    )


def mark_start_page_seen(user: User, *, now=None) -> None:
    """Count everything on the start page as seen."""
    now = now or utcnow()
    visit = db.session.get(StartPageVisit, user.id)
    if visit is None:
        visit = StartPageVisit(user_id=user.id)
        db.session.add(visit)
    visit.new_since = now
    visit.last_visit_at = now
    db.session.commit()


# ---- the start page ----


@dataclass
class AnswersOn:
    """New answers on one followed question."""

    question: Post
    answers: list[Post] = field(default_factory=list)


@dataclass
class StartPage:
    """Everything /me shows, loaded in a fixed number of statements."""

    new_since: datetime
    first_visit: bool
    follows: dict[str, list[Follow]]
    new_questions: list[Post]
    new_answers: list[AnswersOn]
    new_about_microlearns: list[Post]
    new_playlist_items: list[PlaylistItem]
    own_playlists: list[tuple[Playlist, int]]
    followed_playlists: list[tuple[Playlist, int]]
    unanswered: list[Post]

    @property
    def has_news(self) -> bool:
        """Tell whether anything followed changed since new_since."""
        return bool(
            self.new_questions
            or self.new_answers
            or self.new_about_microlearns
            or self.new_playlist_items
        )

    @property
    def follows_anything(self) -> bool:
        """Tell whether the member follows anything at all."""
        return any(self.follows.values())


def visit_start_page(user: User, *, now=None) -> StartPage:
    """Record a visit to /me and load what it shows.

    What is new is what happened since the previous sitting; a first visit shows
    the last two weeks.
    """
    now = now or utcnow()
    visit = db.session.get(StartPageVisit, user.id)
    first_visit = visit is None
    if visit is None:
        visit = StartPageVisit(user_id=user.id, new_since=now - FIRST_VISIT_WINDOW)
        db.session.add(visit)
    elif now - visit.last_visit_at > SITTING:
        visit.new_since = visit.last_visit_at
    visit.last_visit_at = now
    new_since = visit.new_since
    db.session.commit()
    return _load_start_page(user, new_since, first_visit)


def _followed(user: User, kind: str):
    """Return the statement for the ids of the targets of a kind that I follow."""
    column = getattr(Follow, TARGET_COLUMNS[kind])
    return select(column).where(Follow.user_id == user.id, column.is_not(None))


def _load_start_page(user: User, since: datetime, first_visit: bool) -> StartPage:
    """Load the start page's sections, one or two statements each."""
    follows: dict[str, list[Follow]] = {kind: [] for kind in KINDS}
    for row in db.session.scalars(
        select(Follow)
        .where(Follow.user_id == user.id)
        .options(
            joinedload(Follow.tag),
            joinedload(Follow.microlearn),
            joinedload(Follow.post),
            joinedload(Follow.playlist),
        )
        .order_by(Follow.created_at.desc(), Follow.id.desc())
        .limit(FOLLOWS_MAX)
    ):
        if row.kind == QUESTION and row.post.is_deleted:
            continue
        if row.kind == PLAYLIST and row.playlist.visibility == PRIVATE:
            continue
        follows[row.kind].append(row)

    followed_tags = _followed(user, TAG)
    others_questions = (
        select(Post)
        .where(
            Post.type == QUESTION_TYPE,
            Post.deleted_at.is_(None),
            Post.author_id != user.id,
        )
        .options(joinedload(Post.author))
    )
    new_questions = list(
        db.session.scalars(
            others_questions.where(
                Post.created_at > since, Post.tags.any(Tag.id.in_(followed_tags))
            )
            .options(selectinload(Post.tags))
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(SECTION_MAX)
        )
    )
    new_about_microlearns = list(
        db.session.scalars(
            others_questions.where(
                Post.created_at > since,
                microlearns.is_about_any(_followed(user, MICROLEARN)),
            )
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(SECTION_MAX)
        )
    )
    question = aliased(Post)
    answers_on: dict[int, AnswersOn] = {}
    for answer in db.session.scalars(
        select(Post)
        .join(question, Post.parent.of_type(question))
        .where(
            Post.type == ANSWER,
            Post.deleted_at.is_(None),
            Post.created_at > since,
            Post.author_id != user.id,
            question.deleted_at.is_(None),
            question.id.in_(_followed(user, QUESTION)),
        )
        .options(contains_eager(Post.parent.of_type(question)), joinedload(Post.author))
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(SECTION_MAX)
    ):
        entry = answers_on.setdefault(answer.parent_id, AnswersOn(answer.parent))
        entry.answers.append(answer)
    new_playlist_items = list(
        db.session.scalars(
            select(PlaylistItem)
            .join(Playlist, PlaylistItem.playlist)
            .where(
                PlaylistItem.added_at > since,
                Playlist.id.in_(_followed(user, PLAYLIST)),
                Playlist.visibility != PRIVATE,
                Playlist.owner_id != user.id,
            )
            .options(
                contains_eager(PlaylistItem.playlist),
                joinedload(PlaylistItem.microlearn),
                joinedload(PlaylistItem.post),
            )
            .order_by(PlaylistItem.added_at.desc(), PlaylistItem.id.desc())
            .limit(SECTION_MAX)
        )
    )
    playlists = microlearns.playlists_with_progress(user)
    unanswered = list(
        db.session.scalars(
            others_questions.where(
                Post.answer_count == 0, Post.tags.any(Tag.id.in_(followed_tags))
            )
            .options(selectinload(Post.tags))
            .order_by(Post.created_at.desc(), Post.id.desc())
            .limit(SECTION_MAX)
        )
    )
    return StartPage(
        new_since=since,
        first_visit=first_visit,
        follows=follows,
        new_questions=new_questions,
        new_answers=list(answers_on.values()),
        new_about_microlearns=new_about_microlearns,
        new_playlist_items=[
            item
            for item in new_playlist_items
            if item.post is None or not item.post.is_deleted
        ],
        own_playlists=[(p, done) for p, done in playlists if p.owner_id == user.id],
        followed_playlists=[
            (p, done) for p, done in playlists if p.owner_id != user.id
        ],
        unanswered=unanswered,
    )
