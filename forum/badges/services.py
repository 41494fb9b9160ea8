"""Badge, visit and streak rules: who earned what, visit days, streaks, the week.

Awarding
--------
``_award_due(session, user_id, now)`` looks at one member in five queries (the
awards they hold, a row of counts, their well-received questions, their
well-received answers, their answer score per tag) and inserts every award they
are due but do not hold, each with a notification. The insert skips a row the
unique constraint already holds (ON CONFLICT DO NOTHING), so two processes
looking at the same member at once award once, and looking twice changes nothing.
Each member's awards are a transaction of their own that share-locks the posts,
then the member, before inserting (``_lock_for_awards``): the order votes lock in,
so awarding never deadlocks with voting.

It runs:
- after every commit that touched a member's badges: ``triggers.py`` notes the
  members during the flush and calls ``award_noted`` after the commit, in a
  fresh session; errors are logged, never raised into the member's request;
- for everyone from ``flask badges award`` (``award_badges``), which catches up
  on anything missed (say, a process that died between commit and awarding);
- for badges whose facts live in another domain, when that domain's service
  calls ``grant_badge`` (Citizen Patrol, from the moderation work's flags).

Visits and streaks
------------------
``record_visit`` writes one ``VisitDay`` per member per UTC day, with the streak
that day ends, so the visit streak is a one-row read. The contribution streak
(days with a question, answer, comment or vote) is computed from those tables.
Both are shown only to the member themselves.
"""

import logging
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache, partial

from flask import current_app
from sqlalchemy import (
    Select,
    and_,
    bindparam,
    distinct,
    exists,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased, joinedload

from forum.accounts.models import User
from forum.badges import rules, streaks, triggers
from forum.badges.models import BadgeAward, VisitDay
from forum.errors import NotFound, ValidationError
from forum.extensions import db, utcnow
from forum.notifications.models import BADGE
from forum.notifications.services import notify
from forum.posts.models import ANSWER, QUESTION, Comment, Post, Revision, Tag, post_tags
from forum.reputation.models import ReputationEvent, Vote
from forum.reputation.services import utc_date

log = logging.getLogger(__name__)

# Tries for a member's awards when a concurrent writer collides with them.
ATTEMPTS = 3


# ---- inserting once ----


def _insert_once(
    session: Session, model, values: dict, keys: tuple[str, ...], returning: str = "id"
):
    """Insert a row unless one with the same keys exists; return its returning column.

    Returns None when the row existed already. ON CONFLICT DO NOTHING rather than
    catching IntegrityError: a failed insert would roll back the whole transaction.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        insert = postgresql.insert
    elif dialect == "sqlite":
        insert = sqlite.insert
    else:
        raise RuntimeError(f"badges need PostgreSQL or SQLite, not {dialect}")
    table = model.__table__
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=list(keys))
        .returning(table.c[returning])
    )
    return session.execute(statement).scalar()


# ---- what a member is due ----


@dataclass(frozen=True)
class Due:
    """An award a member has earned: the badge, which post or tag, and its label."""

    badge: rules.Badge
    subject: int = 0
    post_id: int | None = None
    tag_id: int | None = None
    # The question title or tag name the award is for, for the notification.
    about: str = ""


@dataclass(frozen=True)
class Facts:
    """Counts and flags about one member that the once-only badges read."""

    about_filled: bool
    student: bool
    teacher: bool
    scholar: bool
    edited_posts: int
    up_votes: int
    down_votes: int
    comments: int
    longest_visit_streak: int


def _live_answer_of_live_question():
    """Return aliases (answer, question) and the condition that both are visible."""
    answer, question = aliased(Post, name="answer"), aliased(Post, name="question")
    condition = and_(
        answer.type == ANSWER,
        answer.deleted_at.is_(None),
        question.id == answer.parent_id,
        question.deleted_at.is_(None),
    )
    return answer, question, condition


@dataclass(frozen=True)
class _Statements:
    """The statements that read what a member is due, built once per process."""

    facts: Select
    questions: Select
    answers: Select
    tags: Select


@cache
def _statements() -> _Statements:
    """Build the awarding reads, with the member and thresholds as parameters.

    Building statements with aliases costs far more than running them; awarding
    runs after many commits, so it builds them once and binds the values.
    """
    user_id = bindparam("user_id")
    answer, question, live = _live_answer_of_live_question()
    student = exists().where(
        Post.author_id == user_id,
        Post.type == QUESTION,
        Post.deleted_at.is_(None),
        Post.score >= bindparam("student"),
    )
    teacher = (
        select(answer.id)
        .where(live, answer.author_id == user_id, answer.score >= bindparam("teacher"))
        .exists()
    )
    accepted = aliased(Post, name="accepted")
    scholar = (
        select(question.id)
        .join(accepted, accepted.id == question.accepted_answer_id)
        .where(
            question.author_id == user_id,
            question.deleted_at.is_(None),
            accepted.deleted_at.is_(None),
            accepted.author_id != user_id,
        )
        .exists()
    )
    edited = (
        select(func.count(distinct(Revision.post_id)))
        .where(Revision.author_id == user_id, Revision.number > 1)
        .scalar_subquery()
    )

    def votes(condition):
        """Count the member's current votes that meet the condition."""
        return (
            select(func.count())
            .select_from(Vote)
            .where(Vote.user_id == user_id, condition)
            .scalar_subquery()
        )

    comments = (
        select(func.count())
        .select_from(Comment)
        .where(Comment.author_id == user_id, Comment.deleted_at.is_(None))
        .scalar_subquery()
    )
    visits = (
        select(func.coalesce(func.max(VisitDay.streak), 0))
        .where(VisitDay.user_id == user_id)
        .scalar_subquery()
    )
    facts = select(
        User.about_markdown,
        student,
        teacher,
        scholar,
        edited,
        votes(Vote.value > 0),
        votes(Vote.value < 0),
        comments,
        visits,
    ).where(User.id == user_id)

    questions = select(Post.id, Post.title, Post.score, Post.view_count).where(
        Post.author_id == user_id,
        Post.type == QUESTION,
        Post.deleted_at.is_(None),
        or_(
            Post.score >= bindparam("question_score"),
            Post.view_count >= bindparam("question_views"),
        ),
    )

    earlier = aliased(Post, name="earlier")
    first = ~(
        select(earlier.id)
        .where(
            earlier.parent_id == answer.parent_id,
            earlier.type == ANSWER,
            earlier.deleted_at.is_(None),
            or_(
                earlier.created_at < answer.created_at,
                and_(earlier.created_at == answer.created_at, earlier.id < answer.id),
            ),
        )
        .exists()
    )
    answers = select(
        answer.id,
        answer.score,
        answer.created_at,
        question.title,
        question.author_id,
        question.created_at,
        func.coalesce(question.accepted_answer_id == answer.id, False),
        first,
    ).where(
        live, answer.author_id == user_id, answer.score >= bindparam("answer_score")
    )

    total = func.sum(answer.score)
    tags = (
        select(Tag.id, Tag.name, total)
        .select_from(answer)
        .join(question, question.id == answer.parent_id)
        .join(post_tags, post_tags.c.post_id == question.id)
        .join(Tag, Tag.id == post_tags.c.tag_id)
        .where(live, answer.author_id == user_id)
        .group_by(Tag.id, Tag.name)
        .having(total >= bindparam("tag_score"))
    )
    return _Statements(facts, questions, answers, tags)


def _facts(session: Session, user_id: int, t: dict) -> Facts | None:
    """Read the member's counts for the once-only badges in one statement."""
    row = session.execute(
        _statements().facts,
        {"user_id": user_id, "student": t["student"], "teacher": t["teacher"]},
    ).one_or_none()
    if row is None:
        return None
    return Facts(
        bool((row[0] or "").strip()),
        bool(row[1]),
        bool(row[2]),
        bool(row[3]),
        *(int(value or 0) for value in row[4:]),
    )


def _due_once(facts: Facts, t: dict) -> list[Due]:
    """Return the once-only badges the facts earn."""
    earned = {
        "student": facts.student,
        "teacher": facts.teacher,
        "scholar": facts.scholar,
        "editor": facts.edited_posts >= 1,
        "strunk-white": facts.edited_posts >= t["strunk_white"],
        "supporter": facts.up_votes >= 1,
        "critic": facts.down_votes >= 1,
        "civic-duty": facts.up_votes + facts.down_votes >= t["civic_duty"],
        "commentator": facts.comments >= t["commentator"],
        "autobiographer": facts.about_filled,
        "enthusiast": facts.longest_visit_streak >= t["enthusiast"],
        "fanatic": facts.longest_visit_streak >= t["fanatic"],
    }
    return [Due(rules.BY_SLUG[slug]) for slug, yes in earned.items() if yes]


def _due_for_questions(session: Session, user_id: int, t: dict) -> list[Due]:
    """Return the per-question badges the member's questions earn."""
    by_score = (
        ("nice-question", t["nice_question"]),
        ("good-question", t["good_question"]),
        ("great-question", t["great_question"]),
    )
    by_views = (
        ("popular-question", t["popular_question"]),
        ("notable-question", t["notable_question"]),
        ("famous-question", t["famous_question"]),
    )
    rows = session.execute(
        _statements().questions,
        {
            "user_id": user_id,
            "question_score": min(n for _, n in by_score),
            "question_views": min(n for _, n in by_views),
        },
    )
    due = []
    for post_id, title, score, views in rows:
        for slug, n in by_score:
            if score >= n:
                due.append(_per_post(slug, post_id, title))
        for slug, n in by_views:
            if views >= n:
                due.append(_per_post(slug, post_id, title))
    return due


def _per_post(slug: str, post_id: int, title: str) -> Due:
    """Return a per-post award of a badge."""
    return Due(rules.BY_SLUG[slug], post_id, post_id=post_id, about=title or "")


def _due_for_answers(session: Session, user_id: int, t: dict) -> list[Due]:
    """Return the per-answer badges the member's answers earn."""
    names = ("self_learner", "nice_answer", "enlightened", "guru", "necromancer")
    rows = session.execute(
        _statements().answers,
        {"user_id": user_id, "answer_score": min(t[name] for name in names)},
    )
    late = timedelta(days=t["necromancer_days"])
    due = []
    for post_id, score, created, title, asker, asked, accepted, was_first in rows:
        earned = {
            "nice-answer": score >= t["nice_answer"],
            "good-answer": score >= t["good_answer"],
            "great-answer": score >= t["great_answer"],
            "self-learner": asker == user_id and score >= t["self_learner"],
            "enlightened": bool(accepted and was_first) and score >= t["enlightened"],
            "guru": bool(accepted) and score >= t["guru"],
            "necromancer": created - asked >= late and score >= t["necromancer"],
        }
        due += [_per_post(slug, post_id, title) for slug, yes in earned.items() if yes]
    return due


def _due_for_tags(session: Session, user_id: int, t: dict) -> list[Due]:
    """Return the tag badges the member's answer score per tag earns."""
    levels = (
        ("tag-bronze", t["tag_bronze"]),
        ("tag-silver", t["tag_silver"]),
        ("tag-gold", t["tag_gold"]),
    )
    rows = session.execute(
        _statements().tags,
        {"user_id": user_id, "tag_score": min(n for _, n in levels)},
    )
    return [
        Due(rules.BY_SLUG[slug], tag_id, tag_id=tag_id, about=name)
        for tag_id, name, score in rows
        for slug, n in levels
        if score >= n
    ]


def _due(session: Session, user_id: int) -> list[Due]:
    """Return every award the member has earned, held or not."""
    t = rules.thresholds()
    facts = _facts(session, user_id, t)
    if facts is None:
        return []
    return (
        _due_once(facts, t)
        + _due_for_questions(session, user_id, t)
        + _due_for_answers(session, user_id, t)
        + _due_for_tags(session, user_id, t)
    )


# ---- awarding ----


def _path(endpoint: str, **values) -> str:
    """Return a path on this site, without needing a request."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def _award(session: Session, user_id: int, due: Due, now: datetime) -> bool:
    """Insert one award unless it is held, and notify; tell whether it was new."""
    awarded = _insert_once(
        session,
        BadgeAward,
        {
            "user_id": user_id,
            "badge": due.badge.slug,
            "subject": due.subject,
            "post_id": due.post_id,
            "tag_id": due.tag_id,
            "created_at": now,
        },
        ("user_id", "badge", "subject"),
    )
    if awarded is None:
        return False
    text = f"You earned the {due.badge.level} badge “{due.badge.name}”"
    if due.badge.per == rules.PER_POST and due.about:
        text += f" for “{due.about}”"
    elif due.badge.per == rules.PER_TAG and due.about:
        text += f" in the tag “{due.about}”"
    if due.badge.per == rules.PER_POST and due.post_id is not None:
        url = _path("posts.post_link", post_id=due.post_id)
    else:
        url = _path("badges.badge", slug=due.badge.slug)
    notify(user_id, BADGE, text + ".", url, now=now, session=session)
    return True


def _lock_for_awards(session: Session, user_id: int, due: list[Due]) -> None:
    """Take the row locks the award inserts need, posts first, as votes take theirs.

    Inserting an award checks its foreign keys, which share-locks the member's and
    the post's rows (FOR KEY SHARE). A vote locks its post and then its members
    (FOR UPDATE); taking every post before the member, in id order, means an
    award and a vote wait for each other in turn, never in a circle. SQLite
    locks the whole file instead and ignores this.
    """
    post_ids = sorted({d.post_id for d in due if d.post_id is not None})
    if post_ids:
        session.execute(
            select(Post.id)
            .where(Post.id.in_(post_ids))
            .order_by(Post.id)
            .with_for_update(read=True, key_share=True)
        ).all()
    session.execute(
        select(User.id)
        .where(User.id == user_id)
        .with_for_update(read=True, key_share=True)
    ).all()


def _award_due(session: Session, user_id: int, now: datetime) -> list[Due]:
    """Award the member every badge they have earned but do not hold yet."""
    held = {
        (slug, subject)
        for slug, subject in session.execute(
            select(BadgeAward.badge, BadgeAward.subject).where(
                BadgeAward.user_id == user_id
            )
        )
    }
    due = [d for d in _due(session, user_id) if (d.badge.slug, d.subject) not in held]
    if not due:
        return []
    _lock_for_awards(session, user_id, due)
    return [d for d in due if _award(session, user_id, d, now)]


def _authors_of(session: Session, post_ids) -> set[int]:
    """Return the authors of the posts."""
    if not post_ids:
        return set()
    return set(session.scalars(select(Post.author_id).where(Post.id.in_(post_ids))))


VIEW_BADGES = ("popular-question", "notable-question", "famous-question")


@cache
def _view_badges_due() -> Select:
    """Build the read of questions whose views passed a badge their asker lacks."""
    due = [
        and_(
            Post.view_count >= bindparam(name.replace("-", "_")),
            ~exists().where(
                BadgeAward.user_id == Post.author_id,
                BadgeAward.badge == name,
                BadgeAward.subject == Post.id,
            ),
        )
        for name in VIEW_BADGES
    ]
    return select(Post.author_id).where(
        Post.id.in_(bindparam("post_ids", expanding=True)),
        Post.type == QUESTION,
        Post.deleted_at.is_(None),
        or_(*due),
    )


def _authors_due_view_badges(session: Session, post_ids) -> set[int]:
    """Return the authors of the questions that passed a view badge's threshold."""
    if not post_ids:
        return set()
    t = rules.thresholds()
    values = {name: t[name] for name in (n.replace("-", "_") for n in VIEW_BADGES)}
    return set(
        session.scalars(_view_badges_due(), {"post_ids": sorted(post_ids), **values})
    )


def _in_own_transaction(session: Session, work, what: str, default=0):
    """Run work and commit, retrying a collision; log and return default on failure."""
    for attempt in range(ATTEMPTS):
        try:
            result = work()
            session.commit()
            return result
        except (IntegrityError, OperationalError):
            # A deadlock or a busy database: another writer got there first.
            session.rollback()
            if attempt == ATTEMPTS - 1:
                log.exception("Awarding badges failed for %s", what)
                return default
            time.sleep(random.uniform(0.005, 0.02) * (attempt + 1))
        except Exception:
            session.rollback()
            log.exception("Awarding badges failed for %s", what)
            return default
    return default


def award_noted(bind, noted: triggers.Noted, *, now=None) -> int:
    """Award what the noted members earned, in a fresh session; never raise.

    Called after a commit. Each member's awards are a transaction of their own,
    so no locks are held from one member to the next. Returns how many awards
    were made; errors are logged (``flask badges award`` catches up later).
    """
    now = now or utcnow()
    awarded = 0
    with Session(bind=bind, expire_on_commit=False) as session:
        triggers.mark_evaluating(session)
        for user_id, slug, subject in sorted(noted.grants):
            awarded += _in_own_transaction(
                session,
                partial(_grant, session, user_id, slug, subject, now),
                f"member {user_id}",
            )

        def noted_members() -> set[int]:
            """Return the noted members, the authors of noted posts among them."""
            users = set(noted.users)
            users |= _authors_of(session, noted.posts)
            return users | _authors_due_view_badges(session, noted.viewed)

        users = set()
        if noted.users or noted.posts or noted.viewed:
            users = _in_own_transaction(session, noted_members, "noted posts", set())
        for user_id in sorted(users):
            awarded += _in_own_transaction(
                session,
                lambda user_id=user_id: len(_award_due(session, user_id, now)),
                f"member {user_id}",
            )
    return awarded


def award_badges(*, now=None) -> int:
    """Award every member every badge they earned and lack; return how many."""
    now = now or utcnow()
    user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    db.session.commit()
    awarded = 0
    for user_id in user_ids:
        # One transaction per member, as after a commit: no locks held across members.
        awarded += len(_award_due(db.session, user_id, now))
        db.session.commit()
    return awarded


def grant_badge(user: User, slug: str, *, subject: int = 0) -> None:
    """Award a badge whose facts live elsewhere, once the caller's commit succeeds.

    For other services, inside their transaction (no commit): moderation calls
    ``grant_badge(flagger, "citizen-patrol")`` when it marks a flag helpful.
    """
    if slug not in rules.BY_SLUG:
        raise ValidationError(f"There is no badge {slug!r}.")
    # Join (or begin) the caller's transaction, so that its rollback drops the grant.
    db.session.connection()
    triggers.note_grant(db.session, user.id, slug, subject)


def _grant(session: Session, user_id: int, slug: str, subject: int, now) -> int:
    """Award a granted badge unless it is held; return 1 if it was new."""
    badge = rules.BY_SLUG[slug]
    due = Due(
        badge,
        subject,
        post_id=subject if badge.per == rules.PER_POST and subject else None,
        tag_id=subject if badge.per == rules.PER_TAG and subject else None,
    )
    _lock_for_awards(session, user_id, [due])
    return int(_award(session, user_id, due, now))


# ---- visits ----


def _utc_day(now: datetime) -> date:
    """Return the UTC calendar day of a moment."""
    return now.astimezone(UTC).date()


def record_visit(user: User, *, now=None) -> int | None:
    """Record the member's visit on this UTC day; return its streak, None if known.

    Days must be recorded in order (as visits happen): each day's streak builds on
    the day before's.
    """
    day = _utc_day(now or utcnow())
    before = (
        select(VisitDay.streak)
        .where(VisitDay.user_id == user.id, VisitDay.day == day - streaks.ONE_DAY)
        .scalar_subquery()
    )
    streak = _insert_once(
        db.session,
        VisitDay,
        {"user_id": user.id, "day": day, "streak": func.coalesce(before, 0) + 1},
        ("user_id", "day"),
        returning="streak",
    )
    if streak is not None:
        t = rules.thresholds()
        if streak >= min(t["enthusiast"], t["fanatic"]):
            triggers.note_users(db.session, [user.id])
    db.session.commit()
    return streak


# ---- reads: badges ----


def get_badge(slug: str) -> rules.Badge:
    """Return the badge with this slug."""
    badge = rules.BY_SLUG.get(slug)
    if badge is None:
        raise NotFound("There is no such badge.")
    return badge


@dataclass(frozen=True)
class CatalogueEntry:
    """A badge with how many members hold it and how often it was awarded."""

    badge: rules.Badge
    members: int
    awards: int


def catalogue() -> dict[str, list[CatalogueEntry]]:
    """Return every badge by class, gold first, with its holder counts."""
    counts = {
        slug: (members, awards)
        for slug, members, awards in db.session.execute(
            select(
                BadgeAward.badge,
                func.count(distinct(BadgeAward.user_id)),
                func.count(),
            ).group_by(BadgeAward.badge)
        )
    }
    by_level = {level: [] for level in rules.LEVELS}
    for badge in rules.BADGES:
        members, awards = counts.get(badge.slug, (0, 0))
        by_level[badge.level].append(CatalogueEntry(badge, members, awards))
    return by_level


def held_by(user: User | None) -> set[str]:
    """Return the slugs of the badges a member holds."""
    if user is None:
        return set()
    return set(
        db.session.scalars(
            select(BadgeAward.badge).where(BadgeAward.user_id == user.id).distinct()
        )
    )


def holders_of(badge: rules.Badge) -> Select:
    """Return the statement for a badge's awards, newest first."""
    return (
        select(BadgeAward)
        .where(BadgeAward.badge == badge.slug)
        .options(
            joinedload(BadgeAward.user),
            joinedload(BadgeAward.post).joinedload(Post.parent),
            joinedload(BadgeAward.tag),
        )
        .order_by(BadgeAward.created_at.desc(), BadgeAward.id.desc())
    )


@dataclass(frozen=True)
class HeldBadge:
    """A badge a member holds, how many times, and in which tags."""

    badge: rules.Badge
    times: int
    tags: tuple[str, ...] = ()


def badges_of(user: User) -> list[HeldBadge]:
    """Return the member's badges, gold first, in the catalogue's order."""
    rows = db.session.execute(
        select(BadgeAward.badge, Tag.name, func.count())
        .outerjoin(Tag, Tag.id == BadgeAward.tag_id)
        .where(BadgeAward.user_id == user.id)
        .group_by(BadgeAward.badge, Tag.name)
    )
    times: dict[str, int] = {}
    tags: dict[str, list[str]] = {}
    for slug, tag_name, count in rows:
        times[slug] = times.get(slug, 0) + count
        if tag_name:
            tags.setdefault(slug, []).append(tag_name)
    order = {level: n for n, level in enumerate(rules.LEVELS)}
    held = [
        HeldBadge(badge, times[badge.slug], tuple(sorted(tags.get(badge.slug, ()))))
        for badge in rules.BADGES
        if badge.slug in times
    ]
    return sorted(held, key=lambda h: order[h.badge.level])


def badge_counts_for(user_ids) -> dict[int, dict[str, int]]:
    """Return {user id: {"gold": n, "silver": n, "bronze": n}} in one query."""
    counts = {
        user_id: dict.fromkeys(("gold", "silver", "bronze"), 0) for user_id in user_ids
    }
    if not counts:
        return counts
    for user_id, slug, n in db.session.execute(
        select(BadgeAward.user_id, BadgeAward.badge, func.count())
        .where(BadgeAward.user_id.in_(list(counts)))
        .group_by(BadgeAward.user_id, BadgeAward.badge)
    ):
        level = rules.LEVEL_OF.get(slug)
        if level is not None:
            counts[user_id][level] += n
    return counts


def badge_counts(user: User) -> dict[str, int]:
    """Return how many gold, silver and bronze badges the member holds."""
    return badge_counts_for([user.id])[user.id]


# ---- reads: streaks and the week ----


def _week_start(now: datetime) -> datetime:
    """Return when the current UTC week began (Monday, midnight)."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday())


@dataclass(frozen=True)
class Week:
    """What a member did this UTC week, and whether the weekly goal is met."""

    start: date
    questions: int
    answers: int
    comments: int
    votes: int
    reputation: int
    # Answers to colleagues' questions (not their own): the weekly goal counts these.
    helped: int
    goal: int

    @property
    def goal_done(self) -> bool:
        """Tell whether the member met this week's goal."""
        return self.helped >= self.goal


@dataclass(frozen=True)
class Progress:
    """A member's streaks and week, for their own eyes only."""

    visit_streak: int
    longest_visit_streak: int
    contribution_streak: int
    contributed_today: bool
    week: Week


def _visit_streaks(user: User, today: date) -> tuple[int, int]:
    """Return the member's current and longest visit streaks."""
    longest = aliased(VisitDay)
    row = db.session.execute(
        select(
            VisitDay.day,
            VisitDay.streak,
            select(func.max(longest.streak))
            .where(longest.user_id == user.id)
            .scalar_subquery(),
        )
        .where(VisitDay.user_id == user.id)
        .order_by(VisitDay.day.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return 0, 0
    day, streak, best = row
    current = streak if today - day <= streaks.ONE_DAY else 0
    return current, best


def contribution_days(user: User) -> set[date]:
    """Return the UTC days on which the member asked, answered, commented or voted."""
    days = union(
        select(utc_date(Post.created_at)).where(
            Post.author_id == user.id, Post.deleted_at.is_(None)
        ),
        select(utc_date(Comment.created_at)).where(
            Comment.author_id == user.id, Comment.deleted_at.is_(None)
        ),
        select(utc_date(Vote.created_at)).where(Vote.user_id == user.id),
    )
    return {_as_date(day) for day in db.session.scalars(days)}


def _as_date(value) -> date:
    """Return a day read from the database as a date (SQLite returns text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _week(user: User, now: datetime) -> Week:
    """Count what the member did since the week began, in one statement."""
    start = _week_start(now)
    question = aliased(Post)

    def posts(post_type: str):
        """Count the member's visible posts of a type since the week began."""
        return (
            select(func.count())
            .select_from(Post)
            .where(
                Post.author_id == user.id,
                Post.type == post_type,
                Post.created_at >= start,
                Post.deleted_at.is_(None),
            )
            .scalar_subquery()
        )

    helped = (
        select(func.count())
        .select_from(Post)
        .join(question, question.id == Post.parent_id)
        .where(
            Post.author_id == user.id,
            Post.type == ANSWER,
            Post.created_at >= start,
            Post.deleted_at.is_(None),
            question.author_id != user.id,
        )
        .scalar_subquery()
    )
    comments = (
        select(func.count())
        .select_from(Comment)
        .where(
            Comment.author_id == user.id,
            Comment.created_at >= start,
            Comment.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    votes = (
        select(func.count())
        .select_from(Vote)
        .where(Vote.user_id == user.id, Vote.created_at >= start)
        .scalar_subquery()
    )
    reputation = (
        select(func.coalesce(func.sum(ReputationEvent.amount), 0))
        .where(ReputationEvent.user_id == user.id, ReputationEvent.created_at >= start)
        .scalar_subquery()
    )
    row = db.session.execute(
        select(posts(QUESTION), posts(ANSWER), comments, votes, reputation, helped)
    ).one()
    goal = int(current_app.config.get("WEEKLY_GOAL_ANSWERS", 1))
    return Week(start.date(), *(int(value or 0) for value in row), goal=goal)


def progress_of(user: User, *, now=None) -> Progress:
    """Return the member's visit and contribution streaks and their week."""
    now = now or utcnow()
    today = _utc_day(now)
    visit, longest = _visit_streaks(user, today)
    days = contribution_days(user)
    return Progress(
        visit_streak=visit,
        longest_visit_streak=longest,
        contribution_streak=streaks.current_streak(days, today),
        contributed_today=today in days,
        week=_week(user, now),
    )
